// Who a staff request is from: the sign-in token in the session cookie, or (like the API) a bearer token.
import { InvalidStaffTokenError, type StaffIdentity } from '#shared/staff-token.ts';
import type { PageRequest } from '../http/request.ts';
import { COOKIES } from './cookie-names.ts';

export type VerifyStaffToken = (token: string) => Promise<StaffIdentity>;

export type StaffSession =
  | { readonly kind: 'none' }
  /** The cookie held a token that no longer verifies (expired, or keys rotated): sign in again. */
  | { readonly kind: 'expired' }
  | {
      readonly kind: 'signed-in';
      readonly staff: StaffIdentity;
      readonly token: string;
      /** A bearer token is no ambient credential, so its requests need no CSRF token. */
      readonly viaBearer: boolean;
    };

const BEARER = /^Bearer\s+(\S+)$/i;

export async function staffSession(request: PageRequest, verify: VerifyStaffToken): Promise<StaffSession> {
  const bearer = BEARER.exec(request.headers.authorization ?? '')?.[1];
  const token = bearer ?? request.cookies.get(COOKIES.staff);
  if (!token) return { kind: 'none' };
  try {
    return { kind: 'signed-in', staff: await verify(token), token, viaBearer: bearer !== undefined };
  } catch (error) {
    if (error instanceof InvalidStaffTokenError) return { kind: 'expired' };
    throw error;
  }
}

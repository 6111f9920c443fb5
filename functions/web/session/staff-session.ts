// Who a staff request is from: the sign-in token in the session cookie, or (like the API) a bearer token.
import { InvalidStaffTokenError, SIGNED_OUT_MESSAGE, type StaffIdentity } from '#shared/staff-token.ts';
import type { PageRequest } from '../http/request.ts';
import { COOKIES } from './cookie-names.ts';

/** A staff token as far as it vouches for itself, and the read of whether its session was signed out since. */
export interface VerifiedStaffToken {
  readonly staff: StaffIdentity;
  signedOut(): Promise<boolean>;
}

export type VerifyStaffToken = (token: string) => Promise<VerifiedStaffToken>;

export type StaffSession =
  | { readonly kind: 'none' }
  /**
   * The cookie held a token that no longer verifies (expired, keys rotated, or signed out): sign in again.
   * The token is the cookie's, to which the forms of its pages were bound (session/kept-form.ts).
   */
  | { readonly kind: 'expired'; readonly token?: string }
  | {
      readonly kind: 'signed-in';
      readonly staff: StaffIdentity;
      readonly token: string;
      /** A bearer token is no ambient credential, so its requests need no CSRF token. */
      readonly viaBearer: boolean;
    };

const NO_SESSION: StaffSession = { kind: 'none' };
export const EXPIRED_SESSION: StaffSession = { kind: 'expired' };

/** The session as the token has it, and whether it was signed out: that read is started, not awaited. */
export interface CheckedSession {
  readonly session: StaffSession;
  readonly signedOut: Promise<boolean>;
}

const BEARER = /^Bearer\s+(\S+)$/i;
const NOT_SIGNED_IN = Promise.resolve(false);

export async function staffSession(request: PageRequest, verify: VerifyStaffToken): Promise<CheckedSession> {
  const bearer = BEARER.exec(request.headers.authorization ?? '')?.[1];
  const token = bearer ?? request.cookies.get(COOKIES.staff);
  if (!token) return { session: NO_SESSION, signedOut: NOT_SIGNED_IN };
  let verified: VerifiedStaffToken;
  try {
    verified = await verify(token);
  } catch (error) {
    if (error instanceof InvalidStaffTokenError)
      return { session: bearer ? EXPIRED_SESSION : { kind: 'expired', token }, signedOut: NOT_SIGNED_IN };
    throw error;
  }
  const signedOut = verified.signedOut();
  // Awaited by app.ts; should the request fail before that, a failed check is no unhandled rejection.
  signedOut.catch(() => undefined);
  return {
    session: { kind: 'signed-in', staff: verified.staff, token, viaBearer: bearer !== undefined },
    signedOut,
  };
}

/** The staff member a token names, once its session is known not to have been signed out. */
export async function verifiedStaff(verify: VerifyStaffToken, token: string): Promise<StaffIdentity> {
  const verified = await verify(token);
  if (await verified.signedOut()) throw new InvalidStaffTokenError(SIGNED_OUT_MESSAGE);
  return verified.staff;
}

// Verifies a staff member's token: the Cognito user pool's in AWS, the local issuer's on one machine.
// Both publish a JWKS, so this one code path serves both.
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';

export type StaffRole = 'officer' | 'agency' | 'pcc';

export interface StaffIdentity {
  sub: string;
  name: string;
  role: StaffRole;
  csp?: string;
  agency?: string;
  pccArea?: string;
}

export class InvalidStaffTokenError extends Error {
  override name = 'InvalidStaffTokenError';
}

export interface StaffTokenSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

const ROLES: readonly string[] = ['officer', 'agency', 'pcc'];

export function createStaffTokenVerifier(
  settings: StaffTokenSettings,
): (token: string) => Promise<StaffIdentity> {
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl));
  return async (token) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ['ES256', 'RS256'],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError) {
        throw new InvalidStaffTokenError('The sign-in token is not valid or has expired.', { cause: error });
      }
      throw error;
    }
    const text = (claim: string) =>
      typeof payload[claim] === 'string' ? (payload[claim] as string) : undefined;
    const role = text('role');
    const sub = text('sub');
    if (!sub || !role || !ROLES.includes(role)) {
      throw new InvalidStaffTokenError('The sign-in token does not name a staff role.');
    }
    const csp = text('csp');
    const agency = text('agency');
    const pccArea = text('pccArea');
    if (role !== 'pcc' && !csp) throw new InvalidStaffTokenError('The sign-in token does not name a CSP.');
    if (role === 'agency' && !agency)
      throw new InvalidStaffTokenError('The sign-in token does not name an agency.');
    return {
      sub,
      name: text('name') ?? '',
      role: role as StaffRole,
      ...(csp && { csp }),
      ...(agency && { agency }),
      ...(pccArea && { pccArea }),
    };
  };
}

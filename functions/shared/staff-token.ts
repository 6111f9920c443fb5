// Who a staff member's token says they are, and how it fails: what every function that reads staff
// tokens shares. Verifying one (jose, the issuer's keys) is staff-token-reader.ts, which the pages load
// only when a request first carries a token.

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

export class StaffTokenConfigError extends Error {
  constructor(missing: readonly string[]) {
    super(`Staff sign-in is not configured: set ${missing.join(', ')}`);
    this.name = 'StaffTokenConfigError';
  }
}

export function staffTokenSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): StaffTokenSettings {
  const names = ['STAFF_TOKEN_ISSUER', 'STAFF_TOKEN_AUDIENCE', 'STAFF_TOKEN_JWKS_URL'] as const;
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) throw new StaffTokenConfigError(missing);
  return {
    issuer: env.STAFF_TOKEN_ISSUER as string,
    audience: env.STAFF_TOKEN_AUDIENCE as string,
    jwksUrl: env.STAFF_TOKEN_JWKS_URL as string,
  };
}

/** The sign-in session a token (already verified) belongs to, and when the token expires. */
export interface StaffTokenSession {
  readonly sessionId: string;
  readonly expiresAt: number;
  /** Who signed in, as the user pool names them (`cognito:username`, else the subject). */
  readonly username: string;
}

/** A token as far as it vouches for itself (signature, issuer, audience, expiry, claims): its session may since have been signed out. */
export interface SignedStaffToken {
  readonly staff: StaffIdentity;
  readonly sessionId: string;
}

export const SIGNED_OUT_MESSAGE = 'This sign-in has ended: sign in again.';

// Verifies a staff member's token: the Cognito user pool's in AWS, the local issuer's on one machine.
// Both publish a JWKS, so this one code path serves both. A token must expire (`exp`) and name its
// sign-in session (`origin_jti`: Cognito's, which every token of one sign-in shares; the local issuer
// gives each token its own), and that session must not have been signed out.
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify } from 'jose';
import type { SignedOutSessions } from '#data/staff-sessions.ts';
import {
  InvalidStaffTokenError,
  SIGNED_OUT_MESSAGE,
  type SignedStaffToken,
  type StaffIdentity,
  type StaffRole,
  type StaffTokenSession,
  type StaffTokenSettings,
} from '#shared/staff-token.ts';

const ROLES: readonly string[] = ['officer', 'agency', 'pcc'];
const SESSION_CLAIM = 'origin_jti';

export function staffTokenSession(token: string): StaffTokenSession {
  const claims = decodeJwt(token);
  const sessionId = claims[SESSION_CLAIM];
  const username = claims['cognito:username'] ?? claims.sub;
  if (typeof sessionId !== 'string' || typeof claims.exp !== 'number' || typeof username !== 'string') {
    throw new InvalidStaffTokenError('The sign-in token does not name its session.');
  }
  return { sessionId, expiresAt: claims.exp, username };
}

/**
 * Reads a token as far as it vouches for itself, without asking whether its session was signed out, so
 * that a caller may ask that beside its own reads (the pages' worklists): createStaffTokenVerifier asks both.
 */
export function createSignedStaffTokenReader(
  settings: StaffTokenSettings,
): (token: string) => Promise<SignedStaffToken> {
  const read = verifiedStaffTokenReader(settings);
  // A token's signature, issuer and audience stay as they were checked, so a token once verified is
  // taken as verified until its `exp` rather than checked again (an ECDSA or RSA verification) on every
  // request of its sign-in; a refused one is never kept. Whether its session was signed out is still
  // the caller's to ask on every request. Insertion order is age: the oldest go first beyond MAX_VERIFIED.
  // Kept no longer than jose keeps the user pool's keys (KEYS_MAX_AGE_SECONDS), so a signing key the pool
  // withdraws stops vouching for a token as soon as it did before tokens were kept.
  const verified = new Map<string, { readonly token: SignedStaffToken; readonly expiresAt: number }>();
  return async (token) => {
    const known = verified.get(token);
    if (known && nowInSeconds() < known.expiresAt) return known.token;
    verified.delete(token);
    const { signed, expiresAt } = await read(token);
    verified.set(token, {
      token: signed,
      expiresAt: Math.min(expiresAt, nowInSeconds() + KEYS_MAX_AGE_SECONDS),
    });
    if (verified.size > MAX_VERIFIED) verified.delete(verified.keys().next().value as string);
    return signed;
  };
}

/** jose's createRemoteJWKSet keeps the keys it fetched this long (its cacheMaxAge, 10 minutes) before fetching again. */
const KEYS_MAX_AGE_SECONDS = 10 * 60;

/** How many verified tokens an instance keeps: far more than the staff one instance serves at once. */
const MAX_VERIFIED = 1000;

// As jose judges `exp`: a token is good while the current second is before it.
const nowInSeconds = () => Math.floor(Date.now() / 1000);

function verifiedStaffTokenReader(
  settings: StaffTokenSettings,
): (token: string) => Promise<{ readonly signed: SignedStaffToken; readonly expiresAt: number }> {
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl), { cacheMaxAge: KEYS_MAX_AGE_SECONDS * 1000 });
  return async (token) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ['ES256', 'RS256'],
        // Without `exp` a token would never stop working; without a session it could not be signed out.
        requiredClaims: ['exp', 'sub', SESSION_CLAIM],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError) {
        throw new InvalidStaffTokenError('The sign-in token is not valid or has expired.', { cause: error });
      }
      throw error;
    }
    const text = (claim: string) =>
      typeof payload[claim] === 'string' ? (payload[claim] as string) : undefined;
    const sessionId = text(SESSION_CLAIM);
    if (!sessionId) throw new InvalidStaffTokenError('The sign-in token does not name its session.');
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
    const staff: StaffIdentity = {
      sub,
      name: text('name') ?? '',
      role: role as StaffRole,
      ...(csp && { csp }),
      ...(agency && { agency }),
      ...(pccArea && { pccArea }),
    };
    // jose has checked that `exp` is a number in the future (requiredClaims).
    return { signed: { staff, sessionId }, expiresAt: payload.exp as number };
  };
}

export function createStaffTokenVerifier(
  settings: StaffTokenSettings,
  signedOut: Pick<SignedOutSessions, 'isSignedOut'>,
): (token: string) => Promise<StaffIdentity> {
  const read = createSignedStaffTokenReader(settings);
  return async (token) => {
    const { staff, sessionId } = await read(token);
    if (await signedOut.isSignedOut(sessionId)) throw new InvalidStaffTokenError(SIGNED_OUT_MESSAGE);
    return staff;
  };
}

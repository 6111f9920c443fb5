// Signs staff tokens for the local runtime, standing in for the Cognito user pool: an ES256 key pair
// kept in $DATA_DIR, its public half published as a JWKS that the handlers verify against exactly as
// they verify the user pool's tokens in AWS.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';

const ALGORITHM = 'ES256';
// As short as the user pool's ID tokens (infra/constructs/staff-identity.ts): a token that leaks
// works for an hour at most, signed out or not.
const LIFETIME = '1h';

export interface LocalTokenIssuer {
  jwks: { keys: JWK[] };
  sign(claims: Record<string, string>, subject: string): Promise<string>;
}

export async function createLocalTokenIssuer(options: {
  dataDir: string;
  issuer: string;
  audience: string;
}): Promise<LocalTokenIssuer> {
  const keyFile = join(options.dataDir, 'local-signing-key.json');
  if (!existsSync(keyFile)) {
    const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: crypto.randomUUID(), alg: ALGORITHM, use: 'sig' };
    writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  }
  const privateJwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const { d: _private, ...publicJwk } = privateJwk;
  const key = await importJWK(privateJwk, ALGORITHM);
  return {
    jwks: { keys: [publicJwk] },
    // Each token is a sign-in session of its own, named as Cognito names one (origin_jti).
    sign: (claims, subject) =>
      new SignJWT({ ...claims, origin_jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: ALGORITHM, kid: privateJwk.kid ?? '' })
        .setSubject(subject)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt()
        .setExpirationTime(LIFETIME)
        .sign(key),
  };
}

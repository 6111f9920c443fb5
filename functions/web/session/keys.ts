// The pages' own keys: one signs form (CSRF) tokens, one encrypts the cookies that carry a session.
// Both are derived from one secret: in AWS from Secrets Manager (WEB_SESSION_SECRET_ARN), or given
// directly (WEB_SESSION_SECRET, base64, at least 32 bytes); on one machine, made once and kept in
// $DATA_DIR like the local token issuer's key.
// The secret in AWS is rotated while the pages run (README, "Rotating the pages' session secret"): an
// instance reads it again every few minutes, seals and signs with its AWSCURRENT version only, and also
// accepts what was sealed or signed with AWSPENDING (the next value, staged before it becomes current, so
// that no instance meets a value it does not yet know) and AWSPREVIOUS (so that nobody is signed out).
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rereadEvery, SECRET_REREAD_MS, secretStages } from '#clients/secret-stages.ts';

/** The keys one secret gives. */
export interface SecretKeys {
  readonly csrf: Buffer;
  readonly seal: Buffer;
}

/** The key to seal or sign with (the current secret's), then any others to accept. */
export type KeyRing = readonly [current: Buffer, ...accepted: Buffer[]];

/** The keys of the secrets a request is served with: the current one's first. */
export interface WebKeys {
  readonly csrf: KeyRing;
  readonly seal: KeyRing;
}

/** The keys as they are now (read again every few minutes in AWS). */
export type WebKeySource = () => Promise<WebKeys>;

export class WebKeysError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WebKeysError';
  }
}

export class MissingSecretError extends WebKeysError {
  constructor() {
    super('Set WEB_SESSION_SECRET_ARN (or WEB_SESSION_SECRET, or DATA_DIR on one machine) for the pages');
    this.name = 'MissingSecretError';
  }
}

export class WeakSecretError extends WebKeysError {
  constructor() {
    super('The pages secret must be at least 32 bytes, written in base64');
    this.name = 'WeakSecretError';
  }
}

const MIN_SECRET_BYTES = 32;

export function deriveKeys(secret: Buffer): SecretKeys {
  if (secret.length < MIN_SECRET_BYTES) throw new WeakSecretError();
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, '', `asb-web ${purpose}`, 32));
  return { csrf: derive('csrf'), seal: derive('seal') };
}

/** The keys of `current` and of the secrets still accepted beside it. */
export function webKeys(current: Buffer, ...accepted: Buffer[]): WebKeys {
  const [first, ...others] = [current, ...accepted].map(deriveKeys) as [SecretKeys, ...SecretKeys[]];
  return {
    csrf: [first.csrf, ...others.map((keys) => keys.csrf)],
    seal: [first.seal, ...others.map((keys) => keys.seal)],
  };
}

/** The stages read, AWSCURRENT first (webKeys seals with the first). */
const ACCEPTED_STAGES = ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS'] as const;

export function webKeysFromEnv(env: NodeJS.ProcessEnv = process.env): WebKeySource {
  const secretArn = env.WEB_SESSION_SECRET_ARN;
  if (!env.WEB_SESSION_SECRET && secretArn) {
    return rotatedWebKeys(secretStages(secretArn, ACCEPTED_STAGES));
  }
  const keys = webKeys(fixedSecret(env));
  return async () => keys;
}

/**
 * The keys of the values `read` gives (base64, the current one first), read again every `ttlMs`: a value
 * put in the secret is used within that, without a restart.
 */
export function rotatedWebKeys(
  read: () => Promise<readonly string[]>,
  ttlMs = SECRET_REREAD_MS,
  now: () => number = Date.now,
): WebKeySource {
  return rereadEvery(
    async () => {
      // After a rotation AWSPENDING may still label the current version: each value once.
      const [current, ...accepted] = [...new Set(await read())].map((value) => Buffer.from(value, 'base64'));
      // An empty current value reads as none, and is refused as too short.
      return webKeys(current ?? Buffer.alloc(0), ...accepted);
    },
    ttlMs,
    now,
  );
}

function fixedSecret(env: NodeJS.ProcessEnv): Buffer {
  if (env.WEB_SESSION_SECRET) return Buffer.from(env.WEB_SESSION_SECRET, 'base64');
  if (env.DATA_DIR) return localSecret(env.DATA_DIR);
  throw new MissingSecretError();
}

function localSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'web-session-secret');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(MIN_SECRET_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8'), 'base64');
}

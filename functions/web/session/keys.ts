// The pages' own keys: one signs form (CSRF) tokens, one encrypts the cookies that carry a session.
// Both are derived from one secret: in AWS from Secrets Manager (WEB_SESSION_SECRET_ARN), or given
// directly (WEB_SESSION_SECRET, base64, at least 32 bytes); on one machine, made once and kept in
// $DATA_DIR like the local token issuer's key.
import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSecretString } from '#clients/secrets-manager.ts';

export interface WebKeys {
  readonly csrf: Buffer;
  readonly seal: Buffer;
}

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

export function deriveKeys(secret: Buffer): WebKeys {
  if (secret.length < MIN_SECRET_BYTES) throw new WeakSecretError();
  const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, '', `asb-web ${purpose}`, 32));
  return { csrf: derive('csrf'), seal: derive('seal') };
}

export async function loadWebKeys(env: NodeJS.ProcessEnv = process.env): Promise<WebKeys> {
  if (env.WEB_SESSION_SECRET) return deriveKeys(Buffer.from(env.WEB_SESSION_SECRET, 'base64'));
  if (env.WEB_SESSION_SECRET_ARN) {
    return deriveKeys(Buffer.from(await readSecretString(env.WEB_SESSION_SECRET_ARN), 'base64'));
  }
  if (env.DATA_DIR) return deriveKeys(localSecret(env.DATA_DIR));
  throw new MissingSecretError();
}

function localSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'web-session-secret');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(MIN_SECRET_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8'), 'base64');
}

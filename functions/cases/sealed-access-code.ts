// A keyed submission's response is kept (data/idempotency.ts) so that a retry gets it again; the access
// code in it must not sit in that table as plain text (contract.md: stored only as a hash). It is kept
// sealed (AES-256-GCM) under a key derived from what only the client sending the retry has: the
// Idempotency-Key and the request body, neither of which is stored.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class AccessCodeSealError extends Error {
  constructor(options?: ErrorOptions) {
    super('The stored response could not be unsealed with this request', options);
    this.name = 'AccessCodeSealError';
  }
}

function keyFrom(material: string): Buffer {
  return createHash('sha256').update('asb-case-review:access-code-seal\0').update(material).digest();
}

export function sealAccessCode(accessCode: string, material: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(material), iv);
  const sealed = Buffer.concat([cipher.update(accessCode, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

export function unsealAccessCode(sealed: string, material: string): string {
  const [version, iv, data] = sealed.split('.');
  if (version !== VERSION || iv === undefined || data === undefined) throw new AccessCodeSealError();
  const bytes = Buffer.from(data, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFrom(material), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch (error) {
    throw new AccessCodeSealError({ cause: error });
  }
}

// Values the browser keeps but must neither read nor change (the applicant's tracking session): AES-256-GCM
// with the cookie's name as additional data, so a value sealed for one cookie is refused by another.
// Sealed with the current key of the ring; opened with any of its keys, so that a rotation (keys.ts)
// leaves what was sealed before it open until it expires.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing } from './keys.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Envelope<T> {
  value: T;
  /** Epoch milliseconds after which the value is refused. */
  expires: number;
}

export function seal<T>([key]: KeyRing, purpose: string, value: T, expires: Date): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const envelope: Envelope<T> = { value, expires: expires.getTime() };
  const body = Buffer.concat([cipher.update(JSON.stringify(envelope), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The sealed value, or undefined when it was changed, sealed for another purpose or has expired. */
export function unseal<T>(keys: KeyRing, purpose: string, sealed: string, now: Date): T | undefined {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  for (const key of keys) {
    const envelope = opened<T>(key, purpose, bytes);
    if (envelope) return envelope.expires > now.getTime() ? envelope.value : undefined;
  }
  return undefined;
}

function opened<T>(key: Buffer, purpose: string, bytes: Buffer): Envelope<T> | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8')) as Envelope<T>;
  } catch {
    return undefined;
  }
}

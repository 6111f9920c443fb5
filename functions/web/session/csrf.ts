// CSRF protection for every form: a signed double-submit token. A random id lives in a __Host- cookie;
// each form carries HMAC(key, id + the session it acts for). A page on another site can neither read the
// cookie nor forge the HMAC, and a token stops working when the session it was made for changes.
// A token is made with the current key and accepted with any key of the ring (a rotation: keys.ts).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from './keys.ts';

export const CSRF_FIELD = 'csrfToken';

export function newCsrfId(): string {
  return randomBytes(32).toString('base64url');
}

/** A digest of the session a form acts for (a staff token, a tracking session), never the session itself. */
export function sessionBinding(session: string | undefined): string {
  return session ? createHash('sha256').update(session).digest('base64url') : '';
}

export function csrfToken([key]: KeyRing, csrfId: string, binding: string): string {
  return signed(key, csrfId, binding);
}

export function isValidCsrfToken(keys: KeyRing, csrfId: string, binding: string, token: string): boolean {
  const given = Buffer.from(token);
  return keys.some((key) => {
    const expected = Buffer.from(signed(key, csrfId, binding));
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function signed(key: Buffer, csrfId: string, binding: string): string {
  return createHmac('sha256', key).update(`${csrfId}\n${binding}`).digest('base64url');
}

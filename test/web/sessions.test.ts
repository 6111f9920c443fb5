import { describe, expect, it, vi } from 'vitest';
import { SECRET_REREAD_MS } from '#clients/secret-stages.ts';
import { csrfToken, isValidCsrfToken, newCsrfId, sessionBinding } from '#web/session/csrf.ts';
import { deriveKeys, rotatedWebKeys, WeakSecretError, webKeys } from '#web/session/keys.ts';
import { seal, unseal } from '#web/session/sealed.ts';
import { readSignInSettings, SignInSettingsError } from '#web/session/sign-in-settings.ts';

const SECRET = Buffer.alloc(32, 1);
const keys = webKeys(SECRET);
const now = new Date('2015-06-01T10:00:00Z');
const later = new Date('2015-06-01T11:00:00Z');

describe('sealed values', () => {
  it('open with the key and purpose they were sealed with, until they expire', () => {
    // Prepare
    const sealed = seal(keys.seal, 'track session', { reference: 'SEF-1' }, later);

    // Act and assess
    expect(unseal(keys.seal, 'track session', sealed, now)).toEqual({ reference: 'SEF-1' });
    expect(sealed).not.toContain('SEF-1');
    expect(unseal(keys.seal, 'track session', sealed, new Date(later.getTime() + 1))).toBeUndefined();
    expect(unseal(keys.seal, 'hosted sign-in', sealed, now)).toBeUndefined();
    expect(unseal(webKeys(Buffer.alloc(32, 2)).seal, 'track session', sealed, now)).toBeUndefined();
  });

  it('refuse anything changed', () => {
    // Prepare
    const sealed = seal(keys.seal, 'p', 'value', later);
    const bytes = Buffer.from(sealed, 'base64url');
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 1;

    // Act and assess
    expect(unseal(keys.seal, 'p', bytes.toString('base64url'), now)).toBeUndefined();
    expect(unseal(keys.seal, 'p', 'short', now)).toBeUndefined();
  });
});

describe('form tokens', () => {
  it('are valid only for the id and the session they were made for', () => {
    // Prepare
    const id = newCsrfId();
    const binding = sessionBinding('staff token');
    const token = csrfToken(keys.csrf, id, binding);

    // Act and assess
    expect(isValidCsrfToken(keys.csrf, id, binding, token)).toBe(true);
    expect(isValidCsrfToken(keys.csrf, newCsrfId(), binding, token)).toBe(false);
    expect(isValidCsrfToken(keys.csrf, id, sessionBinding('another'), token)).toBe(false);
    expect(isValidCsrfToken(keys.csrf, id, binding, `${token}x`)).toBe(false);
    expect(isValidCsrfToken(keys.csrf, id, binding, '')).toBe(false);
  });
});

describe('the pages’ keys', () => {
  it('refuse a secret shorter than 32 bytes', () => {
    expect(() => deriveKeys(Buffer.alloc(31))).toThrow(WeakSecretError);
  });

  it('derive different keys for different purposes', () => {
    const derived = deriveKeys(SECRET);
    expect(derived.csrf.equals(derived.seal)).toBe(false);
  });
});

describe('a rotation of the pages’ secret', () => {
  const previous = Buffer.alloc(32, 3);
  const current = Buffer.alloc(32, 4);
  const before = webKeys(previous);
  const during = webKeys(current, previous);
  const id = newCsrfId();
  const binding = sessionBinding('staff token');

  it('leaves what was sealed and the forms made with the previous secret good, and uses the current one', () => {
    // Prepare
    const sealedBefore = seal(before.seal, 'track session', 'SEF-1', later);
    const tokenBefore = csrfToken(before.csrf, id, binding);

    // Act
    const sealedDuring = seal(during.seal, 'track session', 'SEF-2', later);
    const tokenDuring = csrfToken(during.csrf, id, binding);

    // Assess
    expect(unseal(during.seal, 'track session', sealedBefore, now)).toBe('SEF-1');
    expect(isValidCsrfToken(during.csrf, id, binding, tokenBefore)).toBe(true);
    expect(unseal(webKeys(current).seal, 'track session', sealedDuring, now)).toBe('SEF-2');
    expect(unseal(before.seal, 'track session', sealedDuring, now)).toBeUndefined();
    expect(isValidCsrfToken(webKeys(current).csrf, id, binding, tokenDuring)).toBe(true);
    expect(isValidCsrfToken(before.csrf, id, binding, tokenDuring)).toBe(false);
  });

  it('refuses what was sealed and the forms made with a secret dropped', () => {
    // Prepare
    const sealedBefore = seal(before.seal, 'track session', 'SEF-1', later);
    const tokenBefore = csrfToken(before.csrf, id, binding);
    const after = webKeys(current);

    // Act and assess
    expect(unseal(after.seal, 'track session', sealedBefore, now)).toBeUndefined();
    expect(isValidCsrfToken(after.csrf, id, binding, tokenBefore)).toBe(false);
  });

  it('reaches a warm instance when it reads the secret again, without a restart', async () => {
    // Prepare: the secret's values as Secrets Manager gives them, the current one first
    let time = 0;
    let values = [previous.toString('base64')];
    const read = vi.fn(async () => values);
    const source = rotatedWebKeys(read, SECRET_REREAD_MS, () => time);
    const sealedBefore = seal((await source()).seal, 'track session', 'SEF-1', later);

    // Act
    values = [current.toString('base64'), previous.toString('base64')];
    time = SECRET_REREAD_MS - 1;
    const stillKept = await source();
    time = SECRET_REREAD_MS;
    const reread = await source();

    // Assess
    expect(read).toHaveBeenCalledTimes(2);
    expect(stillKept.seal).toEqual(before.seal);
    expect(reread.seal).toEqual(during.seal);
    expect(unseal(reread.seal, 'track session', sealedBefore, now)).toBe('SEF-1');
  });

  it('uses a value once when two stages label it, and refuses a current value too short', async () => {
    // Prepare
    const twice = rotatedWebKeys(async () => [current.toString('base64'), current.toString('base64')]);
    const short = rotatedWebKeys(async () => [Buffer.alloc(31).toString('base64')]);
    const empty = rotatedWebKeys(async () => []);

    // Act and assess
    expect((await twice()).seal).toEqual(webKeys(current).seal);
    await expect(short()).rejects.toThrow(WeakSecretError);
    await expect(empty()).rejects.toThrow(WeakSecretError);
  });
});

describe('the staff sign-in settings', () => {
  it('are off unless asked for', () => {
    expect(readSignInSettings({})).toEqual({ mode: 'off' });
  });

  it('use the local token endpoint beside the local issuer', () => {
    expect(
      readSignInSettings({ STAFF_SIGN_IN: 'local', STAFF_TOKEN_ISSUER: 'http://127.0.0.1:3000/local' }),
    ).toEqual({
      mode: 'local',
      tokenUrl: 'http://127.0.0.1:3000/local/token',
    });
  });

  it('use the user pool’s sign-in when its address is given, for the token audience’s app client', () => {
    expect(
      readSignInSettings({
        STAFF_SIGN_IN_URL: 'https://asb.auth.eu-west-2.amazoncognito.com/',
        SITE_URL: 'https://asb.example',
        STAFF_TOKEN_AUDIENCE: 'client-1',
      }),
    ).toEqual({
      mode: 'hosted',
      domain: 'https://asb.auth.eu-west-2.amazoncognito.com',
      clientId: 'client-1',
      callbackUrl: 'https://asb.example/staff/callback',
      logoutUrl: 'https://asb.example/staff',
    });
  });

  it('refuse a hosted sign-in that does not say where the service is', () => {
    expect(() => readSignInSettings({ STAFF_SIGN_IN: 'hosted', STAFF_SIGN_IN_URL: 'https://x' })).toThrow(
      SignInSettingsError,
    );
  });
});

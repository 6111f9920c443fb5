import { describe, expect, it } from 'vitest';
import { csrfToken, isValidCsrfToken, newCsrfId, sessionBinding } from '#web/session/csrf.ts';
import { deriveKeys, WeakSecretError } from '#web/session/keys.ts';
import { seal, unseal } from '#web/session/sealed.ts';
import { readSignInSettings, SignInSettingsError } from '#web/session/sign-in-settings.ts';

const keys = deriveKeys(Buffer.alloc(32, 1));
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
    expect(unseal(deriveKeys(Buffer.alloc(32, 2)).seal, 'track session', sealed, now)).toBeUndefined();
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
    expect(keys.csrf.equals(keys.seal)).toBe(false);
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

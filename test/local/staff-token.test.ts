import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MERSEYSIDE } from '#core/area-config.ts';
import { handleTokenRequest } from '#local/token-endpoint.ts';
import { createLocalTokenIssuer, type LocalTokenIssuer } from '#local/token-issuer.ts';
import { createStaffSignOut } from '#shared/staff-sign-out.ts';
import { InvalidStaffTokenError } from '#shared/staff-token.ts';
import { createStaffTokenVerifier, staffTokenSession } from '#shared/staff-token-reader.ts';
import { EXAMPLE_AREA } from '#test/support/example-area.ts';
import { memorySignedOutSessions } from '#test/support/staff-tokens.ts';

describe('local staff tokens', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tokens-'));
  const audience = 'asb-case-review-local';
  let issuer: LocalTokenIssuer;
  let server: Server;
  let verify: ReturnType<typeof createStaffTokenVerifier>;
  let issuerUrl: string;
  const signedOut = memorySignedOutSessions();

  beforeAll(async () => {
    server = createServer((_request, response) => response.end(JSON.stringify(issuer.jwks)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    issuerUrl = `${base}/local`;
    issuer = await createLocalTokenIssuer({ dataDir, issuer: issuerUrl, audience });
    verify = createStaffTokenVerifier(
      { issuer: issuerUrl, audience, jwksUrl: `${base}/local/jwks.json` },
      signedOut,
    );
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const request = async (body: unknown) =>
    handleTokenRequest(issuer, MERSEYSIDE, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('issues a token the handlers accept, with the contract’s claims', async () => {
    const { statusCode, body } = await request({ role: 'officer', csp: 'sefton', name: 'A Officer' });

    expect(statusCode).toBe(200);
    const identity = await verify((body as { token: string }).token);
    expect(identity).toMatchObject({
      role: 'officer',
      csp: 'sefton',
      name: 'A Officer',
      pccArea: 'merseyside',
    });
    expect(identity.sub).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives the same person the same subject across sign-ins', async () => {
    const first = await request({ role: 'agency', csp: 'wirral', agency: 'police', name: 'P C' });
    const second = await request({ role: 'agency', csp: 'wirral', agency: 'police', name: 'P C' });

    const a = await verify((first.body as { token: string }).token);
    const b = await verify((second.body as { token: string }).token);
    expect(a.sub).toBe(b.sub);
    expect(a).toMatchObject({ role: 'agency', agency: 'police', csp: 'wirral' });
  });

  it('signs for the CSPs of the area it serves, with that area as pccArea, and refuses any other CSP', async () => {
    // Prepare
    const ask = (body: unknown) =>
      handleTokenRequest(issuer, EXAMPLE_AREA, { method: 'POST', body: JSON.stringify(body) });

    // Act
    const officer = await ask({ role: 'officer', csp: 'dunmarsh', name: 'D Officer' });
    const pcc = await ask({ role: 'pcc', name: 'The PCC Office' });
    const merseysideOfficer = await ask({ role: 'officer', csp: 'sefton', name: 'S Officer' });
    const merseysidePcc = await ask({ role: 'pcc', name: 'The PCC Office', pccArea: 'merseyside' });

    // Assess
    expect(await verify((officer.body as { token: string }).token)).toMatchObject({
      csp: 'dunmarsh',
      pccArea: 'exampleshire',
    });
    expect(await verify((pcc.body as { token: string }).token)).toMatchObject({ pccArea: 'exampleshire' });
    expect(merseysideOfficer).toMatchObject({ statusCode: 400, body: { issues: [{ path: 'csp' }] } });
    expect(merseysidePcc).toMatchObject({ statusCode: 400, body: { issues: [{ path: 'pccArea' }] } });
  });

  it('keeps the signing key in the data folder across restarts', async () => {
    const again = await createLocalTokenIssuer({ dataDir, issuer: issuerUrl, audience });

    expect(again.jwks).toEqual(issuer.jwks);
    expect(JSON.stringify(again.jwks)).not.toContain('"d"');
  });

  it.each([
    [{ role: 'admin', name: 'X' }, 'role'],
    [{ role: 'officer', name: 'X' }, 'csp'],
    [{ role: 'officer', csp: 'manchester', name: 'X' }, 'csp'],
    [{ role: 'agency', csp: 'sefton', name: 'X' }, 'agency'],
    [{ role: 'pcc', name: '' }, 'name'],
    [{ role: 'pcc', name: 'X', extra: 1 }, 'extra'],
  ])('refuses %j naming the field', async (body, field) => {
    const result = await request(body);

    expect(result.statusCode).toBe(400);
    expect(result.body).toMatchObject({ error: 'validation' });
    const paths = (result.body as { issues: { path: string }[] }).issues.map((issue) => issue.path);
    expect(paths).toContain(field);
  });

  it('refuses a body that is not JSON and a method other than POST', async () => {
    expect((await request('{nope')).statusCode).toBe(400);
    expect((await handleTokenRequest(issuer, MERSEYSIDE, { method: 'GET', body: '' })).statusCode).toBe(405);
  });

  it('rejects tampered, foreign, expired and role-less tokens', async () => {
    const { body } = await request({ role: 'officer', csp: 'sefton', name: 'A Officer' });
    const token = (body as { token: string }).token;
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const tampered = [
      header,
      Buffer.from(JSON.stringify({ ...claims, csp: 'wirral' })).toString('base64url'),
      signature,
    ].join('.');
    await expect(verify(tampered)).rejects.toBeInstanceOf(InvalidStaffTokenError);

    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = (issuer.jwks.keys[0]?.kid as string) ?? '';
    const forged = await new SignJWT({ role: 'pcc' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject('x')
      .setIssuer(issuerUrl)
      .setAudience(audience)
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(verify(forged)).rejects.toBeInstanceOf(InvalidStaffTokenError);
    expect(await exportJWK(publicKey)).not.toEqual(issuer.jwks.keys[0]);

    const ownKey = JSON.parse(readFileSync(join(dataDir, 'local-signing-key.json'), 'utf8')) as JWK;
    const expired = await new SignJWT({ role: 'pcc' })
      .setProtectedHeader({ alg: 'ES256', kid: ownKey.kid ?? '' })
      .setSubject('x')
      .setIssuer(issuerUrl)
      .setAudience(audience)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(await importJWK(ownKey, 'ES256'));
    await expect(verify(expired)).rejects.toBeInstanceOf(InvalidStaffTokenError);
    await expect(verify('not-a-token')).rejects.toBeInstanceOf(InvalidStaffTokenError);

    const roleless = await issuer.sign({ name: 'N' }, 'x');
    await expect(verify(roleless)).rejects.toThrow('staff role');
  });

  it('refuses a token without an expiry or without a session, however well signed', async () => {
    // Prepare
    const ownKey = JSON.parse(readFileSync(join(dataDir, 'local-signing-key.json'), 'utf8')) as JWK;
    const key = await importJWK(ownKey, 'ES256');
    const signed = (claims: Record<string, unknown>) =>
      new SignJWT({ role: 'pcc', name: 'P', pccArea: 'merseyside', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: ownKey.kid ?? '' })
        .setSubject('x')
        .setIssuer(issuerUrl)
        .setAudience(audience);

    // Act
    const withoutExpiry = await signed({ origin_jti: 'session-1' }).sign(key);
    const withoutSession = await signed({}).setExpirationTime('1h').sign(key);
    const complete = await signed({ origin_jti: 'session-2' }).setExpirationTime('1h').sign(key);

    // Assess
    await expect(verify(withoutExpiry)).rejects.toBeInstanceOf(InvalidStaffTokenError);
    await expect(verify(withoutSession)).rejects.toBeInstanceOf(InvalidStaffTokenError);
    await expect(verify(complete)).resolves.toMatchObject({ role: 'pcc' });
  });

  it('checks a token’s signature once while it lasts, and refuses it from its expiry on', async () => {
    // Prepare
    const { token } = (await request({ role: 'officer', csp: 'sefton', name: 'A Officer' })).body as {
      token: string;
    };
    const { expiresAt } = staffTokenSession(token);
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify');

    try {
      // Act
      const first = await verify(token);
      const again = await verify(token);
      vi.useFakeTimers({ toFake: ['Date'], now: expiresAt * 1000 });
      const expired = verify(token);

      // Assess
      expect(again).toEqual(first);
      await expect(expired).rejects.toBeInstanceOf(InvalidStaffTokenError);
      // Once for the two reads in its time, once more for the read after it.
      expect(signatureChecks).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
      signatureChecks.mockRestore();
    }
  });

  it('checks a kept token’s signature again after ten minutes, as often as the user pool’s keys are fetched', async () => {
    // Prepare
    const { token } = (await request({ role: 'officer', csp: 'sefton', name: 'A Officer' })).body as {
      token: string;
    };
    const { expiresAt } = staffTokenSession(token);
    const tenMinutesOn = Date.now() + 10 * 60 * 1000 + 1000;
    expect(expiresAt * 1000).toBeGreaterThan(tenMinutesOn);
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify');

    try {
      // Act
      const first = await verify(token);
      vi.useFakeTimers({ toFake: ['Date'], now: tenMinutesOn });
      const later = await verify(token);
      const again = await verify(token);

      // Assess
      expect(later).toEqual(first);
      expect(again).toEqual(first);
      expect(signatureChecks).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
      signatureChecks.mockRestore();
    }
  });

  it('checks a refused token again each time it comes', async () => {
    // Prepare
    const { token } = (await request({ role: 'officer', csp: 'sefton', name: 'A Officer' })).body as {
      token: string;
    };
    const [header, payload] = token.split('.');
    const unsigned = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify');

    try {
      // Act
      const first = await verify(unsigned).catch((error: unknown) => error);
      const again = await verify(unsigned).catch((error: unknown) => error);

      // Assess
      expect(first).toBeInstanceOf(InvalidStaffTokenError);
      expect(again).toBeInstanceOf(InvalidStaffTokenError);
      expect(signatureChecks).toHaveBeenCalledTimes(2);
    } finally {
      signatureChecks.mockRestore();
    }
  });

  it('gives every token its own session, and refuses the token once its session is signed out', async () => {
    // Prepare
    const first = (await request({ role: 'pcc', name: 'P' })).body as { token: string };
    const second = (await request({ role: 'pcc', name: 'P' })).body as { token: string };
    const signOut = createStaffSignOut({ sessions: signedOut, onError: () => undefined });

    // Act
    await signOut(first.token);

    // Assess
    expect(staffTokenSession(first.token).sessionId).not.toBe(staffTokenSession(second.token).sessionId);
    await expect(verify(first.token)).rejects.toThrow('sign in again');
    await expect(verify(second.token)).resolves.toMatchObject({ role: 'pcc' });
  });
});

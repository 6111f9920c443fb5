// Who may do what, over HTTP: each role × each endpoint × own or other CSP, and tokens that must not
// work (forged, expired, tampered, unsigned, for another audience). An allowed caller sending an empty
// body gets a 400 (authorisation comes first, then validation), so the matrix changes nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ukDateOf } from '#core/local-date.ts';
import { ApiClient, type Credentials } from '#test/support/api-client.ts';
import { applicationBody } from '#test/support/applications.ts';
import { FINDINGS } from '#test/support/case-fixtures.ts';
import { type LocalService, SERVICE_MODES, startLocalService } from '#test/support/local-service.ts';

let service: LocalService;
let api: ApiClient;
let referred: { reference: string; accessCode: string };
let fresh: { reference: string; accessCode: string };
const callers: Record<string, Credentials> = {};
const today = ukDateOf(new Date());

const CALLERS = [
  'anonymous',
  'applicant',
  'wrong code',
  'officer own',
  'officer other',
  'agency own',
  'agency other',
  'pcc',
] as const;
type CallerName = (typeof CALLERS)[number];

describe.each(SERVICE_MODES)('%s', (mode) => {
  beforeAll(async () => {
    service = await startLocalService({ mode });
    api = new ApiClient(service);
    const token = (claims: Parameters<LocalService['token']>[0]) => service.token(claims);
    const officer = { token: await token({ role: 'officer', csp: 'sefton', name: 'Own Officer' }) };
    const pcc = { token: await token({ role: 'pcc', name: 'PCC Office' }) };

    // A case reviewed (its police asked, so shared with them) and referred (so visible to the PCC), and a new one.
    referred = await api.submit(applicationBody({ csp: 'sefton' }));
    fresh = await api.submit(applicationBody({ csp: 'sefton' }));
    const applicant = { accessCode: referred.accessCode };
    await api.waitForStage(referred.reference, applicant, 'awaiting-threshold-decision');
    await api.act(
      referred.reference,
      'threshold-decision',
      { met: true, route: 'A', reason: 'Met.' },
      officer,
    );
    await api.waitForStage(referred.reference, applicant, 'awaiting-review');
    await api.act(
      referred.reference,
      'information-requests',
      { agencies: ['police'], message: 'What did you know and do?' },
      officer,
    );
    await api.act(
      referred.reference,
      'review-outcome',
      { heldOn: today, summary: 'Reviewed.', findings: FINDINGS },
      officer,
    );
    await api.waitForStage(referred.reference, applicant, 'review-complete');
    await api.act(referred.reference, 'referral', { reason: 'Please look again.' }, applicant);
    await api.waitForStage(referred.reference, applicant, 'awaiting-pcc-decision');
    await api.waitForStage(fresh.reference, { accessCode: fresh.accessCode }, 'awaiting-threshold-decision');

    Object.assign(callers, {
      anonymous: {},
      applicant,
      'wrong code': { accessCode: fresh.accessCode },
      'officer own': officer,
      'officer other': { token: await token({ role: 'officer', csp: 'wirral', name: 'Other Officer' }) },
      'agency own': {
        token: await token({ role: 'agency', csp: 'sefton', agency: 'police', name: 'Own Agency' }),
      },
      'agency other': {
        token: await token({ role: 'agency', csp: 'wirral', agency: 'police', name: 'Other Agency' }),
      },
      pcc,
    });
  }, 360_000);

  afterAll(async () => {
    await service?.stop();
  });

  /** Expected status per caller; `ok` is 200 for reads, and 400 for actions sent with an empty body. */
  const row = (ok: number, allowed: readonly CallerName[], anonymous = 401): Record<CallerName, number> =>
    Object.fromEntries(
      CALLERS.map((caller) => [
        caller,
        allowed.includes(caller) ? ok : caller === 'anonymous' ? anonymous : 403,
      ]),
    ) as Record<CallerName, number>;

  describe('the authorisation matrix on a referred case', () => {
    const matrix: [string, string, unknown, Record<CallerName, number>][] = [
      ['GET', '', undefined, row(200, ['applicant', 'officer own', 'agency own', 'pcc'])],
      ['POST', '/threshold-decision', {}, row(400, ['officer own'])],
      ['POST', '/agency-responses', {}, row(400, ['officer own', 'agency own'])],
      ['POST', '/review-outcome', {}, row(400, ['officer own'])],
      ['POST', '/referral', {}, row(400, ['applicant', 'officer own'])],
      ['POST', '/pcc-decision', {}, row(400, ['pcc'])],
      ['POST', '/withdraw', { fearOfReprisal: 'yes' }, row(400, ['applicant', 'officer own'])],
      ['GET', '/link-suggestions', undefined, row(200, ['officer own'])],
      ['POST', '/links', {}, row(400, ['officer own'])],
    ];

    it.each(matrix)('%s /api/cases/{ref}%s', async (method, suffix, body, expected) => {
      // Act
      const statuses: Record<string, number> = {};
      for (const caller of CALLERS) {
        const response = await api.request(method, `/api/cases/${referred.reference}${suffix}`, {
          ...callers[caller],
          ...(body !== undefined && { body }),
        });
        statuses[caller] = response.status;
      }
      // Assess
      expect(statuses).toEqual(expected);
    });

    it('lets the PCC and agencies see a case only once it is referred or shared', async () => {
      const pcc = await api.get(`/api/cases/${fresh.reference}`, callers.pcc);
      const agency = await api.get(`/api/cases/${fresh.reference}`, callers['agency own']);
      expect([pcc.status, agency.status]).toEqual([403, 403]);
    });

    it('takes the reference as people type it: any case, spaces for hyphens (contract.md)', async () => {
      const typed = encodeURIComponent(fresh.reference.toLowerCase().replaceAll('-', ' '));

      const view = await api.get(`/api/cases/${typed}`, { accessCode: fresh.accessCode });

      expect(view.status).toBe(200);
      expect(view.body.reference).toBe(fresh.reference);
    });

    it('shows each worklist only its own cases', async () => {
      // Act
      const lists: Record<string, [number, boolean]> = {};
      for (const caller of CALLERS) {
        const response = await api.get('/api/cases?limit=100', callers[caller]);
        const references =
          response.status === 200 ? response.body.cases.map((c: { reference: string }) => c.reference) : [];
        lists[caller] = [response.status, references.includes(referred.reference)];
      }
      // Assess
      expect(lists).toEqual({
        anonymous: [401, false],
        applicant: [401, false],
        'wrong code': [401, false],
        'officer own': [200, true],
        'officer other': [200, false],
        'agency own': [200, true],
        'agency other': [200, false],
        pcc: [200, true],
      });
    });

    it('lets only officers sign off a return, and only staff of no other role enter applications', async () => {
      const returns: Record<string, number> = {};
      const applications: Record<string, number> = {};
      for (const caller of CALLERS) {
        returns[caller] = (await api.post('/api/statistics/returns', { year: 'x' }, callers[caller])).status;
        applications[caller] = (
          await api.post('/api/applications', { csp: 'sefton' }, callers[caller])
        ).status;
      }
      expect(returns).toEqual({
        ...row(400, ['officer own', 'officer other']),
        applicant: 401,
        'wrong code': 401,
      });
      // Anyone may apply online (here with a bad body: 400); agencies and the PCC's office may not apply.
      expect(applications).toEqual({
        ...row(
          400,
          CALLERS.filter((c) => !c.startsWith('agency') && c !== 'pcc'),
        ),
      });
    });
  });

  describe('tokens that must not work', () => {
    const read = (token: string) => api.get(`/api/cases/${referred.reference}`, { token });

    async function serviceKey() {
      const jwk = JSON.parse(readFileSync(join(service.dataDir, 'local-signing-key.json'), 'utf8')) as JWK;
      return { jwk, key: await importJWK(jwk, 'ES256') };
    }

    const claimsOf = (token: string | undefined) => decodeJwt(token ?? '');

    it('refuses a token signed by another key (401)', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const { jwk } = await serviceKey();
      const claims = claimsOf(callers['officer own']?.token);
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid ?? '' })
        .sign(privateKey);
      expect((await read(forged)).status).toBe(401);
    });

    it('refuses an expired token (401)', async () => {
      const { jwk, key } = await serviceKey();
      const claims = claimsOf(callers['officer own']?.token);
      const expired = await new SignJWT({
        ...claims,
        iat: Math.floor(Date.now() / 1000) - 7200,
        exp: Math.floor(Date.now() / 1000) - 3600,
      })
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid ?? '' })
        .sign(key);
      const response = await read(expired);
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('unauthorized');
    });

    it('refuses a token for another audience (401)', async () => {
      const { jwk, key } = await serviceKey();
      const claims = claimsOf(callers['officer own']?.token);
      const token = await new SignJWT({ ...claims, aud: 'some-other-service' })
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid ?? '' })
        .sign(key);
      expect((await read(token)).status).toBe(401);
    });

    it('refuses a token whose claims were changed after signing (401)', async () => {
      const [header, , signature] = (callers['officer other']?.token ?? '').split('.');
      const claims = { ...claimsOf(callers['officer other']?.token), csp: 'sefton' };
      const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      expect((await read(tampered)).status).toBe(401);
    });

    it('refuses an unsigned token and one that is not a token (401)', async () => {
      const claims = claimsOf(callers['officer own']?.token);
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
      const statuses = [(await read(unsigned)).status, (await read('not-a-token')).status];
      const basic = await api.get(`/api/cases/${referred.reference}`, {
        headers: { authorization: 'Basic b2ZmaWNlcjpwYXNz' },
      });
      expect([...statuses, basic.status]).toEqual([401, 401, 401]);
    });

    it('refuses a token without an expiry, however well signed (401)', async () => {
      const { jwk, key } = await serviceKey();
      const { exp: _exp, ...claims } = claimsOf(callers['officer own']?.token);
      const everlasting = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid ?? '' })
        .sign(key);
      expect((await read(everlasting)).status).toBe(401);
    });

    it('refuses a bearer token, and the same token as the pages’ cookie, once its session signed out (401)', async () => {
      // Prepare
      const token = await service.token({ role: 'officer', csp: 'sefton', name: 'Leaving Officer' });
      const page = (path: string, init: RequestInit = {}) =>
        fetch(`${service.url}${path}`, { redirect: 'manual', ...init });
      const asCookie = { headers: { cookie: `__Host-asb-staff=${token}` } };
      const before = [(await read(token)).status, (await page('/staff/cases', asCookie)).status];

      // Act
      const signOut = await page('/staff/sign-out', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      });

      // Assess
      const after = await read(token);
      const cookieAfter = await page('/staff/cases', asCookie);
      expect(before).toEqual([200, 200]);
      expect(signOut.status).toBe(303);
      expect(after.status).toBe(401);
      expect(after.body.error).toBe('unauthorized');
      expect([cookieAfter.status, cookieAfter.headers.get('location')]).toEqual([303, '/staff']);
      expect((await read(callers['officer own']?.token ?? '')).status).toBe(200);
    });
  });
});

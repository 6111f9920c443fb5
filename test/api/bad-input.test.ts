// Bad input over HTTP: every field of every body is refused with a 400 that names it, nothing is
// stored or counted, and no bad request is ever a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, ukDateOf } from '#core/local-date.ts';
import { reportingYearOf } from '#core/reporting-year.ts';
import { ApiClient, type Credentials } from '#test/support/api-client.ts';
import { applicationBody } from '#test/support/applications.ts';
import { FINDINGS } from '#test/support/case-fixtures.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';

let service: LocalService;
let api: ApiClient;
let officer: Credentials;
let pcc: Credentials;
let existing: { reference: string; accessCode: string };
let referred: { reference: string; accessCode: string };
let statisticsBefore: string;
let worklistBefore: string;
const today = ukDateOf(new Date());
const year = reportingYearOf(new Date(), 'financial').label;
const valid = () => applicationBody({ csp: 'sefton' });
const long = (length: number) => 'x'.repeat(length);

beforeAll(async () => {
  service = await startLocalService();
  api = new ApiClient(service);
  officer = { token: await service.token({ role: 'officer', csp: 'sefton', name: 'A Officer' }) };
  pcc = { token: await service.token({ role: 'pcc', name: 'PCC' }) };
  existing = await api.submit(valid());
  await api.waitForStage(
    existing.reference,
    { accessCode: existing.accessCode },
    'awaiting-threshold-decision',
  );
  // The PCC's office only sees (and so only validates decisions on) referred cases.
  referred = await api.submit(valid());
  const applicant = { accessCode: referred.accessCode };
  await api.waitForStage(referred.reference, applicant, 'awaiting-threshold-decision');
  await api.act(referred.reference, 'threshold-decision', { met: false, reason: 'Not met.' }, officer);
  await api.waitForStage(referred.reference, applicant, 'threshold-not-met');
  await api.act(referred.reference, 'referral', { reason: 'Please look again.' }, applicant);
  await api.waitForStage(referred.reference, applicant, 'awaiting-pcc-decision');
  statisticsBefore = (await api.get(`/api/statistics?year=${year}`)).text;
  worklistBefore = JSON.stringify((await api.get('/api/cases?limit=100', officer)).body.cases);
}, 240_000);

afterAll(async () => {
  await service?.stop();
});

function withApplicant(change: Record<string, unknown>) {
  const body = valid();
  return { ...body, applicant: { ...(body.applicant as object), ...change } };
}

function withIncident(change: Record<string, unknown>) {
  const body = valid();
  const [first, ...rest] = body.incidents as Record<string, unknown>[];
  return { ...body, incidents: [{ ...first, ...change }, ...rest] };
}

const onBehalf = { name: 'Sam Example', relationship: 'son', consentGiven: true };

describe('POST /api/applications refuses, naming the field', () => {
  const cases: [string, unknown][] = [
    ['csp', { ...valid(), csp: undefined }],
    ['csp', { ...valid(), csp: 'manchester' }],
    ['victimType', { ...valid(), victimType: 'alien' }],
    ['applicant', { ...valid(), applicant: undefined }],
    ['applicant.name', withApplicant({ name: '' })],
    ['applicant.name', withApplicant({ name: long(201) })],
    ['applicant.email', withApplicant({ email: 'not-an-email' })],
    ['applicant.email', withApplicant({ email: undefined, phone: undefined })],
    ['applicant.phone', withApplicant({ phone: '12' })],
    ['applicant.phone', withApplicant({ phone: undefined, contactPreference: 'phone' })],
    ['applicant.address', withApplicant({ address: long(201) })],
    ['applicant.name', withApplicant({ name: 'Ja\u0000ne' })],
    ['applicant.address', withApplicant({ address: '1 Example Street\u001b[2J' })],
    ['applicant.postcode', withApplicant({ postcode: 'NOT A POSTCODE' })],
    ['applicant.contactPreference', withApplicant({ contactPreference: 'pigeon' })],
    ['applicant.accessibilityNeeds', withApplicant({ accessibilityNeeds: long(10_001) })],
    ['applicant.vulnerabilityNeeds', withApplicant({ vulnerabilityNeeds: long(10_001) })],
    ['applicant.nickname', withApplicant({ nickname: 'J' })],
    ['onBehalfOf.name', { ...valid(), onBehalfOf: { ...onBehalf, name: '' } }],
    ['onBehalfOf.relationship', { ...valid(), onBehalfOf: { ...onBehalf, relationship: long(201) } }],
    ['onBehalfOf.consentGiven', { ...valid(), onBehalfOf: { ...onBehalf, consentGiven: false } }],
    ['onBehalfOf.postcode', { ...valid(), onBehalfOf: { ...onBehalf, postcode: '123' } }],
    ['onBehalfOf.email', { ...valid(), onBehalfOf: { ...onBehalf, email: 'not-an-email' } }],
    ['onBehalfOf.phone', { ...valid(), onBehalfOf: { ...onBehalf, phone: '12' } }],
    ['onBehalfOf.address', { ...valid(), onBehalfOf: { ...onBehalf, address: long(201) } }],
    ['description', { ...valid(), description: '' }],
    ['description', { ...valid(), description: long(10_001) }],
    ['description', { ...valid(), description: 'Loud \ud800 music' }],
    ['impact', { ...valid(), impact: long(10_001) }],
    ['incidents', { ...valid(), incidents: [] }],
    ['incidents', { ...valid(), incidents: 'three' }],
    [
      'incidents',
      { ...valid(), incidents: Array.from({ length: 51 }, () => (valid().incidents as object[])[0]) },
    ],
    ['incidents.0.occurredOn', withIncident({ occurredOn: '2015-02-30' })],
    [
      'incidents.0.occurredOn',
      withIncident({ occurredOn: addDays(today, 1), reportedOn: addDays(today, 1) }),
    ],
    ['incidents.0.occurredOn', withIncident({ occurredOn: '1066-10-14' })],
    ['incidents.0.occurredAt', withIncident({ occurredAt: '25:00' })],
    ['incidents.0.reportedOn', withIncident({ reportedOn: addDays(today, -400) })],
    ['incidents.0.reportedOn', withIncident({ reportedOn: addDays(today, 1) })],
    ['incidents.0.reportedTo', withIncident({ reportedTo: 'mi5' })],
    ['incidents.0.alsoReportedTo', withIncident({ alsoReportedTo: 'the council' })],
    [
      'incidents.0.alsoReportedTo.0.reportedTo',
      withIncident({ alsoReportedTo: [{ reportedTo: 'mi5', reportedOn: today }] }),
    ],
    [
      'incidents.0.alsoReportedTo.0.reportedOn',
      withIncident({ alsoReportedTo: [{ reportedTo: 'council', reportedOn: addDays(today, 1) }] }),
    ],
    [
      'incidents.0.alsoReportedTo.0.reference',
      withIncident({ alsoReportedTo: [{ reportedTo: 'council', reportedOn: today, reference: long(201) }] }),
    ],
    ['incidents.0.reference', withIncident({ reference: long(201) })],
    ['incidents.0.location', withIncident({ location: long(201) })],
    ['incidents.0.description', withIncident({ description: long(10_001) })],
    ['incidents.0.hateMotivated', withIncident({ hateMotivated: 'no' })],
    ['incidents.0.hateMotivation', withIncident({ hateMotivated: true, hateMotivation: 'football' })],
    ['consentToShare', { ...valid(), consentToShare: false }],
    ['channel', { ...valid(), channel: 'phone' }],
    ['receivedAt', { ...valid(), receivedAt: '2015-06-01T10:00:00Z' }],
    ['extra', { ...valid(), extra: true }],
    ['', []],
    ['', null],
  ];

  it.each(cases)('%s', async (path, body) => {
    const response = await api.post('/api/applications', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'validation', message: expect.any(String) });
    expect(response.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
  });

  it.each([
    ['channel', { channel: 'carrier-pigeon' }],
    ['channel', { channel: undefined }],
    ['receivedAt', { channel: 'letter', receivedAt: 'yesterday' }],
    ['receivedAt', { channel: 'letter', receivedAt: new Date(Date.now() + 86_400_000).toISOString() }],
    ['receivedAt', { channel: 'letter', receivedAt: '2014-10-01T10:00:00Z' }],
  ])('%s, from an officer', async (path, change) => {
    const response = await api.post('/api/applications', { ...valid(), ...change }, officer);
    expect(response.status).toBe(400);
    expect(response.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
  });
});

describe('the actions refuse, naming the field', () => {
  const actions: [string, string, unknown][] = [
    ['threshold-decision', 'met', { reason: 'x' }],
    ['threshold-decision', 'met', { met: 'yes', reason: 'x' }],
    ['threshold-decision', 'route', { met: true, reason: 'x' }],
    ['threshold-decision', 'route', { met: true, route: 'D', reason: 'x' }],
    ['threshold-decision', 'route', { met: false, route: 'A', reason: 'x' }],
    ['threshold-decision', 'reason', { met: false, reason: '' }],
    ['threshold-decision', 'reason', { met: false, reason: long(10_001) }],
    ['threshold-decision', 'reason', { met: false, reason: 'Not met.\u0000' }],
    ['threshold-decision', 'notes', { met: false, reason: 'x', notes: 'y' }],
    ['agency-responses', 'agency', { agency: 'mi5', summary: 'x' }],
    ['agency-responses', 'summary', { agency: 'police', summary: '' }],
    ['agency-responses', 'summary', { agency: 'police', summary: long(10_001) }],
    ['review-outcome', 'heldOn', { heldOn: '2015-13-01', summary: 'x', findings: FINDINGS }],
    ['review-outcome', 'heldOn', { heldOn: addDays(today, 1), summary: 'x', findings: FINDINGS }],
    ['review-outcome', 'summary', { heldOn: today, summary: '', findings: FINDINGS }],
    [
      'review-outcome',
      'recommendations',
      { heldOn: today, summary: 'x', findings: FINDINGS, recommendations: 'none' },
    ],
    [
      'review-outcome',
      'recommendations.0.action',
      {
        heldOn: today,
        summary: 'x',
        findings: FINDINGS,
        recommendations: [{ owner: 'police', dueBy: today }],
      },
    ],
    [
      'review-outcome',
      'recommendations.0.owner',
      {
        heldOn: today,
        summary: 'x',
        findings: FINDINGS,
        recommendations: [{ action: 'a', owner: 'army', dueBy: today }],
      },
    ],
    [
      'review-outcome',
      'recommendations.0.dueBy',
      {
        heldOn: today,
        summary: 'x',
        findings: FINDINGS,
        recommendations: [{ action: 'a', owner: 'police', dueBy: addDays(today, -1) }],
      },
    ],
    ['referral', 'reason', {}],
    ['referral', 'reason', { reason: long(10_001) }],
    ['pcc-decision', 'outcome', { outcome: 'overturn', reason: 'x' }],
    ['pcc-decision', 'reason', { outcome: 'refer-back' }],
    ['withdraw', 'reason', { reason: long(10_001) }],
  ];

  it.each(actions)('%s: %s', async (action, path, body) => {
    const [reference, who] =
      action === 'pcc-decision' ? [referred.reference, pcc] : [existing.reference, officer];
    const response = await api.post(`/api/cases/${reference}/${action}`, body, who);
    expect(response.status).toBe(400);
    expect(response.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
  });
});

describe('bodies that are not JSON objects', () => {
  const routes = [
    '/api/applications',
    '/api/statistics/returns',
    ...[
      'threshold-decision',
      'agency-responses',
      'review-outcome',
      'referral',
      'pcc-decision',
      'withdraw',
    ].map((action) => `/api/cases/${'{ref}'}/${action}`),
  ];
  const path = (route: string) => route.replace('{ref}', existing.reference);

  it.each(routes)('%s: malformed JSON is 400, another media type 415, over 1 MB 413', async (route) => {
    const malformed = await api.request('POST', path(route), {
      ...officer,
      rawBody: '{"reason": ',
      headers: { 'content-type': 'application/json' },
    });
    const form = await api.request('POST', path(route), {
      ...officer,
      rawBody: 'reason=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const huge = await api.request('POST', path(route), { ...officer, body: { reason: long(1_000_001) } });
    expect([malformed.status, form.status, huge.status]).toEqual([400, 415, 413]);
    expect([malformed.body.error, form.body.error, huge.body.error]).toEqual([
      'validation',
      'unsupported-media-type',
      'payload-too-large',
    ]);
  });
});

describe('requests no handler could read', () => {
  it('answers a path that is not valid percent-encoding with 404, never a 500', async () => {
    const view = await api.get('/api/cases/%ZZ', officer);
    const action = await api.post('/api/cases/%E0%A4/withdraw', { reason: 'x' }, { accessCode: 'x' });

    expect([view.status, action.status]).toEqual([404, 404]);
    expect([view.body.error, action.body.error]).toEqual(['not-found', 'not-found']);
  });

  it('lists the first 100 issues of a body with thousands, and says there are more', async () => {
    const unknownFields = Object.fromEntries(Array.from({ length: 20_000 }, (_, index) => [`f${index}`, 1]));

    const response = await api.post('/api/applications', { ...valid(), ...unknownFields });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'validation', moreIssues: true, issueCount: 20_000 });
    expect(response.body.issues).toHaveLength(100);
    expect(response.text.length).toBeLessThan(20_000);
  });

  it('refuses a body that is not UTF-8 with 400, rather than storing replacement characters', async () => {
    const [before, after] = JSON.stringify(withApplicant({ name: 'Pat MARK' })).split('MARK') as [
      string,
      string,
    ];
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);

    const response = await api.request('POST', '/api/applications', {
      rawBody: bytes,
      headers: { 'content-type': 'application/json' },
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'validation', issues: [{ path: '' }] });
  });

  it('sends the gateway’s own errors with the security headers of every other answer', async () => {
    const handled = await api.get('/api/cases/NOT-A-CASE', officer);
    const security = (headers: Headers) =>
      Object.fromEntries(
        ['x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy'].map(
          (name) => [name, headers.get(name)],
        ),
      );

    const unknown = await api.get('/api/nowhere');
    const tooLarge = await api.request('POST', '/api/applications', {
      rawBody: 'x'.repeat(10 * 1024 * 1024 + 1),
      headers: { 'content-type': 'application/json' },
    });

    expect(handled.status).toBe(404);
    expect([unknown.status, tooLarge.status]).toEqual([404, 413]);
    expect(security(unknown.headers)).toEqual(security(handled.headers));
    expect(security(tooLarge.headers)).toEqual(security(handled.headers));
    expect(security(handled.headers)['x-content-type-options']).toBe('nosniff');
  });
});

describe('an address that does not exist', () => {
  it('gets the GOV.UK "Page not found" page as HTML, and under /api/ the JSON error', async () => {
    const page = await api.get('/no-such-page');
    const posted = await api.request('POST', '/no-such-page', {
      rawBody: 'name=Pat',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const json = await api.request('DELETE', '/api/no-such-thing');

    expect([page.status, posted.status, json.status]).toEqual([404, 404, 404]);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
    expect(posted.text).toContain('Page not found');
    expect(json.body).toEqual({ error: 'not-found', message: 'There is nothing at this address.' });
  });
});

describe('after all that', () => {
  it('stored and counted nothing', async () => {
    const statistics = (await api.get(`/api/statistics?year=${year}`)).text;
    const worklist = JSON.stringify((await api.get('/api/cases?limit=100', officer)).body.cases);
    const view = await api.get(`/api/cases/${existing.reference}`, officer);
    expect(statistics).toBe(statisticsBefore);
    expect(worklist).toBe(worklistBefore);
    expect(view.body.stage).toBe('awaiting-threshold-decision');
    expect(view.body.audit.filter((entry: { what: string }) => entry.what !== 'read')).toEqual([]);
  });
});

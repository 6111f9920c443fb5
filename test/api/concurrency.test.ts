// Retries and races over HTTP: an Idempotency-Key replay, and concurrent duplicates of a submission
// and of a decision, each with exactly one effect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportingYearOf } from '#core/reporting-year.ts';
import { ApiClient, type Credentials } from '#test/support/api-client.ts';
import { applicationBody } from '#test/support/applications.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';

let service: LocalService;
let api: ApiClient;
const year = reportingYearOf(new Date(), 'financial').label;

beforeAll(async () => {
  service = await startLocalService();
  api = new ApiClient(service);
});

afterAll(async () => {
  await service?.stop();
});

async function countsOf(csp: string) {
  return (await api.statistics(year))[csp] ?? {};
}

async function openCases(credentials: Credentials): Promise<string[]> {
  const response = await api.get('/api/cases?limit=100', credentials);
  return response.body.cases.map((entry: { reference: string }) => entry.reference);
}

describe('Idempotency-Key', { timeout: 120_000 }, () => {
  it('answers a retry with the first response and creates nothing', async () => {
    // Prepare
    const officer = { token: await service.token({ role: 'officer', csp: 'liverpool', name: 'L Officer' }) };
    const body = applicationBody({ csp: 'liverpool' });
    const headers = { 'idempotency-key': crypto.randomUUID() };
    // Act
    const first = await api.post('/api/applications', body, { headers });
    const retry = await api.post('/api/applications', body, { headers });
    // Assess
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect((await countsOf('liverpool')).applicationsReceived).toBe(1);
    expect(await openCases(officer)).toEqual([first.body.reference]);
    expect(
      (await api.get(`/api/cases/${first.body.reference}`, { accessCode: retry.body.accessCode })).status,
    ).toBe(200);
  });

  it('creates one case when duplicates race', async () => {
    // Prepare
    const body = applicationBody({ csp: 'knowsley' });
    const headers = { 'idempotency-key': crypto.randomUUID() };
    // Act
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => api.post('/api/applications', body, { headers })),
    );
    const settled = await api.post('/api/applications', body, { headers });
    // Assess
    const created = responses.filter((response) => response.status === 201);
    expect(responses.every((response) => [201, 409].includes(response.status))).toBe(true);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((response) => response.body.reference))).toEqual(
      new Set([settled.body.reference]),
    );
    expect((await countsOf('knowsley')).applicationsReceived).toBe(1);
  });
});

describe('concurrent decisions', { timeout: 120_000 }, () => {
  it('take effect once: every duplicate is a harmless 200, and the case moves and counts once', async () => {
    // Prepare
    const officer = { token: await service.token({ role: 'officer', csp: 'st-helens', name: 'S Officer' }) };
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'st-helens' }));
    await api.waitForStage(reference, { accessCode }, 'awaiting-threshold-decision');
    const decision = { met: false, reason: 'Only one agency was told.' };
    // Act
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.post(`/api/cases/${reference}/threshold-decision`, decision, officer),
      ),
    );
    const view = await api.waitForStage(reference, { accessCode }, 'threshold-not-met');
    // Assess
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(200));
    expect(responses.filter((response) => response.body.changed)).toHaveLength(1);
    expect(view.thresholdDecision).toMatchObject({ met: false, reason: 'Only one agency was told.' });
    const counts = await countsOf('st-helens');
    expect([counts.applicationsReceived, counts.thresholdNotMet]).toEqual([1, 1]);
    const staffView = await api.get(`/api/cases/${reference}`, officer);
    const decisions = staffView.body.audit.filter(
      (entry: { what: string }) => entry.what === 'threshold-decision',
    );
    expect(decisions).toHaveLength(1);
  });

  it('let only one of two different decisions take effect; the other is a 409', async () => {
    // Prepare
    const officer = { token: await service.token({ role: 'officer', csp: 'wirral', name: 'W Officer' }) };
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'wirral' }));
    await api.waitForStage(reference, { accessCode }, 'awaiting-threshold-decision');
    // Act
    const [met, notMet] = await Promise.all([
      api.post(
        `/api/cases/${reference}/threshold-decision`,
        { met: true, route: 'A', reason: 'Met.' },
        officer,
      ),
      api.post(`/api/cases/${reference}/threshold-decision`, { met: false, reason: 'Not met.' }, officer),
    ]);
    // Assess
    expect([met?.status, notMet?.status].sort()).toEqual([200, 409]);
    const winner = met?.status === 200 ? 'awaiting-review' : 'threshold-not-met';
    await api.waitForStage(reference, { accessCode }, winner);
    const loser = met?.status === 200 ? notMet : met;
    expect(loser?.body).toMatchObject({ error: 'conflict' });
  });

  it('never answers 200 to a decision racing a withdrawal that then goes unapplied', async () => {
    // Prepare
    const officer = { token: await service.token({ role: 'officer', csp: 'wirral', name: 'W Officer' }) };
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'wirral' }));
    await api.waitForStage(reference, { accessCode }, 'awaiting-threshold-decision');

    // Act
    const [decision, withdrawal] = await Promise.all([
      api.post(
        `/api/cases/${reference}/threshold-decision`,
        { met: true, route: 'A', reason: 'Met.' },
        officer,
      ),
      api.post(`/api/cases/${reference}/withdraw`, { reason: 'It has stopped.' }, { accessCode }),
    ]);
    const after = await api.post(
      `/api/cases/${reference}/threshold-decision`,
      { met: false, reason: 'Not met.' },
      officer,
    );

    // Assess: the withdrawal stands; the decision took effect before it, or was refused
    expect(withdrawal.status).toBe(200);
    expect([200, 409]).toContain(decision.status);
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ error: 'conflict' });
    await api.waitForStage(reference, { accessCode }, 'closed');
    const closed = (await api.get(`/api/cases/${reference}`, officer)).body;
    expect(closed.closure).toMatchObject({ reason: 'withdrawn' });
    expect(closed.thresholdDecision === null).toBe(decision.status === 409);
  });

  it('repeats a decision after it took effect as a 200 that changes nothing, and refuses another body', async () => {
    const officer = { token: await service.token({ role: 'officer', csp: 'wirral', name: 'W Officer' }) };
    const { reference, accessCode } = await api.submit(applicationBody({ csp: 'wirral' }));
    await api.waitForStage(reference, { accessCode }, 'awaiting-threshold-decision');
    const decision = { met: true, route: 'A', reason: 'Three incidents.' };
    await api.act(reference, 'threshold-decision', decision, officer);
    // A retry before the workflow has moved the case answers as the first request did.
    const early = await api.post(`/api/cases/${reference}/threshold-decision`, decision, officer);
    await api.waitForStage(reference, { accessCode }, 'awaiting-review');

    const repeat = await api.post(`/api/cases/${reference}/threshold-decision`, decision, officer);
    const different = await api.post(
      `/api/cases/${reference}/threshold-decision`,
      { ...decision, route: 'B' },
      officer,
    );

    expect(early.body).toMatchObject({ changed: false, stage: 'awaiting-review' });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ changed: false, stage: 'awaiting-review' });
    expect(different.status).toBe(409);
    expect(different.body).toMatchObject({ error: 'conflict', stage: 'awaiting-review' });
  });
});

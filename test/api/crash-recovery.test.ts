// A SIGKILL of the whole service while cases wait at every human step, with decisions and submissions
// in flight: after a restart on the same data every case is still there, every case completes, and the
// counters are exact. Its tables stay in the run's DynamoDB Local, as DynamoDB outlives a crash of the
// functions and the workflow in AWS: the subject is what the service wrote and the workflow resumes.
// That `npm start`'s own DynamoDB Local keeps its data across a SIGKILL is test/local/start.test.ts's.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ukDateOf } from '#core/local-date.ts';
import { reportingYearOf } from '#core/reporting-year.ts';
import { ApiClient, type Credentials } from '#test/support/api-client.ts';
import { applicationBody } from '#test/support/applications.ts';
import { FINDINGS } from '#test/support/case-fixtures.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';
import { runRecount } from '#test/support/recount.ts';

let service: LocalService;
let api: ApiClient;
const year = reportingYearOf(new Date(), 'financial').label;
const today = ukDateOf(new Date());
const CSP = 'sefton';

beforeAll(async () => {
  service = await startLocalService();
  api = new ApiClient(service);
});

afterAll(async () => {
  await service?.stop();
});

interface Case {
  readonly reference: string;
  readonly accessCode: string;
}

async function submitted(count: number): Promise<Case[]> {
  const cases = await Promise.all(
    Array.from({ length: count }, () => api.submit(applicationBody({ csp: CSP }))),
  );
  await Promise.all(
    cases.map((c) =>
      api.waitForStage(c.reference, { accessCode: c.accessCode }, 'awaiting-threshold-decision'),
    ),
  );
  return cases;
}

describe('a SIGKILL while cases wait', { timeout: 600_000 }, () => {
  it('loses nothing: every case completes afterwards and the counts are exact', async () => {
    // Prepare: cases waiting at each human step.
    const officer: Credentials = {
      token: await service.token({ role: 'officer', csp: CSP, name: 'A Officer' }),
    };
    const pcc: Credentials = { token: await service.token({ role: 'pcc', name: 'PCC Office' }) };
    const atThreshold = await submitted(3);
    const atReview = await submitted(3);
    const atPcc = await submitted(2);
    for (const c of [...atReview, ...atPcc]) {
      await api.act(c.reference, 'threshold-decision', { met: true, route: 'A', reason: 'Met.' }, officer);
    }
    for (const c of atPcc) {
      await api.waitForStage(c.reference, { accessCode: c.accessCode }, 'awaiting-review');
      await api.act(
        c.reference,
        'review-outcome',
        { heldOn: today, summary: 'Reviewed.', findings: FINDINGS },
        officer,
      );
      await api.waitForStage(c.reference, { accessCode: c.accessCode }, 'review-complete');
      await api.act(c.reference, 'referral', { reason: 'Not satisfied.' }, { accessCode: c.accessCode });
    }
    await Promise.all([
      ...atReview.map((c) => api.waitForStage(c.reference, { accessCode: c.accessCode }, 'awaiting-review')),
      ...atPcc.map((c) =>
        api.waitForStage(c.reference, { accessCode: c.accessCode }, 'awaiting-pcc-decision'),
      ),
    ]);

    // Act: decisions and submissions in flight, then the whole service killed at once.
    const inFlight = [
      ...atThreshold.map((c) =>
        api.post(`/api/cases/${c.reference}/threshold-decision`, { met: false, reason: 'Not met.' }, officer),
      ),
      ...Array.from({ length: 4 }, () => api.post('/api/applications', applicationBody({ csp: CSP }))),
    ].map((request) => request.catch(() => undefined));
    await service.kill();
    const answered = await Promise.all(inFlight);
    await service.restart();

    // Assess: every case is still there, including any submission answered before the kill.
    const created = answered
      .filter((response) => response?.status === 201)
      .map((response) => response?.body as Case);
    for (const c of [...atThreshold, ...atReview, ...atPcc, ...created]) {
      expect((await api.get(`/api/cases/${c.reference}`, { accessCode: c.accessCode })).status).toBe(200);
    }

    // Act: complete every open case the officer's worklist shows (the worklist also starts the review
    // of any case stored just before the kill whose execution had not started).
    const seen = new Set([...atThreshold, ...atReview, ...atPcc, ...created].map((c) => c.reference));
    const deadline = Date.now() + 300_000;
    for (;;) {
      const open = (await api.get('/api/cases?limit=100', officer)).body.cases as {
        reference: string;
        stage: string;
      }[];
      if (open.length === 0) break;
      if (Date.now() > deadline) throw new Error(`Cases did not complete: ${JSON.stringify(open)}`);
      for (const entry of open) {
        seen.add(entry.reference);
        const path = `/api/cases/${entry.reference}`;
        if (entry.stage === 'awaiting-threshold-decision') {
          await api.post(`${path}/threshold-decision`, { met: false, reason: 'Not met.' }, officer);
        } else if (entry.stage === 'awaiting-review') {
          await api.post(
            `${path}/review-outcome`,
            { heldOn: today, summary: 'Reviewed.', findings: FINDINGS },
            officer,
          );
        } else if (entry.stage === 'awaiting-pcc-decision') {
          await api.post(`${path}/pcc-decision`, { outcome: 'review-stands', reason: 'Fine.' }, pcc);
        } else if (entry.stage === 'threshold-not-met' || entry.stage === 'review-complete') {
          await api.post(`${path}/withdraw`, { reason: 'Finished.' }, officer);
        }
      }
      await sleep(100);
    }

    // Assess: every case counted once as received; the ones decided "not met" (the three in flight and
    // every submission made around the kill), the five reviews and the two referrals; and a recount
    // agrees.
    const received = seen.size;
    expect(received).toBeGreaterThanOrEqual(8 + created.length);
    expect(await api.statistics(year)).toMatchObject({
      [CSP]: {
        applicationsReceived: received,
        thresholdNotMet: 3 + (received - 8),
        caseReviewsCarriedOut: 5,
        reviewsWithRecommendations: 0,
        referralsToPcc: 2,
      },
    });
    const recount = await runRecount(service, year);
    expect(recount.output).toContain('The counters equal the recount.');
    expect(recount.code).toBe(0);
  });
});

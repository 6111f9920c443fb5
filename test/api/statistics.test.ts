// The published table over HTTP, built by the workflow's counting as cases move: the 2015/16
// Merseyside rows (domain.md) from officer-entered, backdated applications, as JSON and CSV, equal to a
// recount of the cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, ukDateOf } from '#core/local-date.ts';
import { ApiClient, type Credentials } from '#test/support/api-client.ts';
import { applicationBody } from '#test/support/applications.ts';
import { FINDINGS } from '#test/support/case-fixtures.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';
import { runRecount } from '#test/support/recount.ts';

let service: LocalService;
let api: ApiClient;
const officers: Record<string, Credentials> = {};

beforeAll(async () => {
  service = await startLocalService();
  api = new ApiClient(service);
  for (const csp of ['knowsley', 'liverpool', 'sefton', 'st-helens', 'wirral']) {
    officers[csp] = { token: await service.token({ role: 'officer', csp, name: `${csp} officer` }) };
  }
});

afterAll(async () => {
  await service?.stop();
});

/** A letter received on 1 June (2015 unless said), entered by the CSP's officer, waiting for its threshold decision. */
async function backdated(csp: string, year = 2015): Promise<{ reference: string; accessCode: string }> {
  const body = {
    ...applicationBody({ csp, today: `${year}-05-31` }),
    channel: 'letter',
    receivedAt: `${year}-06-01T10:00:00Z`,
  };
  const submitted = await api.submit(body, officers[csp]);
  await api.waitForStage(submitted.reference, officers[csp] ?? {}, 'awaiting-threshold-decision');
  return submitted;
}

describe('the 2015/16 Merseyside table', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    // Sefton: 15 applications, 13 not met, 2 reviews without recommendations, 1 referred to the PCC.
    const sefton = await Promise.all(Array.from({ length: 15 }, () => backdated('sefton')));
    const notMet = sefton.slice(0, 13);
    const met = sefton.slice(13);
    await Promise.all(
      notMet.map((c) =>
        api.act(c.reference, 'threshold-decision', { met: false, reason: 'Not met.' }, officers.sefton ?? {}),
      ),
    );
    for (const c of met) {
      await api.act(
        c.reference,
        'threshold-decision',
        { met: true, route: 'A', reason: 'Met.' },
        officers.sefton ?? {},
      );
      await api.waitForStage(c.reference, officers.sefton ?? {}, 'awaiting-review');
      await api.act(
        c.reference,
        'review-outcome',
        { heldOn: '2015-07-01', summary: 'Reviewed.', findings: FINDINGS },
        officers.sefton ?? {},
      );
      await api.waitForStage(c.reference, officers.sefton ?? {}, 'review-complete');
    }
    const referred = met[0];
    if (referred === undefined) throw new Error('no met case');
    await api.act(
      referred.reference,
      'referral',
      { reason: 'Not satisfied.' },
      { accessCode: referred.accessCode },
    );
    await api.waitForStage(referred.reference, officers.sefton ?? {}, 'awaiting-pcc-decision');
    await Promise.all(
      notMet.map((c) => api.waitForStage(c.reference, officers.sefton ?? {}, 'threshold-not-met')),
    );

    // St Helens: 2 applications, both not met.
    const stHelens = await Promise.all([backdated('st-helens'), backdated('st-helens')]);
    for (const c of stHelens) {
      await api.act(
        c.reference,
        'threshold-decision',
        { met: false, reason: 'Not met.' },
        officers['st-helens'] ?? {},
      );
      await api.waitForStage(c.reference, officers['st-helens'] ?? {}, 'threshold-not-met');
    }

    // Knowsley and Liverpool return nil; every CSP with a return signs it off; Wirral makes none.
    for (const csp of ['knowsley', 'liverpool', 'sefton', 'st-helens']) {
      const response = await api.post('/api/statistics/returns', { year: '2015-16' }, officers[csp]);
      expect(response.status).toBe(200);
    }
  }, 600_000);

  it('publishes the rows, with not available for Wirral and the total', async () => {
    const response = await api.get('/api/statistics?year=2015-16');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      pccArea: 'merseyside',
      year: '2015-16',
      from: '2015-04-01',
      to: '2016-03-31',
    });
    const counts = (row: Record<string, unknown>) => [
      row.status,
      row.applicationsReceived,
      row.thresholdNotMet,
      row.caseReviewsCarriedOut,
      row.reviewsWithRecommendations,
      row.referralsToPcc,
    ];
    expect(
      Object.fromEntries(response.body.rows.map((row: Record<string, unknown>) => [row.name, counts(row)])),
    ).toEqual({
      Knowsley: ['confirmed', 0, 0, 0, 0, 0],
      Liverpool: ['confirmed', 0, 0, 0, 0, 0],
      Sefton: ['confirmed', 15, 13, 2, 0, 1],
      'St Helens': ['confirmed', 2, 2, 0, 0, 0],
      Wirral: ['not-available', null, null, null, null, null],
    });
    expect(response.body.rows.find((row: { csp: string }) => row.csp === 'wirral')).toMatchObject({
      available: false,
    });
    expect(response.body.total).toEqual({
      applicationsReceived: 17,
      thresholdNotMet: 15,
      caseReviewsCarriedOut: 2,
      reviewsWithRecommendations: 0,
      referralsToPcc: 1,
    });
  });

  it('publishes the same table as CSV', async () => {
    const response = await api.get('/api/statistics?year=2015-16&format=csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.text.split('\r\n')).toEqual([
      "CSP AREA,Community Trigger applications received,Times the threshold for review was not met,Case reviews carried out,Case reviews that resulted in recommendations being made,Referral to PCC's office",
      'Knowsley,0,0,0,0,0',
      'Liverpool,0,0,0,0,0',
      'Sefton,15,13,2,0,1',
      'St Helens,2,2,0,0,0',
      'Wirral,not available,not available,not available,not available,not available',
      'TOTAL,17,15,2,0,1',
      '',
    ]);
  });

  it('equals a recount of the cases, and lists the year', async () => {
    const recount = await runRecount(service, '2015-16');
    const years = await api.get('/api/statistics/years');
    expect(recount.output).toContain('The counters equal the recount.');
    expect(recount.code).toBe(0);
    expect(years.body.years).toContain('2015-16');
  });

  it('keeps counting a case in the year it was received, showing the change after sign-off', async () => {
    // Prepare: the referred Sefton case, referred back by the PCC and reviewed again with a recommendation.
    const pcc = { token: await service.token({ role: 'pcc', name: 'PCC Office' }) };
    const sefton = officers.sefton ?? {};
    const referred = (await api.get('/api/cases?stage=awaiting-pcc-decision', sefton)).body.cases[0]
      .reference;
    // Act
    await api.act(referred, 'pcc-decision', { outcome: 'refer-back', reason: 'Facts not considered.' }, pcc);
    await api.waitForStage(referred, sefton, 'awaiting-review');
    const today = ukDateOf(new Date());
    await api.act(
      referred,
      'review-outcome',
      {
        // A new review is held on or after the day of the refer-back (contract.md, review-outcome).
        heldOn: today,
        summary: 'Reviewed again.',
        findings: FINDINGS,
        recommendations: [{ action: 'Mediation', owner: 'council', dueBy: addDays(today, 30) }],
      },
      sefton,
    );
    await api.waitForStage(referred, sefton, 'action-plan-consultation');
    await api.act(
      referred,
      'action-plan',
      {
        recommendations: [{ action: 'Mediation', owner: 'council', dueBy: addDays(today, 30) }],
        changes: 'Nothing changed.',
      },
      sefton,
    );
    await api.waitForStage(referred, sefton, 'review-complete');
    const changed = (await api.statistics('2015-16')).sefton;
    const signedAgain = await api.post('/api/statistics/returns', { year: '2015-16' }, sefton);
    const recount = await runRecount(service, '2015-16');
    // Assess
    expect(changed).toMatchObject({
      status: 'confirmed',
      applicationsReceived: 15,
      caseReviewsCarriedOut: 2,
      reviewsWithRecommendations: 1,
      referralsToPcc: 1,
      changedAfterSignOff: true,
    });
    expect(signedAgain.body).toMatchObject({
      csp: 'sefton',
      reviewsWithRecommendations: 1,
      changedAfterSignOff: false,
    });
    expect(recount.code).toBe(0);
  });
});

describe('the in-progress figure', { timeout: 600_000 }, () => {
  it('counts applications withdrawn before either decision as cases move, equal to a recount', async () => {
    // Prepare: four Wirral letters of 2016-17: one withdrawn at once, one withdrawn after the threshold
    // was met (before a review), one withdrawn after "not met", one still waiting for its decision.
    const wirral = officers.wirral ?? {};
    const [atOnce, afterMet, afterNotMet] = await Promise.all(
      [1, 2, 3, 4].map(() => backdated('wirral', 2016)),
    );
    if (atOnce === undefined || afterMet === undefined || afterNotMet === undefined)
      throw new Error('no case');
    await api.act(
      afterMet.reference,
      'threshold-decision',
      { met: true, route: 'A', reason: 'Met.' },
      wirral,
    );
    await api.act(afterNotMet.reference, 'threshold-decision', { met: false, reason: 'Not met.' }, wirral);
    await api.waitForStage(afterMet.reference, wirral, 'awaiting-review');
    await api.waitForStage(afterNotMet.reference, wirral, 'threshold-not-met');

    // Act
    for (const { reference } of [atOnce, afterMet, afterNotMet]) {
      await api.act(reference, 'withdraw', { reason: 'Sorted out.' }, wirral);
      await api.waitForStage(reference, wirral, 'closed');
    }
    const published = await api.get('/api/statistics?year=2016-17');
    const csv = await api.get('/api/statistics?year=2016-17&format=csv');
    const page = await api.get('/statistics?year=2016-17');
    const recount = await runRecount(service, '2016-17');

    // Assess: received 4 − not met 1 − reviews 0 − withdrawn before either 2 = 1 in progress.
    expect(published.body.rows.find((row: { csp: string }) => row.csp === 'wirral')).toMatchObject({
      applicationsReceived: 4,
      thresholdNotMet: 1,
      caseReviewsCarriedOut: 0,
      inProgress: 1,
    });
    expect(published.body.totalInProgress).toBe(1);
    expect(csv.text.split('\r\n')).toEqual([
      "CSP AREA,Community Trigger applications received,Times the threshold for review was not met,Case reviews carried out,Case reviews that resulted in recommendations being made,Referral to PCC's office",
      'Knowsley,not available,not available,not available,not available,not available',
      'Liverpool,not available,not available,not available,not available,not available',
      'Sefton,not available,not available,not available,not available,not available',
      'St Helens,not available,not available,not available,not available,not available',
      'Wirral,4,1,0,0,0',
      'TOTAL,4,1,0,0,0',
      '',
    ]);
    expect(page.text).toMatch(/Wirral<\/th>\s*(<td[^>]*>\d+<\/td>\s*){5}<td[^>]*>1<\/td>/);
    // The trend across years reads the same counters: 2016-17's totals are Wirral's.
    expect(page.text.slice(page.text.indexOf('Trend across years'))).toMatch(
      /2016-17<\/th>\s*<td[^>]*>4<\/td>\s*<td[^>]*>1<\/td>\s*(<td[^>]*>0<\/td>\s*){3}<\/tr>/,
    );
    expect(recount.output).toMatch(/wirral\s+4\/4\s+1\/1\s+0\/0\s+0\/0\s+0\/0\s+2\/2/);
    expect(recount.code).toBe(0);
  });
});

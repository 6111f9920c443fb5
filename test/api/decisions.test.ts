// Decisions as the statute and the contract take them, against the running service (issue 8, "Decisions
// and repeats"): a repeat changes nothing in any review cycle, a review's date fits the case, a
// discretionary review is worded and counted as what it is, a route the check did not find is
// confirmed, a late-entered letter promises no past date, and annual returns are only for ended years
// of the scheme. The counters still equal a recount.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUkDate } from '#core/calendar-months.ts';
import { addDays, ukDateOf } from '#core/local-date.ts';
import { currentReportingYear, previousReportingYear, reportingYearOf } from '#core/reporting-year.ts';
import { ApiClient, type Credentials } from '#test/support/api-client.ts';
import { applicationBody } from '#test/support/applications.ts';
import { FINDINGS } from '#test/support/case-fixtures.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';
import { runRecount } from '#test/support/recount.ts';

let service: LocalService;
let api: ApiClient;
let officer: Credentials;
let pcc: Credentials;
const today = ukDateOf(new Date());
const year = reportingYearOf(new Date(), 'financial').label;

beforeAll(async () => {
  service = await startLocalService();
  api = new ApiClient(service);
  officer = { token: await service.token({ role: 'officer', csp: 'sefton', name: 'A Officer' }) };
  pcc = { token: await service.token({ role: 'pcc', name: 'The PCC Office' }) };
});

afterAll(async () => {
  await service?.stop();
});

const COLUMNS = [
  'applicationsReceived',
  'thresholdNotMet',
  'caseReviewsCarriedOut',
  'reviewsWithRecommendations',
  'referralsToPcc',
] as const;

async function counts(csp: string, label = year): Promise<number[]> {
  const row = (await api.statistics(label))[csp] ?? {};
  return COLUMNS.map((column) => Number(row[column] ?? 0));
}

const plus = (before: number[], delta: number[]) => before.map((value, index) => value + (delta[index] ?? 0));

interface OutboxMessage {
  readonly template: string;
  readonly body: string;
  readonly to: { readonly reference: string; readonly kind: string };
}

async function letters(reference: string): Promise<OutboxMessage[]> {
  const { body } = await api.get('/local/outbox');
  return (body.messages as OutboxMessage[]).filter((message) => message.to.reference === reference);
}

/** What a repeat must leave alone: the case's facts and timeline, its letters, the counts. */
async function footprint(reference: string, csp: string) {
  const { body } = await api.get(`/api/cases/${reference}`, officer);
  return {
    stage: body.stage,
    reviewOutcome: body.reviewOutcome,
    referral: body.referral,
    pccDecision: body.pccDecision,
    timeline: body.timeline.length,
    letters: (await letters(reference)).map((message) => message.template).sort(),
    counts: await counts(csp),
  };
}

/**
 * Waits until the workflow has taken the step that moved the case to `stage` and sent its letters: it
 * waits on `next` (or, closed, has sent the closing letter).
 */
async function settled(reference: string, stage: string, next: string | null) {
  const view = await api.waitForCase(
    reference,
    officer,
    (found) => found.stage === stage && found.waitingFor === next,
  );
  if (next === null) {
    for (
      let tries = 0;
      !(await letters(reference)).some((message) => message.template === 'case-closed');
      tries++
    ) {
      if (tries > 600) throw new Error(`no closing letter for ${reference}`);
      await sleep(100);
    }
  }
  return view;
}

async function submitted(body: Record<string, unknown>, by?: Credentials) {
  const { reference, accessCode } = await api.submit(body, by);
  await api.waitForStage(reference, { accessCode }, 'awaiting-threshold-decision');
  return { reference, applicant: { accessCode } };
}

describe('a repeated decision', { timeout: 300_000 }, () => {
  it('changes nothing in the first review cycle and after a refer-back, and a different body is 409 naming the stage', async () => {
    // Prepare: a case reviewed, referred and referred back (cycle 2).
    const before = await counts('sefton');
    const { reference, applicant } = await submitted(applicationBody({ csp: 'sefton' }));
    const met = { met: true, route: 'A', reason: 'Three separate incidents reported.' };
    const review = {
      heldOn: today,
      summary: 'The partners found the response adequate.',
      findings: FINDINGS,
    };
    const referral = { reason: 'My evidence was not considered.' };
    const referBack = { outcome: 'refer-back', reason: 'Relevant facts were not considered.' };
    const repeat = async (action: string, body: unknown, by: Credentials) => {
      const response = await api.post(`/api/cases/${reference}/${action}`, body, by);
      return { status: response.status, changed: response.body.changed, error: response.body.error };
    };
    const different = async (action: string, body: unknown, by: Credentials, stage: string) => {
      const response = await api.post(`/api/cases/${reference}/${action}`, body, by);
      expect(response.status, `${action} with another body`).toBe(409);
      expect(response.body).toMatchObject({ error: 'conflict', stage });
      expect(response.body.message).toContain(stage);
    };
    await api.act(reference, 'threshold-decision', met, officer);
    await settled(reference, 'awaiting-review', 'review-outcome');
    const cycleOneThreshold = await footprint(reference, 'sefton');
    const thresholdRepeat = await repeat('threshold-decision', met, officer);
    await different(
      'threshold-decision',
      { met: false, reason: 'Changed my mind.' },
      officer,
      'awaiting-review',
    );
    await api.act(reference, 'review-outcome', review, officer);
    await settled(reference, 'review-complete', 'referral');
    const cycleOneReview = await footprint(reference, 'sefton');
    const reviewRepeat = await repeat('review-outcome', review, officer);
    await different('review-outcome', { ...review, summary: 'Another outcome.' }, officer, 'review-complete');
    await api.act(reference, 'referral', referral, applicant);
    await settled(reference, 'awaiting-pcc-decision', 'pcc-decision');
    const referralRepeat = await repeat('referral', referral, applicant);
    await different('referral', { reason: 'Another reason.' }, applicant, 'awaiting-pcc-decision');
    await api.act(reference, 'pcc-decision', referBack, pcc);
    const referredBack = await settled(reference, 'awaiting-review', 'review-outcome');
    const afterReferBack = await footprint(reference, 'sefton');

    // Act: every action of cycle 1 sent again in cycle 2.
    const cycleTwoRepeats = {
      threshold: await repeat('threshold-decision', met, officer),
      review: await repeat('review-outcome', review, officer),
      referral: await repeat('referral', referral, applicant),
      pcc: await repeat('pcc-decision', referBack, pcc),
    };
    const afterRepeats = await footprint(reference, 'sefton');
    await different(
      'pcc-decision',
      { outcome: 'review-stands', reason: 'It stands.' },
      pcc,
      'awaiting-review',
    );
    await different('referral', { reason: 'Another reason.' }, applicant, 'awaiting-review');

    // Act: cycle 2 runs to its end, each of its actions repeated too.
    const secondReview = {
      heldOn: today,
      summary: 'A new review with fresh eyes.',
      findings: FINDINGS,
      recommendations: [],
    };
    await api.act(reference, 'review-outcome', secondReview, officer);
    await settled(reference, 'review-complete', 'referral');
    const cycleTwoReview = await footprint(reference, 'sefton');
    const secondReviewRepeat = await repeat('review-outcome', secondReview, officer);
    await different(
      'review-outcome',
      { ...secondReview, summary: 'Yet another.' },
      officer,
      'review-complete',
    );
    const secondReferral = { reason: 'The new review ignored the night-time noise.' };
    await api.act(reference, 'referral', secondReferral, applicant);
    await settled(reference, 'awaiting-pcc-decision', 'pcc-decision');
    const secondReferralRepeat = await repeat('referral', secondReferral, applicant);
    const stands = { outcome: 'review-stands', reason: 'Due process was followed.' };
    await api.act(reference, 'pcc-decision', stands, pcc);
    await settled(reference, 'closed', null);
    const closed = await footprint(reference, 'sefton');
    const standsRepeat = await repeat('pcc-decision', stands, pcc);
    await different('pcc-decision', referBack, pcc, 'closed');

    // Assess: every repeat was a 200 that changed nothing.
    for (const result of [
      thresholdRepeat,
      reviewRepeat,
      referralRepeat,
      ...Object.values(cycleTwoRepeats),
      secondReviewRepeat,
      secondReferralRepeat,
      standsRepeat,
    ]) {
      expect(result).toEqual({ status: 200, changed: false, error: undefined });
    }
    expect(await footprint(reference, 'sefton')).toEqual(closed);
    expect(afterRepeats).toEqual(afterReferBack);
    expect(referredBack.reviewOutcome).toMatchObject({ summary: review.summary });
    expect(cycleOneThreshold.letters).toContain('threshold-met');
    expect(cycleOneReview.letters.filter((template) => template === 'review-outcome')).toHaveLength(1);
    expect(cycleTwoReview.letters.filter((template) => template === 'review-outcome')).toHaveLength(2);
    expect(closed.letters.filter((template) => template === 'pcc-decision')).toHaveLength(2);
    // Each application counts once per column, however many cycles and repeats.
    expect(closed.counts).toEqual(plus(before, [1, 0, 1, 0, 1]));
  });
});

describe('the date a review was held', { timeout: 300_000 }, () => {
  it('is refused before the application was received, before the last refer-back and in the future', async () => {
    // Prepare: a letter received on 1 June 2015, entered now, reviewed on 1 July 2015 and referred back.
    const body = {
      ...applicationBody({ csp: 'sefton', today: '2015-05-31' }),
      channel: 'letter',
      receivedAt: '2015-06-01T10:00:00Z',
    };
    const { reference, applicant } = await submitted(body, officer);
    await api.act(reference, 'threshold-decision', { met: true, route: 'A', reason: 'Met.' }, officer);
    await api.waitForStage(reference, applicant, 'awaiting-review');

    // Act
    const beforeReceipt = await api.post(
      `/api/cases/${reference}/review-outcome`,
      { heldOn: '2015-05-31', summary: 'Held before the application existed.', findings: FINDINGS },
      officer,
    );
    const inFuture = await api.post(
      `/api/cases/${reference}/review-outcome`,
      { heldOn: addDays(today, 1), summary: 'Not held yet.', findings: FINDINGS },
      officer,
    );
    await api.act(
      reference,
      'review-outcome',
      { heldOn: '2015-07-01', summary: 'Reviewed.', findings: FINDINGS },
      officer,
    );
    await api.waitForStage(reference, applicant, 'review-complete');
    await api.act(reference, 'referral', { reason: 'Not considered.' }, applicant);
    await api.waitForStage(reference, applicant, 'awaiting-pcc-decision');
    await api.act(reference, 'pcc-decision', { outcome: 'refer-back', reason: 'Look again.' }, pcc);
    await api.waitForCase(
      reference,
      applicant,
      (view) => view.stage === 'awaiting-review' && view.pccDecision !== null,
    );
    const beforeReferBack = await api.post(
      `/api/cases/${reference}/review-outcome`,
      { heldOn: '2015-08-01', summary: 'A new review, dated before the refer-back.', findings: FINDINGS },
      officer,
    );
    const view = (await api.get(`/api/cases/${reference}`, applicant)).body;

    // Assess
    expect(beforeReceipt.status).toBe(400);
    expect(beforeReceipt.body.issues).toEqual([
      {
        path: 'heldOn',
        message:
          'The date the review was held must be on or after 1 June 2015, when the application was received',
      },
    ]);
    expect(inFuture.status).toBe(400);
    expect(inFuture.body.issues[0]).toMatchObject({ path: 'heldOn' });
    expect(beforeReferBack.status).toBe(400);
    expect(beforeReferBack.body.issues[0]).toMatchObject({
      path: 'heldOn',
      message: expect.stringContaining('referred the case back for a new review'),
    });
    expect(view.stage).toBe('awaiting-review');
    expect(view.reviewOutcome).toMatchObject({ heldOn: '2015-07-01' });
  });
});

describe('the threshold decision', { timeout: 300_000 }, () => {
  it('takes a discretionary review where no route is met, words it as such and counts it as met', async () => {
    // Prepare
    const before = await counts('sefton');
    const { reference, applicant } = await submitted(applicationBody({ csp: 'sefton', incidents: 1 }));

    // Act
    await api.act(
      reference,
      'threshold-decision',
      { met: true, route: 'discretionary', reason: 'The harm to a vulnerable victim is serious.' },
      officer,
    );
    await api.waitForStage(reference, applicant, 'awaiting-review');
    await api.act(
      reference,
      'review-outcome',
      { heldOn: today, summary: 'Reviewed.', findings: FINDINGS },
      officer,
    );
    const reviewed = await api.waitForStage(reference, applicant, 'review-complete');

    // Assess
    expect(reviewed.thresholdAssessment).toMatchObject({ met: false });
    expect(reviewed.thresholdDecision).toMatchObject({ met: true, route: 'discretionary' });
    const letter = (await letters(reference)).find((message) => message.template === 'threshold-met');
    expect(letter?.body).toContain(
      'Your reports did not meet the usual rule for a case review, but the partners have decided to hold a case review because',
    );
    const timeline = (reviewed.timeline as { type: string; summary: string }[]).find(
      (event) => event.type === 'threshold-decision',
    );
    expect(timeline?.summary).toContain('did not meet the usual rule');
    expect(await counts('sefton')).toEqual(plus(before, [1, 0, 1, 0, 0]));
  });

  it('needs confirmed for a route the check did not find, or discretion where it found one', async () => {
    // Prepare: three incidents, none a hate incident: the check finds route A only.
    const { reference, applicant } = await submitted(applicationBody({ csp: 'sefton' }));
    const path = `/api/cases/${reference}/threshold-decision`;

    // Act
    const routeC = await api.post(
      path,
      { met: true, route: 'C', reason: 'Hate incident by phone.' },
      officer,
    );
    const discretion = await api.post(path, { met: true, route: 'discretionary', reason: 'Harm.' }, officer);
    const stillWaiting = (await api.get(`/api/cases/${reference}`, officer)).body;
    const confirmed = await api.post(
      path,
      { met: true, route: 'C', reason: 'Hate incident by phone.', confirmed: true },
      officer,
    );
    const decided = await api.waitForStage(reference, applicant, 'awaiting-review');

    // Assess
    expect(routeC.status).toBe(400);
    expect(routeC.body.issues).toEqual([
      {
        path: 'confirmed',
        message:
          'The check did not find the threshold met by route C. Confirm that you have checked the application and want to record route C',
      },
    ]);
    expect(discretion.status).toBe(400);
    expect(discretion.body.issues[0]).toMatchObject({ path: 'confirmed' });
    expect(stillWaiting).toMatchObject({ stage: 'awaiting-threshold-decision', thresholdDecision: null });
    expect(stillWaiting.thresholdAssessment.routesMet).toEqual(['A']);
    expect(confirmed.status).toBe(200);
    expect(decided.thresholdDecision).toMatchObject({ met: true, route: 'C' });
  });
});

describe('an application entered after its threshold decision was due', { timeout: 300_000 }, () => {
  it('shows as overdue from receipt, promises no past date and says when it was received and entered', async () => {
    // Prepare
    const body = {
      ...applicationBody({ csp: 'sefton', today: '2015-05-31' }),
      channel: 'phone',
      receivedAt: '2015-06-01T10:00:00Z',
    };

    // Act
    const { reference } = await submitted(body, officer);
    const view = (await api.get(`/api/cases/${reference}`, officer)).body;
    const worklist = (await api.get('/api/cases?stage=awaiting-threshold-decision', officer)).body;
    const sent = await letters(reference);

    // Assess
    expect(view.deadlines).toMatchObject({ thresholdDecision: '2015-06-15T22:59:59.999Z' });
    expect(view.overdue).toBe(true);
    expect(worklist.cases.find((item: { reference: string }) => item.reference === reference)).toMatchObject({
      overdue: true,
    });
    expect(view.timeline[0].summary).toBe(
      `Application received by phone on 1 June 2015 and entered by the council on ${formatUkDate(today)}`,
    );
    const acknowledgement = sent.find((message) => message.template === 'application-acknowledged');
    expect(acknowledgement?.body).toContain('We received your application on 1 June 2015');
    expect(acknowledgement?.body).toContain('as soon as possible and by');
    expect(acknowledgement?.body).not.toContain('15 June 2015');
  });
});

describe('annual returns', () => {
  it.each(['1900-01', '2013-14'])(
    'refuses %s, before the scheme began, with 409 and publishes nothing',
    async (label) => {
      // Act
      const refused = await api.post('/api/statistics/returns', { year: label }, officer);
      const published = await api.statistics(label);

      // Assess
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ error: 'conflict', message: expect.stringContaining('2014-15') });
      expect(published.sefton).toMatchObject({ status: 'not-available', applicationsReceived: null });
    },
  );

  it('refuses the year in progress with 409, and takes the last ended one', async () => {
    // Prepare
    const current = currentReportingYear(new Date(), 'financial');

    // Act
    const refused = await api.post('/api/statistics/returns', { year: current.label }, officer);
    const last = await api.post(
      '/api/statistics/returns',
      { year: previousReportingYear(current).label },
      officer,
    );

    // Assess
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('you can sign off its return once it has ended');
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ csp: 'sefton', status: 'confirmed' });
  });

  it('keeps the counters equal to a recount of the cases', async () => {
    for (const label of [year, '2015-16']) {
      const { code, output } = await runRecount(service, label);
      expect(output).toContain('The counters equal the recount.');
      expect(code).toBe(0);
    }
  });
});

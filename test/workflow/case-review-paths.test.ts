// Every path of a case through statemachines/case-review.asl.json on the local engine, with the real
// workflow handlers and DynamoDB Local: the stages the case goes through, the messages people get,
// and the counts, which always equal a recount of the cases.
import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases, searchCases } from '#cases/worklist.ts';
import { formatUkDate } from '#core/calendar-months.ts';
import type { StaffMember } from '#core/case-access.ts';
import type { DecisionBody, WaitStep } from '#core/case-record.ts';
import { addDays, endOfUkDay, ukDateOf } from '#core/local-date.ts';
import { workingDayDeadline } from '#core/working-days.ts';
import { changeLinks } from '#data/case-links.ts';
import { getCase, loadCaseView } from '#data/case-store.ts';
import { assessCase } from '#data/threshold-assessment.ts';
import { executionArnOf } from '#local/stepfunctions/names.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import {
  APPLICANT,
  AREA,
  decisions,
  NOT_CONSULTED,
  OFFICER,
  PCC,
  submit,
} from '#test/support/case-fixtures.ts';
import { CaseWorkflow } from '#test/support/case-workflow.ts';

const START = '2026-03-02T09:00:00.000Z';
const SECOND = 1000;
let tables: TestTables;
let workflow: CaseWorkflow;

beforeAll(async () => {
  tables = await startTestTables();
  workflow = await CaseWorkflow.open(tables, START);
});

afterAll(async () => {
  await workflow?.stop();
  await tables?.stop();
});

async function newCase(options: Parameters<typeof submit>[2] = {}) {
  const record = await submit(tables.data, workflow.clock.now(), options);
  await workflow.start(record.reference);
  return record.reference;
}

async function record(reference: string) {
  const found = await getCase(tables.data, reference);
  if (found === undefined) throw new Error(`no case ${reference}`);
  return found;
}

/** Moves the clock just past the deadline the case waits on now. */
async function passDeadline(reference: string): Promise<void> {
  const { nextDeadline } = await record(reference);
  await workflow.advanceTo(new Date(Date.parse(nextDeadline ?? '') + SECOND).toISOString());
}

const today = () => ukDateOf(workflow.clock.now());

/** Whether the case is on the staff member's `?overdue=true` worklist, every page read once. */
async function listedOverdue(reference: string, staff: StaffMember): Promise<boolean> {
  const context = { data: tables.data, area: AREA, clock: workflow.deps.clock };
  const listed: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCases(context, { kind: 'staff', staff }, { overdue: 'true', cursor });
    listed.push(...page.cases.map((item) => item.reference));
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
  expect(new Set(listed).size).toBe(listed.length);
  return listed.includes(reference);
}

/** The officer's final plan after the consultation: two actions, the police's due first. */
const finalPlan = (): DecisionBody => ({
  kind: 'action-plan',
  body: {
    recommendations: [
      { action: 'Install a noise monitor', owner: 'council', dueBy: addDays(today(), 60) },
      { action: 'Visit the victim', owner: 'police', dueBy: addDays(today(), 35) },
    ],
    changes: 'A visit was added after the victim asked for one.',
  },
});
/** The templates of the messages sent to one kind of recipient, sorted (several go out at one instant). */
const templates = async (reference: string, kind: string) =>
  (await workflow.messages(reference))
    .filter((message) => message.to.kind === kind)
    .map((message) => message.template)
    .sort();

describe('a case whose threshold is not met', () => {
  it('closes by itself when the referral window ends, counted as received and not met', async () => {
    // Prepare
    const reference = await newCase();
    const waiting = await workflow.stage(reference);

    // Act
    await workflow.decide(reference, decisions.notMet, OFFICER);
    const notMet = await record(reference);
    await passDeadline(reference);

    // Assess
    expect(waiting).toBe('awaiting-threshold-decision');
    expect(notMet.stage).toBe('threshold-not-met');
    expect(notMet.nextDeadline).toBe(notMet.deadlines.referralWindow);
    const closed = await record(reference);
    expect(closed.closure?.reason).toBe('threshold-not-met');
    expect(closed.counted).toEqual(['applicationsReceived', 'thresholdNotMet']);
    expect(closed.expiresAt).toBeGreaterThan(Date.parse(START) / 1000);
    expect((await workflow.execution(reference)).status).toBe('SUCCEEDED');
    expect(await templates(reference, 'applicant')).toEqual([
      'application-acknowledged',
      'case-closed',
      'threshold-not-met',
    ]);
    const letter = (await workflow.messages(reference)).find(
      (message) => message.template === 'threshold-not-met',
    );
    expect(letter?.body).toContain(decisions.notMet.body.reason);
    expect(letter?.body).toMatch(/You need to ask by \d+ \w+ 2026/);
    expect(await templates(reference, 'officer')).toEqual(['new-case']);
    expect((await workflow.recount('2025-26')).differences).toBe(0);
  });

  it('is reviewed after the PCC refers it back, and then counts as a review, not as "not met"', async () => {
    // Prepare
    const reference = await newCase();
    await workflow.decide(reference, decisions.notMet, OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);

    // Act
    await workflow.decide(reference, decisions.referBack, PCC);
    const referredBack = await record(reference);
    await workflow.decide(reference, decisions.reviewWithout(today()), OFFICER);
    await passDeadline(reference);

    // Assess
    expect(referredBack).toMatchObject({ stage: 'awaiting-review', cycle: 2 });
    const closed = await record(reference);
    expect(closed.closure?.reason).toBe('review-complete');
    expect(closed.counted).toEqual(['applicationsReceived', 'caseReviewsCarriedOut', 'referralsToPcc']);
    expect(await templates(reference, 'officer')).toEqual(['new-case', 'referred-back']);
    expect((await workflow.recount('2025-26')).differences).toBe(0);
  });
});

describe('a case whose threshold is met', () => {
  it('is reviewed without recommendations and closes when the referral window ends', async () => {
    // Prepare
    const reference = await newCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    const inReview = await record(reference);

    // Act
    await workflow.decide(reference, decisions.reviewWithout(today()), OFFICER);
    const reviewed = await record(reference);
    await passDeadline(reference);

    // Assess
    expect(inReview).toMatchObject({
      stage: 'awaiting-review',
      sharedWith: [],
    });
    expect(reviewed.stage).toBe('review-complete');
    const closed = await record(reference);
    expect(closed.closure?.reason).toBe('review-complete');
    expect(closed.counted).toEqual(['applicationsReceived', 'caseReviewsCarriedOut']);
    expect(await templates(reference, 'applicant')).toEqual([
      'application-acknowledged',
      'case-closed',
      'review-outcome',
      'threshold-met',
    ]);
    expect((await workflow.recount('2025-26')).differences).toBe(0);
  });

  it('is reviewed with recommendations, referred to the PCC, and closes when the review stands', async () => {
    // Prepare: the plan's action is done (with one open, the case would wait for it: below).
    const reference = await newCase({ involvement: NOT_CONSULTED });
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    await workflow.finishActions(reference);

    // Act
    await workflow.decide(reference, decisions.referral, APPLICANT);
    const referred = await record(reference);
    await workflow.decide(reference, decisions.stands, PCC);

    // Assess
    expect(referred.stage).toBe('awaiting-pcc-decision');
    const closed = await record(reference);
    expect(closed.closure?.reason).toBe('pcc-decided');
    expect(closed.pccDecision?.outcome).toBe('review-stands');
    expect(closed.counted).toEqual([
      'applicationsReceived',
      'caseReviewsCarriedOut',
      'reviewsWithRecommendations',
      'referralsToPcc',
    ]);
    expect(await templates(reference, 'pcc')).toEqual(['new-referral']);
    const outcome = (await workflow.messages(reference)).find(
      (message) => message.template === 'review-outcome',
    );
    expect(outcome?.body).toContain('Install a noise monitor');
    expect((await workflow.execution(reference)).status).toBe('SUCCEEDED');
    expect((await workflow.recount('2025-26')).differences).toBe(0);
  });

  it('is reviewed a second time after a PCC refer-back, and each column counts it once', async () => {
    // Prepare
    const reference = await newCase({ involvement: NOT_CONSULTED });
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);

    // Act
    await workflow.decide(reference, decisions.referBack, PCC);
    const secondReview = await record(reference);
    await workflow.decide(reference, decisions.reviewWithout(today()), OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);
    await workflow.decide(reference, decisions.stands, PCC);

    // Assess
    expect(secondReview).toMatchObject({ stage: 'awaiting-review', cycle: 2 });
    expect(secondReview.deadlines.reviewOutcome).not.toBe(secondReview.deadlines.thresholdDecision);
    const closed = await record(reference);
    expect(closed.closure?.reason).toBe('pcc-decided');
    expect(closed.history.reviews).toHaveLength(2);
    expect(closed.history.referrals).toHaveLength(2);
    expect(closed.counted).toEqual([
      'applicationsReceived',
      'caseReviewsCarriedOut',
      'reviewsWithRecommendations',
      'referralsToPcc',
    ]);
    expect((await workflow.recount('2025-26')).differences).toBe(0);
  });
});

describe('a case whose victim is consulted on the action plan', () => {
  it('waits for the final plan, reminds the officer after the respond-by day, and counts the plan once final', async () => {
    // Prepare
    const reference = await newCase();
    await workflow.decide(reference, decisions.met, OFFICER);

    // Act
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    const consulting = await record(reference);
    const draft = (await loadCaseView(tables.data, reference))?.review.state.plans[0];
    await passDeadline(reference);
    const reminded = await templates(reference, 'officer');
    await workflow.decide(
      reference,
      {
        kind: 'action-plan',
        body: {
          recommendations: [
            { action: 'Install a noise monitor', owner: 'council', dueBy: addDays(today(), 30) },
            { action: 'Visit the neighbour', owner: 'housing-provider', dueBy: addDays(today(), 20) },
          ],
          changes: 'A visit was added after the victim asked for one.',
        },
      },
      OFFICER,
    );
    const final = await record(reference);
    const finalPlan = (await loadCaseView(tables.data, reference))?.review.state.plans[0];

    // Assess
    expect(consulting.stage).toBe('action-plan-consultation');
    expect(consulting.waitingFor).toBe('action-plan');
    expect(consulting.nextDeadline).toBe(consulting.deadlines.consultation);
    expect(consulting.deadlines.referralWindow).toBeUndefined();
    expect(consulting.counted).toEqual(['applicationsReceived', 'caseReviewsCarriedOut']);
    expect(draft).toMatchObject({ status: 'draft', actions: [{ id: '1-1', owner: 'council' }] });
    expect(reminded).toEqual(['decision-reminder', 'new-case']);
    const reminder = (await workflow.messages(reference)).find(
      (message) => message.template === 'decision-reminder',
    );
    expect(reminder?.subject).toContain('finalise the action plan');
    expect(reminder?.body).toContain('without an answer from them');
    const draftLetter = (await workflow.messages(reference)).find(
      (message) => message.template === 'draft-action-plan',
    );
    expect(draftLetter?.body).toContain(formatUkDate(draft?.respondBy ?? ''));
    expect(draftLetter?.body).toMatch(/contact .*: phone [0-9 ]+/);
    expect(final.stage).toBe('review-complete');
    expect(final.nextDeadline).toBe(final.deadlines.referralWindow);
    expect(final.sharedWith).toEqual(expect.arrayContaining(['council', 'housing-provider']));
    expect(final.counted).toEqual([
      'applicationsReceived',
      'caseReviewsCarriedOut',
      'reviewsWithRecommendations',
    ]);
    expect(finalPlan).toMatchObject({
      status: 'final',
      changes: 'A visit was added after the victim asked for one.',
      actions: [
        { id: '1-1', status: 'open' },
        { id: '1-2', owner: 'housing-provider', status: 'open' },
      ],
    });
    expect(await templates(reference, 'applicant')).toEqual([
      'application-acknowledged',
      'draft-action-plan',
      'final-action-plan',
      'threshold-met',
    ]);
    expect((await workflow.recount('2025-26')).differences).toBe(0);
  });
});

describe('withdrawal', () => {
  const journeys: Record<WaitStep, (reference: string) => Promise<void>> = {
    'threshold-decision': async () => undefined,
    'review-outcome': async (reference) => {
      await workflow.decide(reference, decisions.met, OFFICER);
    },
    'action-plan': async (reference) => {
      await workflow.decide(reference, decisions.met, OFFICER);
      await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    },
    referral: async (reference) => {
      await workflow.decide(reference, decisions.notMet, OFFICER);
    },
    'pcc-decision': async (reference) => {
      await workflow.decide(reference, decisions.notMet, OFFICER);
      await workflow.decide(reference, decisions.referral, APPLICANT);
    },
    'actions-finished': async (reference) => {
      await workflow.decide(reference, decisions.met, OFFICER);
      await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
      await workflow.decide(reference, finalPlan(), OFFICER);
      await passDeadline(reference);
    },
  };
  const counted: Record<WaitStep, string[]> = {
    'threshold-decision': ['applicationsReceived', 'withdrawnBeforeEither'],
    'review-outcome': ['applicationsReceived', 'withdrawnBeforeEither'],
    'action-plan': ['applicationsReceived', 'caseReviewsCarriedOut'],
    referral: ['applicationsReceived', 'thresholdNotMet'],
    'pcc-decision': ['applicationsReceived', 'thresholdNotMet', 'referralsToPcc'],
    'actions-finished': ['applicationsReceived', 'caseReviewsCarriedOut', 'reviewsWithRecommendations'],
  };

  it.each(Object.keys(journeys) as WaitStep[])(
    'ends the wait for the %s cleanly, and keeps the counts the case had reached',
    async (step) => {
      // Prepare
      const reference = await newCase();
      await journeys[step](reference);
      const waitingFor = (await record(reference)).waitingFor;

      // Act
      const result = await workflow.decide(reference, decisions.withdraw, APPLICANT);

      // Assess
      expect(result.outcome).toBe('recorded');
      expect(waitingFor).toBe(step);
      const closed = await record(reference);
      expect(closed.closure?.reason).toBe('withdrawn');
      expect(closed.counted).toEqual(counted[step]);
      expect((await workflow.execution(reference)).status).toBe('SUCCEEDED');
      expect(await templates(reference, 'officer')).toContain('case-withdrawn');
      expect((await workflow.recount('2025-26')).differences).toBe(0);
    },
  );

  it('keeps the reason and a fear of reprisal, and tells the officer both', async () => {
    // Prepare
    const reference = await newCase();
    const body = { reason: 'The neighbours threatened me.', fearOfReprisal: true };

    // Act
    await workflow.decide(reference, { kind: 'withdraw', body }, APPLICANT);

    // Assess
    expect((await record(reference)).withdrawal).toEqual({ ...body, at: expect.any(String), by: APPLICANT });
    const [message] = (await workflow.messages(reference)).filter(
      (sent) => sent.template === 'case-withdrawn',
    );
    expect(message?.body).toContain('Their reason: The neighbours threatened me.');
    expect(message?.body).toContain('they fear reprisal');
  });

  it('tells the officer of a withdrawal without a reason that none was given', async () => {
    // Prepare
    const reference = await newCase();

    // Act
    await workflow.decide(reference, { kind: 'withdraw', body: {} }, APPLICANT);

    // Assess
    expect((await record(reference)).withdrawal).toMatchObject({ fearOfReprisal: false });
    const [message] = (await workflow.messages(reference)).filter(
      (sent) => sent.template === 'case-withdrawn',
    );
    expect(message?.body).not.toContain('reason');
    expect(message?.body).not.toContain('reprisal');
  });
});

describe('deadlines', () => {
  it('reminds the officer, then tells their manager, and the case still completes', async () => {
    // Prepare
    const reference = await newCase();
    const due = (await record(reference)).deadlines.thresholdDecision;

    // Act
    await passDeadline(reference);
    const afterFirst = await templates(reference, 'manager');
    await workflow.advance(7 * 24 * 60 * 60 * SECOND);
    await workflow.decide(reference, decisions.met, OFFICER);

    // Assess
    expect(afterFirst).toEqual([]);
    expect(await templates(reference, 'officer')).toEqual([
      'decision-reminder',
      'decision-reminder',
      'new-case',
    ]);
    const escalation = (await workflow.messages(reference)).find((message) => message.to.kind === 'manager');
    expect(escalation?.template).toBe('overdue-escalation');
    expect(escalation?.body).toContain(`was due by ${formatUkDate(ukDateOf(due ?? ''))}`);
    expect(await workflow.stage(reference)).toBe('awaiting-review');
    const view = await loadCaseView(tables.data, reference);
    const reminders = view?.timeline.filter((event) => event.type === 'reminder') ?? [];
    expect(reminders).toHaveLength(2);
    expect(reminders.every((event) => event.audience === 'staff')).toBe(true);
  });

  it("reminds the PCC's office of an overdue referral decision", async () => {
    // Prepare
    const reference = await newCase();
    await workflow.decide(reference, decisions.notMet, OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);

    // Act
    await passDeadline(reference);
    await workflow.decide(reference, decisions.stands, PCC);

    // Assess
    expect(await templates(reference, 'pcc')).toEqual(['decision-reminder', 'new-referral']);
    expect((await record(reference)).closure?.reason).toBe('pcc-decided');
  });
});

describe('linked applications (route B)', () => {
  it('links nothing by itself; once an officer links five households, each case meets route B', async () => {
    // Prepare
    const households: string[] = [];
    for (const house of [1, 2, 3, 4, 5]) {
      households.push(
        await newCase({
          csp: 'liverpool',
          postcode: `L8 ${house}AA`,
          address: `${house} Park Road`,
          incidentDaysBefore: [5],
        }),
      );
    }
    const [fifth = '', ...earlier] = households.toReversed();
    const alone = await record(fifth);

    // Act: what POST /api/cases/{ref}/links does.
    const linked = await changeLinks(tables.data, {
      reference: fifth,
      csp: 'liverpool',
      add: earlier,
      remove: [],
      reason: 'The same group of youths on motorbikes.',
      actor: OFFICER,
      now: workflow.clock.now(),
      maxMembers: 30,
      expiresAt: new Map(),
    });
    for (const reference of linked.affected)
      await assessCase(tables.data, AREA, reference, workflow.clock.now());
    await workflow.decide(
      fifth,
      { kind: 'threshold-decision', body: { met: true, route: 'B', reason: 'Five households.' } },
      OFFICER,
    );

    // Assess
    expect(alone.thresholdAssessment).toMatchObject({ met: false, route: null, linkedReferences: [] });
    for (const reference of households) {
      const assessed = await record(reference);
      expect(assessed.thresholdAssessment).toMatchObject({ met: true, route: 'B' });
      expect([...(assessed.thresholdAssessment?.linkedReferences ?? [])].sort()).toEqual(
        households.filter((other) => other !== reference).sort(),
      );
    }
    expect((await record(fifth)).stage).toBe('awaiting-review');
  });
});

describe('a backdated case', () => {
  it('received by letter in 2015 flows through the same way and counts in 2015-16', async () => {
    // Prepare
    const reference = await newCase({ csp: 'st-helens', receivedAt: '2015-06-01T10:00:00Z' });
    const received = await record(reference);

    // Act
    await workflow.advance(5 * SECOND);
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithout(today()), OFFICER);
    await passDeadline(reference);

    // Assess
    expect(received.thresholdAssessment?.met).toBe(true);
    expect(received.deadlines.thresholdDecision).toBe('2015-06-15T22:59:59.999Z');
    // Decided within the reminder interval after entry: no reminder (issue 8).
    expect(await templates(reference, 'officer')).toEqual(['new-case']);
    const closed = await record(reference);
    expect(closed.closure?.reason).toBe('review-complete');
    expect(closed.reportingYear).toBe('2015-16');
    const recount = await workflow.recount('2015-16');
    expect(recount.differences).toBe(0);
    expect(recount.rows.find((row) => row.csp === 'st-helens')?.stored).toMatchObject({
      applicationsReceived: 1,
      caseReviewsCarriedOut: 1,
    });
  });
});

describe('an application entered after its threshold decision was due', () => {
  it('stays overdue from receipt, promises no past date, and reminds one interval after entry, then every interval', async () => {
    // Prepare: a letter received on 1 June 2015, entered now.
    const enteredAt = workflow.clock.now();
    const firstReminder = workingDayDeadline(enteredAt, 2).getTime();
    const promised = formatUkDate(ukDateOf(workingDayDeadline(enteredAt, 10)));
    const reference = await newCase({ csp: 'sefton', receivedAt: '2015-06-01T10:00:00Z' });
    const reminders = async () =>
      (await workflow.messages(reference)).filter((message) => message.template === 'decision-reminder');

    // Act
    const atEntry = await reminders();
    await workflow.advanceTo(new Date(firstReminder - 60 * SECOND).toISOString());
    const beforeInterval = await reminders();
    await workflow.advanceTo(new Date(firstReminder + SECOND).toISOString());
    const afterInterval = await reminders();
    await workflow.advanceTo(workingDayDeadline(new Date(firstReminder + SECOND), 2).toISOString());
    await workflow.advance(SECOND);
    const later = await reminders();

    // Assess
    const received = await record(reference);
    expect(received.deadlines.thresholdDecision).toBe('2015-06-15T22:59:59.999Z');
    expect(received.nextDeadline).toBe('2015-06-15T22:59:59.999Z');
    const messages = await workflow.messages(reference);
    const acknowledgement = messages.find((message) => message.template === 'application-acknowledged');
    expect(acknowledgement?.body).toContain('We received your application on 1 June 2015');
    expect(acknowledgement?.body).toContain(`as soon as possible and by ${promised} at the latest`);
    expect(acknowledgement?.body).not.toContain('15 June 2015');
    const newCaseMessage = messages.find((message) => message.template === 'new-case');
    expect(newCaseMessage?.body).toContain('was due by 15 June 2015 and is already overdue');
    expect([atEntry.length, beforeInterval.length, afterInterval.length, later.length]).toEqual([0, 0, 1, 2]);
    expect(afterInterval[0]?.body).toContain('was due by 15 June 2015');
    expect(await templates(reference, 'manager')).toEqual(['overdue-escalation']);
    const view = await loadCaseView(tables.data, reference);
    expect(view?.timeline[0]?.summary).toBe(
      `Application received by letter on 1 June 2015 and entered by the council on ${formatUkDate(ukDateOf(enteredAt))}`,
    );
    expect(view?.timeline[0]?.at).toBe(enteredAt.toISOString());
  });
});

describe('a case whose agencies are asked for information', () => {
  /** The messages of one template, by whom they went to (an agency by its name). */
  const sent = async (reference: string, template: string) =>
    (await workflow.messages(reference))
      .filter((message) => message.template === template)
      .map((message) => message.to.agency ?? message.to.kind)
      .sort();
  const justAfter = (instant: Date) => new Date(instant.getTime() + SECOND).toISOString();
  const message = 'What did you know of the behaviour, and what did you do?';

  it('reminds an agency that has not answered by its day, then the officer, each once though the step runs again, and never one that answered', async () => {
    // Prepare: asked while the wait for the review was armed for its own deadline, weeks ahead
    const reference = await newCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    const policeDue = addDays(today(), 3);
    const councilDue = addDays(today(), 7);
    await workflow.ask(reference, { agencies: ['police'], dueBy: policeDue, message });
    await workflow.ask(reference, { agencies: ['council'], dueBy: councilDue, message });
    await workflow.settle();
    // Each reminder step runs twice, as when Lambda loses its response and the state machine retries it.
    workflow.wrapHandlers((name, handler) =>
      name === 'Remind'
        ? async (event, context) => {
            await handler(event, context);
            return handler(event, context);
          }
        : handler,
    );

    // Act
    await workflow.advanceTo(justAfter(endOfUkDay(policeDue)));
    const agencyFirst = await sent(reference, 'request-overdue');
    await workflow.respond(reference, { agency: 'council', summary: 'Two reports, both visited.' });
    await workflow.advanceTo(justAfter(workingDayDeadline(endOfUkDay(policeDue), 2)));
    const thenOfficer = await sent(reference, 'request-overdue');
    await workflow.advanceTo(justAfter(endOfUkDay(addDays(councilDue, 7))));

    // Assess
    expect(agencyFirst).toEqual(['police']);
    expect(thenOfficer).toEqual(['officer', 'police']);
    expect(await sent(reference, 'request-overdue')).toEqual(['officer', 'police']);
    expect(await sent(reference, 'decision-reminder')).toEqual([]);
    const police = (await workflow.messages(reference)).find(
      (each) => each.template === 'request-overdue' && each.to.agency === 'police',
    );
    expect(police?.body).toContain(
      `The information requested from the police was due by ${formatUkDate(policeDue)}`,
    );
    expect(await record(reference)).toMatchObject({
      stage: 'awaiting-review',
      waitingFor: 'review-outcome',
      needsAttention: null,
    });
    const view = await loadCaseView(tables.data, reference);
    const reminders = view?.timeline.filter((event) => event.type === 'reminder') ?? [];
    expect(reminders).toHaveLength(2);
    expect(reminders.every((event) => event.audience === 'staff')).toBe(true);
    expect((await workflow.execution(reference)).status).toBe('RUNNING');
  });

  it("flags on an agency's worklist its own request not answered by its day, never one answered, and the officer's only by the case's deadline", async () => {
    // The review's deadline passing is left to the rule's unit tests: moving this file's clock weeks on
    // would move the later paths' dates.
    // Prepare: the police and the council due in three days, the housing provider in twenty; the council answers
    const staff = (agency: string) =>
      ({ sub: `${agency}-1`, name: 'A Worker', role: 'agency', csp: 'sefton', agency }) as const;
    const [police, council, housing] = [staff('police'), staff('council'), staff('housing-provider')];
    const officer = {
      sub: 'officer-sefton-1',
      name: 'Alex Officer',
      role: 'officer',
      csp: 'sefton',
    } as const;
    const context = { data: tables.data, area: AREA, clock: workflow.deps.clock };
    const reference = await newCase();
    const flag = async (who: StaffMember) =>
      (await searchCases(context, { kind: 'staff', staff: who }, () => ({ q: reference }))).cases[0]?.overdue;
    const flags = async () => ({
      officer: await flag(officer),
      police: await flag(police),
      council: await flag(council),
      housing: await flag(housing),
    });
    await workflow.decide(reference, decisions.met, OFFICER);
    const due = addDays(today(), 3);
    await workflow.ask(reference, { agencies: ['police', 'council'], dueBy: due, message });
    await workflow.ask(reference, { agencies: ['housing-provider'], dueBy: addDays(today(), 20), message });
    await workflow.respond(reference, { agency: 'council', summary: 'Two reports, both visited.' }, council);

    // Act
    await workflow.advanceTo(justAfter(endOfUkDay(due)));
    const policeLate = await flags();
    const onOverdueLists = {
      police: await listedOverdue(reference, police),
      council: await listedOverdue(reference, council),
    };
    await workflow.respond(reference, { agency: 'council', summary: 'Three reports.' }, council);
    const amended = await flags();
    const later = addDays(today(), 2);
    await workflow.ask(reference, { agencies: ['police', 'council'], dueBy: later, message });
    const askedAgain = await flags();
    await workflow.advanceTo(justAfter(endOfUkDay(later)));
    const lateAgain = await flags();
    await workflow.respond(reference, { agency: 'police', summary: 'A warning letter.' }, police);
    const policeAnswered = await flags();

    // Assess
    expect(policeLate).toEqual({ officer: false, police: true, council: false, housing: false });
    expect(onOverdueLists).toEqual({ police: true, council: false });
    expect(amended).toEqual(policeLate);
    expect(askedAgain).toEqual({ officer: false, police: false, council: false, housing: false });
    expect(lateAgain).toEqual({ officer: false, police: true, council: false, housing: false });
    expect(policeAnswered).toEqual({ officer: false, police: false, council: false, housing: false });
  });

  it('arms the wait again for a request made while a reminder was being sent', async () => {
    // Prepare
    const reference = await newCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    const policeDue = addDays(today(), 2);
    const housingDue = addDays(policeDue, 1);
    await workflow.ask(reference, { agencies: ['police'], dueBy: policeDue, message });
    await workflow.settle();
    // The housing provider is asked after the reminder step has worked out the next timeout.
    let asked = false;
    workflow.wrapHandlers((name, handler) =>
      name === 'Remind'
        ? async (event, context) => {
            const result = await handler(event, context);
            if (!asked) {
              asked = true;
              await workflow.ask(reference, { agencies: ['housing-provider'], dueBy: housingDue, message });
            }
            return result;
          }
        : handler,
    );

    // Act
    await workflow.advanceTo(justAfter(endOfUkDay(policeDue)));
    await workflow.advanceTo(justAfter(endOfUkDay(housingDue)));

    // Assess
    expect(asked).toBe(true);
    expect(await sent(reference, 'request-overdue')).toEqual(['housing-provider', 'police']);
    expect(await record(reference)).toMatchObject({ waitingFor: 'review-outcome', needsAttention: null });
  });
});

describe('personal data', () => {
  it('never enters the execution: no name, contact details, descriptions or reasons in its history', async () => {
    // Prepare
    const reference = await newCase({ involvement: NOT_CONSULTED });
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);
    await workflow.decide(reference, decisions.withdraw, APPLICANT);

    // Act
    const { events = [] } = await workflow.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: executionArnOf(workflow.machine.arn, reference),
        maxResults: 1000,
      }),
    );

    // Assess
    const history = JSON.stringify(events);
    expect(history).toContain(reference);
    for (const personal of [
      'Sam Resident',
      'sam@example.com',
      'Acacia',
      'L20',
      'loud music',
      decisions.met.body.reason,
      'action plan',
      decisions.referral.body.reason,
      decisions.withdraw.body.reason,
    ]) {
      expect(history).not.toContain(personal);
    }
  });
});

describe('a case whose plan has actions open', () => {
  const POLICE = {
    sub: 'police-1',
    name: 'P Constable',
    role: 'agency',
    csp: 'sefton',
    agency: 'police',
  } as const;
  /** The messages of one template, by whom they went to (an agency by its name). */
  const sent = async (reference: string, template: string) =>
    (await workflow.messages(reference))
      .filter((message) => message.template === template)
      .map((message) => message.to.agency ?? message.to.kind)
      .sort();
  /** The body of the applicant's letter of one template. */
  const letter = async (reference: string, template: string) =>
    (await workflow.messages(reference)).find(
      (message) => message.template === template && message.to.kind === 'applicant',
    )?.body;

  it('waits after the referral window for its actions, reminds the owner of an overdue one and then the officer, and closes when the last is done', async () => {
    // Prepare
    const reference = await newCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    const policeDue = addDays(today(), 35);
    await workflow.decide(reference, finalPlan(), OFFICER);
    await workflow.progress(reference, '1-1', { status: 'in-progress', note: 'The monitor is ordered.' });

    // Act
    await passDeadline(reference);
    const waiting = await record(reference);
    await passDeadline(reference);
    const remindedOnce = await sent(reference, 'action-overdue');
    await workflow.advance(5 * 86_400_000);
    const remindedTwice = await sent(reference, 'action-overdue');
    const policeDone = await workflow.progress(
      reference,
      '1-2',
      { status: 'done', note: 'We visited and agreed how to report.' },
      POLICE,
    );
    const stillOpen = await record(reference);
    await workflow.progress(reference, '1-1', { status: 'cannot-be-done', note: 'The landlord refused.' });

    // Assess
    expect(waiting).toMatchObject({
      stage: 'review-complete',
      waitingFor: 'actions-finished',
      closure: null,
    });
    expect(waiting.deadlines.actions).toBe(endOfUkDay(policeDue).toISOString());
    expect(waiting.nextDeadline).toBe(waiting.deadlines.actions);
    expect(await sent(reference, 'actions-assigned')).toEqual(['council', 'police']);
    expect(remindedOnce).toEqual(['police']);
    expect(remindedTwice).toEqual(['officer', 'police', 'police']);
    expect(policeDone).toMatchObject({ changed: true, status: 'done', stage: 'review-complete' });
    expect(stillOpen).toMatchObject({ stage: 'review-complete', waitingFor: 'actions-finished' });
    expect(stillOpen.nextDeadline).toBe(stillOpen.deadlines.actions);
    expect(stillOpen.deadlines.actions).not.toBe(waiting.deadlines.actions);
    const closed = await record(reference);
    expect(closed.closure?.reason).toBe('review-complete');
    expect(closed.expiresAt).toEqual(expect.any(Number));
    expect((await workflow.execution(reference)).status).toBe('SUCCEEDED');
    expect(await sent(reference, 'action-finished')).toEqual(['applicant', 'applicant']);
    expect(await sent(reference, 'case-closed')).toEqual(['applicant']);
    const closing = await letter(reference, 'case-closed');
    expect(closing).toContain('the case review is complete, every action of the plan is finished');
    expect(closing).toContain('Of the 2 actions of your plan, 1 was done and 1 could not be done.');
    expect(closing).toContain('Sefton Council anti-social behaviour team: phone 0345 140 0845');
    const view = await loadCaseView(tables.data, reference);
    const reminders = view?.timeline.filter((event) => event.type === 'reminder') ?? [];
    expect(reminders.every((event) => event.audience === 'staff')).toBe(true);
    expect(view?.timeline.map((event) => event.type)).toContain('actions-awaited');
    expect((await workflow.recount((await record(reference)).reportingYear)).differences).toBe(0);
  });

  it("flags an overdue action from its day on, in the referral window and once the case waits for its actions: on the officer's worklist and its owner's, not another agency's", async () => {
    // Prepare: the police's action due in three days, the council's in sixty
    const reference = await newCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    const policeDue = addDays(today(), 3);
    const councilDue = addDays(today(), 60);
    await workflow.decide(
      reference,
      {
        kind: 'action-plan',
        body: {
          recommendations: [
            { action: 'Install a noise monitor', owner: 'council', dueBy: councilDue },
            { action: 'Visit the victim', owner: 'police', dueBy: policeDue },
          ],
          changes: 'None.',
        },
      },
      OFFICER,
    );
    const COUNCIL = { ...POLICE, sub: 'council-1', name: 'C Worker', agency: 'council' } as const;
    const OFFICER_STAFF = {
      sub: 'officer-sefton-1',
      name: 'Alex Officer',
      role: 'officer',
      csp: 'sefton',
    } as const;
    const flags = async () => {
      const context = { data: tables.data, area: AREA, clock: workflow.deps.clock };
      const flag = async (staff: StaffMember) =>
        (await searchCases(context, { kind: 'staff', staff }, () => ({ q: reference }))).cases[0]?.overdue;
      return { officer: await flag(OFFICER_STAFF), police: await flag(POLICE), council: await flag(COUNCIL) };
    };

    // Act
    await workflow.advanceTo(new Date(endOfUkDay(policeDue).getTime() + SECOND).toISOString());
    const windowOpen = await flags();
    const listedInWindow = {
      officer: await listedOverdue(reference, OFFICER_STAFF),
      police: await listedOverdue(reference, POLICE),
      council: await listedOverdue(reference, COUNCIL),
    };
    await passDeadline(reference);
    const waiting = await flags();
    const listedWaiting = {
      officer: await listedOverdue(reference, OFFICER_STAFF),
      police: await listedOverdue(reference, POLICE),
      council: await listedOverdue(reference, COUNCIL),
    };
    const context = { data: tables.data, area: AREA, clock: workflow.deps.clock };
    const actionDueBy = async (staff: StaffMember) =>
      (await searchCases(context, { kind: 'staff', staff }, () => ({ q: reference }))).cases[0]?.actionDueBy;

    // Assess
    expect(windowOpen).toEqual({ officer: true, police: true, council: false });
    expect((await record(reference)).waitingFor).toBe('actions-finished');
    expect(waiting).toEqual({ officer: true, police: true, council: false });
    // ?overdue=true lists the case for whoever's worklist flags it, and for no one else.
    expect(listedInWindow).toEqual(windowOpen);
    expect(listedWaiting).toEqual(waiting);
    // Each owner's worklist gives the day its own next action is due, which its flag follows.
    expect(await actionDueBy(POLICE)).toBe(policeDue);
    expect(await actionDueBy(COUNCIL)).toBe(councilDue);
    expect(await actionDueBy(OFFICER_STAFF)).toBeUndefined();
  });

  it('reminds an action overdue in the referral window to its owner when its day ends, then to its owner and the officer one interval later, each once though the steps run again, and the wait for the actions repeats neither', async () => {
    // Prepare: the police's action due in three days, the council's in sixty
    const reference = await newCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    const policeDue = addDays(today(), 3);
    await workflow.decide(
      reference,
      {
        kind: 'action-plan',
        body: {
          recommendations: [
            { action: 'Install a noise monitor', owner: 'council', dueBy: addDays(today(), 60) },
            { action: 'Visit the victim', owner: 'police', dueBy: policeDue },
          ],
          changes: 'None.',
        },
      },
      OFFICER,
    );
    await workflow.settle();
    // Each reminder and registration step runs twice, as when Lambda loses its response and the state
    // machine retries it.
    workflow.wrapHandlers((name, handler) =>
      name === 'Remind' || name === 'RegisterTask'
        ? async (event, context) => {
            await handler(event, context);
            return handler(event, context);
          }
        : handler,
    );
    const dayEnded = endOfUkDay(policeDue);

    // Act
    await workflow.advanceTo(new Date(dayEnded.getTime() - SECOND).toISOString());
    const beforeItsDay = await sent(reference, 'action-overdue');
    await workflow.advanceTo(new Date(dayEnded.getTime() + SECOND).toISOString());
    const owner = await sent(reference, 'action-overdue');
    const ownerStage = await record(reference);
    const interval = workingDayDeadline(dayEnded, 2);
    await workflow.advanceTo(new Date(interval.getTime() - SECOND).toISOString());
    const beforeInterval = await sent(reference, 'action-overdue');
    await workflow.advanceTo(new Date(interval.getTime() + SECOND).toISOString());
    const thenOfficer = await sent(reference, 'action-overdue');
    const officerStage = await record(reference);
    await passDeadline(reference);
    const windowEnded = await record(reference);
    const actionsWaited = await sent(reference, 'action-overdue');

    // Assess
    expect(beforeItsDay).toEqual([]);
    expect(owner).toEqual(['police']);
    expect(ownerStage).toMatchObject({ stage: 'review-complete', waitingFor: 'referral' });
    expect(beforeInterval).toEqual(['police']);
    expect(thenOfficer).toEqual(['officer', 'police', 'police']);
    expect(officerStage).toMatchObject({ stage: 'review-complete', waitingFor: 'referral' });
    expect(windowEnded).toMatchObject({ waitingFor: 'actions-finished', closure: null });
    // The wait for the actions, reminding at once of the action overdue, tells no one again.
    expect(actionsWaited).toEqual(thenOfficer);
    const view = await loadCaseView(tables.data, reference);
    const reminders = view?.timeline.filter((event) => event.type === 'reminder') ?? [];
    expect(reminders.slice(0, 2).map((event) => event.summary)).toEqual([
      expect.stringContaining('The police were reminded.'),
      expect.stringContaining('The police were reminded again and the officer was told.'),
    ]);
    expect(reminders.every((event) => event.audience === 'staff')).toBe(true);
    expect((await workflow.execution(reference)).status).toBe('RUNNING');
  });

  it("reminds an action overdue while the PCC's office decides, and the PCC's office only at its own deadline", async () => {
    // Prepare: a review whose plan is final at once, its action due in three days, referred to the PCC
    const reference = await newCase({ involvement: NOT_CONSULTED });
    await workflow.decide(reference, decisions.met, OFFICER);
    const councilDue = addDays(today(), 3);
    const review = decisions.reviewWithRecommendations(today());
    await workflow.decide(
      reference,
      {
        ...review,
        body: {
          ...review.body,
          recommendations: [{ action: 'Install a noise monitor', owner: 'council', dueBy: councilDue }],
        },
      } as DecisionBody,
      OFFICER,
    );
    await workflow.decide(reference, decisions.referral, APPLICANT);
    const dayEnded = endOfUkDay(councilDue);

    // Act
    await workflow.advanceTo(new Date(dayEnded.getTime() + SECOND).toISOString());
    const owner = await sent(reference, 'action-overdue');
    await workflow.advanceTo(new Date(workingDayDeadline(dayEnded, 2).getTime() + SECOND).toISOString());
    const thenOfficer = await sent(reference, 'action-overdue');
    const waiting = await record(reference);
    await passDeadline(reference);

    // Assess
    expect(owner).toEqual(['council']);
    expect(thenOfficer).toEqual(['council', 'council', 'officer']);
    expect(waiting).toMatchObject({ stage: 'awaiting-pcc-decision', waitingFor: 'pcc-decision' });
    expect(await sent(reference, 'decision-reminder')).toEqual(['pcc']);
    expect(await record(reference)).toMatchObject({ waitingFor: 'pcc-decision', needsAttention: null });
  });

  it('reminds no action again when the review stands less than an interval after it was reminded, and goes on one interval after that reminder', async () => {
    // Prepare: the council's action due in three days, the police's in four, referred to the PCC
    const reference = await newCase({ involvement: NOT_CONSULTED });
    await workflow.decide(reference, decisions.met, OFFICER);
    const review = decisions.reviewWithRecommendations(today());
    const councilDue = addDays(today(), 3);
    const policeDue = addDays(today(), 4);
    await workflow.decide(
      reference,
      {
        ...review,
        body: {
          ...review.body,
          recommendations: [
            { action: 'Install a noise monitor', owner: 'council', dueBy: councilDue },
            { action: 'Visit the victim', owner: 'police', dueBy: policeDue },
          ],
        },
      } as DecisionBody,
      OFFICER,
    );
    await workflow.decide(reference, decisions.referral, APPLICANT);
    const policeOfficerTold = workingDayDeadline(endOfUkDay(policeDue), 2).getTime() + SECOND;
    // The clock moves to each reminder in turn, as it passes for a running execution.
    for (const instant of [
      endOfUkDay(councilDue).getTime() + SECOND,
      endOfUkDay(policeDue).getTime() + SECOND,
      workingDayDeadline(endOfUkDay(councilDue), 2).getTime() + SECOND,
      policeOfficerTold,
    ]) {
      await workflow.advanceTo(new Date(instant).toISOString());
    }
    const beforePcc = await sent(reference, 'action-overdue');

    // Act
    await workflow.decide(reference, decisions.stands, PCC);
    const stood = await record(reference);
    // The wait for the actions times out at once, the actions being overdue.
    await workflow.advance(10 * SECOND);
    const atOnce = await sent(reference, 'action-overdue');
    const intervalOn = workingDayDeadline(new Date(policeOfficerTold), 2).getTime() + 2 * SECOND;
    await workflow.advanceTo(new Date(intervalOn).toISOString());

    // Assess
    expect(beforePcc).toEqual(['council', 'council', 'officer', 'officer', 'police', 'police']);
    expect(stood).toMatchObject({ stage: 'review-complete', waitingFor: 'actions-finished' });
    expect(atOnce).toEqual(beforePcc);
    expect(await sent(reference, 'action-overdue')).toEqual([
      ...['council', 'council', 'council'],
      ...['officer', 'officer', 'officer', 'officer'],
      ...['police', 'police', 'police'],
    ]);
  });

  it('waits for an open action after the PCC lets the review stand, and closes as decided when it is done', async () => {
    // Prepare
    const reference = await newCase({ involvement: NOT_CONSULTED });
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);

    // Act
    await workflow.decide(reference, decisions.stands, PCC);
    const stood = await record(reference);
    await workflow.finishActions(reference);

    // Assess
    expect(stood).toMatchObject({ stage: 'review-complete', waitingFor: 'actions-finished', closure: null });
    expect(stood.pccDecision?.outcome).toBe('review-stands');
    const closed = await record(reference);
    expect(closed.closure?.reason).toBe('pcc-decided');
    expect((await workflow.execution(reference)).status).toBe('SUCCEEDED');
    expect(await sent(reference, 'case-closed')).toEqual(['applicant']);
    expect(await letter(reference, 'pcc-decision')).toContain(
      'Your case stays open until every action of your plan is finished: one action is still to be finished.',
    );
    expect(await letter(reference, 'case-closed')).toContain(
      'has made its decision and every action of the plan is finished.\n\nThe action of your plan was done.',
    );
    expect((await workflow.recount((await record(reference)).reportingYear)).differences).toBe(0);
  });

  it('starts a new cycle after a refer-back: the old plan replaced and closed to notes, the new one followed', async () => {
    // Prepare
    const reference = await newCase({ involvement: NOT_CONSULTED });
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);

    // Act
    await workflow.decide(reference, decisions.referBack, PCC);
    const oldNote = workflow.progress(reference, '1-1', { status: 'done', note: 'Late.' });
    await expect(oldNote).rejects.toMatchObject({ name: 'ConflictError' });
    const second = decisions.reviewWithRecommendations(today());
    await workflow.decide(
      reference,
      {
        ...second,
        body: { ...second.body, summary: 'The new review agreed a plan of its own.' },
      } as DecisionBody,
      OFFICER,
    );
    await workflow.progress(reference, '2-1', { status: 'done', note: 'Installed.' });
    await passDeadline(reference);

    // Assess
    const plans = (await loadCaseView(tables.data, reference))?.review.state.plans ?? [];
    expect(plans.map((plan) => [plan.cycle, plan.replacedAt !== null, plan.actions[0]?.status])).toEqual([
      [1, true, 'open'],
      [2, false, 'done'],
    ]);
    const closed = await record(reference);
    expect(closed).toMatchObject({ cycle: 2, closure: { reason: 'review-complete' } });
    expect(await letter(reference, 'pcc-decision')).toContain(
      'The new case review will agree its own action plan, which replaces the one you have now.',
    );
    expect(await letter(reference, 'case-closed')).toContain('The action of your plan was done.');
    expect((await workflow.recount((await record(reference)).reportingYear)).differences).toBe(0);
  });
});

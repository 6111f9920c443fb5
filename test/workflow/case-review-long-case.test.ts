// A Standard execution ends after a year (the engine enforces AWS's limit as 365 days). A case that
// lives longer, reminded for ever or going round a refer-back cycle, is handed on before it: the old
// execution ends successfully and `<reference>-2` goes on at the same wait, with nothing of the case
// touched (stage, counts, timeline), reminders neither repeated nor skipped, and a decision recorded
// during the hand-over delivered by the new execution.
import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { DecisionBody } from '#core/case-record.ts';
import { addDays, ukDateOf } from '#core/local-date.ts';
import { recordAction } from '#data/case-decisions.ts';
import { getCase } from '#data/case-store.ts';
import { deliverPendingAction } from '#data/case-tasks.ts';
import { executionArnOf } from '#local/stepfunctions/names.ts';
import type { TestTables } from '#test/support/api-tables.ts';
import { APPLICANT, decisions, NOT_CONSULTED, OFFICER, PCC, submit } from '#test/support/case-fixtures.ts';
import { type CaseWorkflow, caseWorkflowPerFile } from '#test/support/case-workflow.ts';

const START = '2026-05-04T09:00:00.000Z';
const DAY = 24 * 60 * 60 * 1000;
let tables: TestTables;
let workflow: CaseWorkflow;

caseWorkflowPerFile(START, (opened, running) => {
  tables = opened;
  workflow = running;
});

async function newCase(): Promise<string> {
  // Not consulted on the plan: an outcome's plan is final at once, as these paths expect.
  const { reference } = await submit(tables.data, workflow.clock.now(), { involvement: NOT_CONSULTED });
  await workflow.start(reference);
  return reference;
}

/** Moves the clock on to `days` after `origin`, three days at a time, so that every reminder falls due. */
async function runUntilDay(origin: number, days: number): Promise<void> {
  const end = origin + days * DAY;
  while (workflow.clock.now().getTime() < end) {
    await workflow.advanceTo(new Date(Math.min(workflow.clock.now().getTime() + 3 * DAY, end)).toISOString());
  }
}

const today = () => ukDateOf(workflow.clock.now());

/** The days after `origin` at which the execution's states were entered, by state name. */
async function enteredDays(name: string, origin: number): Promise<Map<string, number[]>> {
  const { events = [] } = await workflow.sfn.send(
    new GetExecutionHistoryCommand({
      executionArn: executionArnOf(workflow.machine.arn, name),
      maxResults: 1000,
    }),
  );
  const days = new Map<string, number[]>();
  for (const event of events) {
    const state = event.stateEnteredEventDetails?.name;
    if (state === undefined || event.timestamp === undefined) continue;
    const day = (event.timestamp.getTime() - origin) / DAY;
    days.set(state, [...(days.get(state) ?? []), day]);
  }
  return days;
}

async function itemsWithoutRetention(reference: string): Promise<string[]> {
  const { Items = [] } = await tables.data.db.send(
    new QueryCommand({
      TableName: tables.data.tables.cases,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `CASE#${reference}` },
      ConsistentRead: true,
    }),
  );
  return Items.filter((item) => typeof item.expiresAt !== 'number').map((item) => String(item.sk));
}

describe('a case whose officer never decides', () => {
  it('is reminded past a year in <reference>-2, and the decision recorded during the hand-over is delivered', async () => {
    // Prepare: the officer decides while the case is being handed over.
    const origin = workflow.clock.now().getTime();
    const reference = await newCase();
    let handOvers = 0;
    workflow.wrapHandlers((name, handler) =>
      name === 'HandOver'
        ? async (event, context) => {
            handOvers += 1;
            await recordAction(tables.data, reference, decisions.met, OFFICER, workflow.clock.now());
            expect(await deliverPendingAction(tables.data, workflow.callbacks, reference)).toBe(
              'left-to-workflow',
            );
            return handler(event, context);
          }
        : handler,
    );

    // Act
    await runUntilDay(origin, 372);

    // Assess: one hand-over, a week or more inside the limit, and the old execution succeeded
    expect(handOvers).toBe(1);
    expect((await workflow.execution(reference)).status).toBe('SUCCEEDED');
    expect((await workflow.execution(`${reference}-2`)).status).toBe('RUNNING');
    await expect(workflow.execution(`${reference}-3`)).rejects.toThrow(/does not exist/i);
    const [handedOverOn] = (await enteredDays(reference, origin)).get('HandOver') ?? [];
    expect(handedOverOn).toBeGreaterThan(340);
    expect(handedOverOn).toBeLessThanOrEqual(358);
    const resumed = await enteredDays(`${reference}-2`, origin);
    expect([...resumed.keys()].slice(0, 2)).toEqual(['StartOrResume', 'WaitForThresholdDecision']);

    // Assess: the decision moved the case on, nothing needs attention, the counts hold
    const record = await getCase(tables.data, reference);
    expect(record?.thresholdDecision?.met).toBe(true);
    expect(record?.waitingFor).toBe('review-outcome');
    expect(record?.needsAttention).toBeNull();
    expect((await workflow.recount('2026-27')).differences).toBe(0);
    expect((await workflow.recount('2027-28')).differences).toBe(0);

    // Assess: every reminder sent once, none repeated at the hand-over
    const reminders = (await workflow.messages(reference))
      .filter((message) => message.template === 'decision-reminder')
      .map((message) => Date.parse(message.createdAt))
      .sort((a, b) => a - b);
    expect(reminders.length).toBe(Object.keys(record?.reminders ?? {}).length);
    expect(reminders.length).toBeGreaterThan(50);
    for (let i = 1; i < reminders.length; i += 1) {
      expect((reminders[i] ?? 0) - (reminders[i - 1] ?? 0)).toBeGreaterThanOrEqual(DAY);
    }

    // Act: the case goes on in the new execution
    await workflow.decide(reference, decisions.reviewWithout(today()), OFFICER);

    // Assess
    expect((await getCase(tables.data, reference))?.waitingFor).toBe('referral');
  });
});

describe('a refer-back cycle across the one-year boundary', () => {
  it('hands the new review cycle on, closes in <reference>-2, and the counts equal a recount', async () => {
    // Prepare: referred to the PCC's office, which decides only after eleven months of reminders.
    const origin = workflow.clock.now().getTime();
    const reference = await newCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);
    await runUntilDay(origin, 342);
    expect((await workflow.execution(reference)).status).toBe('RUNNING');

    // Act: referred back; the new review's wait would outlive the execution
    await workflow.decide(reference, decisions.referBack, PCC);

    // Assess
    expect((await workflow.execution(reference)).status).toBe('SUCCEEDED');
    const referredBack = await getCase(tables.data, reference);
    expect(referredBack?.cycle).toBe(2);
    expect(referredBack?.waitingFor).toBe('review-outcome');

    // Act: the second cycle runs on past a year
    await runUntilDay(origin, 350);
    await workflow.decide(reference, decisions.reviewWithout(today()), OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);
    await runUntilDay(origin, 368);
    await workflow.decide(reference, decisions.stands, PCC);

    // Assess
    expect((await workflow.execution(`${reference}-2`)).status).toBe('SUCCEEDED');
    const closed = await getCase(tables.data, reference);
    expect(closed?.closure?.reason).toBe('pcc-decided');
    expect(closed?.needsAttention).toBeNull();
    expect(closed?.counted).toEqual([
      'applicationsReceived',
      'caseReviewsCarriedOut',
      'reviewsWithRecommendations',
      'referralsToPcc',
    ]);
    expect(await itemsWithoutRetention(reference)).toEqual([]);
    expect((await workflow.recount('2026-27')).differences).toBe(0);
    expect((await workflow.recount('2027-28')).differences).toBe(0);
  });
});

describe('a plan whose action is due in two years', () => {
  it('waits for it across the one-year boundary in executions that each end in time, reminding nobody', async () => {
    // Prepare: the only action is due two years after the review.
    const origin = workflow.clock.now().getTime();
    const reference = await newCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    const review = decisions.reviewWithRecommendations(today());
    const dueBy = addDays(today(), 730);
    await workflow.decide(
      reference,
      {
        kind: 'review-outcome',
        body: {
          ...review.body,
          recommendations: [{ action: 'Install a noise monitor', owner: 'council', dueBy }],
        },
      } as DecisionBody,
      OFFICER,
    );

    // Act: past the day a single wait for the action would have timed the execution out
    await runUntilDay(origin, 400);

    // Assess: each execution handed the case on before its year ran out, the last one still waiting
    const statuses: string[] = [];
    for (let n = 1; n <= 5 && (statuses.at(-1) ?? 'SUCCEEDED') === 'SUCCEEDED'; n += 1) {
      statuses.push((await workflow.execution(n === 1 ? reference : `${reference}-${n}`)).status ?? '');
    }
    expect(statuses.slice(0, -1).every((status) => status === 'SUCCEEDED')).toBe(true);
    expect(statuses.at(-1)).toBe('RUNNING');
    const record = await getCase(tables.data, reference);
    expect(record?.waitingFor).toBe('actions-finished');
    expect(record?.needsAttention).toBeNull();
    const templates = (await workflow.messages(reference)).map((message) => message.template);
    expect(templates).not.toContain('action-overdue');
  });
});

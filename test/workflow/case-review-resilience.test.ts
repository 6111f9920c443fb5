// What AWS may do to a workflow, done on purpose: callbacks delivered twice or late, a Lambda retried
// after it had already written, concurrent duplicate decisions, and the engine dying while cases wait
// or while a step runs. Every case still completes, and the counters always equal a recount.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WaitStep } from '#core/case-record.ts';
import { recordAction } from '#data/case-decisions.ts';
import { getCase } from '#data/case-store.ts';
import { deliverPendingAction, getWaitingTask } from '#data/case-tasks.ts';
import type { LambdaHandler } from '#local/stepfunctions/lambda-invoker.ts';
import { executionArnOf } from '#local/stepfunctions/names.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { APPLICANT, decisions, NOT_CONSULTED, OFFICER, PCC, submit } from '#test/support/case-fixtures.ts';
import { CaseWorkflow, type WorkflowFunction } from '#test/support/case-workflow.ts';
import { deferred, historyOf } from '#test/support/stepfunctions-runtime.ts';

const START = '2026-04-13T09:00:00.000Z';
const DAY = 24 * 60 * 60 * 1000;
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

async function newCase(): Promise<string> {
  // Not consulted on the plan: an outcome's plan is final at once, as these paths expect.
  const { reference } = await submit(tables.data, workflow.clock.now(), { involvement: NOT_CONSULTED });
  await workflow.start(reference);
  return reference;
}

async function counted(reference: string) {
  return (await getCase(tables.data, reference))?.counted;
}

const today = () => workflow.clock.now().toISOString().slice(0, 10);

/** An error as Lambda's service reports it, which the state machine retries. */
class LambdaServiceException extends Error {
  override name = 'Lambda.ServiceException';
}

/** The handler runs and writes, then its invocation fails: as if Lambda lost the response. */
function failAfterRunning(target: WorkflowFunction, times: number) {
  let failures = 0;
  return (name: WorkflowFunction, handler: LambdaHandler): LambdaHandler =>
    async (event, context) => {
      const result = await handler(event, context);
      if (name === target && failures < times) {
        failures += 1;
        throw new LambdaServiceException('The response was lost');
      }
      return result;
    };
}

describe('duplicate and replayed callbacks', () => {
  it('change nothing once the decision has been applied', async () => {
    // Prepare
    const reference = await newCase();
    const waiting = await getWaitingTask(tables.data, reference);
    await workflow.decide(reference, decisions.notMet, OFFICER);
    const before = await workflow.recount('2026-27');

    // Act
    const repeated = await workflow.decide(reference, decisions.notMet, OFFICER);
    const redelivered = await deliverPendingAction(tables.data, workflow.callbacks, reference);
    const oldToken = await workflow.callbacks.succeed(waiting?.taskToken ?? '', {
      action: 'threshold-decision',
    });
    const replayed = await workflow
      .handlers()
      .ApplyDecision({ reference, step: 'threshold-decision' } as never, {} as never);
    await workflow.settle();

    // Assess
    expect(repeated).toEqual({ outcome: 'repeat', stage: 'threshold-not-met' });
    expect(redelivered).toBe('nothing-to-deliver');
    expect(oldToken).toBe(false);
    expect(replayed).toMatchObject({ stage: 'threshold-not-met', met: false });
    expect(await counted(reference)).toEqual(['applicationsReceived', 'thresholdNotMet']);
    const after = await workflow.recount('2026-27');
    expect(after.rows).toEqual(before.rows);
    expect(after.differences).toBe(0);
  });

  it('of five identical decisions sent at once, exactly one takes effect', async () => {
    // Prepare
    const reference = await newCase();
    await workflow.decide(reference, decisions.met, OFFICER);

    // Act
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER),
      ),
    );

    // Assess
    expect(results.filter((result) => result.outcome === 'recorded')).toHaveLength(1);
    expect((await getCase(tables.data, reference))?.history.reviews).toHaveLength(1);
    expect(await counted(reference)).toEqual([
      'applicationsReceived',
      'caseReviewsCarriedOut',
      'reviewsWithRecommendations',
    ]);
    expect((await workflow.recount('2026-27')).differences).toBe(0);
  });
});

/** Lets the state machine's retries (back-off of seconds) run by moving the clock a minute at a time. */
async function retriesDone(): Promise<void> {
  for (let minute = 0; minute < 3; minute += 1) await workflow.advance(60_000);
}

describe('retried Lambdas', () => {
  it.each(['ApplyDecision', 'RegisterTask', 'AssessThreshold'] as const)(
    'a %s retried after it had already written counts nothing twice',
    async (target) => {
      // Prepare
      workflow.wrapHandlers(failAfterRunning(target, 2));
      const reference = await newCase();

      // Act
      await retriesDone();
      await workflow.decide(reference, decisions.met, OFFICER);
      await retriesDone();
      await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
      await retriesDone();
      workflow.wrapHandlers((_name, handler) => handler);

      // Assess
      expect(await workflow.stage(reference)).toBe('review-complete');
      expect(await counted(reference)).toEqual([
        'applicationsReceived',
        'caseReviewsCarriedOut',
        'reviewsWithRecommendations',
      ]);
      expect(
        (await workflow.messages(reference)).filter((message) => message.template === 'review-outcome'),
      ).toHaveLength(1);
      expect((await workflow.recount('2026-27')).differences).toBe(0);
    },
  );
});

describe('a crash of the engine', () => {
  it('while cases wait and while a step runs: after the restart every case completes with exact counts', async () => {
    // Prepare: cases at each wait, and one whose ApplyDecision wrote but never answered.
    const atThreshold = await newCase();
    const atReview = await newCase();
    await workflow.decide(atReview, decisions.met, OFFICER);
    const atReferral = await newCase();
    await workflow.decide(atReferral, decisions.met, OFFICER);
    await workflow.decide(atReferral, decisions.reviewWithout(today()), OFFICER);
    const atPcc = await newCase();
    await workflow.decide(atPcc, decisions.notMet, OFFICER);
    await workflow.decide(atPcc, decisions.referral, APPLICANT);
    const midStep = await newCase();
    const applied = deferred<void>();
    workflow.wrapHandlers((name, handler) => async (event, context) => {
      const result = await handler(event, context);
      if (name !== 'ApplyDecision') return result;
      applied.resolve();
      // The process dies before the engine hears back.
      return new Promise<never>(() => undefined);
    });
    await recordAction(tables.data, midStep, decisions.notMet, OFFICER, workflow.clock.now());
    await deliverPendingAction(tables.data, workflow.callbacks, midStep);
    await applied.promise;
    const waits: Record<string, WaitStep | null | undefined> = {};
    for (const reference of [atThreshold, atReview, atReferral, atPcc]) {
      waits[reference] = (await getWaitingTask(tables.data, reference))?.waitingFor;
    }

    // Act
    workflow.wrapHandlers((_name, handler) => handler);
    await workflow.restart();
    await workflow.settle();
    await workflow.decide(atThreshold, decisions.met, OFFICER);
    await workflow.decide(atThreshold, decisions.reviewWithout(today()), OFFICER);
    await workflow.decide(atReview, decisions.reviewWithRecommendations(today()), OFFICER);
    await workflow.finishActions(atReview);
    await workflow.decide(atReview, decisions.referral, APPLICANT);
    await workflow.decide(atReview, decisions.stands, PCC);
    await workflow.decide(atPcc, decisions.referBack, PCC);
    await workflow.decide(atPcc, decisions.reviewWithout(today()), OFFICER);
    await workflow.advance(60 * DAY);

    // Assess
    expect(Object.values(waits)).toEqual([
      'threshold-decision',
      'review-outcome',
      'referral',
      'pcc-decision',
    ]);
    for (const reference of [atThreshold, atReview, atReferral, atPcc, midStep]) {
      expect((await workflow.execution(reference)).status).toBe('SUCCEEDED');
      expect(await workflow.stage(reference)).toBe('closed');
    }
    expect(await counted(midStep)).toEqual(['applicationsReceived', 'thresholdNotMet']);
    expect(await counted(atPcc)).toEqual(['applicationsReceived', 'caseReviewsCarriedOut', 'referralsToPcc']);
    expect(await counted(atReview)).toEqual([
      'applicationsReceived',
      'caseReviewsCarriedOut',
      'reviewsWithRecommendations',
      'referralsToPcc',
    ]);
    expect((await workflow.recount('2026-27')).differences).toBe(0);
  });

  it('between two tasks of one run: the run is repeated from its last stored point, and nothing is sent or counted twice', async () => {
    // Prepare: the decision is stored; ApplyDecision writes, counts and writes its letter, and the engine
    // dies before RegisterTask (the next task of the same run) is invoked: nothing of the run was stored.
    const reference = await newCase();
    const calls = { ApplyDecision: 0 };
    const died = deferred<void>();
    workflow.wrapHandlers((name, handler) => async (event, context) => {
      if (name === 'ApplyDecision') calls.ApplyDecision += 1;
      if (name !== 'RegisterTask' || calls.ApplyDecision === 0) return handler(event, context);
      died.resolve();
      return new Promise<never>(() => undefined);
    });
    await recordAction(tables.data, reference, decisions.notMet, OFFICER, workflow.clock.now());
    await deliverPendingAction(tables.data, workflow.callbacks, reference);
    await died.promise;

    // Act
    workflow.wrapHandlers((name, handler) => async (event, context) => {
      if (name === 'ApplyDecision') calls.ApplyDecision += 1;
      return handler(event, context);
    });
    await workflow.restart();
    await workflow.settle();

    // Assess
    expect(calls.ApplyDecision).toBe(2);
    expect(await workflow.stage(reference)).toBe('threshold-not-met');
    expect((await getWaitingTask(tables.data, reference))?.waitingFor).toBe('referral');
    expect(await counted(reference)).toEqual(['applicationsReceived', 'thresholdNotMet']);
    const letters = (await workflow.messages(reference)).filter(
      (message) => message.template === 'threshold-not-met',
    );
    expect(letters).toHaveLength(1);
    const history = await historyOf(
      workflow.harness.runtime,
      executionArnOf(workflow.machine.arn, reference),
    );
    const applied = history.filter(
      (event) =>
        event.type === 'TaskStateExited' &&
        (event.stateExitedEventDetails as { name: string }).name === 'ApplyThresholdDecision',
    );
    expect(applied).toHaveLength(1);
    expect((await workflow.recount('2026-27')).differences).toBe(0);
  });
});

// The state machine's catch-all: a step that still fails after its retries marks the case as needing
// attention (when, and 'step-failed': nothing personal) and counts it once in CasesNeedingAttention;
// the execution fails with the step's own error, the reconciler resumes the case at the wait its stage
// is in without counting it again, and the case goes on with its counters equal to a recount. A step
// that tells people of a decision or a closure is run again instead, so each of its letters goes out
// once, even when the case closed before the step failed (it is given its retention date at once).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ukDateOf } from '#core/local-date.ts';
import { getCase } from '#data/case-store.ts';
import type { LambdaHandler } from '#local/stepfunctions/lambda-invoker.ts';
import { NotifyDeliveryError } from '#shared/delivery-errors.ts';
import { CASES_NEEDING_ATTENTION_METRIC, METRICS_NAMESPACE } from '#shared/metrics.ts';
import type { Notifier } from '#shared/notifier.ts';
import type { TestTables } from '#test/support/api-tables.ts';
import { APPLICANT, decisions, NOT_CONSULTED, OFFICER, PCC, submit } from '#test/support/case-fixtures.ts';
import {
  type CaseWorkflow,
  caseWorkflowPerFile,
  WORKFLOW_SERVICE_NAME,
  type WorkflowFunction,
} from '#test/support/case-workflow.ts';
import { emfWrittenDuring, metricValues } from '#test/support/emf.ts';
import { createApplyDecisionHandler } from '#workflow/apply-decision.ts';
import { createCloseCaseHandler } from '#workflow/close-case.ts';
import { type ReconcilerDependencies, reconcileCases } from '#workflow/reconcile.ts';

const START = '2026-06-01T09:00:00.000Z';
const MINUTE = 60 * 1000;
let tables: TestTables;
let workflow: CaseWorkflow;

caseWorkflowPerFile(START, (opened, running) => {
  tables = opened;
  workflow = running;
});

async function newCase(): Promise<string> {
  const { reference } = await submit(tables.data, workflow.clock.now());
  await workflow.start(reference);
  return reference;
}

function reconciler(): ReconcilerDependencies {
  return {
    data: tables.data,
    area: workflow.deps.area,
    stepFunctions: workflow.sfn,
    stateMachineArn: workflow.machine.arn,
    clock: workflow.deps.clock,
    metrics: workflow.deps.metrics,
    retentionYears: workflow.deps.retentionYears,
  };
}

/** The function runs and writes, then fails every time: as a step whose failure outlasts its retries. */
function alwaysFailingAfterRunning(target: WorkflowFunction) {
  return (name: WorkflowFunction, handler: LambdaHandler): LambdaHandler =>
    async (event, context) => {
      const result = await handler(event, context);
      if (name === target)
        throw Object.assign(new Error('The step failed with TimeoutError'), {
          name: 'WorkflowStepError',
        });
      return result;
    };
}

/**
 * The step runs with a notifier that refuses every message, as GOV.UK Notify does while it is down: it
 * applies what it applies, then fails on its first letter, each time it is retried.
 */
function lettersRefusedBy(target: 'ApplyDecision' | 'CloseCase') {
  const refusing: Notifier = {
    notify: async () => {
      throw new NotifyDeliveryError('letter', 503, ['ServiceUnavailableError']);
    },
  };
  const create = target === 'ApplyDecision' ? createApplyDecisionHandler : createCloseCaseHandler;
  const step = create({ ...workflow.deps, notifier: refusing }) as unknown as LambdaHandler;
  return (name: WorkflowFunction, handler: LambdaHandler): LambdaHandler =>
    name === target ? step : handler;
}

/** The messages of `template` sent about the case to `kind`. */
async function sent(reference: string, template: string, kind = 'applicant') {
  return (await workflow.messages(reference)).filter(
    (message) => message.template === template && message.to.kind === kind,
  );
}

/** The sort keys of the case's items that have no retention date. */
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

async function settleRetries(): Promise<void> {
  // The retrier's back-off (FULL jitter, at most 300 s) fires one retry per clock move.
  for (let round = 0; round < 10; round += 1) await workflow.advance(10 * MINUTE);
}

describe('a step that fails after its retries', () => {
  it('marks the case and counts it once, fails the execution, and the reconciler resumes the case at its wait', async () => {
    // Prepare
    const reference = await newCase();
    workflow.wrapHandlers(alwaysFailingAfterRunning('ApplyDecision'));

    // Act
    const documents = await emfWrittenDuring(async () => {
      await workflow.decide(reference, decisions.met, OFFICER);
      await settleRetries();
    });

    // Assess: marked and counted once, the execution failed with the step's own error
    const stopped = await getCase(tables.data, reference);
    expect(stopped?.needsAttention).toEqual({
      since: expect.any(String),
      reason: 'step-failed',
      redo: 'ApplyThresholdDecision',
    });
    expect(JSON.stringify(stopped?.needsAttention)).not.toContain(OFFICER.name ?? '');
    expect(stopped?.stage).toBe('awaiting-review');
    expect(metricValues(documents, CASES_NEEDING_ATTENTION_METRIC)).toEqual([1]);
    const [document] = documents.filter((entry) => CASES_NEEDING_ATTENTION_METRIC in entry);
    expect(document?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['service']],
        Metrics: [{ Name: CASES_NEEDING_ATTENTION_METRIC, Unit: 'Count' }],
      },
    ]);
    expect(document?.service).toBe(WORKFLOW_SERVICE_NAME);
    const execution = await workflow.execution(reference);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('WorkflowStepError');

    // Act: the reconciler, as the rule on a failed execution runs it
    workflow.wrapHandlers((_name, handler) => handler);
    const resumed = await emfWrittenDuring(async () => {
      const report = await reconcileCases(reconciler());
      await workflow.settle();
      expect(report.resumed).toContainEqual({ reference, execution: `${reference}-2` });
    });

    // Assess: resumed at the wait its stage is in, marked as found, not counted again
    expect(metricValues(resumed, CASES_NEEDING_ATTENTION_METRIC)).toEqual([]);
    const marked = await getCase(tables.data, reference);
    expect(marked?.needsAttention).toEqual({
      since: stopped?.needsAttention?.since,
      reason: 'execution-failed',
      resumedBy: `${reference}-2`,
      redo: 'ApplyThresholdDecision',
    });
    expect(marked?.waitingFor).toBe('review-outcome');
    expect((await workflow.execution(`${reference}-2`)).status).toBe('RUNNING');
    expect(await sent(reference, 'threshold-met')).toHaveLength(1);

    // Act: the case goes on
    const today = ukDateOf(workflow.clock.now());
    await workflow.decide(reference, decisions.reviewWithout(today), OFFICER);

    // Assess
    expect((await getCase(tables.data, reference))?.waitingFor).toBe('referral');
    expect((await workflow.recount('2026-27')).differences).toBe(0);
  });

  it('is not resumed in a loop when the resumed execution fails at once, but again 12 hours later', async () => {
    // Prepare: every wait's registration fails, so each execution fails as it starts.
    workflow.wrapHandlers((name, handler) =>
      name === 'RegisterTask'
        ? async () => {
            throw Object.assign(new Error('Case cannot take the step'), { name: 'WorkflowStateError' });
          }
        : handler,
    );
    const reference = await newCase();
    const reconcile = async () => {
      const report = await reconcileCases(reconciler());
      await workflow.settle();
      return report;
    };
    expect((await reconcile()).resumed).toContainEqual({ reference, execution: `${reference}-2` });
    expect((await workflow.execution(`${reference}-2`)).status).toBe('FAILED');

    // Act: the run the failure starts at once, then one half a day later with the cause mended
    const atOnce = await reconcile();
    await workflow.advance(13 * 60 * MINUTE);
    workflow.wrapHandlers((_name, handler) => handler);
    const later = await reconcile();

    // Assess
    expect(atOnce.held).toContain(reference);
    expect(atOnce.resumed.filter((entry) => entry.reference === reference)).toEqual([]);
    expect(later.resumed).toContainEqual({ reference, execution: `${reference}-3` });
    expect((await workflow.execution(`${reference}-3`)).status).toBe('RUNNING');
    expect((await getCase(tables.data, reference))?.waitingFor).toBe('threshold-decision');
  });

  it('counts a case once when the marking step itself is run again', async () => {
    // Prepare
    const reference = await newCase();
    const mark = workflow.handlers().NeedsAttention;

    // Act
    const documents = await emfWrittenDuring(async () => {
      await mark({ reference } as never, {} as never);
      await mark({ reference } as never, {} as never);
    });

    // Assess
    expect(metricValues(documents, CASES_NEEDING_ATTENTION_METRIC)).toEqual([1]);
    expect((await getCase(tables.data, reference))?.needsAttention?.reason).toBe('step-failed');
  });

  it('refuses a failed step that is not a name, marking nothing', async () => {
    // Prepare
    const reference = await newCase();
    const mark = workflow.handlers().NeedsAttention;

    // Act
    const marking = mark({ reference, step: 42 } as never, {} as never);

    // Assess
    await expect(marking).rejects.toThrow("The event's step must be a non-empty string");
    expect((await getCase(tables.data, reference))?.needsAttention).toBeNull();
  });

  it('gives a case closed by the PCC’s decision its retention date when its closing step failed', async () => {
    // Prepare
    const reference = await newCase();
    const today = () => ukDateOf(workflow.clock.now());
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithout(today()), OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);
    workflow.wrapHandlers((name, handler) =>
      name === 'CloseCase'
        ? async () => {
            throw Object.assign(new Error('Case closed without a closure'), { name: 'WorkflowStateError' });
          }
        : handler,
    );

    // Act
    await workflow.decide(reference, decisions.stands, PCC);

    // Assess
    const closed = await getCase(tables.data, reference);
    expect(closed?.stage).toBe('closed');
    expect(closed?.expiresAt).toEqual(expect.any(Number));
    expect(await itemsWithoutRetention(reference)).toEqual([]);
    expect(closed?.needsAttention).toEqual({
      since: expect.any(String),
      reason: 'step-failed',
      redo: 'CloseDecided',
    });
    expect((await workflow.execution(reference)).status).toBe('FAILED');
  });
});

describe('a step that tells people of a decision and fails after its retries', () => {
  async function referredToThePcc(): Promise<string> {
    const reference = await newCase();
    const today = () => ukDateOf(workflow.clock.now());
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithout(today()), OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);
    return reference;
  }

  async function reconcile() {
    const report = await reconcileCases(reconciler());
    await workflow.settle();
    return report;
  }

  it('sends the closing letter once the reconciler resumes a case the PCC’s decision closed, when its letter was refused', async () => {
    // Prepare
    const reference = await referredToThePcc();
    workflow.wrapHandlers(lettersRefusedBy('CloseCase'));

    // Act
    await workflow.decide(reference, decisions.stands, PCC);
    await settleRetries();

    // Assess: closed and kept only for its retention, marked for the letter not sent
    const stopped = await getCase(tables.data, reference);
    expect(stopped?.stage).toBe('closed');
    expect(await itemsWithoutRetention(reference)).toEqual([]);
    expect(stopped?.needsAttention).toMatchObject({ reason: 'step-failed', redo: 'CloseDecided' });
    expect((await workflow.execution(reference)).status).toBe('FAILED');
    expect(await sent(reference, 'pcc-decision')).toHaveLength(1);
    expect(await sent(reference, 'case-closed')).toEqual([]);

    // Act: Notify takes messages again; the reconciler runs, as on the failed execution, then daily
    workflow.wrapHandlers((_name, handler) => handler);
    const first = await reconcile();
    const second = await reconcile();

    // Assess: resumed at the closing step, the letter sent once, the mark gone
    expect(first.resumed).toContainEqual({ reference, execution: `${reference}-2` });
    expect(second.resumed.filter((entry) => entry.reference === reference)).toEqual([]);
    expect((await workflow.execution(`${reference}-2`)).status).toBe('SUCCEEDED');
    expect(await sent(reference, 'case-closed')).toHaveLength(1);
    expect(await sent(reference, 'pcc-decision')).toHaveLength(1);
    expect((await getCase(tables.data, reference))?.needsAttention).toBeNull();
  });

  it('never sends the closing letter twice when the closing step failed after sending it', async () => {
    // Prepare
    const reference = await referredToThePcc();
    workflow.wrapHandlers(alwaysFailingAfterRunning('CloseCase'));

    // Act
    await workflow.decide(reference, decisions.stands, PCC);
    await settleRetries();
    workflow.wrapHandlers((_name, handler) => handler);
    const report = await reconcile();

    // Assess
    expect(report.resumed).toContainEqual({ reference, execution: `${reference}-2` });
    expect((await workflow.execution(`${reference}-2`)).status).toBe('SUCCEEDED');
    expect(await sent(reference, 'case-closed')).toHaveLength(1);
    expect((await getCase(tables.data, reference))?.needsAttention).toBeNull();
  });

  it('sends the closing letter once when the step that closed the case on its last action failed after closing it', async () => {
    // Prepare: the review stood with an action of the plan open, so the case waits for it
    const { reference } = await submit(tables.data, workflow.clock.now(), { involvement: NOT_CONSULTED });
    await workflow.start(reference);
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(
      reference,
      decisions.reviewWithRecommendations(ukDateOf(workflow.clock.now())),
      OFFICER,
    );
    await workflow.decide(reference, decisions.referral, APPLICANT);
    await workflow.decide(reference, decisions.stands, PCC);
    workflow.wrapHandlers(alwaysFailingAfterRunning('ApplyDecision'));

    // Act: the last action done closes the case, then its step fails; later the reconciler runs
    await workflow.finishActions(reference);
    await settleRetries();
    const stopped = await getCase(tables.data, reference);
    workflow.wrapHandlers((_name, handler) => handler);
    const report = await reconcile();

    // Assess
    expect(stopped?.stage).toBe('closed');
    expect(stopped?.needsAttention).toMatchObject({ redo: 'ApplyActionsFinished' });
    expect(report.resumed).toContainEqual({ reference, execution: `${reference}-2` });
    expect((await workflow.execution(`${reference}-2`)).status).toBe('SUCCEEDED');
    expect(await sent(reference, 'case-closed')).toHaveLength(1);
    expect((await getCase(tables.data, reference))?.needsAttention).toBeNull();
  });

  it('tells the applicant and the officer of a withdrawal once each when its closing step failed on them', async () => {
    // Prepare
    const reference = await newCase();
    workflow.wrapHandlers(lettersRefusedBy('CloseCase'));

    // Act
    await workflow.decide(reference, decisions.withdraw, APPLICANT);
    await settleRetries();
    const stopped = await getCase(tables.data, reference);
    workflow.wrapHandlers((_name, handler) => handler);
    await reconcile();

    // Assess
    expect(stopped?.stage).toBe('closed');
    expect(stopped?.needsAttention).toMatchObject({ redo: 'CloseWithdrawn' });
    expect(await sent(reference, 'case-closed')).toHaveLength(1);
    expect(await sent(reference, 'case-withdrawn', 'officer')).toHaveLength(1);
    expect((await workflow.execution(`${reference}-2`)).status).toBe('SUCCEEDED');
    expect((await getCase(tables.data, reference))?.needsAttention).toBeNull();
    expect((await workflow.recount('2026-27')).differences).toBe(0);
  });

  it('sends a decision’s letter once the reconciler resumes the case at the step that applied it, then waits for the next step', async () => {
    // Prepare
    const reference = await newCase();
    workflow.wrapHandlers(lettersRefusedBy('ApplyDecision'));

    // Act
    await workflow.decide(reference, decisions.met, OFFICER);
    await settleRetries();
    const stopped = await getCase(tables.data, reference);
    workflow.wrapHandlers((_name, handler) => handler);
    await reconcile();

    // Assess: the decision applied once and counted once, its letter sent on resuming, then the wait
    expect(stopped?.stage).toBe('awaiting-review');
    expect(stopped?.needsAttention).toMatchObject({ redo: 'ApplyThresholdDecision' });
    expect(await sent(reference, 'threshold-met')).toHaveLength(1);
    expect((await workflow.execution(`${reference}-2`)).status).toBe('RUNNING');
    expect((await getCase(tables.data, reference))?.waitingFor).toBe('review-outcome');
    expect((await workflow.recount('2026-27')).differences).toBe(0);
  });
});

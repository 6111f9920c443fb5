// The state machine's catch-all: a step that still fails after its retries marks the case as needing
// attention (when, and 'step-failed': nothing personal) and counts it once in CasesNeedingAttention;
// the execution fails with the step's own error, the reconciler resumes the case at the wait its stage
// is in without counting it again, and the case goes on with its counters equal to a recount. A case
// the PCC's decision closed before its closing step failed is given its retention date instead.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ukDateOf } from '#core/local-date.ts';
import { getCase } from '#data/case-store.ts';
import type { LambdaHandler } from '#local/stepfunctions/lambda-invoker.ts';
import { CASES_NEEDING_ATTENTION_METRIC, METRICS_NAMESPACE } from '#shared/metrics.ts';
import type { TestTables } from '#test/support/api-tables.ts';
import { APPLICANT, decisions, OFFICER, PCC, submit } from '#test/support/case-fixtures.ts';
import {
  type CaseWorkflow,
  caseWorkflowPerFile,
  WORKFLOW_SERVICE_NAME,
  type WorkflowFunction,
} from '#test/support/case-workflow.ts';
import { emfWrittenDuring, metricValues } from '#test/support/emf.ts';
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
    expect(stopped?.needsAttention).toEqual({ since: expect.any(String), reason: 'step-failed' });
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
    });
    expect(marked?.waitingFor).toBe('review-outcome');
    expect((await workflow.execution(`${reference}-2`)).status).toBe('RUNNING');

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
    expect(closed?.needsAttention).toBeNull();
    expect((await workflow.execution(reference)).status).toBe('FAILED');
  });
});

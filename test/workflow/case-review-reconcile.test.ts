// A stranded case is recovered, never silent: when a case's execution stops while the case is open
// (stopped, or failed by a forged task failure), the reconciler marks the case as needing attention
// and resumes it at the wait it is in, in `<reference>-2`; a decision then moves it on, the counters
// equal a recount, and a second run starts nothing (it clears the mark instead). A request's attempt to
// start a case says that an execution exists, never that it runs; and a case closed while its execution
// was stopped still gets its retention date.
import { GetExecutionHistoryCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type DecisionBody, WAIT_STEPS } from '#core/case-record.ts';
import { addDays, endOfUkDay, ukDateOf } from '#core/local-date.ts';
import { workingDayDeadline } from '#core/working-days.ts';
import { recordAction } from '#data/case-decisions.ts';
import { getCase } from '#data/case-store.ts';
import { getWaitingTask, startCaseReview } from '#data/case-tasks.ts';
import { executionArnOf } from '#local/stepfunctions/names.ts';
import type { TestTables } from '#test/support/api-tables.ts';
import { APPLICANT, decisions, NOT_CONSULTED, OFFICER, PCC, submit } from '#test/support/case-fixtures.ts';
import { type CaseWorkflow, caseWorkflowPerFile } from '#test/support/case-workflow.ts';
import { type ReconcilerDependencies, reconcileCases } from '#workflow/reconcile.ts';

const START = '2026-04-13T09:00:00.000Z';
let tables: TestTables;
let workflow: CaseWorkflow;

caseWorkflowPerFile(START, (opened, running) => {
  tables = opened;
  workflow = running;
});

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

async function reconcile() {
  const report = await reconcileCases(reconciler());
  await workflow.settle();
  return report;
}

async function newCase(): Promise<string> {
  const { reference } = await submit(tables.data, workflow.clock.now());
  await workflow.start(reference);
  return reference;
}

const describeExecution = (name: string) => workflow.execution(name);

describe('a case whose execution was stopped', () => {
  it('is marked, resumed at its wait, moved on by a decision, and a second run starts nothing', async () => {
    // Prepare
    const reference = await newCase();
    const before = await getCase(tables.data, reference);
    await workflow.sfn.send(
      new StopExecutionCommand({ executionArn: executionArnOf(workflow.machine.arn, reference) }),
    );
    await workflow.settle();

    // Act
    const first = await reconcile();

    // Assess
    expect(first.resumed).toContainEqual({ reference, execution: `${reference}-2` });
    const marked = await getCase(tables.data, reference);
    expect(marked?.needsAttention).toEqual({
      since: START,
      reason: 'execution-aborted',
      resumedBy: `${reference}-2`,
    });
    expect(marked?.stage).toBe(before?.stage);
    expect(marked?.waitingFor).toBe('threshold-decision');
    expect((await describeExecution(`${reference}-2`)).status).toBe('RUNNING');

    // Act: the second run
    const second = await reconcile();

    // Assess
    expect(second.resumed.filter((resumed) => resumed.reference === reference)).toEqual([]);
    expect(second.cleared).toContain(reference);
    expect((await getCase(tables.data, reference))?.needsAttention).toBeNull();
    await expect(describeExecution(`${reference}-3`)).rejects.toThrow(/does not exist/i);
    const third = await reconcile();
    expect(third.resumed.filter((resumed) => resumed.reference === reference)).toEqual([]);
    expect(third.cleared).not.toContain(reference);

    // Act: the officer decides
    await workflow.decide(reference, decisions.met, OFFICER);

    // Assess
    const moved = await getCase(tables.data, reference);
    expect(moved?.waitingFor).toBe('review-outcome');
    expect(moved?.stage).not.toBe(before?.stage);
    expect((await workflow.recount('2026-27')).differences).toBe(0);
  });
});

describe('a case whose wait was failed by a forged task failure', () => {
  it('delivers the decision recorded while it was stranded once resumed', async () => {
    // Prepare
    const reference = await newCase();
    const waiting = await getWaitingTask(tables.data, reference);
    await workflow.callbacks.fail(waiting?.taskToken ?? '', 'Forged', 'Not the workflow');
    await workflow.settle();
    expect((await describeExecution(reference)).status).toBe('FAILED');
    const recorded = await recordAction(
      tables.data,
      reference,
      decisions.notMet,
      OFFICER,
      workflow.clock.now(),
    );
    expect(recorded.outcome).toBe('recorded');

    // Act
    const report = await reconcile();

    // Assess
    expect(report.resumed).toContainEqual({ reference, execution: `${reference}-2` });
    const resumed = await getCase(tables.data, reference);
    expect(resumed?.needsAttention?.reason).toBe('execution-failed');
    expect(resumed?.stage).toBe('threshold-not-met');
    expect(resumed?.waitingFor).toBe('referral');
    expect((await workflow.recount('2026-27')).differences).toBe(0);
    const again = await reconcile();
    expect(again.resumed.filter((entry) => entry.reference === reference)).toEqual([]);
  });
});

describe('a case whose execution never started', () => {
  it('is started under its reference, unmarked, once', async () => {
    // Prepare: StartExecution failed after the submission was stored.
    const { reference } = await submit(tables.data, workflow.clock.now());

    // Act
    const first = await reconcile();
    const second = await reconcile();

    // Assess
    expect(first.started).toContain(reference);
    expect(second.started).not.toContain(reference);
    expect((await describeExecution(reference)).status).toBe('RUNNING');
    expect((await getCase(tables.data, reference))?.needsAttention).toBeNull();
    await expect(describeExecution(`${reference}-2`)).rejects.toThrow(/does not exist/i);
  });
});

describe('a resumed execution', () => {
  it.each(WAIT_STEPS)('enters the wait for %s first', async (step) => {
    // Prepare: RegisterTask is not run, so the wait only waits.
    const reference = await newCase();
    workflow.wrapHandlers((name, handler) => (name === 'RegisterTask' ? async () => ({}) : handler));
    const name = `${reference}-resume-${step}`;

    // Act
    await workflow.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: workflow.machine.arn,
        name,
        input: JSON.stringify({ reference, resumeAt: step, timeoutSeconds: 3600, due: START }),
      }),
    );
    await workflow.settle();
    workflow.wrapHandlers((_name, handler) => handler);

    // Assess
    const { events = [] } = await workflow.sfn.send(
      new GetExecutionHistoryCommand({ executionArn: executionArnOf(workflow.machine.arn, name) }),
    );
    const entered = events.flatMap((event) => event.stateEnteredEventDetails?.name ?? []);
    const expected = {
      'threshold-decision': 'WaitForThresholdDecision',
      'review-outcome': 'WaitForReviewOutcome',
      'action-plan': 'WaitForActionPlan',
      referral: 'WaitForReferral',
      'pcc-decision': 'WaitForPccDecision',
      'actions-finished': 'WaitForActions',
    }[step];
    expect(entered).toEqual(['StartOrResume', expected]);
    const scheduled = events.find((event) => event.taskScheduledEventDetails !== undefined);
    expect(scheduled?.taskScheduledEventDetails?.timeoutInSeconds).toBe(3600);
    await workflow.sfn.send(
      new StopExecutionCommand({ executionArn: executionArnOf(workflow.machine.arn, name) }),
    );
  });
});

describe('a case whose first execution stopped before the case was assessed', () => {
  it('is reported by a request as having an execution, not as running, and the reconciler resumes it', async () => {
    // Prepare
    workflow.wrapHandlers((name, handler) =>
      name === 'AssessThreshold'
        ? async () => {
            throw Object.assign(new Error('Case not assessed'), { name: 'WorkflowStateError' });
          }
        : handler,
    );
    const reference = await newCase();
    workflow.wrapHandlers((_name, handler) => handler);
    expect((await describeExecution(reference)).status).toBe('FAILED');

    // Act
    const requested = await startCaseReview(workflow.sfn, workflow.machine.arn, reference);
    const report = await reconcile();

    // Assess
    expect(requested).toBe('exists');
    expect(report.resumed).toContainEqual({ reference, execution: `${reference}-2` });
    const resumed = await getCase(tables.data, reference);
    expect(resumed?.stage).toBe('awaiting-threshold-decision');
    expect(resumed?.waitingFor).toBe('threshold-decision');
  });
});

describe('a case closed by the PCC’s decision while its execution was stopping', () => {
  it('gets its retention date from the reconciler, once', async () => {
    // Prepare: neither the closing step nor the catch-all can write.
    const reference = await newCase();
    const today = () => ukDateOf(workflow.clock.now());
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithout(today()), OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);
    workflow.wrapHandlers((name, handler) =>
      name === 'CloseCase' || name === 'NeedsAttention'
        ? async () => {
            throw Object.assign(new Error('The table is unavailable'), { name: 'WorkflowStateError' });
          }
        : handler,
    );
    await workflow.decide(reference, decisions.stands, PCC);
    workflow.wrapHandlers((_name, handler) => handler);
    expect((await getCase(tables.data, reference))?.stage).toBe('closed');
    expect((await getCase(tables.data, reference))?.expiresAt).toBeNull();

    // Act
    const first = await reconcile();
    const second = await reconcile();

    // Assess
    expect(first.retained).toContain(reference);
    expect(second.retained).not.toContain(reference);
    const { Items = [] } = await tables.data.db.send(
      new QueryCommand({
        TableName: tables.data.tables.cases,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CASE#${reference}` },
        ConsistentRead: true,
      }),
    );
    expect(Items.filter((item) => typeof item.expiresAt !== 'number').map((item) => item.sk)).toEqual([]);
    expect((await getCase(tables.data, reference))?.needsAttention).toBeNull();
  });
});

describe('a case whose execution stopped in the referral window with an action of its plan open', () => {
  it('reminds the action that fell overdue while it was stopped once resumed, then the officer, and nobody again after another stop', async () => {
    // Prepare: a plan final at once, its action due in three days; the execution stopped the next day
    const { reference } = await submit(tables.data, workflow.clock.now(), { involvement: NOT_CONSULTED });
    await workflow.start(reference);
    await workflow.decide(reference, decisions.met, OFFICER);
    const dueBy = addDays(ukDateOf(workflow.clock.now()), 3);
    const review = decisions.reviewWithRecommendations(ukDateOf(workflow.clock.now()));
    await workflow.decide(
      reference,
      {
        ...review,
        body: {
          ...review.body,
          recommendations: [{ action: 'Install a noise monitor', owner: 'council', dueBy }],
        },
      } as DecisionBody,
      OFFICER,
    );
    const stop = async (name: string) => {
      await workflow.sfn.send(
        new StopExecutionCommand({ executionArn: executionArnOf(workflow.machine.arn, name) }),
      );
      await workflow.settle();
    };
    const reminded = async () =>
      (await workflow.messages(reference))
        .filter((message) => message.template === 'action-overdue')
        .map((message) => message.to.agency ?? message.to.kind)
        .sort();
    await stop(reference);
    const dayEnded = endOfUkDay(dueBy);
    await workflow.advanceTo(new Date(dayEnded.getTime() + 1000).toISOString());
    const whileStopped = await reminded();

    // Act
    await reconcile();
    const resumed = await reminded();
    await workflow.advanceTo(new Date(workingDayDeadline(dayEnded, 2).getTime() + 1000).toISOString());
    const thenOfficer = await reminded();
    await stop(`${reference}-2`);
    await reconcile();
    const afterAnotherStop = await reminded();

    // Assess
    expect(whileStopped).toEqual([]);
    expect(resumed).toEqual(['council']);
    expect(thenOfficer).toEqual(['council', 'council', 'officer']);
    expect(afterAnotherStop).toEqual(thenOfficer);
    expect((await describeExecution(`${reference}-3`)).status).toBe('RUNNING');
    expect(await getCase(tables.data, reference)).toMatchObject({
      stage: 'review-complete',
      waitingFor: 'referral',
    });
  });
});

// A new release must take the payloads of the previous one: executions in flight keep running on the
// definition they started on, and call the new functions. The previous release's definition is kept as
// test/fixtures/asl/case-review-previous.asl.json (its release and hash recorded beside it in
// case-review-previous.json) and run here on the local engine against the current handlers: every main
// path, a withdrawal, a resumed execution, and a case that started on it going on in the current
// definition through the reconciler's resume input. The guard makes a definition change without a
// refreshed fixture visible (README, "The previous release's definition").
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetExecutionHistoryCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_STEPS } from '#core/case-record.ts';
import { addDays, ukDateOf } from '#core/local-date.ts';
import { getCase } from '#data/case-store.ts';
import type { CompiledStateMachine } from '#local/stepfunctions/model.ts';
import { executionArnOf } from '#local/stepfunctions/names.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { APPLICANT, decisions, NOT_CONSULTED, OFFICER, PCC, submit } from '#test/support/case-fixtures.ts';
import { CaseWorkflow, PREVIOUS_RELEASE_DIRECTORY } from '#test/support/case-workflow.ts';
import { reconcileCases } from '#workflow/reconcile.ts';
import { resumeInput } from '#workflow/resume.ts';

const START = '2026-09-07T09:00:00.000Z';
const SECOND = 1000;
let tables: TestTables;
let workflow: CaseWorkflow;
let previous: CompiledStateMachine;

beforeAll(async () => {
  tables = await startTestTables();
  workflow = await CaseWorkflow.open(tables, START, { previousRelease: true });
  if (workflow.previous === undefined) throw new Error('the previous release is not loaded');
  previous = workflow.previous;
});

afterAll(async () => {
  await workflow?.stop();
  await tables?.stop();
});

const sha256 = (path: string) =>
  createHash('sha256').update(readFileSync(path, 'utf8').replaceAll('\r\n', '\n')).digest('hex');

async function oldCase(): Promise<string> {
  // Not consulted on the plan: the previous release has no consultation.
  const { reference } = await submit(tables.data, workflow.clock.now(), { involvement: NOT_CONSULTED });
  await workflow.start(reference, previous);
  return reference;
}

async function passDeadline(reference: string): Promise<void> {
  const nextDeadline = (await getCase(tables.data, reference))?.nextDeadline ?? '';
  await workflow.advanceTo(new Date(Date.parse(nextDeadline) + SECOND).toISOString());
}

const today = () => ukDateOf(workflow.clock.now());
const year = () => (workflow.clock.now() < new Date('2027-04-01') ? '2026-27' : '2027-28');

describe('the previous release fixture', () => {
  it('is the definition its manifest records, checked against the current definition', () => {
    // Prepare
    const manifest = JSON.parse(
      readFileSync(join(PREVIOUS_RELEASE_DIRECTORY, 'case-review-previous.json'), 'utf8'),
    ) as { release: string; previousSha256: string; checkedAgainstSha256: string };

    // Act
    const fixture = sha256(join(PREVIOUS_RELEASE_DIRECTORY, 'case-review-previous.asl.json'));
    const current = sha256(join(import.meta.dirname, '../../statemachines/case-review.asl.json'));

    // Assess: a changed definition needs this file's tests run against it and the fixture refreshed
    // to the release in production, then both hashes recorded (README).
    expect(manifest.release).toMatch(/^[0-9a-f]{40}$/);
    expect(fixture, 'test/fixtures/asl/case-review-previous.asl.json was edited').toBe(
      manifest.previousSha256,
    );
    expect(
      current,
      'statemachines/case-review.asl.json changed: refresh test/fixtures/asl/case-review-previous.json',
    ).toBe(manifest.checkedAgainstSha256);
  });
});

describe('an execution on the previous release’s definition, with the current handlers', () => {
  it('runs met, review, referral and the PCC’s decision to closure', async () => {
    // Prepare
    const reference = await oldCase();

    // Act
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    await workflow.finishActions(reference);
    await workflow.decide(reference, decisions.referral, APPLICANT);
    await workflow.decide(reference, decisions.stands, PCC);

    // Assess
    const closed = await getCase(tables.data, reference);
    expect(closed?.closure?.reason).toBe('pcc-decided');
    expect(closed?.expiresAt).toEqual(expect.any(Number));
    expect((await workflow.execution(reference, previous)).status).toBe('SUCCEEDED');
    expect((await workflow.recount(year())).differences).toBe(0);
  });

  it('closes a case not met when its referral window ends', async () => {
    // Prepare
    const reference = await oldCase();

    // Act
    await workflow.decide(reference, decisions.notMet, OFFICER);
    await passDeadline(reference);

    // Assess
    const closed = await getCase(tables.data, reference);
    expect(closed?.closure?.reason).toBe('threshold-not-met');
    expect((await workflow.execution(reference, previous)).status).toBe('SUCCEEDED');
    expect((await workflow.recount(year())).differences).toBe(0);
  });

  it('ends at a withdrawal', async () => {
    // Prepare
    const reference = await oldCase();
    await workflow.decide(reference, decisions.met, OFFICER);

    // Act
    await workflow.decide(reference, decisions.withdraw, APPLICANT);

    // Assess
    expect((await getCase(tables.data, reference))?.closure?.reason).toBe('withdrawn');
    expect((await workflow.execution(reference, previous)).status).toBe('SUCCEEDED');
    expect((await workflow.recount(year())).differences).toBe(0);
  });

  // The consultation's and the actions' waits came after that release: a case resumes there only in the
  // current definition.
  const previousWaits = WAIT_STEPS.filter((step) => step !== 'action-plan' && step !== 'actions-finished');
  it.each(previousWaits)('takes the current resume input and enters the wait for %s', async (step) => {
    // Prepare: RegisterTask is not run, so the wait only waits.
    const reference = await oldCase();
    const record = await getCase(tables.data, reference);
    if (record === undefined) throw new Error('no case');
    const input = resumeInput(
      {
        ...record,
        deadlines: { ...record.deadlines, referralWindow: START, reviewOutcome: START, pccDecision: START },
      },
      workflow.clock.now(),
      step,
    );
    workflow.wrapHandlers((name, handler) => (name === 'RegisterTask' ? async () => ({}) : handler));
    const name = `${reference}-resumed-${step}`;

    // Act
    await workflow.sfn.send(
      new StartExecutionCommand({ stateMachineArn: previous.arn, name, input: JSON.stringify(input) }),
    );
    await workflow.settle();
    workflow.wrapHandlers((_name, handler) => handler);

    // Assess
    const { events = [] } = await workflow.sfn.send(
      new GetExecutionHistoryCommand({ executionArn: executionArnOf(previous.arn, name) }),
    );
    const entered = events.flatMap((event) => event.stateEnteredEventDetails?.name ?? []);
    const wait = {
      'threshold-decision': 'WaitForThresholdDecision',
      'review-outcome': 'WaitForReviewOutcome',
      referral: 'WaitForReferral',
      'pcc-decision': 'WaitForPccDecision',
    }[step];
    expect(entered).toEqual(['StartOrResume', wait]);
    expect(
      events.find((event) => event.taskScheduledEventDetails)?.taskScheduledEventDetails?.resource,
    ).toMatch(/waitForTaskToken$/);
    await workflow.sfn.send(new StopExecutionCommand({ executionArn: executionArnOf(previous.arn, name) }));
  });
});

describe('a case on the previous release’s definition that the current release asks more of', () => {
  const sent = async (reference: string, template: string) =>
    (await workflow.messages(reference))
      .filter((message) => message.template === template)
      .map((message) => message.to.agency ?? message.to.kind)
      .sort();
  const reconcile = () =>
    reconcileCases({
      data: tables.data,
      area: workflow.deps.area,
      stepFunctions: workflow.sfn,
      stateMachineArn: workflow.machine.arn,
      clock: workflow.deps.clock,
      metrics: workflow.deps.metrics,
      retentionYears: workflow.deps.retentionYears,
    });

  it('reminds an information request not answered at its wait’s own timeout, which is never armed again', async () => {
    // Prepare
    const reference = await oldCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    const dueBy = addDays(today(), 2);

    // Act
    await workflow.ask(reference, { agencies: ['police'], dueBy, message: 'What did you know?' });
    await workflow.settle();
    const asked = await getCase(tables.data, reference);
    await passDeadline(reference);

    // Assess
    expect(asked).toMatchObject({ waitingFor: 'review-outcome', needsAttention: null });
    expect(await sent(reference, 'request-overdue')).toEqual(['officer', 'police']);
    expect(await sent(reference, 'decision-reminder')).toEqual(['officer']);
    expect(await getCase(tables.data, reference)).toMatchObject({
      stage: 'awaiting-review',
      waitingFor: 'review-outcome',
      needsAttention: null,
    });
    expect((await workflow.execution(reference, previous)).status).toBe('RUNNING');
    await workflow.decide(reference, decisions.withdraw, APPLICANT);
  });
  it('leaves a case open when the referral window ends with an action open, and it closes in the current definition once the action is done', async () => {
    // Prepare
    const reference = await oldCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);

    // Act
    await passDeadline(reference);
    const windowEnded = await getCase(tables.data, reference);
    const lettersThen = await sent(reference, 'case-closed');
    const oldExecution = await workflow.execution(reference, previous);
    const report = await reconcile();
    await workflow.settle();
    const resumed = await getCase(tables.data, reference);
    await workflow.finishActions(reference);

    // Assess
    expect(windowEnded).toMatchObject({ stage: 'review-complete', closure: null });
    expect(windowEnded?.deadlines.actions).toEqual(expect.any(String));
    expect(lettersThen).toEqual([]);
    expect(oldExecution.status).toBe('SUCCEEDED');
    // The engine keeps the previous release as a state machine of its own, so the current one starts it.
    expect(report.started).toContain(reference);
    expect(resumed).toMatchObject({
      stage: 'review-complete',
      waitingFor: 'actions-finished',
      closure: null,
    });
    const closed = await getCase(tables.data, reference);
    expect(closed).toMatchObject({ closure: { reason: 'review-complete' }, needsAttention: null });
    expect(closed?.expiresAt).toEqual(expect.any(Number));
    expect(await sent(reference, 'case-closed')).toEqual(['applicant']);
    expect((await workflow.recount(year())).differences).toBe(0);
  });

  it('leaves a case open when the PCC’s office lets the review stand with an action open, and it closes as decided in the current definition', async () => {
    // Prepare
    const reference = await oldCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.decide(reference, decisions.reviewWithRecommendations(today()), OFFICER);
    await workflow.decide(reference, decisions.referral, APPLICANT);

    // Act
    await workflow.decide(reference, decisions.stands, PCC);
    const stood = await getCase(tables.data, reference);
    const oldExecution = await workflow.execution(reference, previous);
    const report = await reconcile();
    await workflow.settle();
    await workflow.finishActions(reference);

    // Assess
    expect(stood).toMatchObject({ stage: 'review-complete', closure: null, needsAttention: null });
    expect(oldExecution.status).toBe('SUCCEEDED');
    // The engine keeps the previous release as a state machine of its own, so the current one starts it.
    expect(report.started).toContain(reference);
    const closed = await getCase(tables.data, reference);
    expect(closed).toMatchObject({ closure: { reason: 'pcc-decided' }, needsAttention: null });
    expect(await sent(reference, 'case-closed')).toEqual(['applicant']);
    expect((await workflow.recount(year())).differences).toBe(0);
  });
});

describe('a case whose execution on the previous release stopped', () => {
  it('goes on in the current definition from the reconciler’s resume input', async () => {
    // Prepare: waiting for its review on the old definition, when that execution is stopped.
    const reference = await oldCase();
    await workflow.decide(reference, decisions.met, OFFICER);
    await workflow.sfn.send(
      new StopExecutionCommand({ executionArn: executionArnOf(previous.arn, reference) }),
    );
    await workflow.settle();

    // Act: the current reconciler, on the current definition
    const report = await reconcileCases({
      data: tables.data,
      area: workflow.deps.area,
      stepFunctions: workflow.sfn,
      stateMachineArn: workflow.machine.arn,
      clock: workflow.deps.clock,
      metrics: workflow.deps.metrics,
      retentionYears: workflow.deps.retentionYears,
    });
    await workflow.settle();

    // Assess
    expect(report.started).toContain(reference);
    expect((await getCase(tables.data, reference))?.waitingFor).toBe('review-outcome');
    await workflow.decide(reference, decisions.reviewWithout(today()), OFFICER);
    await passDeadline(reference);
    expect((await getCase(tables.data, reference))?.closure?.reason).toBe('review-complete');
    expect((await workflow.execution(reference)).status).toBe('SUCCEEDED');
    expect((await workflow.recount(year())).differences).toBe(0);
  });
});

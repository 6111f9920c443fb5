// Every kind of failure a workflow function has, made to happen on the local engine with the real
// handlers: what the execution history then holds about it (each TaskFailed and ExecutionFailed
// event's error and cause, as Lambda's Node runtime and Step Functions would record them) is the
// error's name and a message written in this code base: no stack frame, no source path, and none of
// the applicant's personal data, even when the underlying failure quoted it.
import { GetExecutionHistoryCommand, type HistoryEvent, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { getWaitingTask } from '#data/case-tasks.ts';
import type { LambdaHandler } from '#local/stepfunctions/lambda-invoker.ts';
import { executionArnOf } from '#local/stepfunctions/names.ts';
import type { Notification } from '#shared/notifier.ts';
import type { TestTables } from '#test/support/api-tables.ts';
import { application, submit } from '#test/support/case-fixtures.ts';
import { type CaseWorkflow, caseWorkflowPerFile } from '#test/support/case-workflow.ts';
import { createAssessThresholdHandler } from '#workflow/assess-threshold.ts';

const START = '2026-05-11T09:00:00.000Z';
const MINUTE = 60 * 1000;
/** Everything personal the test application holds. */
const PERSONAL = Object.values(application(new Date(START)).applicant).filter(
  (value): value is string => typeof value === 'string' && value.length > 5,
);

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

async function history(name: string): Promise<HistoryEvent[]> {
  const { events = [] } = await workflow.sfn.send(
    new GetExecutionHistoryCommand({
      executionArn: executionArnOf(workflow.machine.arn, name),
      maxResults: 1000,
    }),
  );
  return events;
}

interface Failure {
  type: string;
  error: string;
  cause: string;
}

/** The error and cause of every task failure and of the execution's own failure. */
function failures(events: HistoryEvent[]): Failure[] {
  return events.flatMap((event) => {
    const details = event.taskFailedEventDetails ?? event.executionFailedEventDetails;
    return details === undefined
      ? []
      : [{ type: event.type ?? '', error: details.error ?? '', cause: details.cause ?? '' }];
  });
}

/** The cause a Lambda function's error leaves: only its type, its message and a one-line trace. */
function assertSafe(failure: Failure, errorType: string, message: RegExp): void {
  const report = JSON.parse(failure.cause) as { errorType: string; errorMessage: string; trace: string[] };
  expect(Object.keys(report).sort()).toEqual(['errorMessage', 'errorType', 'trace']);
  expect(failure.error).toBe(errorType);
  expect(report.errorType).toBe(errorType);
  expect(report.errorMessage).toMatch(message);
  expect(report.trace).toEqual([`${errorType}: ${report.errorMessage}`]);
  expect(failure.cause).not.toMatch(/\bat\s|\.ts\b|\.js\b|file:|node_modules|\/work\/|\/var\/task/);
  for (const personal of PERSONAL) expect(failure.cause).not.toContain(personal);
}

async function settleRetries(): Promise<void> {
  // The retrier's back-off (FULL jitter, at most 300 s) fires one retry per clock move.
  for (let round = 0; round < 10; round += 1) await workflow.advance(10 * MINUTE);
}

describe('the execution history of a failed workflow step', () => {
  it('holds only the name and message of an event the function cannot take (InvalidStepInputError)', async () => {
    // Prepare
    const name = 'not-a-reference';

    // Act
    await workflow.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: workflow.machine.arn,
        name,
        input: JSON.stringify({ reference: 42 }),
      }),
    );
    await workflow.settle();

    // Assess
    const found = failures(await history(name));
    expect(found.map((failure) => failure.type)).toEqual(['TaskFailed', 'ExecutionFailed']);
    for (const failure of found) {
      assertSafe(failure, 'InvalidStepInputError', /^The event's reference must be a non-empty string$/);
    }
  });

  it('holds only the name and message of a case that cannot take the step (WorkflowStateError)', async () => {
    // Prepare: a forged answer to the threshold wait, with no decision recorded.
    const reference = await newCase();
    const waiting = await getWaitingTask(tables.data, reference);

    // Act
    await workflow.callbacks.succeed(waiting?.taskToken ?? '', { action: 'threshold-decision' });
    await workflow.settle();

    // Assess
    expect((await workflow.execution(reference)).status).toBe('FAILED');
    const found = failures(await history(reference));
    expect(found.map((failure) => failure.type)).toEqual(['TaskFailed', 'ExecutionFailed']);
    for (const failure of found) {
      assertSafe(failure, 'WorkflowStateError', new RegExp(`^Case ${reference}: no threshold-decision`));
    }
  });

  it('holds only the name and message of a wait the case is not at (StageConflictError)', async () => {
    // Prepare: the threshold wait registers as if it were the PCC's.
    workflow.wrapHandlers(
      (name, handler): LambdaHandler =>
        name === 'RegisterTask'
          ? (event, context) => handler({ ...(event as object), step: 'pcc-decision' } as never, context)
          : handler,
    );

    // Act
    const reference = await newCase();

    // Assess
    expect((await workflow.execution(reference)).status).toBe('FAILED');
    const found = failures(await history(reference));
    expect(found.map((failure) => failure.type)).toEqual(['TaskFailed', 'ExecutionFailed']);
    for (const failure of found) assertSafe(failure, 'StageConflictError', /^The wait for the pcc-decision/);
  });

  it("holds only the failed error's name when an unexpected failure quoted personal data (WorkflowStepError)", async () => {
    // Prepare: the notifier's error quotes the recipient, as a library's might.
    const quoting = createAssessThresholdHandler({
      ...workflow.deps,
      notifier: {
        notify: async (notification: Notification) => {
          if (notification.to.kind !== 'applicant') return workflow.deps.notifier.notify(notification);
          throw Object.assign(new Error(`Refused: ${JSON.stringify(notification.to)}`), {
            name: 'NotifyRefusedError',
          });
        },
      },
    });
    workflow.wrapHandlers((name, handler) =>
      name === 'AssessThreshold' ? (quoting as LambdaHandler) : handler,
    );

    // Act
    const reference = await newCase();
    await settleRetries();

    // Assess
    expect((await workflow.execution(reference)).status).toBe('FAILED');
    const found = failures(await history(reference));
    // The first call and the retrier's six attempts, then the execution.
    expect(found.map((failure) => failure.type)).toEqual([...Array(7).fill('TaskFailed'), 'ExecutionFailed']);
    for (const failure of found) {
      assertSafe(failure, 'WorkflowStepError', /^The step failed with NotifyRefusedError$/);
    }
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '#local/dynamodb-local.ts';
import { InvalidOutput, InvalidToken, TaskTimedOut } from '#local/stepfunctions/errors.ts';
import { startTestDynamoDb } from '#test/support/dynamodb.ts';
import {
  assertContiguous,
  callbackTask,
  type Harness,
  historyOf,
  lambdaTask,
  machine,
  openRuntime,
} from '#test/support/stepfunctions-runtime.ts';

const decision = machine('decision', {
  QueryLanguage: 'JSONata',
  StartAt: 'Decide',
  States: {
    Decide: callbackTask('register', {
      TimeoutSeconds: 100,
      HeartbeatSeconds: 10,
      Catch: [
        {
          ErrorEquals: ['Withdrawn'],
          Output: '{% {"withdrawn": $states.errorOutput.Cause} %}',
          Next: 'Closed',
        },
      ],
      Next: 'Closed',
    }),
    Closed: { Type: 'Succeed' },
  },
});
const answeredAtOnce = machine('answered-at-once', {
  QueryLanguage: 'JSONata',
  StartAt: 'Decide',
  States: { Decide: callbackTask('answer-at-once', { End: true }) },
});
const answeredInRun = machine('answered-in-run', {
  QueryLanguage: 'JSONata',
  StartAt: 'First',
  States: {
    First: { ...lambdaTask('quick'), Next: 'Decide' },
    Decide: callbackTask('answer-at-once', { End: true }),
  },
});
const slowDecision = machine('slow-decision', {
  QueryLanguage: 'JSONata',
  StartAt: 'Decide',
  States: { Decide: callbackTask('register', { TimeoutSeconds: 100, End: true }) },
});
const noHeartbeat = machine('no-heartbeat', {
  QueryLanguage: 'JSONata',
  StartAt: 'Decide',
  States: { Decide: callbackTask('register', { End: true }) },
});

let db: DynamoDbLocal;
let harness: Harness;
const tokens: string[] = [];
/** What the runtime says of each token as its handler holds it (the deployed mode's IAM check asks). */
const owners: unknown[] = [];

beforeAll(async () => {
  db = await startTestDynamoDb();
  harness = await openRuntime({
    endpoint: db.endpoint,
    machines: [decision, answeredAtOnce, answeredInRun, noHeartbeat, slowDecision],
    handlers: {
      quick: async () => ({}),
      register: async (event: never) => {
        tokens.push((event as { token: string }).token);
        return { registered: true };
      },
      'answer-at-once': async (event: never) => {
        owners.push(await harness.runtime.taskToken((event as { token: string }).token));
        // The handler answers its own token before it returns, as a fast human or system could.
        await harness.runtime.sendTaskSuccess({
          taskToken: (event as { token: string }).token,
          output: '{"answered":"early"}',
        });
        return { registered: true };
      },
    },
  });
});

afterEach(() => {
  expect(harness.errors).toEqual([]);
});

afterAll(async () => {
  await harness?.runtime.close();
  await db?.stop();
});

async function startWaiting(
  stateMachineArn = decision.arn,
): Promise<{ executionArn: string; token: string }> {
  const { executionArn } = await harness.runtime.startExecution({
    stateMachineArn,
    input: '{"case":"ASB-1"}',
  });
  await harness.runtime.idle();
  return { executionArn, token: tokens.at(-1) as string };
}

describe('SendTaskSuccess', () => {
  it('continues the execution with the output once the handler has registered the token', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting();
    const waiting = await harness.runtime.describeExecution(executionArn);

    // Act
    await harness.runtime.sendTaskSuccess({ taskToken: token, output: '{"decision":"met"}' });

    // Assess
    expect(waiting.status).toBe('RUNNING');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const described = await harness.runtime.describeExecution(executionArn);
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"decision":"met"}' });
    const events = await historyOf(harness.runtime, executionArn);
    assertContiguous(events);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('works when the answer comes before the handler has returned', async () => {
    // Prepare
    const { runtime } = harness;

    // Act
    const { executionArn } = await runtime.startExecution({ stateMachineArn: answeredAtOnce.arn });
    await runtime.idle();

    // Assess
    const described = await runtime.describeExecution(executionArn);
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"answered":"early"}' });
    const types = (await historyOf(runtime, executionArn)).map((event) => event.type);
    expect(types.filter((type) => type === 'TaskSucceeded')).toHaveLength(1);
  });

  it('works when the answer comes before the run that began the task is stored, naming its execution', async () => {
    // Prepare
    const { runtime } = harness;
    owners.length = 0;

    // Act: a Lambda task, then the callback task, in one run from the start to the wait.
    const { executionArn } = await runtime.startExecution({ stateMachineArn: answeredInRun.arn });
    await runtime.idle();

    // Assess
    expect(owners).toEqual([expect.objectContaining({ executionArn, status: 'OPEN' })]);
    const described = await runtime.describeExecution(executionArn);
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"answered":"early"}' });
    const events = await historyOf(runtime, executionArn);
    assertContiguous(events);
    expect(events.filter((event) => event.type === 'TaskSucceeded')).toHaveLength(2);
  });

  it('refuses a second answer to the same token as TaskTimedOut', async () => {
    // Prepare
    const { token } = await startWaiting();
    await harness.runtime.sendTaskSuccess({ taskToken: token, output: '{}' });

    // Act
    const again = harness.runtime.sendTaskSuccess({ taskToken: token, output: '{}' });

    // Assess
    await expect(again).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('refuses a token it never issued as InvalidToken', async () => {
    await expect(
      harness.runtime.sendTaskSuccess({
        taskToken: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        output: '{}',
      }),
    ).rejects.toBeInstanceOf(InvalidToken);
    await expect(harness.runtime.sendTaskHeartbeat({ taskToken: 'made-up' })).rejects.toBeInstanceOf(
      InvalidToken,
    );
  });

  it('refuses output that is not JSON as InvalidOutput, leaving the task waiting', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting();

    // Act
    const sent = harness.runtime.sendTaskSuccess({ taskToken: token, output: 'not json' });

    // Assess
    await expect(sent).rejects.toBeInstanceOf(InvalidOutput);
    expect((await harness.runtime.describeExecution(executionArn)).status).toBe('RUNNING');
  });
});

describe('SendTaskFailure', () => {
  it('fails the task with the error and cause given, for Catch to handle', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting();

    // Act
    await harness.runtime.sendTaskFailure({
      taskToken: token,
      error: 'Withdrawn',
      cause: 'by the applicant',
    });

    // Assess
    const described = await harness.runtime.describeExecution(executionArn);
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"withdrawn":"by the applicant"}' });
    const failed = (await historyOf(harness.runtime, executionArn)).find(
      (event) => event.type === 'TaskFailed',
    );
    expect(failed).toMatchObject({
      taskFailedEventDetails: { error: 'Withdrawn', cause: 'by the applicant' },
    });
  });
});

describe('task deadlines', () => {
  it('times the task out at TimeoutSeconds, after which the token answers TaskTimedOut', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting();
    for (let elapsed = 8; elapsed < 100; elapsed += 8) {
      harness.clock.advance(8_000);
      await harness.runtime.sendTaskHeartbeat({ taskToken: token });
    }
    harness.clock.advance(4_000);
    await harness.runtime.checkTimers();
    await harness.runtime.idle();
    const timedOut = await harness.runtime.describeExecution(executionArn);

    // Act
    const late = harness.runtime.sendTaskSuccess({ taskToken: token, output: '{}' });

    // Assess
    await expect(late).rejects.toBeInstanceOf(TaskTimedOut);
    expect(timedOut).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('finds the task timed out when an answer comes after the deadline, before its timer went off', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting(slowDecision.arn);
    harness.clock.advance(100_001);

    // Act
    const late = harness.runtime.sendTaskSuccess({ taskToken: token, output: '{}' });

    // Assess
    await expect(late).rejects.toBeInstanceOf(TaskTimedOut);
    expect(await harness.runtime.describeExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'States.Timeout',
    });
  });

  it('moves the heartbeat deadline on each heartbeat and times out when they stop', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting();
    harness.clock.advance(8_000);
    await harness.runtime.sendTaskHeartbeat({ taskToken: token });
    harness.clock.advance(8_000);
    await harness.runtime.checkTimers();
    await harness.runtime.idle();
    const afterHeartbeat = await harness.runtime.describeExecution(executionArn);

    // Act
    harness.clock.advance(2_000);
    await harness.runtime.checkTimers();
    await harness.runtime.idle();

    // Assess
    expect(afterHeartbeat.status).toBe('RUNNING');
    const described = await harness.runtime.describeExecution(executionArn);
    expect(described).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    const timedOut = (await historyOf(harness.runtime, executionArn)).find(
      (event) => event.type === 'TaskTimedOut',
    );
    expect(timedOut).toMatchObject({ taskTimedOutEventDetails: { error: 'States.HeartbeatTimeout' } });
    await expect(harness.runtime.sendTaskHeartbeat({ taskToken: token })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  it('accepts a heartbeat for a task without HeartbeatSeconds and changes nothing', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting(noHeartbeat.arn);
    const before = harness.persisted.length;

    // Act
    await harness.runtime.sendTaskHeartbeat({ taskToken: token });

    // Assess
    expect(harness.persisted.length).toBe(before);
    expect((await harness.runtime.describeExecution(executionArn)).status).toBe('RUNNING');
  });

  it('closes the token when the execution is stopped', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting();

    // Act
    await harness.runtime.stopExecution({ executionArn });

    // Assess
    await expect(harness.runtime.sendTaskFailure({ taskToken: token, error: 'Late' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '#local/dynamodb-local.ts';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  StateMachineDoesNotExist,
} from '#local/stepfunctions/errors.ts';
import { startTestDynamoDb } from '#test/support/dynamodb.ts';
import {
  assertContiguous,
  deferred,
  type Harness,
  historyOf,
  lambdaTask,
  machine,
  openRuntime,
  passChain,
} from '#test/support/stepfunctions-runtime.ts';

const echo = machine('echo', {
  QueryLanguage: 'JSONata',
  StartAt: 'Double',
  States: {
    Double: lambdaTask('double', { Next: 'Done' }),
    Done: { Type: 'Succeed', Output: '{% {"result": $states.input.value} %}' },
  },
});
const waiting = machine('waiting', {
  QueryLanguage: 'JSONata',
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 60, End: true } },
});
const failing = machine('failing', {
  QueryLanguage: 'JSONata',
  StartAt: 'Call',
  States: { Call: lambdaTask('explode', { End: true }) },
});
const missingFunction = machine('missing-function', {
  QueryLanguage: 'JSONata',
  StartAt: 'Call',
  States: {
    Call: lambdaTask('arn:aws:lambda:eu-west-2:000000000000:function:nowhere:$LATEST', { End: true }),
  },
});

class OutOfCheese extends Error {
  override name = 'OutOfCheese';
}

let db: DynamoDbLocal;
let harness: Harness;
const doubleCalls: unknown[] = [];

beforeAll(async () => {
  db = await startTestDynamoDb();
  harness = await openRuntime({
    endpoint: db.endpoint,
    machines: [echo, waiting, failing, missingFunction, machine('chain', passChain(3))],
    handlers: {
      double: async (event: never, context) => {
        doubleCalls.push({ event, functionName: context.functionName, arn: context.invokedFunctionArn });
        return { value: (event as { value: number }).value * 2 };
      },
      explode: async () => {
        throw new OutOfCheese('no cheese left');
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

describe('StartExecution', () => {
  it('runs an execution to SUCCEEDED through a Lambda task', async () => {
    // Prepare
    const { runtime } = harness;

    // Act
    const { executionArn, startDate } = await runtime.startExecution({
      stateMachineArn: echo.arn,
      name: 'doubles-21',
      input: '{"value":21}',
    });
    await runtime.idle();

    // Assess
    expect(executionArn).toBe('arn:aws:states:eu-west-2:000000000000:execution:echo:doubles-21');
    const described = await runtime.describeExecution(executionArn);
    expect(described).toMatchObject({
      executionArn,
      stateMachineArn: echo.arn,
      name: 'doubles-21',
      status: 'SUCCEEDED',
      startDate,
      input: '{"value":21}',
      output: '{"result":42}',
    });
    expect(described.stopDate).toBeDefined();
    expect(doubleCalls).toContainEqual({
      event: { value: 21 },
      functionName: 'double',
      arn: 'arn:aws:lambda:eu-west-2:000000000000:function:double',
    });
  });

  it('records the history events in AWS order with contiguous ids', async () => {
    // Prepare
    const { runtime } = harness;
    const { executionArn } = await runtime.startExecution({
      stateMachineArn: echo.arn,
      input: '{"value":1}',
    });
    await runtime.idle();

    // Act
    const events = await historyOf(runtime, executionArn);

    // Assess
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    assertContiguous(events);
    const succeeded = events.find((event) => event.type === 'TaskSucceeded') as unknown as {
      taskSucceededEventDetails: { output: string };
    };
    expect(JSON.parse(succeeded.taskSucceededEventDetails.output)).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { value: 2 },
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: expect.any(String) },
      StatusCode: 200,
    });
  });

  it('returns the running execution again for the same name and input', async () => {
    // Prepare
    const { runtime } = harness;
    const first = await runtime.startExecution({
      stateMachineArn: waiting.arn,
      name: 'twice',
      input: '{"a":1}',
    });

    // Act
    const second = await runtime.startExecution({
      stateMachineArn: waiting.arn,
      name: 'twice',
      input: '{"a":1}',
    });

    // Assess
    expect(second).toEqual(first);
    const { executions } = await runtime.listExecutions({ stateMachineArn: waiting.arn });
    expect(executions.filter((execution) => execution.name === 'twice')).toHaveLength(1);
  });

  it('refuses the same name with other input as ExecutionAlreadyExists', async () => {
    // Prepare
    const { runtime } = harness;
    await runtime.startExecution({ stateMachineArn: waiting.arn, name: 'other-input', input: '{"a":1}' });

    // Act
    const again = runtime.startExecution({
      stateMachineArn: waiting.arn,
      name: 'other-input',
      input: '{"a":2}',
    });

    // Assess
    await expect(again).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('refuses the name of a closed execution even with the same input', async () => {
    // Prepare
    const { runtime } = harness;
    await runtime.startExecution({ stateMachineArn: echo.arn, name: 'closed', input: '{"value":3}' });
    await runtime.idle();

    // Act
    const again = runtime.startExecution({ stateMachineArn: echo.arn, name: 'closed', input: '{"value":3}' });

    // Assess
    await expect(again).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('answers concurrent identical starts with one execution', async () => {
    // Prepare
    const { runtime } = harness;
    const start = () => runtime.startExecution({ stateMachineArn: waiting.arn, name: 'racing', input: '{}' });

    // Act
    const results = await Promise.all([start(), start(), start()]);

    // Assess
    expect(new Set(results.map((result) => `${result.executionArn} ${result.startDate}`)).size).toBe(1);
  });

  it.each([
    ['an empty name', ''],
    ['a name longer than 80 characters', 'x'.repeat(81)],
    ['a space', 'has space'],
    ['a colon', 'a:b'],
    ['a slash', 'a/b'],
    ['a control character', 'a\u0007b'],
  ])('refuses %s as InvalidName', async (_label, name) => {
    await expect(
      harness.runtime.startExecution({ stateMachineArn: waiting.arn, name }),
    ).rejects.toBeInstanceOf(InvalidName);
  });

  it('refuses input that is not JSON as InvalidExecutionInput', async () => {
    await expect(
      harness.runtime.startExecution({ stateMachineArn: waiting.arn, input: '{not json' }),
    ).rejects.toBeInstanceOf(InvalidExecutionInput);
  });

  it('starts an execution on an alias of the state machine as one of the state machine, calling the alias its task names', async () => {
    // Prepare
    const { runtime } = harness;
    const released = machine('released', {
      QueryLanguage: 'JSONata',
      StartAt: 'Double',
      States: {
        Double: lambdaTask('arn:aws:lambda:eu-west-2:000000000000:function:double:live', { End: true }),
      },
    });
    runtime.registerStateMachine(released, ['live']);

    // Act
    const { executionArn } = await runtime.startExecution({
      stateMachineArn: `${released.arn}:live`,
      name: 'on-the-alias',
      input: '{"value":4}',
    });
    await runtime.idle();

    // Assess
    expect(executionArn).toBe('arn:aws:states:eu-west-2:000000000000:execution:released:on-the-alias');
    expect(await runtime.describeExecution(executionArn)).toMatchObject({
      stateMachineArn: released.arn,
      status: 'SUCCEEDED',
    });
    expect(doubleCalls).toContainEqual({
      event: { value: 4 },
      functionName: 'double',
      arn: 'arn:aws:lambda:eu-west-2:000000000000:function:double:live',
    });
  });

  it('refuses an alias the state machine does not have as StateMachineDoesNotExist', async () => {
    await expect(
      harness.runtime.startExecution({ stateMachineArn: `${waiting.arn}:live`, name: 'no-such-alias' }),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('refuses an unknown state machine as StateMachineDoesNotExist and a malformed ARN as InvalidArn', async () => {
    const unknown = 'arn:aws:states:eu-west-2:000000000000:stateMachine:nope';
    await expect(harness.runtime.startExecution({ stateMachineArn: unknown })).rejects.toBeInstanceOf(
      StateMachineDoesNotExist,
    );
    await expect(harness.runtime.startExecution({ stateMachineArn: 'nope' })).rejects.toBeInstanceOf(
      InvalidArn,
    );
  });
});

describe('Lambda tasks', () => {
  it('fails with the error name and the Lambda cause when the handler throws', async () => {
    // Prepare
    const { runtime } = harness;

    // Act
    const { executionArn } = await runtime.startExecution({ stateMachineArn: failing.arn });
    await runtime.idle();

    // Assess
    const described = await runtime.describeExecution(executionArn);
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('OutOfCheese');
    expect(JSON.parse(described.cause ?? '')).toMatchObject({
      errorMessage: 'no cheese left',
      errorType: 'OutOfCheese',
      trace: expect.arrayContaining([expect.stringContaining('OutOfCheese: no cheese left')]),
    });
  });

  it('fails with Lambda.ResourceNotFoundException for a function nobody provides', async () => {
    // Prepare
    const { runtime } = harness;

    // Act
    const { executionArn } = await runtime.startExecution({ stateMachineArn: missingFunction.arn });
    await runtime.idle();

    // Assess
    const described = await runtime.describeExecution(executionArn);
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('Lambda.ResourceNotFoundException');
    expect(described.cause).toContain(
      'Function not found: arn:aws:lambda:eu-west-2:000000000000:function:nowhere',
    );
  });

  it('gives the handler a Lambda context counting down to the task timeout', async () => {
    // Prepare
    const seen = deferred<{ remaining: number; requestId: string }>();
    const timed = machine('timed-context', {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: { Call: lambdaTask('inspect', { TimeoutSeconds: 30, End: true }) },
    });
    const local = await openRuntime({
      endpoint: db.endpoint,
      machines: [timed],
      handlers: {
        inspect: async (_event: never, context) => {
          seen.resolve({ remaining: context.getRemainingTimeInMillis(), requestId: context.awsRequestId });
          return null;
        },
      },
    });

    // Act
    await local.runtime.startExecution({ stateMachineArn: timed.arn });
    const { remaining, requestId } = await seen.promise;
    await local.runtime.idle();
    await local.runtime.close();

    // Assess
    expect(remaining).toBe(30_000);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('StopExecution', () => {
  it('aborts a running execution with the error and cause given', async () => {
    // Prepare
    const { runtime } = harness;
    const { executionArn } = await runtime.startExecution({ stateMachineArn: waiting.arn });

    // Act
    const { stopDate } = await runtime.stopExecution({ executionArn, error: 'Withdrawn', cause: 'asked to' });

    // Assess
    const described = await runtime.describeExecution(executionArn);
    expect(described).toMatchObject({ status: 'ABORTED', stopDate, error: 'Withdrawn', cause: 'asked to' });
    const events = await historyOf(runtime, executionArn);
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Withdrawn', cause: 'asked to' },
    });
  });

  it('leaves an ended execution as it was', async () => {
    // Prepare
    const { runtime } = harness;
    const { executionArn } = await runtime.startExecution({
      stateMachineArn: echo.arn,
      input: '{"value":1}',
    });
    await runtime.idle();
    const before = await runtime.describeExecution(executionArn);

    // Act
    const { stopDate } = await runtime.stopExecution({ executionArn });

    // Assess
    expect(stopDate).toBe(before.stopDate);
    expect(await runtime.describeExecution(executionArn)).toEqual(before);
  });

  it('refuses an unknown execution as ExecutionDoesNotExist', async () => {
    const executionArn = 'arn:aws:states:eu-west-2:000000000000:execution:waiting:never-started';
    await expect(harness.runtime.stopExecution({ executionArn })).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    await expect(harness.runtime.describeExecution(executionArn)).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    await expect(harness.runtime.getExecutionHistory({ executionArn })).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
  });
});

describe('ListExecutions', () => {
  it('lists newest first, filters by status and pages with nextToken', async () => {
    // Prepare
    const listed = machine('listed', {
      QueryLanguage: 'JSONata',
      StartAt: 'Hold',
      States: { Hold: { Type: 'Wait', Seconds: 60, End: true } },
    });
    harness.runtime.registerStateMachine(listed);
    const names = ['one', 'two', 'three', 'four', 'five'];
    for (const name of names) {
      await harness.runtime.startExecution({ stateMachineArn: listed.arn, name });
      harness.clock.advance(1000);
    }
    await harness.runtime.stopExecution({
      executionArn: `${listed.arn.replace('stateMachine', 'execution')}:two`,
    });

    // Act
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await harness.runtime.listExecutions({
        stateMachineArn: listed.arn,
        maxResults: 2,
        nextToken,
      });
      pages.push(page.executions.map((execution) => execution.name));
      nextToken = page.nextToken;
    } while (nextToken);
    const running = await harness.runtime.listExecutions({
      stateMachineArn: listed.arn,
      statusFilter: 'RUNNING',
    });
    const aborted = await harness.runtime.listExecutions({
      stateMachineArn: listed.arn,
      statusFilter: 'ABORTED',
    });

    // Assess
    expect(pages).toEqual([['five', 'four'], ['three', 'two'], ['one']]);
    expect(running.executions.map((execution) => execution.name)).toEqual(['five', 'four', 'three', 'one']);
    expect(aborted.executions).toEqual([
      expect.objectContaining({ name: 'two', status: 'ABORTED', stopDate: expect.any(String) }),
    ]);
  });

  it('refuses a nextToken it did not issue as InvalidToken', async () => {
    await expect(
      harness.runtime.listExecutions({ stateMachineArn: waiting.arn, nextToken: 'bm90IGEgdG9rZW4' }),
    ).rejects.toBeInstanceOf(InvalidToken);
  });
});

describe('GetExecutionHistory', () => {
  it('pages forwards and backwards over events of many advances', async () => {
    // Prepare
    const long = machine('long-chain', passChain(1200));
    harness.runtime.registerStateMachine(long);
    const { executionArn } = await harness.runtime.startExecution({
      stateMachineArn: long.arn,
      input: '{"n":0}',
    });
    await harness.runtime.idle();
    const all = await historyOf(harness.runtime, executionArn);

    // Act
    const forward: number[] = [];
    const backward: number[] = [];
    for (const [reverseOrder, into] of [
      [false, forward],
      [true, backward],
    ] as const) {
      let nextToken: string | undefined;
      do {
        const page = await harness.runtime.getExecutionHistory({
          executionArn,
          maxResults: 333,
          reverseOrder,
          nextToken,
        });
        into.push(...page.events.map((event) => event.id));
        nextToken = page.nextToken;
      } while (nextToken);
    }

    // Assess
    expect(all).toHaveLength(1 + 2 * 1200 + 2 + 1);
    assertContiguous(all);
    expect(all.at(-1)).toMatchObject({
      type: 'ExecutionSucceeded',
      executionSucceededEventDetails: { output: '{"n":1200}' },
    });
    expect(forward).toEqual(all.map((event) => event.id));
    expect(backward).toEqual(all.map((event) => event.id).reverse());
  });

  it('leaves out inputs and outputs when includeExecutionData is false', async () => {
    // Prepare
    const { runtime } = harness;
    const { executionArn } = await runtime.startExecution({
      stateMachineArn: echo.arn,
      input: '{"value":5}',
    });
    await runtime.idle();

    // Act
    const { events } = await runtime.getExecutionHistory({ executionArn, includeExecutionData: false });

    // Assess
    const text = JSON.stringify(events);
    expect(text).not.toContain('"input"');
    expect(text).not.toContain('"output"');
    expect(events[0]).toMatchObject({ type: 'ExecutionStarted', executionStartedEventDetails: {} });
  });
});

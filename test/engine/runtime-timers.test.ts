import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '#local/dynamodb-local.ts';
import { createStepFunctionsRuntime } from '#local/stepfunctions/runtime.ts';
import { startTestDynamoDb } from '#test/support/dynamodb.ts';
import {
  assertContiguous,
  deferred,
  historyOf,
  lambdaTask,
  machine,
  openRuntime,
  T0,
} from '#test/support/stepfunctions-runtime.ts';

const DAY = 24 * 60 * 60 * 1000;

const longWait = machine('long-wait', {
  QueryLanguage: 'JSONata',
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 300 * 24 * 60 * 60, Next: 'Done' }, Done: { Type: 'Succeed' } },
});
const shortWait = machine('short-wait', {
  QueryLanguage: 'JSONata',
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 1, End: true } },
});
const retried = machine('retried', {
  QueryLanguage: 'JSONata',
  StartAt: 'Call',
  States: {
    Call: lambdaTask('flaky', {
      Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 }],
      End: true,
    }),
  },
});
const boundedExecution = machine('bounded', {
  QueryLanguage: 'JSONata',
  TimeoutSeconds: 30,
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } },
});

const slowSecondTask = machine('slow-second-task', {
  QueryLanguage: 'JSONata',
  StartAt: 'First',
  States: {
    First: lambdaTask('quick', { Next: 'Second' }),
    Second: lambdaTask('hang', { TimeoutSeconds: 30, End: true }),
  },
});

class Flaky extends Error {
  override name = 'Flaky';
}

let db: DynamoDbLocal;

beforeAll(async () => {
  db = await startTestDynamoDb();
});

afterAll(async () => {
  await db?.stop();
});

describe('Wait', () => {
  it('waits 300 days on an absolute due time and fires once when the clock gets there', async () => {
    // Prepare
    const harness = await openRuntime({ endpoint: db.endpoint, machines: [longWait] });
    const { runtime, clock, timers } = harness;
    const { executionArn } = await runtime.startExecution({ stateMachineArn: longWait.arn });
    await runtime.idle();
    clock.advance(300 * DAY - 1000);
    await runtime.checkTimers();
    await runtime.idle();
    const early = await runtime.describeExecution(executionArn);

    // Act
    clock.advance(1000);
    await runtime.checkTimers();
    await runtime.checkTimers();
    await runtime.idle();

    // Assess
    expect(early.status).toBe('RUNNING');
    expect(Math.max(...timers.armed)).toBeLessThan(2 ** 31 - 1);
    expect(timers.armed[0]).toBeGreaterThan(0);
    const described = await runtime.describeExecution(executionArn);
    expect(described.status).toBe('SUCCEEDED');
    const events = await historyOf(runtime, executionArn);
    assertContiguous(events);
    expect(events.filter((event) => event.type === 'WaitStateExited')).toHaveLength(1);
    expect(harness.errors).toEqual([]);
    await runtime.close();
  });

  it('fires by itself with the system clock and real timers', async () => {
    // Prepare
    const runtime = await createStepFunctionsRuntime({
      dynamodb: { endpoint: db.endpoint },
      tableName: 'engine-real-timers',
      resolveFunction: () => undefined,
    });
    runtime.registerStateMachine(shortWait);
    await runtime.resume();

    // Act
    const { executionArn } = await runtime.startExecution({ stateMachineArn: shortWait.arn });
    let status = (await runtime.describeExecution(executionArn)).status;
    for (let poll = 0; poll < 200 && status === 'RUNNING'; poll += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await runtime.describeExecution(executionArn)).status;
    }
    await runtime.close();

    // Assess
    expect(status).toBe('SUCCEEDED');
  });

  it('fires a timer that fell due while no runtime was running, once, on resume', async () => {
    // Prepare
    const first = await openRuntime({ endpoint: db.endpoint, machines: [shortWait] });
    const { executionArn } = await first.runtime.startExecution({ stateMachineArn: shortWait.arn });
    await first.runtime.close();
    first.clock.advance(60_000);

    // Act
    const second = await openRuntime({
      endpoint: db.endpoint,
      machines: [shortWait],
      tableName: first.tableName,
      clock: first.clock,
    });
    await second.runtime.idle();
    await second.runtime.checkTimers();
    await second.runtime.idle();

    // Assess
    expect((await second.runtime.describeExecution(executionArn)).status).toBe('SUCCEEDED');
    const events = await historyOf(second.runtime, executionArn);
    assertContiguous(events);
    expect(events.filter((event) => event.type === 'WaitStateExited')).toHaveLength(1);
    await second.runtime.close();
  });
});

describe('Retry', () => {
  it('invokes again only when each back-off has passed, by the clock', async () => {
    // Prepare
    let calls = 0;
    const harness = await openRuntime({
      endpoint: db.endpoint,
      machines: [retried],
      handlers: {
        flaky: async () => {
          calls += 1;
          if (calls < 3) throw new Flaky(`attempt ${calls}`);
          return { attempts: calls };
        },
      },
    });
    const { runtime, clock } = harness;
    const { executionArn } = await runtime.startExecution({ stateMachineArn: retried.arn });
    await runtime.idle();
    const callsAtStart = calls;
    clock.advance(1_999);
    await runtime.checkTimers();
    await runtime.idle();
    const callsBeforeFirstBackOff = calls;

    // Act
    clock.advance(1);
    await runtime.checkTimers();
    await runtime.idle();
    const callsAfterFirstBackOff = calls;
    clock.advance(4_000);
    await runtime.checkTimers();
    await runtime.idle();

    // Assess
    expect([callsAtStart, callsBeforeFirstBackOff, callsAfterFirstBackOff, calls]).toEqual([1, 1, 2, 3]);
    const described = await runtime.describeExecution(executionArn);
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"attempts":3}' });
    const types = (await historyOf(runtime, executionArn)).map((event) => event.type);
    expect(types.filter((type) => type === 'TaskFailed')).toHaveLength(2);
    expect(types.filter((type) => type === 'TaskScheduled')).toHaveLength(3);
    expect(harness.errors).toEqual([]);
    await runtime.close();
  });
});

describe('execution TimeoutSeconds', () => {
  it('times the execution out when its TimeoutSeconds pass', async () => {
    // Prepare
    const harness = await openRuntime({ endpoint: db.endpoint, machines: [boundedExecution] });
    const { runtime, clock } = harness;
    const { executionArn } = await runtime.startExecution({ stateMachineArn: boundedExecution.arn });

    // Act
    clock.advance(30_000);
    await runtime.checkTimers();
    await runtime.idle();

    // Assess
    const described = await runtime.describeExecution(executionArn);
    expect(described).toMatchObject({
      status: 'TIMED_OUT',
      stopDate: new Date(Date.parse(T0) + 30_000).toISOString(),
    });
    expect((await historyOf(runtime, executionArn)).at(-1)?.type).toBe('ExecutionTimedOut');
    expect(harness.errors).toEqual([]);
    await runtime.close();
  });
});

describe('Lambda task TimeoutSeconds', () => {
  it('times a task out while its run is still in memory, and drops its late result', async () => {
    // Prepare: the second task of the first run never returns in time; nothing has stored it.
    const invoked = deferred<void>();
    const failed = deferred<void>();
    const late = deferred<unknown>();
    const harness = await openRuntime({
      endpoint: db.endpoint,
      machines: [slowSecondTask],
      handlers: {
        quick: async () => ({}),
        hang: async () => {
          invoked.resolve();
          return late.promise;
        },
      },
      hooks: { afterPersist: (record) => (record.status === 'FAILED' ? failed.resolve() : undefined) },
    });
    const { runtime, clock } = harness;
    const { executionArn } = await runtime.startExecution({ stateMachineArn: slowSecondTask.arn });
    await invoked.promise;

    // Act
    clock.advance(30_000);
    await runtime.checkTimers();
    await failed.promise;
    const timedOut = await runtime.describeExecution(executionArn);
    late.resolve({ tooLate: true });
    await runtime.idle();

    // Assess
    expect(timedOut).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const types = (await historyOf(runtime, executionArn)).map((event) => event.type);
    expect(types.slice(-2)).toEqual(['TaskTimedOut', 'ExecutionFailed']);
    expect(types.filter((type) => type === 'TaskSucceeded')).toHaveLength(1);
    expect(harness.errors).toEqual([]);
    await runtime.close();
  });
});

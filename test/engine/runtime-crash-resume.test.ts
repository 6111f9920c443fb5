// A runtime that dies at any point of an execution leaves it in DynamoDB exactly as its last stored
// run; a new runtime on the same table carries on from there. These tests kill runtime A at every
// kind of wait and between steps (its afterPersist or afterAdvanceInMemory hook throws, or a write
// fails, and A is then dropped), resume on runtime B, and check the history against an uninterrupted
// run: same events, contiguous ids, nothing lost, nothing twice. Only the Lambda tasks of a run that
// was not stored may run again: a run is stored when it reaches its next wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '#local/dynamodb-local.ts';
import type { LambdaHandler } from '#local/stepfunctions/lambda-invoker.ts';
import type { ExecutionRecord, HistoryEvent } from '#local/stepfunctions/model.ts';
import { startTestDynamoDb } from '#test/support/dynamodb.ts';
import {
  assertContiguous,
  callbackTask,
  deferred,
  dynamoClient,
  type Harness,
  historyOf,
  lambdaTask,
  ManualClock,
  machine,
  openRuntime,
  SimulatedCrash,
} from '#test/support/stepfunctions-runtime.ts';

const CHAIN = 600;

function workflowDefinition(): object {
  const states: Record<string, object> = {};
  for (let index = 0; index < CHAIN; index += 1) {
    states[`P${index}`] = {
      Type: 'Pass',
      Output: '{% {"n": $states.input.n + 1} %}',
      Next: index + 1 < CHAIN ? `P${index + 1}` : 'Work',
    };
  }
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'P0',
    States: {
      ...states,
      Work: lambdaTask('work', { Next: 'Flaky' }),
      Flaky: lambdaTask('flaky', {
        Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 5, MaxAttempts: 2 }],
        Next: 'Hold',
      }),
      Hold: { Type: 'Wait', Seconds: 60, Next: 'Decide' },
      Decide: callbackTask('register', { Next: 'Done' }),
      Done: { Type: 'Succeed' },
    },
  };
}

const workflow = machine('workflow', workflowDefinition());

class Flaky extends Error {
  override name = 'Flaky';
}

interface Calls {
  work: number;
  flaky: number;
  register: number;
}

function countingHandlers(calls: Calls, work?: LambdaHandler): Record<string, LambdaHandler> {
  return {
    work:
      work ??
      (async (event: never) => {
        calls.work += 1;
        return { ...(event as object), worked: true };
      }),
    flaky: async (event: never) => {
      calls.flaky += 1;
      if (calls.flaky === 1) throw new Flaky('first attempt fails');
      return event;
    },
    register: async () => {
      calls.register += 1;
      return { registered: true };
    },
  };
}

/** Moves the execution on until it ends: fires timers by moving the clock, answers tokens. */
async function drive(
  harness: Harness,
  executionArn: string,
  stopWhen: () => boolean = () => false,
): Promise<void> {
  for (let round = 0; round < 100; round += 1) {
    await harness.runtime.idle();
    if (stopWhen()) return;
    const record = (await harness.runtime.store.getExecution(executionArn))?.record as ExecutionRecord;
    if (record.status !== 'RUNNING') return;
    const pending = record.pending;
    try {
      if (pending?.kind === 'timer') {
        harness.clock.set(pending.dueAt);
        await harness.runtime.checkTimers();
      } else if (pending?.kind === 'callback' && pending.submitted) {
        await harness.runtime.sendTaskSuccess({ taskToken: pending.token, output: '{"decision":"met"}' });
      } else {
        throw new Error(`nothing moves the execution on from ${JSON.stringify(pending)}`);
      }
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
    }
  }
  throw new Error('the execution did not end');
}

async function start(harness: Harness): Promise<string> {
  try {
    await harness.runtime.startExecution({ stateMachineArn: workflow.arn, name: 'case-1', input: '{"n":0}' });
  } catch (error) {
    if (!(error instanceof SimulatedCrash)) throw error;
  }
  return 'arn:aws:states:eu-west-2:000000000000:execution:workflow:case-1';
}

/** Opens runtime B on A's table and clock, as a restarted process would, and runs to the end. */
async function resumeAfter(a: Harness, calls: Calls, executionArn: string): Promise<Harness> {
  const b = await openRuntime({
    endpoint: db.endpoint,
    machines: [workflow],
    tableName: a.tableName,
    clock: a.clock,
    handlers: countingHandlers(calls),
  });
  await drive(b, executionArn);
  return b;
}

let db: DynamoDbLocal;
let reference: { types: string[]; output: string | undefined };

beforeAll(async () => {
  db = await startTestDynamoDb();
  const calls = { work: 0, flaky: 0, register: 0 };
  const harness = await openRuntime({
    endpoint: db.endpoint,
    machines: [workflow],
    handlers: countingHandlers(calls),
  });
  const executionArn = await start(harness);
  await drive(harness, executionArn);
  const events = await historyOf(harness.runtime, executionArn);
  reference = {
    types: events.map((event) => event.type),
    output: (await harness.runtime.describeExecution(executionArn)).output,
  };
  await harness.runtime.close();
});

afterAll(async () => {
  await db?.stop();
});

async function assertCompletedOnce(b: Harness, executionArn: string): Promise<HistoryEvent[]> {
  const described = await b.runtime.describeExecution(executionArn);
  expect(described.status).toBe('SUCCEEDED');
  expect(described.output).toBe(reference.output);
  const events = await historyOf(b.runtime, executionArn);
  assertContiguous(events);
  expect(events.map((event) => event.type)).toEqual(reference.types);
  expect(b.errors).toEqual([]);
  return events;
}

describe('an uninterrupted run', () => {
  it('crosses a continue chunk, a task, a retry, a Wait and a callback', () => {
    expect(reference.types.filter((type) => type === 'PassStateEntered')).toHaveLength(CHAIN);
    expect(reference.types.filter((type) => type === 'TaskFailed')).toHaveLength(1);
    expect(reference.types).toContain('WaitStateExited');
    expect(reference.types).toContain('TaskSubmitted');
    expect(reference.output).toBe('{"decision":"met"}');
  });
});

describe('resume after a crash', () => {
  const points: [string, (record: ExecutionRecord) => boolean][] = [
    ['inside a long chain (continue chunk stored)', (record) => record.pending?.kind === 'continue'],
    [
      'with a task begun but not yet invoked (kept in memory)',
      (record) => record.pending?.kind === 'invoke' && record.pending.functionName === 'work',
    ],
    [
      'during a retry back-off',
      (record) => record.pending?.kind === 'timer' && record.pending.id.startsWith('retry-'),
    ],
    ['during a Wait', (record) => record.pending?.kind === 'timer' && record.pending.id.startsWith('wait-')],
    [
      'with a callback task begun but its handler not invoked (kept in memory)',
      (record) => record.pending?.kind === 'callback' && !record.pending.submitted,
    ],
    [
      'while a callback waits for its token',
      (record) => record.pending?.kind === 'callback' && record.pending.submitted,
    ],
    ['right after the execution ended', (record) => record.status === 'SUCCEEDED'],
  ];

  it.each(points)('loses and repeats nothing when the runtime dies %s', async (_label, crashesAt) => {
    // Prepare
    const calls = { work: 0, flaky: 0, register: 0 };
    let crashed = false;
    const crashIfAt = (record: ExecutionRecord) => {
      if (crashed || !crashesAt(record)) return;
      crashed = true;
      throw new SimulatedCrash();
    };
    const a = await openRuntime({
      endpoint: db.endpoint,
      machines: [workflow],
      clock: new ManualClock(),
      handlers: countingHandlers(calls),
      hooks: { afterPersist: crashIfAt, afterAdvanceInMemory: crashIfAt },
    });
    const executionArn = await start(a);
    await drive(a, executionArn, () => crashed);
    await a.runtime.close();

    // Act
    const b = await resumeAfter(a, calls, executionArn);

    // Assess
    expect(crashed).toBe(true);
    expect(a.errors.every((error) => error instanceof SimulatedCrash)).toBe(true);
    await assertCompletedOnce(b, executionArn);
    expect(calls).toEqual({ work: 1, flaky: 2, register: 1 });
    await b.runtime.close();
  });

  it('runs again from the last wait, recording each task once, when the runtime dies between two tasks of one run', async () => {
    // Prepare: Work has returned, Flaky is begun; neither is stored until the retry's back-off.
    const calls = { work: 0, flaky: 0, register: 0 };
    let crashed = false;
    const a = await openRuntime({
      endpoint: db.endpoint,
      machines: [workflow],
      handlers: countingHandlers(calls),
      hooks: {
        afterAdvanceInMemory: (record) => {
          if (crashed || record.pending?.kind !== 'invoke' || record.pending.functionName !== 'flaky') return;
          crashed = true;
          throw new SimulatedCrash();
        },
      },
    });
    const executionArn = await start(a);
    await a.runtime.idle();
    await a.runtime.close();

    // Act
    const b = await resumeAfter(a, calls, executionArn);

    // Assess
    expect(crashed).toBe(true);
    const events = await assertCompletedOnce(b, executionArn);
    expect(events.filter((event) => event.type === 'TaskSucceeded')).toHaveLength(3);
    expect(calls).toEqual({ work: 2, flaky: 2, register: 1 });
    await b.runtime.close();
  });

  it('invokes a task again, and records it once, when the runtime dies while the handler runs', async () => {
    // Prepare
    const calls = { work: 0, flaky: 0, register: 0 };
    const invoked = deferred<void>();
    const neverReturns = deferred<unknown>();
    const a = await openRuntime({
      endpoint: db.endpoint,
      machines: [workflow],
      handlers: countingHandlers(calls, async () => {
        calls.work += 1;
        invoked.resolve();
        return neverReturns.promise;
      }),
    });
    const executionArn = await start(a);
    await invoked.promise;
    await a.runtime.close();

    // Act
    const b = await resumeAfter(a, calls, executionArn);
    neverReturns.resolve({ late: true });

    // Assess
    await assertCompletedOnce(b, executionArn);
    expect(calls).toEqual({ work: 2, flaky: 2, register: 1 });
    await b.runtime.close();
  });

  it('repeats a run whose write never reached DynamoDB, and only that run', async () => {
    // Prepare: the write storing the run from the retry's back-off to the Wait (Flaky's second
    // attempt) fails as if the process died while sending it.
    const calls = { work: 0, flaky: 0, register: 0 };
    const client = dynamoClient(db.endpoint);
    let lost = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        // The document client's input, before marshalling: the record is JSON text.
        const items = (args.input as { TransactItems?: { Put?: { Item?: { record?: unknown } } }[] })
          .TransactItems;
        const text =
          context.commandName === 'TransactWriteItemsCommand' ? items?.[0]?.Put?.Item?.record : undefined;
        const record = typeof text === 'string' ? (JSON.parse(text) as ExecutionRecord) : undefined;
        if (!lost && record?.pending?.kind === 'timer' && record.pending.id.startsWith('wait-')) {
          lost = true;
          throw new Error('socket hang up');
        }
        return next(args);
      },
      { step: 'serialize', priority: 'high' },
    );
    const a = await openRuntime({
      endpoint: db.endpoint,
      client,
      machines: [workflow],
      handlers: countingHandlers(calls),
    });
    const executionArn = await start(a);
    await drive(a, executionArn, () => lost);
    await a.runtime.close();
    client.destroy();

    // Act
    const b = await resumeAfter(a, calls, executionArn);

    // Assess
    expect(lost).toBe(true);
    expect(a.errors).toEqual([expect.objectContaining({ message: 'socket hang up' })]);
    await assertCompletedOnce(b, executionArn);
    expect(calls).toEqual({ work: 1, flaky: 3, register: 1 });
    await b.runtime.close();
  });
});

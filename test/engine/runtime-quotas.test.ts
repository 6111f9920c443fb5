// AWS's quotas as the durable runtime and its API enforce them: a Standard execution lasts at most a
// year, its history holds at most 25,000 events, a closed execution's name comes free 90 days after it
// closed, task tokens have at most 2,048 characters and payloads at most 256 KiB in UTF-8 bytes. Time
// is a clock moved by hand; the runtime keeps every deadline as an absolute time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '#local/dynamodb-local.ts';
import {
  ExecutionAlreadyExists,
  InvalidExecutionInput,
  InvalidToken,
  TaskTimedOut,
  ValidationException,
} from '#local/stepfunctions/errors.ts';
import type { Json } from '#local/stepfunctions/model.ts';
import {
  MAX_EXECUTION_MILLIS,
  MAX_HISTORY_EVENTS,
  MAX_PAYLOAD_BYTES,
  NAME_REUSE_AFTER_MILLIS,
} from '#local/stepfunctions/quotas.ts';
import { startTestDynamoDb } from '#test/support/dynamodb.ts';
import {
  assertContiguous,
  callbackTask,
  type Harness,
  historyOf,
  machine,
  openRuntime,
} from '#test/support/stepfunctions-runtime.ts';

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

/** Waits for its token with no timeout of its own. */
const forever = machine('forever', {
  QueryLanguage: 'JSONata',
  StartAt: 'Decide',
  States: { Decide: callbackTask('register', { End: true }) },
});
/** TimeoutSeconds longer than AWS lets an execution run. */
const overlong = machine('overlong', {
  QueryLanguage: 'JSONata',
  TimeoutSeconds: 99_999_999,
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 99_999_999, End: true } },
});
const spin = machine('spin', {
  QueryLanguage: 'JSONata',
  StartAt: 'Loop',
  States: { Loop: { Type: 'Pass', Next: 'Loop' } },
});
const quick = machine('quick', {
  QueryLanguage: 'JSONata',
  StartAt: 'Done',
  States: { Done: { Type: 'Succeed' } },
});

let db: DynamoDbLocal;

beforeAll(async () => {
  db = await startTestDynamoDb();
});

afterAll(async () => {
  await db?.stop();
});

/** A runtime on its own table, whose register handler keeps the tokens it is given. */
async function open(): Promise<{ harness: Harness; tokens: string[] }> {
  const tokens: string[] = [];
  const harness = await openRuntime({
    endpoint: db.endpoint,
    machines: [forever, overlong, spin, quick],
    handlers: {
      register: async (event: never) => {
        tokens.push((event as { token: string }).token);
        return {};
      },
    },
  });
  return { harness, tokens };
}

async function atTime(harness: Harness, millis: number): Promise<void> {
  harness.clock.advance(millis);
  await harness.runtime.checkTimers();
  await harness.runtime.idle();
}

describe('the maximum duration of a Standard execution', () => {
  it('times an execution out with States.Timeout one year after it started, however it waits', async () => {
    // Prepare
    const { harness, tokens } = await open();
    const { runtime } = harness;
    const waiting = await runtime.startExecution({ stateMachineArn: forever.arn, name: 'waits' });
    const long = await runtime.startExecution({ stateMachineArn: overlong.arn, name: 'long' });
    await runtime.idle();
    await atTime(harness, MAX_EXECUTION_MILLIS - SECOND);
    const before = await runtime.describeExecution(waiting.executionArn);

    // Act
    await atTime(harness, SECOND);

    // Assess
    expect(before.status).toBe('RUNNING');
    for (const { executionArn } of [waiting, long]) {
      const described = await runtime.describeExecution(executionArn);
      expect(described).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
      expect(Date.parse(described.stopDate ?? '') - Date.parse(described.startDate)).toBe(
        MAX_EXECUTION_MILLIS,
      );
      const events = await historyOf(runtime, executionArn);
      assertContiguous(events);
      expect(events.at(-1)).toMatchObject({
        type: 'ExecutionTimedOut',
        executionTimedOutEventDetails: { error: 'States.Timeout' },
      });
    }
    await expect(
      runtime.sendTaskSuccess({ taskToken: tokens[0] ?? '', output: '{}' }),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    expect(harness.errors).toEqual([]);
    await runtime.close();
  });
});

describe('the history quota', () => {
  it('stores and answers the 25,000 events of an execution that never ends, the last its failure', async () => {
    // Prepare
    const { harness } = await open();
    const { runtime } = harness;

    // Act
    const { executionArn } = await runtime.startExecution({ stateMachineArn: spin.arn, name: 'spins' });
    await runtime.idle();

    // Assess
    expect(await runtime.describeExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'The execution reached the maximum number of history events (25000).',
    });
    const { events } = await runtime.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 2 });
    expect(events.map(({ id, previousEventId, type }) => ({ id, previousEventId, type }))).toEqual([
      { id: MAX_HISTORY_EVENTS, previousEventId: MAX_HISTORY_EVENTS - 1, type: 'ExecutionFailed' },
      { id: MAX_HISTORY_EVENTS - 1, previousEventId: MAX_HISTORY_EVENTS - 2, type: 'PassStateExited' },
    ]);
    const all = await historyOf(runtime, executionArn);
    expect(all).toHaveLength(MAX_HISTORY_EVENTS);
    assertContiguous(all);
    expect(harness.errors).toEqual([]);
    await runtime.close();
  });
});

describe('execution names', () => {
  it("refuses a closed execution's name until 90 days after it closed, then starts a new execution under it", async () => {
    // Prepare
    const { harness } = await open();
    const { runtime } = harness;
    const first = await runtime.startExecution({
      stateMachineArn: quick.arn,
      name: 'ref-1',
      input: '{"n":1}',
    });
    await runtime.idle();
    const closed = await runtime.describeExecution(first.executionArn);
    harness.clock.advance(NAME_REUSE_AFTER_MILLIS - 1);
    const tooSoon = runtime.startExecution({ stateMachineArn: quick.arn, name: 'ref-1', input: '{"n":1}' });
    await expect(tooSoon).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    // Act
    harness.clock.advance(1);
    const second = await runtime.startExecution({
      stateMachineArn: quick.arn,
      name: 'ref-1',
      input: '{"n":2}',
    });
    await runtime.idle();

    // Assess
    expect(closed.status).toBe('SUCCEEDED');
    expect(second.executionArn).toBe(first.executionArn);
    expect(Date.parse(second.startDate) - Date.parse(closed.stopDate ?? '')).toBe(NAME_REUSE_AFTER_MILLIS);
    expect(await runtime.describeExecution(second.executionArn)).toMatchObject({
      status: 'SUCCEEDED',
      input: '{"n":2}',
      startDate: second.startDate,
    });
    const events = await historyOf(runtime, second.executionArn);
    assertContiguous(events);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[0]).toMatchObject({ executionStartedEventDetails: { input: '{"n":2}' } });
    const { executions } = await runtime.listExecutions({ stateMachineArn: quick.arn });
    expect(executions.filter((execution) => execution.name === 'ref-1')).toHaveLength(1);
    expect(harness.errors).toEqual([]);
    await runtime.close();
  });

  it('never frees the name of an execution still running, however long ago it started', async () => {
    // Prepare
    const { harness } = await open();
    const { runtime } = harness;
    const first = await runtime.startExecution({ stateMachineArn: forever.arn, name: 'ref-2', input: '{}' });
    await runtime.idle();
    harness.clock.advance(NAME_REUSE_AFTER_MILLIS + DAY);

    // Act
    const same = await runtime.startExecution({ stateMachineArn: forever.arn, name: 'ref-2', input: '{}' });
    const other = runtime.startExecution({ stateMachineArn: forever.arn, name: 'ref-2', input: '{"x":1}' });

    // Assess
    expect(same).toEqual(first);
    await expect(other).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    expect(harness.errors).toEqual([]);
    await runtime.close();
  });
});

describe('task tokens and payloads at the API', () => {
  let harness: Harness;
  let tokens: string[];

  beforeAll(async () => {
    ({ harness, tokens } = await open());
  });

  afterAll(async () => {
    await harness?.runtime.close();
  });

  async function startWaiting(name: string): Promise<{ executionArn: string; token: string }> {
    const { executionArn } = await harness.runtime.startExecution({ stateMachineArn: forever.arn, name });
    await harness.runtime.idle();
    return { executionArn, token: tokens.at(-1) ?? '' };
  }

  it('checks a task token of 2,048 characters and refuses one of 2,049 as ValidationException', async () => {
    // Prepare
    const longest = 'A'.repeat(2048);
    const tooLong = 'A'.repeat(2049);

    // Act
    const answers = await Promise.allSettled([
      harness.runtime.sendTaskSuccess({ taskToken: longest, output: '{}' }),
      harness.runtime.sendTaskSuccess({ taskToken: tooLong, output: '{}' }),
      harness.runtime.sendTaskFailure({ taskToken: tooLong }),
      harness.runtime.sendTaskHeartbeat({ taskToken: tooLong }),
    ]);

    // Assess
    const reasons = answers.map((answer) => (answer.status === 'rejected' ? answer.reason : undefined));
    expect(reasons[0]).toBeInstanceOf(InvalidToken);
    for (const refused of reasons.slice(1)) {
      expect(refused).toBeInstanceOf(ValidationException);
      expect(String(refused)).toMatch(/taskToken.*2048/);
    }
  });

  it('refuses SendTaskSuccess output over 256 KiB in UTF-8 bytes, leaving the task waiting', async () => {
    // Prepare: fewer characters than the quota, more bytes.
    const { executionArn, token } = await startWaiting('big-answer');
    const output = JSON.stringify({ text: 'é'.repeat(MAX_PAYLOAD_BYTES / 2) });

    // Act
    const sent = harness.runtime.sendTaskSuccess({ taskToken: token, output });

    // Assess
    expect(output.length).toBeLessThan(MAX_PAYLOAD_BYTES);
    await expect(sent).rejects.toBeInstanceOf(ValidationException);
    expect((await harness.runtime.describeExecution(executionArn)).status).toBe('RUNNING');
  });

  it('takes SendTaskSuccess output of exactly 256 KiB', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting('full-answer');
    const text = 'x'.repeat(MAX_PAYLOAD_BYTES - '{"text":""}'.length);
    const output = JSON.stringify({ text } satisfies Json);

    // Act
    await harness.runtime.sendTaskSuccess({ taskToken: token, output });

    // Assess
    expect(Buffer.byteLength(output)).toBe(MAX_PAYLOAD_BYTES);
    expect(await harness.runtime.describeExecution(executionArn)).toMatchObject({
      status: 'SUCCEEDED',
      output,
    });
  });

  it('refuses execution input over 256 KiB in UTF-8 bytes as InvalidExecutionInput', async () => {
    // Prepare
    const input = JSON.stringify({ text: 'é'.repeat(MAX_PAYLOAD_BYTES / 2) });

    // Act
    const started = harness.runtime.startExecution({ stateMachineArn: quick.arn, name: 'big-input', input });

    // Assess
    expect(input.length).toBeLessThan(MAX_PAYLOAD_BYTES);
    await expect(started).rejects.toBeInstanceOf(InvalidExecutionInput);
  });
});

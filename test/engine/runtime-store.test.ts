// How the runtime uses DynamoDB: one conditional transaction per stored run (not per transition or
// task), task tokens as their own items, and queries (never scans) for lists, resume and timers.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '#local/dynamodb-local.ts';
import { MAX_RUN_EVENTS } from '#local/stepfunctions/runtime.ts';
import { startTestDynamoDb } from '#test/support/dynamodb.ts';
import {
  callbackTask,
  dynamoClient,
  lambdaTask,
  machine,
  openRuntime,
  passChain,
} from '#test/support/stepfunctions-runtime.ts';

const chain = machine('store-chain', passChain(1200));
/** `count` Lambda tasks in a row: one run from the start to the end, with no wait between. */
function lambdaChain(count: number): object {
  const states: Record<string, object> = {};
  for (let index = 0; index < count; index += 1) {
    states[`T${index}`] = lambdaTask('increment', { Next: index + 1 < count ? `T${index + 1}` : 'Done' });
  }
  return { QueryLanguage: 'JSONata', StartAt: 'T0', States: { ...states, Done: { Type: 'Succeed' } } };
}

const tasks = machine('store-tasks', lambdaChain(20));
const longRun = machine('store-long-run', lambdaChain(450));
const hold = machine('store-hold', {
  QueryLanguage: 'JSONata',
  StartAt: 'Hold',
  States: {
    Hold: { Type: 'Wait', Seconds: 30, Next: 'Decide' },
    Decide: callbackTask('register', { End: true }),
  },
});

let db: DynamoDbLocal;
const commands: string[] = [];
const client = () => {
  const counted = dynamoClient(db.endpoint);
  counted.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize' },
  );
  return counted;
};

beforeAll(async () => {
  db = await startTestDynamoDb();
});

afterAll(async () => {
  await db?.stop();
});

describe('the execution store', () => {
  it('writes one transaction per advance along a long chain, well under one per transition', async () => {
    // Prepare
    const dynamodb = client();
    const harness = await openRuntime({ endpoint: db.endpoint, client: dynamodb, machines: [chain] });
    commands.length = 0;

    // Act
    await harness.runtime.startExecution({ stateMachineArn: chain.arn, input: '{"n":0}' });
    await harness.runtime.idle();

    // Assess
    const writes = commands.filter((name) => /Put|Update|Delete|Write/.test(name));
    // 1201 transitions: ExecutionStarted, entered and exited per state, Succeed's two, ExecutionSucceeded.
    const events = harness.persisted.reduce((sum, { events: stored }) => sum + stored.length, 0);
    expect(events).toBe(1 + 2 * 1200 + 2 + 1);
    expect(new Set(writes)).toEqual(new Set(['TransactWriteItemsCommand']));
    expect(writes).toHaveLength(harness.persisted.length);
    expect(writes.length).toBeLessThanOrEqual(12);
    await harness.runtime.close();
    dynamodb.destroy();
  });

  it('stores a run of Lambda tasks once at its start and once at its end', async () => {
    // Prepare
    const harness = await openRuntime({
      endpoint: db.endpoint,
      machines: [tasks, longRun],
      handlers: { increment: async (event: never) => ({ n: ((event as { n: number }).n ?? 0) + 1 }) },
    });

    // Act
    await harness.runtime.startExecution({ stateMachineArn: tasks.arn, input: '{"n":0}' });
    await harness.runtime.idle();
    const short = harness.persisted.splice(0);
    const { executionArn } = await harness.runtime.startExecution({
      stateMachineArn: longRun.arn,
      input: '{"n":0}',
    });
    await harness.runtime.idle();

    // Assess: 20 tasks, 2 writes; 450 tasks (5 events each), stored on its way every MAX_RUN_EVENTS.
    expect(short.map(({ record }) => record.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    const sizes = harness.persisted.map(({ events }) => events.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_RUN_EVENTS);
    expect(sizes).toHaveLength(Math.ceil(2250 / MAX_RUN_EVENTS) + 1);
    expect(await harness.runtime.describeExecution(executionArn)).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"n":450}',
    });
    expect(harness.errors).toEqual([]);
    await harness.runtime.close();
  });

  it('keeps each task token as its own item: execution, pending step and status', async () => {
    // Prepare
    const tokens: string[] = [];
    const dynamodb = client();
    const harness = await openRuntime({
      endpoint: db.endpoint,
      client: dynamodb,
      machines: [hold],
      handlers: {
        register: async (event: never) => {
          tokens.push((event as { token: string }).token);
          return null;
        },
      },
    });
    const { executionArn } = await harness.runtime.startExecution({ stateMachineArn: hold.arn });
    harness.clock.advance(30_000);
    await harness.runtime.checkTimers();
    await harness.runtime.idle();
    const tokenItem = () =>
      dynamodb.send(
        new GetItemCommand({
          TableName: harness.tableName,
          Key: { pk: { S: `TOKEN#${tokens[0]}` }, sk: { S: 'TOKEN' } },
          ConsistentRead: true,
        }),
      );
    const open = await tokenItem();

    // Act
    await harness.runtime.sendTaskSuccess({ taskToken: tokens[0] as string, output: '{}' });

    // Assess
    expect(open.Item).toMatchObject({
      executionArn: { S: executionArn },
      pendingId: { S: expect.stringMatching(/^task-/) },
      status: { S: 'OPEN' },
    });
    expect((await tokenItem()).Item?.status).toEqual({ S: 'CLOSED' });
    await harness.runtime.close();
    dynamodb.destroy();
  });

  it('lists, resumes and finds due timers with queries, never a scan', async () => {
    // Prepare
    const first = client();
    const harness = await openRuntime({ endpoint: db.endpoint, client: first, machines: [hold] });
    for (let index = 0; index < 3; index += 1) {
      await harness.runtime.startExecution({ stateMachineArn: hold.arn });
    }
    await harness.runtime.close();
    commands.length = 0;

    // Act
    const second = client();
    const resumed = await openRuntime({
      endpoint: db.endpoint,
      client: second,
      machines: [hold],
      tableName: harness.tableName,
      clock: harness.clock,
    });
    await resumed.runtime.listExecutions({ stateMachineArn: hold.arn });
    await resumed.runtime.listExecutions({ stateMachineArn: hold.arn, statusFilter: 'RUNNING' });
    harness.clock.advance(30_000);
    await resumed.runtime.checkTimers();
    await resumed.runtime.idle();

    // Assess
    expect(commands).toContain('QueryCommand');
    expect(commands).not.toContain('ScanCommand');
    const { executions } = await resumed.runtime.listExecutions({ stateMachineArn: hold.arn });
    expect(executions).toHaveLength(3);
    await resumed.runtime.close();
    first.destroy();
    second.destroy();
  });
});

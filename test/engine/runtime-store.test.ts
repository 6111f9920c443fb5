// How the runtime uses DynamoDB: one conditional transaction per interpreter advance (not per
// transition), task tokens as their own items, and queries (never scans) for lists, resume and timers.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '#local/dynamodb-local.ts';
import { startTestDynamoDb } from '#test/support/dynamodb.ts';
import {
  callbackTask,
  dynamoClient,
  machine,
  openRuntime,
  passChain,
} from '#test/support/stepfunctions-runtime.ts';

const chain = machine('store-chain', passChain(1200));
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

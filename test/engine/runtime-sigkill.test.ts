import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '#local/dynamodb-local.ts';
import { startTestDynamoDb } from '#test/support/dynamodb.ts';
import {
  assertContiguous,
  historyOf,
  ManualClock,
  machine,
  openRuntime,
  passChain,
} from '#test/support/stepfunctions-runtime.ts';

const CHAIN = 5000;
const projectRoot = resolve(import.meta.dirname, '../..');

let db: DynamoDbLocal;

beforeAll(async () => {
  db = await startTestDynamoDb();
});

afterAll(async () => {
  await db?.stop();
});

describe('a runtime process killed with SIGKILL', () => {
  it('leaves its execution to be finished by the next process, with no event lost or doubled', async () => {
    // Prepare
    const tableName = `engine-sigkill-${randomUUID()}`;
    const child = spawn(
      process.execPath,
      ['test/support/stepfunctions-crash-child.ts', db.endpoint, tableName, String(CHAIN)],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = once(child, 'exit');
    let persisted = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('persisted ')) persisted += 1;
      if (persisted === 2) break;
    }
    child.kill('SIGKILL');
    await exited;

    // Act
    const chain = machine('killed-chain', passChain(CHAIN));
    const next = await openRuntime({
      endpoint: db.endpoint,
      machines: [],
      tableName,
      clock: new ManualClock(new Date().toISOString()),
    });
    const executionArn = 'arn:aws:states:eu-west-2:000000000000:execution:killed-chain:killed';
    const atKill = await next.runtime.store.getExecution(executionArn);
    next.runtime.registerStateMachine(chain);
    await next.runtime.resume();
    await next.runtime.idle();

    // Assess
    expect(atKill?.record.status).toBe('RUNNING');
    const described = await next.runtime.describeExecution(executionArn);
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: `{"n":${CHAIN}}` });
    const events = await historyOf(next.runtime, executionArn);
    assertContiguous(events);
    expect(events.filter((event) => event.type === 'PassStateEntered')).toHaveLength(CHAIN);
    expect(next.errors).toEqual([]);
    await next.runtime.close();
  });
});

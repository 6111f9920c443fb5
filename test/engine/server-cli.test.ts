// The local endpoints through the AWS CLI (Debian's awscli at /usr/bin/aws: another `aws` may come
// first on PATH). A missing CLI fails these tests on purpose: CI installs it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, freePort } from '#local/dynamodb-local.ts';
import { loadStateMachines } from '#local/stepfunctions/definitions.ts';
import { createStepFunctionsServer } from '#local/stepfunctions/server.ts';
import { startTestDynamoDb } from '#test/support/dynamodb.ts';
import { type Harness, openRuntime } from '#test/support/stepfunctions-runtime.ts';

const AWS_CLI = '/usr/bin/aws';
const MISSING_CLI = `The AWS CLI is missing at ${AWS_CLI}: install Debian's awscli (apt-get install awscli), as the CI script does.`;
const fixtures = resolve(import.meta.dirname, '../fixtures/engine/machines');
const GREETING = 'arn:aws:states:eu-west-2:000000000000:stateMachine:greeting';
const run = promisify(execFile);

let db: DynamoDbLocal;
let harness: Harness;
let server: Server;
let endpoint: string;

/** Runs the CLI with local credentials and no user configuration; resolves its parsed JSON output. */
async function aws(...args: string[]): Promise<Record<string, unknown>> {
  if (!existsSync(AWS_CLI)) throw new Error(MISSING_CLI);
  const { stdout } = await run(AWS_CLI, [...args, '--output', 'json'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'eu-west-2',
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      AWS_PAGER: '',
    },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  db = await startTestDynamoDb();
  harness = await openRuntime({
    endpoint: db.endpoint,
    machines: loadStateMachines(fixtures, { GreetFunctionArn: 'greet', ApproveFunctionArn: 'approve' }),
    handlers: {
      greet: async () => ({ greeting: 'hello' }),
      approve: async () => null,
    },
  });
  server = createStepFunctionsServer(harness.runtime);
  const port = await freePort();
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((closed) => server?.close(closed));
  await harness?.runtime.close();
  await db?.stop();
});

describe('the AWS CLI', () => {
  it('is installed at /usr/bin/aws', () => {
    expect(existsSync(AWS_CLI), MISSING_CLI).toBe(true);
  });

  it('lists the state machines', async () => {
    // Act
    const output = await aws('stepfunctions', 'list-state-machines', '--endpoint-url', endpoint);

    // Assess
    expect(output.stateMachines).toEqual([
      expect.objectContaining({ stateMachineArn: GREETING, name: 'greeting', type: 'STANDARD' }),
      expect.objectContaining({ name: 'pause', type: 'STANDARD' }),
    ]);
  });

  it('describes an execution and reads its history', async () => {
    // Prepare
    const { executionArn } = await harness.runtime.startExecution({
      stateMachineArn: GREETING,
      name: 'cli-case',
      input: '{"who":"resident"}',
    });
    await harness.runtime.idle();

    // Act
    const described = await aws(
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      executionArn,
      '--endpoint-url',
      endpoint,
    );
    const history = await aws(
      'stepfunctions',
      'get-execution-history',
      '--execution-arn',
      executionArn,
      '--endpoint-url',
      endpoint,
    );

    // Assess
    expect(described).toMatchObject({
      executionArn,
      stateMachineArn: GREETING,
      name: 'cli-case',
      status: 'RUNNING',
      input: '{"who":"resident"}',
    });
    expect(typeof described.startDate).toBe('string');
    const events = history.events as { id: number; type: string }[];
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
    ]);
  });

  it('reports an unknown execution as ExecutionDoesNotExist', async () => {
    // Act
    const described = aws(
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      'arn:aws:states:eu-west-2:000000000000:execution:greeting:nobody',
      '--endpoint-url',
      endpoint,
    );

    // Assess
    await expect(described).rejects.toMatchObject({
      stderr: expect.stringContaining('ExecutionDoesNotExist'),
    });
  });

  it('lists the engine table in DynamoDB Local', async () => {
    // Act
    const output = await aws('dynamodb', 'list-tables', '--endpoint-url', db.endpoint);

    // Assess
    expect(output.TableNames).toContain(harness.tableName);
  });
});

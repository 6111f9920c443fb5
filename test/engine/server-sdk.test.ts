// The local endpoint through the real @aws-sdk/client-sfn, as the service's handlers use it.
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  paginateGetExecutionHistory,
  paginateListExecutions,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, freePort } from '#local/dynamodb-local.ts';
import { loadStateMachines } from '#local/stepfunctions/definitions.ts';
import { createStepFunctionsServer } from '#local/stepfunctions/server.ts';
import { localCredentials, startTestDynamoDb } from '#test/support/dynamodb.ts';
import { type Harness, openRuntime, T0 } from '#test/support/stepfunctions-runtime.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures/engine/machines');
const GREETING = 'arn:aws:states:eu-west-2:000000000000:stateMachine:greeting';
const PAUSE = 'arn:aws:states:eu-west-2:000000000000:stateMachine:pause';

let db: DynamoDbLocal;
let harness: Harness;
let server: Server;
let endpoint: string;
let sfn: SFNClient;
const tokens: string[] = [];

beforeAll(async () => {
  db = await startTestDynamoDb();
  harness = await openRuntime({
    endpoint: db.endpoint,
    machines: loadStateMachines(fixtures, { GreetFunctionArn: 'greet', ApproveFunctionArn: 'approve' }),
    handlers: {
      greet: async (event: never) => ({ greeting: `hello ${(event as { who: string }).who}` }),
      approve: async (event: never) => {
        tokens.push((event as { token: string }).token);
        return null;
      },
    },
  });
  server = createStepFunctionsServer(harness.runtime);
  const port = await freePort();
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  endpoint = `http://127.0.0.1:${port}`;
  sfn = new SFNClient({ endpoint, region: 'eu-west-2', credentials: localCredentials });
});

afterEach(() => {
  expect(harness.errors).toEqual([]);
});

afterAll(async () => {
  sfn?.destroy();
  server?.closeAllConnections();
  await new Promise((closed) => server?.close(closed));
  await harness?.runtime.close();
  await db?.stop();
});

async function startWaiting(name: string): Promise<{ executionArn: string; token: string }> {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: GREETING, name, input: '{"who":"resident"}' }),
  );
  await harness.runtime.idle();
  return { executionArn: executionArn as string, token: tokens.at(-1) as string };
}

describe('state machines', () => {
  it('lists and describes the registered state machines', async () => {
    // Act
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: PAUSE }));

    // Assess
    expect(stateMachines).toEqual([
      { stateMachineArn: GREETING, name: 'greeting', type: 'STANDARD', creationDate: new Date(T0) },
      { stateMachineArn: PAUSE, name: 'pause', type: 'STANDARD', creationDate: new Date(T0) },
    ]);
    expect(described).toMatchObject({
      stateMachineArn: PAUSE,
      name: 'pause',
      status: 'ACTIVE',
      type: 'STANDARD',
    });
    expect(JSON.parse(described.definition ?? '')).toMatchObject({ StartAt: 'Pause' });
  });

  it('raises StateMachineDoesNotExist and InvalidArn as the SDK exceptions', async () => {
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${PAUSE}-gone` })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'pause' })),
    ).rejects.toBeInstanceOf(InvalidArn);
  });
});

describe('executions', () => {
  it('starts, describes and completes an execution through a task token', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting('sdk-happy');
    const running = await sfn.send(new DescribeExecutionCommand({ executionArn }));

    // Act
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));

    // Assess
    expect(running).toMatchObject({
      executionArn,
      stateMachineArn: GREETING,
      name: 'sdk-happy',
      status: 'RUNNING',
      startDate: new Date(T0),
      input: '{"who":"resident"}',
    });
    const done = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}', stopDate: new Date(T0) });
  });

  it('returns the same execution for a repeated start, and ExecutionAlreadyExists for other input', async () => {
    // Prepare
    const start = (input: string) =>
      sfn.send(new StartExecutionCommand({ stateMachineArn: PAUSE, name: 'sdk-repeat', input }));
    const first = await start('{"a":1}');

    // Act
    const second = await start('{"a":1}');
    const other = start('{"a":2}');

    // Assess
    expect({ executionArn: second.executionArn, startDate: second.startDate }).toEqual({
      executionArn: first.executionArn,
      startDate: first.startDate,
    });
    await expect(other).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(other).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('raises InvalidName, InvalidExecutionInput and ExecutionDoesNotExist as the SDK exceptions', async () => {
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: PAUSE, name: 'a b' })),
    ).rejects.toBeInstanceOf(InvalidName);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: PAUSE, input: '{' })),
    ).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(
      sfn.send(
        new DescribeExecutionCommand({ executionArn: `${PAUSE.replace('stateMachine', 'execution')}:none` }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('stops an execution as ABORTED', async () => {
    // Prepare
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: PAUSE, name: 'sdk-stop' }),
    );

    // Act
    const { stopDate } = await sfn.send(
      new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause: 'why' }),
    );

    // Assess
    expect(stopDate).toEqual(new Date(T0));
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: 'ABORTED',
      error: 'Withdrawn',
      cause: 'why',
    });
  });

  it('lists executions by status, page by page', async () => {
    // Prepare
    for (const name of ['sdk-list-1', 'sdk-list-2', 'sdk-list-3']) {
      harness.clock.advance(1000);
      await sfn.send(new StartExecutionCommand({ stateMachineArn: PAUSE, name }));
    }

    // Act
    const names: string[] = [];
    for await (const page of paginateListExecutions(
      { client: sfn, pageSize: 2 },
      { stateMachineArn: PAUSE, statusFilter: 'RUNNING' },
    )) {
      names.push(...(page.executions ?? []).map((execution) => execution.name as string));
    }
    const aborted = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: PAUSE, statusFilter: 'ABORTED' }),
    );

    // Assess
    expect(names.slice(0, 3)).toEqual(['sdk-list-3', 'sdk-list-2', 'sdk-list-1']);
    expect(names).not.toContain('sdk-stop');
    expect(aborted.executions?.map((execution) => execution.name)).toEqual(['sdk-stop']);
    expect(aborted.executions?.[0]?.stopDate).toBeInstanceOf(Date);
  });
});

describe('task tokens', () => {
  it('fails the execution with the error of SendTaskFailure', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting('sdk-failure');

    // Act
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'no' }));

    // Assess
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: 'FAILED',
      error: 'Rejected',
      cause: 'no',
    });
  });

  it('raises TaskTimedOut for a closed token and InvalidToken for an unknown one', async () => {
    // Prepare
    const { token } = await startWaiting('sdk-closed-token');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));

    // Act
    const late = sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    const unknown = sfn.send(new SendTaskFailureCommand({ taskToken: 'not-a-token' }));

    // Assess (both at once: whichever rejects first must already have its handler)
    await Promise.all([
      expect(late).rejects.toBeInstanceOf(TaskTimedOut),
      expect(unknown).rejects.toBeInstanceOf(InvalidToken),
    ]);
  });
});

describe('GetExecutionHistory', () => {
  it('gives the events with timestamps, in order or reversed, page by page', async () => {
    // Prepare
    const { executionArn, token } = await startWaiting('sdk-history');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    const { startDate } = await sfn.send(new DescribeExecutionCommand({ executionArn }));

    // Act
    const forward: { id?: number; type?: string; timestamp?: Date }[] = [];
    for await (const page of paginateGetExecutionHistory({ client: sfn, pageSize: 3 }, { executionArn })) {
      forward.push(...(page.events ?? []));
    }
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }));
    const withoutData = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }),
    );

    // Assess
    expect(forward.map((event) => event.type)).toEqual([
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
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(forward.map((event) => event.id)).toEqual(forward.map((_event, index) => index + 1));
    expect(forward[0]?.timestamp).toEqual(startDate);
    expect(reversed.events?.map((event) => event.id)).toEqual(forward.map((event) => event.id).reverse());
    expect(withoutData.events?.[0]?.executionStartedEventDetails?.input).toBeUndefined();
    expect(forward[0]).toMatchObject({ executionStartedEventDetails: { input: '{"who":"resident"}' } });
  });
});

describe('the protocol', () => {
  it('answers an unknown operation with UnknownOperationException', async () => {
    // Act
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'AWSStepFunctions.CreateActivity',
      },
      body: '{}',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      __type: expect.stringMatching(/#UnknownOperationException$/),
      message: expect.any(String),
    });
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    // Act
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'AWSStepFunctions.StartExecution',
      },
      body: '{',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(((await response.json()) as { __type: string }).__type).toMatch(/#SerializationException$/);
  });
});

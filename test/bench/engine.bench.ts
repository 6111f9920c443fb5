// Figures for the local Step Functions engine with its DynamoDB persistence (no assertions):
//   - state transitions per second along a long Pass/Choice chain;
//   - DynamoDB write requests and items written per transition;
//   - task-token round trip: SendTaskSuccess through the SDK until the next state is stored.
// Run: npm run bench:engine
import { performance } from 'node:perf_hooks';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { freePort, startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { createStepFunctionsRuntime, type StepFunctionsRuntime } from '#local/stepfunctions/runtime.ts';
import { createStepFunctionsServer } from '#local/stepfunctions/server.ts';
import { localCredentials } from '#test/support/dynamodb.ts';
import { callbackTask, dynamoClient, lambdaTask, machine } from '#test/support/stepfunctions-runtime.ts';

const CHAIN_TRANSITIONS = 2000;
const CHAIN_RUNS = 3;
const ROUND_TRIPS = 200;
const LAMBDA_TASKS = 100;
const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

interface WriteCounter {
  requests: number;
  items: number;
}

/** Pass and Choice states alternating, `transitions` states in all, then Succeed. */
function passChoiceChain(transitions: number): object {
  const states: Record<string, object> = {};
  for (let index = 0; index < transitions; index += 1) {
    const next = index + 1 < transitions ? `S${index + 1}` : 'Done';
    states[`S${index}`] =
      index % 2 === 0
        ? { Type: 'Pass', Output: '{% {"n": $states.input.n + 1} %}', Next: next }
        : {
            Type: 'Choice',
            Choices: [{ Condition: '{% $states.input.n >= 0 %}', Next: next }],
            Default: 'Done',
          };
  }
  states.Done = { Type: 'Succeed' };
  return { QueryLanguage: 'JSONata', StartAt: 'S0', States: states };
}

/** A callback task in a loop: each round waits for its token, then counts and decides. */
function tokenLoop(rounds: number): object {
  return {
    QueryLanguage: 'JSONata',
    StartAt: 'Wait for token',
    States: {
      'Wait for token': callbackTask('register', { Output: '{% $states.input %}', Next: 'Count' }),
      Count: { Type: 'Pass', Output: '{% {"i": $states.input.i + 1} %}', Next: 'Again?' },
      'Again?': {
        Type: 'Choice',
        Choices: [{ Condition: `{% $states.input.i < ${rounds} %}`, Next: 'Wait for token' }],
        Default: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  };
}

function lambdaChain(tasks: number): object {
  const states: Record<string, object> = {};
  for (let index = 0; index < tasks; index += 1) {
    states[`T${index}`] = lambdaTask('increment', { Next: index + 1 < tasks ? `T${index + 1}` : 'Done' });
  }
  states.Done = { Type: 'Succeed' };
  return { QueryLanguage: 'JSONata', StartAt: 'T0', States: states };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

async function measureWrites<T>(
  counter: WriteCounter,
  work: () => Promise<T>,
): Promise<WriteCounter & { ms: number }> {
  const before = { ...counter };
  const started = performance.now();
  await work();
  return {
    ms: performance.now() - started,
    requests: counter.requests - before.requests,
    items: counter.items - before.items,
  };
}

async function main(): Promise<void> {
  const db = await startDynamoDbLocal({ port: await freePort() });
  const client = dynamoClient(db.endpoint);
  const counter: WriteCounter = { requests: 0, items: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITE_COMMANDS.has(context.commandName ?? '')) {
        counter.requests += 1;
        const items = (args.input as { TransactItems?: unknown[] }).TransactItems;
        counter.items += items ? items.length : 1;
      }
      return next(args);
    },
    { step: 'initialize' },
  );

  const tokens: string[] = [];
  let tokenArrived: () => void = () => undefined;
  const runtime: StepFunctionsRuntime = await createStepFunctionsRuntime({
    dynamodb: client,
    tableName: 'engine-bench',
    resolveFunction: (name) =>
      ({
        register: async (event: never) => {
          tokens.push((event as { token: string }).token);
          tokenArrived();
          return null;
        },
        increment: async (event: never) => ({ n: ((event as { n?: number }).n ?? 0) + 1 }),
      })[name],
  });
  const chain = machine('bench-chain', passChoiceChain(CHAIN_TRANSITIONS));
  const loop = machine('bench-token-loop', tokenLoop(ROUND_TRIPS));
  const tasks = machine('bench-lambda-chain', lambdaChain(LAMBDA_TASKS));
  for (const compiled of [chain, loop, tasks]) runtime.registerStateMachine(compiled);
  await runtime.resume();
  const server = createStepFunctionsServer(runtime);
  const port = await freePort();
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  const sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-2',
    credentials: localCredentials,
  });

  console.log(`Local Step Functions engine on DynamoDB Local (Node ${process.version})`);
  console.log(`\nPass/Choice chain, ${CHAIN_TRANSITIONS} transitions, ${CHAIN_RUNS} runs:`);
  for (let run = 1; run <= CHAIN_RUNS; run += 1) {
    const measured = await measureWrites(counter, async () => {
      await runtime.startExecution({ stateMachineArn: chain.arn, input: '{"n":0}' });
      await runtime.idle();
    });
    console.log(
      `  run ${run}: ${Math.round((CHAIN_TRANSITIONS / measured.ms) * 1000)} transitions/s` +
        ` (${measured.ms.toFixed(0)} ms); ${measured.requests} write requests, ${measured.items} items:` +
        ` ${(measured.requests / CHAIN_TRANSITIONS).toFixed(4)} requests and` +
        ` ${(measured.items / CHAIN_TRANSITIONS).toFixed(4)} items per transition`,
    );
  }

  console.log(`\nLambda task chain, ${LAMBDA_TASKS} lambda:invoke tasks:`);
  const lambdaRun = await measureWrites(counter, async () => {
    await runtime.startExecution({ stateMachineArn: tasks.arn, input: '{"n":0}' });
    await runtime.idle();
  });
  console.log(
    `  ${Math.round((LAMBDA_TASKS / lambdaRun.ms) * 1000)} tasks/s (${lambdaRun.ms.toFixed(0)} ms);` +
      ` ${(lambdaRun.requests / LAMBDA_TASKS).toFixed(2)} write requests and` +
      ` ${(lambdaRun.items / LAMBDA_TASKS).toFixed(2)} items per task`,
  );

  console.log(
    `\nTask-token round trip (SendTaskSuccess via the SDK until the next state is stored), ${ROUND_TRIPS} rounds:`,
  );
  const latencies: number[] = [];
  const loopRun = await measureWrites(counter, async () => {
    const firstToken = new Promise<void>((arrived) => {
      tokenArrived = arrived;
    });
    await runtime.startExecution({ stateMachineArn: loop.arn, input: '{"i":0}' });
    await firstToken;
    for (let round = 0; round < ROUND_TRIPS; round += 1) {
      const taskToken = tokens.at(-1) as string;
      const nextToken = new Promise<void>((arrived) => {
        tokenArrived = arrived;
      });
      const started = performance.now();
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ i: round }) }));
      latencies.push(performance.now() - started);
      if (round + 1 < ROUND_TRIPS) await nextToken;
    }
    await runtime.idle();
  });
  latencies.sort((a, b) => a - b);
  console.log(
    `  p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms,` +
      ` max ${(latencies.at(-1) ?? 0).toFixed(1)} ms; ${(loopRun.requests / ROUND_TRIPS).toFixed(2)} write requests` +
      ` and ${(loopRun.items / ROUND_TRIPS).toFixed(2)} items per round (4 transitions, token submit included)`,
  );

  sfn.destroy();
  server.closeAllConnections();
  await new Promise((closed) => server.close(closed));
  await runtime.close();
  client.destroy();
  await db.stop();
}

await main();

// Runs the durable Step Functions runtime against a test DynamoDB Local: one fresh table per
// runtime family (so test files and tests never share executions), a clock moved by hand, timers
// that never fire by themselves, and a resumable "crash" (a new runtime on the same table).
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { compileDefinition } from '#local/stepfunctions/interpreter.ts';
import type { FunctionResolver, LambdaHandler } from '#local/stepfunctions/lambda-invoker.ts';
import type { CompiledStateMachine, ExecutionRecord, HistoryEvent } from '#local/stepfunctions/model.ts';
import { stateMachineArnOf } from '#local/stepfunctions/names.ts';
import {
  createStepFunctionsRuntime,
  type RuntimeHooks,
  type StepFunctionsRuntime,
} from '#local/stepfunctions/runtime.ts';
import type { Timers } from '#local/stepfunctions/scheduler.ts';
import { localCredentials } from '#test/support/dynamodb.ts';

export const T0 = '2026-03-02T09:00:00.000Z';

/** A clock that moves only when told. */
export class ManualClock {
  #now: number;
  constructor(start = T0) {
    this.#now = Date.parse(start);
  }
  now(): Date {
    return new Date(this.#now);
  }
  advance(millis: number): void {
    this.#now += millis;
  }
  set(iso: string): void {
    this.#now = Date.parse(iso);
  }
}

/** Timers that never fire: they record what was armed, the test moves the clock and checks. */
export class ManualTimers implements Timers {
  readonly armed: number[] = [];
  set(_callback: () => void, delayMs: number): unknown {
    this.armed.push(delayMs);
    return this.armed.length;
  }
  clear(): void {}
}

export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
}

export function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'eu-west-2', credentials: localCredentials });
}

/** A state machine from a definition object, named as a file `<name>.asl.json` would be. */
export function machine(name: string, definition: object): CompiledStateMachine {
  return compileDefinition(name, stateMachineArnOf(name), JSON.stringify(definition));
}

/** A JSONata definition: `count` Pass states in a row, then Succeed. */
export function passChain(count: number): object {
  const states: Record<string, object> = {};
  for (let index = 0; index < count; index += 1) {
    states[`P${index}`] = {
      Type: 'Pass',
      Output: '{% {"n": $states.input.n + 1} %}',
      Next: index + 1 < count ? `P${index + 1}` : 'Done',
    };
  }
  states.Done = { Type: 'Succeed' };
  return { QueryLanguage: 'JSONata', StartAt: 'P0', States: states };
}

/** A Lambda task calling `functionName` with the state input as payload. */
export function lambdaTask(functionName: string, fields: object = {}): object {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Arguments: { FunctionName: functionName, Payload: '{% $states.input %}' },
    Output: '{% $states.result.Payload %}',
    ...fields,
  };
}

/** A waitForTaskToken task handing the token to `functionName`. */
export function callbackTask(functionName: string, fields: object = {}): object {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
    Arguments: {
      FunctionName: functionName,
      Payload: { token: '{% $states.context.Task.Token %}', input: '{% $states.input %}' },
    },
    ...fields,
  };
}

export interface HarnessOptions {
  endpoint: string;
  machines: CompiledStateMachine[];
  /** The aliases each machine is registered with, which StartExecution may name. */
  aliases?: readonly string[];
  handlers?: Record<string, LambdaHandler>;
  clock?: ManualClock;
  tableName?: string;
  hooks?: RuntimeHooks;
  client?: DynamoDBClient;
}

export interface Harness {
  runtime: StepFunctionsRuntime;
  clock: ManualClock;
  timers: ManualTimers;
  tableName: string;
  errors: unknown[];
  /** Every record stored, in order, with the events each write stored. */
  persisted: { record: ExecutionRecord; events: HistoryEvent[] }[];
}

/** A runtime on a (by default new) table, machines registered, resumed. */
export async function openRuntime(options: HarnessOptions): Promise<Harness> {
  const clock = options.clock ?? new ManualClock();
  const timers = new ManualTimers();
  const tableName = options.tableName ?? `engine-${randomUUID()}`;
  const errors: unknown[] = [];
  const persisted: Harness['persisted'] = [];
  const handlers = options.handlers ?? {};
  const resolveFunction: FunctionResolver = (name) => handlers[name];
  const runtime = await createStepFunctionsRuntime({
    dynamodb: options.client ?? { endpoint: options.endpoint },
    tableName,
    resolveFunction,
    clock,
    timers,
    random: () => 0.5,
    onError: (error) => errors.push(error),
    hooks: {
      afterPersist: async (record, events) => {
        persisted.push({ record, events });
        await options.hooks?.afterPersist?.(record, events);
      },
      afterAdvanceInMemory: async (record, events) => {
        await options.hooks?.afterAdvanceInMemory?.(record, events);
      },
    },
  });
  for (const compiled of options.machines) runtime.registerStateMachine(compiled, options.aliases);
  await runtime.resume();
  return { runtime, clock, timers, tableName, errors, persisted };
}

/** All history events of an execution, oldest first. */
export async function historyOf(
  runtime: StepFunctionsRuntime,
  executionArn: string,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await runtime.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Event ids are 1..n without gap or repeat, and each event follows an earlier one. */
export function assertContiguous(events: HistoryEvent[]): void {
  events.forEach((event, index) => {
    if (event.id !== index + 1) throw new Error(`event ${index} has id ${event.id}`);
    if (event.previousEventId >= event.id)
      throw new Error(`event ${event.id} follows ${event.previousEventId}`);
  });
}

/** A promise with its resolve exposed: a handler that returns when the test says so. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

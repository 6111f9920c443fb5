// Plays the durable runtime in memory around the pure interpreter, so that engine tests read as
// "start, then the task succeeds, then the timer fires": fake Lambda handlers answer invokes, a
// fake clock moves only when told (or to a due timer), and tokens, UUIDs and randomness are
// deterministic. No I/O, no real time.
import { advance, compileDefinition, newExecution } from '#local/stepfunctions/interpreter.ts';
import type {
  CompiledStateMachine,
  ExecutionRecord,
  HistoryEvent,
  Json,
  Pending,
  Signal,
  StepContext,
} from '#local/stepfunctions/model.ts';

export const MACHINE_ARN = 'arn:aws:states:eu-west-2:123456789012:stateMachine:TestMachine';
export const EXECUTION_ARN = 'arn:aws:states:eu-west-2:123456789012:execution:TestMachine:test-execution';
export const START_DATE = '2026-01-05T09:00:00.000Z';

/** A fake Lambda handler: its return value becomes the Payload; a throw becomes a task failure. */
export type FakeHandler = (payload: Json, call: { functionName: string; token?: string }) => unknown;

export interface EngineDriverOptions {
  handlers?: { [functionName: string]: FakeHandler };
  /** Source of $random() and FULL jitter; 0.5 by default. */
  random?: () => number;
  /** Persist the record as JSON text between advances, as the runtime does. */
  roundTrip?: boolean;
  /** Fire Wait and Retry timers by moving the clock to them (default); false stops at a timer. */
  fireTimers?: boolean;
  /** Invoke the handlers (default); false stops at an invoke for the test to answer. */
  invokeFunctions?: boolean;
  startDate?: string;
}

/** A clock that moves only when the test (or a due timer) moves it. */
export class FakeClock {
  #now: number;
  constructor(start: string) {
    this.#now = Date.parse(start);
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(iso: string): void {
    this.#now = Date.parse(iso);
  }
  tick(millis: number): void {
    this.#now += millis;
  }
}

/** The Lambda integration's response around a handler's return value. */
export function lambdaResponse(payload: Json, requestId: string): Json {
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: { HttpHeaders: { 'x-amzn-RequestId': requestId }, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** errorType and the JSON cause the Lambda integration reports for a thrown error. */
export function lambdaError(error: unknown): { error: string; cause: string } {
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  return { error: errorType, cause: JSON.stringify({ errorMessage, errorType, trace: [] }) };
}

export interface AdvanceStep {
  before: ExecutionRecord;
  signal: Signal;
  /** The clock's time during the advance. */
  at: string;
  after: ExecutionRecord;
  events: HistoryEvent[];
}

export class EngineDriver {
  readonly machine: CompiledStateMachine;
  readonly clock: FakeClock;
  readonly events: HistoryEvent[] = [];
  /** Every signal given to advance(), in order. */
  readonly signals: Signal[] = [];
  /** Each advance(): the record and signal that went in, the clock then, and what came out. */
  readonly steps: AdvanceStep[] = [];
  record: ExecutionRecord | undefined;
  readonly #options: EngineDriverOptions;
  #requests = 0;

  constructor(definition: object | string, options: EngineDriverOptions = {}) {
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    this.machine = compileDefinition('TestMachine', MACHINE_ARN, text);
    this.#options = options;
    this.clock = new FakeClock(options.startDate ?? START_DATE);
  }

  /** The deterministic StepContext of advance number `n`: replaying an advance replays its values. */
  contextFor(n: number, clock: FakeClock = this.clock): StepContext {
    let tokens = 0;
    let uuids = 0;
    return {
      now: () => clock.now(),
      random: this.#options.random ?? (() => 0.5),
      newToken: () => `token-${n}-${++tokens}`,
      newUuid: () => `00000000-0000-4000-8000-${String(n * 1000 + ++uuids).padStart(12, '0')}`,
    };
  }

  /** StartExecution, then run until the execution ends or waits for the outside world. */
  async start(input: Json = {}): Promise<this> {
    this.record = newExecution(this.machine, {
      executionArn: EXECUTION_ARN,
      name: 'test-execution',
      input: JSON.stringify(input),
      startDate: this.clock.now().toISOString(),
    });
    await this.signal({ type: 'start' });
    return this;
  }

  /** Gives one signal to advance(), then carries out whatever the record asks for. */
  async signal(signal: Signal): Promise<void> {
    await this.advanceOnce(signal);
    await this.settle();
  }

  get execution(): ExecutionRecord {
    if (this.record === undefined) throw new Error('the execution has not started');
    return this.record;
  }

  get pending(): Pending | null {
    return this.execution.pending;
  }

  get status(): string {
    return this.execution.status;
  }

  get output(): Json | undefined {
    const { output } = this.execution;
    return output === undefined ? undefined : (JSON.parse(output) as Json);
  }

  get eventTypes(): string[] {
    return this.events.map((event) => event.type);
  }

  /** The events of one type, in order. */
  eventsOf(type: string): HistoryEvent[] {
    return this.events.filter((event) => event.type === type);
  }

  /** The pending callback's task token. */
  get token(): string {
    const { pending } = this;
    if (pending?.kind !== 'callback') throw new Error(`no callback is pending (${JSON.stringify(pending)})`);
    return pending.token;
  }

  /** Answers the pending invoke (or unsubmitted callback invoke) as if the function returned `payload`. */
  respond(payload: Json): Promise<void> {
    const { pending } = this;
    const output = lambdaResponse(payload, `request-${++this.#requests}`);
    if (pending?.kind === 'invoke')
      return this.signal({ type: 'invoke-succeeded', pendingId: pending.id, output });
    if (pending?.kind === 'callback' && !pending.submitted) {
      return this.signal({ type: 'submitted', pendingId: pending.id, output });
    }
    throw new Error(`no invocation is pending (${JSON.stringify(pending)})`);
  }

  sendTaskSuccess(output: Json): Promise<void> {
    return this.signal({ type: 'callback-succeeded', pendingId: this.pendingId(), output });
  }

  sendTaskFailure(error: string, cause: string): Promise<void> {
    return this.signal({ type: 'callback-failed', pendingId: this.pendingId(), error, cause });
  }

  sendHeartbeat(): Promise<void> {
    return this.signal({ type: 'heartbeat', pendingId: this.pendingId() });
  }

  /** Moves the clock to the task's next deadline (heartbeat or timeout) and reports it missed. */
  expireTask(): Promise<void> {
    const { pending } = this;
    if (pending?.kind !== 'invoke' && pending?.kind !== 'callback') throw new Error('no task is pending');
    const heartbeatAt = pending.kind === 'callback' ? pending.heartbeatAt : undefined;
    const heartbeatFirst =
      heartbeatAt !== undefined && (pending.timeoutAt === undefined || heartbeatAt < pending.timeoutAt);
    const at = heartbeatFirst ? heartbeatAt : pending.timeoutAt;
    if (at === undefined) throw new Error('the pending task has no deadline');
    this.clock.set(at);
    return this.signal({
      type: 'task-timed-out',
      pendingId: pending.id,
      error: heartbeatFirst ? 'States.HeartbeatTimeout' : 'States.Timeout',
    });
  }

  /** Moves the clock to the execution's TimeoutSeconds and times it out. */
  expireExecution(): Promise<void> {
    const { timeoutAt } = this.execution;
    if (timeoutAt === undefined) throw new Error('the execution has no TimeoutSeconds');
    this.clock.set(timeoutAt);
    return this.signal({ type: 'execution-timed-out' });
  }

  stop(error?: string, cause?: string): Promise<void> {
    return this.signal({
      type: 'stop',
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
    });
  }

  /** Fires the pending timer now, whatever its due time (for tests that stop at timers). */
  fireTimer(): Promise<void> {
    const { pending } = this;
    if (pending?.kind !== 'timer') throw new Error('no timer is pending');
    if (pending.dueAt > this.clock.now().toISOString()) this.clock.set(pending.dueAt);
    return this.signal({ type: 'timer-fired', pendingId: pending.id });
  }

  private pendingId(): string {
    const { pending } = this;
    if (pending === null) throw new Error('nothing is pending');
    return pending.id;
  }

  private async advanceOnce(signal: Signal): Promise<void> {
    const before = this.#options.roundTrip
      ? (JSON.parse(JSON.stringify(this.execution)) as ExecutionRecord)
      : this.execution;
    const machine = this.#options.roundTrip
      ? (JSON.parse(JSON.stringify(this.machine)) as CompiledStateMachine)
      : this.machine;
    const at = this.clock.now().toISOString();
    const result = await advance(machine, before, signal, this.contextFor(this.steps.length + 1));
    this.steps.push({ before, signal, at, after: result.execution, events: result.events });
    this.signals.push(signal);
    this.events.push(...result.events);
    this.record = result.execution;
  }

  /** Carries out pending steps the driver can answer by itself: continue, timers, invokes, submits. */
  private async settle(): Promise<void> {
    for (;;) {
      const { pending } = this;
      if (pending === null) return;
      switch (pending.kind) {
        case 'continue':
          await this.advanceOnce({ type: 'continue', pendingId: pending.id });
          break;
        case 'timer':
          if (this.#options.fireTimers === false) return;
          if (pending.dueAt > this.clock.now().toISOString()) this.clock.set(pending.dueAt);
          await this.advanceOnce({ type: 'timer-fired', pendingId: pending.id });
          break;
        case 'invoke':
          if (this.#options.invokeFunctions === false) return;
          await this.advanceOnce(await this.invoke(pending.id, pending.functionName, pending.payload));
          break;
        case 'callback': {
          if (pending.submitted || this.#options.invokeFunctions === false) return;
          const outcome = await this.invoke(pending.id, pending.functionName, pending.payload, pending.token);
          await this.advanceOnce(
            outcome.type === 'invoke-succeeded'
              ? { type: 'submitted', pendingId: outcome.pendingId, output: outcome.output }
              : outcome,
          );
          break;
        }
      }
    }
  }

  private async invoke(id: string, functionName: string, payload: Json, token?: string): Promise<Signal> {
    const handler = this.#options.handlers?.[functionName];
    if (handler === undefined) {
      return {
        type: 'invoke-failed',
        pendingId: id,
        error: 'Lambda.ResourceNotFoundException',
        cause: `Function not found: ${functionName}`,
      };
    }
    try {
      const result = await handler(structuredClone(payload), {
        functionName,
        ...(token === undefined ? {} : { token }),
      });
      const body = (JSON.parse(JSON.stringify(result ?? null)) ?? null) as Json;
      return {
        type: 'invoke-succeeded',
        pendingId: id,
        output: lambdaResponse(body, `request-${++this.#requests}`),
      };
    } catch (error) {
      return { type: 'invoke-failed', pendingId: id, ...lambdaError(error) };
    }
  }
}

/** Compiles `definition`, starts it with `input` and runs it as far as it goes on its own. */
export async function runMachine(
  definition: object | string,
  input: Json = {},
  options: EngineDriverOptions = {},
): Promise<EngineDriver> {
  return new EngineDriver(definition, options).start(input);
}

// The durable side of the local Step Functions engine. The pure interpreter turns (record, signal)
// into the next record and its history events; this runtime runs an execution in memory from its
// stored record to its next wait (a task token, a Wait or retry timer, its end, or a continue after
// the transition budget) and stores the whole run there in one conditional transaction: the record,
// its history and its tokens. What a caller is answered about (StartExecution, SendTask*,
// StopExecution) is stored before the answer. A crash mid-run repeats the run from the record
// stored last: its Lambda tasks are invoked at least once, as AWS Step Functions' Standard workflows
// invoke them, and the handlers are idempotent by key. A waitForTaskToken task's token is answerable
// (SendTask*) from the moment its handler has it. Work on one execution runs one job at a time.

import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '#infra/functions.ts';
import {
  checkErrorAndCause,
  type ExecutionDescription,
  type GetExecutionHistoryInput,
  isJson,
  type ListExecutionsInput,
  pageSize,
  STATUSES,
  type StartExecutionInput,
  type StateMachineDescription,
  type StateMachineSummary,
  withoutExecutionData,
} from './api-shapes.ts';
import { type Clock, systemClock } from './clock.ts';
import { dueSignal, nextDeadline } from './deadlines.ts';
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidExecutionInput,
  InvalidOutput,
  InvalidToken,
  ServiceUnavailable,
  StateMachineDoesNotExist,
  TaskTimedOut,
  ValidationException,
} from './errors.ts';
import { ExecutionQueue, type Run, type Slot } from './execution-queue.ts';
import { advance, newExecution } from './interpreter.ts';
import { type FunctionResolver, type InvocationOutcome, invokeFunction } from './lambda-invoker.ts';
import type {
  Advance,
  CallbackPending,
  CompiledStateMachine,
  ExecutionRecord,
  HistoryEvent,
  Json,
  Pending,
  Signal,
  StepContext,
} from './model.ts';
import {
  assertExecutionArn,
  assertExecutionName,
  assertStateMachineArn,
  executionArnOf,
  parseStartableArn,
} from './names.ts';
import { MAX_PAYLOAD_BYTES, MAX_TASK_TOKEN_LENGTH, NAME_REUSE_AFTER_MILLIS, payloadBytes } from './quotas.ts';
import { DeadlineScheduler, realTimers, type Timers } from './scheduler.ts';
import {
  ExecutionExists,
  ExecutionStore,
  type ExecutionSummary,
  type StoredExecution,
  type TaskTokenItem,
  VersionConflict,
} from './store.ts';

export interface RuntimeHooks {
  /**
   * Runs after each write, with the events it stored, and before the pending step is carried out.
   * Throwing here leaves the execution exactly as a crash at that moment would: stored, nothing
   * carried out.
   */
  afterPersist?(record: ExecutionRecord, events: HistoryEvent[]): void | Promise<void>;
  /**
   * Runs after each advance kept in memory (its run goes on to its next wait before it is stored),
   * before its pending step is carried out. Throwing here is a crash at that moment: the run since
   * the stored record is lost, and repeated from that record when the execution resumes.
   */
  afterAdvanceInMemory?(record: ExecutionRecord, events: HistoryEvent[]): void | Promise<void>;
}

export interface StepFunctionsRuntimeOptions {
  /** A client the caller owns and closes, or an endpoint for a client the runtime owns. */
  dynamodb: DynamoDBClient | { endpoint: string };
  tableName: string;
  /** Finds the handler for a Task's function name. */
  resolveFunction: FunctionResolver;
  clock?: Clock;
  /** How deadlines sleep; tests with a hand-moved clock pass timers that never fire and call `checkTimers()`. */
  timers?: Timers;
  /** For JitterStrategy FULL and $random(). */
  random?: () => number;
  hooks?: RuntimeHooks;
  /** Failures of background work (no caller to throw to). Defaults to a process warning. */
  onError?: (error: unknown) => void;
}

interface Registered {
  machine: CompiledStateMachine;
  aliases: ReadonlySet<string>;
  creationDate: string;
}

const ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/local-step-functions`;

/**
 * A run that reaches this many events without a wait (far beyond any of the case review's) is stored on
 * its way, which bounds what memory holds of an execution and what a crash repeats of it.
 */
export const MAX_RUN_EVENTS = 1_000;

/** Creates the runtime and its table (if missing). Register the state machines, then call `resume()`. */
export async function createStepFunctionsRuntime(
  options: StepFunctionsRuntimeOptions,
): Promise<StepFunctionsRuntime> {
  const runtime = new StepFunctionsRuntime(options);
  await runtime.store.ensureTable();
  return runtime;
}

export class StepFunctionsRuntime {
  readonly store: ExecutionStore;
  readonly #client: DynamoDBClient;
  readonly #ownsClient: boolean;
  readonly #functions: FunctionResolver;
  readonly #clock: Clock;
  readonly #hooks: RuntimeHooks;
  readonly #onError: (error: unknown) => void;
  readonly #context: StepContext;
  readonly #scheduler: DeadlineScheduler;
  readonly #machines = new Map<string, Registered>();
  readonly #queue: ExecutionQueue;
  /** Execution job chains and scheduler checks: what `close()` waits for. */
  readonly #jobs = new Set<Promise<unknown>>();
  /** Handler invocations: `idle()` waits for them too, `close()` abandons them. */
  readonly #invocations = new Set<Promise<unknown>>();
  readonly #invoking = new Set<string>();
  readonly #waking = new Set<string>();
  #closed = false;

  constructor(options: StepFunctionsRuntimeOptions) {
    this.#ownsClient = !(options.dynamodb instanceof DynamoDBClient);
    this.#client =
      options.dynamodb instanceof DynamoDBClient
        ? options.dynamodb
        : new DynamoDBClient({
            endpoint: options.dynamodb.endpoint,
            region: LOCAL_REGION,
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          });
    this.store = new ExecutionStore(this.#client, options.tableName);
    this.#functions = options.resolveFunction;
    this.#clock = options.clock ?? systemClock;
    this.#hooks = options.hooks ?? {};
    this.#onError =
      options.onError ??
      ((error) => process.emitWarning(error instanceof Error ? error : new Error(String(error))));
    const random = options.random ?? Math.random;
    this.#context = {
      now: () => this.#clock.now(),
      random,
      // 256 random bits: unguessable, and opaque to whoever holds it.
      newToken: () => randomBytes(32).toString('base64url'),
      newUuid: () => randomUUID(),
    };
    this.#queue = new ExecutionQueue((work) => this.#track(this.#jobs, work));
    this.#scheduler = new DeadlineScheduler({
      clock: this.#clock,
      timers: options.timers ?? realTimers,
      dueExecutions: (now) => this.#dueExecutions(now),
      nextDeadlineAfter: (now) => this.#nextDeadlineAfter(now),
      wake: (executionArn) => this.#wake(executionArn),
      background: (work) => this.#background(this.#jobs, work),
    });
  }

  /** `aliases` are the names StartExecution may qualify the state machine's ARN with (`<arn>:<alias>`). */
  registerStateMachine(machine: CompiledStateMachine, aliases: readonly string[] = []): void {
    assertStateMachineArn(machine.arn);
    this.#machines.set(machine.arn, {
      machine,
      aliases: new Set(aliases),
      creationDate: this.#clock.now().toISOString(),
    });
  }

  /** Picks up every RUNNING execution of the registered state machines and fires overdue deadlines. */
  async resume(): Promise<void> {
    this.#assertOpen();
    for (const { machine } of this.#machines.values()) {
      for (const executionArn of await this.store.runningExecutionArns(machine.arn)) this.#kick(executionArn);
    }
    await this.#scheduler.check();
  }

  /** Fires whatever is due by the clock now (for a clock moved by hand), and re-arms the timer. */
  checkTimers(): Promise<void> {
    this.#assertOpen();
    return this.#scheduler.check();
  }

  /** Resolves once no step, timer check or handler invocation is in progress. */
  async idle(): Promise<void> {
    while (this.#jobs.size > 0 || this.#invocations.size > 0) {
      await Promise.allSettled([...this.#jobs, ...this.#invocations]);
    }
  }

  /** Stops the timers and waits for steps in progress; handler invocations still running are abandoned. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#scheduler.stop();
    while (this.#jobs.size > 0) await Promise.allSettled([...this.#jobs]);
    if (this.#ownsClient) this.#client.destroy();
  }

  listStateMachines(input: { maxResults?: number; nextToken?: string } = {}): {
    stateMachines: StateMachineSummary[];
    nextToken?: string;
  } {
    const all = [...this.#machines.values()]
      .map(({ machine, creationDate }) => summaryOf(machine, creationDate))
      .sort((a, b) => a.name.localeCompare(b.name));
    const start = input.nextToken === undefined ? 0 : Number.parseInt(input.nextToken, 10);
    if (
      !Number.isSafeInteger(start) ||
      start < 0 ||
      start > all.length ||
      String(start) !== (input.nextToken ?? '0')
    ) {
      throw new InvalidToken('Invalid nextToken.');
    }
    const limit = pageSize(input.maxResults);
    const page = all.slice(start, start + limit);
    return {
      stateMachines: page,
      ...(start + limit < all.length ? { nextToken: String(start + limit) } : {}),
    };
  }

  describeStateMachine(stateMachineArn: string): StateMachineDescription {
    const { machine, creationDate } = this.#registered(stateMachineArn);
    return {
      ...summaryOf(machine, creationDate),
      status: 'ACTIVE',
      definition: machine.definitionText,
      roleArn: ROLE_ARN,
    };
  }

  /**
   * Starts an execution and stores its first advance before answering; its first pending step is
   * carried out in the background. The same name with the same input while it runs answers as the
   * first call did; a name whose execution closed 90 days ago or more starts a new execution in its
   * place; otherwise a taken name is ExecutionAlreadyExists.
   */
  async startExecution(input: StartExecutionInput): Promise<{ executionArn: string; startDate: string }> {
    this.#assertOpen();
    const { stateMachineArn, qualifier } = parseStartableArn(input.stateMachineArn);
    const { machine, aliases } = this.#registered(stateMachineArn);
    // Only aliases run here (one definition per state machine, no published versions to pick).
    if (qualifier !== undefined && !aliases.has(qualifier)) {
      throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${input.stateMachineArn}'`);
    }
    const name = input.name ?? randomUUID();
    assertExecutionName(name);
    const text = input.input ?? '{}';
    if (payloadBytes(text) > MAX_PAYLOAD_BYTES || !isJson(text)) {
      throw new InvalidExecutionInput(`Invalid State Machine Execution Input: '${text.slice(0, 100)}'`);
    }
    const executionArn = executionArnOf(machine.arn, name);
    return this.#queue.run(executionArn, async (slot) => {
      const now = this.#clock.now();
      let existing = slot.stored;
      if (existing && !nameReusable(existing.record, now)) return startedAlready(existing, text);
      const record = newExecution(machine, { executionArn, name, input: text, startDate: now.toISOString() });
      const first = await advance(machine, record, { type: 'start' }, this.#context);
      let stored: StoredExecution | undefined;
      // No read first: the conditional write finds a taken name, and only then is the winner read.
      for (let attempt = 0; stored === undefined; attempt += 1) {
        try {
          stored = existing
            ? await this.store.replaceExecution(existing, first)
            : await this.store.createExecution(first);
        } catch (error) {
          if (!(error instanceof ExecutionExists || error instanceof VersionConflict) || attempt > 0)
            throw error;
          existing = await this.store.getExecution(executionArn);
          if (!existing) throw error;
          if (!nameReusable(existing.record, now)) return startedAlready(existing, text);
        }
      }
      slot.stored = stored;
      await this.#hooks.afterPersist?.(stored.record, first.events);
      this.#carryOut(stored.record);
      return { executionArn, startDate: stored.record.startDate };
    });
  }

  async describeExecution(executionArn: string): Promise<ExecutionDescription> {
    assertExecutionArn(executionArn);
    const stored = await this.store.getExecution(executionArn);
    if (!stored) throw executionDoesNotExist(executionArn);
    const record = stored.record;
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: record.startDate,
      ...(record.stopDate ? { stopDate: record.stopDate } : {}),
      input: record.input,
      inputDetails: { included: true },
      ...(record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
      ...(record.error !== undefined ? { error: record.error } : {}),
      ...(record.cause !== undefined ? { cause: record.cause } : {}),
    };
  }

  /** Aborts a RUNNING execution; stopping one that has ended changes nothing, as in AWS. */
  async stopExecution(input: {
    executionArn: string;
    error?: string;
    cause?: string;
  }): Promise<{ stopDate: string }> {
    this.#assertOpen();
    assertExecutionArn(input.executionArn);
    checkErrorAndCause(input.error, input.cause);
    const record = await this.#queue.run(input.executionArn, (slot) =>
      this.#step(
        slot,
        (current) =>
          current.status === 'RUNNING'
            ? {
                type: 'stop',
                ...(input.error !== undefined ? { error: input.error } : {}),
                ...(input.cause !== undefined ? { cause: input.cause } : {}),
              }
            : undefined,
        { durable: true },
      ),
    );
    if (!record) throw executionDoesNotExist(input.executionArn);
    return { stopDate: record.stopDate ?? this.#clock.now().toISOString() };
  }

  /** Executions of one state machine, newest first. */
  async listExecutions(
    input: ListExecutionsInput,
  ): Promise<{ executions: ExecutionSummary[]; nextToken?: string }> {
    this.#registered(input.stateMachineArn);
    if (input.statusFilter !== undefined && !STATUSES.includes(input.statusFilter)) {
      throw new ValidationException(`Invalid statusFilter: '${input.statusFilter}'`);
    }
    const page = await this.store.listExecutions(input.stateMachineArn, {
      limit: pageSize(input.maxResults),
      ...(input.statusFilter ? { status: input.statusFilter } : {}),
      ...(input.nextToken !== undefined ? { after: input.nextToken } : {}),
    });
    return { executions: page.items, ...(page.next ? { nextToken: page.next } : {}) };
  }

  async getExecutionHistory(
    input: GetExecutionHistoryInput,
  ): Promise<{ events: HistoryEvent[]; nextToken?: string }> {
    assertExecutionArn(input.executionArn);
    if (!(await this.store.getExecution(input.executionArn))) throw executionDoesNotExist(input.executionArn);
    const page = await this.store.readHistory(input.executionArn, {
      reverse: input.reverseOrder === true,
      limit: pageSize(input.maxResults),
      ...(input.nextToken !== undefined ? { after: input.nextToken } : {}),
    });
    const events = input.includeExecutionData === false ? page.items.map(withoutExecutionData) : page.items;
    return { events, ...(page.next ? { nextToken: page.next } : {}) };
  }

  /** Completes the task waiting on the token; answers only once the next state is stored. */
  async sendTaskSuccess(input: { taskToken: string; output: string }): Promise<void> {
    if (typeof input.output === 'string' && payloadBytes(input.output) > MAX_PAYLOAD_BYTES) {
      throw new ValidationException(
        `1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`,
      );
    }
    if (typeof input.output !== 'string' || !isJson(input.output)) {
      throw new InvalidOutput(`Invalid Output: '${String(input.output).slice(0, 100)}'`);
    }
    const output = JSON.parse(input.output) as Json;
    await this.#answer(input.taskToken, (pending) => ({
      type: 'callback-succeeded',
      pendingId: pending.id,
      output,
    }));
  }

  async sendTaskFailure(input: { taskToken: string; error?: string; cause?: string }): Promise<void> {
    checkErrorAndCause(input.error, input.cause);
    await this.#answer(input.taskToken, (pending) => ({
      type: 'callback-failed',
      pendingId: pending.id,
      error: input.error ?? '',
      cause: input.cause ?? '',
    }));
  }

  /** Moves the task's heartbeat deadline; a task without HeartbeatSeconds has none to move. */
  async sendTaskHeartbeat(input: { taskToken: string }): Promise<void> {
    await this.#answer(input.taskToken, (pending) =>
      pending.heartbeatAt === undefined ? undefined : { type: 'heartbeat', pendingId: pending.id },
    );
  }

  /**
   * Whose a task token is (its execution, its task, whether it is still open), whether its run is
   * stored yet or not; undefined for a token never issued.
   */
  async taskToken(taskToken: string): Promise<TaskTokenItem | undefined> {
    return this.#queue.runToken(taskToken) ?? (await this.store.getTaskToken(taskToken));
  }

  async #answer(
    taskToken: string,
    signalFor: (pending: Extract<Pending, { kind: 'callback' }>) => Signal | undefined,
  ): Promise<void> {
    this.#assertOpen();
    if (typeof taskToken !== 'string' || taskToken.length < 1 || taskToken.length > MAX_TASK_TOKEN_LENGTH) {
      throw new ValidationException(
        `1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length between 1 and ${MAX_TASK_TOKEN_LENGTH}`,
      );
    }
    const token = await this.taskToken(taskToken);
    if (!token) throw new InvalidToken('Invalid Token');
    if (token.status !== 'OPEN') throw new TaskTimedOut('Task Timed Out');
    await this.#queue.run(token.executionArn, (slot) =>
      this.#step(
        slot,
        (record) => {
          const pending = record.pending;
          // The token was open when read, but the task may have ended since (timeout, stop).
          if (
            record.status !== 'RUNNING' ||
            pending?.kind !== 'callback' ||
            pending.token !== taskToken ||
            pending.id !== token.pendingId
          ) {
            throw new TaskTimedOut('Task Timed Out');
          }
          return signalFor(pending);
        },
        { durable: true },
      ),
    );
  }

  /**
   * One step: take the execution where it is (its run in memory, or its stored record), let `decide`
   * pick the signal, advance. A deadline that has passed by the clock is applied first, whether or not
   * its timer has gone off yet, so an answer that comes after a timeout finds the task timed out, as
   * in AWS. The run is stored once it rests (see `rests`), or at once when `durable` (a caller is
   * answered only once its signal is stored); until then it stays in memory. Undefined when the
   * execution does not exist.
   */
  async #step(
    slot: Slot,
    decide: (record: ExecutionRecord) => Signal | undefined,
    { durable }: { durable: boolean } = { durable: false },
  ): Promise<ExecutionRecord | undefined> {
    let conflicts = 0;
    for (;;) {
      const stored = slot.stored ?? (await this.store.getExecution(slot.executionArn));
      if (!stored) return undefined;
      slot.stored = stored;
      const current = slot.run?.record ?? stored.record;
      const registered = this.#machines.get(current.stateMachineArn);
      const overdue = registered ? dueSignal(current, this.#clock.now()) : undefined;
      const signal = overdue ?? decide(current);
      if (!signal) return current;
      const { machine } = registered ?? this.#registered(current.stateMachineArn);
      const next = await advance(machine, current, signal, this.#context);
      const run = runAfter(slot.run, current, next);
      try {
        if ((durable && !overdue) || rests(next.execution) || run.events.length >= MAX_RUN_EVENTS) {
          await this.#store(slot, stored, run);
        } else await this.#keep(slot, run, next.events);
      } catch (error) {
        slot.run = undefined;
        if (error instanceof VersionConflict && conflicts === 0) {
          conflicts += 1;
          continue;
        }
        throw error;
      }
      this.#carryOut(next.execution);
      if (!overdue) return next.execution;
    }
  }

  /** Stores the run in one write; its progress is then the stored record. */
  async #store(slot: Slot, stored: StoredExecution, run: Run): Promise<void> {
    slot.run = undefined;
    try {
      slot.stored = await this.store.saveAdvance(
        stored,
        { execution: run.record, events: [...run.events] },
        run.callbacks,
      );
    } catch (error) {
      // Whether the write happened is unknown: read the record again before the next step.
      slot.stored = undefined;
      throw error;
    }
    await this.#hooks.afterPersist?.(run.record, [...run.events]);
  }

  /** Keeps the run in memory until it rests; a crash before then repeats it from the stored record. */
  async #keep(slot: Slot, run: Run, events: readonly HistoryEvent[]): Promise<void> {
    slot.run = run;
    await this.#hooks.afterAdvanceInMemory?.(run.record, [...events]);
  }

  /** Executions with a deadline passed at `now`: stored, or of a run in memory. */
  async #dueExecutions(now: Date): Promise<string[]> {
    const inMemory = this.#queue
      .runs()
      .filter((run) => (nextDeadline(run.record)?.getTime() ?? Number.POSITIVE_INFINITY) <= now.getTime())
      .map((run) => run.record.executionArn);
    return [...new Set([...(await this.store.dueExecutionArns(now)), ...inMemory])];
  }

  /** The earliest deadline after `now`, stored or of a run in memory. */
  async #nextDeadlineAfter(now: Date): Promise<Date | undefined> {
    let earliest = await this.store.nextDeadlineAfter(now);
    for (const run of this.#queue.runs()) {
      const deadline = nextDeadline(run.record);
      if (deadline && deadline > now && (!earliest || deadline < earliest)) earliest = deadline;
    }
    return earliest;
  }

  /** Does what the record waits for: stored, or the latest of a run in memory. */
  #carryOut(record: ExecutionRecord): void {
    const pending = record.pending;
    if (this.#closed || record.status !== 'RUNNING' || !pending) return;
    const deadline = nextDeadline(record);
    if (deadline && deadline.getTime() <= this.#clock.now().getTime()) this.#wake(record.executionArn);
    else if (deadline) this.#scheduler.hint(deadline);
    if (pending.kind === 'continue') {
      this.#background(this.#jobs, () =>
        this.#queue.run(record.executionArn, (slot) =>
          this.#step(slot, (current) =>
            current.pending?.kind === 'continue' && current.pending.id === pending.id
              ? { type: 'continue', pendingId: pending.id }
              : undefined,
          ),
        ),
      );
    } else if (pending.kind === 'invoke' || (pending.kind === 'callback' && !pending.submitted)) {
      this.#invoke(record.executionArn, pending);
    }
  }

  /** Runs the handler outside the execution's queue, so it may itself answer its task token. */
  #invoke(executionArn: string, pending: Extract<Pending, { kind: 'invoke' | 'callback' }>): void {
    const key = `${executionArn}#${pending.id}`;
    if (this.#invoking.has(key)) return;
    this.#invoking.add(key);
    const release = this.#queue.hold(executionArn);
    this.#background(this.#invocations, async () => {
      try {
        const outcome = await invokeFunction(
          {
            functionName: pending.functionName,
            payload: pending.payload,
            ...(pending.timeoutAt ? { timeoutAt: pending.timeoutAt } : {}),
          },
          { resolve: this.#functions, clock: this.#clock, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT },
        );
        if (this.#closed) return;
        await this.#queue.run(executionArn, (current) =>
          this.#step(current, (record) => outcomeSignal(record, pending, outcome)),
        );
      } finally {
        this.#invoking.delete(key);
        release();
      }
    });
  }

  /** A deadline of this execution may have passed: signal the earliest one that has. */
  #wake(executionArn: string): void {
    if (this.#closed || this.#waking.has(executionArn)) return;
    this.#waking.add(executionArn);
    this.#background(this.#jobs, () =>
      this.#queue.run(executionArn, (slot) => {
        this.#waking.delete(executionArn);
        // The step itself applies every deadline that has passed.
        return this.#step(slot, () => undefined);
      }),
    );
  }

  /** Resumes an execution found RUNNING at start: redo whatever its stored record waits for. */
  #kick(executionArn: string): void {
    this.#background(this.#jobs, () =>
      this.#queue.run(executionArn, async (slot) => {
        const stored = slot.stored ?? (await this.store.getExecution(executionArn));
        slot.stored = stored;
        if (stored) this.#carryOut(stored.record);
      }),
    );
  }

  #background(set: Set<Promise<unknown>>, work: () => Promise<unknown>): void {
    this.#track(
      set,
      work().catch((error: unknown) => this.#onError(error)),
    );
  }

  #track(set: Set<Promise<unknown>>, work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    set.add(settled);
    void settled.then(() => set.delete(settled));
  }

  #registered(stateMachineArn: string): Registered {
    assertStateMachineArn(stateMachineArn);
    const registered = this.#machines.get(stateMachineArn);
    if (!registered) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${stateMachineArn}'`);
    return registered;
  }

  #assertOpen(): void {
    if (this.#closed) throw new ServiceUnavailable('The local Step Functions runtime is closed.');
  }
}

function summaryOf(machine: CompiledStateMachine, creationDate: string): StateMachineSummary {
  return { stateMachineArn: machine.arn, name: machine.name, type: 'STANDARD', creationDate };
}

/** Whether the name of this (stored) execution may start a new one: 90 days after it closed, as in AWS. */
function nameReusable(record: ExecutionRecord, now: Date): boolean {
  return (
    record.status !== 'RUNNING' &&
    record.stopDate !== undefined &&
    now.getTime() - Date.parse(record.stopDate) >= NAME_REUSE_AFTER_MILLIS
  );
}

function startedAlready(
  existing: StoredExecution,
  input: string,
): { executionArn: string; startDate: string } {
  const record = existing.record;
  if (record.status === 'RUNNING' && record.input === input) {
    return { executionArn: record.executionArn, startDate: record.startDate };
  }
  throw new ExecutionAlreadyExists(`Execution Already Exists: '${record.executionArn}'`);
}

/** The signal a finished invocation gives, or undefined when the task it ran for has moved on. */
function outcomeSignal(
  record: ExecutionRecord,
  invoked: Extract<Pending, { kind: 'invoke' | 'callback' }>,
  outcome: InvocationOutcome,
): Signal | undefined {
  const pending = record.pending;
  if (record.status !== 'RUNNING' || pending?.id !== invoked.id || pending.kind !== invoked.kind) {
    return undefined;
  }
  const pendingId = pending.id;
  if (!outcome.ok) return { type: 'invoke-failed', pendingId, error: outcome.error, cause: outcome.cause };
  if (pending.kind === 'callback') {
    return pending.submitted ? undefined : { type: 'submitted', pendingId, output: outcome.output };
  }
  return { type: 'invoke-succeeded', pendingId, output: outcome.output };
}

function executionDoesNotExist(executionArn: string): ExecutionDoesNotExist {
  return new ExecutionDoesNotExist(`Execution Does Not Exist: '${executionArn}'`);
}

/**
 * Whether the execution rests here, to be stored before it goes on: it waits for a token (its handler
 * has returned), a Wait or retry timer, or a continue after the transition budget, or it has ended.
 * A Lambda task, or a callback task whose handler has not returned, is part of the run.
 */
function rests(record: ExecutionRecord): boolean {
  const pending = record.pending;
  if (record.status !== 'RUNNING' || pending === null) return true;
  return (
    pending.kind === 'timer' ||
    pending.kind === 'continue' ||
    (pending.kind === 'callback' && pending.submitted)
  );
}

/** The run with `next` added: its events, and the callback task it began, if it began one. */
function runAfter(run: Run | undefined, current: ExecutionRecord, next: Advance): Run {
  const pending = next.execution.pending;
  const before = current.pending;
  const begun: CallbackPending[] =
    pending?.kind === 'callback' && (before?.kind !== 'callback' || before.token !== pending.token)
      ? [pending]
      : [];
  return {
    record: next.execution,
    events: [...(run?.events ?? []), ...next.events],
    callbacks: [...(run?.callbacks ?? []), ...begun],
  };
}

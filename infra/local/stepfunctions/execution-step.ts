// One advance() call at work: a private copy of the execution record, the history events it
// adds, and the moves every state shares (enter, leave, evaluate Assign/Output, end). The
// state-specific parts live in state-handlers.ts and task-handlers.ts.
import type {
  Assignments,
  MachineDefinition,
  PassState,
  StateDefinition,
  TaskState,
  Template,
  WaitState,
} from './asl-types.ts';
import type { Entry, InStateCursor } from './cursor.ts';
import {
  DataLimitFailure,
  HistoryLimitReached,
  QueryEvaluationFailure,
  StatesFailure,
  TerminalFailure,
} from './failures.ts';
import {
  type EventDetails,
  evaluationFailed,
  executionEnded,
  executionSucceeded,
  stateEntered,
  stateExited,
} from './history.ts';
import { StalePendingError, UnexpectedSignalError } from './interpreter-errors.ts';
import { type EvaluationScope, evaluateTemplate } from './jsonata-eval.ts';
import type {
  CompiledStateMachine,
  ExecutionRecord,
  ExecutionStatus,
  HistoryEvent,
  Json,
  Pending,
  StepContext,
} from './model.ts';
import { MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES, payloadBytes } from './quotas.ts';
import { choice, failState, pass, startWait, succeedState } from './state-handlers.ts';
import { handleTaskError, scheduleTask } from './task-handlers.ts';

/** State transitions one advance() call may make before it hands back a `continue`. */
export const TRANSITIONS_PER_ADVANCE = 500;

/** The events that end an execution: the only ones the history's last allowed place may hold. */
const ENDING_EVENTS = new Set([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
]);

export class ExecutionStep {
  readonly events: HistoryEvent[] = [];
  readonly record: ExecutionRecord;
  readonly machine: CompiledStateMachine;
  readonly definition: MachineDefinition;
  readonly ctx: StepContext;
  #transitions = 0;
  #lastEventType: string | undefined;

  /** `record` must be the step's own copy: it is changed in place. */
  constructor(machine: CompiledStateMachine, record: ExecutionRecord, ctx: StepContext) {
    this.machine = machine;
    this.definition = machine.definition as MachineDefinition;
    this.record = record;
    this.ctx = ctx;
  }

  // ---- flow -------------------------------------------------------------------------------

  /** Enters states one after another until one waits, the execution ends or the budget is spent. */
  async drive(next: Entry | undefined): Promise<void> {
    let entry = next;
    while (entry !== undefined) {
      if (this.#transitions === TRANSITIONS_PER_ADVANCE) {
        this.record.cursor = { at: 'entering', state: entry.state, input: entry.input };
        this.record.pending = { kind: 'continue', id: `continue-${this.record.lastEventId}` };
        return;
      }
      this.#transitions += 1;
      entry = await this.enter(entry);
    }
  }

  private async enter({ state: name, input }: Entry): Promise<Entry | undefined> {
    const state = this.definition.States[name] as StateDefinition;
    // AWS links the first state's entered event to no earlier event, not to ExecutionStarted.
    const previous = this.#lastEventType === 'ExecutionStarted' ? 0 : this.record.lastEventId;
    const entered = this.emit(`${state.Type}StateEntered`, stateEntered(name, input), previous);
    const cursor: InStateCursor = {
      at: 'in-state',
      state: name,
      input,
      enteredTime: entered.timestamp,
      enteredEventId: entered.id,
      retryCount: 0,
      retrierAttempts: state.Type === 'Task' ? (state.Retry ?? []).map(() => 0) : [],
    };
    this.record.cursor = cursor as unknown as Json;
    this.record.pending = null;
    switch (state.Type) {
      case 'Pass':
        return this.guard(state, () => pass(this, state));
      case 'Choice':
        return this.guard(state, () => choice(this, state));
      case 'Wait':
        return this.guard(state, () => startWait(this, state));
      case 'Succeed':
        return this.guard(state, () => succeedState(this, state));
      case 'Fail':
        return this.guard(state, () => failState(this, state));
      case 'Task':
        return this.guard(state, () => scheduleTask(this, state));
    }
  }

  /** Runs a step of `state`; a failure goes to the Task's Retry/Catch or ends the execution. */
  async guard(state: StateDefinition, step: () => Promise<Entry | undefined>): Promise<Entry | undefined> {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof StatesFailure)) throw error;
      if (error instanceof QueryEvaluationFailure) this.evaluationFailed(error);
      if (state.Type === 'Task' && !(error instanceof TerminalFailure)) {
        return handleTaskError(this, state, error.error, error.aslCause);
      }
      this.fail(error.error, error.aslCause);
      return undefined;
    }
  }

  /** Emits the state's exited event and says where the execution goes next. */
  leave(
    state: PassState | TaskState | WaitState,
    output: Json,
    assigned: Assignments | undefined,
  ): Entry | undefined {
    this.exitState(`${state.Type}StateExited`, output, assigned);
    if (state.Next !== undefined) return { state: state.Next, input: output };
    this.succeed(output);
    return undefined;
  }

  /** Emits the current state's exited event, once its output is known to be within the payload quota. */
  exitState(type: string, output: Json, assigned: Assignments | undefined): void {
    this.checkPayload(output, 'returned a result');
    this.emit(type, stateExited(this.cursor().state, output, assigned));
  }

  /** Throws States.DataLimitExceeded when `value`, as JSON text, is over the payload quota. */
  checkPayload(value: Json, what: 'returned a result' | 'was given an input'): void {
    if (payloadBytes(JSON.stringify(value)) <= MAX_PAYLOAD_BYTES) return;
    throw new DataLimitFailure(
      `The state/task '${this.cursor().state}' ${what} with a size exceeding the maximum number of bytes service limit.`,
    );
  }

  // ---- evaluation -------------------------------------------------------------------------

  /**
   * Evaluates Assign and Output against the variables as they were when the state began, then
   * sets the assigned variables: neither field sees the other's effect.
   */
  async assignAndOutput(
    fields: { Assign?: Assignments; Output?: Template },
    defaultOutput: Json,
    scope: EvaluationScope,
    prefix: string,
  ): Promise<{ output: Json; assigned: Assignments | undefined }> {
    const assigned =
      fields.Assign === undefined
        ? undefined
        : ((await evaluateTemplate(fields.Assign, `${prefix}Assign`, scope)) as Assignments);
    const output =
      fields.Output === undefined
        ? defaultOutput
        : await evaluateTemplate(fields.Output, `${prefix}Output`, scope);
    if (assigned !== undefined) Object.assign(this.record.variables, assigned);
    return { output, assigned };
  }

  /** `$states` and the variables for an expression of the current state. */
  scope(extra: { result?: Json; errorOutput?: Json }): EvaluationScope {
    const cursor = this.cursor();
    const context = {
      Execution: {
        Id: this.record.executionArn,
        Input: this.executionInput(),
        Name: this.record.name,
        StartTime: this.record.startDate,
        RedriveCount: 0,
      },
      StateMachine: { Id: this.record.stateMachineArn, Name: this.machine.name },
      State: {
        Name: cursor.state,
        EnteredTime: cursor.enteredTime,
        ...(this.currentState().Type === 'Task' ? { RetryCount: cursor.retryCount } : {}),
      },
      ...(cursor.token === undefined ? {} : { Task: { Token: cursor.token } }),
    };
    return {
      states: { input: cursor.input, context, ...extra },
      variables: this.record.variables,
      ctx: this.ctx,
      stateName: cursor.state,
      enteredEventId: cursor.enteredEventId,
    };
  }

  evaluationFailed(failure: QueryEvaluationFailure): void {
    const details = evaluationFailed(
      this.cursor().state,
      failure.error,
      failure.aslCause ?? '',
      failure.location,
    );
    this.emit('EvaluationFailed', details);
  }

  // ---- the end ----------------------------------------------------------------------------

  succeed(output: Json): void {
    const text = JSON.stringify(output);
    this.emit('ExecutionSucceeded', executionSucceeded(text));
    this.record.output = text;
    this.end('SUCCEEDED', undefined, undefined);
  }

  fail(error: string | undefined, cause: string | undefined): void {
    this.emit('ExecutionFailed', executionEnded('executionFailedEventDetails', error, cause));
    this.end('FAILED', error, cause);
  }

  end(status: ExecutionStatus, error: string | undefined, cause: string | undefined): void {
    this.record.status = status;
    this.record.stopDate = this.ctx.now().toISOString();
    this.record.pending = null;
    this.record.cursor = null;
    if (error !== undefined) this.record.error = error;
    if (cause !== undefined) this.record.cause = cause;
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** Throws HistoryLimitReached when this event would take the history's last place without ending it. */
  emit(type: string, details: EventDetails, previousEventId = this.record.lastEventId): HistoryEvent {
    const id = this.record.lastEventId + 1;
    if (id >= MAX_HISTORY_EVENTS && !ENDING_EVENTS.has(type)) throw new HistoryLimitReached();
    const event: HistoryEvent = {
      id,
      previousEventId,
      timestamp: this.ctx.now().toISOString(),
      type,
      ...details,
    };
    this.record.lastEventId = event.id;
    this.#lastEventType = type;
    this.events.push(event);
    return event;
  }

  /** The pending step a signal answers; throws when the signal is late or does not fit it. */
  pendingFor(pendingId: string, kinds: Pending['kind'][]): Pending {
    const { pending } = this.record;
    if (pending === null || pending.id !== pendingId) {
      throw new StalePendingError(`the execution is not waiting for ${pendingId}`);
    }
    if (!kinds.includes(pending.kind)) {
      throw new UnexpectedSignalError(`a ${pending.kind} step cannot take this signal`);
    }
    return pending;
  }

  /** The cursor of the state the execution is in (valid whenever a state is entered). */
  cursor(): InStateCursor {
    return this.record.cursor as unknown as InStateCursor;
  }

  currentState(): StateDefinition {
    return this.definition.States[this.cursor().state] as StateDefinition;
  }

  executionInput(): Json {
    return JSON.parse(this.record.input) as Json;
  }

  /** The time `millis` from now, as ISO text. */
  after(millis: number): string {
    return new Date(this.ctx.now().getTime() + millis).toISOString();
  }
}

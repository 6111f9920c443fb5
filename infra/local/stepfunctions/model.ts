// The contract between the pure ASL interpreter (interpreter.ts) and the durable runtime
// (runtime.ts, store.ts, server.ts). The interpreter never does I/O and never reads the clock:
// it turns (definition, execution record, signal) into a new execution record plus the history
// events it produced. The runtime persists both atomically, then carries out whatever the
// record's `pending` asks for (invoke a Lambda handler, wait for a task token, wait for a timer)
// and feeds the outcome back as the next signal.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** A definition that passed validation (see `compileDefinition`): safe to interpret. */
export interface CompiledStateMachine {
  name: string;
  arn: string;
  /** The definition text after `${…}` substitution, exactly as registered. */
  definitionText: string;
  /** The parsed definition; interpreter-owned shape. */
  definition: unknown;
}

/**
 * What an execution is waiting for. `id` is unique within the execution (derived from history
 * event ids), so the runtime can drop a late timer or a late invocation result that no longer
 * matches the current pending step.
 */
export type Pending =
  /** Invoke a Lambda handler (`arn:aws:states:::lambda:invoke`) and signal its outcome. */
  | {
      kind: 'invoke';
      id: string;
      functionName: string;
      payload: Json;
      /** Absolute time after which the runtime signals `task-timed-out` (States.Timeout). */
      timeoutAt?: string;
    }
  /**
   * `arn:aws:states:::lambda:invoke.waitForTaskToken`: invoke the handler once (until
   * `submitted`), then wait for SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat on `token`.
   */
  | {
      kind: 'callback';
      id: string;
      token: string;
      functionName: string;
      payload: Json;
      submitted: boolean;
      /** States.Timeout when reached. */
      timeoutAt?: string;
      /** States.HeartbeatTimeout when reached; moved forward by each heartbeat. */
      heartbeatAt?: string;
    }
  /** A Wait state or a Retry back-off: signal `timer-fired` at `dueAt`. */
  | { kind: 'timer'; id: string; dueAt: string }
  /** The interpreter stopped after its per-call transition budget: signal `continue` at once. */
  | { kind: 'continue'; id: string };

export type CallbackPending = Extract<Pending, { kind: 'callback' }>;

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  /** The execution input as JSON text, as given to StartExecution. */
  input: string;
  startDate: string;
  status: ExecutionStatus;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Null once the execution has ended. */
  pending: Pending | null;
  /** Interpreter-private position (current state, its input, retry counters, …). */
  cursor: Json;
  /** JSONata variables set by Assign. */
  variables: { [name: string]: Json };
  /** Id of the last history event produced so far (0 before ExecutionStarted). */
  lastEventId: number;
  /** Execution-level TimeoutSeconds, as an absolute time, when the definition sets one. */
  timeoutAt?: string;
}

/** What happened, fed to the interpreter. `pendingId` must equal the record's `pending.id`. */
export type Signal =
  | { type: 'start' }
  | { type: 'continue'; pendingId: string }
  | { type: 'timer-fired'; pendingId: string }
  /** lambda:invoke finished; `output` is the integration's result ({Payload, StatusCode, …}). */
  | { type: 'invoke-succeeded'; pendingId: string; output: Json }
  /** The handler threw (error = its errorType) or could not be invoked; for both kinds of Task. */
  | { type: 'invoke-failed'; pendingId: string; error: string; cause: string }
  /** waitForTaskToken: the handler returned, the task now waits for its token. */
  | { type: 'submitted'; pendingId: string; output: Json }
  | { type: 'callback-succeeded'; pendingId: string; output: Json }
  | { type: 'callback-failed'; pendingId: string; error: string; cause: string }
  | { type: 'heartbeat'; pendingId: string }
  | { type: 'task-timed-out'; pendingId: string; error: 'States.Timeout' | 'States.HeartbeatTimeout' }
  | { type: 'execution-timed-out' }
  | { type: 'stop'; error?: string; cause?: string };

/** A Step Functions history event as AWS returns it, with `timestamp` as ISO text. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: string;
  type: string;
  [details: string]: unknown;
}

/** Everything the interpreter may know about the outside world. */
export interface StepContext {
  now(): Date;
  /** In [0, 1); used for JitterStrategy FULL and $random(). */
  random(): number;
  /** A fresh, opaque, unguessable task token. */
  newToken(): string;
  /** A fresh UUID for $uuid(). */
  newUuid(): string;
}

export interface Advance {
  execution: ExecutionRecord;
  events: HistoryEvent[];
}

/** Raised when a definition uses anything outside the supported subset. */
export class UnsupportedDefinitionError extends Error {
  override name = 'UnsupportedDefinitionError';
  readonly state: string | undefined;
  readonly field: string | undefined;
  constructor(message: string, state?: string, field?: string) {
    super(message);
    this.state = state;
    this.field = field;
  }
}

// The interpreter module (interpreter.ts) exports:
//   compileDefinition(name: string, arn: string, definitionText: string): CompiledStateMachine
//     — throws UnsupportedDefinitionError naming the state and field for anything outside the subset.
//   newExecution(machine, {executionArn, name, input, startDate}): ExecutionRecord
//     — a RUNNING record with no events yet; the runtime then calls advance(…, {type: 'start'}).
//   advance(machine, execution, signal, ctx): Promise<Advance>
//     — never mutates its arguments; throws only on a programming error or a signal whose pendingId
//       does not match (the runtime checks first and drops stale signals).

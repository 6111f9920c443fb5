// Errors a state raises while it runs, named as AWS names them. They steer the interpreter
// (Retry, Catch or the end of the execution) and never leave it.

export class StatesFailure extends Error {
  override name = 'StatesFailure';
  /** The ASL error name, e.g. `States.QueryEvaluationError`. */
  readonly error: string;
  /** The ASL cause: shown in the history and in `$states.errorOutput`. */
  readonly aslCause: string | undefined;
  constructor(error: string, aslCause: string | undefined, options?: ErrorOptions) {
    super(aslCause ?? error, options);
    this.error = error;
    this.aslCause = aslCause;
  }
}

/** A JSONata expression failed or gave a value its field cannot take; Retry and Catch see it. */
export class QueryEvaluationFailure extends StatesFailure {
  override name = 'QueryEvaluationFailure';
  /** Where the expression sits in the state, e.g. `Output/result` (AWS's `location`). */
  readonly location: string;
  constructor(location: string, aslCause: string, options?: ErrorOptions) {
    super('States.QueryEvaluationError', aslCause, options);
    this.location = location;
  }
}

/** A failure no Retry or Catch applies to: the execution fails. */
export class TerminalFailure extends StatesFailure {
  override name = 'TerminalFailure';
}

/** A failure AWS reports as `States.Runtime`. */
export class RuntimeFailure extends TerminalFailure {
  override name = 'RuntimeFailure';
  constructor(aslCause: string, options?: ErrorOptions) {
    super('States.Runtime', aslCause, options);
  }
}

/** A state's or task's input, output or result is over the payload quota (in UTF-8 bytes). */
export class DataLimitFailure extends TerminalFailure {
  override name = 'DataLimitFailure';
  constructor(aslCause: string) {
    super('States.DataLimitExceeded', aslCause);
  }
}

/**
 * The next event would be the history's last one allowed and it does not end the execution. Not a
 * StatesFailure: it unwinds whatever the state was doing, and advance() ends the execution.
 */
export class HistoryLimitReached extends Error {
  override name = 'HistoryLimitReached';
}

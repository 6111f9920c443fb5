// What advance() throws: never an execution's own failure (that is recorded in the execution),
// only a signal the runtime should not have delivered.

export class InterpreterError extends Error {
  override name = 'InterpreterError';
}

/** The signal names a pending step the execution is no longer waiting for (late or duplicate). */
export class StalePendingError extends InterpreterError {
  override name = 'StalePendingError';
}

/** The signal cannot apply to what the execution waits for (e.g. `submitted` for a timer). */
export class UnexpectedSignalError extends InterpreterError {
  override name = 'UnexpectedSignalError';
}

/** The execution has ended; no signal applies any more. */
export class ExecutionNotRunningError extends InterpreterError {
  override name = 'ExecutionNotRunningError';
}

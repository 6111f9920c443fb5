// The interpreter's private position in an execution (ExecutionRecord.cursor): plain JSON, so
// that a record persisted between two advance() calls resumes exactly where it stopped.
import type { Json } from './model.ts';

/** A state about to be entered. */
export interface Entry {
  state: string;
  input: Json;
}

/** The execution sits inside `state` (a Task in flight, a Wait or a Retry back-off). */
export interface InStateCursor extends Entry {
  at: 'in-state';
  enteredTime: string;
  enteredEventId: number;
  /** Retries made in this state so far, all retriers together ($states.context.State.RetryCount). */
  retryCount: number;
  /** Attempts used, per retrier of the Task; they start again at 0 each time the state is entered. */
  retrierAttempts: number[];
  /** The task token of the callback in flight. */
  token?: string;
  /** HeartbeatSeconds of the task in flight, as evaluated. */
  heartbeatSeconds?: number;
}

/** The transition budget ran out before `state` was entered. */
export interface EnteringCursor extends Entry {
  at: 'entering';
}

export type Cursor = InStateCursor | EnteringCursor;

// One queue per execution: its jobs (steps, answers to tokens, timer wake-ups) run one at a time,
// in arrival order, so two signals never advance the same record at once. While jobs are queued or
// a handler runs for the execution, its last stored record stays cached here, which spares a read
// per step along a chain, and so does its run: the advances since that record, kept in memory until
// the run reaches its next wait. Once it is idle the entry goes.

import type { CallbackPending, ExecutionRecord, HistoryEvent } from './model.ts';
import type { StoredExecution } from './store.ts';

/** The advances since the stored record, not stored yet: a crash repeats them from that record. */
export interface Run {
  /** Where the execution is now. */
  readonly record: ExecutionRecord;
  /** Every history event since the stored record, in order. */
  readonly events: readonly HistoryEvent[];
  /** The callback tasks the run began: their tokens are stored with the run. */
  readonly callbacks: readonly CallbackPending[];
}

export interface Slot {
  readonly executionArn: string;
  /** The record as last stored by this process, or undefined to read it again. */
  stored: StoredExecution | undefined;
  /** The run in progress from `stored`, if it has advanced since. */
  run: Run | undefined;
}

/** A task token handed out by a run not stored yet. */
export interface RunToken {
  readonly executionArn: string;
  readonly pendingId: string;
  /** OPEN while the run still waits on it. */
  readonly status: 'OPEN' | 'CLOSED';
}

interface Entry extends Slot {
  tail: Promise<void>;
  queued: number;
  holds: number;
}

export class ExecutionQueue {
  readonly #entries = new Map<string, Entry>();
  readonly #track: (work: Promise<unknown>) => void;

  /** `track` sees every job, so the owner can wait for them all. */
  constructor(track: (work: Promise<unknown>) => void) {
    this.#track = track;
  }

  /** Runs `job` after every job queued before it on the same execution. */
  run<T>(executionArn: string, job: (slot: Slot) => Promise<T>): Promise<T> {
    const entry = this.#entry(executionArn);
    entry.queued += 1;
    const run = entry.tail
      .then(() => job(entry))
      .finally(() => {
        entry.queued -= 1;
        this.#release(entry);
      });
    entry.tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#track(run);
    return run;
  }

  /** Keeps the execution's cached record while a handler runs for it; call the result when it ends. */
  hold(executionArn: string): () => void {
    const entry = this.#entry(executionArn);
    entry.holds += 1;
    return () => {
      entry.holds -= 1;
      this.#release(entry);
    };
  }

  /** Every run in progress, not stored yet. */
  runs(): Run[] {
    return [...this.#entries.values()].flatMap((entry) => (entry.run ? [entry.run] : []));
  }

  /** The token if a run not stored yet handed it out. */
  runToken(token: string): RunToken | undefined {
    for (const { executionArn, run } of this.#entries.values()) {
      const callback = run?.callbacks.find((handedOut) => handedOut.token === token);
      if (!run || !callback) continue;
      const pending = run.record.pending;
      const open = run.record.status === 'RUNNING' && pending?.kind === 'callback' && pending.token === token;
      return { executionArn, pendingId: callback.id, status: open ? 'OPEN' : 'CLOSED' };
    }
    return undefined;
  }

  #entry(executionArn: string): Entry {
    let entry = this.#entries.get(executionArn);
    if (!entry) {
      entry = {
        executionArn,
        stored: undefined,
        run: undefined,
        tail: Promise.resolve(),
        queued: 0,
        holds: 0,
      };
      this.#entries.set(executionArn, entry);
    }
    return entry;
  }

  #release(entry: Entry): void {
    if (entry.queued === 0 && entry.holds === 0 && this.#entries.get(entry.executionArn) === entry) {
      this.#entries.delete(entry.executionArn);
    }
  }
}

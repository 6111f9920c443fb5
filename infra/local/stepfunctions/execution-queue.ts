// One queue per execution: its jobs (steps, answers to tokens, timer wake-ups) run one at a time,
// in arrival order, so two signals never advance the same record at once. While jobs are queued or
// a handler runs for the execution, its last stored record stays cached here, which spares a read
// per step along a chain; once it is idle the entry goes.

import type { StoredExecution } from './store.ts';

export interface Slot {
  readonly executionArn: string;
  /** The record as last stored by this process, or undefined to read it again. */
  stored: StoredExecution | undefined;
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

  #entry(executionArn: string): Entry {
    let entry = this.#entries.get(executionArn);
    if (!entry) {
      entry = { executionArn, stored: undefined, tail: Promise.resolve(), queued: 0, holds: 0 };
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

// Turns the deadlines stored with each execution into wake-ups. The store's due index is the
// source of truth; memory only holds ONE timer, for the earliest deadline known, and a fired timer
// always re-reads the index. A deadline that passed while the process was down is found by the
// first check, so it fires once, late, as in AWS after an outage.

import type { Clock } from './clock.ts';

/** How the scheduler sleeps; tests pass timers that never fire and call `check()` themselves. */
export interface Timers {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    // An armed deadline alone must not keep the process alive.
    handle.unref();
    return handle;
  },
  clear(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

// setTimeout overflows at 2^31-1 ms (24.8 days); sleeping at most this long and re-reading the index
// also notices a wall clock that jumped.
const MAX_SLEEP_MS = 6 * 60 * 60 * 1000;
const RETRY_AFTER_MS = 5_000;

export interface SchedulerOptions {
  clock: Clock;
  timers: Timers;
  /** RUNNING executions with a deadline at or before `now`. */
  dueExecutions(now: Date): Promise<string[]>;
  /** The earliest deadline after `now`. */
  nextDeadlineAfter(now: Date): Promise<Date | undefined>;
  /** Work out and signal whatever fell due for this execution. */
  wake(executionArn: string): void;
  /** Runs background work so the owner can wait for it and see its errors. */
  background(work: () => Promise<void>): void;
}

export class DeadlineScheduler {
  readonly #options: SchedulerOptions;
  #armedAt: number | undefined;
  #handle: unknown;
  #checking: Promise<void> | undefined;
  #checkAgain = false;
  #stopped = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  /** A deadline was just stored: make sure the timer goes off no later than it. */
  hint(at: Date): void {
    this.#arm(at.getTime());
  }

  /** Wakes every execution whose deadline has passed, then arms the timer for the next one. */
  check(): Promise<void> {
    if (this.#checking) {
      this.#checkAgain = true;
      return this.#checking;
    }
    this.#checking = (async () => {
      try {
        do {
          this.#checkAgain = false;
          await this.#checkOnce();
        } while (this.#checkAgain && !this.#stopped);
      } finally {
        this.#checking = undefined;
      }
    })();
    return this.#checking;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#handle !== undefined) this.#options.timers.clear(this.#handle);
    this.#handle = undefined;
    this.#armedAt = undefined;
  }

  async #checkOnce(): Promise<void> {
    const now = this.#options.clock.now();
    for (const executionArn of await this.#options.dueExecutions(now)) {
      if (this.#stopped) return;
      this.#options.wake(executionArn);
    }
    const next = await this.#options.nextDeadlineAfter(now);
    if (next) this.#arm(next.getTime());
  }

  #arm(at: number): void {
    if (this.#stopped || (this.#armedAt !== undefined && this.#armedAt <= at)) return;
    if (this.#handle !== undefined) this.#options.timers.clear(this.#handle);
    const delay = Math.min(Math.max(at - this.#options.clock.now().getTime(), 0), MAX_SLEEP_MS);
    this.#armedAt = at;
    this.#handle = this.#options.timers.set(() => {
      this.#armedAt = undefined;
      this.#handle = undefined;
      this.#options.background(async () => {
        try {
          await this.check();
        } catch (error) {
          // The index could not be read (DynamoDB down?): try again soon rather than never.
          this.#arm(this.#options.clock.now().getTime() + RETRY_AFTER_MS);
          throw error;
        }
      });
    }, delay);
  }
}

// EventBridge Scheduler on one machine, for the deployed mode: each schedule of the template
// (AWS::Scheduler::Schedule) runs its target on its expression in its time zone, with the schedule's
// input, as its role: the role must allow invoking the target, as the IAM gate decides for every other
// caller. A failed run is tried again as the schedule's retry policy says (with a growing wait, never
// past the event's maximum age). An operator can also run a schedule now (`POST /local/schedules`).
//
// A run missed while the runtime was stopped is not made up: AWS runs on time whatever this machine does,
// and the service's schedules (the reconciliation, the evidence retention) catch up on their next run.
import { randomUUID } from 'node:crypto';
import { scheduleTimes, UnsupportedScheduleError } from '#local/schedule-expressions.ts';

/** A schedule as the template holds it, resolved. */
export interface LocalSchedule {
  readonly name: string;
  readonly arn: string;
  readonly expression: string;
  readonly timeZone?: string;
  readonly enabled: boolean;
  /** The target's ARN, as the template names it (what the role must be allowed to invoke). */
  readonly targetArn: string;
  /** The function the target invokes. */
  readonly functionName: string;
  /** The target's Input, as the template writes it (context attributes in angle brackets). */
  readonly input?: string;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
}

/** How one run of a schedule ended. */
export interface ScheduleRun {
  readonly scheduledTime: string;
  readonly attempts: number;
  readonly outcome: 'succeeded' | 'failed';
  /** The target's answer, when it succeeded. */
  readonly result?: unknown;
  /** The error's name only (a message could carry a case's details). */
  readonly error?: string;
}

export interface ScheduleStatus {
  readonly name: string;
  readonly expression: string;
  readonly timeZone: string;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly functionName: string;
  readonly nextRun: string | null;
  readonly lastRun: ScheduleRun | null;
}

export interface Timers {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    // A schedule armed alone must not keep the process alive.
    handle.unref();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout's longest wait; a later run is waited for in steps. */
const LONGEST_WAIT_MS = 2 ** 31 - 1;
const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 5 * 60_000;

/** What Scheduler takes when a target's retry policy says nothing. */
export const SCHEDULER_DEFAULTS = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 } as const;

export class UnknownScheduleError extends Error {
  override name = 'UnknownScheduleError';
}

export class SchedulerStoppedError extends Error {
  override name = 'SchedulerStoppedError';
}

export interface LocalScheduler {
  list(): ScheduleStatus[];
  /** Runs the schedule now, once and with its retries, as if its time had come; how the run ended. */
  runNow(name: string): Promise<ScheduleRun>;
  stop(): Promise<void>;
}

export function startScheduler(options: {
  readonly schedules: readonly LocalSchedule[];
  /** Invokes the target as the schedule's role (the role's denial rejects, as any other failure). */
  readonly invoke: (schedule: LocalSchedule, event: unknown) => Promise<unknown>;
  /** Told of each failed attempt, by name only. */
  readonly onError: (schedule: string, error: unknown) => void;
  readonly timers?: Timers;
  readonly now?: () => Date;
}): LocalScheduler {
  const timers = options.timers ?? realTimers;
  const now = options.now ?? (() => new Date());
  const started = now();
  const entries = options.schedules.map((schedule) => ({
    schedule,
    times: scheduleTimes(schedule.name, schedule.expression, schedule.timeZone, started),
    next: undefined as Date | undefined,
    handle: undefined as unknown,
    lastRun: null as ScheduleRun | null,
  }));
  for (const { schedule } of entries) {
    try {
      eventOf(schedule, { scheduledTime: started, executionId: randomUUID(), attempt: 1 });
    } catch {
      throw new UnsupportedScheduleError(
        schedule.name,
        'has an Input that is not JSON, as a Lambda target needs',
      );
    }
  }
  const running = new Set<Promise<unknown>>();
  // The waits before retries, each ended at once by a stop.
  const waits = new Map<unknown, () => void>();
  let stopped = false;

  const wait = (delayMs: number) =>
    new Promise<void>((resolveWait) => {
      const handle = timers.set(() => {
        waits.delete(handle);
        resolveWait();
      }, delayMs);
      waits.set(handle, resolveWait);
    });

  const run = async (entry: (typeof entries)[number], scheduledTime: Date): Promise<ScheduleRun> => {
    const { schedule } = entry;
    const executionId = randomUUID();
    let attempts = 0;
    let delay = FIRST_RETRY_MS;
    for (;;) {
      attempts += 1;
      try {
        if (stopped) throw new SchedulerStoppedError('The local scheduler stopped before the run');
        const event = eventOf(schedule, { scheduledTime, executionId, attempt: attempts });
        const result = await options.invoke(schedule, event);
        entry.lastRun = {
          scheduledTime: scheduledTime.toISOString(),
          attempts,
          outcome: 'succeeded',
          result,
        };
        return entry.lastRun;
      } catch (error) {
        options.onError(schedule.name, error);
        const age = now().getTime() + delay - scheduledTime.getTime();
        if (
          stopped ||
          attempts > schedule.maximumRetryAttempts ||
          age > schedule.maximumEventAgeSeconds * 1000
        ) {
          entry.lastRun = {
            scheduledTime: scheduledTime.toISOString(),
            attempts,
            outcome: 'failed',
            error: error instanceof Error ? error.name : 'Error',
          };
          return entry.lastRun;
        }
        await wait(delay);
        delay = Math.min(delay * 2, LONGEST_RETRY_MS);
      }
    }
  };

  const track = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    void work.finally(() => running.delete(work)).catch(() => undefined);
    return work;
  };

  const arm = (entry: (typeof entries)[number], after: Date) => {
    entry.next = entry.schedule.enabled ? entry.times.next(after) : undefined;
    if (stopped || !entry.next) return;
    const due = entry.next;
    const fire = () => {
      const late = due.getTime() - now().getTime();
      if (late > 0) {
        entry.handle = timers.set(fire, Math.min(late, LONGEST_WAIT_MS));
        return;
      }
      arm(entry, due);
      void track(run(entry, due));
    };
    entry.handle = timers.set(fire, Math.min(Math.max(0, due.getTime() - now().getTime()), LONGEST_WAIT_MS));
  };
  for (const entry of entries) arm(entry, started);

  return {
    list: () =>
      entries.map(({ schedule, next, lastRun }) => ({
        name: schedule.name,
        expression: schedule.expression,
        timeZone: schedule.timeZone ?? 'UTC',
        state: schedule.enabled ? 'ENABLED' : 'DISABLED',
        functionName: schedule.functionName,
        nextRun: next?.toISOString() ?? null,
        lastRun,
      })),
    runNow(name) {
      const entry = entries.find((each) => each.schedule.name === name);
      if (!entry) {
        return Promise.reject(
          new UnknownScheduleError(
            `No schedule named ${JSON.stringify(name)}; the template's are ${entries.map((each) => each.schedule.name).join(', ')}`,
          ),
        );
      }
      return track(run(entry, now()));
    },
    async stop() {
      stopped = true;
      for (const entry of entries) timers.clear(entry.handle);
      for (const [handle, resolveWait] of waits) {
        timers.clear(handle);
        resolveWait();
      }
      waits.clear();
      await Promise.allSettled([...running]);
    },
  };
}

/**
 * What the target receives: the Input with its context attributes filled in, as Scheduler fills them,
 * or an empty object when the template gives none.
 */
export function eventOf(
  schedule: LocalSchedule,
  run: { scheduledTime: Date; executionId: string; attempt: number },
): unknown {
  if (schedule.input === undefined) return {};
  const attributes: Record<string, string> = {
    'aws.scheduler.schedule-arn': schedule.arn,
    'aws.scheduler.scheduled-time': run.scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws.scheduler.execution-id': run.executionId,
    'aws.scheduler.attempt-number': String(run.attempt),
  };
  const filled = schedule.input.replace(/<(aws\.scheduler\.[a-z-]+)>/g, (whole, name: string) =>
    name in attributes ? (attributes[name] as string) : whole,
  );
  return JSON.parse(filled);
}

/**
 * `/local/schedules`: GET lists the schedules (when each runs next, how its last run ended); POST
 * `{"schedule": "<name>"}` runs one now and answers how it ended, the target's answer included.
 */
export async function handleSchedulesRequest(
  scheduler: LocalScheduler,
  request: { method: string; body: string },
): Promise<{ statusCode: number; body: unknown }> {
  if (request.method === 'GET') return { statusCode: 200, body: { schedules: scheduler.list() } };
  if (request.method !== 'POST') {
    return {
      statusCode: 405,
      body: { error: 'method-not-allowed', message: 'GET lists the schedules; POST runs one now.' },
    };
  }
  let name: unknown;
  try {
    name = (JSON.parse(request.body) as { schedule?: unknown } | null)?.schedule;
  } catch {
    name = undefined;
  }
  if (typeof name !== 'string' || name === '') {
    return {
      statusCode: 400,
      body: {
        error: 'validation',
        message: 'The body must be JSON naming the schedule: {"schedule": "<name>"}.',
      },
    };
  }
  try {
    return { statusCode: 200, body: { schedule: name, run: await scheduler.runNow(name) } };
  } catch (error) {
    if (!(error instanceof UnknownScheduleError)) throw error;
    return { statusCode: 404, body: { error: 'not-found', message: error.message } };
  }
}

// How every workflow function fails. An unexpected failure (DynamoDB throttled, a conflict that
// outlasted the retries, the network, a setting missing) becomes a WorkflowStepError, which the state
// machine retries with back-off; it names the original error only. A malformed event, or a case whose
// stored state cannot take the step, fails the execution at once: retrying would not help, and someone
// must look.
//
// Whatever a function throws becomes the task failure in the execution history: Lambda's Node runtime
// sends the error's name as errorType, its message as errorMessage and every line of its stack as
// trace, and Step Functions keeps that as the failure's cause. So what leaves a workflow function is
// only ever one of the errors above, with a message written in this code base (never a library's,
// which may quote the data) and its stack cut to its first line (no frames, no source paths).
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { CaseRecord } from '#core/case-record.ts';
import { StageConflictError } from '#core/errors.ts';
import { WorkflowStateError } from '#data/errors.ts';
import { powertools } from '#shared/powertools.ts';
import { defaultDependencies, type WorkflowDependencies } from '#workflow/dependencies.ts';

export class WorkflowStepError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WorkflowStepError';
  }
}

export class InvalidStepInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStepInputError';
  }
}

/** A handler that parses its event, runs, and fails as described above. */
export function workflowStep<Event, Result>(
  parse: (event: unknown) => Event,
  run: (event: Event) => Promise<Result>,
): (event: unknown) => Promise<Result> {
  return async (raw) => {
    try {
      return await run(parse(raw));
    } catch (error) {
      throw stepFailure(error);
    }
  };
}

/**
 * A workflow function's Lambda entry point: its handler, with the dependencies from the environment.
 * A failure is logged by its kind and safe message (never its cause's, which may quote the data).
 */
export function workflowHandler<Result>(
  create: (deps: WorkflowDependencies) => (event: unknown) => Promise<Result>,
): (event: unknown, context?: Context) => Promise<Result> {
  return async (event, context) => {
    let deps: WorkflowDependencies;
    let step: (event: unknown) => Promise<Result>;
    try {
      deps = defaultDependencies();
      step = create(deps);
    } catch (error) {
      // Without its settings the function has no logger of its own: the workflow kind's stands in.
      throw logged(powertools('workflow').logger, stepFailure(error));
    }
    if (context !== undefined) deps.logger.addContext(context);
    try {
      return await step(event);
    } catch (error) {
      throw logged(deps.logger, stepFailure(error));
    }
  };
}

function logged(logger: Logger, failure: Error): Error {
  logger.error('The workflow step failed', { failure: failure.name, reason: failure.message });
  return failure;
}

/** The error a failed step throws: its kind and a safe message, with no stack frames. */
export function stepFailure(error: unknown): Error {
  const kept =
    error instanceof WorkflowStateError ||
    error instanceof StageConflictError ||
    error instanceof InvalidStepInputError ||
    error instanceof WorkflowStepError;
  const failure = kept
    ? error
    : new WorkflowStepError(`The step failed with ${error instanceof Error ? error.name : typeof error}`, {
        cause: error,
      });
  failure.stack = `${failure.name}: ${failure.message}`;
  return failure;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type FieldSpec = Readonly<Record<string, readonly string[] | 'any'>>;
type Fields<F extends FieldSpec> = {
  readonly [K in keyof F]: F[K] extends readonly (infer V)[] ? V : string;
};

/** Reads the named string fields of an event, each one of its allowed values when a list is given. */
export function stringFields<const F extends FieldSpec>(event: unknown, fields: F): Fields<F> {
  if (!isRecord(event)) throw new InvalidStepInputError('The event must be a JSON object');
  const result: Record<string, string> = {};
  for (const [field, allowed] of Object.entries(fields)) {
    const value = event[field];
    if (typeof value !== 'string' || value === '' || (allowed !== 'any' && !allowed.includes(value))) {
      throw new InvalidStepInputError(
        `The event's ${field} must be ${allowed === 'any' ? 'a non-empty string' : `one of ${allowed.join(', ')}`}`,
      );
    }
    result[field] = value;
  }
  return result as Fields<F>;
}

/** Task timeouts Step Functions accepts: a positive whole number of seconds, at most 99,999,999. */
export const MAX_TIMEOUT_SECONDS = 99_999_999;

/**
 * The next wait's timeout: seconds from `now` until `due`, or until `remindAt` when given (the first
 * reminder of a case entered after its deadline, core/deadlines.ts `firstReminderAt`); at least 1, so a
 * time already passed times out at once and reminds. `due` itself goes to the step after: the
 * deadline a reminder names.
 */
export function waitUntil(
  due: string,
  now: Date,
  remindAt: string = due,
): { readonly timeoutSeconds: number; readonly due: string } {
  const seconds = Math.ceil((Date.parse(remindAt) - now.getTime()) / 1000);
  return { timeoutSeconds: Math.min(Math.max(seconds, 1), MAX_TIMEOUT_SECONDS), due };
}

/**
 * The longest the wait for a plan's actions lasts before its reminder step looks again. An action may be
 * due years ahead, but a Standard execution ends after a year (States.Timeout), and a wait an execution
 * resumes at (HandOver's, the reconciler's) is entered without the check that hands a case over in time:
 * an action due in two years stranded the case a year on. Woken with nothing overdue, the reminder step
 * sends nothing and waits again, through that check.
 */
export const LONGEST_ACTIONS_WAIT_SECONDS = 180 * 86_400;

/** The wait for the plan's actions until `next` (the next one due, or the next reminder), at most 180 days. */
export function actionsWaitUntil(
  next: string,
  now: Date,
): { readonly timeoutSeconds: number; readonly due: string } {
  const wait = waitUntil(next, now);
  return { ...wait, timeoutSeconds: Math.min(wait.timeoutSeconds, LONGEST_ACTIONS_WAIT_SECONDS) };
}

/** The wait for the plan's actions: until the next one is due (at once when one is overdue already). */
export function actionsWait(
  record: Pick<CaseRecord, 'deadlines'>,
  now: Date,
): { readonly timeoutSeconds: number; readonly due: string } {
  return actionsWaitUntil(record.deadlines.actions ?? now.toISOString(), now);
}

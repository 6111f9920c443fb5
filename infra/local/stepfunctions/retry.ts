// Error matching for Retry and Catch, and the back-off of a Retrier, as the AWS error-handling
// guide describes them.
import type { Retrier } from './asl-types.ts';

export const STATES_ALL = 'States.ALL';
const STATES_TASK_FAILED = 'States.TaskFailed';
const STATES_TIMEOUT = 'States.Timeout';

/** Terminal errors: no Retrier or Catcher ever applies, not even States.ALL. */
const UNCATCHABLE = new Set(['States.Runtime', 'States.DataLimitExceeded']);

const RETRY_DEFAULTS = { IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 } as const;

/**
 * Whether an ErrorEquals list names `error`: by its name, by States.ALL, or by States.TaskFailed,
 * which stands for every error except States.Timeout.
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (UNCATCHABLE.has(error)) return false;
  return errorEquals.some(
    (name) =>
      name === error || name === STATES_ALL || (name === STATES_TASK_FAILED && error !== STATES_TIMEOUT),
  );
}

export function maxAttempts(retrier: Retrier): number {
  return retrier.MaxAttempts ?? RETRY_DEFAULTS.MaxAttempts;
}

/**
 * The wait before retry number `attempt + 1` of this retrier: IntervalSeconds × BackoffRate^attempt,
 * capped by MaxDelaySeconds; with JitterStrategy FULL, a random point in [0, that delay).
 */
export function retryDelayMillis(retrier: Retrier, attempt: number, random: () => number): number {
  const interval = retrier.IntervalSeconds ?? RETRY_DEFAULTS.IntervalSeconds;
  const rate = retrier.BackoffRate ?? RETRY_DEFAULTS.BackoffRate;
  let seconds = interval * rate ** attempt;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds *= random();
  return Math.round(seconds * 1000);
}

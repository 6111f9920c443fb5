// AWS Step Functions' hard quotas for a Standard execution (the "Step Functions service quotas" page
// and the API reference), which the local engine enforces so that nothing works here that AWS would
// refuse or fail.

/** Input and output of an execution, a state or a task, and SendTaskSuccess's output: UTF-8 bytes. */
export const MAX_PAYLOAD_BYTES = 262_144;

/** Events in one execution's history; the 25,000th is the execution's end whatever it was going to be. */
export const MAX_HISTORY_EVENTS = 25_000;

/**
 * AWS gives the longest a Standard execution runs as "1 year" and ends it with States.Timeout. The
 * engine reads that as 365 days, the shorter reading, so that no execution outlives here what it
 * could not in AWS.
 */
export const MAX_EXECUTION_MILLIS = 365 * 24 * 60 * 60 * 1000;

/** A closed execution's name may be used again once this long has passed since it closed. */
export const NAME_REUSE_AFTER_MILLIS = 90 * 24 * 60 * 60 * 1000;

/** SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat take tokens of 1 to 2,048 characters. */
export const MAX_TASK_TOKEN_LENGTH = 2048;

/** A retrier's MaxDelaySeconds (AWS's schema and language service: at most 31,622,400). */
export const MAX_RETRY_DELAY_SECONDS = 31_622_400;

/** How AWS measures a payload against MAX_PAYLOAD_BYTES. */
export function payloadBytes(jsonText: string): number {
  return Buffer.byteLength(jsonText, 'utf8');
}

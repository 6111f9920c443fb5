// The details objects of history events, shaped as GetExecutionHistory returns them: data
// fields (input, output, parameters, assigned variables) are JSON text, never truncated here.
import { LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN, type TaskState } from './asl-types.ts';
import type { Json } from './model.ts';

export type EventDetails = { [detailsKey: string]: { [field: string]: unknown } };

const NOT_TRUNCATED = { truncated: false } as const;

function text(value: Json): string {
  return JSON.stringify(value);
}

export function executionStarted(input: string): EventDetails {
  return { executionStartedEventDetails: { input, inputDetails: NOT_TRUNCATED } };
}

export function executionSucceeded(output: string): EventDetails {
  return { executionSucceededEventDetails: { output, outputDetails: NOT_TRUNCATED } };
}

/** ExecutionFailed, ExecutionAborted and ExecutionTimedOut carry only what is known. */
export function executionEnded(
  detailsKey:
    | 'executionFailedEventDetails'
    | 'executionAbortedEventDetails'
    | 'executionTimedOutEventDetails',
  error: string | undefined,
  cause: string | undefined,
): EventDetails {
  return {
    [detailsKey]: { ...(error === undefined ? {} : { error }), ...(cause === undefined ? {} : { cause }) },
  };
}

export function stateEntered(name: string, input: Json): EventDetails {
  return { stateEnteredEventDetails: { name, input: text(input), inputDetails: NOT_TRUNCATED } };
}

/** `assigned` lists the variables the state's Assign set, if it has one. */
export function stateExited(
  name: string,
  output: Json,
  assigned: { [name: string]: Json } | undefined,
): EventDetails {
  const variables =
    assigned === undefined || Object.keys(assigned).length === 0
      ? {}
      : {
          assignedVariables: Object.fromEntries(
            Object.entries(assigned).map(([key, value]) => [key, text(value)]),
          ),
          assignedVariablesDetails: NOT_TRUNCATED,
        };
  return {
    stateExitedEventDetails: { name, output: text(output), outputDetails: NOT_TRUNCATED, ...variables },
  };
}

export function evaluationFailed(
  state: string,
  error: string,
  cause: string,
  location: string,
): EventDetails {
  return { evaluationFailedEventDetails: { error, cause, location, state } };
}

/** resourceType and resource, as AWS splits `arn:aws:states:::lambda:invoke[.waitForTaskToken]`. */
function taskResource(task: TaskState): { resourceType: 'lambda'; resource: string } {
  return {
    resourceType: 'lambda',
    resource: task.Resource === LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN ? 'invoke.waitForTaskToken' : 'invoke',
  };
}

export function taskScheduled(
  task: TaskState,
  region: string,
  parameters: Json,
  timeoutInSeconds: number | undefined,
  heartbeatInSeconds: number | undefined,
): EventDetails {
  return {
    taskScheduledEventDetails: {
      ...taskResource(task),
      region,
      parameters: text(parameters),
      ...(timeoutInSeconds === undefined ? {} : { timeoutInSeconds }),
      ...(heartbeatInSeconds === undefined ? {} : { heartbeatInSeconds }),
    },
  };
}

export function taskStarted(task: TaskState): EventDetails {
  return { taskStartedEventDetails: taskResource(task) };
}

export function taskOutput(
  detailsKey: 'taskSubmittedEventDetails' | 'taskSucceededEventDetails',
  task: TaskState,
  output: Json,
): EventDetails {
  return { [detailsKey]: { ...taskResource(task), output: text(output), outputDetails: NOT_TRUNCATED } };
}

export function taskError(
  detailsKey: 'taskFailedEventDetails' | 'taskTimedOutEventDetails',
  task: TaskState,
  error: string,
  cause: string | undefined,
): EventDetails {
  return { [detailsKey]: { ...taskResource(task), error, ...(cause === undefined ? {} : { cause }) } };
}

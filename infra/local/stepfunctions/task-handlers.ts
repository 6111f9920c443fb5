// Task states on Lambda: scheduling the invocation (or callback), taking its result, and the
// Retry / Catch handling of a failure, as the AWS error-handling guide describes it.
import { LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN, type TaskState, type Template } from './asl-types.ts';
import type { Entry } from './cursor.ts';
import type { ExecutionStep } from './execution-step.ts';
import { QueryEvaluationFailure, RuntimeFailure, StatesFailure } from './failures.ts';
import { taskOutput, taskScheduled, taskStarted } from './history.ts';
import { type EvaluationScope, type Expectation, evaluateTemplate } from './jsonata-eval.ts';
import type { Json } from './model.ts';
import { errorMatches, maxAttempts, retryDelayMillis } from './retry.ts';

const MAX_TASK_SECONDS = 99_999_999;

const TASK_SECONDS: Expectation = {
  accepts: (value) =>
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_TASK_SECONDS,
  description: `an integer from 1 to ${MAX_TASK_SECONDS}`,
};

async function seconds(
  value: number | string | undefined,
  field: string,
  scope: EvaluationScope,
): Promise<number | undefined> {
  if (value === undefined) return undefined;
  return (await evaluateTemplate(value, field, scope, TASK_SECONDS)) as number;
}

/** Why evaluated Arguments cannot start a Lambda task, if they cannot. */
function argumentsProblem(
  args: Json,
  timeoutSeconds: number | undefined,
  heartbeatSeconds: number | undefined,
): string | undefined {
  if (typeof args !== 'object' || args === null || Array.isArray(args))
    return 'The Arguments must be an object';
  if (typeof args.FunctionName !== 'string' || args.FunctionName === '') {
    return 'The field "FunctionName" must be a non-empty string';
  }
  if (timeoutSeconds !== undefined && heartbeatSeconds !== undefined && heartbeatSeconds >= timeoutSeconds) {
    return 'HeartbeatSeconds must be smaller than TimeoutSeconds';
  }
  return undefined;
}

/** The region in the state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>). */
function region(step: ExecutionStep): string {
  return step.machine.arn.split(':')[3] ?? '';
}

/** Evaluates the Task's fields and asks the runtime to invoke the function (and, for a callback, to wait). */
export async function scheduleTask(step: ExecutionStep, task: TaskState): Promise<undefined> {
  const cursor = step.cursor();
  step.record.pending = null;
  const token = task.Resource === LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN ? step.ctx.newToken() : undefined;
  cursor.token = token;
  const scope = step.scope({});
  const timeoutSeconds = await seconds(task.TimeoutSeconds, 'TimeoutSeconds', scope);
  const heartbeatSeconds = await seconds(task.HeartbeatSeconds, 'HeartbeatSeconds', scope);
  const args = await evaluateTemplate(task.Arguments as Template, 'Arguments', scope);
  const problem = argumentsProblem(args, timeoutSeconds, heartbeatSeconds);
  if (problem !== undefined) {
    throw new RuntimeFailure(
      `An error occurred while executing the state '${cursor.state}' (entered at the event id #${cursor.enteredEventId}). ` +
        `The Arguments ${JSON.stringify(args)} could not be used to start the Task: [${problem}]`,
    );
  }
  step.checkPayload(args, 'was given an input');
  const { FunctionName: functionName, Payload: payload = {} } = args as {
    FunctionName: string;
    Payload?: Json;
  };
  const scheduled = step.emit(
    'TaskScheduled',
    taskScheduled(task, region(step), args, timeoutSeconds, heartbeatSeconds),
  );
  step.emit('TaskStarted', taskStarted(task));
  cursor.heartbeatSeconds = heartbeatSeconds;
  const id = `task-${scheduled.id}`;
  const timeoutAt = timeoutSeconds === undefined ? {} : { timeoutAt: step.after(timeoutSeconds * 1000) };
  step.record.pending =
    token === undefined
      ? { kind: 'invoke', id, functionName, payload, ...timeoutAt }
      : {
          kind: 'callback',
          id,
          token,
          functionName,
          payload,
          submitted: false,
          ...timeoutAt,
          ...(heartbeatSeconds === undefined ? {} : { heartbeatAt: step.after(heartbeatSeconds * 1000) }),
        };
  return undefined;
}

/** The function (or SendTaskSuccess) returned `result`: Output and Assign, then leave. */
export async function taskSucceeded(step: ExecutionStep, result: Json): Promise<Entry | undefined> {
  const task = step.currentState() as TaskState;
  step.record.pending = null;
  return step.guard(task, async () => {
    // A result over the quota never reaches the history: the execution fails instead.
    step.checkPayload(result, 'returned a result');
    step.emit('TaskSucceeded', taskOutput('taskSucceededEventDetails', task, result));
    const { output, assigned } = await step.assignAndOutput(task, result, step.scope({ result }), '');
    return step.leave(task, output, assigned);
  });
}

/**
 * Retry, Catch or the end of the execution, as the Task's retriers and catchers say: the first
 * retrier naming the error retries while it has attempts left; otherwise the first catcher naming
 * it takes over with $states.errorOutput = {Error, Cause}.
 */
export async function handleTaskError(
  step: ExecutionStep,
  task: TaskState,
  error: string,
  cause: string | undefined,
): Promise<Entry | undefined> {
  const cursor = step.cursor();
  step.record.pending = null;
  cursor.token = undefined;
  const retriers = task.Retry ?? [];
  const retrierIndex = retriers.findIndex((retrier) => errorMatches(retrier.ErrorEquals, error));
  const retrier = retriers[retrierIndex];
  if (retrier !== undefined) {
    const attempts = cursor.retrierAttempts[retrierIndex] ?? 0;
    if (attempts < maxAttempts(retrier)) {
      cursor.retrierAttempts[retrierIndex] = attempts + 1;
      cursor.retryCount += 1;
      const delay = retryDelayMillis(retrier, attempts, () => step.ctx.random());
      step.record.pending = {
        kind: 'timer',
        id: `retry-${step.record.lastEventId}`,
        dueAt: step.after(delay),
      };
      return undefined;
    }
  }
  const catchers = task.Catch ?? [];
  const catcherIndex = catchers.findIndex((catcher) => errorMatches(catcher.ErrorEquals, error));
  const catcher = catchers[catcherIndex];
  if (catcher === undefined) {
    step.fail(error, cause);
    return undefined;
  }
  const errorOutput = { Error: error, Cause: cause ?? '' };
  try {
    const scope = step.scope({ errorOutput });
    const { output, assigned } = await step.assignAndOutput(
      catcher,
      errorOutput,
      scope,
      `Catch/${catcherIndex}/`,
    );
    step.exitState('TaskStateExited', output, assigned);
    return { state: catcher.Next, input: output };
  } catch (failure) {
    // A catcher that cannot build its output ends the execution; no other catcher is tried.
    if (!(failure instanceof StatesFailure)) throw failure;
    if (failure instanceof QueryEvaluationFailure) step.evaluationFailed(failure);
    step.fail(failure.error, failure.aslCause);
    return undefined;
  }
}

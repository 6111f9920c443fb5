// The Step Functions calls around a case's execution: starting it, and completing the task token of
// the human step it waits on. The execution is named by the case reference, so starting it twice is
// harmless, and its input is the reference only (no personal data enters the workflow).
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';

/** Completes a waiting task. Each returns false when the token is no longer valid (finished or timed out). */
export interface TaskCallbacks {
  succeed(token: string, output: Readonly<Record<string, string | number | boolean>>): Promise<boolean>;
  fail(token: string, error: string, cause: string): Promise<boolean>;
}

function tokenGone(error: unknown): boolean {
  return error instanceof TaskTimedOut || error instanceof InvalidToken || error instanceof TaskDoesNotExist;
}

async function send(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (tokenGone(error)) return false;
    throw error;
  }
}

export function stepFunctionsCallbacks(sfn: SFNClient): TaskCallbacks {
  return {
    succeed: (token, output) =>
      send(() => sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }))),
    fail: (token, error, cause) =>
      send(() => sfn.send(new SendTaskFailureCommand({ taskToken: token, error, cause }))),
  };
}

/** Starts the case's execution, named by its reference; an execution that already exists is left as it is. */
export async function startCaseReview(
  sfn: SFNClient,
  stateMachineArn: string,
  reference: string,
): Promise<void> {
  try {
    await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: reference, input: JSON.stringify({ reference }) }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}

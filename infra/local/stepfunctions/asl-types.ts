// The shape of a definition once validate.ts has accepted it: plain JSON data, so a
// CompiledStateMachine can be kept or copied like any other value. Field names are AWS's.
import type { Json } from './model.ts';

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
export const LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** A JSON value in which any string of the form `{% … %}` is a JSONata expression. */
export type Template = Json;

/** Maps variable names to templates. */
export type Assignments = { [name: string]: Template };

/** A number, or a JSONata expression giving one. */
export type NumberOrExpression = number | string;

export interface Transition {
  Next?: string;
  End?: boolean;
}

export interface PassState extends Transition {
  Type: 'Pass';
  Output?: Template;
  Assign?: Assignments;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  Output?: Template;
  Assign?: Assignments;
}

export interface TaskState extends Transition {
  Type: 'Task';
  Resource: typeof LAMBDA_INVOKE | typeof LAMBDA_INVOKE_WAIT_FOR_TASK_TOKEN;
  Arguments?: Template;
  Output?: Template;
  Assign?: Assignments;
  Retry?: Retrier[];
  Catch?: Catcher[];
  TimeoutSeconds?: NumberOrExpression;
  HeartbeatSeconds?: NumberOrExpression;
}

export interface ChoiceRule {
  Condition: Template;
  Next: string;
  Output?: Template;
  Assign?: Assignments;
}

export interface ChoiceState {
  Type: 'Choice';
  Choices: ChoiceRule[];
  Default?: string;
  /** Used only when no rule matches and the Default is taken. */
  Output?: Template;
  Assign?: Assignments;
}

export interface WaitState extends Transition {
  Type: 'Wait';
  Seconds?: NumberOrExpression;
  Timestamp?: string;
  Output?: Template;
  Assign?: Assignments;
}

export interface SucceedState {
  Type: 'Succeed';
  Output?: Template;
}

export interface FailState {
  Type: 'Fail';
  Error?: string;
  Cause?: string;
}

export type StateDefinition = PassState | TaskState | ChoiceState | WaitState | SucceedState | FailState;

export interface MachineDefinition {
  StartAt: string;
  States: { [name: string]: StateDefinition };
  TimeoutSeconds?: number;
}

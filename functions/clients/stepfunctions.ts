// The Step Functions client and the state machine that runs each case.
import { SFNClient } from '@aws-sdk/client-sfn';
import { type Env, endpointFrom, requiredSetting } from '#clients/environment.ts';

export function createStepFunctionsClient(env: Env = process.env): SFNClient {
  return new SFNClient(endpointFrom(env, 'STEPFUNCTIONS_ENDPOINT'));
}

/**
 * The state machine that runs each case (STATE_MACHINE_ARN): in AWS its alias
 * (`…:stateMachine:<name>:live`), on which executions start.
 */
export function stateMachineArnFrom(env: Env = process.env): string {
  return requiredSetting(env, 'STATE_MACHINE_ARN');
}

/**
 * The state machine itself, from its ARN or a version's or alias's (`…:stateMachine:<name>[:<qualifier>]`):
 * what names its executions and lists them all, whichever version each runs on.
 */
export function unqualifiedStateMachineArn(arn: string): string {
  return arn.split(':').slice(0, 7).join(':');
}

/** Where a case's next execution starts: on STATE_MACHINE_ALIAS of the state machine, if it is set. */
export function stateMachineAliasFrom(env: Env = process.env): string | undefined {
  return env.STATE_MACHINE_ALIAS || undefined;
}

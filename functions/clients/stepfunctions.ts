// The Step Functions client and the state machine that runs each case.
import { SFNClient } from '@aws-sdk/client-sfn';
import { type Env, endpointFrom, requiredSetting } from '#clients/environment.ts';

export function createStepFunctionsClient(env: Env = process.env): SFNClient {
  return new SFNClient(endpointFrom(env, 'STEPFUNCTIONS_ENDPOINT'));
}

/** The state machine that runs each case (STATE_MACHINE_ARN). */
export function stateMachineArnFrom(env: Env = process.env): string {
  return requiredSetting(env, 'STATE_MACHINE_ARN');
}

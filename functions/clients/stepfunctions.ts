// The Step Functions client, built with the function.
import { SFNClient } from '@aws-sdk/client-sfn';
import { type Env, endpointFrom } from '#clients/environment.ts';

/** What the case operations call to start a case's execution and answer its waits: the client's send. */
export type StepFunctionsSender = Pick<SFNClient, 'send'>;

export function createStepFunctionsClient(env: Env = process.env): SFNClient {
  return new SFNClient(endpointFrom(env, 'STEPFUNCTIONS_ENDPOINT'));
}

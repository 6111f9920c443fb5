// What the API's handlers need from the outside world, built once per function instance from the
// environment (CDK sets it in AWS; the local runtime sets it before loading the handlers). The route
// factories take these in, so tests pass their own clock, tables and token verifier.

import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { callerIdentifierFromEnv, type IdentifyCaller } from '#api/http/caller.ts';
import type { AreaConfig } from '#core/area-config.ts';
import { type Clock, systemClock } from '#core/clock.ts';
import {
  createDynamoDbClient,
  createStepFunctionsClient,
  type DataContext,
  dataContextFrom,
  idempotencyTableFrom,
  stateMachineArnFrom,
} from '#data/clients.ts';
import { dynamoSignedOutSessions } from '#data/staff-sessions.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';

export interface ApiContext {
  readonly data: DataContext;
  /** The police area the service runs for, with its CSPs. */
  readonly area: AreaConfig;
  readonly identify: IdentifyCaller;
  readonly now: Clock;
}

export interface WorkflowContext {
  readonly stepFunctions: SFNClient;
  readonly stateMachineArn: string;
}

export function apiContextFromEnv(env: NodeJS.ProcessEnv = process.env): ApiContext {
  const data = dataContextFrom(env);
  return {
    data,
    area: areaConfigFromEnv(env),
    identify: callerIdentifierFromEnv(dynamoSignedOutSessions(data)),
    now: systemClock,
  };
}

export function workflowContextFromEnv(env: NodeJS.ProcessEnv = process.env): WorkflowContext {
  return { stepFunctions: createStepFunctionsClient(env), stateMachineArn: stateMachineArnFrom(env) };
}

/** Where Powertools keeps the responses of submissions sent with an Idempotency-Key. */
export function idempotencyStoreFromEnv(env: NodeJS.ProcessEnv = process.env): BasePersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName: idempotencyTableFrom(env),
    awsSdkV3Client: createDynamoDbClient(env),
  });
}

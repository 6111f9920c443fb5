// One DynamoDB Local (one JVM) for the whole test run: started before the first test file, stopped after
// the last, also when tests fail. Each test file makes tables of its own in it (`startTestTables`, the
// engine's `engine-<uuid>` tables), so files never see each other's data and can run side by side.
import type { TestProject } from 'vitest/node';
import { freePort, startDynamoDbLocal } from '#local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's DynamoDB Local, for `inject('dynamodbEndpoint')`. */
    dynamodbEndpoint: string;
    /** What it said it could not do when it started (DynamoDbLocal's `warning`), or null. */
    dynamodbWarning: string | null;
  }
}

export default async function startRunDynamoDb(project: TestProject): Promise<() => Promise<void>> {
  const dynamodb = await startDynamoDbLocal({ port: await freePort() });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  project.provide('dynamodbWarning', dynamodb.warning ?? null);
  return () => dynamodb.stop();
}

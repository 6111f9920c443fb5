import { type DynamoDbLocal, freePort, startDynamoDbLocal } from '#local/dynamodb-local.ts';

/** An in-memory DynamoDB Local on a free port, for one test file: `const db = await startTestDynamoDb()`. */
export async function startTestDynamoDb(): Promise<DynamoDbLocal> {
  return startDynamoDbLocal({ port: await freePort() });
}

export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

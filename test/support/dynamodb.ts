import { inject } from 'vitest';
import type { DynamoDbLocal } from '#local/dynamodb-local.ts';

/**
 * The test run's DynamoDB Local (test/setup/dynamodb.global.ts starts one for every file):
 * `const db = await startTestDynamoDb()`. Make tables of your own in it (a unique name per file or test);
 * `stop()` leaves it running for the other files.
 */
export async function startTestDynamoDb(): Promise<DynamoDbLocal> {
  const endpoint = inject('dynamodbEndpoint');
  const warning = inject('dynamodbWarning');
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    ...(warning !== null && { warning }),
    stop: async () => undefined,
  };
}

export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

// The DynamoDB clients, built one way for the handlers, the local Step Functions engine's store and the
// tests.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Env, endpointFrom } from '#clients/environment.ts';

/** The plain client, for libraries that want one (Powertools' idempotency persistence layer). */
export function createDynamoDbClient(env: Env = process.env): DynamoDBClient {
  return new DynamoDBClient(endpointFrom(env, 'DYNAMODB_ENDPOINT'));
}

/** The document client over `client`, as every part of the service marshals items (undefined left out). */
export function documentClientOf(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createDocumentClient(env: Env = process.env): DynamoDBDocumentClient {
  return documentClientOf(createDynamoDbClient(env));
}

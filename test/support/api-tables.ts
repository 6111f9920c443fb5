// The service's tables in a DynamoDB Local of its own, for handler tests.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DataContext } from '#data/clients.ts';
import { tables } from '#infra/tables.ts';
import { ensureTables } from '#local/create-tables.ts';
import { localCredentials, startTestDynamoDb } from '#test/support/dynamodb.ts';

export interface TestTables {
  readonly data: DataContext;
  /** A plain client, for what needs one (the idempotency store). */
  readonly client: DynamoDBClient;
  readonly idempotencyTable: string;
  stop(): Promise<void>;
}

export async function startTestTables(): Promise<TestTables> {
  const dynamodb = await startTestDynamoDb();
  const client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'eu-west-2',
    credentials: localCredentials,
  });
  await ensureTables(client, tables);
  const byEnv = Object.fromEntries(tables.map((spec) => [spec.envVar, spec.localName]));
  return {
    data: {
      db: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
      tables: { cases: byEnv.CASES_TABLE ?? '', statistics: byEnv.STATISTICS_TABLE ?? '' },
    },
    client,
    idempotencyTable: byEnv.IDEMPOTENCY_TABLE ?? '',
    stop: async () => {
      client.destroy();
      await dynamodb.stop();
    },
  };
}

// The records Powertools' idempotency utility keeps of submissions sent with an idempotency key, so
// that a repeated submission returns the case the first one created instead of creating another. The
// table's layout is the one Powertools expects (table-specs.ts, idempotencyTable).

import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '#clients/dynamodb.ts';
import { type Env, requiredSetting } from '#clients/environment.ts';
import { idempotencyTable } from '#data/table-specs.ts';

export function idempotencyStoreOf(client: DynamoDBClient, tableName: string): BasePersistenceLayer {
  return new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client });
}

/** The store in the table IDEMPOTENCY_TABLE names. */
export function idempotencyStoreFrom(env: Env = process.env): BasePersistenceLayer {
  return idempotencyStoreOf(createDynamoDbClient(env), requiredSetting(env, idempotencyTable.envVar));
}

// The records of submissions sent with an idempotency key (the Idempotency-Key header, or a draft's own
// key on the pages), so that a repeated submission answers with the case the first one created instead
// of creating another. A record is written in the same transaction as the case it names (case-store.ts,
// createCase): there is never a case without its record or a record without its case, and no submission
// is ever "in progress". A duplicate's transaction fails on the record, and the duplicate then reads it.
// The table deletes a record (TTL) once it has expired; until then an expired record counts as absent.
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient, documentClientOf } from '#clients/dynamodb.ts';
import { type Env, requiredSetting } from '#clients/environment.ts';
import { idempotencyTable } from '#data/table-specs.ts';
import type { TransactItem } from '#data/transactions.ts';

export interface SubmissionRecords {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** What a keyed submission answered, as kept: the access code only sealed (cases/sealed-access-code.ts). */
export interface SubmissionRecord {
  readonly reference: string;
  readonly sealedAccessCode: string;
  /** The hash of what identifies the request besides its key (its body, who entered it). */
  readonly requestHash: string;
}

export function idempotencyStoreOf(client: DynamoDBClient, tableName: string): SubmissionRecords {
  return { db: documentClientOf(client), tableName };
}

/** The records in the table IDEMPOTENCY_TABLE names. */
export function idempotencyStoreFrom(env: Env = process.env): SubmissionRecords {
  return idempotencyStoreOf(createDynamoDbClient(env), requiredSetting(env, idempotencyTable.envVar));
}

// The key as the client sent it is not kept, only its hash: the item's key has a bounded length.
const recordKey = (key: string) => ({
  id: `submit-application#${createHash('sha256').update(key).digest('base64url')}`,
});

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** The record's Put for the submission's transaction; its condition fails while a live record has the key. */
export function submissionRecordPut(
  records: SubmissionRecords,
  key: string,
  record: SubmissionRecord,
  now: Date,
  keptForSeconds: number,
): TransactItem {
  return {
    Put: {
      TableName: records.tableName,
      Item: { ...recordKey(key), ...record, expiration: epochSeconds(now) + keptForSeconds },
      ConditionExpression: 'attribute_not_exists(id) OR expiration <= :now',
      ExpressionAttributeValues: { ':now': epochSeconds(now) },
    },
  };
}

/** The live record of `key`, or undefined. */
export async function readSubmissionRecord(
  records: SubmissionRecords,
  key: string,
  now: Date,
): Promise<SubmissionRecord | undefined> {
  const { Item } = await records.db.send(
    new GetCommand({ TableName: records.tableName, Key: recordKey(key), ConsistentRead: true }),
  );
  if (!Item || Number(Item.expiration) <= epochSeconds(now)) return undefined;
  return {
    reference: String(Item.reference),
    sealedAccessCode: String(Item.sealedAccessCode),
    requestHash: String(Item.requestHash),
  };
}

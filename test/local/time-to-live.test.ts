import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesTable, statisticsTable, type TableSpec } from '#data/table-specs.ts';
import { ensureTables } from '#local/create-tables.ts';
import { startTimeToLive, type TimeToLiveSweeps } from '#local/time-to-live.ts';
import { localCredentials, startTestDynamoDb } from '#test/support/dynamodb.ts';

describe('startTimeToLive', () => {
  const now = new Date('2026-12-06T09:00:00Z');
  const seconds = Math.floor(now.getTime() / 1000);
  const prefix = `ttl${randomUUID().slice(0, 8)}-`;
  // The cases table, with its global secondary indexes, whose expired items DynamoDB Local never deletes.
  const specs: TableSpec[] = [casesTable, statisticsTable].map((spec) => ({
    ...spec,
    localName: `${prefix}${spec.localName}`,
  }));
  const [cases] = specs as [TableSpec];
  let client: DynamoDBClient;
  let db: DynamoDBDocumentClient;
  let sweeps: TimeToLiveSweeps;

  beforeAll(async () => {
    const { endpoint } = await startTestDynamoDb();
    client = new DynamoDBClient({ endpoint, region: 'eu-west-2', credentials: localCredentials });
    db = DynamoDBDocumentClient.from(client);
    await ensureTables(client, specs);
  });

  afterAll(async () => {
    await sweeps?.stop();
    client?.destroy();
  });

  it('deletes each item whose time has passed, as DynamoDB does, and no other', async () => {
    // Prepare
    const items: Record<string, unknown>[] = [
      { pk: 'CASE#ENDED', sk: 'CASE', csp: 'sefton', deadlineKey: 'x', expiresAt: seconds - 86_400 },
      { pk: 'CASE#ENDED', sk: 'EVENT#1', expiresAt: seconds - 86_400 },
      { pk: 'CASE#KEPT', sk: 'CASE', csp: 'sefton', deadlineKey: 'y', expiresAt: seconds + 86_400 },
      { pk: 'CASE#OPEN', sk: 'CASE', expiresAt: null },
      { pk: 'CASE#ODD', sk: 'CASE', expiresAt: 'yesterday' },
      { pk: 'CASE#ANCIENT', sk: 'CASE', expiresAt: seconds - 6 * 365 * 86_400 },
    ];
    for (const item of items) await db.send(new PutCommand({ TableName: cases.localName, Item: item }));

    // Act
    sweeps = startTimeToLive({
      client,
      tables: specs,
      intervalMs: 3_600_000,
      onError: () => undefined,
      now: () => now,
    });
    const first = await sweeps.sweep();
    const again = await sweeps.sweep();
    const left = await db.send(new ScanCommand({ TableName: cases.localName }));

    // Assess
    expect(first).toBe(2);
    expect(again).toBe(0);
    expect((left.Items ?? []).map((item) => item.pk).sort()).toEqual([
      'CASE#ANCIENT',
      'CASE#KEPT',
      'CASE#ODD',
      'CASE#OPEN',
    ]);
  });
});

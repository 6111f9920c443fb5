// Signed-out staff sessions against DynamoDB Local: refused at once, kept only until the token expires.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoSignedOutSessions } from '#data/staff-sessions.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';

const EXPIRES_AT = 2_000_000_000;
let tables: TestTables;

beforeAll(async () => {
  tables = await startTestTables();
});

afterAll(async () => {
  await tables?.stop();
});

describe('signed-out staff sessions', () => {
  it('are refused from the moment they are signed out, and no other session is', async () => {
    // Prepare
    const sessions = dynamoSignedOutSessions(tables.data);
    const before = await sessions.isSignedOut('session-a');

    // Act
    await sessions.recordSignOut('session-a', EXPIRES_AT);

    // Assess
    expect(before).toBe(false);
    expect(await sessions.isSignedOut('session-a')).toBe(true);
    expect(await sessions.isSignedOut('session-b')).toBe(false);
  });

  it('are deleted by the table’s TTL once the token would have expired, and a second sign-out is harmless', async () => {
    // Prepare
    const sessions = dynamoSignedOutSessions(tables.data);

    // Act
    await sessions.recordSignOut('session-c', EXPIRES_AT);
    await sessions.recordSignOut('session-c', EXPIRES_AT);

    // Assess
    const { Item } = await tables.data.db.send(
      new GetCommand({
        TableName: tables.data.tables.cases,
        Key: { pk: 'STAFF-SESSION#session-c', sk: 'SIGNED-OUT' },
      }),
    );
    expect(Item?.expiresAt).toBeGreaterThanOrEqual(EXPIRES_AT);
    expect(Item?.expiresAt).toBeLessThan(EXPIRES_AT + 3600);
  });
});

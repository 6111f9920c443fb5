// `npm run recount -- --year …` against DynamoDB Local: a table and exit 0 when the counters equal the
// recount, exit 1 and the difference marked when they do not.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardKey } from '#data/statistics-keys.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { AREA, submit } from '#test/support/case-fixtures.ts';

const SCRIPT = join(import.meta.dirname, '../../infra/scripts/recount.ts');
let tables: TestTables;

beforeAll(async () => {
  tables = await startTestTables();
});

afterAll(async () => {
  await tables?.stop();
});

function recount(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...tables.env, DYNAMODB_ENDPOINT: '' },
  });
}

describe('npm run recount', () => {
  it('prints the year and exits 0 when every counter equals the recount', async () => {
    // Prepare
    await submit(tables.data, new Date('2016-01-10T12:00:00Z'), { receivedAt: '2015-09-01T10:00:00Z' });
    await submit(tables.data, new Date('2016-03-10T12:00:00Z'), {
      csp: 'st-helens',
      receivedAt: '2016-02-01T10:00:00Z',
    });

    // Act
    const result = recount('--year', '2015-16', '--endpoint', tables.endpoint);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Recount of 2015-16');
    expect(result.stdout).toMatch(/sefton\s+1\/1/);
    expect(result.stdout).toMatch(/st-helens\s+1\/1/);
    expect(result.stdout).toContain('The counters equal the recount.');
  });

  it('exits 1 and marks the cell when a counter differs', async () => {
    // Prepare
    await tables.data.db.send(
      new UpdateCommand({
        TableName: tables.data.tables.statistics,
        Key: shardKey(AREA.id, '2015-16', 'sefton', 0),
        UpdateExpression: 'ADD referralsToPcc :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );

    // Act
    const result = recount('--year', '2015-16', '--endpoint', tables.endpoint);

    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/sefton .*1\/0 \*/);
    expect(result.stdout).toContain('1 difference(s), marked *.');
  });

  it('exits 2 and says how to call it for a missing or malformed year', () => {
    expect(recount().status).toBe(2);
    const malformed = recount('--year', '2015', '--endpoint', tables.endpoint);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('Not a financial reporting year');
  });
});

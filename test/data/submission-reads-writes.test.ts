// What the submission path saves against DynamoDB Local: the year marker written once per process and
// year, and the applicants of linked cases read in batches.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getApplicants } from '#data/case-store.ts';
import type { DataContext } from '#data/data-context.ts';
import { yearMarkerKey } from '#data/statistics-keys.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { AREA, submit } from '#test/support/case-fixtures.ts';

const NOW = new Date('2026-03-02T09:00:00.000Z');
let tables: TestTables;
let ctx: DataContext;

beforeAll(async () => {
  tables = await startTestTables();
  ctx = tables.data;
});

afterAll(async () => {
  await tables?.stop();
});

/** The tables each TransactWriteItems sent during `run` puts items into. */
async function transactionPuts(run: () => Promise<unknown>): Promise<string[][]> {
  const send = vi.spyOn(ctx.db, 'send');
  try {
    await run();
    return send.mock.calls.flatMap(([command]) => {
      const items = (command.input as { TransactItems?: { Put?: { TableName: string; Item: object } }[] })
        .TransactItems;
      return items === undefined ? [] : [items.flatMap((item) => (item.Put ? [item.Put.TableName] : []))];
    });
  } finally {
    send.mockRestore();
  }
}

describe('createCase and the year marker', () => {
  it('writes the marker with the first case of a year, and not again for the next ones', async () => {
    // Prepare
    const statistics = ctx.tables.statistics;

    // Act
    const first = await transactionPuts(() => submit(ctx, NOW, { csp: 'sefton' }));
    const second = await transactionPuts(() => submit(ctx, NOW, { csp: 'wirral' }));

    // Assess
    expect(first).toHaveLength(1);
    expect(first[0]?.filter((table) => table === statistics)).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(second[0]).not.toContain(statistics);
    const marker = await ctx.db.send(
      new GetCommand({ TableName: statistics, Key: yearMarkerKey(AREA.id, '2025-26') }),
    );
    expect(marker.Item?.year).toBe('2025-26');
  });

  it('writes the marker of a year it has not written yet', async () => {
    // Prepare
    const nextYear = new Date('2026-05-04T09:00:00.000Z');

    // Act
    const puts = await transactionPuts(() => submit(ctx, nextYear, { csp: 'sefton' }));

    // Assess
    expect(puts[0]).toContain(ctx.tables.statistics);
    const marker = await ctx.db.send(
      new GetCommand({ TableName: ctx.tables.statistics, Key: yearMarkerKey(AREA.id, '2026-27') }),
    );
    expect(marker.Item?.year).toBe('2026-27');
  });
});

describe('getApplicants', () => {
  it('reads the applicants in the order asked, over several batches, leaving out unknown cases', async () => {
    // Prepare
    const cases = [];
    for (let i = 0; i < 3; i += 1) cases.push(await submit(ctx, NOW, { csp: 'knowsley' }));
    const unknown = Array.from({ length: 110 }, (_, i) => `KNO-NONE-${String(i).padStart(4, '0')}`);
    const [a, b, c] = cases.map((record) => record.reference);
    const asked = [c, ...unknown.slice(0, 60), a, ...unknown.slice(60), b].filter(
      (reference): reference is string => reference !== undefined,
    );

    // Act
    const applicants = await getApplicants(ctx, asked);

    // Assess
    expect(applicants.map((applicant) => applicant.reference)).toEqual([c, a, b]);
    expect(applicants.every((applicant) => applicant.applicant.name === 'Sam Resident')).toBe(true);
  });

  it('reads nothing for no references', async () => {
    // Act
    const applicants = await getApplicants(ctx, []);

    // Assess
    expect(applicants).toEqual([]);
  });
});

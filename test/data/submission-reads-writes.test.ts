// What the submission path saves against DynamoDB Local: the year marker written once per process and
// year, the applicants of linked cases read in batches, the acknowledgement's mark written without a
// read, and the first step's reads of the case, its applicant, links, review and access item in one.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  acknowledgedWithCodeIn,
  getAccessItem,
  issueNewAccessCode,
  markAcknowledgedWithCode,
} from '#data/access-codes.ts';
import { casePk } from '#data/case-items.ts';
import { getApplicants, readForFirstStep } from '#data/case-store.ts';
import type { DataContext } from '#data/data-context.ts';
import { yearMarkerKey } from '#data/statistics-keys.ts';
import { assessCase } from '#data/threshold-assessment.ts';
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

/** The DynamoDB commands `run` sent, by name. */
async function commandsSent(run: () => Promise<unknown>): Promise<string[]> {
  const send = vi.spyOn(ctx.db, 'send');
  try {
    await run();
    return send.mock.calls.map(([command]) => command.constructor.name);
  } finally {
    send.mockRestore();
  }
}

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

describe('markAcknowledgedWithCode', () => {
  it('marks a case just stored with one conditional put and no read, and a repeat changes nothing', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW, { csp: 'sefton' });

    // Act
    const sent = await commandsSent(() => markAcknowledgedWithCode(ctx, reference, NOW));
    await markAcknowledgedWithCode(ctx, reference, new Date('2026-03-03T09:00:00.000Z'));

    // Assess
    expect(sent).toEqual(['PutCommand']);
    const item = await getAccessItem(ctx, reference);
    expect(item?.acknowledgedWithCodeAt).toBe(NOW.toISOString());
    expect(acknowledgedWithCodeIn(item)).toBe(true);
  });

  it('keeps a new code asked for before the mark, and the mark after it', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW, { csp: 'sefton' });
    const limit = { count: 3, windowMs: 24 * 60 * 60 * 1000 };
    await issueNewAccessCode(ctx, reference, { hash: 'a'.repeat(64), at: NOW, limit });

    // Act
    await markAcknowledgedWithCode(ctx, reference, NOW);
    const issued = await issueNewAccessCode(ctx, reference, { hash: 'b'.repeat(64), at: NOW, limit });

    // Assess
    expect(issued).toBe(true);
    const item = await getAccessItem(ctx, reference);
    expect(item).toMatchObject({
      acknowledgedWithCodeAt: NOW.toISOString(),
      unusedHash: 'b'.repeat(64),
      issuedInWindow: 2,
      revision: 3,
    });
  });
});

describe('readForFirstStep', () => {
  it("reads the case, its applicant, links, review's records, access item and first threshold decision in one request", async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW, { csp: 'sefton' });
    await markAcknowledgedWithCode(ctx, reference, NOW);

    // Act
    let reads: Awaited<ReturnType<typeof readForFirstStep>>;
    const sent = await commandsSent(async () => {
      reads = await readForFirstStep(ctx, reference);
    });

    // Assess
    expect(sent).toEqual(['BatchGetCommand']);
    expect(reads?.record).toMatchObject({ reference, stage: 'received', version: 1 });
    expect(reads?.applicant.applicant.name).toBe('Sam Resident');
    expect(reads?.linksPointer).toBeUndefined();
    expect(reads?.review.version).toBe(0);
    expect(reads?.review.state.contact).toBeNull();
    expect(reads?.acknowledgedWithCode).toBe(true);
    expect(reads?.firstCycleThresholdDecision).toBeUndefined();
  });

  it('says the acknowledgement was not sent with the code when nothing marked it', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW, { csp: 'sefton' });

    // Act
    const reads = await readForFirstStep(ctx, reference);

    // Assess
    expect(reads?.acknowledgedWithCode).toBe(false);
  });

  it('finds nothing for a case not stored', async () => {
    expect(await readForFirstStep(ctx, 'SEF-NONE-0000')).toBeUndefined();
  });

  it('gives assessCase the case as read, which then writes without reading anything', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW, { csp: 'sefton' });
    const reads = await readForFirstStep(ctx, reference);

    // Act
    let assessed: Awaited<ReturnType<typeof assessCase>> | undefined;
    const sent = await commandsSent(async () => {
      assessed = await assessCase(ctx, AREA, reference, NOW, reads);
    });

    // Assess
    expect(assessed?.changed).toBe(true);
    expect(assessed?.case.thresholdAssessment).not.toBeNull();
    expect(sent).toEqual(['TransactWriteCommand']);
  });

  it('reads the case again when it changed after the first read, and stores the assessment once', async () => {
    // Prepare: another run assessed the case after this one read it
    const { reference } = await submit(ctx, NOW, { csp: 'sefton' });
    const reads = await readForFirstStep(ctx, reference);
    await assessCase(ctx, AREA, reference, NOW);

    // Act
    const again = await assessCase(ctx, AREA, reference, NOW, reads);

    // Assess
    expect(again.changed).toBe(false);
    expect(again.case.version).toBe(2);
    const events = await ctx.db.send(
      new QueryCommand({
        TableName: ctx.tables.cases,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': casePk(reference), ':event': 'EVENT#' },
      }),
    );
    expect(events.Items?.filter((event) => event.type === 'threshold-assessed')).toHaveLength(1);
  });
});

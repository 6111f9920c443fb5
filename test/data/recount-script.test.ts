// The operators' scripts against DynamoDB Local. `npm run recount -- --year …`: a table and exit 0 when
// the counters equal the recount, exit 1 and the difference marked when they do not. `npm run backfill`:
// a case stored by an earlier version (no search items, listing or lookup key; a withdrawal not counted)
// is found and counted afterwards, and running it again changes nothing. `npm run restore-items`: a
// restored copy's items put back into the live table, items created since kept, and the refusals.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  BatchWriteCommand,
  DeleteCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchTermsOf } from '#core/search-terms.ts';
import { backfillCases } from '#data/case-backfill.ts';
import { closeCase } from '#data/case-closure.ts';
import { recordAction } from '#data/case-decisions.ts';
import { caseKey, casePk, SEARCH_PREFIX } from '#data/case-items.ts';
import { registerTask } from '#data/case-tasks.ts';
import { queryWorklist, searchCases } from '#data/case-worklists.ts';
import { counterKey, shardKey } from '#data/statistics-keys.ts';
import { casesTable, statisticsTable } from '#data/table-specs.ts';
import { ensureTables } from '#local/create-tables.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { APPLICANT, AREA, decisions, submit } from '#test/support/case-fixtures.ts';
import { EXAMPLE_AREA, EXAMPLE_AREA_FILE } from '#test/support/example-area.ts';

const SCRIPT = join(import.meta.dirname, '../../infra/scripts/recount.ts');
const BACKFILL = join(import.meta.dirname, '../../infra/scripts/backfill.ts');
const RESTORE = join(import.meta.dirname, '../../infra/scripts/restore-items.ts');
let tables: TestTables;

beforeAll(async () => {
  tables = await startTestTables();
});

afterAll(async () => {
  await tables?.stop();
});

function run(script: string, ...args: string[]) {
  return runFor(undefined, script, ...args);
}

/** The script for the area of `areaConfigFile` (Merseyside, the tables' area, when undefined). */
function runFor(areaConfigFile: string | undefined, script: string, ...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...tables.env, DYNAMODB_ENDPOINT: '', AREA_CONFIG_FILE: areaConfigFile ?? '' },
  });
}

const recount = (...args: string[]) => run(SCRIPT, ...args);

const everyItem = async () => {
  const scan = async (TableName: string) =>
    (await tables.data.db.send(new ScanCommand({ TableName, ConsistentRead: true }))).Items ?? [];
  return [await scan(tables.data.tables.cases), await scan(tables.data.tables.statistics)];
};

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

  it("exits 2, naming both areas, on tables that hold another area's counts, and the backfill writes nothing", async () => {
    // Prepare
    await submit(tables.data, new Date('2016-01-10T12:00:00Z'), { receivedAt: '2015-09-02T10:00:00Z' });
    const before = await everyItem();
    const refusal = `the tables hold the counts of area '${AREA.id}', not of '${EXAMPLE_AREA.id}': AREA_CONFIG_FILE must name`;

    // Act
    const recounted = runFor(EXAMPLE_AREA_FILE, SCRIPT, '--year', '2015', '--endpoint', tables.endpoint);
    const backfilled = runFor(EXAMPLE_AREA_FILE, BACKFILL, '--endpoint', tables.endpoint);

    // Assess
    expect(recounted.stderr).toContain(`Could not recount: ${refusal}`);
    expect(recounted.status).toBe(2);
    expect(backfilled.stderr).toContain(`Could not backfill: ${refusal}`);
    expect(backfilled.status).toBe(2);
    expect(await everyItem()).toEqual(before);
  });

  it('finds the DynamoDB of a service started on another DYNAMODB_PORT without --endpoint', () => {
    // Act
    const result = spawnSync(process.execPath, [SCRIPT, '--year', '2015-16'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        ...tables.env,
        DYNAMODB_ENDPOINT: '',
        DYNAMODB_PORT: new URL(tables.endpoint).port,
      },
    });

    // Assess
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Recount of 2015-16');
  });

  it('exits 2 and says how to call it for a missing or malformed year', () => {
    expect(recount().status).toBe(2);
    const malformed = recount('--year', '2015', '--endpoint', tables.endpoint);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('Not a financial reporting year');
  });
});

describe('npm run backfill', () => {
  const NOW = new Date('2016-07-01T12:00:00Z');
  const wirral = { scope: { kind: 'csp', csp: 'wirral' }, pccArea: AREA.id } as const;

  /** What an earlier version stored: no SEARCH# items, listing or lookup key on the case item. */
  async function storedBeforeSearch(reference: string) {
    const { Items = [] } = await tables.data.db.send(
      new QueryCommand({
        TableName: tables.data.tables.cases,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :search)',
        ExpressionAttributeValues: { ':pk': casePk(reference), ':search': SEARCH_PREFIX },
      }),
    );
    await tables.data.db.send(
      new BatchWriteCommand({
        RequestItems: {
          [tables.data.tables.cases]: Items.map((item) => ({
            DeleteRequest: { Key: { pk: item.pk, sk: item.sk } },
          })),
        },
      }),
    );
    await tables.data.db.send(
      new UpdateCommand({
        TableName: tables.data.tables.cases,
        Key: caseKey(reference),
        UpdateExpression: 'REMOVE listing, lookupKey',
      }),
    );
  }

  /** What an earlier version stored for a withdrawal: no withdrawnBeforeEither in the case or its counter. */
  async function withdrawnBeforeTheCounter(reference: string, reportingYear: string) {
    await tables.data.db.send(
      new UpdateCommand({
        TableName: tables.data.tables.cases,
        Key: caseKey(reference),
        UpdateExpression: 'DELETE #counted :withdrawn',
        ExpressionAttributeNames: { '#counted': 'counted' },
        ExpressionAttributeValues: { ':withdrawn': new Set(['withdrawnBeforeEither']) },
      }),
    );
    await tables.data.db.send(
      new UpdateCommand({
        TableName: tables.data.tables.statistics,
        Key: counterKey(AREA.id, reportingYear, 'wirral', reference),
        UpdateExpression: 'ADD withdrawnBeforeEither :minusOne',
        ExpressionAttributeValues: { ':minusOne': -1 },
      }),
    );
  }

  it('makes a case stored before the search index findable, counts an old withdrawal, and changes nothing twice', async () => {
    // Prepare: a letter of 2016-17 stored before the search index, and one withdrawn before the counter.
    const old = await submit(tables.data, NOW, { csp: 'wirral', receivedAt: '2016-06-01T10:00:00Z' });
    const withdrawn = await submit(tables.data, NOW, { csp: 'wirral', receivedAt: '2016-06-02T10:00:00Z' });
    await registerTask(tables.data, withdrawn.reference, 'threshold-decision', 'token', NOW.toISOString());
    await recordAction(tables.data, withdrawn.reference, decisions.withdraw, APPLICANT, NOW);
    await closeCase(tables.data, AREA, withdrawn.reference, 'withdrawn', { now: NOW, retentionYears: 6 });
    await storedBeforeSearch(old.reference);
    await withdrawnBeforeTheCounter(withdrawn.reference, withdrawn.reportingYear);
    const search = () => searchCases(tables.data, { ...wirral, terms: searchTermsOf('Sam Resident') });
    const unassigned = async () =>
      (await queryWorklist(tables.data, { scope: wirral.scope, assignedTo: null, limit: 100 })).cases;
    const foundBefore = await search();
    const listedBefore = await unassigned();
    const recountBefore = recount('--year', '2016-17', '--endpoint', tables.endpoint);

    // Act
    const first = run(BACKFILL, '--endpoint', tables.endpoint);
    const afterFirst = await everyItem();
    const second = run(BACKFILL, '--endpoint', tables.endpoint);
    const afterSecond = await everyItem();

    // Assess
    expect(foundBefore.map((entry) => entry.reference)).not.toContain(old.reference);
    expect(listedBefore.map((entry) => entry.reference)).not.toContain(old.reference);
    expect(recountBefore.status).toBe(1);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('brought 2 up to date');
    expect(first.stdout).toContain('Applications withdrawn before either decision counted: 1.');
    const found = (await search()).find((entry) => entry.reference === old.reference);
    expect(found).toMatchObject({ applicantName: 'Sam Resident', postcode: 'L20 1AA' });
    expect((await search()).map((entry) => entry.reference)).toContain(withdrawn.reference);
    expect((await unassigned()).map((entry) => entry.reference)).toContain(old.reference);
    expect(recount('--year', '2016-17', '--endpoint', tables.endpoint).status).toBe(0);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('brought 0 up to date');
    expect(afterSecond).toEqual(afterFirst);
  });

  it('counts an old withdrawal once when two backfills run at the same time', async () => {
    // Prepare
    const withdrawn = await submit(tables.data, NOW, { csp: 'wirral', receivedAt: '2016-06-03T10:00:00Z' });
    await registerTask(tables.data, withdrawn.reference, 'threshold-decision', 'token', NOW.toISOString());
    await recordAction(tables.data, withdrawn.reference, decisions.withdraw, APPLICANT, NOW);
    await closeCase(tables.data, AREA, withdrawn.reference, 'withdrawn', { now: NOW, retentionYears: 6 });
    await withdrawnBeforeTheCounter(withdrawn.reference, withdrawn.reportingYear);

    // Act
    const both = await Promise.all([backfillCases(tables.data, AREA), backfillCases(tables.data, AREA)]);

    // Assess
    expect(both.map((one) => one.withdrawnBeforeEither).sort()).toEqual([0, 1]);
    expect(recount('--year', '2016-17', '--endpoint', tables.endpoint).status).toBe(0);
  });
});

describe('npm run restore-items', () => {
  const NOW = new Date('2016-08-01T12:00:00Z');
  const scan = async (TableName: string) =>
    (await tables.data.db.send(new ScanCommand({ TableName, ConsistentRead: true }))).Items ?? [];
  const itemsOf = (items: Record<string, unknown>[], reference: string) =>
    items.filter((item) => item.pk === casePk(reference));

  /** A table of the live one's spec, as a restore makes it, holding the live table's items now. */
  async function restoredCopy(spec: typeof casesTable, live: string, suffix = 'restored'): Promise<string> {
    const name = `${live}-${suffix}`;
    await ensureTables(tables.client, [{ ...spec, localName: name }]);
    for (const Item of await scan(live)) await tables.data.db.send(new PutCommand({ TableName: name, Item }));
    return name;
  }

  it('puts back an item lost and one changed since the restore point, keeps one created after, and writes nothing twice or on a dry run', async () => {
    // Prepare
    const lost = await submit(tables.data, NOW, { csp: 'knowsley', receivedAt: '2016-07-01T10:00:00Z' });
    const changed = await submit(tables.data, NOW, { csp: 'knowsley', receivedAt: '2016-07-02T10:00:00Z' });
    const restored = await restoredCopy(casesTable, tables.data.tables.cases);
    const copy = await scan(restored);
    for (const { pk, sk } of itemsOf(copy, lost.reference)) {
      await tables.data.db.send(new DeleteCommand({ TableName: tables.data.tables.cases, Key: { pk, sk } }));
    }
    await tables.data.db.send(
      new UpdateCommand({
        TableName: tables.data.tables.cases,
        Key: caseKey(changed.reference),
        UpdateExpression: 'SET stage = :damaged',
        ExpressionAttributeValues: { ':damaged': 'closed' },
      }),
    );
    const created = await submit(tables.data, NOW, { csp: 'knowsley', receivedAt: '2016-07-03T10:00:00Z' });
    const createdItems = itemsOf(await scan(tables.data.tables.cases), created.reference);
    const before = await everyItem();
    const restore = (...args: string[]) =>
      run(RESTORE, '--from', restored, '--endpoint', tables.endpoint, ...args);

    // Act
    const dryRun = restore('--dry-run');
    const afterDryRun = await everyItem();
    const first = restore();
    const afterFirst = await everyItem();
    const second = restore('--table', 'cases');
    const afterSecond = await everyItem();

    // Assess
    const lostCount = itemsOf(copy, lost.reference).length;
    expect(lostCount).toBeGreaterThan(0);
    expect(dryRun.stderr).toBe('');
    expect(dryRun.status).toBe(0);
    expect(dryRun.stdout).toContain(
      `Read ${copy.length} item(s) from ${restored}; ${lostCount + 1} would be written`,
    );
    expect(dryRun.stdout).toContain('Dry run: nothing was written.');
    expect(afterDryRun).toEqual(before);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(
      `Read ${copy.length} item(s) from ${restored}; wrote ${lostCount + 1} to ${tables.data.tables.cases}, ${copy.length - lostCount - 1} unchanged.`,
    );
    const [liveCases = []] = afterFirst;
    expect(itemsOf(liveCases, lost.reference)).toEqual(itemsOf(copy, lost.reference));
    expect(itemsOf(liveCases, changed.reference)).toEqual(itemsOf(copy, changed.reference));
    expect(itemsOf(liveCases, created.reference)).toEqual(createdItems);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`wrote 0 to ${tables.data.tables.cases}, ${copy.length} unchanged.`);
    expect(afterSecond).toEqual(afterFirst);
  });

  it("refuses the live table itself, a source holding the other table's or another area's items, an absent one and a missing --from, writing nothing", async () => {
    // Prepare
    const restored = await restoredCopy(statisticsTable, tables.data.tables.statistics);
    await tables.data.db.send(
      new PutCommand({ TableName: restored, Item: shardKey(EXAMPLE_AREA.id, '2016', 'axeford', 0) }),
    );
    const restoredCases = await restoredCopy(casesTable, tables.data.tables.cases, 'other-area');
    await tables.data.db.send(
      new PutCommand({
        TableName: restoredCases,
        Item: { ...caseKey('AXE-0001'), pccArea: EXAMPLE_AREA.id },
      }),
    );
    const before = await everyItem();

    // Act
    const live = run(RESTORE, '--from', tables.data.tables.cases, '--endpoint', tables.endpoint);
    const otherArea = run(
      RESTORE,
      '--from',
      restored,
      '--table',
      'statistics',
      '--endpoint',
      tables.endpoint,
    );
    const otherAreaCases = run(RESTORE, '--from', restoredCases, '--endpoint', tables.endpoint);
    const otherTable = run(RESTORE, '--from', restored, '--endpoint', tables.endpoint);
    const absent = run(RESTORE, '--from', `${restored}-absent`, '--endpoint', tables.endpoint);
    const missing = run(RESTORE, '--endpoint', tables.endpoint);

    // Assess
    expect(live.stderr).toContain(
      `Could not restore items: --from names the live table ${tables.data.tables.cases}`,
    );
    expect(live.status).toBe(2);
    expect(otherArea.stderr).toContain(
      `Could not restore items: ${restored} holds items of area '${EXAMPLE_AREA.id}', not only of '${AREA.id}'`,
    );
    expect(otherArea.status).toBe(2);
    expect(otherAreaCases.stderr).toContain(`${restoredCases} holds items of area '${EXAMPLE_AREA.id}'`);
    expect(otherAreaCases.status).toBe(2);
    expect(otherTable.stderr).toContain(
      `${restored} holds items of the statistics table: give --table statistics`,
    );
    expect(otherTable.status).toBe(2);
    expect(absent.stderr).toContain('Could not restore items:');
    expect(absent.status).toBe(2);
    expect(missing.stderr).toContain('Usage: npm run restore-items');
    expect(missing.status).toBe(2);
    expect(await everyItem()).toEqual(before);
  });
});

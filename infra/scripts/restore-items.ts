// `npm run restore-items -- --from <restored table>`: after a point-in-time or backup restore into a
// table of its own, puts each of its items into the live table (`--table cases`, the default, or
// `statistics`), so that items lost or damaged since the restore point come back as they were, while
// items created after it are kept. Items the live table already holds unchanged are not written, so a
// second run writes nothing; `--dry-run` only counts. Prints counts, never an item. Refuses a source
// that is a live table or holds the other table's items or another area's (the tables: see
// script-data.ts). Exits 2 on a usage or connection error, or a refusal.
import { isDeepStrictEqual, parseArgs } from 'node:util';
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { DataContext } from '#data/data-context.ts';
import { areaOfPartition } from '#data/statistics-keys.ts';
import { backOff } from '#data/transactions.ts';
import { checkTablesServe, scriptDataContext } from '#infra/scripts/script-data.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';

const USAGE =
  'Usage: npm run restore-items -- --from <restored table> [--table cases|statistics] [--dry-run] ' +
  '[--endpoint http://127.0.0.1:8000 | --aws]';

const TABLES = ['cases', 'statistics'] as const;
type TableKind = (typeof TABLES)[number];

// Items are copied as DynamoDB holds them (no unmarshalling), so numbers, sets and binary come back exact.
type Item = Record<string, AttributeValue>;

// A parallel scan's segments; BatchGetItem's and BatchWriteItem's limits per request.
const SEGMENTS = 4;
const GET_KEYS = 100;
const WRITE_ITEMS = 25;
// Unprocessed keys or items are sent again up to this often (backOff caps each wait at a second).
const ATTEMPTS = 20;

export interface RestoreOptions {
  readonly from: string;
  readonly table: TableKind;
  readonly dryRun: boolean;
}

export interface Restore {
  readonly read: number;
  readonly written: number;
  readonly unchanged: number;
}

export function formatRestore(restore: Restore, options: RestoreOptions, live: string): string {
  return options.dryRun
    ? `Read ${restore.read} item(s) from ${options.from}; ${restore.written} would be written to ${live}, ` +
        `${restore.unchanged} unchanged. Dry run: nothing was written.`
    : `Read ${restore.read} item(s) from ${options.from}; wrote ${restore.written} to ${live}, ` +
        `${restore.unchanged} unchanged.`;
}

async function scanSegment(
  ctx: DataContext,
  input: { TableName: string; ProjectionExpression?: string },
  segment: number,
  page: (items: Item[]) => Promise<void>,
): Promise<void> {
  let startKey: Item | undefined;
  do {
    const result = await ctx.db.send(
      new ScanCommand({
        ...input,
        ConsistentRead: true,
        Segment: segment,
        TotalSegments: SEGMENTS,
        ExclusiveStartKey: startKey,
      }),
    );
    await page(result.Items ?? []);
    startKey = result.LastEvaluatedKey;
  } while (startKey !== undefined);
}

async function scanAllSegments(
  ctx: DataContext,
  input: { TableName: string; ProjectionExpression?: string },
  page: (items: Item[]) => Promise<void>,
): Promise<void> {
  await Promise.all(Array.from({ length: SEGMENTS }, (_, segment) => scanSegment(ctx, input, segment, page)));
}

// A counter's partition starts with its area's id (lower-case); the cases table's with CASE#, DRAFT# and
// the like.
const COUNTER_PARTITION = /^[a-z0-9-]+#/;

/**
 * Refuses a source that is not a restore of this area's table of that kind: one holding items of the
 * other table, or of another area (counters by their partition, cases by their pccArea).
 */
async function checkSource(ctx: DataContext, options: RestoreOptions, pccArea: string): Promise<void> {
  const areas = new Set<string>();
  let otherKind = false;
  await scanAllSegments(
    ctx,
    { TableName: options.from, ProjectionExpression: 'pk, pccArea' },
    async (items) => {
      for (const item of items) {
        const pk = item.pk?.S ?? '';
        const counter = COUNTER_PARTITION.test(pk);
        if (counter !== (options.table === 'statistics')) otherKind = true;
        const area = counter ? areaOfPartition(pk) : item.pccArea?.S;
        if (area !== undefined) areas.add(area);
      }
    },
  );
  if (otherKind) {
    const other = options.table === 'cases' ? 'statistics' : 'cases';
    throw new Error(
      `${options.from} holds items of the ${other} table: give --table ${other}, or name the ${options.table} table's restore`,
    );
  }
  areas.delete(pccArea);
  if (areas.size > 0) {
    throw new Error(
      `${options.from} holds items of area ${[...areas]
        .sort()
        .map((id) => `'${id}'`)
        .join(', ')}, not only of '${pccArea}': ` +
        'name a restore of this area’s table, or set AREA_CONFIG_FILE to the file of the area it serves',
    );
  }
}

const keyOf = (item: Item): string => `${item.pk?.S}\u0000${item.sk?.S}`;

/** Sets compare by their members: DynamoDB keeps no order within one. */
function canonical(value: AttributeValue): unknown {
  if (value.SS) return { SS: [...value.SS].sort() };
  if (value.NS) return { NS: [...value.NS].sort() };
  if (value.BS) return { BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')).sort() };
  if (value.B) return { B: Buffer.from(value.B).toString('base64') };
  if (value.L) return { L: value.L.map(canonical) };
  if (value.M) return { M: canonicalItem(value.M) };
  return value;
}

const canonicalItem = (item: Item) =>
  Object.fromEntries(Object.entries(item).map(([name, value]) => [name, canonical(value)]));

async function liveItems(ctx: DataContext, live: string, items: Item[]): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  for (let start = 0; start < items.length; start += GET_KEYS) {
    let keys: Item[] = items.slice(start, start + GET_KEYS).map(({ pk, sk }) => ({ pk, sk }) as Item);
    for (let attempt = 0; keys.length > 0; attempt += 1) {
      if (attempt === ATTEMPTS) throw new Error(`DynamoDB kept leaving keys of ${live} unread`);
      if (attempt > 0) await backOff(attempt - 1);
      const { Responses, UnprocessedKeys } = await ctx.db.send(
        new BatchGetItemCommand({ RequestItems: { [live]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of Responses?.[live] ?? []) found.set(keyOf(item), item);
      keys = UnprocessedKeys?.[live]?.Keys ?? [];
    }
  }
  return found;
}

async function putItems(ctx: DataContext, live: string, items: Item[]): Promise<void> {
  for (let start = 0; start < items.length; start += WRITE_ITEMS) {
    let requests = items.slice(start, start + WRITE_ITEMS).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt === ATTEMPTS) throw new Error(`DynamoDB kept leaving items of ${live} unwritten`);
      if (attempt > 0) await backOff(attempt - 1);
      const { UnprocessedItems } = await ctx.db.send(
        new BatchWriteItemCommand({ RequestItems: { [live]: requests } }),
      );
      requests = (UnprocessedItems?.[live] ?? []).flatMap(({ PutRequest }) =>
        PutRequest?.Item ? [{ PutRequest: { Item: PutRequest.Item } }] : [],
      );
    }
  }
}

/** Puts each item of the source that the live table lacks or holds otherwise; see the file's head. */
export async function restoreItems(
  ctx: DataContext,
  pccArea: string,
  options: RestoreOptions,
): Promise<Restore> {
  const live = ctx.tables[options.table];
  if (Object.values(ctx.tables).includes(options.from)) {
    throw new Error(
      `--from names the live table ${options.from}: name the table the backup was restored into`,
    );
  }
  await checkSource(ctx, options, pccArea);
  let read = 0;
  let written = 0;
  await scanAllSegments(ctx, { TableName: options.from }, async (items) => {
    read += items.length;
    const current = await liveItems(ctx, live, items);
    const changed = items.filter((item) => {
      const held = current.get(keyOf(item));
      return held === undefined || !isDeepStrictEqual(canonicalItem(held), canonicalItem(item));
    });
    if (!options.dryRun) await putItems(ctx, live, changed);
    written += changed.length;
  });
  return { read, written, unchanged: read - written };
}

async function main(): Promise<number> {
  let options: RestoreOptions & { endpoint?: string; aws: boolean };
  try {
    const { values } = parseArgs({
      options: {
        from: { type: 'string' },
        table: { type: 'string', default: 'cases' },
        'dry-run': { type: 'boolean', default: false },
        endpoint: { type: 'string' },
        aws: { type: 'boolean', default: false },
      },
    });
    const table = TABLES.find((kind) => kind === values.table);
    if (!values.from || table === undefined)
      throw new Error('--from is required; --table is cases or statistics');
    options = {
      from: values.from,
      table,
      dryRun: values['dry-run'],
      endpoint: values.endpoint,
      aws: values.aws,
    };
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  let ctx: DataContext | undefined;
  try {
    ctx = scriptDataContext(options.aws, options.endpoint);
    const area = areaConfigFromEnv();
    await checkTablesServe(ctx, area);
    const restore = await restoreItems(ctx, area.id, options);
    process.stdout.write(`${formatRestore(restore, options, ctx.tables[options.table])}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(
      `Could not restore items: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  } finally {
    ctx?.db.destroy();
  }
}

if (import.meta.main) process.exitCode = await main();

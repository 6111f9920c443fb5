// Reads the published counters and records a CSP's sign-off of its annual return. The counters are
// written by the case's counting transactions (case-store.ts) into a CSP's
// counter shards; this module only reads and sums them, and writes the row's sign-off item.
import {
  COUNTER_COLUMNS,
  type CounterColumn,
  type CspTally,
  type SignOff,
  zeroCounters,
} from '#core/counting.ts';
import { ConflictError } from '#core/errors.ts';
import type { DataContext } from '#data/data-context.ts';
import { queryAll, scanAll } from '#data/paginated-reads.ts';
import {
  areaOfPartition,
  CHANGED_AT,
  counterAttribute,
  returnKey,
  rowPartOf,
  SIGNED_OFF_AT,
  SIGNED_OFF_BY,
  yearMarkerKey,
  yearPartition,
  yearsPartition,
} from '#data/statistics-keys.ts';
import { LOST_RACE, retryOnLostRace, type TransactItem, transact } from '#data/transactions.ts';

export interface YearCounters {
  /** One tally per CSP that has a counter row for the year. */
  readonly tallies: ReadonlyMap<string, CspTally>;
  readonly signOffs: readonly SignOff[];
}

const count = (value: unknown): number => (typeof value === 'number' ? value : 0);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A reporting year's counters and sign-offs for every CSP of the area: one Query. */
export async function readYearCounters(
  ctx: DataContext,
  pccArea: string,
  year: string,
): Promise<YearCounters> {
  // A year has a few small items per CSP: one page.
  const items = await queryAll(ctx, {
    TableName: ctx.tables.statistics,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': yearPartition(pccArea, year) },
    ConsistentRead: true,
  });

  const tallies = new Map<string, CspTally>();
  const signOffs: SignOff[] = [];
  for (const item of items) {
    const { csp, part } = rowPartOf(String(item.sk));
    // A signed-off nil return has no counter shards: its row is one of zeros.
    const tally = tallies.get(csp) ?? { counts: zeroCounters(), lastChangedAt: null };
    if (part === 'return') {
      const signedOffAt = text(item[SIGNED_OFF_AT]);
      if (signedOffAt !== undefined) signOffs.push({ csp, year, at: signedOffAt });
      tallies.set(csp, tally);
      continue;
    }
    const counts = Object.fromEntries(
      COUNTER_COLUMNS.map((column) => [column, tally.counts[column] + count(item[counterAttribute(column)])]),
    ) as Record<CounterColumn, number>;
    tallies.set(csp, { counts, lastChangedAt: latest(tally.lastChangedAt, text(item[CHANGED_AT])) });
  }
  return { tallies, signOffs };
}

/** The later of two ISO-8601 UTC instants (they compare as strings). */
const latest = (a: string | null, b: string | undefined): string | null =>
  b === undefined || (a !== null && a >= b) ? a : b;

/** The reporting years with any data (cases or a sign-off), oldest first: one Query. */
export async function listYears(ctx: DataContext, pccArea: string): Promise<string[]> {
  const items = await queryAll(ctx, {
    TableName: ctx.tables.statistics,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': yearsPartition(pccArea) },
    ProjectionExpression: 'sk',
    ConsistentRead: true,
  });
  return items.map((item) => String(item.sk)).sort();
}

/**
 * The areas other than `pccArea` that the table holds counts of (a Scan of its keys: for the operators'
 * scripts, never for serving requests). A deployment's tables serve one area, so any is a script run
 * with another area's configuration.
 */
export async function otherAreasCounted(ctx: DataContext, pccArea: string): Promise<string[]> {
  const items = await scanAll(ctx, {
    TableName: ctx.tables.statistics,
    ProjectionExpression: 'pk',
    ConsistentRead: true,
  });
  const areas = new Set(items.map((item) => areaOfPartition(String(item.pk))));
  areas.delete(pccArea);
  return [...areas].sort();
}

export interface ReturnSignOff {
  readonly pccArea: string;
  readonly year: string;
  readonly csp: string;
  /** ISO-8601 UTC, the same form as the counters' `changedAt`, so the two compare as strings. */
  readonly at: string;
  /** The signing officer's subject (not their name: the statistics table holds no personal data). */
  readonly by: string;
}

/** The row's latest counter change and its current sign-off: one Query of the CSP's items. */
async function rowState(
  ctx: DataContext,
  signOff: ReturnSignOff,
): Promise<{ changedAt: string | null; signedOffAt: string | undefined }> {
  const { pk, sk } = returnKey(signOff.pccArea, signOff.year, signOff.csp);
  const items = await queryAll(ctx, {
    TableName: ctx.tables.statistics,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :csp)',
    ExpressionAttributeValues: { ':pk': pk, ':csp': `${signOff.csp}#` },
    ConsistentRead: true,
  });
  let changedAt: string | null = null;
  let signedOffAt: string | undefined;
  for (const item of items) {
    if (item.sk === sk) signedOffAt = text(item[SIGNED_OFF_AT]);
    else changedAt = latest(changedAt, text(item[CHANGED_AT]));
  }
  return { changedAt, signedOffAt };
}

/**
 * Signs off a CSP's return for a year. A row not yet signed off, or changed since it was, takes the new
 * sign-off; signing off an unchanged row again changes nothing (`changed: false`). A CSP with no
 * applications that year gets a row of zeros this way, and the year is listed.
 */
export function signOffReturn(ctx: DataContext, signOff: ReturnSignOff): Promise<{ changed: boolean }> {
  return retryOnLostRace(
    async (): Promise<{ changed: boolean } | typeof LOST_RACE> => {
      // The latest change is spread over the counter shards, so it is read first; the write then only
      // goes ahead if no other sign-off came in between (else, or on a write to the year marker at the
      // same moment, it is read again).
      const { changedAt, signedOffAt } = await rowState(ctx, signOff);
      const unchanged = signedOffAt !== undefined && (changedAt === null || changedAt <= signedOffAt);
      if (unchanged) return { changed: false };
      return (await transact(ctx, signOffItems(ctx, signOff, signedOffAt))) ? { changed: true } : LOST_RACE;
    },
    () => {
      throw new ConflictError('The return was being signed off by someone else at the same time. Try again.');
    },
  );
}

function signOffItems(
  ctx: DataContext,
  signOff: ReturnSignOff,
  previous: string | undefined,
): TransactItem[] {
  return [
    {
      Update: {
        TableName: ctx.tables.statistics,
        Key: returnKey(signOff.pccArea, signOff.year, signOff.csp),
        UpdateExpression: 'SET #signedOffAt = :at, #signedOffBy = :by',
        ConditionExpression:
          previous === undefined ? 'attribute_not_exists(#signedOffAt)' : '#signedOffAt = :previous',
        ExpressionAttributeNames: { '#signedOffAt': SIGNED_OFF_AT, '#signedOffBy': SIGNED_OFF_BY },
        ExpressionAttributeValues: {
          ':at': signOff.at,
          ':by': signOff.by,
          ...(previous === undefined ? {} : { ':previous': previous }),
        },
      },
    },
    {
      Update: {
        TableName: ctx.tables.statistics,
        Key: yearMarkerKey(signOff.pccArea, signOff.year),
        UpdateExpression: 'SET #year = if_not_exists(#year, :year)',
        ExpressionAttributeNames: { '#year': 'year' },
        ExpressionAttributeValues: { ':year': signOff.year },
      },
    },
  ];
}

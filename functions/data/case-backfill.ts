// Brings a case stored by an earlier version up to what this version writes with a case, so that it is
// found and counted like any other: its SEARCH# items and the worklist's listing (written with a
// submission since f310f28), the case item's lookup key (its CSP's unassigned list), and the
// `withdrawnBeforeEither` counter (core/counting.ts). Each case is one transaction, written with the
// code that writes these with a case and conditional on the version read (the case item moves on to the
// next version, as an assignment does, so a workflow step that read it before writes nothing over it),
// so running the backfill again, or at the same time as the service, changes nothing more.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AreaConfig } from '#core/area-config.ts';
import type { CaseRecord } from '#core/case-record.ts';
import { caseFactsOf } from '#core/case-transitions.ts';
import { caseCounters } from '#core/counting.ts';
import { caseSearchTerms } from '#core/search-terms.ts';
import {
  assignmentLookupKey,
  CASE_SK,
  type CaseInternals,
  caseInternalsOf,
  caseItem,
  caseKey,
  casePk,
  caseRecordOf,
  SEARCH_PREFIX,
} from '#data/case-items.ts';
import { caseListing, getApplicant, searchItemPuts } from '#data/case-store.ts';
import type { DataContext } from '#data/data-context.ts';
import { CaseNotFoundError } from '#data/errors.ts';
import { queryAll, scanAll } from '#data/paginated-reads.ts';
import { counterKey } from '#data/statistics-keys.ts';
import {
  caseKeptChanging,
  isConditionFailure,
  isTransactionConflict,
  LOST_RACE,
  retryOnLostRace,
  type TransactItem,
} from '#data/transactions.ts';

/** What the backfill added to one case; all false or 0 when it lacked nothing. */
export interface CaseBackfill {
  readonly searchItems: number;
  readonly listing: boolean;
  readonly lookupKey: boolean;
  readonly withdrawnBeforeEither: boolean;
}

const NOTHING: CaseBackfill = {
  searchItems: 0,
  listing: false,
  lookupKey: false,
  withdrawnBeforeEither: false,
};

/** The case item as stored (strongly consistent), with the lookup key it has, if any. */
async function readCaseItem(ctx: DataContext, reference: string) {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: caseKey(reference), ConsistentRead: true }),
  );
  if (Item === undefined) throw new CaseNotFoundError(reference);
  return { record: caseRecordOf(Item), internals: caseInternalsOf(Item), lookupKey: Item.lookupKey };
}

async function storedSearchItems(ctx: DataContext, reference: string): Promise<Set<string>> {
  const items = await queryAll(ctx, {
    TableName: ctx.tables.cases,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :search)',
    ExpressionAttributeValues: { ':pk': casePk(reference), ':search': SEARCH_PREFIX },
    ProjectionExpression: 'sk',
    ConsistentRead: true,
  });
  return new Set(items.map((item) => String(item.sk)));
}

/** The case item with what it lacks, or undefined when it lacks nothing. */
function completedCase(
  area: AreaConfig,
  read: { readonly record: CaseRecord; readonly internals: CaseInternals; readonly lookupKey: unknown },
  listing: CaseInternals['listing'],
) {
  const { record, internals } = read;
  const counted = caseCounters(caseFactsOf(record), area.reportingYear);
  const addsWithdrawn =
    counted.includes('withdrawnBeforeEither') && !record.counted.includes('withdrawnBeforeEither');
  const addsListing = internals.listing === undefined && listing !== undefined;
  const addsLookupKey = read.lookupKey !== assignmentLookupKey(record.csp, internals.assignee?.sub ?? null);
  if (!addsWithdrawn && !addsListing && !addsLookupKey) return undefined;
  return {
    addsWithdrawn,
    addsListing,
    addsLookupKey,
    item: caseItem(
      {
        ...record,
        counted: addsWithdrawn ? [...record.counted, 'withdrawnBeforeEither'] : record.counted,
        version: record.version + 1,
      },
      addsListing ? { ...internals, listing } : internals,
    ),
  };
}

/** Adds what one case lacks (see above), in one transaction; NOTHING when it lacks nothing. */
export function backfillCase(ctx: DataContext, area: AreaConfig, reference: string): Promise<CaseBackfill> {
  return retryOnLostRace(async (): Promise<CaseBackfill | typeof LOST_RACE> => {
    const [read, applicant, stored] = await Promise.all([
      readCaseItem(ctx, reference),
      getApplicant(ctx, reference),
      storedSearchItems(ctx, reference),
    ]);
    const { record } = read;
    const missing = (applicant ? caseSearchTerms(applicant) : []).filter(
      (term) => !stored.has(`${SEARCH_PREFIX}${term}`),
    );
    const completed = completedCase(area, read, applicant && caseListing(applicant));
    if (missing.length === 0 && completed === undefined) return NOTHING;
    const items: TransactItem[] = [];
    if (completed !== undefined) {
      items.push({
        Put: {
          TableName: ctx.tables.cases,
          Item: completed.item,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': record.version },
        },
      });
      if (completed.addsWithdrawn) {
        // Not a published count: the row's changedAt (when a published count last moved) stays.
        items.push({
          Update: {
            TableName: ctx.tables.statistics,
            Key: counterKey(area.id, record.reportingYear, record.csp, reference),
            UpdateExpression: 'ADD #withdrawn :one',
            ExpressionAttributeNames: { '#withdrawn': 'withdrawnBeforeEither' },
            ExpressionAttributeValues: { ':one': 1 },
          },
        });
      }
    }
    items.push(...searchItemPuts(ctx, area, reference, missing, record.expiresAt));
    try {
      await ctx.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (isConditionFailure(error, 0) || isTransactionConflict(error)) return LOST_RACE;
      throw error;
    }
    return {
      searchItems: missing.length,
      listing: completed?.addsListing ?? false,
      lookupKey: completed?.addsLookupKey ?? false,
      withdrawnBeforeEither: completed?.addsWithdrawn ?? false,
    };
  }, caseKeptChanging(reference));
}

/** What the backfill of every case added. */
export interface Backfill {
  readonly cases: number;
  /** The cases it wrote to. */
  readonly changed: number;
  readonly searchItems: number;
  readonly listings: number;
  readonly lookupKeys: number;
  readonly withdrawnBeforeEither: number;
}

// Cases brought up to date at once: enough to overlap the reads' round trips, few enough to leave
// the table's capacity to the service.
const AT_ONCE = 4;

/**
 * Backfills every case of the table (a Scan of the case items' keys: for tools, never for serving
 * requests), AT_ONCE at a time.
 */
export async function backfillCases(ctx: DataContext, area: AreaConfig): Promise<Backfill> {
  const keys = await scanAll(ctx, {
    TableName: ctx.tables.cases,
    FilterExpression: 'sk = :case',
    ExpressionAttributeValues: { ':case': CASE_SK },
    ProjectionExpression: '#reference',
    ExpressionAttributeNames: { '#reference': 'reference' },
    ConsistentRead: true,
  });
  const references = keys.map((key) => String(key.reference));
  const done: CaseBackfill[] = [];
  for (let start = 0; start < references.length; start += AT_ONCE) {
    const batch = references.slice(start, start + AT_ONCE);
    done.push(...(await Promise.all(batch.map((reference) => backfillCase(ctx, area, reference)))));
  }
  const count = (added: (one: CaseBackfill) => boolean) => done.filter(added).length;
  return {
    cases: references.length,
    changed: count((one) => one !== NOTHING),
    searchItems: done.reduce((sum, one) => sum + one.searchItems, 0),
    listings: count((one) => one.listing),
    lookupKeys: count((one) => one.lookupKey),
    withdrawnBeforeEither: count((one) => one.withdrawnBeforeEither),
  };
}

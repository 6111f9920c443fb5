// The worklists: a CSP's, an agency's or the PCC office's cases, oldest deadline first, read from the
// cases table's worklist indexes (never a scan); the search by name, postcode or reference; and the
// CSP's cases an officer may link.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '#core/case-record.ts';
import type { Agency } from '#core/schemas.ts';
import type { SearchTerm } from '#core/search-terms.ts';
import type { CaseStage } from '#core/stages.ts';
import {
  type Assignee,
  assignmentLookupKey,
  type CaseListing,
  CLOSED_SORT,
  caseKey,
  searchLookupKey,
} from '#data/case-items.ts';
import type { DataContext } from '#data/data-context.ts';
import { InvalidCursorError } from '#data/errors.ts';
import { batchGetItems, queryAll } from '#data/paginated-reads.ts';
import { INDEX_BY_CSP, INDEX_BY_CSP_STAGE, INDEX_BY_LOOKUP, INDEX_BY_PCC } from '#data/table-specs.ts';

/** Whose worklist: an officer's CSP, an agency's cases shared with it in its CSP, or the PCC's referrals. */
export type WorklistScope =
  | { readonly kind: 'csp'; readonly csp: string }
  | { readonly kind: 'agency'; readonly csp: string; readonly agency: string }
  | { readonly kind: 'pcc'; readonly pccArea: string };

export interface WorklistQuery {
  readonly scope: WorklistScope;
  /** Only cases at this stage; without it, every open case. `closed` lists closed cases, last closed last. */
  readonly stage?: CaseStage;
  /** A CSP's cases assigned to this officer (by `sub`), or not assigned (`null`). Not for the PCC's office. */
  readonly assignedTo?: string | null;
  /**
   * Only the entries this keeps (the overdue ones, as the viewer's worklist flags them): a rule of the
   * domain the index's key cannot hold, applied to each case read, as DynamoDB's filters are.
   */
  readonly keep?: (entry: WorklistEntry) => boolean;
  /** Only cases shared with this agency (asked for information, or owning an action). */
  readonly sharedWith?: Agency;
  /** The PCC's office: only this CSP's referrals. */
  readonly csp?: string;
  readonly limit: number;
  /** The `lastEvaluatedKey` of the previous page. A key the query did not issue raises InvalidCursorError. */
  readonly startKey?: Record<string, unknown>;
}

export interface WorklistEntry {
  readonly reference: string;
  readonly csp: string;
  readonly stage: CaseStage;
  readonly receivedAt: string;
  /** Null for a closed case. */
  readonly nextDeadline: string | null;
  /** Its workflow stopped while it was open and the reconciler resumed it (data/case-attention.ts). */
  readonly needsAttention: boolean;
  /** How the application came in (online, phone, letter, ...). */
  readonly channel: string;
  /** The applicant's name and postcode (null for a case stored before the worklist showed them). */
  readonly applicantName: string | null;
  readonly postcode: string | null;
  /** The officer the case is assigned to, or null. */
  readonly assignedTo: Assignee | null;
  /** When the review meeting was last arranged for, or null: the worklist shows it while it is ahead. */
  readonly meetingAt: string | null;
  /** The dates the agencies asked are to reply by, and the review cycle they were asked in. */
  readonly repliesDue: CaseRecord['repliesDue'];
  readonly cycle: number;
  /** While the case waits for its plan's actions, each owner's next action due. */
  readonly actionsDueBy: CaseRecord['actionsDueBy'];
  /** While the case awaits its review, the agencies asked that have not responded, with their dates. */
  readonly repliesAwaited: CaseRecord['repliesAwaited'];
}

export interface WorklistPage {
  /**
   * Oldest deadline first. A filtered page (an agency's, one agency asked, the PCC's of one CSP, the overdue) is filled
   * from up to FILTERED_READS reads of the index, so it may still hold fewer than `limit` when more follow.
   */
  readonly cases: readonly WorklistEntry[];
  readonly lastEvaluatedKey?: Record<string, unknown>;
}

const ENTRY_NAMES = {
  '#reference': 'reference',
  '#csp': 'csp',
  '#stage': 'stage',
  '#receivedAt': 'receivedAt',
  '#nextDeadline': 'nextDeadline',
  '#needsAttention': 'needsAttention',
  '#channel': 'channel',
  '#listing': 'listing',
  '#assignee': 'assignee',
  '#meetingAt': 'meetingAt',
  '#repliesDue': 'repliesDue',
  '#cycle': 'cycle',
  '#actionsDueBy': 'actionsDueBy',
  '#repliesAwaited': 'repliesAwaited',
};
const ENTRY_PROJECTION = Object.keys(ENTRY_NAMES).join(', ');
/** The cases table's key and the worklist indexes' keys: a filtered page's cursor is built from them. */
const KEY_NAMES = {
  '#pk': 'pk',
  '#sk': 'sk',
  '#deadlineKey': 'deadlineKey',
  '#cspStage': 'cspStage',
  '#pccQueue': 'pccQueue',
  '#lookupKey': 'lookupKey',
};
const KEY_PROJECTION = Object.keys(KEY_NAMES).join(', ');

/**
 * How many reads of the index fill one filtered page at most: DynamoDB filters after reading `limit`
 * items, so an agency's first page of a CSP's 50 cases held only the few shared with it, the rest of its
 * cases pages away behind "Next page".
 */
const FILTERED_READS = 10;
/** How many items each of those reads looks at, at least: a small page is not left empty by a run of others. */
const FILTERED_READ_ITEMS = 100;

function entryOf(item: Record<string, unknown>): WorklistEntry {
  const listing = item.listing as CaseListing | undefined;
  const assignee = item.assignee as Assignee | undefined;
  return {
    reference: item.reference as string,
    csp: item.csp as string,
    stage: item.stage as CaseStage,
    receivedAt: item.receivedAt as string,
    nextDeadline: (item.stage === 'closed' ? null : (item.nextDeadline as string | null)) ?? null,
    needsAttention: typeof item.needsAttention === 'object' && item.needsAttention !== null,
    channel: String(item.channel ?? ''),
    applicantName: listing?.applicantName ?? null,
    postcode: listing?.postcode ?? null,
    assignedTo: assignee ? { sub: assignee.sub, name: assignee.name } : null,
    meetingAt: typeof item.meetingAt === 'string' ? item.meetingAt : null,
    repliesDue: (item.repliesDue as CaseRecord['repliesDue'] | undefined) ?? null,
    cycle: typeof item.cycle === 'number' ? item.cycle : 1,
    actionsDueBy: (item.actionsDueBy as CaseRecord['actionsDueBy'] | undefined) ?? null,
    repliesAwaited: (item.repliesAwaited as CaseRecord['repliesAwaited'] | undefined) ?? null,
  };
}

/**
 * Which index answers the query, and its key condition: one index for every combination of filters;
 * what the key cannot say (a stage of one's own cases, an agency, the PCC's one CSP) is filtered after reading.
 */
function keyConditionOf(query: WorklistQuery, values: Record<string, unknown>, filters: string[]) {
  const { scope, stage } = query;
  // Open cases sort before CLOSED_SORT.
  const upTo = () => {
    values[':upTo'] = CLOSED_SORT;
    return ' AND deadlineKey < :upTo';
  };
  const stageFilter = () => {
    if (stage === undefined) return upTo();
    filters.push('#stage = :stage');
    values[':stage'] = stage;
    return '';
  };
  if (scope.kind === 'pcc') {
    values[':partition'] = scope.pccArea;
    if (query.csp !== undefined) {
      filters.push('#csp = :csp');
      values[':csp'] = query.csp;
    }
    return {
      index: INDEX_BY_PCC,
      partition: 'pccQueue',
      keyCondition: `pccQueue = :partition${stageFilter()}`,
    };
  }
  if (query.assignedTo !== undefined) {
    values[':partition'] = assignmentLookupKey(scope.csp, query.assignedTo);
    return {
      index: INDEX_BY_LOOKUP,
      partition: 'lookupKey',
      keyCondition: `lookupKey = :partition${stageFilter()}`,
    };
  }
  if (stage === undefined) {
    values[':partition'] = scope.csp;
    return { index: INDEX_BY_CSP, partition: 'csp', keyCondition: `#csp = :partition${upTo()}` };
  }
  values[':partition'] = `${scope.csp}#${stage}`;
  return { index: INDEX_BY_CSP_STAGE, partition: 'cspStage', keyCondition: 'cspStage = :partition' };
}

export async function queryWorklist(ctx: DataContext, query: WorklistQuery): Promise<WorklistPage> {
  const { scope } = query;
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  const { index, partition, keyCondition } = keyConditionOf(query, values, filters);
  const agency = scope.kind === 'agency' ? scope.agency : query.sharedWith;
  if (agency !== undefined) {
    filters.push('contains(sharedWith, :agency)');
    values[':agency'] = agency;
  }
  const filtered = filters.length > 0 || query.keep !== undefined;
  const kept: { readonly item: Record<string, unknown>; readonly entry: WorklistEntry }[] = [];
  let startKey = query.startKey;
  try {
    for (let read = 1; ; read += 1) {
      const page = await ctx.db.send(
        new QueryCommand({
          TableName: ctx.tables.cases,
          IndexName: index,
          KeyConditionExpression: keyCondition,
          ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
          ...(filtered
            ? {
                ProjectionExpression: `${ENTRY_PROJECTION}, ${KEY_PROJECTION}`,
                ExpressionAttributeNames: { ...ENTRY_NAMES, ...KEY_NAMES },
              }
            : { ProjectionExpression: ENTRY_PROJECTION, ExpressionAttributeNames: ENTRY_NAMES }),
          ExpressionAttributeValues: values,
          Limit: filtered ? Math.max(query.limit, FILTERED_READ_ITEMS) : query.limit,
          ExclusiveStartKey: startKey,
        }),
      );
      const items = page.Items ?? [];
      let looked = 0;
      for (const item of items) {
        if (kept.length === query.limit) break;
        looked += 1;
        const entry = entryOf(item);
        if (query.keep === undefined || query.keep(entry)) kept.push({ item, entry });
      }
      // The page filled before the read's end: the next page starts after the last case listed.
      startKey =
        looked < items.length
          ? indexKeyOf((kept.at(-1) as (typeof kept)[number]).item, partition)
          : page.LastEvaluatedKey;
      if (!filtered || kept.length >= query.limit || !startKey || read === FILTERED_READS) break;
    }
  } catch (error) {
    if (query.startKey !== undefined && isValidationError(error))
      throw new InvalidCursorError({ cause: error });
    throw error;
  }
  return { cases: kept.map(({ entry }) => entry), ...(startKey && { lastEvaluatedKey: startKey }) };
}

/** An item's key in the index read (the table's key and the index's), as DynamoDB's LastEvaluatedKey gives it. */
function indexKeyOf(item: Record<string, unknown>, partition: string): Record<string, unknown> {
  return { pk: item.pk, sk: item.sk, [partition]: item[partition], deadlineKey: item.deadlineKey };
}

/** Whose cases a search may find: the worklist's scope. */
export interface CaseSearch {
  readonly scope: WorklistScope;
  /** The police area the search terms were written for. */
  readonly pccArea: string;
  /** Every term must match (core/search-terms.ts). */
  readonly terms: readonly SearchTerm[];
  /** A reference, found by its key. */
  readonly reference?: string;
}

/**
 * The cases of the scope that match every term, or the reference: a Query of the lookup index per
 * term, then the matching case items by key, oldest deadline first.
 */
export async function searchCases(ctx: DataContext, search: CaseSearch): Promise<WorklistEntry[]> {
  let references: string[] | undefined = search.reference === undefined ? undefined : [search.reference];
  for (const term of search.terms) {
    if (references?.length === 0) break;
    const found = await queryAll(ctx, {
      TableName: ctx.tables.cases,
      IndexName: INDEX_BY_LOOKUP,
      KeyConditionExpression: 'lookupKey = :term',
      ProjectionExpression: 'deadlineKey',
      ExpressionAttributeValues: { ':term': searchLookupKey(search.pccArea, term) },
    });
    const matching = new Set(found.map((item) => item.deadlineKey as string));
    references = references === undefined ? [...matching] : references.filter((ref) => matching.has(ref));
  }
  if (references === undefined || references.length === 0) return [];
  const items = await batchGetItems(
    ctx,
    references.map((reference) => caseKey(reference)),
    {
      names: {
        ...ENTRY_NAMES,
        '#sharedWith': 'sharedWith',
        '#referral': 'referral',
        '#deadlineKey': 'deadlineKey',
      },
    },
  );
  const { scope } = search;
  const inScope = (item: Record<string, unknown>) => {
    if (scope.kind === 'pcc') return item.referral !== null && item.referral !== undefined;
    if (item.csp !== scope.csp) return false;
    return (
      scope.kind !== 'agency' || ((item.sharedWith as string[] | undefined) ?? []).includes(scope.agency)
    );
  };
  return items
    .filter(inScope)
    .sort((a, b) => String(a.deadlineKey).localeCompare(String(b.deadlineKey)))
    .map(entryOf);
}

function isValidationError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationException';
}

/** A case as the search for linkable cases reads it from the worklist index. */
export interface CaseSummary {
  readonly reference: string;
  readonly stage: CaseStage;
  readonly receivedAt: string;
  /** First and last day an incident happened. */
  readonly incidentDates: { readonly from: string; readonly to: string };
}

/**
 * The CSP's open cases and those closed since `closedSince` (an ISO instant): two Queries of the
 * worklist index, never a scan. The index is eventually consistent: a case entered a moment ago may
 * be missing.
 */
export async function cspCases(ctx: DataContext, csp: string, closedSince: string): Promise<CaseSummary[]> {
  const query = (condition: string, values: Record<string, string>) =>
    queryAll(ctx, {
      TableName: ctx.tables.cases,
      IndexName: INDEX_BY_CSP,
      KeyConditionExpression: `#csp = :csp AND ${condition}`,
      ProjectionExpression: '#reference, #stage, receivedAt, incidentDates',
      ExpressionAttributeNames: { '#csp': 'csp', '#reference': 'reference', '#stage': 'stage' },
      ExpressionAttributeValues: { ':csp': csp, ...values },
    });
  const items = [
    ...(await query('deadlineKey < :closed', { ':closed': CLOSED_SORT })),
    ...(await query('deadlineKey BETWEEN :from AND :to', {
      ':from': `${CLOSED_SORT}#${closedSince}`,
      ':to': `${CLOSED_SORT}#~`,
    })),
  ];
  return items.map((item) => ({
    reference: item.reference as string,
    stage: item.stage as CaseStage,
    receivedAt: item.receivedAt as string,
    incidentDates: item.incidentDates as CaseSummary['incidentDates'],
  }));
}

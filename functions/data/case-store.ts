// The case item (no personal data) and the applicant's item beside it: a case's submission (with its
// count), its reads, and the conditional write that moves it from one state to the next with its
// counters. What is recorded on the case (decisions, waits, reminders, links, closure) is written by the
// modules named after it, each through these.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AreaConfig } from '#core/area-config.ts';
import type {
  Actor,
  AgencyResponseRecord,
  ApplicantRecord,
  AuditEntry,
  CaseRecord,
  RecordedAction,
  TimelineEvent,
} from '#core/case-record.ts';
import { caseFactsOf, FIRST_CYCLE, receivedCase, type Transition } from '#core/case-transitions.ts';
import { countChanges, isCountColumn } from '#core/counting.ts';
import type { Application } from '#core/schemas.ts';
import { caseSearchTerms, type SearchTerm } from '#core/search-terms.ts';
import {
  type AccessCodeHashes,
  accessCodeHashesOf,
  acknowledgedWithCodeIn,
  getAccessItem,
  isAccessItem,
} from '#data/access-codes.ts';
import { type EvidenceRecord, evidenceCountOf, evidenceFilesOf } from '#data/case-evidence.ts';
import {
  ACTION_PREFIX,
  APPLICANT_SK,
  type Assignee,
  AUDIT_PREFIX,
  accessKey,
  actionKey,
  applicantKey,
  CASE_SK,
  type CaseInternals,
  type CaseListing,
  caseInternalsOf,
  caseItem,
  caseKey,
  casePk,
  caseRecordOf,
  EARLIER_AUDIT_PREFIX,
  EVENT_PREFIX,
  LINKS_SK,
  linksKey,
  NOTE_PREFIX,
  RESPONSE_PREFIX,
  REVIEW_SK,
  recordOf,
  reviewKey,
  searchKey,
  searchLookupKey,
} from '#data/case-items.ts';
import { type StoredReview, storedReviewOf } from '#data/case-review-records.ts';
import { eventPut } from '#data/case-timeline.ts';
import type { CaseNote } from '#data/case-work.ts';
import type { DataContext } from '#data/data-context.ts';
import { CaseNotFoundError } from '#data/errors.ts';
import { batchGetItems, queryAll } from '#data/paginated-reads.ts';
import { counterKey, yearMarkerKey } from '#data/statistics-keys.ts';
import {
  caseKeptChanging,
  isConditionFailure,
  isTransactionConflict,
  LOST_RACE,
  retryOnLostRace,
  type TransactItem,
} from '#data/transactions.ts';

export interface NewCase {
  /** From the API (e.g. `SEF-7K3M-Q9XD`); a taken one raises ReferenceTakenError. */
  readonly reference: string;
  /** SHA-256 (hex) of the access code, which is never stored. */
  readonly accessCodeHash: string;
  /** The validated application: its `channel` and `receivedAt` are set (the server's time online). */
  readonly application: Application;
  /** The applicant online, or the officer who entered a phone call, letter, email or visit. */
  readonly enteredBy: Actor;
  /** The server's clock: when the case is entered in the service. */
  readonly now: Date;
  /**
   * The submission's idempotency record (data/idempotency.ts), written with the case: a live record of
   * the same key raises KeySubmittedError and nothing is written.
   */
  readonly submissionRecord?: TransactItem;
}

export class ReferenceTakenError extends Error {
  readonly reference: string;

  constructor(reference: string, options?: ErrorOptions) {
    super(`The reference ${reference} is already taken`, options);
    this.name = 'ReferenceTakenError';
    this.reference = reference;
  }
}

/** A submission with the same idempotency key created its case first. */
export class KeySubmittedError extends Error {
  constructor(options?: ErrorOptions) {
    super('A submission with this idempotency key was stored already', options);
    this.name = 'KeySubmittedError';
  }
}

/**
 * The year markers this process has stored, by client then `table#area#year`. A marker never changes or
 * goes, so once written it need not be written again; a cold cache only writes one more item.
 */
const storedYearMarkers = new WeakMap<DataContext['db'], Set<string>>();

/** What the worklist shows of the applicant, kept on the case item. */
export const caseListing = (applicant: Pick<ApplicantRecord, 'applicant'>): CaseListing => ({
  applicantName: applicant.applicant.name,
  postcode: applicant.applicant.postcode,
});

/**
 * The case's SEARCH# items for `terms` (core/search-terms.ts, caseSearchTerms), as a submission writes
 * them and the backfill (case-backfill.ts) adds them to a case stored before them; a closed case's carry
 * its retention time.
 */
export function searchItemPuts(
  ctx: DataContext,
  area: AreaConfig,
  reference: string,
  terms: readonly SearchTerm[],
  expiresAt: number | null = null,
): TransactItem[] {
  return terms.map((term) => ({
    Put: {
      TableName: ctx.tables.cases,
      Item: {
        ...searchKey(reference, term),
        lookupKey: searchLookupKey(area.id, term),
        deadlineKey: reference,
        ...(expiresAt !== null && { expiresAt }),
      },
    },
  }));
}

/**
 * Stores a new application, stage `received`, and counts it in `applicationsReceived` of the year of
 * receipt: in ONE transaction (case item, APPLICANT item, the counter, the year marker unless this
 * process has stored it already, the first timeline event and an item per search term), so a case is
 * never stored uncounted, counted twice or out of reach of a search.
 * Throws ReferenceTakenError when the reference exists (generate another and call again).
 */
export async function createCase(ctx: DataContext, area: AreaConfig, input: NewCase): Promise<CaseRecord> {
  const { record, applicant, event: received } = receivedCase(area, input);
  const { reference } = record;
  const at = received.at;
  const year = record.reportingYear;
  const markers = storedYearMarkers.get(ctx.db) ?? new Set<string>();
  storedYearMarkers.set(ctx.db, markers);
  const marker = `${ctx.tables.statistics}#${area.id}#${year}`;
  const submission = new TransactWriteCommand({
    TransactItems: [
      {
        Put: {
          TableName: ctx.tables.cases,
          Item: caseItem(record, { accessCodeHash: input.accessCodeHash, listing: caseListing(applicant) }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: ctx.tables.cases,
          Item: { ...applicantKey(reference), ...applicant },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: ctx.tables.statistics,
          Key: counterKey(area.id, year, record.csp, reference),
          UpdateExpression: 'ADD #column :one SET #changedAt = :now',
          ExpressionAttributeNames: { '#column': 'applicationsReceived', '#changedAt': 'changedAt' },
          ExpressionAttributeValues: { ':one': 1, ':now': at },
        },
      },
      eventPut(ctx, reference, received, 'v1'),
      ...(markers.has(marker)
        ? []
        : [{ Put: { TableName: ctx.tables.statistics, Item: { ...yearMarkerKey(area.id, year), year } } }]),
      ...searchItemPuts(ctx, area, reference, caseSearchTerms(input.application)),
      // Last, so that its index in the cancellation reasons is known.
      ...(input.submissionRecord ? [input.submissionRecord] : []),
    ],
  });
  const recordIndex = (submission.input.TransactItems?.length ?? 0) - 1;
  return retryOnLostRace(async () => {
    try {
      await ctx.db.send(submission);
      markers.add(marker);
      return record;
    } catch (error) {
      if (input.submissionRecord && isConditionFailure(error, recordIndex)) {
        throw new KeySubmittedError({ cause: error });
      }
      if (isConditionFailure(error, 0)) throw new ReferenceTakenError(reference, { cause: error });
      // Submissions of a CSP and year share a few counter shards: concurrent ones may still conflict.
      if (isTransactionConflict(error)) return LOST_RACE;
      throw error;
    }
  }, caseKeptChanging(reference));
}

/** The stored case item, or undefined. */
async function getCaseItem(ctx: DataContext, reference: string, consistent: boolean) {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: caseKey(reference), ConsistentRead: consistent }),
  );
  return Item;
}

/** The case item (no personal data), or undefined. Strongly consistent unless asked otherwise. */
export async function getCase(
  ctx: DataContext,
  reference: string,
  options: { readonly consistent?: boolean } = {},
): Promise<CaseRecord | undefined> {
  const item = await getCaseItem(ctx, reference, options.consistent ?? true);
  return item ? caseRecordOf(item) : undefined;
}

/** The case item and the hashes of its access codes (two reads at once): for the applicant's actions. */
export async function getCaseForAccess(
  ctx: DataContext,
  reference: string,
): Promise<({ readonly case: CaseRecord } & AccessCodeHashes) | undefined> {
  const [item, accessItem] = await Promise.all([
    getCaseItem(ctx, reference, true),
    getAccessItem(ctx, reference),
  ]);
  return item
    ? {
        case: caseRecordOf(item),
        ...accessCodeHashesOf(caseInternalsOf(item).accessCodeHash, accessItem),
      }
    : undefined;
}

/** The case item and what it keeps besides the record, strongly consistent: for a conditional write. */
export async function readCase(
  ctx: DataContext,
  reference: string,
): Promise<{ record: CaseRecord; internals: CaseInternals }> {
  const item = await getCaseItem(ctx, reference, true);
  if (item === undefined) throw new CaseNotFoundError(reference);
  return { record: caseRecordOf(item), internals: caseInternalsOf(item) };
}

/** The application's personal data, or undefined. */
export async function getApplicant(
  ctx: DataContext,
  reference: string,
): Promise<ApplicantRecord | undefined> {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: applicantKey(reference), ConsistentRead: true }),
  );
  return Item ? recordOf<ApplicantRecord>(Item) : undefined;
}

/**
 * The personal data of several applications, in the order asked, leaving out those not found: a
 * BatchGetItem per 100, not a read each (route B may link many cases).
 */
export async function getApplicants(
  ctx: DataContext,
  references: readonly string[],
): Promise<ApplicantRecord[]> {
  const items = await batchGetItems(
    ctx,
    references.map((reference) => applicantKey(reference)),
  );
  const found = new Map(items.map((item) => [item.pk as string, recordOf<ApplicantRecord>(item)]));
  return references.flatMap((reference) => found.get(applicantKey(reference).pk) ?? []);
}

/** What a case's first step (the workflow's AssessThreshold) works from, read at once. */
export interface FirstStepReads {
  readonly record: CaseRecord;
  readonly internals: CaseInternals;
  /** Written once, with the case, and never changed. */
  readonly applicant: ApplicantRecord;
  /** Its pointer to its link group (data/case-links.ts), undefined while the case is alone. */
  readonly linksPointer: Record<string, unknown> | undefined;
  readonly review: StoredReview;
  /** The acknowledgement went out with the access code at submission (access-codes.ts). */
  readonly acknowledgedWithCode: boolean;
  /**
   * The threshold decision recorded in the case's first cycle, if any (recorded actions are keyed by
   * kind and cycle, so while the case is in that cycle this is the only place for one).
   */
  readonly firstCycleThresholdDecision: RecordedAction | undefined;
}

/**
 * The case item, the applicant's, the links pointer, the review's records, the access item and the
 * first cycle's threshold decision in one strongly consistent read (a BatchGetItem on every case's
 * first step, instead of a read each); undefined when the case or its applicant is not stored.
 */
export async function readForFirstStep(
  ctx: DataContext,
  reference: string,
): Promise<FirstStepReads | undefined> {
  const items = await batchGetItems(ctx, [
    caseKey(reference),
    applicantKey(reference),
    linksKey(reference),
    reviewKey(reference),
    accessKey(reference),
    actionKey(reference, 'threshold-decision', FIRST_CYCLE),
  ]);
  const item = (sk: string) => items.find((found) => found.sk === sk);
  const decision = item(actionKey(reference, 'threshold-decision', FIRST_CYCLE).sk);
  const caseItem = item(CASE_SK);
  const applicantItem = item(APPLICANT_SK);
  if (caseItem === undefined || applicantItem === undefined) return undefined;
  const applicant = recordOf<ApplicantRecord>(applicantItem);
  return {
    record: caseRecordOf(caseItem),
    internals: caseInternalsOf(caseItem),
    applicant,
    linksPointer: item(LINKS_SK),
    review: storedReviewOf(item(REVIEW_SK), applicant),
    acknowledgedWithCode: acknowledgedWithCodeIn(items.find((found) => isAccessItem(found))),
    firstCycleThresholdDecision: decision && recordOf<RecordedAction>(decision),
  };
}

/** Several case items, in the order asked, leaving out those not found. */
export async function getCases(ctx: DataContext, references: readonly string[]): Promise<CaseRecord[]> {
  const items = await batchGetItems(
    ctx,
    references.map((reference) => caseKey(reference)),
  );
  const found = new Map(items.map((item) => [item.pk as string, caseRecordOf(item)]));
  return references.flatMap((reference) => found.get(casePk(reference)) ?? []);
}

/** What is stored about one case, from one Query (the hashes for `accessCodeMatches`: never show them). */
export interface CaseView extends AccessCodeHashes {
  readonly case: CaseRecord;
  readonly applicant: ApplicantRecord;
  /** Oldest first. */
  readonly timeline: readonly TimelineEvent[];
  /** Oldest first; empty unless asked for (`loadCaseView`). */
  readonly audit: readonly AuditEntry[];
  readonly responses: readonly AgencyResponseRecord[];
  readonly actions: readonly RecordedAction[];
  /** The case review's records (contact, involvement, ...). */
  readonly review: StoredReview;
  /** The case's evidence files, oldest first, whatever their verdict. */
  readonly evidence: readonly EvidenceRecord[];
  /** How many of them count against the case's 30 (a form's place for a file counts once its file arrives). */
  readonly evidenceCount: number;
  /** The officer the case is assigned to, or null. */
  readonly assignee: Assignee | null;
  /** Staff's internal notes, oldest first. */
  readonly notes: readonly CaseNote[];
}

// Every item after the audit items (`#AUDIT#...`, first in the partition): from `#AUDIT$` on ('$' is
// the character after '#').
const AFTER_AUDIT = `${AUDIT_PREFIX.slice(0, -1)}$`;

/**
 * The case, its applicant, timeline, agency responses, recorded actions, review records and, when
 * `include.audit`, its audit trail; undefined when unknown. One Query: only staff see the audit trail,
 * and every staff read adds to it, so the others' read is the key range after the audit items (a filter
 * would still read them); a case's audit items from before they sorted first (EARLIER_AUDIT_PREFIX) are
 * in that range, read but left out, and no more are added.
 */
export async function loadCaseView(
  ctx: DataContext,
  reference: string,
  include: { readonly audit: boolean } = { audit: true },
): Promise<CaseView | undefined> {
  const items = await queryAll(ctx, {
    TableName: ctx.tables.cases,
    KeyConditionExpression: include.audit ? 'pk = :pk' : 'pk = :pk AND sk >= :after',
    ExpressionAttributeValues: { ':pk': casePk(reference), ...(!include.audit && { ':after': AFTER_AUDIT }) },
    ConsistentRead: true,
  });
  const caseItemFound = items.find((item) => item.sk === CASE_SK);
  const applicantItem = items.find((item) => item.sk === APPLICANT_SK);
  if (caseItemFound === undefined || applicantItem === undefined) return undefined;
  const withPrefix = <T>(prefix: string) =>
    items.filter((item) => String(item.sk).startsWith(prefix)).map((item) => recordOf<T>(item));
  const applicant = recordOf<ApplicantRecord>(applicantItem);
  return {
    case: caseRecordOf(caseItemFound),
    applicant,
    timeline: withPrefix<TimelineEvent>(EVENT_PREFIX),
    audit: include.audit
      ? [...withPrefix<AuditEntry>(EARLIER_AUDIT_PREFIX), ...withPrefix<AuditEntry>(AUDIT_PREFIX)].sort(
          (a, b) => a.at.localeCompare(b.at),
        )
      : [],
    responses: withPrefix<AgencyResponseRecord>(RESPONSE_PREFIX),
    actions: withPrefix<RecordedAction>(ACTION_PREFIX),
    review: storedReviewOf(
      items.find((item) => item.sk === REVIEW_SK),
      applicant,
    ),
    evidence: evidenceFilesOf(items),
    evidenceCount: evidenceCountOf(items),
    assignee: caseInternalsOf(caseItemFound).assignee ?? null,
    notes: withPrefix<CaseNote>(NOTE_PREFIX).sort((a, b) => a.at.localeCompare(b.at)),
    ...accessCodeHashesOf(
      caseInternalsOf(caseItemFound).accessCodeHash,
      items.find((item) => isAccessItem(item)),
    ),
  };
}

/**
 * The transaction items that replace the case item by `after` (conditional on the version read and on
 * the counted columns being as `before` has them) and move the counters by the difference.
 */
export function transitionItems(
  ctx: DataContext,
  area: AreaConfig,
  transition: Transition & { readonly before: CaseRecord; readonly internals: CaseInternals },
) {
  const { before, after, internals } = transition;
  const at = transition.event.at;
  const changes = countChanges(caseFactsOf(before), caseFactsOf(after), area.reportingYear);
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':version': before.version };
  const conditions = ['#version = :version'];
  changes.forEach((change, index) => {
    names['#counted'] = 'counted';
    values[`:column${index}`] = change.column;
    conditions.push(
      change.delta > 0 ? `NOT contains(#counted, :column${index})` : `contains(#counted, :column${index})`,
    );
  });
  const caseWrite = {
    Put: {
      TableName: ctx.tables.cases,
      // The token belonged to the wait that has just ended; when that wait began is kept (see registerTask).
      Item: caseItem(after, {
        accessCodeHash: internals.accessCodeHash,
        ...(internals.listing && { listing: internals.listing }),
        ...(internals.assignee && { assignee: internals.assignee }),
        ...(internals.taskEnteredAt !== undefined && { taskEnteredAt: internals.taskEnteredAt }),
      }),
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
  const rows = new Map<string, typeof changes>();
  for (const change of changes) {
    const id = JSON.stringify([change.csp, change.year]);
    rows.set(id, [...(rows.get(id) ?? []), change]);
  }
  const counterWrites = [...rows.values()].map((rowChanges) => {
    const [first] = rowChanges;
    // `changedAt` is when a published count last moved (a row changed after sign-off); the count of
    // withdrawals before either decision is not published.
    const published = rowChanges.some((change) => isCountColumn(change.column));
    const rowNames: Record<string, string> = published ? { '#changedAt': 'changedAt' } : {};
    const rowValues: Record<string, unknown> = published ? { ':now': at } : {};
    const additions = rowChanges.map((change, index) => {
      rowNames[`#c${index}`] = change.column;
      rowValues[`:d${index}`] = change.delta;
      return `#c${index} :d${index}`;
    });
    return {
      Update: {
        TableName: ctx.tables.statistics,
        Key: counterKey(
          area.id,
          first?.year ?? before.reportingYear,
          first?.csp ?? before.csp,
          before.reference,
        ),
        UpdateExpression: `ADD ${additions.join(', ')}${published ? ' SET #changedAt = :now' : ''}`,
        ExpressionAttributeNames: rowNames,
        ExpressionAttributeValues: rowValues,
      },
    };
  });
  return [
    caseWrite,
    ...counterWrites,
    eventPut(ctx, before.reference, transition.event, `v${after.version}`),
  ];
}

// The items of the cases table and their keys (issue3-design.md, "Case items"): the one place, with
// the repositories, that knows attribute names. Personal data (the APPLICANT item) is kept apart from
// the case item, which is what the workflow and the worklists read; the case item carries only the
// applicant's name and postcode for the worklist's columns (`listing`), outside the record the workflow
// is given.

import type { CaseRecord, DecisionKind } from '#core/case-record.ts';
import { COUNTER_COLUMNS, type CounterColumn } from '#core/counting.ts';
import type { Agency } from '#core/schemas.ts';
import type { CaseStage } from '#core/stages.ts';

// ---- Keys ---------------------------------------------------------------------------------------

export const casePk = (reference: string) => `CASE#${reference}`;
export const CASE_SK = 'CASE';
export const APPLICANT_SK = 'APPLICANT';
/** The case review's records (core/case-review-state.ts): personal data, so apart from the case item. */
export const REVIEW_SK = 'REVIEW';
export const EVENT_PREFIX = 'EVENT#';
/**
 * Staff's reads and steps of a case (AuditEntry): sorted before every other item of its partition (whose
 * keys start with a capital letter), so that a read without them is one key range (loadCaseView).
 */
export const AUDIT_PREFIX = '#AUDIT#';
/**
 * Where audit items were written before they sorted first, between APPLICANT and CASE: still a case's
 * audit trail, and no longer added to.
 */
export const EARLIER_AUDIT_PREFIX = 'AUDIT#';
export const ACTION_PREFIX = 'ACTION#';
export const RESPONSE_PREFIX = 'RESPONSE#';
/** Staff's internal notes (data/case-work.ts): never in the applicant's view. */
export const NOTE_PREFIX = 'NOTE#';
/** One item per search term of the case (core/search-terms.ts), found through the lookup index. */
export const SEARCH_PREFIX = 'SEARCH#';
/** The applicant's access beyond the first code (data/access-codes.ts): apart from the case item, which transitions replace whole. */
export const ACCESS_SK = 'ACCESS';
/** A linked case's pointer to its group (data/case-links.ts); a case alone has none. */
export const LINKS_SK = 'LINKS';

export const caseKey = (reference: string) => ({ pk: casePk(reference), sk: CASE_SK });
export const applicantKey = (reference: string) => ({ pk: casePk(reference), sk: APPLICANT_SK });
export const reviewKey = (reference: string) => ({ pk: casePk(reference), sk: REVIEW_SK });
export const accessKey = (reference: string) => ({ pk: casePk(reference), sk: ACCESS_SK });
export const linksKey = (reference: string) => ({ pk: casePk(reference), sk: LINKS_SK });
export const actionKey = (reference: string, kind: DecisionKind, cycle: number) => ({
  pk: casePk(reference),
  sk: `${ACTION_PREFIX}${kind}#${cycle}`,
});
/** The applicant's withdrawal: one per case, whatever the review cycle. */
export const withdrawalKey = (reference: string) => actionKey(reference, 'withdraw', 1);
export const eventKey = (reference: string, at: string, discriminator: string) => ({
  pk: casePk(reference),
  sk: `${EVENT_PREFIX}${at}#${discriminator}`,
});
export const auditKey = (reference: string, at: string, discriminator: string) => ({
  pk: casePk(reference),
  sk: `${AUDIT_PREFIX}${at}#${discriminator}`,
});
/** One response per agency per review cycle: a repeat is recognised, a different one is a conflict. */
export const responseKey = (reference: string, agency: Agency, cycle: number) => ({
  pk: casePk(reference),
  sk: `${RESPONSE_PREFIX}${agency}#${cycle}`,
});

export const searchKey = (reference: string, term: string) => ({
  pk: casePk(reference),
  sk: `${SEARCH_PREFIX}${term}`,
});

/** The lookup index's partition for a search term: terms are the police area's, as the PCC's office searches them all. */
export const searchLookupKey = (pccArea: string, term: string) => `${pccArea}#search#${term}`;

/** The lookup index's partition of a CSP's cases assigned to an officer (by `sub`), or of its unassigned ones. */
export const assignmentLookupKey = (csp: string, sub: string | null) =>
  sub === null ? `${csp}#unassigned` : `${csp}#assigned#${sub}`;

// ---- Worklist index attributes ------------------------------------------------------------------

// Both sort after every ISO date: an open case without a deadline comes after those with one, and
// closed cases come last, so `deadlineKey < CLOSED_SORT` selects the open ones.
const NO_DEADLINE = '~';
export const CLOSED_SORT = '~closed';

/**
 * The worklist attributes of a case item. Open cases sort by their next deadline; closed ones after
 * them, by closing time. The PCC queue holds a case from its first referral on, so the PCC's office
 * keeps seeing the cases it has dealt with.
 */
export function indexAttributes(record: {
  readonly reference: string;
  readonly csp: string;
  readonly pccArea: string;
  readonly stage: CaseStage;
  readonly nextDeadline: string | null;
  readonly closure: { readonly at: string } | null;
  readonly referral: unknown;
}): { csp: string; cspStage: string; deadlineKey: string; pccQueue?: string } {
  const sort =
    record.stage === 'closed'
      ? `${CLOSED_SORT}#${record.closure?.at ?? ''}`
      : (record.nextDeadline ?? NO_DEADLINE);
  return {
    csp: record.csp,
    cspStage: `${record.csp}#${record.stage}`,
    deadlineKey: `${sort}#${record.reference}`,
    ...(record.referral !== null && { pccQueue: record.pccArea }),
  };
}

// ---- Item <-> record ----------------------------------------------------------------------------

/** The officer a case is assigned to. */
export interface Assignee {
  readonly sub: string;
  readonly name: string;
}

/** What the worklist shows of the applicant: personal data, so never part of the record. */
export interface CaseListing {
  readonly applicantName: string;
  readonly postcode: string;
}

/** What the case item holds besides the record: never returned to callers. */
export interface CaseInternals {
  readonly accessCodeHash: string;
  readonly listing?: CaseListing;
  readonly assignee?: Assignee;
  /** The token of the wait named by `waitingFor`. */
  readonly taskToken?: string;
  /**
   * When the last registered wait began (epoch ms), kept after it ends: a wait's RegisterTask that
   * runs late must not put its dead token over a later wait's.
   */
  readonly taskEnteredAt?: number;
  /**
   * When the wait named by `waitingFor` times out (epoch ms), for a wait that can be armed again: the
   * wait for the review, which times out at the next information request reminder (data/case-tasks.ts).
   */
  readonly taskTimesOutAt?: number;
}

/** The stored case item for a record (keys, index attributes and internals included). */
export function caseItem(record: CaseRecord, internals: CaseInternals): Record<string, unknown> {
  const { counted, ...rest } = record;
  return {
    ...caseKey(record.reference),
    ...rest,
    ...indexAttributes(record),
    lookupKey: assignmentLookupKey(record.csp, internals.assignee?.sub ?? null),
    counted: new Set(counted),
    ...internals,
  };
}

const RECORD_FIELDS = [
  'reference',
  'csp',
  'pccArea',
  'stage',
  'receivedAt',
  'recordedAt',
  'reportingYear',
  'channel',
  'victimType',
  'onBehalf',
  'cycle',
  'thresholdAssessment',
  'thresholdDecision',
  'reviewOutcome',
  'referral',
  'pccDecision',
  'closure',
  'withdrawal',
  'milestones',
  'deadlines',
  'nextDeadline',
  'waitingFor',
  'history',
  'sharedWith',
  'meetingAt',
  'repliesDue',
  'repliesAwaited',
  'actionsDueBy',
  'postcodeDistrict',
  'incidentDates',
  'reminders',
  'expiresAt',
  'needsAttention',
  'version',
] as const satisfies readonly Exclude<keyof CaseRecord, 'counted'>[];

/** The record of a stored case item. */
export function caseRecordOf(item: Record<string, unknown>): CaseRecord {
  const record: Record<string, unknown> = {};
  for (const field of RECORD_FIELDS) record[field] = item[field] ?? null;
  const counted = item.counted instanceof Set ? [...(item.counted as Set<CounterColumn>)] : [];
  record.counted = COUNTER_COLUMNS.filter((column) => counted.includes(column));
  return record as unknown as CaseRecord;
}

export function caseInternalsOf(item: Record<string, unknown>): CaseInternals {
  return {
    accessCodeHash: String(item.accessCodeHash ?? ''),
    ...(isObject(item.listing) && { listing: item.listing as unknown as CaseListing }),
    ...(isObject(item.assignee) && { assignee: item.assignee as unknown as Assignee }),
    ...(typeof item.taskToken === 'string' && { taskToken: item.taskToken }),
    ...(typeof item.taskEnteredAt === 'number' && { taskEnteredAt: item.taskEnteredAt }),
    ...(typeof item.taskTimesOutAt === 'number' && { taskTimesOutAt: item.taskTimesOutAt }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The record an item other than the case item holds (applicant, timeline event, audit entry, agency
 * response, recorded action): the item without its key and its retention time.
 */
export function recordOf<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...record } = item;
  return record as T;
}

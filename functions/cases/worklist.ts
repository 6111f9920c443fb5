// The worklist (contract.md, GET /api/cases): the cases a member of staff works on, by deadline, a page
// at a time, optionally of one stage, overdue, assigned to the officer or to nobody, shared with an
// agency, or (the PCC's office) of one CSP. Officers see their CSP's cases, agencies the cases shared
// with them, the PCC's office its area's referred cases. A case awaiting its review says when its
// meeting is, while that is ahead. The search (POST /api/cases/search) answers
// with the same list for the caller's cases matching a reference, a name or a postcode.

import type { Caller, StaffCaller } from '#cases/caller.ts';
import { parseCaseReference } from '#cases/case-identifiers.ts';
import type { CaseContext } from '#cases/context.ts';
import { parseInput, type RequestBody } from '#cases/parse-input.ts';
import { decodeCursor, encodeCursor } from '#cases/worklist-cursor.ts';
import { AGENCY_LABELS } from '#core/agency-names.ts';
import { type AreaConfig, cspById } from '#core/area-config.ts';
import { followsPlanActions, isOverdueOnWorklist } from '#core/deadlines.ts';
import { InvalidInputError, NotAllowedError, NotSignedInError } from '#core/errors.ts';
import { type LocalDate, ukDateOf } from '#core/local-date.ts';
import { searchSchema } from '#core/schemas/search.ts';
import { AGENCIES, type Agency } from '#core/schemas.ts';
import { MAX_SEARCH_TERMS, searchTermsOf } from '#core/search-terms.ts';
import { CASE_STAGES, type CaseStage } from '#core/stages.ts';
import {
  queryWorklist,
  searchCases as searchCaseEntries,
  type WorklistEntry,
  type WorklistScope,
} from '#data/case-worklists.ts';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

/** What the caller asked for, as given: each part is checked here. */
export interface WorklistQuery {
  readonly stage?: string | undefined;
  /** `me` or `unassigned` (officers). */
  readonly assigned?: string | undefined;
  /** `true`: only overdue cases. */
  readonly overdue?: string | undefined;
  /** An agency: only cases shared with it (officers). */
  readonly asked?: string | undefined;
  /** A CSP of the area: only its referrals (the PCC's office). */
  readonly csp?: string | undefined;
  readonly limit?: string | undefined;
  readonly cursor?: string | undefined;
}

export interface WorklistItem
  extends Omit<WorklistEntry, 'meetingAt' | 'repliesDue' | 'cycle' | 'actionsDueBy' | 'repliesAwaited'> {
  readonly overdue: boolean;
  /** For an agency: the date it was asked to reply by, while the case awaits its review. */
  readonly replyBy?: LocalDate;
  /**
   * For an agency: the day its next open action of the plan is due, once the plan is final (what its
   * overdue flag then follows, not the case's deadline).
   */
  readonly actionDueBy?: LocalDate;
  /** When the review meeting is, while the case awaits its review and the meeting is ahead. */
  readonly upcomingMeeting?: string;
}

export interface Worklist {
  readonly cases: readonly WorklistItem[];
  /** The cursor of the next page, or null on the last. */
  readonly next: string | null;
}

function staffCaller(caller: Caller): StaffCaller {
  if (caller.kind !== 'staff') throw new NotSignedInError('Sign in to see a worklist.');
  return caller;
}

function worklistScope(caller: StaffCaller): WorklistScope {
  const { role, csp, agency, pccArea } = caller.staff;
  if (role === 'pcc') {
    if (pccArea === undefined) throw new NotAllowedError('Your sign-in does not name a police area.');
    return { kind: 'pcc', pccArea };
  }
  // The token verifier guarantees a CSP for officers and agencies, and an agency for agencies.
  if (csp === undefined) throw new NotAllowedError('Your sign-in does not name a CSP.');
  if (role === 'agency') {
    if (agency === undefined) throw new NotAllowedError('Your sign-in does not name an agency.');
    return { kind: 'agency', csp, agency };
  }
  return { kind: 'csp', csp };
}

function requestedStage(stage: string | undefined): CaseStage | undefined {
  if (stage === undefined) return undefined;
  const known = CASE_STAGES.find((candidate) => candidate === stage);
  if (known === undefined) {
    throw new InvalidInputError([{ path: 'stage', message: `Choose a stage: ${CASE_STAGES.join(', ')}` }]);
  }
  return known;
}

function requestedAssignment(caller: StaffCaller, assigned: string | undefined): string | null | undefined {
  if (assigned === undefined) return undefined;
  if (caller.staff.role !== 'officer') {
    throw new InvalidInputError([{ path: 'assigned', message: 'Only officers’ cases are assigned' }]);
  }
  if (assigned === 'me') return caller.staff.sub;
  if (assigned === 'unassigned') return null;
  throw new InvalidInputError([{ path: 'assigned', message: 'Choose me or unassigned' }]);
}

function requestedOverdue(overdue: string | undefined): boolean {
  if (overdue === undefined || overdue === 'false') return false;
  if (overdue === 'true') return true;
  throw new InvalidInputError([{ path: 'overdue', message: 'Choose true or false' }]);
}

function requestedAgency(caller: StaffCaller, asked: string | undefined): Agency | undefined {
  if (asked === undefined) return undefined;
  const agency = AGENCIES.find((candidate) => candidate === asked);
  if (caller.staff.role !== 'officer' || agency === undefined) {
    throw new InvalidInputError([
      { path: 'asked', message: `Choose the agency asked: ${Object.values(AGENCY_LABELS).join(', ')}` },
    ]);
  }
  return agency;
}

function requestedCsp(area: AreaConfig, caller: StaffCaller, csp: string | undefined): string | undefined {
  if (csp === undefined) return undefined;
  if (caller.staff.role !== 'pcc' || cspById(area, csp) === undefined) {
    throw new InvalidInputError([
      { path: 'csp', message: `Choose a council area: ${area.csps.map((known) => known.id).join(', ')}` },
    ]);
  }
  return csp;
}

function requestedLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidInputError([{ path: 'limit', message: `Ask for 1 to ${MAX_PAGE_SIZE} cases per page` }]);
  }
  return limit;
}

type WorklistContext = Pick<CaseContext, 'data' | 'area' | 'clock'>;

/** The agency whose worklist it is (flagged by its own requests and actions), or undefined (officer, PCC). */
const viewingAgency = (caller: StaffCaller): Agency | undefined =>
  caller.staff.role === 'agency' ? (caller.staff.agency as Agency | undefined) : undefined;

/** The entries as the caller sees them. */
function worklistItems(entries: readonly WorklistEntry[], at: Date, caller: StaffCaller): WorklistItem[] {
  const agency = viewingAgency(caller);
  return entries.map(({ meetingAt, repliesDue, cycle, actionsDueBy, repliesAwaited, ...entry }) => ({
    ...entry,
    ...(agency !== undefined &&
      entry.stage === 'awaiting-review' &&
      repliesDue?.cycle === cycle &&
      repliesDue.dueBy[agency] !== undefined && { replyBy: repliesDue.dueBy[agency] }),
    ...(agency !== undefined &&
      followsPlanActions(entry.stage) &&
      actionsDueBy?.[agency] !== undefined && { actionDueBy: ukDateOf(actionsDueBy[agency]) }),
    overdue: isOverdueOnWorklist({ ...entry, cycle, actionsDueBy, repliesAwaited }, agency ?? null, at),
    ...(entry.stage === 'awaiting-review' &&
      meetingAt !== null &&
      meetingAt > at.toISOString() && { upcomingMeeting: meetingAt }),
  }));
}

/**
 * One Query of a worklist index and nothing else, however many cases the page holds: a case still
 * `received` is started by a look at the case itself (view-case.ts) or by the reconciler, never by a
 * list, which would otherwise send a StartExecution per such case on every read of the page.
 */
export async function listCases(
  context: WorklistContext,
  given: Caller,
  query: WorklistQuery,
): Promise<Worklist> {
  const caller = staffCaller(given);
  const scope = worklistScope(caller);
  const stage = requestedStage(query.stage);
  const assignedTo = requestedAssignment(caller, query.assigned);
  const sharedWith = requestedAgency(caller, query.asked);
  const csp = requestedCsp(context.area, caller, query.csp);
  const limit = requestedLimit(query.limit);
  const startKey = decodeCursor(query.cursor);
  const at = context.clock();
  const overdueOnly = requestedOverdue(query.overdue);
  const page = await queryWorklist(context.data, {
    scope,
    ...(stage && { stage }),
    ...(assignedTo !== undefined && { assignedTo }),
    // Kept as the page flags them: an action or an agency's own request may be overdue before (or after)
    // the case's deadline, which orders the index.
    ...(overdueOnly && {
      keep: (entry: WorklistEntry) => isOverdueOnWorklist(entry, viewingAgency(caller) ?? null, at),
    }),
    ...(sharedWith && { sharedWith }),
    ...(csp && { csp }),
    limit,
    ...(startKey && { startKey }),
  });
  return { cases: worklistItems(page.cases, at, caller), next: encodeCursor(page.lastEvaluatedKey) };
}

/** What a search may find at most: more asks for another word of the name, or the postcode. */
const MAX_SEARCH_RESULTS = 50;

/**
 * The caller's cases matching `q` (POST /api/cases/search `{"q"}`): a reference (as people type it), a
 * postcode, or name words and outward codes that must all match. The answer is the worklist's.
 */
export async function searchCases(
  context: WorklistContext,
  given: Caller,
  readBody: RequestBody,
): Promise<Worklist> {
  const caller = staffCaller(given);
  const scope = worklistScope(caller);
  const { q } = parseInput(searchSchema, readBody());
  const reference = parseCaseReference(q);
  const terms = reference === undefined ? searchTermsOf(q) : [];
  if (reference === undefined && terms.length === 0) {
    throw new InvalidInputError([
      { path: 'q', message: 'Enter a case reference, the applicant’s name or their postcode' },
    ]);
  }
  if (terms.length > MAX_SEARCH_TERMS) {
    throw new InvalidInputError([{ path: 'q', message: `Search for at most ${MAX_SEARCH_TERMS} words` }]);
  }
  const found = await searchCaseEntries(context.data, {
    scope,
    pccArea: context.area.id,
    terms,
    ...(reference !== undefined && { reference }),
  });
  return {
    cases: worklistItems(found.slice(0, MAX_SEARCH_RESULTS), context.clock(), caller),
    next: null,
  };
}

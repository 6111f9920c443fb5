// Route B's linked cases (contract.md, "Route B"): the suggestions (GET /api/cases/{reference}/link-suggestions)
// list the CSP's other cases that may be about the same behaviour, with the reasons; POST
// /api/cases/{reference}/links links or unlinks cases, audited, and assesses again every case of the
// groups it touched that still awaits its threshold decision. Officers of the case's CSP only.
//
// The new assessments run here, in the request, not in the workflow: they need the applications'
// personal data, which must never enter a workflow's input or history, and the officer sees the
// result on the next read. A request cut short after linking is completed by repeating it: a repeat
// changes no link and assesses the same cases again.

import type { Caller } from '#cases/caller.ts';
import { authoriseCaseWork } from '#cases/case-access.ts';
import { parseCaseReference } from '#cases/case-identifiers.ts';
import type { CaseContext } from '#cases/context.ts';
import { parseInput, type RequestBody } from '#cases/parse-input.ts';
import { caseReference } from '#cases/view-case.ts';
import { requireCsp } from '#core/area-config.ts';
import { addCalendarMonths } from '#core/calendar-months.ts';
import { LINK_ROLES } from '#core/case-access.ts';
import type { CaseRecord } from '#core/case-record.ts';
import { InvalidInputError, NotFoundError } from '#core/errors.ts';
import { type LinkSuggestion, suggestLinks } from '#core/link-suggestions.ts';
import { startOfUkDay, ukDateOf } from '#core/local-date.ts';
import { type Issue, linksSchema, MAX_LINKED_CASES } from '#core/schemas.ts';
import {
  LinkGroupTooLargeError,
  linkedReferences,
  readLinkState,
  changeLinks as storeLinks,
} from '#data/case-links.ts';
import { getApplicants, getCaseForAccess, getCases } from '#data/case-store.ts';
import { recordAudit } from '#data/case-timeline.ts';
import { type CaseSummary, cspCases } from '#data/case-worklists.ts';
import type { DataContext } from '#data/data-context.ts';
import { CaseNotFoundError } from '#data/errors.ts';
import { assessCase } from '#data/threshold-assessment.ts';

/** At most this many suggestions are listed. */
const SUGGESTIONS_LIMIT = 20;
/** At most this many of the CSP's cases are compared, the most recently received first. */
const CANDIDATES_LIMIT = 300;

/** How a linked or suggested case is shown: no personal data, only what the worklist shows. */
const caseEntry = (record: Pick<CaseRecord, 'reference' | 'stage' | 'receivedAt'>): LinkedCase => ({
  reference: record.reference,
  stage: record.stage,
  receivedAt: record.receivedAt,
});

const unique = (references: readonly string[]) => [...new Set(references)];

/** Incidents within `months` of each other's periods: only those can count together for route B. */
function withinWindow(candidate: CaseSummary, subject: CaseRecord, months: number): boolean {
  const from = addCalendarMonths(subject.incidentDates.from, -months);
  const to = addCalendarMonths(subject.incidentDates.to, months);
  return candidate.incidentDates.from <= to && candidate.incidentDates.to >= from;
}

/** A case linked to another, or suggested for linking, as staff see it in a list: no personal data. */
export type LinkedCase = Pick<CaseRecord, 'reference' | 'stage' | 'receivedAt'>;

export interface LinkSuggestions {
  readonly reference: string;
  readonly links: readonly LinkedCase[];
  readonly suggestions: readonly (LinkedCase & LinkSuggestion)[];
}

export interface LinksChanged {
  readonly reference: string;
  readonly changed: boolean;
  readonly links: readonly LinkedCase[];
}

type LinksContext = Pick<CaseContext, 'data' | 'area' | 'clock'>;

async function officerCase(data: DataContext, given: string, caller: Caller) {
  const reference = caseReference(given);
  const found = await getCaseForAccess(data, reference);
  if (found === undefined) throw new NotFoundError('There is no case with this reference.');
  return { reference, record: found.case, actor: authoriseCaseWork(LINK_ROLES, caller, found) };
}

async function linkedCases(data: DataContext, reference: string): Promise<LinkedCase[]> {
  return (await getCases(data, linkedReferences(await readLinkState(data, reference)))).map(caseEntry);
}

/** The CSP's other cases that may be about the same behaviour as `given`, with the reasons (audited). */
export async function linkSuggestions(
  context: LinksContext,
  given: string,
  caller: Caller,
): Promise<LinkSuggestions> {
  const { data, area, clock } = context;
  const { reference, record, actor } = await officerCase(data, given, caller);
  const at = clock();
  const { withinMonths } = requireCsp(area, record.csp).threshold.routeB;
  const links = await readLinkState(data, reference);
  const grouped = new Set(links.group?.members ?? [reference]);
  const closedSince = startOfUkDay(addCalendarMonths(ukDateOf(at), -withinMonths)).toISOString();
  const candidates = (await cspCases(data, record.csp, closedSince))
    .filter((candidate) => !grouped.has(candidate.reference) && withinWindow(candidate, record, withinMonths))
    .sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : -1))
    .slice(0, CANDIDATES_LIMIT);
  const [subject, ...others] = await getApplicants(data, [
    reference,
    ...candidates.map((candidate) => candidate.reference),
  ]);
  if (subject?.reference !== reference) throw new NotFoundError('There is no case with this reference.');
  const byReference = new Map(candidates.map((candidate) => [candidate.reference, candidate]));
  const suggestions = suggestLinks(subject, others, SUGGESTIONS_LIMIT).flatMap((suggestion) => {
    const candidate = byReference.get(suggestion.reference);
    return candidate === undefined ? [] : [{ ...caseEntry(candidate), ...suggestion }];
  });
  await recordAudit(
    data,
    reference,
    { at: at.toISOString(), actor, what: 'link-suggestions' },
    record.expiresAt,
  );
  return {
    reference,
    links: (await getCases(data, linkedReferences(links))).map(caseEntry),
    suggestions,
  };
}

/**
 * Links or unlinks cases with `given` as the body asks, audited, and assesses the cases it touched again.
 * The body is read only once the caller may change the case's links: a stranger's is never parsed.
 */
export async function changeLinks(
  context: LinksContext,
  given: string,
  readBody: RequestBody,
  caller: Caller,
): Promise<LinksChanged> {
  const { data, area, clock } = context;
  const { reference, record, actor } = await officerCase(data, given, caller);
  const change = parseInput(linksSchema({ reference, parseReference: parseCaseReference }), readBody());
  const named = await getCases(data, unique([...change.add, ...change.remove]));
  const ofThisCsp = new Map(
    named.filter((other) => other.csp === record.csp).map((other) => [other.reference, other]),
  );
  // A case of another CSP is answered as one that does not exist: an officer learns nothing of it.
  const issues: Issue[] = (['add', 'remove'] as const).flatMap((list) =>
    change[list].flatMap((other, index) =>
      ofThisCsp.has(other)
        ? []
        : [{ path: `${list}.${index}`, message: `There is no case ${other} in your council area` }],
    ),
  );
  if (issues.length > 0) throw new InvalidInputError(issues);
  const at = clock();
  const expiresAt = new Map(
    [record, ...ofThisCsp.values()].flatMap((item) =>
      item.expiresAt === null ? [] : [[item.reference, item.expiresAt] as const],
    ),
  );
  const result = await storeLinks(data, {
    reference,
    csp: record.csp,
    add: unique(change.add),
    remove: unique(change.remove),
    reason: change.reason,
    actor,
    now: at,
    maxMembers: MAX_LINKED_CASES,
    expiresAt,
  }).catch((error: unknown) => {
    if (error instanceof LinkGroupTooLargeError) {
      throw new InvalidInputError([
        { path: 'add', message: `Link at most ${error.maxMembers} cases together` },
      ]);
    }
    throw error;
  });
  // One at a time: the group is small. A case deleted at the end of its retention is left out.
  for (const affected of result.affected) {
    await assessCase(data, area, affected, at).catch((error: unknown) => {
      if (!(error instanceof CaseNotFoundError)) throw error;
    });
  }
  return { reference, changed: result.changed, links: await linkedCases(data, reference) };
}

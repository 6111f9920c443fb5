// The worklist (contract.md, GET /api/cases): the cases a member of staff works on, by deadline, a page
// at a time, optionally of one stage. Officers see their CSP's cases, agencies the cases shared with
// them, the PCC's office its area's referred cases.

import type { Caller } from '#cases/caller.ts';
import type { CaseContext } from '#cases/context.ts';
import { decodeCursor, encodeCursor } from '#cases/worklist-cursor.ts';
import { isOverdue } from '#core/deadlines.ts';
import { InvalidInputError, NotAllowedError, NotSignedInError } from '#core/errors.ts';
import { CASE_STAGES, type CaseStage } from '#core/stages.ts';
import { queryWorklist, type WorklistEntry, type WorklistScope } from '#data/case-worklists.ts';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

/** What the caller asked for, as given: each part is checked here. */
export interface WorklistQuery {
  readonly stage?: string | undefined;
  readonly limit?: string | undefined;
  readonly cursor?: string | undefined;
}

export interface WorklistItem extends WorklistEntry {
  readonly overdue: boolean;
}

export interface Worklist {
  readonly cases: readonly WorklistItem[];
  /** The cursor of the next page, or null on the last. */
  readonly next: string | null;
}

function worklistScope(caller: Caller): WorklistScope {
  if (caller.kind !== 'staff') throw new NotSignedInError('Sign in to see a worklist.');
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

function requestedLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidInputError([{ path: 'limit', message: `Ask for 1 to ${MAX_PAGE_SIZE} cases per page` }]);
  }
  return limit;
}

/**
 * One Query of a worklist index and nothing else, however many cases the page holds: a case still
 * `received` is started by a look at the case itself (view-case.ts) or by the reconciler, never by a
 * list, which would otherwise send a StartExecution per such case on every read of the page.
 */
export async function listCases(
  context: Pick<CaseContext, 'data' | 'clock'>,
  caller: Caller,
  query: WorklistQuery,
): Promise<Worklist> {
  const scope = worklistScope(caller);
  const stage = requestedStage(query.stage);
  const limit = requestedLimit(query.limit);
  const startKey = decodeCursor(query.cursor);
  const page = await queryWorklist(context.data, {
    scope,
    ...(stage && { stage }),
    limit,
    ...(startKey && { startKey }),
  });
  const at = context.clock();
  return {
    cases: page.cases.map((entry) => ({
      ...entry,
      overdue: entry.nextDeadline !== null && isOverdue(entry.nextDeadline, at),
    })),
    next: encodeCursor(page.lastEvaluatedKey),
  };
}

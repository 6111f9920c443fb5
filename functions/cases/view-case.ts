// Reading a case (contract.md, GET /api/cases/{reference}): as its reader may see it, audited when
// staff read it, and starting its review if that could not be started when it was submitted.

import type { ApplicantCaller, Caller, StaffCaller } from '#cases/caller.ts';
import { authoriseCaseRead, settleAccessCode } from '#cases/case-access.ts';
import { parseCaseReference } from '#cases/case-identifiers.ts';
import { startFirstExecution } from '#cases/case-review-starter.ts';
import { type ApplicantCaseView, type CaseView, caseViewFor, type StaffCaseView } from '#cases/case-views.ts';
import type { CaseContext } from '#cases/context.ts';
import { actorOf } from '#core/case-access.ts';
import { caseContactIn } from '#core/case-review.ts';
import { NotFoundError } from '#core/errors.ts';
import { linkedCases } from '#data/case-links.ts';
import { loadCaseView, type CaseView as StoredCase } from '#data/case-store.ts';
import { recordAudit } from '#data/case-timeline.ts';

export type ViewContext = Pick<CaseContext, 'data' | 'area' | 'clock' | 'workflow' | 'logger' | 'metrics'>;

/**
 * The case's reference as given (any case, spaces or nothing for the hyphens, as people read it off a
 * letter); text that cannot be a reference is simply not found, and never reaches the database as a key.
 */
export function caseReference(text: string): string {
  const reference = parseCaseReference(text);
  if (reference === undefined) throw new NotFoundError('There is no case with this reference.');
  return reference;
}

export async function getCase(
  context: ViewContext,
  reference: string,
  caller: StaffCaller,
): Promise<StaffCaseView>;
export async function getCase(
  context: ViewContext,
  reference: string,
  caller: ApplicantCaller,
): Promise<ApplicantCaseView>;
export async function getCase(context: ViewContext, reference: string, caller: Caller): Promise<CaseView>;
export async function getCase(context: ViewContext, given: string, caller: Caller): Promise<CaseView> {
  const { reference, stored } = await readCaseFor(context, given, caller);
  return caseViewOf(context, reference, stored, caller);
}

/** A case as it is stored, read once, its access code settled for the caller (cases/case-access.ts). */
export interface CaseRead {
  readonly reference: string;
  readonly stored: StoredCase;
}

export async function readCaseFor(
  context: Pick<ViewContext, 'data' | 'clock'>,
  given: string,
  caller: Caller,
): Promise<CaseRead> {
  const reference = caseReference(given);
  const stored = await loadCaseView(context.data, reference, { audit: caller.kind === 'staff' });
  if (stored === undefined) throw new NotFoundError('There is no case with this reference.');
  return { reference, stored: await settleAccessCode(context, reference, caller, { ...stored }) };
}

/** The case as `caller` may see it, from what was read of it: audited when staff read it. */
export async function caseViewOf(
  context: ViewContext,
  reference: string,
  stored: StoredCase,
  caller: Caller,
): Promise<CaseView> {
  const { data, clock } = context;
  const reader = authoriseCaseRead(caller, stored);
  const at = clock();
  let audited = stored;
  if (reader.kind === 'staff') {
    const entry = { at: at.toISOString(), actor: actorOf(reader), what: 'read' };
    await recordAudit(data, reference, entry, stored.case.expiresAt);
    audited = { ...stored, audit: [...stored.audit, entry] };
  }
  // A case whose execution could not be started at submission is started by the next look at it; one
  // whose execution exists but stopped is the reconciler's to resume.
  if (stored.case.stage === 'received') await startFirstExecution(context, reference);
  const links = reader.kind === 'staff' ? await linkedCases(data, reference) : [];
  const contact = caseContactIn(context.area, stored.case.csp, stored.review.state.contact);
  return caseViewFor(reader, audited, contact, links, at);
}

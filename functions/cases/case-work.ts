// Staff's own work on a case (contract.md, POST /api/cases/{ref}/assignment and /notes): an officer of
// the CSP takes a case or hands it back to the unassigned cases; staff who may see a case keep internal
// notes on it (the PCC's office among them, to ask the CSP before deciding). Both audited.
import type { Caller } from '#cases/caller.ts';
import { authoriseCaseWork } from '#cases/case-access.ts';
import type { CaseContext } from '#cases/context.ts';
import { parseInput, type RequestBody } from '#cases/parse-input.ts';
import { caseReference } from '#cases/view-case.ts';
import { ConflictError, NotFoundError } from '#core/errors.ts';
import { assignmentSchema, caseNoteSchema } from '#core/schemas/case-work.ts';
import { getCaseForAccess } from '#data/case-store.ts';
import { addCaseNote, assignCase } from '#data/case-work.ts';

type WorkContext = Pick<CaseContext, 'data' | 'clock'>;

async function caseFacts(context: WorkContext, given: string) {
  const reference = caseReference(given);
  const facts = await getCaseForAccess(context.data, reference);
  if (facts === undefined) throw new NotFoundError('There is no case with this reference.');
  return { reference, facts };
}

export interface AssignmentDone {
  readonly reference: string;
  /** The officer the case is now assigned to, or null. */
  readonly assignedTo: { readonly sub: string; readonly name: string } | null;
}

export async function changeAssignment(
  context: WorkContext,
  given: string,
  readBody: RequestBody,
  caller: Caller,
): Promise<AssignmentDone> {
  const { reference, facts } = await caseFacts(context, given);
  const actor = authoriseCaseWork(['officer'], caller, facts);
  const { to } = parseInput(assignmentSchema, readBody());
  if (facts.case.stage === 'closed')
    throw new ConflictError('The case is closed: nobody works on it now.', 'closed');
  const assignee = to === 'me' ? { sub: actor.sub ?? '', name: actor.name ?? '' } : null;
  await assignCase(context.data, {
    reference,
    assignee,
    audit: { at: context.clock().toISOString(), actor, what: to === 'me' ? 'assigned' : 'unassigned' },
  });
  return { reference, assignedTo: assignee };
}

export interface NoteAdded {
  readonly reference: string;
  readonly note: { readonly at: string; readonly text: string };
}

export async function addNote(
  context: WorkContext,
  given: string,
  readBody: RequestBody,
  caller: Caller,
): Promise<NoteAdded> {
  const { reference, facts } = await caseFacts(context, given);
  const actor = authoriseCaseWork(['officer', 'agency', 'pcc'], caller, facts);
  const { text } = parseInput(caseNoteSchema, readBody());
  const at = context.clock().toISOString();
  await addCaseNote(context.data, {
    reference,
    note: { at, by: actor, text },
    audit: { at, actor, what: 'note' },
    expiresAt: facts.case.expiresAt,
  });
  return { reference, note: { at, text } };
}

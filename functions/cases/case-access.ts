// The access rules of core (core/case-access.ts) applied to a caller: the access code is compared with
// the case's stored hash here, and a refusal becomes the domain error the doors map (401 or 403). A new
// code sent to the applicant (cases/new-access-code.ts) is made the case's code when it is first used.

import type { Caller } from '#cases/caller.ts';
import { accessCodeMatches } from '#cases/case-identifiers.ts';
import type { CaseContext } from '#cases/context.ts';
import {
  type CaseReader,
  type CaseScope,
  caseActionDecision,
  caseReadDecision,
  caseWorkDecision,
  type Decision,
  type Requester,
  type Role,
  type StaffMember,
  staffDecision,
} from '#core/case-access.ts';
import type { Actor } from '#core/case-record.ts';
import { NotAllowedError, NotSignedInError } from '#core/errors.ts';
import type { StaffRole } from '#core/schemas/local-token.ts';
import type { CaseAction } from '#core/stages.ts';
import { type AccessCodeHashes, useNewAccessCode } from '#data/access-codes.ts';
import { recordAudit } from '#data/case-timeline.ts';

/** What of a case a check needs: the record's scope fields and the stored hashes of its access codes. */
export interface CaseAccessFacts extends AccessCodeHashes {
  readonly case: CaseScope & { readonly expiresAt?: number | null };
}

/**
 * The facts to check `caller` against: when the applicant gives the new code they were sent, for the
 * first time, it becomes the case's code and the one before stops working (audited). Until then the old
 * code goes on working, so asking for a new code can never lock the applicant out.
 */
export async function settleAccessCode<Facts extends CaseAccessFacts>(
  context: Pick<CaseContext, 'data' | 'clock'>,
  reference: string,
  caller: Caller,
  facts: Facts,
): Promise<Facts> {
  const unused = facts.unusedAccessCodeHash;
  if (caller.kind !== 'applicant' || unused === undefined) return facts;
  if (
    accessCodeMatches(caller.accessCode, facts.accessCodeHash) ||
    !accessCodeMatches(caller.accessCode, unused)
  )
    return facts;
  // False when a newer code replaced it before it was used: the applicant's code is then refused.
  if (!(await useNewAccessCode(context.data, reference, unused))) return facts;
  await recordAudit(
    context.data,
    reference,
    { at: context.clock().toISOString(), actor: { role: 'applicant' }, what: 'new-access-code-used' },
    facts.case.expiresAt,
  );
  const { unusedAccessCodeHash: _used, ...settled } = facts;
  return { ...settled, accessCodeHash: unused } as Facts;
}

function requesterOf(caller: Caller, accessCodeHash: string | undefined): Requester {
  if (caller.kind !== 'applicant') return caller;
  return {
    kind: 'applicant',
    holdsAccessCode: accessCodeHash !== undefined && accessCodeMatches(caller.accessCode, accessCodeHash),
  };
}

function allowed<T>(decision: Decision<T>): T {
  if (decision.allowed) return decision;
  throw decision.refusal === 'not-signed-in'
    ? new NotSignedInError(decision.reason)
    : new NotAllowedError(decision.reason);
}

/** The member of staff making the request, who must have one of `roles`. */
export function requireStaff(caller: Caller, roles: readonly StaffRole[]): StaffMember {
  return allowed(staffDecision(requesterOf(caller, undefined), roles)).staff;
}

export function authoriseCaseRead(caller: Caller, facts: CaseAccessFacts): CaseReader {
  return allowed(caseReadDecision(requesterOf(caller, facts.accessCodeHash), facts.case)).reader;
}

export function authoriseCaseAction(action: CaseAction, caller: Caller, facts: CaseAccessFacts): Actor {
  return allowed(caseActionDecision(action, requesterOf(caller, facts.accessCodeHash), facts.case)).actor;
}

export function authoriseCaseWork(roles: readonly Role[], caller: Caller, facts: CaseAccessFacts): Actor {
  return allowed(caseWorkDecision(roles, requesterOf(caller, facts.accessCodeHash), facts.case)).actor;
}

// The access rules of core (core/case-access.ts) applied to a caller: the access code is compared with
// the case's stored hash here, and a refusal becomes the domain error the doors map (401 or 403).

import type { Caller } from '#cases/caller.ts';
import { accessCodeMatches } from '#cases/case-identifiers.ts';
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

/** What of a case a check needs: the record's scope fields and the stored hash of its access code. */
export interface CaseAccessFacts {
  readonly case: CaseScope;
  readonly accessCodeHash: string;
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

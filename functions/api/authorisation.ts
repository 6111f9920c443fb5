// Who may do what (contract.md, Identity and Actions), apart from any I/O: officers and agencies only
// in their CSP (agencies only cases shared with them), the PCC's office only referred cases of its
// area, applicants only their own case by its access code.
import { accessCodeMatches } from '#api/case-identifiers.ts';
import type { Caller } from '#api/http/caller.ts';
import type { Actor, CaseRecord } from '#core/case-record.ts';
import { NotAllowedError, NotSignedInError } from '#core/errors.ts';
import type { CaseAction } from '#core/stages.ts';
import type { StaffIdentity, StaffRole } from '#shared/staff-token.ts';

type Role = StaffRole | 'applicant';

const ROLE_NAMES: Readonly<Record<Role, string>> = {
  applicant: 'the applicant',
  officer: 'a CSP officer',
  agency: 'an agency representative',
  pcc: "the PCC's office",
};

/** The contract's table of actions: who may take each. */
export const ACTION_ROLES: Readonly<Record<CaseAction, readonly Role[]>> = {
  'threshold-decision': ['officer'],
  'agency-responses': ['agency', 'officer'],
  'review-outcome': ['officer'],
  referral: ['applicant', 'officer'],
  'pcc-decision': ['pcc'],
  withdraw: ['applicant', 'officer'],
};

function roleList(roles: readonly Role[]): string {
  const names = roles.map((role) => ROLE_NAMES[role]);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}

/** The member of staff making the request, who must have one of `roles`: 401 without a sign-in, else 403. */
export function requireStaff(caller: Caller, roles: readonly StaffRole[]): StaffIdentity {
  if (caller.kind !== 'staff') throw new NotSignedInError(`Sign in as ${roleList(roles)} to do this.`);
  if (!roles.includes(caller.staff.role)) throw new NotAllowedError(`Only ${roleList(roles)} can do this.`);
  return caller.staff;
}

/** Someone who may see a case, as the views and the audit trail tell them apart. */
export type CaseReader =
  | { readonly kind: 'applicant' }
  | { readonly kind: 'staff'; readonly staff: StaffIdentity };

/** What of a case a check needs: the record's scope fields and the stored hash of its access code. */
export interface CaseAccessFacts {
  readonly case: Pick<CaseRecord, 'csp' | 'pccArea' | 'sharedWith' | 'referral'>;
  readonly accessCodeHash: string;
}

function staffMaySee(staff: StaffIdentity, facts: CaseAccessFacts): boolean {
  const { csp, pccArea, sharedWith, referral } = facts.case;
  switch (staff.role) {
    case 'officer':
      return staff.csp === csp;
    case 'agency':
      return staff.csp === csp && sharedWith.some((agency) => agency === staff.agency);
    case 'pcc':
      return staff.pccArea === pccArea && referral !== null;
  }
}

const NOT_YOURS = 'You do not have access to this case.';

/** 401 without any credentials; 403 for anyone else's case (a wrong access code included). */
export function authoriseCaseRead(caller: Caller, facts: CaseAccessFacts): CaseReader {
  switch (caller.kind) {
    case 'anonymous':
      throw new NotSignedInError(
        'Sign in, or give the access code for this case in the X-Access-Code header.',
      );
    case 'applicant':
      if (!accessCodeMatches(caller.accessCode, facts.accessCodeHash)) throw new NotAllowedError(NOT_YOURS);
      return { kind: 'applicant' };
    case 'staff':
      if (!staffMaySee(caller.staff, facts)) throw new NotAllowedError(NOT_YOURS);
      return { kind: 'staff', staff: caller.staff };
  }
}

/** The actor of an action on a case, once the caller may see the case and may take the action. */
export function authoriseCaseAction(action: CaseAction, caller: Caller, facts: CaseAccessFacts): Actor {
  return authoriseCaseWork(ACTION_ROLES[action], caller, facts);
}

/** Who may see and change a case's links (route B): its CSP's officers. */
export const LINK_ROLES: readonly Role[] = ['officer'];

/** The actor of work on a case by one of `roles`, once the caller may see the case. */
export function authoriseCaseWork(roles: readonly Role[], caller: Caller, facts: CaseAccessFacts): Actor {
  if (caller.kind === 'anonymous') {
    throw new NotSignedInError(
      roles.includes('applicant')
        ? 'Sign in, or give the access code for this case in the X-Access-Code header.'
        : `Sign in as ${roleList(roles)} to do this.`,
    );
  }
  const reader = authoriseCaseRead(caller, facts);
  const role: Role = reader.kind === 'applicant' ? 'applicant' : reader.staff.role;
  if (!roles.includes(role)) throw new NotAllowedError(`Only ${roleList(roles)} can do this.`);
  return actorOf(reader);
}

export function actorOf(reader: CaseReader): Actor {
  if (reader.kind === 'applicant') return { role: 'applicant' };
  const { sub, name, role, agency } = reader.staff;
  return { role, sub, name, ...(agency !== undefined && { agency }) };
}

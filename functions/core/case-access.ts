// Who may do what (contract.md, Identity and Actions), as a decision apart from any I/O: officers and
// agencies only in their CSP (agencies only cases shared with them), the PCC's office only referred
// cases of its area, applicants only their own case by its access code. A refusal says which of the
// two it is (not signed in, or not allowed) and why; the case operations turn it into the domain error.
import type { Actor, CaseRecord } from '#core/case-record.ts';
import type { StaffRole } from '#core/schemas/local-token.ts';
import type { CaseAction } from '#core/stages.ts';

/** A member of staff as their verified sign-in names them (contract.md, "Identity"). */
export interface StaffMember {
  readonly sub: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly csp?: string;
  readonly agency?: string;
  readonly pccArea?: string;
}

export type Role = StaffRole | 'applicant';

/**
 * Who is asking, as far as the rules need to know: whether the access code given is this case's is
 * decided where its hash is compared (cases/case-identifiers.ts), and only the answer comes here.
 */
export type Requester =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'applicant'; readonly holdsAccessCode: boolean }
  | { readonly kind: 'staff'; readonly staff: StaffMember };

/** Someone who may see a case, as the views and the audit trail tell them apart. */
export type CaseReader =
  | { readonly kind: 'applicant' }
  | { readonly kind: 'staff'; readonly staff: StaffMember };

export interface Refusal {
  readonly allowed: false;
  /** Not signed in (or no access code) at all, or known and not allowed this. */
  readonly refusal: 'not-signed-in' | 'not-allowed';
  readonly reason: string;
}

export type Decision<T> = ({ readonly allowed: true } & T) | Refusal;

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
  'action-plan': ['officer'],
  referral: ['applicant', 'officer'],
  'pcc-decision': ['pcc'],
  withdraw: ['applicant', 'officer'],
};

/** Who may see and change a case's links (route B): its CSP's officers. */
export const LINK_ROLES: readonly Role[] = ['officer'];

const NOT_YOURS = 'You do not have access to this case.';
const GIVE_ACCESS_CODE = 'Sign in, or give the access code for this case in the X-Access-Code header.';

function roleList(roles: readonly Role[]): string {
  const names = roles.map((role) => ROLE_NAMES[role]);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}

const notSignedIn = (reason: string): Refusal => ({ allowed: false, refusal: 'not-signed-in', reason });
const notAllowed = (reason: string): Refusal => ({ allowed: false, refusal: 'not-allowed', reason });

/** A member of staff with one of `roles`, whatever the case. */
export function staffDecision(
  requester: Requester,
  roles: readonly StaffRole[],
): Decision<{ readonly staff: StaffMember }> {
  if (requester.kind !== 'staff') return notSignedIn(`Sign in as ${roleList(roles)} to do this.`);
  if (!roles.includes(requester.staff.role)) return notAllowed(`Only ${roleList(roles)} can do this.`);
  return { allowed: true, staff: requester.staff };
}

/** What of a case the rules look at: where it belongs, whom it is shared with, whether it was referred. */
export type CaseScope = Pick<CaseRecord, 'csp' | 'pccArea' | 'sharedWith' | 'referral'>;

function staffMaySee(staff: StaffMember, scope: CaseScope): boolean {
  const { csp, pccArea, sharedWith, referral } = scope;
  switch (staff.role) {
    case 'officer':
      return staff.csp === csp;
    case 'agency':
      return staff.csp === csp && sharedWith.some((agency) => agency === staff.agency);
    case 'pcc':
      return staff.pccArea === pccArea && referral !== null;
  }
}

/** Not signed in without any credentials; not allowed for anyone else's case (a wrong access code included). */
export function caseReadDecision(
  requester: Requester,
  scope: CaseScope,
): Decision<{ readonly reader: CaseReader }> {
  switch (requester.kind) {
    case 'anonymous':
      return notSignedIn(GIVE_ACCESS_CODE);
    case 'applicant':
      return requester.holdsAccessCode
        ? { allowed: true, reader: { kind: 'applicant' } }
        : notAllowed(NOT_YOURS);
    case 'staff':
      return staffMaySee(requester.staff, scope)
        ? { allowed: true, reader: { kind: 'staff', staff: requester.staff } }
        : notAllowed(NOT_YOURS);
  }
}

/** The actor of work on a case by one of `roles`, once the requester may see the case. */
export function caseWorkDecision(
  roles: readonly Role[],
  requester: Requester,
  scope: CaseScope,
): Decision<{ readonly actor: Actor }> {
  if (requester.kind === 'anonymous') {
    return notSignedIn(
      roles.includes('applicant') ? GIVE_ACCESS_CODE : `Sign in as ${roleList(roles)} to do this.`,
    );
  }
  const read = caseReadDecision(requester, scope);
  if (!read.allowed) return read;
  const role: Role = read.reader.kind === 'applicant' ? 'applicant' : read.reader.staff.role;
  if (!roles.includes(role)) return notAllowed(`Only ${roleList(roles)} can do this.`);
  return { allowed: true, actor: actorOf(read.reader) };
}

/** The actor of an action on a case, once the requester may see the case and may take the action. */
export function caseActionDecision(
  action: CaseAction,
  requester: Requester,
  scope: CaseScope,
): Decision<{ readonly actor: Actor }> {
  return caseWorkDecision(ACTION_ROLES[action], requester, scope);
}

export function actorOf(reader: CaseReader): Actor {
  if (reader.kind === 'applicant') return { role: 'applicant' };
  const { sub, name, role, agency } = reader.staff;
  return { role, sub, name, ...(agency !== undefined && { agency }) };
}

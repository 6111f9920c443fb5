// Turns a user pool account into the claims of a staff token (contract.md, "Identity"): the role from
// the account's one staff group, the CSP and agency from the attributes an administrator sets, and the
// PCC area of this deployment. An account that does not add up to one valid staff member gets no token.
import { type AreaConfig, isCspOf } from '#core/area-config.ts';
import { AGENCIES } from '#core/schemas/fields.ts';
import type { StaffRole } from '#shared/staff-token.ts';

const ROLES: readonly StaffRole[] = ['officer', 'agency', 'pcc'];

export interface StaffAccount {
  /** The account's user pool groups. */
  readonly groups: readonly string[];
  /** The account's attributes, as Cognito names them (`name`, `custom:csp`, ...). */
  readonly attributes: Readonly<Record<string, string | undefined>>;
}

export interface StaffClaims {
  readonly role: StaffRole;
  readonly name: string;
  readonly pccArea: string;
  readonly csp?: string;
  readonly agency?: string;
}

export class StaffClaimsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StaffClaimsError';
  }
}

export class NoStaffRoleError extends StaffClaimsError {
  constructor() {
    super(
      'This account has no staff role. Ask an administrator to add it to the officer, agency or pcc group.',
    );
    this.name = 'NoStaffRoleError';
  }
}

export class SeveralStaffRolesError extends StaffClaimsError {
  constructor() {
    super('This account is in more than one staff group. Ask an administrator to leave it in one.');
    this.name = 'SeveralStaffRolesError';
  }
}

export class StaffCspError extends StaffClaimsError {
  constructor() {
    super('This account does not name a CSP of this area. Ask an administrator to set its CSP.');
    this.name = 'StaffCspError';
  }
}

export class StaffAgencyError extends StaffClaimsError {
  constructor() {
    super(`This account does not name its agency (${AGENCIES.join(', ')}). Ask an administrator to set it.`);
    this.name = 'StaffAgencyError';
  }
}

export class OtherAreaError extends StaffClaimsError {
  constructor() {
    super('This account belongs to another police area.');
    this.name = 'OtherAreaError';
  }
}

const isAgency = (value: string | undefined): value is (typeof AGENCIES)[number] =>
  (AGENCIES as readonly (string | undefined)[]).includes(value);

export function staffClaims(account: StaffAccount, area: AreaConfig): StaffClaims {
  const roles = ROLES.filter((role) => account.groups.includes(role));
  const [role] = roles;
  if (role === undefined) throw new NoStaffRoleError();
  if (roles.length > 1) throw new SeveralStaffRolesError();
  const pccArea = account.attributes['custom:pccArea'];
  if (pccArea !== undefined && pccArea !== area.id) throw new OtherAreaError();
  const claims = { role, name: account.attributes.name ?? '', pccArea: area.id };
  if (role === 'pcc') return claims;

  const csp = account.attributes['custom:csp'];
  if (csp === undefined || !isCspOf(area, csp)) throw new StaffCspError();
  if (role === 'officer') return { ...claims, csp };

  const agency = account.attributes['custom:agency'];
  if (!isAgency(agency)) throw new StaffAgencyError();
  return { ...claims, csp, agency };
}

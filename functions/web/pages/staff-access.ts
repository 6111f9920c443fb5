import type { StaffCaller } from '#cases/caller.ts';
import { NotAllowedError, NotSignedInError } from '#core/errors.ts';
import type { StaffIdentity } from '#shared/staff-token.ts';
import type { PageContext } from '../page-context.ts';

export type { StaffCaller };

/**
 * The signed-in staff member (their session verified once, by app.ts) as the operations' caller; sends
 * anyone else to sign in, or refuses other roles.
 */
export function requireStaff(context: PageContext, roles: readonly StaffIdentity['role'][]): StaffCaller {
  const { session } = context;
  if (session.kind !== 'signed-in') throw new NotSignedInError();
  if (!roles.includes(session.staff.role)) throw new NotAllowedError();
  return { kind: 'staff', staff: session.staff };
}

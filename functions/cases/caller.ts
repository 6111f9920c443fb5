// Who is asking, as each door has established it: a member of staff whose sign-in was verified (once,
// by the door), someone holding a case's access code (checked against the case, as only the case
// knows its hash), or nobody in particular.
import type { StaffMember } from '#core/case-access.ts';

export type StaffCaller = { readonly kind: 'staff'; readonly staff: StaffMember };
export type ApplicantCaller = { readonly kind: 'applicant'; readonly accessCode: string };

export type Caller = StaffCaller | ApplicantCaller | { readonly kind: 'anonymous' };

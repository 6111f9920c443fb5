// Whom a message about a case goes to.
import type { ApplicantRecord, CaseRecord } from '#core/case-record.ts';
import type { Agency } from '#core/schemas.ts';
import type { Recipient, RecipientKind } from '#shared/notifier.ts';

export function staffRecipient(kind: Exclude<RecipientKind, 'applicant'>, record: CaseRecord): Recipient {
  return { kind, reference: record.reference, csp: record.csp };
}

/** An agency of the case's CSP, at its case review mailbox. */
export function agencyRecipient(record: CaseRecord, agency: Agency): Recipient {
  return { kind: 'agency', reference: record.reference, csp: record.csp, agency };
}

/** The applicant (who applied, possibly for someone else), with the contact details they gave. */
export function applicantRecipient(
  record: CaseRecord,
  applicant: Pick<ApplicantRecord, 'applicant'>,
): Recipient {
  const { name, email, phone, address, postcode, contactPreference } = applicant.applicant;
  return {
    kind: 'applicant',
    reference: record.reference,
    csp: record.csp,
    contact: {
      name,
      address,
      postcode,
      contactPreference,
      ...(email !== undefined && { email }),
      ...(phone !== undefined && { phone }),
    },
  };
}

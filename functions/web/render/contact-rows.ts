// The victim's single point of contact for the case review, as every page to the applicant and the
// officer's case page show it.
import type { CaseContact } from '#core/case-review.ts';

/** The victim's contact as summary list rows: who, and how to reach them. */
export function contactRows(contact: CaseContact) {
  const row = (key: string, text: string) => ({ key: { text: key }, value: { text } });
  return [
    row('Name', contact.name),
    row('Role', contact.role),
    row('Telephone', contact.phone),
    ...(contact.email === null ? [] : [row('Email', contact.email)]),
  ];
}

// The service's words for its codes, in plain English (GOV.UK style: sentence case, no jargon where a
// plain word will do), and its dates as GOV.UK writes them.

import { AGENCY_LABELS, capitalised, REPORTED_TO_NAMES } from '#core/agency-names.ts';
import { formatUkDate } from '#core/calendar-months.ts';
import type { DeadlineClock } from '#core/deadlines.ts';
import { isLocalDate, ukDateOf, ukTimeOfDay } from '#core/local-date.ts';
import type { CaseStage, ClosureReason } from '#core/stages.ts';

/** `3 May 2015`, for a UK date or the UK date of an instant. */
export function formatDate(value: string | Date): string {
  return formatUkDate(typeof value === 'string' && isLocalDate(value) ? value : ukDateOf(value));
}

/**
 * `3 May 2015 at 2:05pm` (UK time), from London's offset as local-date.ts keeps it: a timeline writes one
 * per entry, and asking Intl for each was most of what writing the dates cost.
 */
export function formatDateTime(value: string | Date): string {
  const { hour, minute } = ukTimeOfDay(value);
  const time = `${hour % 12 || 12}:${String(minute).padStart(2, '0')}${hour < 12 ? 'am' : 'pm'}`;
  return `${formatDate(value)} at ${time}`;
}

/** What the applicant is told about each stage. */
export const STAGE_FOR_APPLICANT: Readonly<Record<CaseStage, { title: string; text: string }>> = {
  received: {
    title: 'Application received',
    text: 'We have received your application and are getting it ready for the council’s case review officer.',
  },
  'awaiting-threshold-decision': {
    title: 'Checking the threshold',
    text: 'A case review officer is checking whether your application meets the threshold for a case review.',
  },
  'threshold-not-met': {
    title: 'Threshold not met',
    text: 'Your application did not meet the threshold for a case review. You can ask the Police and Crime Commissioner’s office to check how your application was handled.',
  },
  'awaiting-review': {
    title: 'Case review in progress',
    text: 'The council is reviewing your case with the agencies involved in it, such as the police, housing or health services.',
  },
  'action-plan-consultation': {
    title: 'Your comments on the action plan',
    text: 'The case review has made an action plan. Tell us what you think of it by the date given, before it is made final.',
  },
  'review-complete': {
    title: 'Case review finished',
    text: 'The case review has finished. If you are unhappy with how it was handled, you can ask the Police and Crime Commissioner’s office to check it.',
  },
  'awaiting-pcc-decision': {
    title: 'With the Police and Crime Commissioner’s office',
    text: 'The Police and Crime Commissioner’s office is checking how your case was handled.',
  },
  closed: { title: 'Closed', text: 'Your case is closed.' },
};

/** The short name staff see in worklists and tags. */
export const STAGE_NAME: Readonly<Record<CaseStage, string>> = {
  received: 'Received',
  'awaiting-threshold-decision': 'Threshold decision needed',
  'threshold-not-met': 'Threshold not met',
  'awaiting-review': 'Case review',
  'action-plan-consultation': 'Plan consultation',
  'review-complete': 'Review complete',
  'awaiting-pcc-decision': 'PCC decision needed',
  closed: 'Closed',
};

/** Who wrote a note or read a case, by their role. */
export const STAFF_ROLE_NAME: Readonly<Record<string, string>> = {
  officer: 'Officer',
  agency: 'Agency',
  pcc: 'PCC’s office',
};

/** What the case waits for at each stage, as the worklist's "next step" says it to staff. */
export const NEXT_STEP: Readonly<Record<CaseStage, string>> = {
  received: 'The service checks the threshold',
  'awaiting-threshold-decision': 'Decide whether the threshold is met',
  'threshold-not-met': 'None, unless the applicant asks the PCC’s office to check',
  'awaiting-review': 'Hold the case review and record its outcome',
  'action-plan-consultation': 'Finalise the action plan once the applicant has responded',
  'review-complete': 'Follow up the action plan',
  'awaiting-pcc-decision': 'The PCC’s office decides',
  closed: 'None',
};

/** GOV.UK tag colours, by how much a stage needs someone to act. */
export const STAGE_TAG_CLASS: Readonly<Record<CaseStage, string>> = {
  received: 'govuk-tag--grey',
  'awaiting-threshold-decision': 'govuk-tag--blue',
  'threshold-not-met': 'govuk-tag--orange',
  'awaiting-review': 'govuk-tag--blue',
  'action-plan-consultation': 'govuk-tag--blue',
  'review-complete': 'govuk-tag--green',
  'awaiting-pcc-decision': 'govuk-tag--purple',
  closed: 'govuk-tag--grey',
};

export const CLOSURE_REASON: Readonly<Record<ClosureReason, string>> = {
  'threshold-not-met':
    'The threshold for a case review was not met and no one asked the PCC’s office to check it in time.',
  'review-complete': 'The case review finished and no one asked the PCC’s office to check it in time.',
  'pcc-decided': 'The Police and Crime Commissioner’s office decided that the review stands.',
  withdrawn: 'The application was withdrawn.',
};

export const ROUTE_NAME: Readonly<Record<string, string>> = {
  A: 'Route A: one person reported 3 separate incidents',
  B: 'Route B: 5 different people reported similar incidents',
  C: 'Route C: one person reported a hate incident',
  discretionary:
    'At the partners’ discretion: the reports did not meet the usual rule, but the partners decided to hold a case review',
};

/** Whom an incident was reported to, as the forms and the case page list them. */
export const REPORTED_TO_NAME: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(REPORTED_TO_NAMES).map(([body, name]) => [body, capitalised(name)])),
  other: 'Someone else',
};

export const VICTIM_TYPE_NAME: Readonly<Record<string, string>> = {
  individual: 'A person',
  business: 'A business',
  'community-group': 'A community group',
};

export const CHANNEL_NAME: Readonly<Record<string, string>> = {
  online: 'Online',
  phone: 'Phone',
  letter: 'Letter',
  email: 'Email',
  'in-person': 'In person',
};

export const CONTACT_NAME: Readonly<Record<string, string>> = {
  email: 'Email',
  phone: 'Phone call',
  text: 'Text message',
  post: 'Letter',
};

export const HATE_MOTIVATION_NAME: Readonly<Record<string, string>> = {
  race: 'Race',
  religion: 'Religion or belief',
  disability: 'Disability',
  'sexual-orientation': 'Sexual orientation',
  'transgender-identity': 'Transgender identity',
};

export const PCC_OUTCOME_NAME: Readonly<Record<string, string>> = {
  'review-stands': 'The review stands',
  'refer-back': 'Referred back to the partnership for a fresh review',
};

export const CLOCK_NAME: Readonly<Record<DeadlineClock, string>> = {
  acknowledge: 'Acknowledge the application',
  thresholdDecision: 'Decide whether the threshold is met',
  reviewOutcome: 'Hold the case review and record the outcome',
  outcomeSent: 'Send the outcome to the applicant',
  referralWindow: 'Last day to ask the PCC’s office to check the case',
  pccDecision: 'The PCC’s office decides',
  consultation: 'Finalise the action plan after the applicant’s comments',
  actions: 'The next action of the plan is due',
};

export function nameOf(words: Readonly<Record<string, string>>, code: string | undefined | null): string {
  return code ? (words[code] ?? code) : '';
}

/** How a signed-in staff member's role reads: `Sefton officer`, `Police, Sefton`, `PCC office`. */
export function staffRoleName(
  staff: { role: string; csp?: string; agency?: string },
  cspName: (id: string) => string,
): string {
  if (staff.role === 'pcc') return 'PCC office';
  const csp = staff.csp ? cspName(staff.csp) : '';
  if (staff.role === 'agency') return `${nameOf(AGENCY_LABELS, staff.agency)}, ${csp}`;
  return `${csp} officer`;
}

/** What an audit entry records, for the people who read the audit trail. */
export const AUDIT_WHAT: Readonly<Record<string, string>> = {
  read: 'Looked at the case',
  'threshold-decision': 'Recorded the threshold decision',
  'agency-responses': 'Added an agency response',
  'review-outcome': 'Recorded the review outcome',
  contact: 'Named the case review contact',
  involvement: 'Changed how the victim takes part',
  'information-requests': 'Asked agencies for information',
  'review-meeting': 'Arranged or moved the review meeting',
  'action-plan-response': 'The applicant answered the draft action plan',
  'action-plan': 'Finalised the action plan',
  'action-progress': 'Recorded progress on an action',
  'evidence-added': 'Added a file',
  'evidence-download': 'Downloaded a file',
  'evidence-shared': 'Shared a file with the applicant',
  'evidence-unshared': 'Stopped sharing a file with the applicant',
  referral: 'Asked for a PCC referral',
  'pcc-decision': 'Recorded the PCC decision',
  withdraw: 'Withdrew the application',
  links: 'Linked or unlinked cases about the same behaviour',
  'link-suggestions': 'Looked for cases about the same behaviour',
  assigned: 'Took the case',
  unassigned: 'Handed the case back to the unassigned cases',
  note: 'Added a case note',
  'new-access-code-sent': 'Someone asked for a new access code: sent to the applicant',
  'new-access-code-not-sent': 'Someone asked for a new access code: it could not be sent',
  'new-access-code-held-back': 'Someone asked for a new access code: held back, too many asked for today',
  'new-access-code-case-closed': 'Someone asked for a new access code: none sent, the case is closed',
  'new-access-code-used': 'The applicant used their new access code: the old one no longer works',
};

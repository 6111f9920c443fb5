// Telling people what happened to a case: the applicant (each decision, its reasons, the deadline and
// the escalation route), officers (new cases, reminders), their managers (overdue escalations) and the
// PCC's office (referrals). One interface; locally the outbox (outbox-notifier.ts), in AWS an email
// service behind the same interface. A message may hold the applicant's contact details, since it is
// the letter; logs never do.
import { createHash } from 'node:crypto';
import type { PlanTally } from '#core/action-plan.ts';
import type { MeetingFacts, OutcomeFacts } from '#core/case-review-messages.ts';
import type { ContactDetails } from '#core/case-review-wording.ts';
import type { LocalDate } from '#core/local-date.ts';
import type { ActionPlanResponse, Agency, Findings, Recommendation } from '#core/schemas.ts';
import type { ClosureReason } from '#core/stages.ts';

export type RecipientKind = 'applicant' | 'officer' | 'manager' | 'pcc' | 'agency';

/** How to reach the applicant, from the application. */
export interface ApplicantContact {
  readonly name: string;
  readonly email?: string;
  readonly phone?: string;
  readonly address: string;
  readonly postcode: string;
  readonly contactPreference: string;
}

export interface Recipient {
  readonly kind: RecipientKind;
  readonly reference: string;
  /** The CSP whose officers (and managers) the message is for. */
  readonly csp: string;
  /** Only for the applicant. */
  readonly contact?: ApplicantContact;
  /** Only for an agency: which of the CSP's partners (its mailbox is in the notification settings). */
  readonly agency?: Agency;
}

/** The human step a reminder is about. */
export type ReminderStep = 'threshold-decision' | 'review-outcome' | 'action-plan' | 'pcc-decision';

/**
 * An application entered after its threshold decision was due (an officer entering an old letter): when
 * it was received, and the date the applicant is promised instead (core/deadlines.ts `promisedDeadline`).
 */
export interface LateEntry {
  readonly receivedAt: string;
  readonly promisedBy: string;
}

/** What each message says, by template: facts only, worded by messages.ts. Dates are ISO instants. */
export interface TemplateFacts {
  readonly 'application-acknowledged': {
    readonly thresholdDecisionDue: string;
    readonly cspName: string;
    readonly late?: LateEntry;
    /** Sent when the submission could send it (the only moment the code exists in clear). */
    readonly accessCode?: string;
    readonly contact: ContactDetails;
  };
  readonly 'new-access-code': { readonly accessCode: string; readonly contact: ContactDetails };
  readonly 'threshold-met': {
    readonly route: string;
    readonly reason: string;
    readonly reviewDue: string;
    readonly cspName: string;
    readonly contact: ContactDetails;
  };
  readonly 'threshold-not-met': {
    readonly reason: string;
    readonly referralDeadline: string;
    readonly cspName: string;
    /** Who the applicant contacts, with a phone number (the case's contact). */
    readonly contact: ContactDetails;
  };
  /** The outcome with its plan final at once (no recommendations, or the victim chose not to be consulted). */
  readonly 'review-outcome': {
    readonly heldOn: string;
    readonly summary: string;
    /** Absent from an outcome recorded before the 2025 review. */
    readonly findings?: Findings;
    readonly recommendations: readonly Recommendation[];
    readonly referralDeadline: string;
    readonly cspName: string;
    readonly contact: ContactDetails;
  };
  /** The outcome with the draft plan the victim is consulted on. */
  readonly 'draft-action-plan': {
    readonly outcome: OutcomeFacts;
    readonly actions: readonly Recommendation[];
    readonly respondBy: LocalDate;
    readonly contact: ContactDetails;
  };
  /** The plan made final after the consultation. */
  readonly 'final-action-plan': {
    readonly actions: readonly Recommendation[];
    readonly changes: string;
    readonly referralDeadline: string;
    readonly contact: ContactDetails;
  };
  /** An officer named a person the victim's single point of contact. */
  readonly 'contact-named': { readonly contact: ContactDetails };
  /** An action of the final plan finished (done, or it cannot be done), with its owner's note. */
  readonly 'action-finished': {
    readonly action: Recommendation & { readonly id: string };
    readonly status: 'done' | 'cannot-be-done';
    readonly note: string;
    readonly openActions: number;
    readonly contact: ContactDetails;
  };
  /** An agency asked for what it knew and did, by its date, with the officer's message. */
  readonly 'information-request': {
    readonly dueBy: LocalDate;
    readonly message: string;
    readonly again: boolean;
    readonly cspName: string;
  };
  /**
   * An invitation to the review meeting (or word that it moved): to each agency invited and to the
   * applicant who chose to attend.
   */
  readonly 'meeting-invitation': {
    readonly meeting: MeetingFacts;
    readonly cspName: string;
    readonly contact: ContactDetails;
  };
  /** A final plan gives an agency actions (and shares the case with it). */
  readonly 'actions-assigned': {
    readonly cspName: string;
    readonly actions: readonly (Recommendation & { readonly id: string })[];
  };
  /** An action of the plan is overdue: to its owner agency first, to the officer once it was reminded. */
  readonly 'action-overdue': {
    readonly to: 'agency' | 'officer';
    readonly action: Recommendation & { readonly id: string };
  };
  /** An agency has not answered its information request by its day: to the agency, later to the officer. */
  readonly 'request-overdue': {
    readonly to: 'agency' | 'officer';
    readonly agency: Agency;
    readonly dueBy: LocalDate;
  };
  readonly 'referral-received': { readonly pccDecisionDue: string; readonly contact: ContactDetails };
  readonly 'pcc-decision': {
    readonly outcome: 'review-stands' | 'refer-back';
    readonly reason: string;
    readonly reviewDue?: string;
    /** The reviewed cycle's final plan (replaced by a refer-back), null without actions. */
    readonly plan: PlanTally | null;
    readonly contact: ContactDetails;
  };
  /** `plan`: the final plan of the case's last review, null without actions. */
  readonly 'case-closed': {
    readonly reason: ClosureReason;
    readonly plan: PlanTally | null;
    readonly contact: ContactDetails;
  };
  readonly 'new-case': {
    readonly cspName: string;
    readonly thresholdDecisionDue: string;
    readonly assessedMet: boolean;
    readonly route: string | null;
    readonly late?: LateEntry;
  };
  readonly 'decision-reminder': {
    readonly step: ReminderStep;
    readonly due: string;
    readonly nextReminder: string;
    /** For the final plan: whether the victim answered the draft (the consultation's respond-by is `due`). */
    readonly answered?: boolean;
  };
  /** The victim answered the draft plan: the officer is told, to finalise it. */
  readonly 'consultation-response': {
    readonly response: ActionPlanResponse;
    readonly respondBy: LocalDate;
  };
  readonly 'overdue-escalation': {
    readonly step: ReminderStep;
    readonly due: string;
    readonly cspName: string;
  };
  readonly 'new-referral': { readonly cspName: string; readonly pccDecisionDue: string };
  readonly 'referred-back': { readonly reviewDue: string; readonly reason: string };
  /** A scan found malware in a file on the case (which one, the case's files say: no name here). */
  readonly 'evidence-threat': Record<string, never>;
  /** The applicant's reason only when they gave one. */
  readonly 'case-withdrawn': { readonly reason?: string; readonly fearOfReprisal: boolean };
}

export type TemplateName = keyof TemplateFacts;

export type Notification = {
  [T in TemplateName]: {
    readonly to: Recipient;
    readonly template: T;
    readonly facts: TemplateFacts[T];
    /**
     * What makes this message distinct among the case's messages of this template and recipient
     * (the review cycle, the deadline reminded of): a retried step sends the same message once.
     */
    readonly key: string;
  };
}[TemplateName];

export interface Notifier {
  notify(notification: Notification): Promise<void>;
}

/** The message's id: the same notification (retried) always has the same id. */
export function messageId(notification: Notification): string {
  const { to, template, key } = notification;
  // Each agency is a recipient of its own; the other kinds keep the ids their messages always had.
  const who = to.agency === undefined ? [to.kind] : [to.kind, to.agency];
  return createHash('sha256')
    .update(JSON.stringify([to.reference, ...who, template, key]))
    .digest('hex')
    .slice(0, 32);
}

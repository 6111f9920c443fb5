import {
  type CspConfig,
  type DeadlineRules,
  type ReviewDeadlineRules,
  reviewDeadlinesOf,
} from './area-config.ts';
import type { RepliesDue } from './case-record.ts';
import { endOfUkDay, type Instant, type LocalDate, toInstant, ukDateOf } from './local-date.ts';
import type { Agency } from './schemas.ts';
import type { CaseStage } from './stages.ts';
import { addWorkingDays, workingDayDeadline } from './working-days.ts';

/**
 * Deadline instants of a case, each N working days (from the CSP's config) after the moment that
 * starts its clock, read as working-days.ts defines: the end of the Nth working day after that
 * moment's UK date. Deadlines are ISO-8601 UTC strings, ready for workflow state, a Step Functions
 * Wait state's timestamp and the API.
 *
 * | clock             | starts when                                                                   |
 * |-------------------|-------------------------------------------------------------------------------|
 * | acknowledge       | the application is received                                                   |
 * | thresholdDecision | the application is received                                                   |
 * | reviewOutcome     | the case enters awaiting-review (threshold decision, or a PCC refer-back)     |
 * | outcomeSent       | the review outcome is recorded                                                |
 * | referralWindow    | the applicant is sent the threshold-not-met decision or the review outcome    |
 * | pccDecision       | the applicant (or an officer) asks for a PCC referral                         |
 * | consultation      | the draft action plan is sent to the applicant (ends with its respond-by day) |
 * | actions           | the case waits for its plan's actions (ends with the earliest open one's day) |
 */

export type DeadlineClock = keyof DeadlineRules | 'consultation' | 'actions';
export const DEADLINE_CLOCKS = [
  'acknowledge',
  'thresholdDecision',
  'reviewOutcome',
  'outcomeSent',
  'referralWindow',
  'pccDecision',
] as const satisfies readonly DeadlineClock[];

export type CaseDeadlines = Partial<Record<DeadlineClock, string>>;

/**
 * The moments that start the clocks, each the LATEST occurrence (a PCC refer-back starts a new review
 * cycle, so an earlier review outcome, notification or referral no longer sets a deadline).
 */
export interface CaseMilestones {
  readonly receivedAt: Instant;
  readonly thresholdDecidedAt?: Instant;
  /** When the case last entered awaiting-review. */
  readonly reviewStartedAt?: Instant;
  readonly reviewOutcomeAt?: Instant;
  /** When the applicant was last sent a threshold-not-met decision or a review outcome. */
  readonly applicantNotifiedAt?: Instant;
  readonly referredAt?: Instant;
  /** When the applicant was last sent a draft action plan to comment on. */
  readonly planDraftSentAt?: Instant;
  /**
   * When the case began to wait for its plan's actions: the referral window ended, or the PCC's office
   * let the review stand, while an action was open (it then closes when the last one finishes).
   */
  readonly actionsAwaitedAt?: Instant;
  /** While the case waits for its actions: the end of the due day of the earliest one still open. */
  readonly actionsDue?: Instant;
}

export interface NextDeadline {
  readonly clock: DeadlineClock;
  readonly due: string;
}

/** The deadline of one clock started at `startedAt`, as an ISO-8601 UTC string. */
export function deadlineFor(clock: keyof DeadlineRules, csp: CspConfig, startedAt: Instant): string {
  return workingDayDeadline(startedAt, csp.deadlines[clock]).toISOString();
}

/**
 * The day a clock of the case review ends (a draft plan's respond-by date, an information request's
 * default due date): the Nth working day after the UK date of `startedAt`, N the CSP's own or the
 * default. It is a date because the person is given a date; the clock runs to the end of that day.
 */
export function reviewDueDate(
  clock: keyof ReviewDeadlineRules,
  csp: CspConfig,
  startedAt: Instant,
): LocalDate {
  return addWorkingDays(ukDateOf(startedAt), reviewDeadlinesOf(csp)[clock]);
}

const ms = (instant: Instant | undefined): number | undefined =>
  instant === undefined ? undefined : toInstant(instant).getTime();

const notBefore = (instant: number | undefined, floor: number | undefined): boolean =>
  instant !== undefined && (floor === undefined || instant >= floor);

/** Every deadline whose clock has started in the case's current cycle. */
export function caseDeadlines(csp: CspConfig, milestones: CaseMilestones): CaseDeadlines {
  const reviewStarted = ms(milestones.reviewStartedAt);
  const reviewOutcome = ms(milestones.reviewOutcomeAt);
  const notified = ms(milestones.applicantNotifiedAt);
  const referred = ms(milestones.referredAt);
  const draftSent = ms(milestones.planDraftSentAt);
  const currentOutcome = notBefore(reviewOutcome, reviewStarted) ? reviewOutcome : undefined;
  // The decision the applicant may refer: the current review's outcome, or the threshold decision when
  // no review has started.
  const referable = reviewStarted === undefined ? ms(milestones.thresholdDecidedAt) : currentOutcome;
  const deadline = (clock: keyof DeadlineRules, startedAt: number) =>
    deadlineFor(clock, csp, new Date(startedAt));

  const deadlines: CaseDeadlines = {
    acknowledge: deadlineFor('acknowledge', csp, milestones.receivedAt),
    thresholdDecision: deadlineFor('thresholdDecision', csp, milestones.receivedAt),
  };
  if (reviewStarted !== undefined) deadlines.reviewOutcome = deadline('reviewOutcome', reviewStarted);
  if (currentOutcome !== undefined) deadlines.outcomeSent = deadline('outcomeSent', currentOutcome);
  if (referable !== undefined && notified !== undefined && notified >= referable) {
    deadlines.referralWindow = deadline('referralWindow', notified);
  }
  if (referred !== undefined && notBefore(referred, reviewStarted)) {
    deadlines.pccDecision = deadline('pccDecision', referred);
  }
  if (draftSent !== undefined && notBefore(draftSent, reviewStarted)) {
    // The end of the draft's respond-by day (core/action-plan.ts, respondByDeadline): the same clock.
    const respondBy = reviewDueDate('consultation', csp, new Date(draftSent));
    deadlines.consultation = endOfUkDay(respondBy).toISOString();
  }
  if (milestones.actionsAwaitedAt !== undefined && milestones.actionsDue !== undefined) {
    deadlines.actions = toInstant(milestones.actionsDue).toISOString();
  }
  return deadlines;
}

/** The clocks a stage waits on; the first one the case has is the one due. */
const STAGE_CLOCKS: Readonly<Record<CaseStage, readonly DeadlineClock[]>> = {
  received: ['acknowledge'],
  'awaiting-threshold-decision': ['thresholdDecision'],
  'threshold-not-met': ['referralWindow'],
  'awaiting-review': ['reviewOutcome'],
  'action-plan-consultation': ['consultation'],
  // Once the outcome is sent the referral window is open; until then the outcome's own deadline applies.
  // Once the window has ended with actions open, the next action due is what the case waits on.
  'review-complete': ['actions', 'referralWindow', 'outcomeSent'],
  'awaiting-pcc-decision': ['pccDecision'],
  closed: [],
};

/** The deadline a worklist shows for a case at `stage`, or null when nothing is due. */
export function nextDeadline(stage: CaseStage, deadlines: CaseDeadlines): NextDeadline | null {
  for (const clock of STAGE_CLOCKS[stage]) {
    const due = deadlines[clock];
    if (due !== undefined) return { clock, due };
  }
  return null;
}

/** Working days between reminders of an overdue decision. */
export const REMINDER_INTERVAL_WORKING_DAYS = 2;

/**
 * When to remind first of a deadline: when it passes, or, for a case entered after it had passed (an
 * officer entering an old letter), one reminder interval after entry, so that the officer has that
 * long to decide before being chased. The deadline itself still stands, and the case shows as overdue.
 */
export function firstReminderAt(due: Instant, enteredAt: Instant): string {
  const afterEntry = workingDayDeadline(enteredAt, REMINDER_INTERVAL_WORKING_DAYS);
  return new Date(Math.max(toInstant(due).getTime(), afterEntry.getTime())).toISOString();
}

/**
 * What a letter may promise for a clock whose deadline is `due`: the deadline itself, or, when it had
 * passed by the time the case was entered, the clock's own number of working days from entry (`late`).
 * No letter promises a day already gone.
 */
export function promisedDeadline(
  clock: keyof DeadlineRules,
  csp: CspConfig,
  due: Instant,
  enteredAt: Instant,
): { readonly by: string; readonly late: boolean } {
  return isOverdue(due, enteredAt)
    ? { by: deadlineFor(clock, csp, enteredAt), late: true }
    : { by: toInstant(due).toISOString(), late: false };
}

/**
 * The stages at which a final plan's open actions are followed (each owner's next one, the case item's
 * `actionsDueBy`): after the review, in the referral window, before the PCC's office and while the case
 * waits for them.
 */
export function followsPlanActions(stage: CaseStage): boolean {
  return stage === 'review-complete' || stage === 'awaiting-pcc-decision';
}

/**
 * Whether a worklist flags a case as overdue for `viewer` (an agency, or null for the officer and the PCC's
 * office): the deadline the case waits on has passed, or, once its plan is final (`actionsDueBy`: each
 * owner's next open action, in the referral window, before the PCC's office and while the case waits for
 * them), an open action's day has (contract.md: an overdue action is overdue "on the owner's and the
 * officer's worklists"); an agency's worklist then flags only an action of its own. While the case
 * awaits its review, an agency's worklist flags only its own request not answered by its date (contract.md:
 * each agency's worklist shows its own due date, overdue requests are flagged). A case kept before the
 * case item knew who had answered (`repliesAwaited` null) is flagged by its deadline.
 */
export function isOverdueOnWorklist(
  entry: {
    readonly stage: CaseStage;
    readonly cycle: number;
    readonly nextDeadline: string | null;
    readonly actionsDueBy: Readonly<Partial<Record<Agency, string>>> | null;
    readonly repliesAwaited: RepliesDue | null;
  },
  viewer: Agency | null,
  now: Instant,
): boolean {
  const planned = followsPlanActions(entry.stage) ? entry.actionsDueBy : null;
  if (viewer !== null && planned !== null) {
    const own = planned[viewer];
    return own !== undefined && isOverdue(own, now);
  }
  if (planned !== null && Object.values(planned).some((due) => due !== undefined && isOverdue(due, now))) {
    return true;
  }
  if (viewer !== null && entry.stage === 'awaiting-review' && entry.repliesAwaited?.cycle === entry.cycle) {
    const own = entry.repliesAwaited.dueBy[viewer];
    return own !== undefined && isOverdue(endOfUkDay(own), now);
  }
  return entry.nextDeadline !== null && isOverdue(entry.nextDeadline, now);
}

/** A deadline is missed once `now` is past it (the deadline instant itself is still in time). */
export function isOverdue(due: Instant, now: Instant): boolean {
  return toInstant(now).getTime() > toInstant(due).getTime();
}

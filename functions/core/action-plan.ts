// The action plan of a case review, followed to the end (contract.md, "The case review"; domain.md,
// stage 3): a draft the victim is consulted on, the final plan, each action with its id, owner, due
// date, status and progress notes, when it is overdue, what the applicant sees, which agencies it
// shares the case with, and what it means for closing and for the published counts. Pure: the clock
// and the CSP are passed in.
import type { CspConfig } from '#core/area-config.ts';
import type { Actor } from '#core/case-record.ts';
import { REMINDER_INTERVAL_WORKING_DAYS, reviewDueDate } from '#core/deadlines.ts';
import { endOfUkDay, type Instant, type LocalDate, toInstant, ukDateOf } from '#core/local-date.ts';
import {
  type ActionPlanBody,
  type ActionPlanResponse,
  type ActionProgressBody,
  AGENCIES,
  type Agency,
  type Involvement,
  type ProgressStatus,
  type Recommendation,
} from '#core/schemas.ts';
import { workingDayDeadline } from '#core/working-days.ts';

export const ACTION_STATUSES = ['open', 'in-progress', 'done', 'cannot-be-done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const PLAN_STATUSES = ['draft', 'final'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** One progress note; the victim reads `note`, staff also see who wrote it. */
export interface ActionProgress {
  readonly at: string;
  readonly status: ProgressStatus;
  readonly note: string;
  readonly by: Actor;
}

export interface PlanAction extends Recommendation {
  readonly id: string;
  readonly status: ActionStatus;
  /** Oldest first. */
  readonly progress: readonly ActionProgress[];
}

export interface ConsultationResponse extends ActionPlanResponse {
  readonly at: string;
}

export interface ActionPlan {
  /** The review cycle whose outcome made it. */
  readonly cycle: number;
  readonly status: PlanStatus;
  /** When it was sent to the applicant: as a draft, then (final) again. */
  readonly sentAt: string;
  /** A draft's last day for the victim's comments (UK date); null for a plan final at once. */
  readonly respondBy: LocalDate | null;
  /** The victim's answer to the draft (a later answer replaces it). */
  readonly response: ConsultationResponse | null;
  /** What changed after the consultation, in the officer's words; null until finalised after one. */
  readonly changes: string | null;
  readonly actions: readonly PlanAction[];
  /** Set when a PCC refer-back started a new review: the plan stays visible as replaced. */
  readonly replacedAt: string | null;
}

/**
 * Whether the outcome goes to the victim as a draft: it has recommendations and the victim did not
 * choose `consultOnPlan: false` (no involvement recorded means they are consulted, as the guidance asks).
 */
export function goesToConsultation(
  recommendations: readonly Recommendation[],
  involvement: Pick<Involvement, 'consultOnPlan'> | null,
): boolean {
  return recommendations.length > 0 && involvement?.consultOnPlan !== false;
}

/** An action's id: its cycle and its place in the plan, `2-3` for the third action of the second review. */
export function actionId(cycle: number, index: number): string {
  return `${cycle}-${index + 1}`;
}

/** An action's number in its plan, as the pages head it ("Action 3"), from its id. */
export function actionNumber(id: string): string {
  return id.slice(id.indexOf('-') + 1);
}

function actionsOf(cycle: number, recommendations: readonly Recommendation[]): PlanAction[] {
  return recommendations.map((recommendation, index) => ({
    ...recommendation,
    id: actionId(cycle, index),
    status: 'open',
    progress: [],
  }));
}

/**
 * The plan a review outcome makes, sent to the applicant at `sentAt`: a draft with a respond-by date
 * (the CSP's `consultation` working days) when `consultation`, else final at once.
 */
export function planFromOutcome(
  recommendations: readonly Recommendation[],
  context: {
    readonly cycle: number;
    readonly csp: CspConfig;
    readonly sentAt: Date;
    readonly consultation: boolean;
  },
): ActionPlan {
  const { cycle, csp, sentAt, consultation } = context;
  return {
    cycle,
    status: consultation ? 'draft' : 'final',
    sentAt: sentAt.toISOString(),
    respondBy: consultation ? reviewDueDate('consultation', csp, sentAt) : null,
    response: null,
    changes: null,
    actions: actionsOf(cycle, recommendations),
    replacedAt: null,
  };
}

/** The end of a draft's respond-by day: when the officer is reminded to finalise it. */
export function respondByDeadline(plan: ActionPlan): string | null {
  return plan.respondBy === null ? null : endOfUkDay(plan.respondBy).toISOString();
}

export class PlanStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanStateError';
  }
}

/** The victim's answer to the draft; a later answer replaces an earlier one. */
export function withConsultationResponse(
  plan: ActionPlan,
  response: ActionPlanResponse,
  at: Date,
): ActionPlan {
  if (plan.status !== 'draft') throw new PlanStateError('Only a draft plan takes the victim’s response');
  return { ...plan, response: { ...response, at: at.toISOString() } };
}

/** The officer's final plan after the consultation, sent to the applicant at `at`. */
export function finalisePlan(plan: ActionPlan, body: ActionPlanBody, at: Date): ActionPlan {
  if (plan.status !== 'draft') throw new PlanStateError('The plan is already final');
  return {
    ...plan,
    status: 'final',
    sentAt: at.toISOString(),
    changes: body.changes,
    actions: actionsOf(plan.cycle, body.recommendations),
  };
}

export function isFinished(status: ActionStatus): boolean {
  return status === 'done' || status === 'cannot-be-done';
}

/** The actions of a plan still to be finished: none for a plan replaced by a new review. */
export function openActions(plan: ActionPlan | null): PlanAction[] {
  if (plan === null || plan.status !== 'final' || plan.replacedAt !== null) return [];
  return plan.actions.filter((action) => !isFinished(action.status));
}

/** How far the actions of a final plan have got, as the applicant's letters say it. */
export interface PlanTally {
  readonly actions: number;
  readonly open: number;
  readonly done: number;
  readonly cannotBeDone: number;
}

/** The tally of a final plan with actions (replaced or not); null for none or a draft. */
export function planTally(plan: ActionPlan | null): PlanTally | null {
  if (plan === null || plan.status !== 'final' || plan.actions.length === 0) return null;
  const count = (status: ActionStatus) => plan.actions.filter((action) => action.status === status).length;
  return {
    actions: plan.actions.length,
    open: plan.actions.filter((action) => !isFinished(action.status)).length,
    done: count('done'),
    cannotBeDone: count('cannot-be-done'),
  };
}

/** Overdue: past its due day (UK date) and not finished. */
export function isActionOverdue(action: Pick<PlanAction, 'dueBy' | 'status'>, now: Instant): boolean {
  return !isFinished(action.status) && ukDateOf(now) > action.dueBy;
}

export type ProgressResult =
  | {
      readonly outcome: 'recorded';
      readonly plan: ActionPlan;
      readonly action: PlanAction;
      /** The action finished with this note (the applicant is told). */
      readonly finishedNow: boolean;
      /** No action of the plan is open any more (the case may now close). */
      readonly planFinished: boolean;
    }
  | { readonly outcome: 'unknown-action' }
  | { readonly outcome: 'not-final' };

/** A progress note on action `id` of a final plan; its status becomes the note's. */
export function recordProgress(
  plan: ActionPlan,
  id: string,
  body: ActionProgressBody,
  context: { readonly at: Date; readonly by: Actor },
): ProgressResult {
  if (plan.status !== 'final' || plan.replacedAt !== null) return { outcome: 'not-final' };
  const before = plan.actions.find((action) => action.id === id);
  if (before === undefined) return { outcome: 'unknown-action' };
  const action: PlanAction = {
    ...before,
    status: body.status,
    progress: [...before.progress, { ...body, at: context.at.toISOString(), by: context.by }],
  };
  const after: ActionPlan = {
    ...plan,
    actions: plan.actions.map((each) => (each.id === id ? action : each)),
  };
  return {
    outcome: 'recorded',
    plan: after,
    action,
    finishedNow: isFinished(action.status) && !isFinished(before.status),
    planFinished: openActions(after).length === 0,
  };
}

/** A PCC refer-back starts a new review: the plan stays visible, as replaced. */
export function replacePlan(plan: ActionPlan, at: Date): ActionPlan {
  return plan.replacedAt === null ? { ...plan, replacedAt: at.toISOString() } : plan;
}

/** The agencies a final plan shares the case with: each action's owner, in the order of AGENCIES. */
export function planOwners(plan: ActionPlan): Agency[] {
  if (plan.status !== 'final') return [];
  return AGENCIES.filter((agency) => plan.actions.some((action) => action.owner === agency));
}

/** `sharedWith` with `more` added (no agency twice, in the order of AGENCIES); nobody is removed. */
export function sharedWithAlso(sharedWith: readonly Agency[], more: readonly Agency[]): Agency[] {
  return AGENCIES.filter((agency) => sharedWith.includes(agency) || more.includes(agency));
}

/**
 * When the referral window starts (contract.md, "Stages"): when the outcome is sent, or, after a
 * consultation, when the final plan is sent; null while the draft is out.
 */
export function referralWindowStartsAt(outcomeSentAt: string, plan: ActionPlan | null): string | null {
  if (plan === null || plan.respondBy === null) return outcomeSentAt;
  return plan.status === 'final' ? plan.sentAt : null;
}

/** The facts the published count of reviews with recommendations needs from a plan (core/counting.ts). */
export function finalPlanFacts(
  plan: ActionPlan | null,
): { readonly at: string; readonly actions: number } | null {
  return plan === null || plan.status !== 'final' ? null : { at: plan.sentAt, actions: plan.actions.length };
}

interface ProgressView {
  readonly at: string;
  readonly status: ProgressStatus;
  readonly note: string;
}

export interface ActionView extends Recommendation {
  readonly id: string;
  readonly status: ActionStatus;
  readonly overdue: boolean;
  readonly progress: readonly (ProgressView & { readonly by?: Actor })[];
}

/** The case view's `actionPlan`. */
export interface ActionPlanView {
  readonly status: PlanStatus;
  readonly respondBy: LocalDate | null;
  readonly response: ConsultationResponse | null;
  readonly changes: string | null;
  readonly replaced: boolean;
  readonly actions: readonly ActionView[];
}

/**
 * The plan as the case view shows it at `now`: staff see who wrote each note; the applicant sees the
 * actions, their status and notes, and their own response — no staff names. An agency's response to the
 * information request is never part of the plan.
 */
export function actionPlanView(
  plan: ActionPlan,
  audience: 'staff' | 'applicant',
  now: Instant,
): ActionPlanView {
  return {
    status: plan.status,
    respondBy: plan.respondBy,
    response: plan.response,
    changes: plan.changes,
    replaced: plan.replacedAt !== null,
    actions: plan.actions.map((action) => ({
      id: action.id,
      action: action.action,
      owner: action.owner,
      dueBy: action.dueBy,
      status: action.status,
      overdue: plan.status === 'final' && plan.replacedAt === null && isActionOverdue(action, now),
      progress: action.progress.map(({ at, status, note, by }) =>
        audience === 'staff' ? { at, status, note, by } : { at, status, note },
      ),
    })),
  };
}

/** The earliest due day among a plan's open actions, as the end of that UK day: what a worklist orders by. */
export function nextActionDue(plan: ActionPlan | null): string | null {
  const days = openActions(plan)
    .map((action) => action.dueBy)
    .sort();
  const first = days[0];
  return first === undefined ? null : endOfUkDay(first).toISOString();
}

/** Each owner's earliest due day among the plan's open actions, as the end of that UK day. */
export function nextActionDueByOwner(plan: ActionPlan | null): Partial<Record<Agency, string>> {
  const byOwner: Partial<Record<Agency, string>> = {};
  for (const action of openActions(plan)) {
    const due = endOfUkDay(action.dueBy).toISOString();
    const earlier = byOwner[action.owner];
    if (earlier === undefined || due < earlier) byOwner[action.owner] = due;
  }
  return byOwner;
}

/**
 * The case's record of an overdue action reminded at `at` (a key of its `reminders`): once per action and
 * instant, whichever wait sent it.
 */
export const actionReminderKey = (cycle: number, actionId: string, at: string) =>
  `actions-finished#${cycle}#${actionId}#${at}`;

/**
 * A reminder of an overdue action while the case is in the referral window or before the PCC's office:
 * to its owner once its day has ended, then to its owner and the officer one reminder interval later.
 * Its key is the one the wait for the actions records for a timeout at that instant, so that wait, which
 * reminds at each of its timeouts from then on, repeats neither.
 */
export interface ActionReminder {
  readonly action: PlanAction;
  /** When it falls due (ISO). */
  readonly at: string;
  /** The owner's first reminder of the action; from the next on the officer is told too. */
  readonly first: boolean;
  readonly key: string;
}

/**
 * Of the open actions' reminders not yet sent (keys in `sent`), the latest due at `now` of each action (an
 * earlier one is settled by a later one sent), and when the next falls due (null when none is left).
 */
export function pendingActionReminders(
  plan: ActionPlan | null,
  cycle: number,
  sent: Readonly<Record<string, string>>,
  now: Instant,
): { readonly due: ActionReminder[]; readonly next: string | null } {
  const at = toInstant(now).getTime();
  const due: ActionReminder[] = [];
  const later: string[] = [];
  for (const action of openActions(plan)) {
    const ended = endOfUkDay(action.dueBy);
    // The second reminder is counted in working days only once the action's day has ended: until then
    // the first comes sooner.
    const instants =
      ended.getTime() < at ? [ended, workingDayDeadline(ended, REMINDER_INTERVAL_WORKING_DAYS)] : [ended];
    const reminders = instants.map((instant, index): ActionReminder => {
      const iso = instant.toISOString();
      return { action, at: iso, first: index === 0, key: actionReminderKey(cycle, action.id, iso) };
    });
    const pending = reminders.slice(reminders.findLastIndex(({ key }) => sent[key] !== undefined) + 1);
    const passed = pending.filter((reminder) => Date.parse(reminder.at) < at);
    const last = passed.at(-1);
    if (last !== undefined) due.push(last);
    later.push(...pending.filter((reminder) => Date.parse(reminder.at) >= at).map((reminder) => reminder.at));
  }
  return { due: due.sort((a, b) => a.at.localeCompare(b.at)), next: later.sort()[0] ?? null };
}

/** The open actions overdue at `now`, oldest due first: each is reminded to its owner, then the officer. */
export function overdueActions(plan: ActionPlan | null, now: Instant): PlanAction[] {
  const at = toInstant(now);
  return openActions(plan)
    .filter((action) => isActionOverdue(action, at))
    .sort((a, b) => (a.dueBy < b.dueBy ? -1 : a.dueBy > b.dueBy ? 1 : 0));
}

// The case review's records of one case taken together (core/case-review.ts, core/action-plan.ts),
// and how each step of the 2025 review changes them and which stage event it gives the state machine
// (core/stages.ts, ReviewStageEvent). Pure: the operations read the state, call these, and write the
// result with the case; the workflow sends the events. Personal data (the victim's involvement, names,
// notes) lives here, never on the case item or in workflow input.
import {
  type ActionPlan,
  finalisePlan,
  goesToConsultation,
  openActions,
  type ProgressResult,
  planFromOutcome,
  planOwners,
  recordProgress,
  replacePlan,
  withConsultationResponse,
} from '#core/action-plan.ts';
import type { CspConfig } from '#core/area-config.ts';
import type { Actor } from '#core/case-record.ts';
import {
  askedAgencies,
  type InformationRequest,
  isRescheduled,
  type MeetingNotices,
  meetingNotices,
  type NamedContact,
  type ReviewMeeting,
  withInformationRequests,
} from '#core/case-review.ts';
import type { ReviewRuleFacts } from '#core/case-review-rules.ts';
import type {
  ActionPlanBody,
  ActionPlanResponse,
  ActionProgressBody,
  Agency,
  CaseContactBody,
  InformationRequestBody,
  Involvement,
  Recommendation,
  ReviewMeetingBody,
} from '#core/schemas.ts';
import type { CaseStage, ReviewStageEvent } from '#core/stages.ts';

export interface CaseReviewState {
  /** The person an officer named; null while the CSP's team is the contact. */
  readonly contact: NamedContact | null;
  readonly involvement: Involvement | null;
  /** Every cycle's requests. */
  readonly informationRequests: readonly InformationRequest[];
  /** The latest arrangement of each cycle's meeting. */
  readonly meetings: readonly ReviewMeeting[];
  /** One plan per cycle that made one; all but the current cycle's are replaced. */
  readonly plans: readonly ActionPlan[];
}

export const NO_REVIEW_YET: CaseReviewState = {
  contact: null,
  involvement: null,
  informationRequests: [],
  meetings: [],
  plans: [],
};

/** A new application's review state: its involvement, if the victim chose one. */
export function reviewStateOf(involvement: Involvement | undefined): CaseReviewState {
  return { ...NO_REVIEW_YET, involvement: involvement ?? null };
}

export function planOf(state: CaseReviewState, cycle: number): ActionPlan | null {
  return state.plans.find((plan) => plan.cycle === cycle) ?? null;
}

export function meetingOf(state: CaseReviewState, cycle: number): ReviewMeeting | null {
  return state.meetings.find((meeting) => meeting.cycle === cycle) ?? null;
}

/** What case-review-rules.ts needs, from the case's stage and cycle and this state. */
export function ruleFactsOf(
  state: CaseReviewState,
  kase: {
    readonly stage: CaseStage;
    readonly cycle: number;
    /** The current cycle's review outcome is recorded. */
    readonly reviewRecorded: boolean;
    readonly referralWindowEnded: boolean;
  },
): ReviewRuleFacts {
  return {
    stage: kase.stage,
    reviewRecorded: kase.reviewRecorded,
    referralWindowEnded: kase.referralWindowEnded,
    askedAgencies: askedAgencies(state.informationRequests, kase.cycle),
  };
}

interface StepContext {
  readonly cycle: number;
  readonly now: Date;
  readonly by: Actor;
}

export function withContact(
  state: CaseReviewState,
  body: CaseContactBody,
  context: StepContext,
): CaseReviewState {
  return { ...state, contact: { ...body, at: context.now.toISOString(), by: context.by } };
}

export function withInvolvement(state: CaseReviewState, involvement: Involvement): CaseReviewState {
  return { ...state, involvement };
}

/** Agencies asked: the requests, and the agencies the case is now shared with (exactly those named). */
export function askAgencies(
  state: CaseReviewState,
  body: InformationRequestBody,
  context: StepContext & { readonly csp: CspConfig },
): { readonly state: CaseReviewState; readonly shareWith: readonly Agency[] } {
  const informationRequests = withInformationRequests(state.informationRequests, body, context);
  return { state: { ...state, informationRequests }, shareWith: body.agencies };
}

/** The meeting arranged (or moved), and who is to be told. */
export function arrangeMeeting(
  state: CaseReviewState,
  body: ReviewMeetingBody,
  context: StepContext,
): {
  readonly state: CaseReviewState;
  readonly rescheduled: boolean;
  readonly notify: MeetingNotices;
} {
  const before = meetingOf(state, context.cycle);
  const notify = meetingNotices(before, body, state.involvement);
  const rescheduled = isRescheduled(before, body);
  const meeting: ReviewMeeting = {
    ...body,
    cycle: context.cycle,
    arrangedAt: context.now.toISOString(),
    by: context.by,
    rescheduled,
    notified: notify,
  };
  return {
    state: {
      ...state,
      meetings: [...state.meetings.filter((each) => each.cycle !== context.cycle), meeting],
    },
    rescheduled,
    notify,
  };
}

/**
 * The outcome recorded and sent: its plan (a draft when the victim is consulted), the stage event, and
 * the agencies a plan final at once shares the case with.
 */
export function recordOutcome(
  state: CaseReviewState,
  recommendations: readonly Recommendation[],
  context: StepContext & { readonly csp: CspConfig },
): {
  readonly state: CaseReviewState;
  readonly plan: ActionPlan;
  readonly event: ReviewStageEvent;
  readonly shareWith: readonly Agency[];
} {
  const consultation = goesToConsultation(recommendations, state.involvement);
  const plan = planFromOutcome(recommendations, {
    cycle: context.cycle,
    csp: context.csp,
    sentAt: context.now,
    consultation,
  });
  return {
    state: { ...state, plans: [...state.plans.filter((each) => each.cycle !== context.cycle), plan] },
    plan,
    event: { type: 'review-outcome', consultation },
    shareWith: planOwners(plan),
  };
}

function replacingPlan(state: CaseReviewState, plan: ActionPlan): CaseReviewState {
  return { ...state, plans: state.plans.map((each) => (each.cycle === plan.cycle ? plan : each)) };
}

/** The victim's answer to the draft; null when the cycle has no draft (the stage rules say why). */
export function answerConsultation(
  state: CaseReviewState,
  response: ActionPlanResponse,
  context: Pick<StepContext, 'cycle' | 'now'>,
): CaseReviewState | null {
  const plan = planOf(state, context.cycle);
  if (plan === null || plan.status !== 'draft') return null;
  return replacingPlan(state, withConsultationResponse(plan, response, context.now));
}

/** The officer's final plan: the event, and the owners it shares the case with. Null without a draft. */
export function finaliseConsultedPlan(
  state: CaseReviewState,
  body: ActionPlanBody,
  context: Pick<StepContext, 'cycle' | 'now'>,
): {
  readonly state: CaseReviewState;
  readonly plan: ActionPlan;
  readonly event: ReviewStageEvent;
  readonly shareWith: readonly Agency[];
} | null {
  const draft = planOf(state, context.cycle);
  if (draft === null || draft.status !== 'draft') return null;
  const plan = finalisePlan(draft, body, context.now);
  return {
    state: replacingPlan(state, plan),
    plan,
    event: { type: 'action-plan' },
    shareWith: planOwners(plan),
  };
}

/** Progress on an action of the current plan (the workflow closes the case once none is open: `actionsFinished`). */
export function recordActionProgress(
  state: CaseReviewState,
  id: string,
  body: ActionProgressBody,
  context: StepContext,
): { readonly state: CaseReviewState; readonly result: ProgressResult } {
  const plan = planOf(state, context.cycle);
  if (plan === null) return { state, result: { outcome: 'not-final' } };
  const result = recordProgress(plan, id, body, { at: context.now, by: context.by });
  if (result.outcome !== 'recorded') return { state, result };
  return { state: replacingPlan(state, result.plan), result };
}

/**
 * The event that closes a case waiting for its plan's actions, once none of the cycle's plan is open
 * (core/case-transitions.ts, finishActions, when the workflow's wait for them ends); null while one is.
 */
export function actionsFinished(
  state: CaseReviewState,
  cycle: number,
  why: { readonly referralWindowEnded: boolean; readonly reviewStood: boolean },
): Extract<ReviewStageEvent, { type: 'actions-finished' }> | null {
  if (openActions(planOf(state, cycle)).length > 0) return null;
  return { type: 'actions-finished', ...why };
}

/** The owner agency of action `id` of the cycle's plan (whoMayTake's `actionOwner`); undefined if none. */
export function actionOwner(state: CaseReviewState, cycle: number, id: string): Agency | undefined {
  return planOf(state, cycle)?.actions.find((action) => action.id === id)?.owner;
}

/** The event when the referral window ends: the case closes unless an action of the plan is open. */
export function referralWindowEnded(
  state: CaseReviewState,
  cycle: number,
): Extract<ReviewStageEvent, { type: 'referral-window-ended' }> {
  return { type: 'referral-window-ended', openActions: openActions(planOf(state, cycle)).length };
}

/** The event of the PCC's decision: "review stands" closes the case unless an action of the plan is open. */
export function pccDecided(
  state: CaseReviewState,
  cycle: number,
  outcome: 'review-stands' | 'refer-back',
): Extract<ReviewStageEvent, { type: 'pcc-decision' }> {
  return { type: 'pcc-decision', outcome, openActions: openActions(planOf(state, cycle)).length };
}

/** A refer-back starts a new cycle: the old plan stays visible, replaced, and keeps nothing open. */
export function referBack(state: CaseReviewState, now: Date): CaseReviewState {
  return { ...state, plans: state.plans.map((plan) => replacePlan(plan, now)) };
}

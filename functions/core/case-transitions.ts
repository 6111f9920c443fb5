// How a case record changes when the workflow applies a step: pure functions from the record before
// to the record after, using core's stage rules, deadlines and counting rules. data (case-store.ts) writes
// the result, and the counter changes between the two, in one transaction.

import {
  type ActionPlan,
  finalPlanFacts,
  nextActionDue,
  nextActionDueByOwner,
  sharedWithAlso,
} from '#core/action-plan.ts';
import { type AreaConfig, type CspConfig, type ReportingYearKind, requireCsp } from '#core/area-config.ts';
import { formatUkDate } from '#core/calendar-months.ts';
import type {
  Actor,
  ApplicantRecord,
  CaseRecord,
  RecordedAction,
  StoredMilestones,
  TimelineEvent,
  WaitStep,
} from '#core/case-record.ts';
import {
  actionsFinished,
  type CaseReviewState,
  finaliseConsultedPlan,
  NO_REVIEW_YET,
  pccDecided,
  planOf,
  recordOutcome,
  referBack,
  referralWindowEnded,
} from '#core/case-review-state.ts';
import { reviewTimeline } from '#core/case-review-wording.ts';
import { type CaseFacts, caseCounters } from '#core/counting.ts';
import { caseDeadlines, type DeadlineClock, followsPlanActions, nextDeadline } from '#core/deadlines.ts';
import { StageConflictError } from '#core/errors.ts';
import { ukDateOf } from '#core/local-date.ts';
import { reportingYearOf } from '#core/reporting-year.ts';
import type { Agency, Application } from '#core/schemas.ts';
import { type CaseStage, nextStage, type ReviewStageEvent } from '#core/stages.ts';

/** The postcode district (outward code) of the victim: `L20 1AA` → `L20`. */
function postcodeDistrict(application: Application): string {
  const postcode = application.onBehalfOf?.postcode ?? application.applicant.postcode;
  return postcode.split(' ')[0] ?? postcode;
}

function incidentDates(application: Application): { from: string; to: string } {
  const days = application.incidents.map((incident) => incident.occurredOn).sort();
  return { from: days[0] ?? '', to: days.at(-1) ?? '' };
}

const CHANNEL_WORDS: Readonly<Record<Application['channel'], string>> = {
  online: 'online',
  phone: 'by phone',
  letter: 'by letter',
  email: 'by email',
  'in-person': 'in person',
};

/** A new case's review cycle (a PCC's referral back for a new review starts the next). */
export const FIRST_CYCLE = 1;

/** A new application as stored: the case (stage `received`, counted as received), its applicant item and first event. */
export function receivedCase(
  area: AreaConfig,
  input: {
    readonly reference: string;
    readonly application: Application;
    readonly enteredBy: Actor;
    readonly now: Date;
  },
): { readonly record: CaseRecord; readonly applicant: ApplicantRecord; readonly event: TimelineEvent } {
  const { reference, application, now } = input;
  const csp = requireCsp(area, application.csp);
  const at = now.toISOString();
  const milestones = { receivedAt: application.receivedAt };
  const deadlines = caseDeadlines(csp, milestones);
  const record: CaseRecord = {
    reference,
    csp: csp.id,
    pccArea: area.id,
    stage: 'received',
    receivedAt: application.receivedAt,
    recordedAt: at,
    reportingYear: reportingYearOf(application.receivedAt, area.reportingYear).label,
    channel: application.channel,
    victimType: application.victimType,
    onBehalf: application.onBehalfOf !== undefined,
    cycle: FIRST_CYCLE,
    thresholdAssessment: null,
    thresholdDecision: null,
    reviewOutcome: null,
    referral: null,
    pccDecision: null,
    closure: null,
    withdrawal: null,
    milestones,
    deadlines,
    nextDeadline: nextDeadline('received', deadlines)?.due ?? null,
    waitingFor: null,
    history: { reviews: [], finalPlans: [], referrals: [], withdrawnAt: null },
    counted: ['applicationsReceived'],
    sharedWith: [],
    meetingAt: null,
    repliesDue: null,
    repliesAwaited: null,
    actionsDueBy: null,
    postcodeDistrict: postcodeDistrict(application),
    incidentDates: incidentDates(application),
    reminders: {},
    expiresAt: null,
    needsAttention: null,
    version: 1,
  };
  const applicant: ApplicantRecord = {
    reference,
    applicant: application.applicant,
    onBehalfOf: application.onBehalfOf ?? null,
    description: application.description,
    impact: application.impact,
    incidents: application.incidents,
    consentToShare: application.consentToShare,
    ...(application.involvement !== undefined && { involvement: application.involvement }),
    ...(application.involved !== undefined && { involved: application.involved }),
    ...(application.witnesses !== undefined && { witnesses: application.witnesses }),
  };
  const event: TimelineEvent = {
    at,
    type: 'application-received',
    summary:
      input.enteredBy.role === 'officer'
        ? `Application received ${CHANNEL_WORDS[application.channel]} on ${formatUkDate(ukDateOf(application.receivedAt))} and entered by the council on ${formatUkDate(ukDateOf(at))}`
        : 'Application received online',
    actor: input.enteredBy,
    audience: 'all',
  };
  return { record, applicant, event };
}

/** The facts core/counting.ts counts a case by. */
export function caseFactsOf(record: CaseRecord): CaseFacts {
  return {
    csp: record.csp,
    receivedAt: record.receivedAt,
    recordedAt: record.recordedAt,
    thresholdDecision:
      record.thresholdDecision === null
        ? null
        : { met: record.thresholdDecision.met, at: record.thresholdDecision.at },
    reviewOutcomes: record.history.reviews,
    ...(record.history.finalPlans !== undefined && { finalPlans: record.history.finalPlans }),
    referrals: record.history.referrals,
    withdrawnAt: record.history.withdrawnAt,
  };
}

export interface Transition {
  readonly after: CaseRecord;
  readonly event: TimelineEvent;
  /** The case's review records after the step, when it changed them (written with the case). */
  readonly review?: CaseReviewState;
}

type FinalPlanFacts = NonNullable<CaseRecord['history']['finalPlans']>[number];

/**
 * The final plans counted so far and `plan` if it is final. A case recorded before the 2025 review has
 * no list: its outcomes were final at once, each a plan of its recommendations.
 */
function finalPlansWith(history: CaseRecord['history'], plan: FinalPlanFacts | null): FinalPlanFacts[] {
  const before =
    history.finalPlans ??
    history.reviews.map(({ at, recommendations }) => ({ at, actions: recommendations }));
  return plan === null ? [...before] : [...before, plan];
}

const SYSTEM: Actor = { role: 'system' };

/** The record with its stage, deadlines, counted columns and closure brought in line with its facts. */
function settle(
  before: CaseRecord,
  changes: Partial<CaseRecord> & { readonly milestones?: StoredMilestones },
  stageEvent: ReviewStageEvent,
  csp: CspConfig,
  kind: ReportingYearKind,
  at: string,
): CaseRecord {
  const { stage, closure } = nextStage(before.stage, stageEvent);
  const draft: CaseRecord = { ...before, ...changes, stage };
  const deadlines = caseDeadlines(csp, draft.milestones);
  return {
    ...draft,
    deadlines,
    nextDeadline: stage === 'closed' ? null : (nextDeadline(stage, deadlines)?.due ?? null),
    closure: closure === undefined ? draft.closure : { reason: closure, at },
    waitingFor: null,
    counted: caseCounters(caseFactsOf(draft), kind),
    version: before.version + 1,
  };
}

function event(at: string, type: string, summary: string, actor: Actor): TimelineEvent {
  return { at, type, summary, actor, audience: 'all' };
}

/**
 * Applies a recorded decision (or withdrawal) to the case, as at `now`. The review outcome and the final
 * plan also change the case's review records (`review`, as stored).
 */
export function applyRecordedAction(
  before: CaseRecord,
  action: RecordedAction,
  csp: CspConfig,
  kind: ReportingYearKind,
  now: Date,
  review: CaseReviewState = NO_REVIEW_YET,
): Transition {
  const at = now.toISOString();
  const milestones = before.milestones;
  switch (action.kind) {
    case 'threshold-decision': {
      const { body } = action;
      const after = settle(
        before,
        {
          thresholdDecision: {
            met: body.met,
            route: body.met ? body.route : null,
            reason: body.reason,
            ...(body.met && body.confirmed === true && { confirmed: true }),
            at,
            by: action.actor,
          },
          milestones: body.met
            ? { ...milestones, thresholdDecidedAt: at, reviewStartedAt: at }
            : { ...milestones, thresholdDecidedAt: at, applicantNotifiedAt: at },
        },
        { type: 'threshold-decision', met: body.met },
        csp,
        kind,
        at,
      );
      const summary = !body.met
        ? `The threshold for a case review was not met. ${body.reason}`
        : body.route === 'discretionary'
          ? `The reports did not meet the usual rule for a case review, but the partners decided to hold one. ${body.reason}`
          : `The threshold for a case review was met (route ${body.route}). ${body.reason}`;
      return { after, event: event(at, 'threshold-decision', summary, action.actor) };
    }
    case 'review-outcome': {
      const { body } = action;
      const recommendations = body.recommendations.length;
      const outcome = recordOutcome(review, body.recommendations, {
        cycle: action.cycle,
        now,
        by: action.actor,
        csp,
      });
      const consulted = outcome.plan.status === 'draft';
      const after = settle(
        before,
        {
          reviewOutcome: { ...body, at, cycle: action.cycle, by: action.actor },
          history: {
            ...before.history,
            reviews: [...before.history.reviews, { at, recommendations }],
            finalPlans: finalPlansWith(before.history, finalPlanFacts(outcome.plan)),
          },
          // The referral window starts when the plan is final: at once, or after the consultation.
          milestones: consulted
            ? { ...milestones, reviewOutcomeAt: at, planDraftSentAt: at }
            : { ...milestones, reviewOutcomeAt: at, applicantNotifiedAt: at },
          sharedWith: sharedWithAlso(before.sharedWith, outcome.shareWith),
          ...(!consulted && { actionsDueBy: followedActions(outcome.plan) }),
        },
        outcome.event,
        csp,
        kind,
        at,
      );
      const told = reviewTimeline({
        step: 'review-outcome',
        heldOn: body.heldOn,
        recommendations,
        consultation: consulted,
      });
      return { after, event: event(at, told.type, told.summary, action.actor), review: outcome.state };
    }
    case 'action-plan': {
      const finalised = finaliseConsultedPlan(review, action.body, { cycle: action.cycle, now });
      if (finalised === null)
        throw new StageConflictError('finalise an action plan without a draft', before.stage);
      const after = settle(
        before,
        {
          history: {
            ...before.history,
            finalPlans: finalPlansWith(before.history, finalPlanFacts(finalised.plan)),
          },
          milestones: { ...milestones, applicantNotifiedAt: at },
          sharedWith: sharedWithAlso(before.sharedWith, finalised.shareWith),
          actionsDueBy: followedActions(finalised.plan),
        },
        finalised.event,
        csp,
        kind,
        at,
      );
      const told = reviewTimeline({ step: 'action-plan', actions: finalised.plan.actions.length });
      return { after, event: event(at, told.type, told.summary, action.actor), review: finalised.state };
    }
    case 'referral': {
      const after = settle(
        before,
        {
          referral: { reason: action.body.reason, at, cycle: action.cycle, by: action.actor },
          history: { ...before.history, referrals: [...before.history.referrals, { at }] },
          milestones: { ...milestones, referredAt: at },
        },
        { type: 'referral' },
        csp,
        kind,
        at,
      );
      const summary = "The case was referred to the Police and Crime Commissioner's office to check.";
      return { after, event: event(at, 'referral', summary, action.actor) };
    }
    case 'pcc-decision': {
      const { body } = action;
      const referredBack = body.outcome === 'refer-back';
      const stageEvent = pccDecided(review, before.cycle, body.outcome);
      const awaiting = !referredBack && (stageEvent.openActions ?? 0) > 0;
      const after = settle(
        before,
        {
          pccDecision: { ...body, at, cycle: action.cycle, by: action.actor },
          ...(referredBack && {
            cycle: before.cycle + 1,
            milestones: { ...milestones, reviewStartedAt: at },
            // The new review makes a new plan: the old one's actions are no longer followed.
            actionsDueBy: null,
          }),
          ...(awaiting && awaitingActions(milestones, review, before.cycle, at)),
        },
        stageEvent,
        csp,
        kind,
        at,
      );
      const summary = referredBack
        ? `The Police and Crime Commissioner's office referred the case back for a new case review. ${body.reason}`
        : `The Police and Crime Commissioner's office decided that the outcome stands. ${body.reason}${awaiting ? STAYS_OPEN : ''}`;
      // A new review makes a new plan: the old one stays visible, replaced. The agencies that saw the
      // case keep seeing it; the new review asks whom it needs.
      return {
        after,
        event: event(at, 'pcc-decision', summary, action.actor),
        ...(referredBack && { review: referBack(review, now) }),
      };
    }
    case 'withdraw': {
      const { body } = action;
      const after = settle(
        before,
        {
          history: { ...before.history, withdrawnAt: at },
          withdrawal: {
            ...(body.reason !== undefined && { reason: body.reason }),
            fearOfReprisal: body.fearOfReprisal === true,
            at,
            by: action.actor,
          },
        },
        { type: 'withdraw' },
        csp,
        kind,
        at,
      );
      const by = action.actor.role === 'applicant' ? 'by the applicant' : 'by the council';
      return { after, event: event(at, 'withdrawn', `The application was withdrawn ${by}.`, action.actor) };
    }
  }
}

const STAYS_OPEN = ' The case stays open until every action of the plan is finished.';

/**
 * Each owner's next open action of a plan made final, which the worklists follow from then on (null
 * without an open action: nothing to follow).
 */
function followedActions(plan: ActionPlan | null): CaseRecord['actionsDueBy'] {
  const dueBy = nextActionDueByOwner(plan);
  return Object.keys(dueBy).length > 0 ? dueBy : null;
}

/** The milestones of a case that begins to wait for its plan's open actions at `at`, and its owners' next due. */
function awaitingActions(
  milestones: StoredMilestones,
  review: CaseReviewState,
  cycle: number,
  at: string,
): { readonly milestones: StoredMilestones; readonly actionsDueBy: CaseRecord['actionsDueBy'] } {
  const plan = planOf(review, cycle);
  const due = nextActionDue(plan);
  return {
    milestones: { ...milestones, actionsAwaitedAt: at, ...(due !== null && { actionsDue: due }) },
    actionsDueBy: nextActionDueByOwner(plan),
  };
}

/**
 * The referral window ended without a referral: the case closes as it stands, unless an action of its
 * plan is open; then it waits for its actions, the next one due as its deadline.
 */
export function endReferralWindow(
  before: CaseRecord,
  csp: CspConfig,
  kind: ReportingYearKind,
  now: Date,
  review: CaseReviewState = NO_REVIEW_YET,
): Transition {
  const at = now.toISOString();
  const stageEvent = referralWindowEnded(review, before.cycle);
  const awaiting = before.stage === 'review-complete' && (stageEvent.openActions ?? 0) > 0;
  const after = settle(
    before,
    awaiting ? awaitingActions(before.milestones, review, before.cycle, at) : {},
    before.stage === 'review-complete' ? stageEvent : { type: 'referral-window-ended' },
    csp,
    kind,
    at,
  );
  const ended = `The time to ask the Police and Crime Commissioner's office to check the case ended on ${formatUkDate(
    ukDateOf(before.deadlines.referralWindow ?? at),
  )}.`;
  return awaiting
    ? { after, event: event(at, 'actions-awaited', `${ended}${STAYS_OPEN}`, SYSTEM) }
    : { after, event: event(at, 'closed', `${ended} The case is closed.`, SYSTEM) };
}

/**
 * The plan's last open action finished while the case waited for it (after the referral window, or
 * after the PCC's office let the review stand): the case closes, for the reason it waited. Null while an
 * action is open again (a note reopened it before this step ran): the case goes on waiting.
 */
export function finishActions(
  before: CaseRecord,
  review: CaseReviewState,
  csp: CspConfig,
  kind: ReportingYearKind,
  now: Date,
): Transition | null {
  const { pccDecision } = before;
  const stageEvent = actionsFinished(review, before.cycle, {
    referralWindowEnded: before.milestones.actionsAwaitedAt !== undefined,
    reviewStood: pccDecision?.cycle === before.cycle && pccDecision.outcome === 'review-stands',
  });
  if (stageEvent === null) return null;
  const at = now.toISOString();
  const after = settle(before, {}, stageEvent, csp, kind, at);
  const summary = 'Every action of the plan is finished. The case is closed.';
  return { after, event: event(at, 'closed', summary, SYSTEM) };
}

/**
 * A case whose final plan's actions are followed after a progress note changed `review`: each owner's next
 * action due as the plan now stands and, while the case waits for them, its next action due (its worklist
 * deadline); null when there is no final plan to follow or nothing moved.
 */
export function withActionsDue(before: CaseRecord, review: CaseReviewState): CaseRecord | null {
  const waiting = before.stage === 'review-complete' && before.milestones.actionsAwaitedAt !== undefined;
  const followed = followsPlanActions(before.stage) && before.actionsDueBy !== null;
  if (!waiting && !followed) return null;
  const plan = planOf(review, before.cycle);
  const due = nextActionDue(plan);
  const actionsDueBy = nextActionDueByOwner(plan);
  const owners = Object.entries(actionsDueBy);
  const sameOwners =
    owners.length === Object.keys(before.actionsDueBy ?? {}).length &&
    owners.every(([owner, ownDue]) => before.actionsDueBy?.[owner as Agency] === ownDue);
  if (!waiting) return sameOwners ? null : { ...before, actionsDueBy, version: before.version + 1 };
  if ((due ?? undefined) === before.milestones.actionsDue && sameOwners) return null;
  const { actionsDue: _was, ...rest } = before.milestones;
  const milestones: StoredMilestones = due === null ? rest : { ...rest, actionsDue: due };
  const { actions: _before, ...others } = before.deadlines;
  const deadlines = due === null ? others : { ...others, actions: due };
  return {
    ...before,
    milestones,
    deadlines,
    nextDeadline: nextDeadline(before.stage, deadlines)?.due ?? null,
    actionsDueBy,
    version: before.version + 1,
  };
}

/**
 * The stage of a case while its workflow waits on `step`. Only the threshold decision moves the case
 * (out of `received`); the other waits start at the stage the previous step left. Throws
 * StageConflictError when the case is not where the step can wait.
 */
export function waitingStage(stage: CaseStage, step: WaitStep): CaseStage {
  const waitsAt: Readonly<Record<WaitStep, readonly CaseStage[]>> = {
    'threshold-decision': ['awaiting-threshold-decision'],
    'review-outcome': ['awaiting-review'],
    'action-plan': ['action-plan-consultation'],
    referral: ['threshold-not-met', 'review-complete'],
    'pcc-decision': ['awaiting-pcc-decision'],
    'actions-finished': ['review-complete'],
  };
  if (waitsAt[step].includes(stage)) return stage;
  if (step === 'threshold-decision') return nextStage(stage, { type: 'threshold-assessed' }).stage;
  throw new StageConflictError(`wait for the ${step}`, stage);
}

const STEP_CLOCKS: Readonly<Record<WaitStep, DeadlineClock>> = {
  'threshold-decision': 'thresholdDecision',
  'review-outcome': 'reviewOutcome',
  'action-plan': 'consultation',
  referral: 'referralWindow',
  'pcc-decision': 'pccDecision',
  'actions-finished': 'actions',
};

/** The deadline clock of a wait. */
export function clockOf(step: WaitStep): DeadlineClock {
  return STEP_CLOCKS[step];
}

/** Epoch seconds, `years` calendar years after `at`. */
export function retentionEnd(at: string, years: number): number {
  const end = new Date(at);
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return Math.floor(end.getTime() / 1000);
}

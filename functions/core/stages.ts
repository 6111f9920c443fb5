/**
 * The stages of a case and how it moves between them (contract.md, "Stages" and "Actions"):
 *
 *   received → awaiting-threshold-decision → threshold-not-met | awaiting-review
 *   awaiting-review → action-plan-consultation (an outcome with recommendations, the victim not having
 *     declined to be consulted) → review-complete (the final plan); otherwise → review-complete at once
 *   threshold-not-met → awaiting-pcc-decision (referral) or closed (window ended)
 *   review-complete → awaiting-pcc-decision (referral), or closed (review-complete) once the referral
 *     window has ended and no action of the plan is open
 *   awaiting-pcc-decision → awaiting-review (referred back), or on "review stands" closed (pcc-decided)
 *     when no action is open, else back to review-complete, which closes (pcc-decided) when the last
 *     action finishes
 *   any open stage → closed (withdrawn)
 */

export const CASE_STAGES = [
  'received',
  'awaiting-threshold-decision',
  'threshold-not-met',
  'awaiting-review',
  'action-plan-consultation',
  'review-complete',
  'awaiting-pcc-decision',
  'closed',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const OPEN_STAGES = CASE_STAGES.filter((stage) => stage !== 'closed') as readonly Exclude<
  CaseStage,
  'closed'
>[];
export type OpenStage = (typeof OPEN_STAGES)[number];

export const CLOSURE_REASONS = ['threshold-not-met', 'review-complete', 'pcc-decided', 'withdrawn'] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

/** The stage where the victim is consulted on the draft action plan (contract.md, "The case review"). */
export const ACTION_PLAN_CONSULTATION = 'action-plan-consultation' satisfies CaseStage;

/** The actions a person can take on a case through the API. */
export const CASE_ACTIONS = [
  'threshold-decision',
  'agency-responses',
  'review-outcome',
  'action-plan',
  'referral',
  'pcc-decision',
  'withdraw',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/**
 * Where each action is accepted. Agency responses feed the review, so they are taken while the review
 * is pending and do not move the case. A referral is possible only while the referral window is open;
 * the window's end moves the case to closed, so the stage test covers it.
 */
export const ACTION_STAGES: Readonly<Record<CaseAction, readonly OpenStage[]>> = {
  'threshold-decision': ['awaiting-threshold-decision'],
  'agency-responses': ['awaiting-review'],
  'review-outcome': ['awaiting-review'],
  'action-plan': [ACTION_PLAN_CONSULTATION],
  referral: ['threshold-not-met', 'review-complete'],
  'pcc-decision': ['awaiting-pcc-decision'],
  withdraw: OPEN_STAGES,
};

/** What moves a case: a person's action, or one of the workflow's own steps. */
export type StageEvent =
  | { readonly type: 'threshold-assessed' }
  | { readonly type: 'threshold-decision'; readonly met: boolean }
  | { readonly type: 'review-outcome' }
  | { readonly type: 'referral' }
  | { readonly type: 'pcc-decision'; readonly outcome: 'review-stands' | 'refer-back' }
  | { readonly type: 'referral-window-ended' }
  | { readonly type: 'withdraw' };
export type StageEventType = StageEvent['type'];

/**
 * What moves a case in the case review as the 2025 guidance runs it. Every StageEvent is one, meaning
 * what it meant; the added facts say what the action plan changes:
 * - `review-outcome` with `consultation`: the outcome has recommendations and the victim did not decline
 *   to be consulted (core/action-plan.ts, goesToConsultation), so the plan is a draft;
 * - `action-plan`: the officer finalises the plan after the consultation;
 * - `openActions`: the final plan's actions still open when the referral window ends or the PCC's office
 *   lets the review stand (none, or left out: the case closes as before);
 * - `actions-finished`: the plan's last open action finished; the case closes if the referral window
 *   has ended (`review-complete`) or the PCC's office let the review stand (`pcc-decided`).
 */
export type ReviewStageEvent =
  | Exclude<StageEvent, { readonly type: 'review-outcome' | 'referral-window-ended' | 'pcc-decision' }>
  | { readonly type: 'review-outcome'; readonly consultation?: boolean }
  | { readonly type: 'action-plan' }
  | { readonly type: 'referral-window-ended'; readonly openActions?: number }
  | {
      readonly type: 'pcc-decision';
      readonly outcome: 'review-stands' | 'refer-back';
      readonly openActions?: number;
    }
  | {
      readonly type: 'actions-finished';
      readonly referralWindowEnded: boolean;
      readonly reviewStood: boolean;
    };
export type ReviewStageEventType = ReviewStageEvent['type'];

export interface StageChange {
  readonly stage: CaseStage;
  /** Set when the change closes the case. */
  readonly closure?: ClosureReason;
}

export class StageError extends Error {
  readonly stage: CaseStage;

  constructor(message: string, stage: CaseStage, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StageError';
    this.stage = stage;
  }
}

export class TransitionNotAllowedError extends StageError {
  readonly event: ReviewStageEventType;

  constructor(event: ReviewStageEventType, stage: CaseStage) {
    super(`A case that is ${stage} cannot take the ${event} step`, stage);
    this.name = 'TransitionNotAllowedError';
    this.event = event;
  }
}

export function isCaseStage(value: unknown): value is CaseStage {
  return (CASE_STAGES as readonly unknown[]).includes(value);
}

export function isOpenStage(stage: CaseStage): stage is OpenStage {
  return stage !== 'closed';
}

export function isActionAllowed(action: CaseAction, stage: CaseStage): boolean {
  return (ACTION_STAGES[action] as readonly CaseStage[]).includes(stage);
}

export function allowedActions(stage: CaseStage): readonly CaseAction[] {
  return CASE_ACTIONS.filter((action) => isActionAllowed(action, stage));
}

const open = (count: number | undefined) => (count ?? 0) > 0;

function change(stage: CaseStage, event: ReviewStageEvent): StageChange | undefined {
  if (event.type === 'withdraw')
    return stage !== 'closed' ? { stage: 'closed', closure: 'withdrawn' } : undefined;
  switch (stage) {
    case 'received':
      return event.type === 'threshold-assessed' ? { stage: 'awaiting-threshold-decision' } : undefined;
    case 'awaiting-threshold-decision':
      if (event.type !== 'threshold-decision') return undefined;
      return { stage: event.met ? 'awaiting-review' : 'threshold-not-met' };
    case 'awaiting-review':
      if (event.type !== 'review-outcome') return undefined;
      return { stage: event.consultation === true ? ACTION_PLAN_CONSULTATION : 'review-complete' };
    case ACTION_PLAN_CONSULTATION:
      return event.type === 'action-plan' ? { stage: 'review-complete' } : undefined;
    case 'threshold-not-met':
      if (event.type === 'referral') return { stage: 'awaiting-pcc-decision' };
      return event.type === 'referral-window-ended' ? { stage: 'closed', closure: stage } : undefined;
    case 'review-complete':
      switch (event.type) {
        case 'referral':
          return { stage: 'awaiting-pcc-decision' };
        case 'referral-window-ended':
          // The window's end closes the case only once every action of the plan has finished.
          return open(event.openActions) ? { stage } : { stage: 'closed', closure: stage };
        case 'actions-finished':
          if (event.reviewStood) return { stage: 'closed', closure: 'pcc-decided' };
          return event.referralWindowEnded ? { stage: 'closed', closure: stage } : { stage };
        default:
          return undefined;
      }
    case 'awaiting-pcc-decision':
      if (event.type !== 'pcc-decision') return undefined;
      if (event.outcome === 'refer-back') return { stage: 'awaiting-review' };
      return open(event.openActions)
        ? { stage: 'review-complete' }
        : { stage: 'closed', closure: 'pcc-decided' };
    case 'closed':
      return undefined;
  }
}

/**
 * The stage a case moves to on `event`; throws TransitionNotAllowedError when the event does not apply. A
 * `stage` equal to the one before means nothing moves yet.
 */
export function nextStage(stage: CaseStage, event: ReviewStageEvent): StageChange {
  const result = change(stage, event);
  if (result === undefined) throw new TransitionNotAllowedError(event.type, stage);
  return result;
}

export function canTransition(stage: CaseStage, event: ReviewStageEvent): boolean {
  return change(stage, event) !== undefined;
}

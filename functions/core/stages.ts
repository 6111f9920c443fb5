/**
 * The stages of a case and how it moves between them (contract.md, "Stages" and "Actions"):
 *
 *   received → awaiting-threshold-decision → threshold-not-met | awaiting-review
 *   awaiting-review → review-complete
 *   threshold-not-met | review-complete → awaiting-pcc-decision (referral) or closed (window ended)
 *   awaiting-pcc-decision → closed (review stands) | awaiting-review (referred back)
 *   any open stage → closed (withdrawn)
 */

export const CASE_STAGES = [
  'received',
  'awaiting-threshold-decision',
  'threshold-not-met',
  'awaiting-review',
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

/** The actions a person can take on a case through the API. */
export const CASE_ACTIONS = [
  'threshold-decision',
  'agency-responses',
  'review-outcome',
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
  readonly event: StageEventType;

  constructor(event: StageEventType, stage: CaseStage) {
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

function change(stage: CaseStage, event: StageEvent): StageChange | undefined {
  if (event.type === 'withdraw')
    return isOpenStage(stage) ? { stage: 'closed', closure: 'withdrawn' } : undefined;
  switch (stage) {
    case 'received':
      return event.type === 'threshold-assessed' ? { stage: 'awaiting-threshold-decision' } : undefined;
    case 'awaiting-threshold-decision':
      if (event.type !== 'threshold-decision') return undefined;
      return { stage: event.met ? 'awaiting-review' : 'threshold-not-met' };
    case 'awaiting-review':
      return event.type === 'review-outcome' ? { stage: 'review-complete' } : undefined;
    case 'threshold-not-met':
    case 'review-complete':
      if (event.type === 'referral') return { stage: 'awaiting-pcc-decision' };
      return event.type === 'referral-window-ended' ? { stage: 'closed', closure: stage } : undefined;
    case 'awaiting-pcc-decision':
      if (event.type !== 'pcc-decision') return undefined;
      return event.outcome === 'refer-back'
        ? { stage: 'awaiting-review' }
        : { stage: 'closed', closure: 'pcc-decided' };
    case 'closed':
      return undefined;
  }
}

/** The stage a case moves to on `event`; throws TransitionNotAllowedError when the event does not apply. */
export function nextStage(stage: CaseStage, event: StageEvent): StageChange {
  const result = change(stage, event);
  if (result === undefined) throw new TransitionNotAllowedError(event.type, stage);
  return result;
}

export function canTransition(stage: CaseStage, event: StageEvent): boolean {
  return change(stage, event) !== undefined;
}

// The stages and steps of the case review as the 2025 statutory guidance runs it (core/stages.ts).
import { describe, expect, it } from 'vitest';
import {
  ACTION_PLAN_CONSULTATION,
  CASE_STAGES,
  type CaseStage,
  canTransition,
  isCaseStage,
  nextStage,
  OPEN_STAGES,
  type ReviewStageEvent,
  type StageEvent,
  TransitionNotAllowedError,
} from '#core/stages.ts';

/** The stages before the 2025 review added the consultation. */
const RUNNING_STAGES: readonly CaseStage[] = CASE_STAGES.filter(
  (stage) => stage !== ACTION_PLAN_CONSULTATION,
);

const RUNNING_EVENTS: readonly StageEvent[] = [
  { type: 'threshold-assessed' },
  { type: 'threshold-decision', met: true },
  { type: 'threshold-decision', met: false },
  { type: 'review-outcome' },
  { type: 'referral' },
  { type: 'pcc-decision', outcome: 'review-stands' },
  { type: 'pcc-decision', outcome: 'refer-back' },
  { type: 'referral-window-ended' },
  { type: 'withdraw' },
];

const REVIEW_EVENTS: readonly ReviewStageEvent[] = [
  ...RUNNING_EVENTS,
  { type: 'review-outcome', consultation: true },
  { type: 'review-outcome', consultation: false },
  { type: 'action-plan' },
  { type: 'referral-window-ended', openActions: 2 },
  { type: 'pcc-decision', outcome: 'review-stands', openActions: 1 },
  { type: 'actions-finished', referralWindowEnded: true, reviewStood: false },
  { type: 'actions-finished', referralWindowEnded: false, reviewStood: true },
  { type: 'actions-finished', referralWindowEnded: false, reviewStood: false },
];

describe('the review stages', () => {
  it('are the running stages with the consultation on the plan between the review and its completion', () => {
    // Prepare, Act, Assess
    expect(CASE_STAGES).toEqual([
      'received',
      'awaiting-threshold-decision',
      'threshold-not-met',
      'awaiting-review',
      'action-plan-consultation',
      'review-complete',
      'awaiting-pcc-decision',
      'closed',
    ]);
    expect(OPEN_STAGES).toEqual(CASE_STAGES.filter((stage) => stage !== 'closed'));
    expect(isCaseStage(ACTION_PLAN_CONSULTATION)).toBe(true);
    expect(isCaseStage('consulting')).toBe(false);
  });
});

describe('nextStage in the 2025 review', () => {
  it.each([
    [
      'awaiting-review',
      { type: 'review-outcome', consultation: true },
      { stage: 'action-plan-consultation' },
    ],
    ['awaiting-review', { type: 'review-outcome', consultation: false }, { stage: 'review-complete' }],
    ['action-plan-consultation', { type: 'action-plan' }, { stage: 'review-complete' }],
    ['action-plan-consultation', { type: 'withdraw' }, { stage: 'closed', closure: 'withdrawn' }],
    ['review-complete', { type: 'referral-window-ended', openActions: 2 }, { stage: 'review-complete' }],
    [
      'review-complete',
      { type: 'referral-window-ended', openActions: 0 },
      { stage: 'closed', closure: 'review-complete' },
    ],
    [
      'awaiting-pcc-decision',
      { type: 'pcc-decision', outcome: 'review-stands', openActions: 1 },
      { stage: 'review-complete' },
    ],
    [
      'awaiting-pcc-decision',
      { type: 'pcc-decision', outcome: 'review-stands', openActions: 0 },
      { stage: 'closed', closure: 'pcc-decided' },
    ],
    [
      'awaiting-pcc-decision',
      { type: 'pcc-decision', outcome: 'refer-back', openActions: 3 },
      { stage: 'awaiting-review' },
    ],
    [
      'review-complete',
      { type: 'actions-finished', referralWindowEnded: true, reviewStood: false },
      { stage: 'closed', closure: 'review-complete' },
    ],
    [
      'review-complete',
      { type: 'actions-finished', referralWindowEnded: true, reviewStood: true },
      { stage: 'closed', closure: 'pcc-decided' },
    ],
    [
      'review-complete',
      { type: 'actions-finished', referralWindowEnded: false, reviewStood: false },
      { stage: 'review-complete' },
    ],
  ] as const)('moves %s on %o to %o', (stage, event, expected) => {
    // Prepare, Act, Assess
    expect(nextStage(stage, event)).toEqual(expected);
  });

  it('moves the running stages on the running events exactly as before', () => {
    // Prepare, Act, Assess: the added facts left out mean what the running service means.
    for (const stage of RUNNING_STAGES) {
      for (const event of RUNNING_EVENTS) {
        const before = canTransition(stage, event) ? nextStage(stage, event) : undefined;
        const withFacts: ReviewStageEvent =
          event.type === 'referral-window-ended' || event.type === 'pcc-decision'
            ? { ...event, openActions: 0 }
            : event.type === 'review-outcome'
              ? { ...event, consultation: false }
              : event;
        const after = canTransition(stage, withFacts) ? nextStage(stage, withFacts) : undefined;
        expect(after, `${stage} on ${JSON.stringify(event)}`).toEqual(before);
      }
    }
  });

  it('has exactly the added transitions, and nothing moves a closed case', () => {
    // Prepare
    const added = CASE_STAGES.flatMap((stage) =>
      REVIEW_EVENTS.filter(
        (event) =>
          canTransition(stage, event) &&
          !(RUNNING_STAGES.includes(stage) && RUNNING_EVENTS.includes(event as StageEvent)),
      ).map((event) => `${stage}:${JSON.stringify(event)}`),
    );

    // Act, Assess
    expect(new Set(added)).toEqual(
      new Set([
        'awaiting-review:{"type":"review-outcome","consultation":true}',
        'awaiting-review:{"type":"review-outcome","consultation":false}',
        'action-plan-consultation:{"type":"withdraw"}',
        'action-plan-consultation:{"type":"action-plan"}',
        'threshold-not-met:{"type":"referral-window-ended","openActions":2}',
        'review-complete:{"type":"referral-window-ended","openActions":2}',
        'awaiting-pcc-decision:{"type":"pcc-decision","outcome":"review-stands","openActions":1}',
        'review-complete:{"type":"actions-finished","referralWindowEnded":true,"reviewStood":false}',
        'review-complete:{"type":"actions-finished","referralWindowEnded":false,"reviewStood":true}',
        'review-complete:{"type":"actions-finished","referralWindowEnded":false,"reviewStood":false}',
      ]),
    );
    for (const event of REVIEW_EVENTS) expect(canTransition('closed', event)).toBe(false);
  });

  it('closes a "not met" case when its window ends, as it has no plan', () => {
    // Prepare, Act, Assess
    expect(nextStage('threshold-not-met', { type: 'referral-window-ended', openActions: 2 })).toEqual({
      stage: 'closed',
      closure: 'threshold-not-met',
    });
  });

  it('refuses the final plan outside the consultation, and a referral during it, naming the stage', () => {
    // Prepare, Act, Assess
    expect(() => nextStage('review-complete', { type: 'action-plan' })).toThrow(TransitionNotAllowedError);
    expect(() => nextStage('action-plan-consultation', { type: 'referral' })).toThrow(
      expect.objectContaining({ stage: 'action-plan-consultation', event: 'referral' }),
    );
  });
});

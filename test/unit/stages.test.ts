import { describe, expect, it } from 'vitest';
import {
  ACTION_STAGES,
  allowedActions,
  CASE_ACTIONS,
  CASE_STAGES,
  type CaseAction,
  CLOSURE_REASONS,
  canTransition,
  isActionAllowed,
  isCaseStage,
  nextStage,
  OPEN_STAGES,
  type ReviewStageEvent,
  StageError,
  type StageEvent,
  TransitionNotAllowedError,
} from '#core/stages.ts';

const ALL_EVENTS: readonly StageEvent[] = [
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

describe('stages', () => {
  it('are the stages of the contract, and every one but closed is open', () => {
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
    expect(CLOSURE_REASONS).toEqual(['threshold-not-met', 'review-complete', 'pcc-decided', 'withdrawn']);
    expect(isCaseStage('awaiting-review')).toBe(true);
    expect(isCaseStage('open')).toBe(false);
  });
});

describe('nextStage', () => {
  it.each([
    ['received', { type: 'threshold-assessed' }, { stage: 'awaiting-threshold-decision' }],
    ['awaiting-threshold-decision', { type: 'threshold-decision', met: true }, { stage: 'awaiting-review' }],
    [
      'awaiting-threshold-decision',
      { type: 'threshold-decision', met: false },
      { stage: 'threshold-not-met' },
    ],
    ['awaiting-review', { type: 'review-outcome' }, { stage: 'review-complete' }],
    ['threshold-not-met', { type: 'referral' }, { stage: 'awaiting-pcc-decision' }],
    ['review-complete', { type: 'referral' }, { stage: 'awaiting-pcc-decision' }],
    [
      'threshold-not-met',
      { type: 'referral-window-ended' },
      { stage: 'closed', closure: 'threshold-not-met' },
    ],
    ['review-complete', { type: 'referral-window-ended' }, { stage: 'closed', closure: 'review-complete' }],
    [
      'awaiting-pcc-decision',
      { type: 'pcc-decision', outcome: 'review-stands' },
      { stage: 'closed', closure: 'pcc-decided' },
    ],
    ['awaiting-pcc-decision', { type: 'pcc-decision', outcome: 'refer-back' }, { stage: 'awaiting-review' }],
  ] as const)('moves %s on %o to %o', (stage, event, expected) => {
    // Prepare, Act, Assess
    expect(nextStage(stage, event)).toEqual(expected);
  });

  it.each(OPEN_STAGES)('closes a case withdrawn while %s', (stage) => {
    // Prepare, Act, Assess
    expect(nextStage(stage, { type: 'withdraw' })).toEqual({ stage: 'closed', closure: 'withdrawn' });
  });

  it('lets nothing move a closed case', () => {
    // Prepare, Act, Assess
    for (const event of ALL_EVENTS) expect(canTransition('closed', event)).toBe(false);
  });

  it('refuses a step that does not apply, naming the current stage', () => {
    // Prepare
    let caught: unknown;

    // Act
    try {
      nextStage('awaiting-review', { type: 'referral' });
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(TransitionNotAllowedError);
    expect(caught).toBeInstanceOf(StageError);
    expect(caught).toMatchObject({
      stage: 'awaiting-review',
      event: 'referral',
      name: 'TransitionNotAllowedError',
    });
  });

  it('has exactly the transitions of the contract', () => {
    // Prepare
    const allowed = CASE_STAGES.flatMap((stage) =>
      ALL_EVENTS.filter((event) => canTransition(stage, event)).map((event) => `${stage}:${event.type}`),
    );

    // Act, Assess: 10 specific transitions (11 with both threshold outcomes) plus withdrawal from 6 open stages.
    expect(new Set(allowed)).toEqual(
      new Set([
        'received:threshold-assessed',
        'awaiting-threshold-decision:threshold-decision',
        'awaiting-review:review-outcome',
        'threshold-not-met:referral',
        'review-complete:referral',
        'threshold-not-met:referral-window-ended',
        'review-complete:referral-window-ended',
        'awaiting-pcc-decision:pcc-decision',
        ...OPEN_STAGES.map((stage) => `${stage}:withdraw`),
      ]),
    );
  });
});

describe('actions', () => {
  it('are allowed only at the stage each needs', () => {
    // Prepare, Act, Assess
    expect(ACTION_STAGES).toEqual({
      'threshold-decision': ['awaiting-threshold-decision'],
      'agency-responses': ['awaiting-review'],
      'review-outcome': ['awaiting-review'],
      'action-plan': ['action-plan-consultation'],
      referral: ['threshold-not-met', 'review-complete'],
      'pcc-decision': ['awaiting-pcc-decision'],
      withdraw: OPEN_STAGES,
    });
    expect(allowedActions('awaiting-review')).toEqual(['agency-responses', 'review-outcome', 'withdraw']);
    expect(allowedActions('closed')).toEqual([]);
  });

  it('agree with the transitions: an action is allowed exactly where its step can happen', () => {
    // Prepare
    const eventsOf: Record<Exclude<CaseAction, 'agency-responses'>, readonly ReviewStageEvent[]> = {
      'threshold-decision': [
        { type: 'threshold-decision', met: true },
        { type: 'threshold-decision', met: false },
      ],
      'review-outcome': [{ type: 'review-outcome' }],
      'action-plan': [{ type: 'action-plan' }],
      referral: [{ type: 'referral' }],
      'pcc-decision': [
        { type: 'pcc-decision', outcome: 'review-stands' },
        { type: 'pcc-decision', outcome: 'refer-back' },
      ],
      withdraw: [{ type: 'withdraw' }],
    };

    // Act, Assess
    for (const [action, events] of Object.entries(eventsOf) as [CaseAction, readonly ReviewStageEvent[]][]) {
      for (const stage of CASE_STAGES) {
        for (const event of events) expect(isActionAllowed(action, stage)).toBe(canTransition(stage, event));
      }
    }
  });

  it('allows an action only at its stages, and none on a closed case', () => {
    // Act, Assess
    expect(isActionAllowed('review-outcome', 'awaiting-review')).toBe(true);
    expect(isActionAllowed('pcc-decision', 'review-complete')).toBe(false);
    expect(isActionAllowed('withdraw', 'closed')).toBe(false);
    for (const action of CASE_ACTIONS) expect(isActionAllowed(action, 'closed')).toBe(false);
  });
});

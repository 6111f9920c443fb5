// The rules a decision meets before it is recorded: whether it repeats one that took effect (in any
// review cycle), and whether it fits the case (the review's date, a route the check did not find).
import { describe, expect, it } from 'vitest';
import { type DecisionKind, type RecordedAction, relationToRecorded } from '#core/case-record.ts';
import { reviewDateIssues, thresholdDecisionIssues } from '#core/decision-checks.ts';

function recorded(kind: DecisionKind, cycle: number, bodyHash: string): RecordedAction {
  return {
    kind,
    cycle,
    bodyHash,
    body: {},
    actor: { role: 'officer' },
    recordedAt: '2015-07-01T10:00:00.000Z',
  } as unknown as RecordedAction;
}

// Cycle 1 to a PCC refer-back: the case is in cycle 2, awaiting its new review.
const REFERRED_BACK = [
  recorded('threshold-decision', 1, 'met'),
  recorded('review-outcome', 1, 'first-review'),
  recorded('referral', 1, 'unhappy'),
  recorded('pcc-decision', 1, 'refer-back'),
];

describe('relationToRecorded', () => {
  it('is a repeat or a different body within the cycle of the action', () => {
    // Act, Assess
    expect(relationToRecorded('review-outcome', 'first-review', 1, REFERRED_BACK.slice(0, 2))).toBe('repeat');
    expect(relationToRecorded('review-outcome', 'other', 1, REFERRED_BACK.slice(0, 2))).toBe('different');
    expect(relationToRecorded('threshold-decision', 'met', 2, REFERRED_BACK)).toBe('repeat');
    expect(relationToRecorded('threshold-decision', 'not-met', 2, REFERRED_BACK)).toBe('different');
  });

  it.each([
    ['review-outcome', 'first-review'],
    ['referral', 'unhappy'],
    ['pcc-decision', 'refer-back'],
  ] as const)('takes the %s of cycle 1 sent again after the refer-back as a repeat', (kind, hash) => {
    // Act, Assess
    expect(relationToRecorded(kind, hash, 2, REFERRED_BACK)).toBe('repeat');
  });

  it('takes another body after the refer-back as new: the stage says whether it may happen', () => {
    // Act, Assess
    expect(relationToRecorded('review-outcome', 'second-review', 2, REFERRED_BACK)).toBe('new');
    expect(relationToRecorded('referral', 'other reason', 2, REFERRED_BACK)).toBe('new');
  });

  it('takes the same words as new once the new cycle has reached the step again', () => {
    // Prepare
    const reviewedAgain = [...REFERRED_BACK, recorded('review-outcome', 2, 'second-review')];
    const referredAgain = [...reviewedAgain, recorded('referral', 2, 'unhappy')];

    // Act, Assess
    expect(relationToRecorded('referral', 'unhappy', 2, reviewedAgain)).toBe('new');
    expect(relationToRecorded('pcc-decision', 'refer-back', 2, reviewedAgain)).toBe('repeat');
    expect(relationToRecorded('pcc-decision', 'refer-back', 2, referredAgain)).toBe('new');
    expect(relationToRecorded('referral', 'unhappy', 2, referredAgain)).toBe('repeat');
  });

  it('compares with the latest earlier cycle only', () => {
    // Prepare
    const third = [
      ...REFERRED_BACK,
      recorded('review-outcome', 2, 'second-review'),
      recorded('referral', 2, 'again'),
      recorded('pcc-decision', 2, 'refer-back-2'),
    ];

    // Act, Assess
    expect(relationToRecorded('review-outcome', 'second-review', 3, third)).toBe('repeat');
    expect(relationToRecorded('review-outcome', 'first-review', 3, third)).toBe('new');
  });
});

describe('reviewDateIssues', () => {
  const received = { receivedAt: '2015-06-01T10:00:00Z' };

  it('takes a review held on or after the day the application was received (UK date)', () => {
    // Act, Assess
    expect(reviewDateIssues('2015-06-01', received)).toEqual([]);
    expect(reviewDateIssues('2015-06-01', { receivedAt: '2015-05-31T23:30:00Z' })).toEqual([]);
  });

  it('refuses a review held before the application was received, naming heldOn', () => {
    // Act, Assess
    expect(reviewDateIssues('2015-05-31', received)).toEqual([
      {
        path: 'heldOn',
        message:
          'The date the review was held must be on or after 1 June 2015, when the application was received',
      },
    ]);
  });

  it('refuses a review of a new cycle held before the refer-back', () => {
    // Prepare
    const window = { ...received, referredBackAt: '2015-08-10T23:15:00Z' };

    // Act, Assess
    expect(reviewDateIssues('2015-08-11', window)).toEqual([]);
    expect(reviewDateIssues('2015-08-10', window)).toEqual([
      {
        path: 'heldOn',
        message:
          'The date the review was held must be on or after 11 August 2015, when the Police and Crime Commissioner’s office referred the case back for a new review',
      },
    ]);
  });
});

describe('thresholdDecisionIssues', () => {
  const assessment = (routesMet: ('A' | 'B' | 'C')[]) => ({
    met: routesMet.length > 0,
    route: routesMet[0] ?? null,
    routesMet,
    reasons: [],
    notes: [],
  });

  it('takes a route the check found, a refusal, and discretion where no route was found', () => {
    // Act, Assess
    expect(thresholdDecisionIssues({ met: true, route: 'A', reason: 'x' }, assessment(['C', 'A']))).toEqual(
      [],
    );
    expect(thresholdDecisionIssues({ met: false, reason: 'x' }, assessment(['A']))).toEqual([]);
    expect(thresholdDecisionIssues({ met: true, route: 'C', reason: 'x' }, null)).toEqual([]);
    expect(
      thresholdDecisionIssues({ met: true, route: 'discretionary', reason: 'x' }, assessment([])),
    ).toEqual([]);
  });

  it.each([
    ['C', []],
    ['B', ['A']],
    ['A', []],
    ['discretionary', ['A']],
  ] as const)('needs confirmed for route %s when the check found %j', (route, found) => {
    // Act
    const issues = thresholdDecisionIssues({ met: true, route, reason: 'x' }, assessment([...found]));
    const confirmed = thresholdDecisionIssues(
      { met: true, route, reason: 'x', confirmed: true },
      assessment([...found]),
    );

    // Assess
    expect(issues).toEqual([{ path: 'confirmed', message: expect.stringMatching(/^The check .*Confirm/) }]);
    expect(confirmed).toEqual([]);
  });

  it('reads an assessment stored before it listed every route by its first route', () => {
    // Prepare
    const stored = { met: true, route: 'A' as const, reasons: [] } as unknown as ReturnType<
      typeof assessment
    >;

    // Act, Assess
    expect(thresholdDecisionIssues({ met: true, route: 'A', reason: 'x' }, stored)).toEqual([]);
    expect(thresholdDecisionIssues({ met: true, route: 'C', reason: 'x' }, stored)).toHaveLength(1);
  });
});

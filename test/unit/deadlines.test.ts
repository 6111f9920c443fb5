import { describe, expect, it } from 'vitest';
import { type CspConfig, MERSEYSIDE, requireCsp } from '#core/area-config.ts';
import {
  type CaseDeadlines,
  caseDeadlines,
  DEADLINE_CLOCKS,
  deadlineFor,
  firstReminderAt,
  isOverdue,
  isOverdueOnWorklist,
  nextDeadline,
  promisedDeadline,
} from '#core/deadlines.ts';

const sefton = requireCsp(MERSEYSIDE, 'sefton');
const receivedAt = '2015-06-01T10:00:00Z'; // Monday

describe('deadlineFor', () => {
  it('counts each clock in the CSP’s working days and ends at midnight UK time', () => {
    // Prepare, Act, Assess
    expect(deadlineFor('acknowledge', sefton, receivedAt)).toBe('2015-06-03T22:59:59.999Z');
    expect(deadlineFor('thresholdDecision', sefton, receivedAt)).toBe('2015-06-15T22:59:59.999Z');
    expect(deadlineFor('pccDecision', sefton, '2015-07-20T09:00:00Z')).toBe('2015-08-17T22:59:59.999Z');
  });

  it('uses the CSP’s own configuration', () => {
    // Prepare
    const quick: CspConfig = { ...sefton, deadlines: { ...sefton.deadlines, thresholdDecision: 5 } };

    // Act, Assess
    expect(deadlineFor('thresholdDecision', quick, receivedAt)).toBe('2015-06-08T22:59:59.999Z');
  });

  it('skips bank holidays (Summer bank holiday, 31 August 2015)', () => {
    // Prepare, Act, Assess
    expect(deadlineFor('reviewOutcome', sefton, '2015-08-10T09:00:00Z')).toBe('2015-09-08T22:59:59.999Z');
  });

  it('counts across the end of the bank holiday list (2030) with the computed 2031 days', () => {
    // Prepare, Act, Assess: 20 working days from Friday 20 December 2030, skipping 25, 26 December and 1 January.
    expect(deadlineFor('reviewOutcome', sefton, '2030-12-20T09:00:00Z')).toBe('2031-01-22T23:59:59.999Z');
  });
});

describe('caseDeadlines', () => {
  it('has only the receipt clocks for a new case', () => {
    // Prepare, Act
    const deadlines = caseDeadlines(sefton, { receivedAt });

    // Assess
    expect(deadlines).toEqual({
      acknowledge: '2015-06-03T22:59:59.999Z',
      thresholdDecision: '2015-06-15T22:59:59.999Z',
    });
  });

  it('opens the referral window when the applicant is told the threshold was not met', () => {
    // Prepare, Act
    const deadlines = caseDeadlines(sefton, {
      receivedAt,
      thresholdDecidedAt: '2015-06-10T14:00:00Z',
      applicantNotifiedAt: '2015-06-10T14:00:00Z',
    });

    // Assess
    expect(deadlines.referralWindow).toBe('2015-07-08T22:59:59.999Z');
    expect(deadlines.reviewOutcome).toBeUndefined();
  });

  it('follows a reviewed and referred case', () => {
    // Prepare, Act
    const deadlines = caseDeadlines(sefton, {
      receivedAt,
      thresholdDecidedAt: '2015-06-10T14:00:00Z',
      reviewStartedAt: '2015-06-10T14:00:00Z',
      reviewOutcomeAt: '2015-07-01T09:00:00Z',
      applicantNotifiedAt: '2015-07-02T09:00:00Z',
      referredAt: '2015-07-20T09:00:00Z',
    });

    // Assess
    expect(deadlines).toEqual({
      acknowledge: '2015-06-03T22:59:59.999Z',
      thresholdDecision: '2015-06-15T22:59:59.999Z',
      reviewOutcome: '2015-07-08T22:59:59.999Z',
      outcomeSent: '2015-07-08T22:59:59.999Z',
      referralWindow: '2015-07-30T22:59:59.999Z',
      pccDecision: '2015-08-17T22:59:59.999Z',
    });
  });

  it('keeps the referral window closed until the review outcome is sent', () => {
    // Prepare, Act: the only notification is the earlier threshold-not-met letter.
    const deadlines = caseDeadlines(sefton, {
      receivedAt,
      thresholdDecidedAt: '2015-06-10T14:00:00Z',
      applicantNotifiedAt: '2015-06-10T14:00:00Z',
      reviewStartedAt: '2015-07-20T09:00:00Z',
      reviewOutcomeAt: '2015-08-03T09:00:00Z',
    });

    // Assess
    expect(deadlines.outcomeSent).toBe('2015-08-10T22:59:59.999Z');
    expect(deadlines.referralWindow).toBeUndefined();
  });

  it('starts a new review cycle after a PCC refer-back, dropping the old cycle’s clocks', () => {
    // Prepare, Act
    const deadlines = caseDeadlines(sefton, {
      receivedAt,
      thresholdDecidedAt: '2015-06-10T14:00:00Z',
      reviewStartedAt: '2015-08-10T09:00:00Z',
      reviewOutcomeAt: '2015-07-01T09:00:00Z',
      applicantNotifiedAt: '2015-07-02T09:00:00Z',
      referredAt: '2015-07-20T09:00:00Z',
    });

    // Assess
    expect(deadlines).toEqual({
      acknowledge: '2015-06-03T22:59:59.999Z',
      thresholdDecision: '2015-06-15T22:59:59.999Z',
      reviewOutcome: '2015-09-08T22:59:59.999Z',
    });
  });
});

describe('nextDeadline', () => {
  const all: CaseDeadlines = Object.fromEntries(
    DEADLINE_CLOCKS.map((clock, index) => [clock, `2015-07-0${index + 1}T22:59:59.999Z`]),
  );

  it.each([
    ['received', 'acknowledge'],
    ['awaiting-threshold-decision', 'thresholdDecision'],
    ['threshold-not-met', 'referralWindow'],
    ['awaiting-review', 'reviewOutcome'],
    ['review-complete', 'referralWindow'],
    ['awaiting-pcc-decision', 'pccDecision'],
  ] as const)('shows the %s stage’s %s deadline', (stage, clock) => {
    // Prepare, Act, Assess
    expect(nextDeadline(stage, all)).toEqual({ clock, due: all[clock] });
  });

  it('shows the outcome letter deadline of a review not yet sent', () => {
    // Prepare
    const { referralWindow: _, ...unsent } = all;

    // Act, Assess
    expect(nextDeadline('review-complete', unsent)).toEqual({ clock: 'outcomeSent', due: all.outcomeSent });
  });

  it('shows nothing for a closed case or a clock not started', () => {
    // Prepare, Act, Assess
    expect(nextDeadline('closed', all)).toBeNull();
    expect(nextDeadline('awaiting-pcc-decision', {})).toBeNull();
  });
});

describe('isOverdue', () => {
  it('is false up to and including the deadline instant, true after it', () => {
    // Prepare
    const due = '2015-06-15T22:59:59.999Z';

    // Act, Assess
    expect(isOverdue(due, '2015-06-15T22:59:59.999Z')).toBe(false);
    expect(isOverdue(due, '2015-06-15T23:00:00.000Z')).toBe(true);
    expect(isOverdue(due, new Date('2015-06-01T10:00:00Z'))).toBe(false);
  });
});

describe('isOverdueOnWorklist', () => {
  const now = '2015-08-01T09:00:00Z';
  const waiting = {
    stage: 'review-complete' as const,
    cycle: 1,
    nextDeadline: '2015-07-20T22:59:59.999Z',
    actionsDueBy: { 'housing-provider': '2015-07-20T22:59:59.999Z', police: '2015-08-31T22:59:59.999Z' },
    repliesAwaited: null,
  };

  it("flags, for the officer, the deadline the case waits on: while it waits for its actions, the earliest one's day", () => {
    // Act, Assess
    expect(isOverdueOnWorklist(waiting, null, now)).toBe(true);
    expect(
      isOverdueOnWorklist(
        {
          ...waiting,
          nextDeadline: '2015-08-03T22:59:59.999Z',
          actionsDueBy: {
            'housing-provider': '2015-08-03T22:59:59.999Z',
            police: '2015-08-31T22:59:59.999Z',
          },
        },
        null,
        now,
      ),
    ).toBe(false);
    expect(isOverdueOnWorklist({ ...waiting, stage: 'closed', nextDeadline: null }, null, now)).toBe(false);
  });

  it('flags an overdue action for the officer and its owner from the day the plan is final: in the referral window and before the PCC', () => {
    // Prepare: the referral window open (its end the case's deadline), the housing provider's action late
    const window = { ...waiting, nextDeadline: '2015-08-14T22:59:59.999Z' };
    const withPcc = { ...window, stage: 'awaiting-pcc-decision' as const };

    // Act, Assess
    expect(isOverdueOnWorklist(window, null, now)).toBe(true);
    expect(isOverdueOnWorklist(window, 'housing-provider', now)).toBe(true);
    expect(isOverdueOnWorklist(window, 'police', now)).toBe(false);
    expect(isOverdueOnWorklist(withPcc, null, now)).toBe(true);
    expect(isOverdueOnWorklist(withPcc, 'housing-provider', now)).toBe(true);
    expect(isOverdueOnWorklist(withPcc, 'police', now)).toBe(false);
    expect(isOverdueOnWorklist({ ...window, actionsDueBy: null }, null, now)).toBe(false);
  });

  it('flags, for an agency, only an overdue action of its own while the case waits for its actions', () => {
    // Act, Assess
    expect(isOverdueOnWorklist(waiting, 'housing-provider', now)).toBe(true);
    expect(isOverdueOnWorklist(waiting, 'police', now)).toBe(false);
    expect(isOverdueOnWorklist(waiting, 'council', now)).toBe(false);
    expect(
      isOverdueOnWorklist({ ...waiting, stage: 'closed', nextDeadline: null }, 'housing-provider', now),
    ).toBe(false);
    // Not waiting for actions: the case's own deadline, as for the officer.
    expect(
      isOverdueOnWorklist(
        {
          stage: 'awaiting-review',
          cycle: 1,
          nextDeadline: waiting.nextDeadline,
          actionsDueBy: null,
          repliesAwaited: null,
        },
        'police',
        now,
      ),
    ).toBe(true);
  });

  describe('while the case awaits its review', () => {
    // Police late, the council's day not over, the housing provider answered (no longer awaited).
    const asked = {
      stage: 'awaiting-review' as const,
      cycle: 2,
      nextDeadline: '2015-08-20T22:59:59.999Z',
      actionsDueBy: null,
      repliesAwaited: { cycle: 2, dueBy: { police: '2015-07-31', council: '2015-08-01' } },
    };

    it('flags, for an agency, its own request not answered once its day has ended (UK time)', () => {
      // Act, Assess
      expect(isOverdueOnWorklist(asked, 'police', now)).toBe(true);
      expect(isOverdueOnWorklist(asked, 'council', now)).toBe(false);
      expect(isOverdueOnWorklist(asked, 'council', '2015-08-01T22:59:59.999Z')).toBe(false);
      expect(isOverdueOnWorklist(asked, 'council', '2015-08-01T23:00:00.000Z')).toBe(true);
    });

    it('does not flag an agency that has answered, or was not asked, even once the review is late', () => {
      // Arrange
      const reviewLate = { ...asked, nextDeadline: '2015-07-20T22:59:59.999Z' };

      // Act, Assess
      expect(isOverdueOnWorklist(reviewLate, 'housing-provider', now)).toBe(false);
      expect(isOverdueOnWorklist(reviewLate, 'health', now)).toBe(false);
    });

    it('flags for the officer the case’s deadline, whoever has answered', () => {
      // Act, Assess
      expect(isOverdueOnWorklist(asked, null, now)).toBe(false);
      expect(isOverdueOnWorklist({ ...asked, nextDeadline: '2015-07-20T22:59:59.999Z' }, null, now)).toBe(
        true,
      );
    });

    it('flags by the case’s deadline when the replies awaited are unknown or another cycle’s', () => {
      // Arrange
      const reviewLate = { ...asked, nextDeadline: '2015-07-20T22:59:59.999Z' };

      // Act, Assess
      expect(isOverdueOnWorklist({ ...reviewLate, repliesAwaited: null }, 'housing-provider', now)).toBe(
        true,
      );
      expect(isOverdueOnWorklist({ ...asked, repliesAwaited: null }, 'police', now)).toBe(false);
      expect(isOverdueOnWorklist({ ...reviewLate, cycle: 3 }, 'housing-provider', now)).toBe(true);
    });
  });
});

describe('an application entered after its deadline', () => {
  const due = '2015-06-15T22:59:59.999Z';
  const enteredAt = '2026-03-02T09:00:00Z'; // Monday

  it('is promised the clock’s working days from entry, not the day already gone', () => {
    // Act, Assess
    expect(promisedDeadline('thresholdDecision', sefton, due, enteredAt)).toEqual({
      by: '2026-03-16T23:59:59.999Z',
      late: true,
    });
    expect(promisedDeadline('thresholdDecision', sefton, due, '2015-06-02T09:00:00Z')).toEqual({
      by: due,
      late: false,
    });
  });

  it('is first reminded one reminder interval (2 working days) after entry, or at its deadline if later', () => {
    // Act, Assess
    expect(firstReminderAt(due, enteredAt)).toBe('2026-03-04T23:59:59.999Z');
    expect(firstReminderAt(due, '2015-06-02T09:00:00Z')).toBe(due);
    expect(firstReminderAt(due, '2015-06-12T09:00:00Z')).toBe('2015-06-16T22:59:59.999Z');
  });
});

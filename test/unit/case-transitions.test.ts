// How the workflow's steps change a case record (pure: no I/O).
import { describe, expect, it } from 'vitest';
import type { CaseRecord, RecordedAction } from '#core/case-record.ts';
import {
  applyRecordedAction,
  endReferralWindow,
  receivedCase,
  waitingStage,
} from '#core/case-transitions.ts';
import { StageConflictError } from '#core/errors.ts';
import { APPLICANT, AREA, application, decisions, OFFICER, PCC } from '#test/support/case-fixtures.ts';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const LATER = new Date('2026-03-05T15:00:00.000Z');
const SEFTON = AREA.csps.find((csp) => csp.id === 'sefton') ?? AREA.csps[0];
if (SEFTON === undefined) throw new Error('no CSP');

function received(): CaseRecord {
  return receivedCase(AREA, {
    reference: 'SEF-AAAA-BBBB',
    application: application(NOW),
    enteredBy: APPLICANT,
    now: NOW,
  }).record;
}

function action(decision: (typeof decisions)[keyof typeof decisions], cycle = 1): RecordedAction {
  if (typeof decision === 'function') throw new Error('pass a decision, not a factory');
  return {
    ...decision,
    cycle,
    bodyHash: 'hash',
    actor:
      decision.kind === 'pcc-decision'
        ? PCC
        : ['referral', 'withdraw'].includes(decision.kind)
          ? APPLICANT
          : OFFICER,
    recordedAt: LATER.toISOString(),
  } as RecordedAction;
}

function waiting(record: CaseRecord): CaseRecord {
  return { ...record, stage: waitingStage(record.stage, 'threshold-decision') };
}

describe('receivedCase', () => {
  it('is received, counted as received in the year of receipt, with the clocks of receipt running', () => {
    // Act
    const record = received();

    // Assess
    expect(record).toMatchObject({
      stage: 'received',
      reportingYear: '2025-26',
      counted: ['applicationsReceived'],
      postcodeDistrict: 'L20',
      incidentDates: { from: '2026-02-10', to: '2026-02-25' },
      cycle: 1,
      version: 1,
    });
    expect(Object.keys(record.deadlines)).toEqual(['acknowledge', 'thresholdDecision']);
    expect(record.nextDeadline).toBe(record.deadlines.acknowledge);
  });

  it("keeps the victim's chosen involvement with the applicant's details, never on the case item", () => {
    // Prepare
    const involvement = { level: 'attend', attendance: 'online', consultOnPlan: true } as const;

    // Act
    const stored = receivedCase(AREA, {
      reference: 'SEF-AAAA-BBBB',
      application: { ...application(NOW), involvement },
      enteredBy: APPLICANT,
      now: NOW,
    });

    // Assess
    expect(stored.applicant.involvement).toEqual(involvement);
    expect(JSON.stringify(stored.record)).not.toContain('involvement');
    const withoutInvolvement = receivedCase(AREA, {
      reference: 'SEF-AAAA-CCCC',
      application: application(NOW),
      enteredBy: APPLICANT,
      now: NOW,
    });
    expect('involvement' in withoutInvolvement.applicant).toBe(false);
  });
});

describe('applyRecordedAction', () => {
  it('opens the review, shared with no agency until the officer asks some, when the threshold is met', () => {
    // Act
    const { after, event } = applyRecordedAction(
      waiting(received()),
      action(decisions.met),
      SEFTON,
      'financial',
      LATER,
    );

    // Assess
    expect(after).toMatchObject({
      stage: 'awaiting-review',
      sharedWith: [],
      counted: ['applicationsReceived'],
      waitingFor: null,
      version: 2,
    });
    expect(after.thresholdDecision).toEqual({
      met: true,
      route: 'A',
      reason: decisions.met.body.reason,
      at: LATER.toISOString(),
      by: OFFICER,
    });
    expect(after.nextDeadline).toBe(after.deadlines.reviewOutcome);
    expect(event).toMatchObject({ type: 'threshold-decision', audience: 'all' });
    expect(event.summary).toContain('route A');
  });

  it('counts "not met" and opens the referral window when the threshold is not met', () => {
    // Act
    const { after } = applyRecordedAction(
      waiting(received()),
      action(decisions.notMet),
      SEFTON,
      'financial',
      LATER,
    );

    // Assess
    expect(after.stage).toBe('threshold-not-met');
    expect(after.counted).toEqual(['applicationsReceived', 'thresholdNotMet']);
    expect(after.nextDeadline).toBe(after.deadlines.referralWindow);
    expect(after.sharedWith).toEqual([]);
  });

  it('starts a new review cycle on a refer-back, and closes on "review stands"', () => {
    // Prepare
    const notMet = applyRecordedAction(
      waiting(received()),
      action(decisions.notMet),
      SEFTON,
      'financial',
      NOW,
    ).after;
    const referred = applyRecordedAction(notMet, action(decisions.referral), SEFTON, 'financial', NOW).after;

    // Act
    const back = applyRecordedAction(referred, action(decisions.referBack), SEFTON, 'financial', LATER).after;
    const stands = applyRecordedAction(referred, action(decisions.stands), SEFTON, 'financial', LATER).after;

    // Assess
    expect(referred).toMatchObject({ stage: 'awaiting-pcc-decision', pccArea: 'merseyside' });
    expect(referred.counted).toContain('referralsToPcc');
    expect(back).toMatchObject({ stage: 'awaiting-review', cycle: 2 });
    expect(back.deadlines.reviewOutcome).toBeDefined();
    expect(stands).toMatchObject({
      stage: 'closed',
      closure: { reason: 'pcc-decided', at: LATER.toISOString() },
    });
    expect(stands.nextDeadline).toBeNull();
  });

  it('closes a withdrawn case and keeps the counts it had reached', () => {
    // Prepare
    const notMet = applyRecordedAction(
      waiting(received()),
      action(decisions.notMet),
      SEFTON,
      'financial',
      NOW,
    ).after;

    // Act
    const { after, event } = applyRecordedAction(
      notMet,
      action(decisions.withdraw),
      SEFTON,
      'financial',
      LATER,
    );

    // Assess
    expect(after).toMatchObject({ stage: 'closed', closure: { reason: 'withdrawn' } });
    expect(after.counted).toEqual(['applicationsReceived', 'thresholdNotMet']);
    expect(event.summary).toBe('The application was withdrawn by the applicant.');
  });
});

describe('endReferralWindow', () => {
  it('closes the case with the reason of the stage it stood at', () => {
    // Prepare
    const notMet = applyRecordedAction(
      waiting(received()),
      action(decisions.notMet),
      SEFTON,
      'financial',
      NOW,
    ).after;

    // Act
    const { after, event } = endReferralWindow(notMet, SEFTON, 'financial', LATER);

    // Assess
    expect(after.closure).toEqual({ reason: 'threshold-not-met', at: LATER.toISOString() });
    expect(event.actor).toEqual({ role: 'system' });
  });
});

describe('waitingStage', () => {
  it('moves a received case to await the threshold decision, and leaves the other waits where they are', () => {
    expect(waitingStage('received', 'threshold-decision')).toBe('awaiting-threshold-decision');
    expect(waitingStage('awaiting-threshold-decision', 'threshold-decision')).toBe(
      'awaiting-threshold-decision',
    );
    expect(waitingStage('review-complete', 'referral')).toBe('review-complete');
  });

  it('refuses a wait the stage cannot have', () => {
    expect(() => waitingStage('closed', 'review-outcome')).toThrow(StageConflictError);
  });
});

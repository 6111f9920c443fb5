// A whole case review through the pure core: each step's state, stage event and stage.
import { describe, expect, it } from 'vitest';
import { openActions } from '#core/action-plan.ts';
import { MERSEYSIDE, requireCsp } from '#core/area-config.ts';
import type { Actor } from '#core/case-record.ts';
import { mayTake, whoMayTake } from '#core/case-review-rules.ts';
import {
  actionOwner,
  actionsFinished,
  answerConsultation,
  arrangeMeeting,
  askAgencies,
  finaliseConsultedPlan,
  meetingOf,
  NO_REVIEW_YET,
  pccDecided,
  planOf,
  recordActionProgress,
  recordOutcome,
  referBack,
  referralWindowEnded,
  reviewStateOf,
  ruleFactsOf,
  withContact,
  withInvolvement,
} from '#core/case-review-state.ts';
import { type CaseStage, nextStage } from '#core/stages.ts';

const SEFTON = requireCsp(MERSEYSIDE, 'sefton');
const OFFICER: Actor = { role: 'officer', sub: 'o-1', name: 'Alex Officer' };
const POLICE: Actor = { role: 'agency', sub: 'a-1', name: 'Sam Constable', agency: 'police' };
const at = (day: string) => new Date(`2015-${day}T09:00:00Z`);
const RECOMMENDATIONS = [
  { action: 'Visit the neighbour', owner: 'housing-provider', dueBy: '2015-07-20' },
  { action: 'Patrol on Friday nights', owner: 'police', dueBy: '2015-08-31' },
] as const;

describe('a case review with a consultation, followed to the end', () => {
  it('moves from the review to the consultation, the final plan, and closes when the last action is done', () => {
    // Prepare: the victim chose to attend online and to be consulted.
    let stage: CaseStage = 'awaiting-review';
    let state = reviewStateOf({ level: 'attend', attendance: 'online', consultOnPlan: true });
    state = withContact(
      state,
      { name: 'Jo Officer', phone: '0151 934 0000', email: 'jo@sefton.example' },
      {
        cycle: 1,
        now: at('06-10'),
        by: OFFICER,
      },
    );

    // Act, Assess: the agencies asked are the agencies shared with, and only they may respond.
    const asked = askAgencies(
      state,
      { agencies: ['police', 'housing-provider'], message: 'What do you know?' },
      {
        cycle: 1,
        now: at('06-15'),
        by: OFFICER,
        csp: SEFTON,
      },
    );
    state = asked.state;
    expect(asked.shareWith).toEqual(['police', 'housing-provider']);
    const facts = ruleFactsOf(state, { stage, cycle: 1, reviewRecorded: false, referralWindowEnded: false });
    expect(mayTake('agency-responses', POLICE, facts, { respondingFor: 'police' })).toEqual({
      allowed: true,
    });
    expect(whoMayTake('agency-responses', { role: 'agency', agency: 'health' }, facts)).toMatchObject({
      allowed: false,
    });

    // The meeting invites the victim, who chose to attend.
    const meeting = arrangeMeeting(
      state,
      {
        at: '2015-06-25T14:00:00.000Z',
        format: 'online',
        location: 'https://meet.example/abc',
        chair: { name: 'Pat Chair', organisation: 'Sefton CVS', independent: true },
        invitees: ['police', 'housing-provider', 'applicant'],
      },
      { cycle: 1, now: at('06-16'), by: OFFICER },
    );
    state = meeting.state;
    expect(meeting).toMatchObject({
      rescheduled: false,
      notify: { agencies: ['police', 'housing-provider'], applicant: true },
    });

    // The outcome with recommendations goes to the victim as a draft.
    const outcome = recordOutcome(state, RECOMMENDATIONS, {
      cycle: 1,
      now: at('07-01'),
      by: OFFICER,
      csp: SEFTON,
    });
    state = outcome.state;
    stage = nextStage(stage, outcome.event).stage;
    expect(stage).toBe('action-plan-consultation');
    expect(outcome.plan).toMatchObject({ status: 'draft', respondBy: '2015-07-08' });
    expect(outcome.shareWith).toEqual([]);

    // The victim answers; the officer finalises, sharing the case with the owners.
    state =
      answerConsultation(
        state,
        { agrees: false, comments: 'Sooner, please' },
        { cycle: 1, now: at('07-03') },
      ) ?? state;
    const final = finaliseConsultedPlan(
      state,
      { recommendations: [...RECOMMENDATIONS], changes: 'The visit is sooner' },
      { cycle: 1, now: at('07-06') },
    );
    if (final === null) throw new Error('no draft');
    state = final.state;
    stage = nextStage(stage, final.event).stage;
    expect(stage).toBe('review-complete');
    expect(final.shareWith).toEqual(['police', 'housing-provider']);

    // The referral window ends with actions open: the case stays open.
    stage = nextStage(stage, referralWindowEnded(state, 1)).stage;
    expect(stage).toBe('review-complete');

    // The owner finishes its action; the officer the other; the case then closes.
    expect(actionOwner(state, 1, '1-2')).toBe('police');
    const context = { cycle: 1, now: at('08-01') };
    const why = { referralWindowEnded: true, reviewStood: false };
    const patrols = recordActionProgress(
      state,
      '1-2',
      { status: 'done', note: 'Every Friday' },
      { ...context, by: POLICE },
    );
    state = patrols.state;
    expect(actionsFinished(state, 1, why)).toBeNull();
    const visit = recordActionProgress(
      state,
      '1-1',
      { status: 'done', note: 'Visited' },
      { ...context, by: OFFICER },
    );
    state = visit.state;
    const finished = actionsFinished(state, 1, why);
    expect(finished).toEqual({ type: 'actions-finished', referralWindowEnded: true, reviewStood: false });
    expect(nextStage(stage, finished ?? { type: 'withdraw' })).toEqual({
      stage: 'closed',
      closure: 'review-complete',
    });
    expect(openActions(planOf(state, 1))).toEqual([]);
  });
});

describe('a review without consultation, and a PCC decision', () => {
  it('is final at once when the victim declined, and "review stands" waits for the open actions', () => {
    // Prepare
    const state = recordOutcome(
      withInvolvement(NO_REVIEW_YET, { level: 'updates-only', attendance: null, consultOnPlan: false }),
      RECOMMENDATIONS,
      { cycle: 1, now: at('07-01'), by: OFFICER, csp: SEFTON },
    );

    // Act
    const stage = nextStage('awaiting-review', state.event).stage;
    const stands = nextStage('awaiting-pcc-decision', pccDecided(state.state, 1, 'review-stands'));

    // Assess
    expect(stage).toBe('review-complete');
    expect(state.shareWith).toEqual(['police', 'housing-provider']);
    expect(stands).toEqual({ stage: 'review-complete' });
    const done = recordActionProgress(
      state.state,
      '1-1',
      { status: 'done', note: 'x' },
      { cycle: 1, now: at('08-01'), by: OFFICER },
    );
    const last = recordActionProgress(
      done.state,
      '1-2',
      { status: 'cannot-be-done', note: 'y' },
      { cycle: 1, now: at('08-02'), by: OFFICER },
    );
    const finished = actionsFinished(last.state, 1, { referralWindowEnded: false, reviewStood: true });
    expect(finished && nextStage('review-complete', finished)).toEqual({
      stage: 'closed',
      closure: 'pcc-decided',
    });
  });

  it('starts a new cycle on a refer-back: the old plan replaced, nothing of it open, a new meeting and plan', () => {
    // Prepare
    const first = recordOutcome(NO_REVIEW_YET, RECOMMENDATIONS, {
      cycle: 1,
      now: at('07-01'),
      by: OFFICER,
      csp: SEFTON,
    });

    // Act
    const referred = referBack(first.state, at('08-10'));
    const second = recordOutcome(referred, [RECOMMENDATIONS[0]], {
      cycle: 2,
      now: at('09-01'),
      by: OFFICER,
      csp: SEFTON,
    });

    // Assess
    expect(planOf(second.state, 1)).toMatchObject({ replacedAt: at('08-10').toISOString() });
    expect(referralWindowEnded(referred, 1)).toEqual({ type: 'referral-window-ended', openActions: 0 });
    expect(planOf(second.state, 2)?.actions.map((action) => action.id)).toEqual(['2-1']);
    expect(meetingOf(second.state, 2)).toBeNull();
    expect(second.plan.status).toBe('draft');
  });

  it('refuses a response or a final plan when the cycle has no draft', () => {
    // Act, Assess
    expect(answerConsultation(NO_REVIEW_YET, { agrees: true }, { cycle: 1, now: at('07-03') })).toBeNull();
    expect(
      finaliseConsultedPlan(
        NO_REVIEW_YET,
        { recommendations: [], changes: 'x' },
        { cycle: 1, now: at('07-03') },
      ),
    ).toBeNull();
    expect(
      recordActionProgress(
        NO_REVIEW_YET,
        '1-1',
        { status: 'done', note: 'x' },
        { cycle: 1, now: at('07-03'), by: OFFICER },
      ).result,
    ).toEqual({ outcome: 'not-final' });
  });
});

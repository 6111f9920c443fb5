import { describe, expect, it } from 'vitest';
import {
  CASE_REVIEW_ACTIONS,
  mayTake,
  REVIEW_ACTION_ROLES,
  REVIEW_ACTION_STAGES,
  type ReviewRuleFacts,
  whenMayTake,
  whoMayTake,
} from '#core/case-review-rules.ts';
import { ACTION_STAGES, CASE_STAGES, OPEN_STAGES } from '#core/stages.ts';

function facts(overrides: Partial<ReviewRuleFacts> = {}): ReviewRuleFacts {
  return {
    stage: 'awaiting-review',
    reviewRecorded: false,
    referralWindowEnded: false,
    askedAgencies: ['police', 'housing-provider'],
    ...overrides,
  };
}

const OFFICER = { role: 'officer' } as const;
const APPLICANT = { role: 'applicant' } as const;
const POLICE = { role: 'agency', agency: 'police' } as const;
const HEALTH = { role: 'agency', agency: 'health' } as const;

describe('when each action of the review may be taken', () => {
  it('is the contract\'s "when" column', () => {
    // Prepare, Act, Assess
    expect(REVIEW_ACTION_STAGES).toEqual({
      contact: OPEN_STAGES,
      involvement: [
        'received',
        'awaiting-threshold-decision',
        'threshold-not-met',
        'awaiting-review',
        'awaiting-pcc-decision',
      ],
      'information-requests': ['awaiting-review'],
      'review-meeting': ['awaiting-review'],
      'action-plan-response': ['action-plan-consultation'],
      'action-plan': ['action-plan-consultation'],
      'action-progress': ['review-complete', 'awaiting-pcc-decision'],
      'agency-responses': ACTION_STAGES['agency-responses'],
      referral: ACTION_STAGES.referral,
      withdraw: OPEN_STAGES,
    });
  });

  it('refuses every action on a closed case, naming the stage', () => {
    // Prepare, Act, Assess
    for (const action of [...CASE_REVIEW_ACTIONS, 'referral', 'withdraw', 'agency-responses'] as const) {
      const verdict = whenMayTake(action, facts({ stage: 'closed' }));
      expect(verdict).toMatchObject({ allowed: false, failure: 'stage' });
      expect(verdict.allowed || verdict.message).toMatch(/is not possible while the case is closed\.$/);
    }
  });

  it('lets the victim change how they take part until the review is recorded, also after a refer-back', () => {
    // Prepare, Act, Assess
    expect(whenMayTake('involvement', facts())).toEqual({ allowed: true });
    expect(
      whenMayTake('involvement', facts({ stage: 'awaiting-pcc-decision', reviewRecorded: true })),
    ).toEqual({
      allowed: false,
      failure: 'review-recorded',
      message: 'How the victim takes part can no longer change: the case review has been recorded.',
    });
    expect(
      whenMayTake('involvement', facts({ stage: 'action-plan-consultation', reviewRecorded: true })),
    ).toMatchObject({ allowed: false, failure: 'stage' });
  });

  it('ends asking the agencies and arranging the meeting once the outcome is recorded, before the stage moves', () => {
    // Prepare
    const recorded = facts({ reviewRecorded: true });
    // Act, Assess
    expect(whenMayTake('information-requests', facts())).toEqual({ allowed: true });
    expect(whenMayTake('review-meeting', facts())).toEqual({ allowed: true });
    expect(whenMayTake('information-requests', recorded)).toEqual({
      allowed: false,
      failure: 'review-recorded',
      message: 'The agencies can no longer be asked for information: the case review has been recorded.',
    });
    expect(whenMayTake('review-meeting', recorded)).toEqual({
      allowed: false,
      failure: 'review-recorded',
      message: 'The review meeting can no longer be arranged or moved: the case review has been recorded.',
    });
    expect(whenMayTake('involvement', recorded)).toMatchObject({
      allowed: false,
      failure: 'review-recorded',
    });
    expect(whenMayTake('contact', recorded)).toEqual({ allowed: true });
  });

  it('takes no referral once the referral window has ended, while the case stays open for its actions', () => {
    // Prepare, Act, Assess
    expect(whenMayTake('referral', facts({ stage: 'review-complete' }))).toEqual({ allowed: true });
    expect(
      whenMayTake('referral', facts({ stage: 'review-complete', referralWindowEnded: true })),
    ).toMatchObject({
      allowed: false,
      failure: 'closed-window',
    });
    expect(
      whenMayTake('action-progress', facts({ stage: 'review-complete', referralWindowEnded: true })),
    ).toEqual({
      allowed: true,
    });
  });

  it('takes withdrawal at every open stage, the consultation included', () => {
    // Prepare, Act, Assess
    for (const stage of CASE_STAGES) {
      expect(whenMayTake('withdraw', facts({ stage })).allowed, stage).toBe(stage !== 'closed');
    }
  });
});

describe('who may take each action of the review', () => {
  it('is the contract\'s "who" column', () => {
    // Prepare, Act, Assess
    expect(REVIEW_ACTION_ROLES).toEqual({
      contact: ['officer'],
      involvement: ['applicant', 'officer'],
      'information-requests': ['officer'],
      'review-meeting': ['officer'],
      'action-plan-response': ['applicant'],
      'action-plan': ['officer'],
      'action-progress': ['agency', 'officer'],
      'agency-responses': ['agency', 'officer'],
      referral: ['applicant', 'officer'],
      withdraw: ['applicant', 'officer'],
    });
  });

  it('lets an agency respond only for itself and only once asked; an officer for any agency', () => {
    // Prepare, Act, Assess
    expect(whoMayTake('agency-responses', POLICE, facts(), { respondingFor: 'police' })).toEqual({
      allowed: true,
    });
    expect(whoMayTake('agency-responses', POLICE, facts(), { respondingFor: 'council' })).toEqual({
      allowed: false,
      failure: 'forbidden',
      message: 'You can only give the response of your own agency.',
    });
    expect(whoMayTake('agency-responses', HEALTH, facts(), { respondingFor: 'health' })).toEqual({
      allowed: false,
      failure: 'forbidden',
      message: 'Your agency has not been asked for information about this case.',
    });
    expect(whoMayTake('agency-responses', OFFICER, facts(), { respondingFor: 'health' })).toEqual({
      allowed: true,
    });
  });

  it("lets an action's progress come from its owner agency or an officer, nobody else", () => {
    // Prepare, Act, Assess
    expect(whoMayTake('action-progress', POLICE, facts(), { actionOwner: 'police' })).toEqual({
      allowed: true,
    });
    expect(whoMayTake('action-progress', OFFICER, facts(), { actionOwner: 'health' })).toEqual({
      allowed: true,
    });
    expect(whoMayTake('action-progress', HEALTH, facts(), { actionOwner: 'police' })).toMatchObject({
      allowed: false,
      message: 'Only the agency responsible for this action, or a CSP officer, can update it.',
    });
    expect(whoMayTake('action-progress', APPLICANT, facts(), { actionOwner: 'police' })).toMatchObject({
      allowed: false,
      message: 'Only an agency representative or a CSP officer can do this.',
    });
  });

  it('lets only the applicant answer the consultation, and only officers finalise the plan', () => {
    // Prepare, Act, Assess
    expect(whoMayTake('action-plan-response', APPLICANT, facts())).toEqual({ allowed: true });
    expect(whoMayTake('action-plan-response', OFFICER, facts())).toMatchObject({
      allowed: false,
      message: 'Only the applicant can do this.',
    });
    expect(whoMayTake('action-plan', POLICE, facts())).toMatchObject({
      allowed: false,
      failure: 'forbidden',
    });
  });

  it('says who may not act before saying the stage is wrong', () => {
    // Prepare, Act, Assess
    expect(mayTake('action-plan', APPLICANT, facts({ stage: 'closed' }))).toMatchObject({
      failure: 'forbidden',
    });
    expect(mayTake('action-plan', OFFICER, facts({ stage: 'closed' }))).toMatchObject({ failure: 'stage' });
    expect(mayTake('action-plan', OFFICER, facts({ stage: 'action-plan-consultation' }))).toEqual({
      allowed: true,
    });
  });
});

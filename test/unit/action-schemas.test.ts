import { describe, expect, it } from 'vitest';
import {
  agencyResponseSchema,
  pccDecisionSchema,
  referralSchema,
  thresholdDecisionSchema,
  validate,
  withdrawSchema,
} from '#core/schemas.ts';

describe('thresholdDecisionSchema', () => {
  it('accepts a threshold met by a route', () => {
    expect(
      validate(thresholdDecisionSchema, { met: true, route: 'discretionary', reason: ' Persistent harm ' }),
    ).toEqual({
      success: true,
      data: { met: true, route: 'discretionary', reason: 'Persistent harm' },
    });
  });

  it('accepts a threshold not met, without a route', () => {
    expect(validate(thresholdDecisionSchema, { met: false, reason: 'Two incidents in six months' })).toEqual({
      success: true,
      data: { met: false, reason: 'Two incidents in six months' },
    });
  });

  it('asks for the route when the threshold is met, alongside any other problem', () => {
    expect(validate(thresholdDecisionSchema, { met: true, reason: '' })).toEqual({
      success: false,
      issues: [
        { path: 'reason', message: 'Enter the reason for the decision' },
        {
          path: 'route',
          message: 'Select the route by which the threshold is met: A, B, C or discretionary',
        },
      ],
    });
  });

  it('refuses a route when the threshold is not met', () => {
    expect(validate(thresholdDecisionSchema, { met: false, route: 'A', reason: 'x' })).toEqual({
      success: false,
      issues: [{ path: 'route', message: 'Only give a route when the threshold is met' }],
    });
  });

  it('refuses a route that does not exist', () => {
    expect(validate(thresholdDecisionSchema, { met: true, route: 'D', reason: 'x' })).toEqual({
      success: false,
      issues: [
        {
          path: 'route',
          message: 'Select the route by which the threshold is met: A, B, C or discretionary',
        },
      ],
    });
  });

  it('asks whether the threshold is met', () => {
    expect(validate(thresholdDecisionSchema, { met: 'yes', reason: 'x' })).toEqual({
      success: false,
      issues: [{ path: 'met', message: 'Select whether the threshold for a case review is met' }],
    });
  });
});

describe('agencyResponseSchema', () => {
  it('accepts what an agency knew and did', () => {
    expect(
      validate(agencyResponseSchema, { agency: 'housing-provider', summary: 'Two warning letters' }),
    ).toEqual({
      success: true,
      data: { agency: 'housing-provider', summary: 'Two warning letters' },
    });
  });

  it('refuses an agency that is not a relevant body', () => {
    expect(validate(agencyResponseSchema, { agency: 'fire', summary: 'x' })).toEqual({
      success: false,
      issues: [{ path: 'agency', message: 'Select the agency: police, council, housing-provider or health' }],
    });
  });

  it('refuses a summary longer than 10,000 characters', () => {
    expect(validate(agencyResponseSchema, { agency: 'police', summary: 'a'.repeat(10_001) })).toEqual({
      success: false,
      issues: [{ path: 'summary', message: 'The summary must be 10,000 characters or less' }],
    });
  });
});

describe('the referral, PCC decision and withdrawal', () => {
  it('ask for a reason', () => {
    expect(validate(referralSchema, { reason: ' ' })).toEqual({
      success: false,
      issues: [
        {
          path: 'reason',
          message: 'Enter why you are asking the Police and Crime Commissioner’s office to check your case',
        },
      ],
    });
  });

  it('take a withdrawal without a reason, and a fear of reprisal only as true or false', () => {
    expect(validate(withdrawSchema, { reason: ' ' })).toEqual({ success: true, data: {} });
    expect(validate(withdrawSchema, { fearOfReprisal: 'yes' })).toEqual({
      success: false,
      issues: [
        {
          path: 'fearOfReprisal',
          message: 'Say whether the applicant fears reprisal with true, or leave fearOfReprisal out',
        },
      ],
    });
  });

  it('trim the reason', () => {
    expect(validate(withdrawSchema, { reason: '  The noise has stopped  ' })).toEqual({
      success: true,
      data: { reason: 'The noise has stopped' },
    });
  });

  it('accept the two PCC outcomes only', () => {
    expect(
      validate(pccDecisionSchema, { outcome: 'refer-back', reason: 'Policy not considered' }).success,
    ).toBe(true);
    expect(validate(pccDecisionSchema, { outcome: 'overturn', reason: 'x' })).toEqual({
      success: false,
      issues: [{ path: 'outcome', message: 'Select the decision: review-stands or refer-back' }],
    });
  });

  it('refuse unknown fields', () => {
    expect(validate(referralSchema, { reason: 'x', reasons: 'y' })).toEqual({
      success: false,
      issues: [
        { path: 'reasons', message: 'reasons is not something we ask for. Check the spelling or remove it' },
      ],
    });
  });
});

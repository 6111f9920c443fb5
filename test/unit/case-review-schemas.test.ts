import { describe, expect, it } from 'vitest';
import {
  actionPlanResponseSchema,
  actionPlanSchema,
  actionProgressSchema,
  agencyResponseSchema,
  applicationSchema,
  caseContactSchema,
  caseReviewOutcomeSchema,
  informationRequestsSchema,
  involvementSchema,
  reviewMeetingSchema,
  validate,
} from '#core/schemas.ts';
import { NOW as APPLIED, CSP_IDS, validApplication } from '#test/unit/support/application-fixtures.ts';

const NOW = new Date('2015-07-10T09:00:00Z');
const RECEIVED = '2015-06-01T10:00:00Z';

const FINDINGS = {
  persistence: 'Noise most nights for four months',
  harm: 'The family cannot sleep; the children are frightened',
  adequacy: 'Reports were logged but nobody visited',
};

function outcome(overrides: Record<string, unknown> = {}) {
  return {
    heldOn: '2015-07-01',
    summary: 'The partners agreed a plan',
    findings: FINDINGS,
    recommendations: [{ action: 'Visit the neighbour', owner: 'housing-provider', dueBy: '2015-08-01' }],
    ...overrides,
  };
}

describe('caseContactSchema', () => {
  it('accepts a named person with a phone number and an email address, trimmed', () => {
    // Prepare, Act, Assess
    expect(
      validate(caseContactSchema, {
        name: ' Jo Officer ',
        phone: ' 0151 934 0000 ',
        email: 'jo@sefton.example',
      }),
    ).toEqual({
      success: true,
      data: { name: 'Jo Officer', phone: '0151 934 0000', email: 'jo@sefton.example' },
    });
  });

  it('asks for each detail, and says what a phone number and an email address look like', () => {
    // Prepare, Act
    const missing = validate(caseContactSchema, { name: '', phone: '', email: '' });
    const wrong = validate(caseContactSchema, { name: 'Jo', phone: 'ask for Jo', email: 'jo at sefton' });

    // Assess
    expect(missing).toEqual({
      success: false,
      issues: [
        { path: 'name', message: 'Enter the name of the contact' },
        { path: 'phone', message: 'Enter the telephone number of the contact' },
        { path: 'email', message: 'Enter the email address of the contact' },
      ],
    });
    expect(wrong).toEqual({
      success: false,
      issues: [
        {
          path: 'phone',
          message: 'Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
        },
        { path: 'email', message: 'Enter an email address in the correct format, like name@example.com' },
      ],
    });
  });
});

describe('involvementSchema', () => {
  it('keeps how someone attending would attend, and asks them about the plan unless they say no', () => {
    // Prepare, Act, Assess
    expect(
      validate(involvementSchema, { level: 'attend', attendance: 'online', needs: ' A BSL interpreter ' }),
    ).toEqual({
      success: true,
      data: { level: 'attend', attendance: 'online', needs: 'A BSL interpreter', consultOnPlan: true },
    });
    expect(
      validate(involvementSchema, {
        level: 'updates-only',
        attendance: null,
        views: '',
        consultOnPlan: false,
      }),
    ).toEqual({
      success: true,
      data: { level: 'updates-only', attendance: null, consultOnPlan: false },
    });
  });

  it('asks someone attending how, and refuses "how" from someone who is not attending', () => {
    // Prepare, Act, Assess
    expect(validate(involvementSchema, { level: 'attend' })).toEqual({
      success: false,
      issues: [{ path: 'attendance', message: 'Select whether you would attend in person or online' }],
    });
    expect(validate(involvementSchema, { level: 'views-only', attendance: 'in-person', views: 'x' })).toEqual(
      {
        success: false,
        issues: [
          { path: 'attendance', message: 'Only say how you would attend if you want to attend the meeting' },
        ],
      },
    );
  });

  it('asks for a level it knows', () => {
    // Prepare, Act, Assess
    expect(
      validate(involvementSchema, { level: 'observe', attendance: 'online', consultOnPlan: 'yes' }),
    ).toEqual({
      success: false,
      issues: [
        {
          path: 'level',
          message:
            'Select how you want to take part: attend the meeting, give your views in writing, or be kept up to date',
        },
        {
          path: 'consultOnPlan',
          message: 'Select whether you want to see any action plan and comment on it before it is final',
        },
      ],
    });
  });

  it('is an optional part of an application, kept as chosen', () => {
    // Prepare
    const schema = applicationSchema({ now: APPLIED, staff: false, cspIds: CSP_IDS });

    // Act
    const without = validate(schema, validApplication());
    const withInvolvement = validate(
      schema,
      validApplication({ involvement: { level: 'views-only', views: 'Please read my diary' } }),
    );
    const wrong = validate(schema, validApplication({ involvement: { level: 'attend' } }));

    // Assess
    expect(without.success && 'involvement' in without.data).toBe(false);
    expect(withInvolvement.success && withInvolvement.data.involvement).toEqual({
      level: 'views-only',
      attendance: null,
      views: 'Please read my diary',
      consultOnPlan: true,
    });
    expect(wrong).toEqual({
      success: false,
      issues: [
        { path: 'involvement.attendance', message: 'Select whether you would attend in person or online' },
      ],
    });
  });
});

describe('informationRequestsSchema', () => {
  const schema = informationRequestsSchema({ receivedAt: RECEIVED, now: NOW });

  it('takes a date already gone, from the day the application was received (a case entered from its papers)', () => {
    // Prepare, Act, Assess
    expect(validate(schema, { agencies: ['police'], dueBy: '2015-06-01', message: 'x' })).toMatchObject({
      success: true,
      data: { dueBy: '2015-06-01' },
    });
  });

  it('asks each agency once, in a fixed order, with an optional date to reply by', () => {
    // Prepare, Act, Assess
    expect(
      validate(schema, { agencies: ['housing-provider', 'police', 'police'], message: ' What did you do? ' }),
    ).toEqual({
      success: true,
      data: { agencies: ['police', 'housing-provider'], message: 'What did you do?' },
    });
    expect(validate(schema, { agencies: ['health'], dueBy: '2015-07-10', message: 'x' })).toMatchObject({
      success: true,
      data: { dueBy: '2015-07-10' },
    });
  });

  it('refuses no agency, an agency that is not a relevant body and a date before the application', () => {
    // Prepare, Act, Assess
    expect(validate(schema, { agencies: [], dueBy: '2015-05-31', message: '' })).toEqual({
      success: false,
      issues: [
        { path: 'agencies', message: 'Select at least one agency to ask' },
        {
          path: 'dueBy',
          message: 'The date to reply by must be on or after 1 June 2015, when the application was received',
        },
        { path: 'message', message: 'Enter what you are asking the agencies for' },
      ],
    });
    expect(validate(schema, { agencies: ['fire-service'], message: 'x' })).toEqual({
      success: false,
      issues: [
        { path: 'agencies.0', message: 'Select an agency: police, council, housing-provider or health' },
      ],
    });
  });

  it('refuses a date to reply by more than a year ahead, a slip that would hold the reminders back', () => {
    // Prepare, Act, Assess
    expect(validate(schema, { agencies: ['police'], dueBy: '2016-07-09', message: 'x' })).toMatchObject({
      success: true,
    });
    expect(validate(schema, { agencies: ['police'], dueBy: '2016-07-10', message: 'x' })).toEqual({
      success: false,
      issues: [
        { path: 'dueBy', message: 'The date to reply by must be within a year, on or before 9 July 2016' },
      ],
    });
    expect(validate(schema, { agencies: ['police'], dueBy: '9999-12-31', message: 'x' })).toMatchObject({
      success: false,
    });
  });
});

describe('agencyResponseSchema', () => {
  it('takes what the agency did and where things stand, each optional', () => {
    // Prepare, Act, Assess
    expect(
      validate(agencyResponseSchema, {
        agency: 'police',
        summary: 'Six calls logged',
        actionsTaken: ' Two visits ',
        currentPosition: '',
      }),
    ).toEqual({
      success: true,
      data: { agency: 'police', summary: 'Six calls logged', actionsTaken: 'Two visits' },
    });
  });
});

describe('reviewMeetingSchema', () => {
  const schema = reviewMeetingSchema({ receivedAt: RECEIVED, now: NOW });
  const meeting = {
    at: '2015-06-25T15:00:00+01:00',
    format: 'hybrid',
    location: 'Bootle Town Hall, or online at https://meet.example/abc',
    chair: { name: 'Pat Chair', organisation: 'Sefton CVS', independent: true },
    invitees: ['council', 'applicant', 'police', 'council'],
  };

  it('keeps the time as UTC, the chair, and each invitee once', () => {
    // Prepare, Act, Assess
    expect(validate(schema, meeting)).toEqual({
      success: true,
      data: { ...meeting, at: '2015-06-25T14:00:00.000Z', invitees: ['police', 'council', 'applicant'] },
    });
  });

  it('refuses a time without its offset, a meeting before the application, no invitees and a chair half given', () => {
    // Prepare, Act, Assess
    expect(validate(schema, { ...meeting, at: '2015-06-25 14:00' }).success).toBe(false);
    expect(
      validate(schema, { ...meeting, at: '2015-05-01T10:00:00Z', invitees: [], chair: { name: 'Pat' } }),
    ).toEqual({
      success: false,
      issues: [
        {
          path: 'at',
          message: 'The meeting must be on or after 1 June 2015, when the application was received',
        },
        { path: 'chair.organisation', message: 'Enter the organisation of the chair' },
        {
          path: 'chair.independent',
          message: 'Select whether the chair is independent of the agencies involved',
        },
        { path: 'invitees', message: 'Select who is invited' },
      ],
    });
  });

  it('refuses a meeting on a day more than a year ahead', () => {
    // Prepare, Act, Assess
    expect(validate(schema, { ...meeting, at: '2016-07-09T22:59:00Z' })).toMatchObject({ success: true });
    expect(validate(schema, { ...meeting, at: '2016-07-09T23:00:00Z' })).toEqual({
      success: false,
      issues: [{ path: 'at', message: 'The meeting must be within a year, on or before 9 July 2016' }],
    });
    expect(validate(schema, { ...meeting, at: '9999-12-31T10:00:00Z' })).toMatchObject({ success: false });
  });
});

describe('reviewMeetingSchema, of a case entered from its papers', () => {
  it('takes a time already gone, from when the application was received', () => {
    // Prepare
    const schema = reviewMeetingSchema({ receivedAt: RECEIVED, now: NOW });
    const meeting = {
      format: 'online',
      location: 'https://meet.example/abc',
      chair: { name: 'Pat Chair', organisation: 'Sefton CVS', independent: false },
      invitees: ['police'],
    };

    // Act
    const gone = validate(schema, { ...meeting, at: '2015-06-01T10:00:00Z' });
    const before = validate(schema, { ...meeting, at: '2015-06-01T09:59:00Z' });

    // Assess
    expect(gone.success).toBe(true);
    expect(before.success).toBe(false);
  });
});

describe('caseReviewOutcomeSchema', () => {
  it('records a finding on each statutory question, who attended and the victim’s views', () => {
    // Prepare
    const schema = caseReviewOutcomeSchema({ now: NOW, receivedAt: RECEIVED });

    // Act
    const result = validate(
      schema,
      outcome({ attendees: ['applicant', 'police'], victimViews: 'I want it to stop' }),
    );

    // Assess
    expect(result).toEqual({
      success: true,
      data: { ...outcome(), attendees: ['police', 'applicant'], victimViews: 'I want it to stop' },
    });
  });

  it('requires the findings, naming each one missing', () => {
    // Prepare
    const schema = caseReviewOutcomeSchema({ now: NOW, receivedAt: RECEIVED });

    // Act, Assess
    expect(validate(schema, outcome({ findings: undefined }))).toEqual({
      success: false,
      issues: [
        {
          path: 'findings',
          message:
            'Enter a finding on each question the review considers: persistence, harm and whether the response was adequate',
        },
      ],
    });
    expect(validate(schema, outcome({ findings: { persistence: 'Nightly' } }))).toEqual({
      success: false,
      issues: [
        { path: 'findings.harm', message: 'Enter the finding on the harm, or potential harm, to the victim' },
        {
          path: 'findings.adequacy',
          message: 'Enter the finding on whether the response to the reports was adequate',
        },
      ],
    });
  });

  it('refuses a review held before the application was received, or before the last refer-back', () => {
    // Prepare
    const first = caseReviewOutcomeSchema({ now: NOW, receivedAt: RECEIVED });
    const again = caseReviewOutcomeSchema({
      now: NOW,
      receivedAt: RECEIVED,
      referredBackAt: '2015-07-02T09:00:00Z',
    });

    // Act, Assess
    expect(validate(first, outcome({ heldOn: '2015-05-31', recommendations: [] }))).toEqual({
      success: false,
      issues: [
        {
          path: 'heldOn',
          message:
            'The date the review was held must be on or after 1 June 2015, when the application was received',
        },
      ],
    });
    expect(validate(again, outcome())).toEqual({
      success: false,
      issues: [
        {
          path: 'heldOn',
          message:
            'The date the review was held must be on or after 2 July 2015, when the case was referred back for a new review',
        },
      ],
    });
    expect(validate(again, outcome({ heldOn: '2015-07-02' })).success).toBe(true);
  });

  it('refuses a review in the future once, and an action due before the review', () => {
    // Prepare
    const schema = caseReviewOutcomeSchema({ now: NOW, receivedAt: RECEIVED });

    // Act, Assess
    expect(validate(schema, outcome({ heldOn: '2015-07-11' }))).toEqual({
      success: false,
      issues: [{ path: 'heldOn', message: 'The date the review was held must be today or in the past' }],
    });
    expect(
      validate(schema, outcome({ recommendations: [{ action: 'x', owner: 'police', dueBy: '2015-06-30' }] })),
    ).toEqual({
      success: false,
      issues: [
        {
          path: 'recommendations.0.dueBy',
          message: 'The date the action is due by must be the same as or after the date the review was held',
        },
      ],
    });
  });

  it('refuses an action due more than two years after the request, which would never be overdue', () => {
    // Prepare
    const schema = caseReviewOutcomeSchema({ now: NOW, receivedAt: RECEIVED });
    const due = (dueBy: string) => outcome({ recommendations: [{ action: 'x', owner: 'council', dueBy }] });

    // Act, Assess
    expect(validate(schema, due('2017-07-10')).success).toBe(true);
    expect(validate(schema, due('2017-07-11'))).toEqual({
      success: false,
      issues: [
        {
          path: 'recommendations.0.dueBy',
          message: 'The date the action is due by must be within two years, on or before 10 July 2017',
        },
      ],
    });
    expect(validate(schema, due('9999-12-31')).success).toBe(false);
  });
});

describe('actionPlanResponseSchema', () => {
  it('takes agreement with or without comments, and asks for comments when the victim does not agree', () => {
    // Prepare, Act, Assess
    expect(validate(actionPlanResponseSchema, { agrees: true })).toEqual({
      success: true,
      data: { agrees: true },
    });
    expect(validate(actionPlanResponseSchema, { agrees: false, comments: ' Sooner, please ' })).toEqual({
      success: true,
      data: { agrees: false, comments: 'Sooner, please' },
    });
    expect(validate(actionPlanResponseSchema, { agrees: false, comments: ' ' })).toEqual({
      success: false,
      issues: [{ path: 'comments', message: 'Tell us what you would change in the action plan' }],
    });
  });
});

describe('actionPlanSchema', () => {
  const schema = actionPlanSchema({ heldOn: '2015-07-01', now: NOW });

  it('takes the final recommendations and what changed', () => {
    // Prepare, Act, Assess
    expect(
      validate(schema, {
        recommendations: [{ action: 'Visit sooner', owner: 'council', dueBy: '2015-07-15' }],
        changes: 'The visit is two weeks sooner, as the victim asked',
      }),
    ).toEqual({
      success: true,
      data: {
        recommendations: [{ action: 'Visit sooner', owner: 'council', dueBy: '2015-07-15' }],
        changes: 'The visit is two weeks sooner, as the victim asked',
      },
    });
  });

  it('asks what changed, and refuses an action due before the review', () => {
    // Prepare, Act, Assess
    expect(
      validate(schema, {
        recommendations: [{ action: 'x', owner: 'council', dueBy: '2015-06-01' }],
        changes: '',
      }),
    ).toEqual({
      success: false,
      issues: [
        {
          path: 'changes',
          message: 'Enter what changed in the plan after the consultation, or say that nothing changed',
        },
        {
          path: 'recommendations.0.dueBy',
          message: 'The date the action is due by must be the same as or after the date the review was held',
        },
      ],
    });
  });

  it('refuses an action due more than two years after the request', () => {
    // Prepare
    const plan = (dueBy: string) => ({
      recommendations: [{ action: 'x', owner: 'council', dueBy }],
      changes: 'Nothing changed',
    });

    // Act, Assess
    expect(validate(schema, plan('2017-07-10')).success).toBe(true);
    expect(validate(schema, plan('2062-07-10'))).toEqual({
      success: false,
      issues: [
        {
          path: 'recommendations.0.dueBy',
          message: 'The date the action is due by must be within two years, on or before 10 July 2017',
        },
      ],
    });
  });
});

describe('actionProgressSchema', () => {
  it('takes a status an owner can report and a note for the victim', () => {
    // Prepare, Act, Assess
    expect(validate(actionProgressSchema, { status: 'done', note: ' Visited on 3 July ' })).toEqual({
      success: true,
      data: { status: 'done', note: 'Visited on 3 July' },
    });
    expect(validate(actionProgressSchema, { status: 'open', note: '' })).toEqual({
      success: false,
      issues: [
        { path: 'status', message: 'Select the progress of the action: in-progress, done or cannot-be-done' },
        { path: 'note', message: 'Enter a note on the progress of the action. The applicant will read it' },
      ],
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanTally } from '#core/action-plan.ts';
import { MERSEYSIDE, requireCsp } from '#core/area-config.ts';
import { caseContact, NAMED_CONTACT_ROLE } from '#core/case-review.ts';
import {
  type ApplicantFacts,
  actionFinishedMessage,
  actionsAssignedMessage,
  agencyInvitationMessage,
  agencyRespondedMessage,
  applicantInvitationMessage,
  caseClosedMessage,
  consultationResponseMessage,
  contactNamedMessage,
  contactParagraph,
  draftPlanMessage,
  finalPlanMessage,
  informationRequestMessage,
  outcomeMessage,
  overdueMessage,
  pccDecisionMessage,
  planNotFinalisedMessage,
} from '#core/case-review-messages.ts';
import {
  type ContactDetails,
  meetingTime,
  reviewTimeline,
  type TimelineFacts,
  ukTime,
  type Wording,
} from '#core/case-review-wording.ts';
import { CLOSURE_REASONS, type ClosureReason } from '#core/stages.ts';

const SEFTON = requireCsp(MERSEYSIDE, 'sefton');
const TEAM: ContactDetails = { ...caseContact(SEFTON, null), address: SEFTON.contact.address };
const JO: ContactDetails = {
  name: 'Jo Officer',
  role: NAMED_CONTACT_ROLE,
  phone: '0151 934 0000',
  email: 'jo@sefton.example',
};
const OUTCOME = {
  heldOn: '2015-07-01',
  summary: 'The partners agreed a plan.',
  findings: {
    persistence: 'Nightly since March.',
    harm: 'The family cannot sleep.',
    adequacy: 'Nobody visited.',
  },
};
const ACTIONS = [{ action: 'Visit the neighbour', owner: 'housing-provider', dueBy: '2015-07-20' }] as const;
const MEETING = {
  at: '2015-06-25T14:00:00.000Z',
  format: 'in-person',
  location: 'Southport Town Hall, Lord Street',
  chair: { name: 'Pat Chair', organisation: 'Sefton CVS', independent: true },
  rescheduled: false,
} as const;

const PLAN_FINISHED: PlanTally = { actions: 2, open: 0, done: 2, cannotBeDone: 0 };
const PLAN_OPEN: PlanTally = { actions: 2, open: 1, done: 1, cannotBeDone: 0 };

/** Every message the applicant can be sent, for one contact. */
function applicantMessages(facts: ApplicantFacts): Wording[] {
  return [
    contactNamedMessage(facts),
    applicantInvitationMessage({ ...facts, meeting: MEETING }),
    draftPlanMessage({ ...facts, outcome: OUTCOME, actions: ACTIONS, respondBy: '2015-07-08' }),
    outcomeMessage({ ...facts, outcome: OUTCOME, actions: [], referralDeadline: '2015-07-29T22:59:59.999Z' }),
    finalPlanMessage({
      ...facts,
      actions: ACTIONS,
      changes: 'None',
      referralDeadline: '2015-07-29T22:59:59.999Z',
    }),
    actionFinishedMessage({
      ...facts,
      action: { ...ACTIONS[0], id: '1-1' },
      status: 'done',
      note: 'Visited',
      openActions: 0,
    }),
    ...CLOSURE_REASONS.flatMap((reason) => [
      caseClosedMessage({ ...facts, reason, plan: null }),
      caseClosedMessage({ ...facts, reason, plan: PLAN_FINISHED }),
    ]),
    ...[null, PLAN_FINISHED, PLAN_OPEN].flatMap((plan) => [
      pccDecisionMessage({ ...facts, outcome: 'review-stands', reason: 'Fine.', plan }),
      pccDecisionMessage({
        ...facts,
        outcome: 'refer-back',
        reason: 'Look again.',
        reviewDue: '2015-09-30T22:59:59.999Z',
        plan,
      }),
    ]),
  ];
}

describe('UK times', () => {
  it('are written the GOV.UK way, in UK time whatever the season', () => {
    // Act, Assess
    expect(ukTime('2015-06-25T14:00:00Z')).toBe('3pm');
    expect(ukTime('2015-12-25T14:30:00Z')).toBe('2:30pm');
    expect(ukTime('2015-06-25T11:00:00Z')).toBe('midday');
    expect(ukTime('2015-12-25T00:00:00Z')).toBe('midnight');
    expect(meetingTime('2015-06-25T14:00:00Z')).toBe('Thursday 25 June 2015 at 3pm');
  });
});

describe("the applicant's messages", () => {
  it('always give the contact with a phone number, and never send the victim to "the council" without one', () => {
    // Act, Assess
    for (const contact of [TEAM, JO]) {
      for (const message of applicantMessages({ reference: 'SEF-1', contact })) {
        expect(message.body).toContain(contactParagraph(contact));
        expect(message.body).toContain(contact.phone);
        expect(message.body).not.toMatch(/contact (your|the) council/i);
      }
    }
  });

  it('give any contact the way to reach them (property-based)', () => {
    fc.assert(
      fc.property(
        fc.record({
          name: fc.string({ minLength: 1, maxLength: 40 }),
          phone: fc.stringMatching(/^0\d{3} \d{3} \d{4}$/),
          email: fc.option(fc.constant('team@example.gov.uk'), { nil: null }),
          address: fc.option(fc.constant('Town Hall, XA1 1AA'), { nil: undefined }),
          role: fc.constantFrom('Case review team', NAMED_CONTACT_ROLE),
        }),
        (raw) => {
          const { address, ...rest } = raw;
          const contact: ContactDetails = address === undefined ? rest : { ...rest, address };
          const paragraph = contactParagraph(contact);
          expect(paragraph).toContain(contact.phone);
          if (contact.email !== null) expect(paragraph).toContain(contact.email);
          if (contact.address !== undefined) expect(paragraph).toContain(contact.address);
          for (const message of applicantMessages({ reference: 'SEF-1', contact })) {
            expect(message.body).toContain(paragraph);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('name the team, or the person and their role, and every way to reach them', () => {
    // Act, Assess
    expect(contactParagraph(TEAM)).toBe(
      'If you have a question, or something changes, contact Sefton Council anti-social behaviour team: phone 0345 140 0845 or write to Sefton Council, Bootle Town Hall, Trinity Road, Bootle, L20 7AE.',
    );
    expect(contactParagraph(JO)).toBe(
      'If you have a question, or something changes, contact Jo Officer, your single point of contact for the case review: phone 0151 934 0000 or email jo@sefton.example.',
    );
  });

  it('send the draft plan with the findings and the date to respond by', () => {
    // Act
    const message = draftPlanMessage({
      reference: 'SEF-1',
      contact: JO,
      outcome: OUTCOME,
      actions: ACTIONS,
      respondBy: '2015-07-08',
    });

    // Assess
    expect(message.subject).toBe('Your ASB case review SEF-1: the draft action plan');
    expect(message.body).toBe(
      [
        'Your case review was held on 1 July 2015.',
        'The outcome: The partners agreed a plan.',
        'What the review found:\n- How persistent the anti-social behaviour has been: Nightly since March.\n- The harm, or potential harm, to you: The family cannot sleep.\n- Whether the response to your reports was adequate: Nobody visited.',
        'The review has drafted this action plan:\n- Visit the neighbour (the housing provider, by 20 July 2015)',
        'Before the plan is final, we would like to know what you think. Please tell us whether you agree with it, or what you would change, by 8 July 2015. You can answer on "Track your application", or by contacting us.',
        contactParagraph(JO),
      ].join('\n\n'),
    );
  });

  it('invite an attending victim with the place and the chair', () => {
    // Act
    const invitation = applicantInvitationMessage({ reference: 'SEF-1', contact: TEAM, meeting: MEETING });
    const moved = applicantInvitationMessage({
      reference: 'SEF-1',
      contact: TEAM,
      meeting: { ...MEETING, rescheduled: true },
    });

    // Assess
    expect(invitation.body).toContain('on Thursday 25 June 2015 at 3pm, in person.');
    expect(invitation.body).toContain('Where: Southport Town Hall, Lord Street');
    expect(invitation.body).toContain('They are independent of the agencies involved in your case.');
    expect(moved.subject).toBe('Your ASB case review SEF-1: the meeting has moved');
  });

  it('tell the victim when an action finishes, and how many are left', () => {
    // Act
    const one = actionFinishedMessage({
      reference: 'SEF-1',
      contact: TEAM,
      action: { ...ACTIONS[0], id: '1-1' },
      status: 'cannot-be-done',
      note: 'The neighbour has moved away.',
      openActions: 1,
    });

    // Assess
    expect(one.subject).toBe('Your ASB case review SEF-1: an action cannot be done');
    expect(one.body).toContain('What they told us: The neighbour has moved away.');
    expect(one.body).toContain('One action is still to be finished.');
  });

  it('explain a closing after the plan in words a resident understands', () => {
    // Act, Assess
    expect(
      caseClosedMessage({ reference: 'SEF-1', contact: TEAM, reason: 'review-complete', plan: PLAN_FINISHED })
        .body,
    ).toContain('every action of the plan is finished');
  });

  it('say on closing how each action of the plan ended, and nothing of a plan the review did not make', () => {
    // Act
    const closing = (reason: ClosureReason, plan: PlanTally | null) =>
      caseClosedMessage({ reference: 'SEF-1', contact: JO, reason, plan }).body;
    const tally = (done: number, cannotBeDone: number): PlanTally => ({
      actions: done + cannotBeDone,
      open: 0,
      done,
      cannotBeDone,
    });

    // Assess
    expect(closing('pcc-decided', tally(2, 1))).toContain(
      'Your case is now closed because the Police and Crime Commissioner’s office has made its decision and every action of the plan is finished.\n\nOf the 3 actions of your plan, 2 were done and 1 could not be done.',
    );
    expect(closing('review-complete', tally(2, 0))).toContain('All 2 actions of your plan were done.');
    expect(closing('review-complete', tally(1, 0))).toContain('The action of your plan was done.');
    expect(closing('review-complete', tally(0, 1))).toContain('The action of your plan could not be done.');
    expect(closing('review-complete', tally(0, 2))).toContain(
      'None of the 2 actions of your plan could be done.',
    );
    expect(closing('review-complete', null)).toContain(
      'Your case is now closed because the case review is complete and no one asked',
    );
    expect(closing('review-complete', null)).not.toContain('action');
    // A withdrawal says nothing of the plan it ended.
    expect(closing('withdrawn', tally(1, 0))).toContain('closed because the application was withdrawn.');
    expect(closing('withdrawn', tally(1, 0))).not.toContain('action of your plan');
    expect(closing('review-complete', tally(1, 0))).toContain('phone 0151 934 0000');
  });

  it("tell the applicant, when the PCC's office lets the review stand, whether the case stays open for the plan", () => {
    // Act
    const decision = (plan: PlanTally | null) =>
      pccDecisionMessage({
        reference: 'SEF-1',
        contact: TEAM,
        outcome: 'review-stands',
        reason: 'Fine.',
        plan,
      });
    const referredBack = pccDecisionMessage({
      reference: 'SEF-1',
      contact: TEAM,
      outcome: 'refer-back',
      reason: 'Look again.',
      reviewDue: '2015-09-30T22:59:59.999Z',
      plan: PLAN_OPEN,
    });

    // Assess
    expect(decision(PLAN_OPEN).body).toContain(
      'Your case stays open until every action of your plan is finished: one action is still to be finished. We will tell you as each one is finished, and when your case closes.',
    );
    expect(decision({ ...PLAN_OPEN, open: 2 }).body).toContain('2 actions are still to be finished');
    expect(decision(PLAN_FINISHED).body).toContain(
      'Every action of your plan is finished, so your case will now close.',
    );
    expect(decision(null).body).not.toContain('action');
    expect(decision(null).body).toContain(`phone ${TEAM.phone}`);
    expect(referredBack.body).toContain(
      'We aim to tell you the outcome of the new case review by 30 September 2015.',
    );
    expect(referredBack.body).toContain(
      'The new case review will agree its own action plan, which replaces the one you have now.',
    );
  });
});

describe("the agencies' and officers' messages", () => {
  it("ask an agency for what it knew and did by its date, with no victim's details", () => {
    // Act
    const message = informationRequestMessage({
      reference: 'SEF-1',
      cspName: 'Sefton',
      agency: 'police',
      dueBy: '2015-06-29',
      again: false,
    });

    // Assess
    expect(message).toEqual({
      subject: 'ASB case review SEF-1: information needed from the police by 29 June 2015',
      body: [
        'Sefton Community Safety Partnership is holding an anti-social behaviour case review (case SEF-1) and asks the police to share what they knew about the anti-social behaviour, what they did, and where things stand now.',
        'Please reply by 29 June 2015, before the review meeting. The request and the case are on the staff pages of this service; add your response there.',
      ].join('\n\n'),
    });
  });

  it('invite agencies, give owners their actions, and remind the owner then the officer of what is overdue', () => {
    // Act
    const invitation = agencyInvitationMessage({
      reference: 'SEF-1',
      cspName: 'Sefton',
      agency: 'council',
      meeting: MEETING,
    });
    const assigned = actionsAssignedMessage({
      reference: 'SEF-1',
      cspName: 'Sefton',
      agency: 'housing-provider',
      actions: [{ ...ACTIONS[0], id: '1-1' }],
    });
    const owner = overdueMessage({
      reference: 'SEF-1',
      to: 'agency',
      agency: 'housing-provider',
      due: '2015-07-20',
      what: 'action',
      action: { ...ACTIONS[0], id: '1-1' },
    });
    const officer = overdueMessage({
      reference: 'SEF-1',
      to: 'officer',
      agency: 'police',
      due: '2015-06-29',
      what: 'information-request',
    });

    // Assess
    expect(invitation.body).toContain('invites the council to the case review meeting for case SEF-1');
    expect(invitation.body).toContain('They are independent of the agencies involved in the case.');
    expect(invitation.body).not.toContain('your case');
    expect(assigned.subject).toBe('ASB case review SEF-1: an action for the housing provider');
    expect(assigned.body).toContain('- Action 1: Visit the neighbour (by 20 July 2015)');
    expect(owner.body).toContain(
      'Action 1 (Visit the neighbour), owned by the housing provider was due by 20 July 2015',
    );
    expect(officer.body).toContain(
      'The information requested from the police was due by 29 June 2015 and is overdue.',
    );
    expect(officer.body).toContain('The agency has been reminded.');
  });

  it('tell the officer of the victim’s answer, an unfinished plan and an agency’s response', () => {
    // Act, Assess
    expect(
      consultationResponseMessage({
        reference: 'SEF-1',
        response: { agrees: false, comments: 'Sooner, please' },
        respondBy: '2015-07-08',
      }).body,
    ).toContain('Their comments: Sooner, please');
    expect(
      planNotFinalisedMessage({ reference: 'SEF-1', respondBy: '2015-07-08', answered: false }).body,
    ).toContain('ended on 8 July 2015, without an answer from them');
    expect(agencyRespondedMessage({ reference: 'SEF-1', agency: 'health', amended: true })).toEqual({
      subject: 'ASB case review SEF-1: the health service has changed its response',
      body: 'The health service has changed what it shared. Read it on the case page.',
    });
    expect(agencyRespondedMessage({ reference: 'SEF-1', agency: 'police', amended: false })).toEqual({
      subject: 'ASB case review SEF-1: the police have responded',
      body: 'The police have shared what they knew and did. Read it on the case page.',
    });
  });
});

describe('reviewTimeline', () => {
  it.each([
    [
      { step: 'contact', contact: JO },
      'Jo Officer is now the single point of contact for the case review.',
      'all',
    ],
    [
      { step: 'involvement', involvement: { level: 'views-only', attendance: null, consultOnPlan: true } },
      'How the victim will take part was recorded: giving views in writing, and being asked about any action plan.',
      'all',
    ],
    [
      { step: 'information-requests', agencies: ['police', 'housing-provider'], dueBy: '2015-06-29' },
      'The police and the housing provider were asked to share what they knew and did by 29 June 2015.',
      'all',
    ],
    [
      { step: 'agency-response', agency: 'police', amended: false },
      'The police shared what they knew and did.',
      'staff',
    ],
    [
      { step: 'agency-response', agency: 'council', amended: true },
      'The council changed what it shared.',
      'staff',
    ],
    [
      { step: 'information-requests', agencies: ['police'], dueBy: '2015-06-29' },
      'The police were asked to share what they knew and did by 29 June 2015.',
      'all',
    ],
    [
      { step: 'information-requests', agencies: ['health'], dueBy: '2015-06-29' },
      'The health service was asked to share what it knew and did by 29 June 2015.',
      'all',
    ],
    [
      { step: 'review-meeting', at: '2015-06-25T14:00:00Z', format: 'online', rescheduled: true },
      'The case review meeting was moved to Thursday 25 June 2015 at 3pm, online.',
      'all',
    ],
    [
      { step: 'review-outcome', heldOn: '2015-07-01', recommendations: 2, consultation: true },
      'The case review was held on 1 July 2015. It made 2 recommendations, sent to the victim as a draft action plan to comment on.',
      'all',
    ],
    [{ step: 'action-plan-response', agrees: true }, 'The victim agreed with the draft action plan.', 'all'],
    [
      { step: 'action-plan', actions: 1 },
      'The action plan was finalised with 1 action and sent to the victim.',
      'all',
    ],
    [
      {
        step: 'action-progress',
        id: '1-2',
        owner: 'police',
        status: 'in-progress',
        note: 'First patrol done.',
      },
      'Action 2 (the police): in progress. First patrol done.',
      'all',
    ],
    [
      { step: 'plan-replaced' },
      'The action plan was replaced: a new case review will make a new plan.',
      'all',
    ],
  ] as const)('words %o for its readers', (facts, summary, audience) => {
    // Act
    const entry = reviewTimeline(facts as TimelineFacts);

    // Assess
    expect(entry).toEqual({ type: facts.step, summary, audience });
  });
});

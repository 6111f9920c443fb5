// What each person is told at each step of the case review as the 2025 statutory guidance runs it
// (contract.md, "The case review"): the messages to the applicant, the agencies and the officers, in plain
// English (GOV.UK style: short sentences, dates as "3 May 2015"), beside the timeline's words
// (case-review-wording.ts). Every message to the applicant names the person or team to contact, with a
// number: the victim's single point of contact. Facts in, words out: dates are ISO instants or UK dates,
// nothing is read here.
import { actionNumber, type PlanTally } from '#core/action-plan.ts';
import { AGENCY_NAMES, agreeing, capitalised } from '#core/agency-names.ts';
import { TEAM_CONTACT_ROLE } from '#core/case-review.ts';
import {
  type ContactDetails,
  day,
  FORMAT_WORDS,
  listOf,
  meetingTime,
  type Wording,
} from '#core/case-review-wording.ts';
import type { LocalDate } from '#core/local-date.ts';
import type { ActionPlanResponse, Agency, Findings, MeetingFormat, Recommendation } from '#core/schemas.ts';
import type { ClosureReason } from '#core/stages.ts';

function lines(...paragraphs: (string | false | undefined | null)[]): string {
  return paragraphs.filter((paragraph): paragraph is string => typeof paragraph === 'string').join('\n\n');
}

/** The paragraph every message to the applicant ends with: who to contact, and how. */
export function contactParagraph(contact: ContactDetails): string {
  const ways = [
    `phone ${contact.phone}`,
    contact.email !== null && `email ${contact.email}`,
    contact.address !== undefined && `write to ${contact.address}`,
  ].filter((way): way is string => typeof way === 'string');
  const who =
    contact.role === TEAM_CONTACT_ROLE
      ? contact.name
      : `${contact.name}, ${contact.role.charAt(0).toLowerCase()}${contact.role.slice(1)}`;
  return `If you have a question, or something changes, contact ${who}: ${listOf(ways, 'or')}.`;
}

const TRACK =
  'You can see your case at any time using "Track your application" on this service, with your reference and access code.';

function actionLine(action: Recommendation): string {
  return `- ${action.action} (${AGENCY_NAMES[action.owner]}, by ${day(action.dueBy)})`;
}

// ---- The applicant ------------------------------------------------------------------------------

export interface ApplicantFacts {
  readonly reference: string;
  readonly contact: ContactDetails;
}

/** An officer named the victim's single point of contact. */
export function contactNamedMessage(facts: ApplicantFacts): Wording {
  const { reference, contact } = facts;
  return {
    subject: `Your ASB case review ${reference}: your contact`,
    body: lines(
      `${contact.name} is now your single point of contact for your case review. They will keep you up to date, including on any actions agreed.`,
      contactParagraph(contact),
    ),
  };
}

export interface MeetingFacts {
  /** When the meeting starts (ISO instant). */
  readonly at: string;
  readonly format: MeetingFormat;
  readonly location: string;
  readonly chair: { readonly name: string; readonly organisation: string; readonly independent: boolean };
  /** A new time, format or place for a meeting already arranged. */
  readonly rescheduled: boolean;
}

/** `whose` case it is to the reader: the victim's own ("your case"), an agency's invitation "the case". */
function chairWords(chair: MeetingFacts['chair'], whose: 'your case' | 'the case'): string {
  return chair.independent
    ? `${chair.name} of ${chair.organisation} will chair the meeting. They are independent of the agencies involved in ${whose}.`
    : `${chair.name} of ${chair.organisation} will chair the meeting.`;
}

/** The applicant chose to attend and is invited. */
export function applicantInvitationMessage(
  facts: ApplicantFacts & { readonly meeting: MeetingFacts },
): Wording {
  const { reference, contact, meeting } = facts;
  return {
    subject: meeting.rescheduled
      ? `Your ASB case review ${reference}: the meeting has moved`
      : `Your ASB case review ${reference}: you are invited to the meeting`,
    body: lines(
      meeting.rescheduled && 'The case review meeting has changed. Here are the new details.',
      `You are invited to your case review meeting on ${meetingTime(meeting.at)}, ${FORMAT_WORDS[meeting.format]}.`,
      meeting.format === 'online' ? `To join: ${meeting.location}` : `Where: ${meeting.location}`,
      chairWords(meeting.chair, 'your case'),
      'You can tell the meeting how the anti-social behaviour affects you and what you would like to happen. If you cannot come, you can send us your views in writing instead.',
      contactParagraph(contact),
    ),
  };
}

export interface OutcomeFacts {
  readonly heldOn: LocalDate;
  readonly summary: string;
  readonly findings: Findings;
}

function outcomeParagraphs(outcome: OutcomeFacts): string[] {
  return [
    `Your case review was held on ${day(outcome.heldOn)}.`,
    `The outcome: ${outcome.summary}`,
    [
      'What the review found:',
      `- How persistent the anti-social behaviour has been: ${outcome.findings.persistence}`,
      `- The harm, or potential harm, to you: ${outcome.findings.harm}`,
      `- Whether the response to your reports was adequate: ${outcome.findings.adequacy}`,
    ].join('\n'),
  ];
}

/** The victim is consulted on the draft plan, and has until `respondBy` to answer. */
export function draftPlanMessage(
  facts: ApplicantFacts & {
    readonly outcome: OutcomeFacts;
    readonly actions: readonly Recommendation[];
    readonly respondBy: LocalDate;
  },
): Wording {
  const { reference, contact, outcome, actions, respondBy } = facts;
  return {
    subject: `Your ASB case review ${reference}: the draft action plan`,
    body: lines(
      ...outcomeParagraphs(outcome),
      ['The review has drafted this action plan:', ...actions.map(actionLine)].join('\n'),
      `Before the plan is final, we would like to know what you think. Please tell us whether you agree with it, or what you would change, by ${day(respondBy)}. You can answer on "Track your application", or by contacting us.`,
      contactParagraph(contact),
    ),
  };
}

function referralParagraph(referralDeadline: string): string {
  return `If you are unhappy with how your case review was handled, you can ask the Police and Crime Commissioner’s office to check it. You need to ask by ${day(referralDeadline)}, on "Track your application" or by contacting us and we will ask for you.`;
}

/**
 * The outcome of a review with its plan final at once (no recommendations, or the victim chose not to
 * be consulted): the outcome, the findings, the actions, and the referral route.
 */
export function outcomeMessage(
  facts: ApplicantFacts & {
    readonly outcome: OutcomeFacts;
    readonly actions: readonly Recommendation[];
    readonly referralDeadline: string;
  },
): Wording {
  const { reference, contact, outcome, actions, referralDeadline } = facts;
  return {
    subject: `Your ASB case review ${reference}: the outcome`,
    body: lines(
      ...outcomeParagraphs(outcome),
      actions.length === 0
        ? 'The review did not make any recommendations.'
        : [
            'The agencies have agreed these actions. We will tell you how each one goes:',
            ...actions.map(actionLine),
          ].join('\n'),
      referralParagraph(referralDeadline),
      contactParagraph(contact),
    ),
  };
}

/** The final plan after the consultation, what changed, and the referral route. */
export function finalPlanMessage(
  facts: ApplicantFacts & {
    readonly actions: readonly Recommendation[];
    readonly changes: string;
    readonly referralDeadline: string;
  },
): Wording {
  const { reference, contact, actions, changes, referralDeadline } = facts;
  return {
    subject: `Your ASB case review ${reference}: the final action plan`,
    body: lines(
      'Thank you for telling us what you think of the draft action plan. The plan is now final.',
      `What changed: ${changes}`,
      actions.length === 0
        ? 'The final plan has no actions.'
        : [
            'The agencies have agreed these actions. We will tell you how each one goes:',
            ...actions.map(actionLine),
          ].join('\n'),
      referralParagraph(referralDeadline),
      TRACK,
      contactParagraph(contact),
    ),
  };
}

const FINISHED_WORDS: Readonly<Record<'done' | 'cannot-be-done', string>> = {
  done: 'has been done',
  'cannot-be-done': 'cannot be done',
};

/** An action of the plan finished (done, or it cannot be done); the owner's note is for the victim. */
export function actionFinishedMessage(
  facts: ApplicantFacts & {
    readonly action: Recommendation & { readonly id: string };
    readonly status: 'done' | 'cannot-be-done';
    readonly note: string;
    readonly openActions: number;
  },
): Wording {
  const { reference, contact, action, status, note, openActions } = facts;
  return {
    subject: `Your ASB case review ${reference}: an action ${FINISHED_WORDS[status]}`,
    body: lines(
      `This action from your case review ${FINISHED_WORDS[status]}: ${action.action} (${AGENCY_NAMES[action.owner]}).`,
      `What they told us: ${note}`,
      openActions === 0
        ? 'Every action of your plan is now finished.'
        : `${openActions === 1 ? 'One action is' : `${openActions} actions are`} still to be finished. We will tell you how ${openActions === 1 ? 'it goes' : 'they go'}.`,
      TRACK,
      contactParagraph(contact),
    ),
  };
}

const CLOSURE_WORDS: Readonly<Record<ClosureReason, string>> = {
  'threshold-not-met':
    'the threshold for a case review was not met and no one asked the Police and Crime Commissioner’s office to check it in time',
  'review-complete':
    'the case review is complete and no one asked the Police and Crime Commissioner’s office to check it in time',
  'pcc-decided': 'the Police and Crime Commissioner’s office has made its decision',
  withdrawn: 'the application was withdrawn',
};

/** A review whose plan had actions closes only once they are all finished, and says so. */
const CLOSURE_AFTER_PLAN: Readonly<Partial<Record<ClosureReason, string>>> = {
  'review-complete':
    'the case review is complete, every action of the plan is finished, and no one asked the Police and Crime Commissioner’s office to check it in time',
  'pcc-decided':
    'the Police and Crime Commissioner’s office has made its decision and every action of the plan is finished',
};

/** How the finished plan's actions ended, by their last notes. */
function planEndedWords(plan: PlanTally): string {
  const { actions, done, cannotBeDone } = plan;
  if (actions === 1) return `The action of your plan ${done === 1 ? 'was done' : 'could not be done'}.`;
  if (cannotBeDone === 0) return `All ${actions} actions of your plan were done.`;
  if (done === 0) return `None of the ${actions} actions of your plan could be done.`;
  return `Of the ${actions} actions of your plan, ${done} ${done === 1 ? 'was' : 'were'} done and ${cannotBeDone} could not be done.`;
}

/**
 * The case closed; after a review with a plan (`plan`, the final plan in force, null without actions),
 * only once its actions are finished.
 */
export function caseClosedMessage(
  facts: ApplicantFacts & { readonly reason: ClosureReason; readonly plan: PlanTally | null },
): Wording {
  const { reference, contact, reason, plan } = facts;
  const afterPlan = plan === null ? undefined : CLOSURE_AFTER_PLAN[reason];
  return {
    subject: `Your ASB case review ${reference} is closed`,
    body: lines(
      `Your case is now closed because ${afterPlan ?? CLOSURE_WORDS[reason]}.`,
      afterPlan !== undefined && plan !== null && planEndedWords(plan),
      'If the anti-social behaviour carries on, please keep reporting it to the police, and tell your contact. You can apply for a case review again if it meets the threshold.',
      contactParagraph(contact),
    ),
  };
}

/**
 * The PCC's office decided on the referral: the review stands (the case closes, or, with actions of the
 * plan open, stays open until they are finished), or it is referred back for a new review.
 */
export function pccDecisionMessage(
  facts: ApplicantFacts & {
    readonly outcome: 'review-stands' | 'refer-back';
    readonly reason: string;
    /** The new review's date (refer-back). */
    readonly reviewDue?: string;
    /** The final plan in force when the office decided; null without actions. */
    readonly plan: PlanTally | null;
  },
): Wording {
  const { reference, contact, outcome, reason, reviewDue, plan } = facts;
  const stands = outcome === 'review-stands';
  const planWords =
    plan === null
      ? undefined
      : !stands
        ? 'The new case review will agree its own action plan, which replaces the one you have now.'
        : plan.open === 0
          ? 'Every action of your plan is finished, so your case will now close.'
          : `Your case stays open until every action of your plan is finished: ${plan.open === 1 ? 'one action is' : `${plan.open} actions are`} still to be finished. We will tell you as each one is finished, and when your case closes.`;
  return {
    subject: `Your ASB case review ${reference}: the Police and Crime Commissioner’s decision`,
    body: lines(
      stands
        ? 'The Police and Crime Commissioner’s office has looked at how your application was handled and decided that the outcome stands.'
        : 'The Police and Crime Commissioner’s office has asked the Community Safety Partnership to carry out a new case review.',
      `Their reasons: ${reason}`,
      reviewDue !== undefined &&
        `We aim to tell you the outcome of the new case review by ${day(reviewDue)}.`,
      planWords,
      TRACK,
      contactParagraph(contact),
    ),
  };
}

// ---- The agencies -------------------------------------------------------------------------------

export interface AgencyFacts {
  readonly reference: string;
  readonly cspName: string;
  readonly agency: Agency;
}

/**
 * An agency is asked for what it knew and did (again, with a new date, when `again`), with what the
 * officer asks, when given.
 */
export function informationRequestMessage(
  facts: AgencyFacts & { readonly dueBy: LocalDate; readonly again: boolean; readonly message?: string },
): Wording {
  const { reference, cspName, agency, dueBy, again, message } = facts;
  return {
    subject: `ASB case review ${reference}: information needed from ${AGENCY_NAMES[agency]} by ${day(dueBy)}`,
    body: lines(
      again
        ? `${cspName} Community Safety Partnership has changed its request for information about case ${reference}.`
        : `${cspName} Community Safety Partnership is holding an anti-social behaviour case review (case ${reference}) and asks ${AGENCY_NAMES[agency]} to share what ${agreeing(agency).it} knew about the anti-social behaviour, what ${agreeing(agency).it} did, and where things stand now.`,
      message !== undefined && `What the case review officer asks: ${message}`,
      `Please reply by ${day(dueBy)}, before the review meeting. The request and the case are on the staff pages of this service; add your response there.`,
    ),
  };
}

/** An agency is invited to the review meeting (or told it moved). */
export function agencyInvitationMessage(facts: AgencyFacts & { readonly meeting: MeetingFacts }): Wording {
  const { reference, cspName, meeting } = facts;
  return {
    subject: meeting.rescheduled
      ? `ASB case review ${reference}: the meeting has moved`
      : `ASB case review ${reference}: invitation to the case review meeting`,
    body: lines(
      `${cspName} Community Safety Partnership invites ${AGENCY_NAMES[facts.agency]} to the case review meeting for case ${reference} on ${meetingTime(meeting.at)}, ${FORMAT_WORDS[meeting.format]}.`,
      meeting.format === 'online' ? `To join: ${meeting.location}` : `Where: ${meeting.location}`,
      chairWords(meeting.chair, 'the case'),
      'The meeting will consider how persistent the anti-social behaviour has been, the harm or potential harm to the victim, and whether the response was adequate.',
    ),
  };
}

/** A final plan gives an agency actions (and shares the case with it). */
export function actionsAssignedMessage(
  facts: AgencyFacts & { readonly actions: readonly (Recommendation & { readonly id: string })[] },
): Wording {
  const { reference, cspName, agency, actions } = facts;
  return {
    subject: `ASB case review ${reference}: ${actions.length === 1 ? 'an action' : `${actions.length} actions`} for ${AGENCY_NAMES[agency]}`,
    body: lines(
      `The case review of ${cspName} Community Safety Partnership has agreed ${actions.length === 1 ? 'this action' : 'these actions'} for ${AGENCY_NAMES[agency]} (case ${reference}):`,
      actions
        .map((action) => `- Action ${actionNumber(action.id)}: ${action.action} (by ${day(action.dueBy)})`)
        .join('\n'),
      'Please record progress on the staff pages of this service as it happens. The victim reads each progress note, so write it for them.',
    ),
  };
}

/** A reminder of an overdue request or action: to the agency first, then to the CSP's officer. */
export function overdueMessage(
  facts: {
    readonly reference: string;
    readonly to: 'agency' | 'officer';
    readonly agency: Agency;
    readonly due: LocalDate;
  } & (
    | { readonly what: 'information-request' }
    | { readonly what: 'action'; readonly action: Recommendation & { readonly id: string } }
  ),
): Wording {
  const { reference, to, agency, due } = facts;
  const thing =
    facts.what === 'information-request'
      ? `the information requested from ${AGENCY_NAMES[agency]}`
      : `action ${actionNumber(facts.action.id)} (${facts.action.action}), owned by ${AGENCY_NAMES[agency]}`;
  return {
    subject: `ASB case review ${reference}: overdue since ${day(due)}`,
    body: lines(
      `${capitalised(thing)} was due by ${day(due)} and is overdue.`,
      to === 'agency'
        ? 'Please deal with it now and record it on the staff pages of this service. The victim is waiting for it.'
        : 'The agency has been reminded. Please follow it up: the victim is waiting for it.',
    ),
  };
}

// ---- The officer --------------------------------------------------------------------------------

/** The victim answered the draft plan. */
export function consultationResponseMessage(facts: {
  readonly reference: string;
  readonly response: ActionPlanResponse;
  readonly respondBy: LocalDate;
}): Wording {
  const { reference, response } = facts;
  return {
    subject: `ASB case review ${reference}: the victim has ${response.agrees ? 'agreed with' : 'commented on'} the draft plan`,
    body: lines(
      response.agrees
        ? 'The victim agrees with the draft action plan.'
        : 'The victim does not agree with the draft action plan as it stands.',
      response.comments !== undefined && `Their comments: ${response.comments}`,
      'Finalise the plan on the case page, saying what changed (or that nothing did). The victim is told the final plan.',
    ),
  };
}

/** The respond-by day passed and the plan is still a draft. */
export function planNotFinalisedMessage(facts: {
  readonly reference: string;
  readonly respondBy: LocalDate;
  readonly answered: boolean;
}): Wording {
  const { reference, respondBy, answered } = facts;
  return {
    subject: `ASB case review ${reference}: finalise the action plan`,
    body: lines(
      `The time for the victim to comment on the draft action plan ended on ${day(respondBy)}${answered ? ', and they have answered' : ', without an answer from them'}.`,
      'Finalise the plan on the case page now: the victim is waiting for it, and the time to ask the Police and Crime Commissioner’s office to check it only starts when they have it.',
    ),
  };
}

/** An agency responded (or amended its response). */
export function agencyRespondedMessage(facts: {
  readonly reference: string;
  readonly agency: Agency;
  readonly amended: boolean;
}): Wording {
  const { reference, agency, amended } = facts;
  const { has, it, its } = agreeing(agency);
  return {
    subject: `ASB case review ${reference}: ${AGENCY_NAMES[agency]} ${has} ${amended ? `changed ${its} response` : 'responded'}`,
    body: `${capitalised(AGENCY_NAMES[agency])} ${has} ${amended ? `changed what ${it} shared` : `shared what ${it} knew and did`}. Read it on the case page.`,
  };
}

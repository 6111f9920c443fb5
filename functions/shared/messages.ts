// The words of each message, in plain English (GOV.UK style: short sentences, dates as "3 May 2015").
import { AGENCY_NAMES } from '#core/agency-names.ts';
import { formatUkDate } from '#core/calendar-months.ts';
import {
  actionFinishedMessage,
  actionsAssignedMessage,
  agencyInvitationMessage,
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
import type { Wording } from '#core/case-review-wording.ts';
import { ukDateOf } from '#core/local-date.ts';
import type { Notification, ReminderStep } from '#shared/notifier.ts';

export interface Message {
  readonly subject: string;
  readonly body: string;
}

const date = (instant: string) => formatUkDate(ukDateOf(instant));

const STEP_WORDS: Readonly<Record<ReminderStep, string>> = {
  'threshold-decision': 'the decision on whether the threshold for a case review is met',
  'review-outcome': 'the outcome of the case review',
  'action-plan': 'the final action plan, after the applicant was consulted',
  'pcc-decision': 'the decision on the referral',
};

function escalation(deadline: string): string {
  return [
    'If you are unhappy with how your application was handled, you can ask the Police and Crime',
    `Commissioner’s office to check it. You need to ask by ${date(deadline)}.`,
    'To ask, use "Track your application" on this service with your reference and access code and tell',
    'us why, or contact us and we will ask for you.',
  ].join(' ');
}

const LOST_CODE =
  'If you lose your access code, choose "I have lost my access code" on "Track your application" and we will send a new one to the contact details you gave us.';

function lines(...paragraphs: (string | false | undefined)[]): string {
  return paragraphs.filter((paragraph): paragraph is string => typeof paragraph === 'string').join('\n\n');
}

/** A message of the case review's wording (core/case-review-messages.ts), with the greeting before it. */
function greeted(greeting: string | undefined, wording: Wording): Message {
  return { subject: wording.subject, body: lines(greeting, wording.body) };
}

/** The subject and body of a notification. */
export function renderMessage(notification: Notification): Message {
  const { reference } = notification.to;
  const greeting = notification.to.contact ? `Dear ${notification.to.contact.name},` : undefined;
  switch (notification.template) {
    case 'application-acknowledged': {
      const { facts } = notification;
      return {
        subject: `We have received your ASB case review application ${reference}`,
        body: lines(
          greeting,
          `${facts.cspName} Community Safety Partnership has received your application for an anti-social behaviour case review (also called the Community Trigger). Your reference is ${reference}.`,
          facts.late === undefined
            ? `We will check whether your application meets the threshold for a case review and tell you our decision, with our reasons, by ${date(facts.thresholdDecisionDue)}.`
            : `We received your application on ${date(facts.late.receivedAt)}, and we are sorry that it has taken us until now to record it. The usual time for our decision has passed, so we will check whether your application meets the threshold for a case review and tell you our decision, with our reasons, as soon as possible and by ${date(facts.late.promisedBy)} at the latest.`,
          facts.accessCode === undefined
            ? 'You can see where your application is at any time using "Track your application" with your reference and the access code you were given when you applied.'
            : `Your access code is ${facts.accessCode}. Keep it safe and do not share it: with your reference, it lets you see where your application is at any time using "Track your application".`,
          LOST_CODE,
          contactParagraph(facts.contact),
        ),
      };
    }
    case 'new-access-code':
      return {
        subject: `Your new access code for ASB case review ${reference}`,
        body: lines(
          greeting,
          `You asked for a new access code for your application ${reference}.`,
          `Your new access code is ${notification.facts.accessCode}. Use it with your reference in "Track your application". Once you have used it, your old access code will stop working.`,
          'If you did not ask for a new code, you do not need to do anything: your old code keeps working until the new one is used.',
          contactParagraph(notification.facts.contact),
        ),
      };
    case 'threshold-met': {
      const { facts } = notification;
      return {
        subject: `Your ASB case review ${reference}: a case review will take place`,
        body: lines(
          greeting,
          facts.route === 'discretionary'
            ? 'Your reports did not meet the usual rule for a case review, but the partners have decided to hold a case review because of how persistent the anti-social behaviour is, the harm it causes or could cause, or how it has been dealt with so far.'
            : `Your application meets the threshold for a case review (route ${facts.route}).`,
          `Our reasons: ${facts.reason}`,
          `The council, the police, housing providers and health services will now share what they know and review the response to the anti-social behaviour. We aim to tell you the outcome by ${date(facts.reviewDue)}. We may contact you so that you can take part.`,
          contactParagraph(facts.contact),
        ),
      };
    }
    case 'threshold-not-met': {
      const { facts } = notification;
      return {
        subject: `Your ASB case review ${reference}: the threshold was not met`,
        body: lines(
          greeting,
          'Your application does not meet the threshold for a case review, so a case review will not take place.',
          `Our reasons: ${facts.reason}`,
          escalation(facts.referralDeadline),
          `You can still report new incidents to the police or to ${facts.cspName} Council.`,
          contactParagraph(facts.contact),
        ),
      };
    }
    case 'review-outcome': {
      const { facts } = notification;
      if (facts.findings !== undefined) {
        return greeted(
          greeting,
          outcomeMessage({
            reference,
            contact: facts.contact,
            outcome: { heldOn: facts.heldOn, summary: facts.summary, findings: facts.findings },
            actions: facts.recommendations,
            referralDeadline: facts.referralDeadline,
          }),
        );
      }
      const recommendations =
        facts.recommendations.length === 0
          ? 'The review did not make any recommendations.'
          : [
              'The review made these recommendations:',
              ...facts.recommendations.map(
                (item) => `- ${item.action} (${AGENCY_NAMES[item.owner]}, by ${formatUkDate(item.dueBy)})`,
              ),
            ].join('\n');
      return {
        subject: `Your ASB case review ${reference}: the outcome`,
        body: lines(
          greeting,
          `Your case review was held on ${formatUkDate(facts.heldOn)}.`,
          `The outcome: ${facts.summary}`,
          recommendations,
          escalation(facts.referralDeadline),
          contactParagraph(facts.contact),
        ),
      };
    }
    case 'draft-action-plan': {
      const { facts } = notification;
      return greeted(greeting, draftPlanMessage({ reference, ...facts }));
    }
    case 'final-action-plan': {
      const { facts } = notification;
      return greeted(greeting, finalPlanMessage({ reference, ...facts }));
    }
    case 'contact-named':
      return greeted(greeting, contactNamedMessage({ reference, ...notification.facts }));
    case 'action-finished': {
      const { facts } = notification;
      return greeted(greeting, actionFinishedMessage({ reference, ...facts }));
    }
    case 'information-request': {
      const { to, facts } = notification;
      if (to.agency === undefined) throw new TypeError('An information request goes to an agency');
      return informationRequestMessage({ reference, agency: to.agency, ...facts });
    }
    case 'consultation-response':
      return consultationResponseMessage({ reference, ...notification.facts });
    case 'meeting-invitation': {
      const { to, facts } = notification;
      if (to.kind === 'agency' && to.agency !== undefined) {
        return agencyInvitationMessage({
          reference,
          cspName: facts.cspName,
          agency: to.agency,
          meeting: facts.meeting,
        });
      }
      return greeted(
        greeting,
        applicantInvitationMessage({ reference, contact: facts.contact, meeting: facts.meeting }),
      );
    }
    case 'actions-assigned': {
      const { to, facts } = notification;
      if (to.agency === undefined) throw new TypeError('Actions are assigned to an agency');
      return actionsAssignedMessage({
        reference,
        cspName: facts.cspName,
        agency: to.agency,
        actions: facts.actions,
      });
    }
    case 'action-overdue': {
      const { to, action } = notification.facts;
      return overdueMessage({
        reference,
        to,
        agency: action.owner,
        due: action.dueBy,
        what: 'action',
        action,
      });
    }
    case 'request-overdue': {
      const { to, agency, dueBy } = notification.facts;
      return overdueMessage({ reference, to, agency, due: dueBy, what: 'information-request' });
    }
    case 'referral-received': {
      const { facts } = notification;
      return {
        subject: `Your ASB case review ${reference}: sent to the Police and Crime Commissioner’s office`,
        body: lines(
          greeting,
          'Your request to check your case has been sent to the Police and Crime Commissioner’s office.',
          `They will check whether your application was handled properly and tell you their decision by ${date(facts.pccDecisionDue)}.`,
          contactParagraph(facts.contact),
        ),
      };
    }
    case 'pcc-decision':
      return greeted(greeting, pccDecisionMessage({ reference, ...notification.facts }));
    case 'case-closed':
      return greeted(greeting, caseClosedMessage({ reference, ...notification.facts }));
    case 'new-case': {
      const { facts } = notification;
      return {
        subject: `New ASB case review application ${reference}`,
        body: lines(
          `A new application for an ASB case review has been made to ${facts.cspName}: ${reference}.`,
          facts.assessedMet
            ? `The automatic check suggests the threshold is met (route ${facts.route}).`
            : 'The automatic check suggests the threshold is not met.',
          facts.late === undefined
            ? `Record the threshold decision by ${date(facts.thresholdDecisionDue)}.`
            : `The application was received on ${date(facts.late.receivedAt)}, so the threshold decision was due by ${date(facts.thresholdDecisionDue)} and is already overdue. Record it as soon as possible: the applicant has been told they will have it by ${date(facts.late.promisedBy)} at the latest.`,
        ),
      };
    }
    case 'decision-reminder': {
      const { facts } = notification;
      const again = `If it is still not recorded by ${date(facts.nextReminder)}, you will be reminded again.`;
      if (facts.step === 'action-plan' && facts.answered !== undefined) {
        const words = planNotFinalisedMessage({
          reference,
          respondBy: ukDateOf(facts.due),
          answered: facts.answered,
        });
        return { subject: words.subject, body: lines(words.body, again) };
      }
      return {
        subject: `Overdue: ${reference} needs ${STEP_WORDS[facts.step]}`,
        body: lines(
          `Case ${reference} is overdue: ${STEP_WORDS[facts.step]} was due by ${date(facts.due)}.`,
          `Please record it as soon as you can. ${again}`,
        ),
      };
    }
    case 'overdue-escalation': {
      const { facts } = notification;
      return {
        subject: `Escalation: ${reference} is overdue`,
        body: lines(
          `Case ${reference} (${facts.cspName}) is overdue: ${STEP_WORDS[facts.step]} was due by ${date(facts.due)} and has still not been recorded, after a reminder.`,
          'Please make sure it is dealt with.',
        ),
      };
    }
    case 'new-referral': {
      const { facts } = notification;
      return {
        subject: `New referral: ASB case review ${reference}`,
        body: lines(
          `The applicant in case ${reference} (${facts.cspName}) has asked the Police and Crime Commissioner’s office to check how it was handled.`,
          `Please record your decision (the review stands, or refer it back for a new review) by ${date(facts.pccDecisionDue)}.`,
        ),
      };
    }
    case 'referred-back': {
      const { facts } = notification;
      return {
        subject: `Referred back: ASB case review ${reference}`,
        body: lines(
          `The Police and Crime Commissioner’s office has referred case ${reference} back for a new case review.`,
          `Their reasons: ${facts.reason}`,
          `Record the outcome of the new review by ${date(facts.reviewDue)}.`,
        ),
      };
    }
    case 'evidence-threat':
      return {
        subject: `Malware found in a file on ASB case review ${reference}`,
        body: lines(
          `A file added to case ${reference} was found to contain malware. It is quarantined: it will not be shown or given to anyone, and the case's list of files shows it as rejected.`,
          'Look at the case to see which file it was and who added it, and ask them for a clean copy if it is needed.',
        ),
      };
    case 'case-withdrawn': {
      const { facts } = notification;
      return {
        subject: `Withdrawn: ASB case review ${reference}`,
        body: lines(
          `The application ${reference} has been withdrawn. Nothing more needs to be done.`,
          facts.reason !== undefined && `Their reason: ${facts.reason}`,
          facts.fearOfReprisal &&
            'They said they are withdrawing because they fear reprisal. Consider their safety and whether to act without their application.',
        ),
      };
    }
  }
}

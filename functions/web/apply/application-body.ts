// A draft's answers as the body of POST /api/applications (contract.md): the one shape the core schema
// checks, whether the pages are checking one question page or submitting the whole application.
import { startOfUkDay } from '#core/local-date.ts';
import { involvementBody } from '../render/involvement.ts';
import type { Answers, Draft } from './draft.ts';
import { otherReportsOf, reportedElsewhere } from './other-reports.ts';
import { answerList, answerText } from './steps.ts';

const optional = (value: string) => (value === '' ? undefined : value);

function yesNo(value: string): boolean | undefined {
  if (value === 'yes') return true;
  if (value === 'no') return false;
  return undefined;
}

function incidentBody(incident: Answers) {
  const hateMotivated = yesNo(answerText(incident, 'hateMotivated'));
  const text = (name: string) => answerText(incident, name);
  return {
    occurredOn: text('occurredOn'),
    occurredAt: optional(text('occurredAt')),
    reportedOn: text('reportedOn'),
    reportedTo: optional(text('reportedTo')),
    reference: optional(text('reference')),
    ...(reportedElsewhere(incident) && {
      alsoReportedTo: otherReportsOf(incident).map((other) => ({
        reportedTo: optional(other.reportedTo),
        reportedOn: other.reportedOn,
        reference: optional(other.reference),
      })),
    }),
    location: optional(text('location')),
    description: text('description'),
    hateMotivated,
    hateMotivation: hateMotivated ? answerList(incident, 'hateMotivation') : undefined,
  };
}

/**
 * The people involved, or the witnesses, as a draft keeps them (`involved-2-name`, see people.ts): one
 * entry per number, in order, a number whose answers are all empty left out.
 */
function numbered(answers: Answers, kind: 'involved' | 'witness'): Record<string, string>[] {
  const pattern = new RegExp(`^${kind}-(\\d+)-(.+)$`);
  const byNumber = new Map<number, Record<string, string>>();
  for (const [name, value] of Object.entries(answers)) {
    const match = pattern.exec(name);
    if (!match || typeof value !== 'string' || value === '') continue;
    const number = Number(match[1]);
    byNumber.set(number, { ...byNumber.get(number), [match[2] as string]: value });
  }
  return [...byNumber.entries()].sort(([a], [b]) => a - b).map(([, person]) => person);
}

function peopleBody(answers: Answers) {
  const involved = numbered(answers, 'involved').map((person) => ({
    name: person.name,
    description: person.description,
    address: person.address,
  }));
  const witnesses = numbered(answers, 'witness').map((witness) => ({
    name: witness.name ?? '',
    contact: witness.contact,
  }));
  return {
    ...(involved.length > 0 && { involved }),
    ...(witnesses.length > 0 && { witnesses }),
  };
}

const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

/** A time typed as 14:30 (or 9.05): minutes after midnight, or undefined when it is not one. */
export function minutesOf(time: string): number | undefined {
  const match = TIME.exec(time.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/**
 * When an officer says a letter arrived: that UK day at the time given, else midday, but never after
 * `now` (a letter opened this morning and entered now). On the two nights a year the clocks change,
 * a time between midnight and 2am may be an hour out; such a time is of no consequence to the rules.
 */
function receivedAt(day: string, time: string, now: Date): string | undefined {
  if (day === '') return undefined;
  const minutes = minutesOf(time) ?? 12 * 60;
  const instant = new Date(startOfUkDay(day).getTime() + minutes * 60_000);
  return (instant > now && time === '' ? now : instant).toISOString();
}

export function applicationBody(draft: Pick<Draft, 'mode' | 'answers' | 'incidents'>, now: Date) {
  const a = (name: string) => answerText(draft.answers, name);
  const forSomeoneElse = a('forSomeoneElse') === 'yes';
  return {
    csp: a('csp'),
    victimType: optional(a('victimType')),
    applicant: {
      name: a('name'),
      email: optional(a('email')),
      phone: optional(a('phone')),
      address: a('address'),
      postcode: a('postcode'),
      contactPreference: optional(a('contactPreference')),
      accessibilityNeeds: optional(a('accessibilityNeeds')),
      vulnerabilityNeeds: optional(a('vulnerabilityNeeds')),
    },
    ...(forSomeoneElse && {
      onBehalfOf: {
        name: a('behalfName'),
        relationship: a('behalfRelationship'),
        consentGiven: a('behalfConsent') === 'yes',
        address: optional(a('behalfAddress')),
        postcode: optional(a('behalfPostcode')),
        email: optional(a('behalfEmail')),
        phone: optional(a('behalfPhone')),
      },
    }),
    description: a('description'),
    impact: a('impact'),
    involvement: involvementBody({
      involvement: a('involvement'),
      involvementViews: a('involvementViews'),
      involvementNeeds: a('involvementNeeds'),
      consultOnPlan: a('consultOnPlan'),
    }),
    incidents: draft.incidents.map(incidentBody),
    ...peopleBody(draft.answers),
    consentToShare: a('consentToShare') === 'yes',
    ...(draft.mode === 'staff' && {
      channel: optional(a('channel')),
      receivedAt: receivedAt(a('receivedOn'), a('receivedTime'), now),
    }),
  };
}

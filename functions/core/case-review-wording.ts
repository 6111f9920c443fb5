// The words of the case review's steps as the 2025 statutory guidance runs it (contract.md, "The case
// review") that the timeline and the pages use, in plain English (GOV.UK style: short sentences, dates as
// "3 May 2015"): each step's timeline entry, meetings' times, agencies' names in a list. The messages to
// the applicant, the agencies and the officers are case-review-messages.ts's, which the pages load only
// with their notifier, on first use. Facts in, words out: dates are ISO instants or UK dates, nothing is
// read here.
import { type ActionStatus, actionNumber } from '#core/action-plan.ts';
import { AGENCY_NAMES, agreeing, capitalised } from '#core/agency-names.ts';
import { formatUkDate } from '#core/calendar-months.ts';
import type { Audience } from '#core/case-record.ts';
import type { CaseContact } from '#core/case-review.ts';
import { isLocalDate, type LocalDate, ukDateOf } from '#core/local-date.ts';
import type { Agency, Involvement, MeetingFormat } from '#core/schemas.ts';

export interface Wording {
  readonly subject: string;
  readonly body: string;
}

/** A timeline entry's words and who may read it. */
export interface TimelineWording {
  readonly type: string;
  readonly summary: string;
  readonly audience: Audience;
}

/** The contact as a letter gives it; `address` is the team's postal address, where known. */
export type ContactDetails = CaseContact & { readonly address?: string };

export const FORMAT_WORDS: Readonly<Record<MeetingFormat, string>> = {
  'in-person': 'in person',
  online: 'online',
  hybrid: 'in person, with the option to join online',
};

// Built when a time is first worded, not as the function loads: a process's first Intl time zone costs
// about 10 ms of CPU, and most requests word no time.
let ukFormats: { readonly time: Intl.DateTimeFormat; readonly weekday: Intl.DateTimeFormat } | undefined;
const ukFormatsOnce = () =>
  (ukFormats ??= {
    time: new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour: 'numeric',
      minute: '2-digit',
      hour12: true,
    }),
    weekday: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long' }),
  });

/** A date (`2015-07-01`) or an instant, as its UK day: `1 July 2015`. */
export function day(value: string): string {
  return formatUkDate(isLocalDate(value) ? value : ukDateOf(value));
}

/** An instant as GOV.UK writes a time: `3pm` or `3:30pm`, UK time. */
export function ukTime(instant: string): string {
  const parts = ukFormatsOnce().time.formatToParts(new Date(instant));
  const part = (type: string) => parts.find((each) => each.type === type)?.value ?? '';
  const minute = part('minute');
  const hour = part('hour') === '0' ? '12' : part('hour');
  const time = minute === '00' ? hour : `${hour}:${minute}`;
  if (time === '12' && part('dayPeriod').toLowerCase() === 'pm') return 'midday';
  if (time === '12' && part('dayPeriod').toLowerCase() === 'am') return 'midnight';
  return `${time}${part('dayPeriod').toLowerCase().replace(/\./g, '')}`;
}

/** An instant as a meeting's time: `Thursday 25 June 2015 at 3pm`. */
export function meetingTime(instant: string): string {
  return `${ukFormatsOnce().weekday.format(new Date(instant))} ${day(instant)} at ${ukTime(instant)}`;
}

export function listOf(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

export function agencyList(agencies: readonly Agency[]): string {
  return listOf(agencies.map((agency) => AGENCY_NAMES[agency]));
}

// ---- The timeline -------------------------------------------------------------------------------

const STATUS_WORDS: Readonly<Record<ActionStatus, string>> = {
  open: 'not started',
  'in-progress': 'in progress',
  done: 'done',
  'cannot-be-done': 'cannot be done',
};

export type TimelineFacts =
  | { readonly step: 'contact'; readonly contact: CaseContact }
  | { readonly step: 'involvement'; readonly involvement: Involvement }
  | { readonly step: 'information-requests'; readonly agencies: readonly Agency[]; readonly dueBy: LocalDate }
  | { readonly step: 'agency-response'; readonly agency: Agency; readonly amended: boolean }
  | {
      readonly step: 'review-meeting';
      readonly at: string;
      readonly format: MeetingFormat;
      readonly rescheduled: boolean;
    }
  | {
      readonly step: 'review-outcome';
      readonly heldOn: LocalDate;
      readonly recommendations: number;
      readonly consultation: boolean;
    }
  | { readonly step: 'action-plan-response'; readonly agrees: boolean }
  | { readonly step: 'action-plan'; readonly actions: number }
  | {
      readonly step: 'action-progress';
      readonly id: string;
      readonly owner: Agency;
      readonly status: ActionStatus;
      readonly note: string;
    }
  | { readonly step: 'plan-replaced' };

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The timeline entry of a step of the review. The applicant reads all but the agencies' responses. */
export function reviewTimeline(facts: TimelineFacts): TimelineWording {
  switch (facts.step) {
    case 'contact':
      return {
        type: 'contact',
        summary: `${facts.contact.name} is now the single point of contact for the case review.`,
        audience: 'all',
      };
    case 'involvement':
      return {
        type: 'involvement',
        summary: `How the victim will take part was recorded: ${
          facts.involvement.level === 'attend'
            ? 'attending the meeting'
            : facts.involvement.level === 'views-only'
              ? 'giving views in writing'
              : 'being kept up to date'
        }${facts.involvement.consultOnPlan ? ', and being asked about any action plan' : ''}.`,
        audience: 'all',
      };
    case 'information-requests':
      return {
        type: 'information-requests',
        summary: `${capitalised(agencyList(facts.agencies))} ${agreeing(facts.agencies).was} asked to share what ${agreeing(facts.agencies).it} knew and did by ${day(facts.dueBy)}.`,
        audience: 'all',
      };
    case 'agency-response':
      return {
        type: 'agency-response',
        summary: `${capitalised(AGENCY_NAMES[facts.agency])} ${facts.amended ? `changed what ${agreeing(facts.agency).it} shared` : `shared what ${agreeing(facts.agency).it} knew and did`}.`,
        audience: 'staff',
      };
    case 'review-meeting':
      return {
        type: 'review-meeting',
        summary: `The case review meeting ${facts.rescheduled ? 'was moved to' : 'was arranged for'} ${meetingTime(facts.at)}, ${FORMAT_WORDS[facts.format]}.`,
        audience: 'all',
      };
    case 'review-outcome':
      return {
        type: 'review-outcome',
        summary: `The case review was held on ${day(facts.heldOn)}. ${
          facts.recommendations === 0
            ? 'It made no recommendations.'
            : `It made ${plural(facts.recommendations, 'recommendation', 'recommendations')}${facts.consultation ? ', sent to the victim as a draft action plan to comment on' : ''}.`
        }`,
        audience: 'all',
      };
    case 'action-plan-response':
      return {
        type: 'action-plan-response',
        summary: facts.agrees
          ? 'The victim agreed with the draft action plan.'
          : 'The victim commented on the draft action plan.',
        audience: 'all',
      };
    case 'action-plan':
      return {
        type: 'action-plan',
        summary: `The action plan was finalised with ${plural(facts.actions, 'action', 'actions')} and sent to the victim.`,
        audience: 'all',
      };
    case 'action-progress':
      return {
        type: 'action-progress',
        summary: `Action ${actionNumber(facts.id)} (${AGENCY_NAMES[facts.owner]}): ${STATUS_WORDS[facts.status]}. ${facts.note}`,
        audience: 'all',
      };
    case 'plan-replaced':
      return {
        type: 'plan-replaced',
        summary: 'The action plan was replaced: a new case review will make a new plan.',
        audience: 'all',
      };
  }
}

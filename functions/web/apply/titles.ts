// Each question page's title, for a resident applying and for an officer entering an application for
// someone else. Titles double as the page's <h1> (or its question's legend).
import type { DraftMode } from './draft.ts';

const TITLES: Readonly<Record<string, Readonly<Record<DraftMode, string>>>> = {
  area: {
    resident: 'Where is the anti-social behaviour happening?',
    staff: 'Where is the anti-social behaviour happening?',
  },
  received: { resident: '', staff: 'How did the council receive the application?' },
  victim: {
    resident: 'Who is the anti-social behaviour affecting?',
    staff: 'Who is the anti-social behaviour affecting?',
  },
  'someone-else': {
    resident: 'Are you applying for someone else?',
    staff: 'Is the applicant applying for someone else?',
  },
  'their-details': {
    resident: 'About the person you are applying for',
    staff: 'About the person the application is for',
  },
  'your-details': { resident: 'Your name and address', staff: 'The applicant’s name and address' },
  contact: { resident: 'How can we contact you?', staff: 'How can we contact the applicant?' },
  needs: {
    resident: 'Is there anything we should know to help you?',
    staff: 'Is there anything we should know to help the applicant?',
  },
  description: {
    resident: 'Describe the anti-social behaviour',
    staff: 'Describe the anti-social behaviour',
  },
  impact: {
    resident: 'How is the anti-social behaviour affecting you?',
    staff: 'How is the anti-social behaviour affecting the victim?',
  },
  involvement: {
    resident: 'Taking part in the case review',
    staff: 'How the applicant wants to take part in the case review',
  },
  incident: {
    resident: 'Tell us about an incident you reported',
    staff: 'An incident the applicant reported',
  },
  'incident-other': {
    resident: 'Another report of this incident',
    staff: 'Another report of this incident',
  },
  'incident-other-reports': {
    resident: 'Other reports of this incident',
    staff: 'Other reports of this incident',
  },
  'incident-remove-other': {
    resident: 'Are you sure you want to remove this report?',
    staff: 'Are you sure you want to remove this report?',
  },
  incidents: { resident: 'Incidents you have told us about', staff: 'Incidents entered' },
  'remove-incident': {
    resident: 'Are you sure you want to remove this incident?',
    staff: 'Are you sure you want to remove this incident?',
  },
  consent: { resident: 'Sharing your information', staff: 'Sharing the applicant’s information' },
  check: {
    resident: 'Check your answers before sending your application',
    staff: 'Check the answers before sending the application',
  },
  confirmation: { resident: 'Application sent', staff: 'Application entered' },
};

/** A resident applying for someone else is asked about the victim, not about themselves. */
const FOR_SOMEONE_ELSE: Readonly<Record<string, string>> = {
  impact: 'How is the anti-social behaviour affecting them?',
  incident: 'Tell us about an incident that was reported',
};

export function titleOf(page: string, mode: DraftMode, forSomeoneElse = false): string {
  if (forSomeoneElse && mode === 'resident' && FOR_SOMEONE_ELSE[page] !== undefined) {
    return FOR_SOMEONE_ELSE[page];
  }
  return TITLES[page]?.[mode] ?? '';
}

/**
 * The core schema speaks to the applicant ("Enter your full name"); an officer entering an application
 * reads the same message about the applicant ("Enter the applicant’s full name").
 */
export function messageFor(mode: DraftMode, message: string): string {
  if (mode === 'resident') return message;
  return message
    .replace(/\byour\b/g, 'the applicant’s')
    .replace(/\bYour\b/g, 'The applicant’s')
    .replace(/\byou have\b/g, 'the applicant has')
    .replace(/\byou think\b/g, 'the applicant thinks')
    .replace(/\byou want\b/g, 'the applicant wants')
    .replace(/\byou would\b/g, 'the applicant would')
    .replace(/\bYou can\b/g, 'The applicant can');
}

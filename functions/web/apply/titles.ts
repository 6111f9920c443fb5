// Each question page's title, as the resident reads it. Titles double as the page's <h1> (or its
// question's legend).

const TITLES: Readonly<Record<string, string>> = {
  area: 'Where is the anti-social behaviour happening?',
  victim: 'Who is the anti-social behaviour affecting?',
  'someone-else': 'Are you applying for someone else?',
  'their-details': 'About the person you are applying for',
  'your-details': 'Your name and address',
  contact: 'How can we contact you?',
  needs: 'Is there anything we should know to help you?',
  description: 'Describe the anti-social behaviour',
  impact: 'How is the anti-social behaviour affecting you?',
  involved: 'Who is involved in the anti-social behaviour?',
  witnesses: 'Is anyone willing to be a witness?',
  involvement: 'Taking part in the case review',
  incident: 'Tell us about an incident you reported',
  'incident-other': 'Another report of this incident',
  'incident-other-reports': 'Other reports of this incident',
  'incident-remove-other': 'Are you sure you want to remove this report?',
  incidents: 'Incidents you have told us about',
  'remove-incident': 'Are you sure you want to remove this incident?',
  consent: 'Sharing your information',
  check: 'Check your answers before sending your application',
  confirmation: 'Application sent',
};

/** A resident applying for someone else is asked about the victim, not about themselves. */
const FOR_SOMEONE_ELSE: Readonly<Record<string, string>> = {
  impact: 'How is the anti-social behaviour affecting them?',
  incident: 'Tell us about an incident that was reported',
};

export function titleOf(page: string, forSomeoneElse = false): string {
  if (forSomeoneElse && FOR_SOMEONE_ELSE[page] !== undefined) return FOR_SOMEONE_ELSE[page];
  return TITLES[page] ?? '';
}

/**
 * The core schema speaks to the applicant ("Enter your full name"); an officer entering an application
 * reads the same message about the applicant ("Enter the applicant’s full name").
 */
export function officerWords(message: string): string {
  return message
    .replace(/\bcontact you about your application\b/g, 'contact the applicant about the application')
    .replace(/\bcontact you\b/g, 'contact them')
    .replace(/\b(makes|affecting) you\b/g, '$1 the victim')
    .replace(/\bthe person you are applying for\b/g, 'the person the application is for')
    .replace(/\b([Hh])ow you know\b/g, '$1ow the applicant knows')
    .replace(/\bConfirm that you agree\b/g, 'Confirm that the applicant agrees')
    .replace(/\bsupport you need\b/g, 'support the applicant needs')
    .replace(/\byour\b/g, 'the applicant’s')
    .replace(/\bYour\b/g, 'The applicant’s')
    .replace(/\byou have\b/g, 'the applicant has')
    .replace(/\byou think\b/g, 'the applicant thinks')
    .replace(/\byou want\b/g, 'the applicant wants')
    .replace(/\byou would\b/g, 'the applicant would')
    .replace(/\bYou can\b/g, 'The applicant can');
}

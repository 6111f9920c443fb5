// The agencies' names, and the names of whom an incident was reported to, written once for every
// message, timeline entry, page and reason: as a sentence names them ("the police", "a housing
// provider"), with the words that agree with them there ("the police were", "the council was"), and as
// a label or list item names an agency ("Police").
import type { ReportedTo } from '#core/schemas/application.ts';
import type { Agency } from '#core/schemas/fields.ts';

/** Each agency as a sentence names it. */
export const AGENCY_NAMES: Readonly<Record<Agency, string>> = {
  police: 'the police',
  council: 'the council',
  'housing-provider': 'the housing provider',
  health: 'the health service',
};

/** The agencies a sentence takes as many: "the police" is plural, the others are one body each. */
const PLURAL_AGENCIES: ReadonlySet<Agency> = new Set(['police']);

/** The words that agree with agencies as a sentence's subject: "the police were", "the council was". */
export interface AgencyAgreement {
  readonly was: 'was' | 'were';
  readonly has: 'has' | 'have';
  readonly it: 'it' | 'they';
  readonly its: 'its' | 'their';
}

const ONE: AgencyAgreement = { was: 'was', has: 'has', it: 'it', its: 'its' };
const MANY: AgencyAgreement = { was: 'were', has: 'have', it: 'they', its: 'their' };

/** The words agreeing with an agency, or with a list of them (more than one is always many). */
export function agreeing(agencies: Agency | readonly Agency[]): AgencyAgreement {
  const list: readonly Agency[] = typeof agencies === 'string' ? [agencies] : agencies;
  return list.length > 1 || list.some((agency) => PLURAL_AGENCIES.has(agency)) ? MANY : ONE;
}

/** Each agency as a label, a list item or a choice names it. */
export const AGENCY_LABELS: Readonly<Record<Agency, string>> = {
  police: 'Police',
  council: 'Council',
  'housing-provider': 'Housing provider',
  health: 'Health services',
};

/** Whom an incident was reported to, as a sentence names them. */
export const REPORTED_TO_NAMES: Readonly<Record<ReportedTo, string>> = {
  council: 'the council',
  police: 'the police',
  'housing-provider': 'a housing provider',
  health: 'a health service',
  other: 'another organisation',
};

/** Words that start a sentence: "the police" → "The police". */
export function capitalised(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

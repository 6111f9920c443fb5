// The agencies' names, and the names of whom an incident was reported to, written once for every
// message, timeline entry, page and reason: as a sentence names them ("the police", "a housing
// provider") and as a label or list item names an agency ("Police").
import type { ReportedTo } from '#core/schemas/application.ts';
import type { Agency } from '#core/schemas/fields.ts';

/** Each agency as a sentence names it. */
export const AGENCY_NAMES: Readonly<Record<Agency, string>> = {
  police: 'the police',
  council: 'the council',
  'housing-provider': 'the housing provider',
  health: 'the health service',
};

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

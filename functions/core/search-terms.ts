// How staff find a case by the applicant's or victim's name or postcode: the terms a case is indexed
// under when it is submitted, and the terms a search asks for, normalised the same way so that
// "O'Brien", "o brien" and "OBRIEN" or "l20 1aa" and "L201AA" find the same case. Each term is one
// exact key (one Query each); a search's terms must all match.

// Outward code, then inward code, as the application's schema reads a postcode once spaces are gone.
const FULL_POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;
const OUTWARD_CODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

/** Name words indexed per person: enough for first, middle and family names without unbounded writes. */
const MAX_NAME_WORDS = 4;
/** Terms a search may ask for: each is a Query. */
export const MAX_SEARCH_TERMS = 4;

export type SearchTerm = `name:${string}` | `postcode:${string}`;

/** A name's words, lower case, without accents or punctuation: `Seán O'Brien-Smith` → sean, obrien, smith. */
function nameWords(name: string): string[] {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    // Upper case first folds letters such as ß (SS) as a search typed in capitals would.
    .toUpperCase()
    .toLowerCase()
    .replace(/['’`.]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1);
  return [...new Set(words)];
}

/** A postcode's terms: the whole postcode and its outward code (`L20 1AA` → L201AA, L20). */
function postcodeTerms(postcode: string): SearchTerm[] {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  const match = FULL_POSTCODE.exec(compact);
  return match ? [`postcode:${compact}`, `postcode:${match[1]}`] : [];
}

/** The people an application names, as far as search needs them. */
export interface SearchablePeople {
  readonly applicant: { readonly name: string; readonly postcode: string };
  readonly onBehalfOf?: { readonly name: string; readonly postcode?: string | undefined } | null | undefined;
}

/** The terms a case is indexed under: the applicant's and the victim's name words and postcodes. */
export function caseSearchTerms(people: SearchablePeople): SearchTerm[] {
  const terms = [people.applicant, ...(people.onBehalfOf ? [people.onBehalfOf] : [])].flatMap((person) => [
    ...nameWords(person.name)
      .slice(0, MAX_NAME_WORDS)
      .map((word): SearchTerm => `name:${word}`),
    ...postcodeTerms(person.postcode ?? ''),
  ]);
  return [...new Set(terms)];
}

/**
 * What a search for `text` asks for: a postcode (with or without its space) is one term, anything else
 * a term per word (a word with a digit, like L20, an outward code). Empty when nothing can be searched.
 */
export function searchTermsOf(text: string): SearchTerm[] {
  const whole = postcodeTerms(text);
  if (whole[0] !== undefined) return [whole[0]];
  const terms = text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word): SearchTerm[] => {
      const upper = word.toUpperCase();
      if (/\d/.test(word)) return OUTWARD_CODE.test(upper) ? [`postcode:${upper}`] : [];
      return nameWords(word).map((part): SearchTerm => `name:${part}`);
    });
  return [...new Set(terms)];
}

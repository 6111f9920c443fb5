import { formatUkDate } from '#core/calendar-months.ts';
import { daysBetween, type LocalDate } from '#core/local-date.ts';
import { similarityCorpus, textSimilarity } from '#core/text-similarity.ts';

/**
 * Which other cases of a CSP may be about the same anti-social behaviour as this one (route B): an
 * officer links cases, and these suggestions only tell them where to look. Each candidate is compared
 * on three things, each with a reason in words:
 * - what happened: the text similarity (core/text-similarity.ts) of the description and the incidents'
 *   descriptions, weighed against every case compared, so that words all cases use count less;
 * - place: the victim's postcode, street and postcode district, and the incidents' places;
 * - dates: how the periods over which the incidents happened overlap, or how far apart they are.
 * A candidate is suggested only when what happened is alike at least a little: living nearby at the same
 * time is no sign of the same behaviour by itself ("dog barking next door" is not motorbike nuisance).
 * The ranking weighs what happened most.
 */

/** What the comparison needs of an application: the victim's address and what happened. */
export interface LinkableApplication {
  readonly reference: string;
  readonly applicant: { readonly address: string; readonly postcode: string };
  /** Someone applying for the victim: the victim's address counts, where given. */
  readonly onBehalfOf?: { readonly address?: string; readonly postcode?: string } | null;
  readonly description: string;
  readonly incidents: readonly {
    readonly occurredOn: LocalDate;
    readonly description: string;
    readonly location?: string;
  }[];
}

export type LinkReasonKind = 'what-happened' | 'place' | 'dates';

export interface LinkReason {
  readonly kind: LinkReasonKind;
  /** From 0 (nothing alike) to 1. */
  readonly score: number;
  /** For the officer. */
  readonly text: string;
}

export interface LinkSuggestion {
  readonly reference: string;
  /** From 0 to 1: what happened weighs 60%, place and dates 20% each. */
  readonly score: number;
  /** What happened, place, dates: in that order. */
  readonly reasons: readonly LinkReason[];
}

/** Below this similarity of what happened, a case is not suggested at all. */
export const MINIMUM_SIMILARITY = 0.05;
const WEIGHTS: Readonly<Record<LinkReasonKind, number>> = { 'what-happened': 0.6, place: 0.2, dates: 0.2 };
/** How far apart two periods of incidents may be and still count for something: the route B window. */
const DATES_HORIZON_DAYS = 183;

/** The candidates that may be about the same behaviour as `subject`, best first, at most `limit`. */
export function suggestLinks(
  subject: LinkableApplication,
  candidates: readonly LinkableApplication[],
  limit: number,
): LinkSuggestion[] {
  const accounts = new Map(
    [subject, ...candidates].map((application) => [application, accountOf(application)]),
  );
  const corpus = similarityCorpus([...accounts.values()]);
  const account = (application: LinkableApplication) => accounts.get(application) ?? '';
  return candidates
    .filter((candidate) => candidate.reference !== subject.reference)
    .map((candidate) => {
      const reasons = [
        whatHappened(textSimilarity(account(subject), account(candidate), corpus)),
        placeReason(subject, candidate),
        datesReason(periodOf(subject), periodOf(candidate)),
      ];
      const score = reasons.reduce((sum, reason) => sum + WEIGHTS[reason.kind] * reason.score, 0);
      return { reference: candidate.reference, score: rounded(score), reasons };
    })
    .filter((suggestion) => (suggestion.reasons[0]?.score ?? 0) >= MINIMUM_SIMILARITY)
    .sort((a, b) => b.score - a.score || (a.reference < b.reference ? -1 : 1))
    .slice(0, limit);
}

function rounded(score: number): number {
  return Math.round(score * 1000) / 1000;
}

/** Everything the application says happened, as one text. */
function accountOf(application: LinkableApplication): string {
  return [application.description, ...application.incidents.map((incident) => incident.description)].join(
    '\n',
  );
}

function whatHappened(similarity: ReturnType<typeof textSimilarity>): LinkReason {
  const score = rounded(similarity.score);
  // A number both accounts mention ("2", "3") says nothing of what happened: only words are named.
  const words = similarity.sharedWords
    .filter((word) => !/^\d+$/.test(word))
    .slice(0, 6)
    .map((word) => `“${word}”`);
  const text =
    words.length > 0
      ? `What happened is ${likeness(score)}: both mention ${listed(words)}.`
      : score > 0
        ? `What happened is ${likeness(score)}: some words are spelt alike.`
        : 'What happened has nothing in common.';
  return { kind: 'what-happened', score, text };
}

function likeness(score: number): string {
  if (score >= 0.5) return 'very alike';
  if (score >= 0.2) return 'alike';
  return 'a little alike';
}

function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

// ---- Place --------------------------------------------------------------------------------------

interface Place {
  /** `L90 1AA`, upper case with one space. */
  readonly postcode: string;
  /** `L90`. */
  readonly district: string;
  /** The street as written (`Acacia Avenue`), or undefined when the address names none. */
  readonly street: string | undefined;
}

function placeOf(application: LinkableApplication): Place {
  const victim = application.onBehalfOf;
  const usesVictim = victim?.postcode !== undefined && victim.address !== undefined;
  const postcode = normalisedPostcode(usesVictim ? (victim.postcode ?? '') : application.applicant.postcode);
  const address = usesVictim ? (victim.address ?? '') : application.applicant.address;
  return { postcode, district: postcode.split(' ')[0] ?? postcode, street: streetOf(address) };
}

function normalisedPostcode(postcode: string): string {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact;
}

const STREET_WORDS =
  /\b(road|rd|street|st|avenue|ave|lane|ln|drive|dr|close|way|crescent|grove|place|court|gardens|terrace|walk|row|square|hill|view|parade|mews|park|rise|green|vale|boulevard)\b/i;
const DWELLING_WORDS = /\b(flat|apartment|apt|unit|room|floor|block|house|maisonette)\b/gi;

/**
 * The street of an address: the first part (between commas or lines) that names a street ("Road",
 * "Avenue", ...), without its house and flat numbers; else the first part with words in it.
 */
export function streetOf(address: string): string | undefined {
  const parts = address
    .split(/[,\n]/)
    .map((part) =>
      part
        .replace(DWELLING_WORDS, ' ')
        .replace(/\b\d+[a-z]?\b/gi, ' ')
        .replace(/[^\p{L}\s'-]/gu, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((part) => /\p{L}{2}/u.test(part));
  return parts.find((part) => STREET_WORDS.test(part)) ?? parts[0];
}

function placeReason(subject: LinkableApplication, candidate: LinkableApplication): LinkReason {
  const here = placeOf(subject);
  const there = placeOf(candidate);
  const sameDistrict = here.district === there.district;
  const sameStreet =
    sameDistrict && here.street !== undefined && here.street.toLowerCase() === there.street?.toLowerCase();
  const where = placesAlike(subject, candidate);
  if (here.postcode === there.postcode) {
    return { kind: 'place', score: 1, text: `The victims live in the same postcode, ${here.postcode}.` };
  }
  if (sameStreet) {
    return {
      kind: 'place',
      score: 0.9,
      text: `The victims live in the same street, ${here.street}, ${here.district}.`,
    };
  }
  if (where.score >= 0.5) {
    return { kind: 'place', score: 0.7, text: `The incidents happened in similar places: ${where.text}.` };
  }
  if (sameDistrict) {
    return {
      kind: 'place',
      score: 0.5,
      text: `The victims live in the same postcode district, ${here.district}.`,
    };
  }
  return {
    kind: 'place',
    score: 0,
    text: `The victims live in different postcode districts, ${here.district} and ${there.district}.`,
  };
}

/** How alike the incidents' places are, as written ("the playing field off Park Road"). */
function placesAlike(
  subject: LinkableApplication,
  candidate: LinkableApplication,
): { score: number; text: string } {
  const places = (application: LinkableApplication) =>
    application.incidents.flatMap((incident) => (incident.location ? [incident.location] : [])).join('\n');
  const similarity = textSimilarity(places(subject), places(candidate));
  return {
    score: similarity.score,
    text: `both mention ${listed(similarity.sharedWords.slice(0, 4).map((word) => `“${word}”`))}`,
  };
}

// ---- Dates --------------------------------------------------------------------------------------

interface Period {
  readonly from: LocalDate;
  readonly to: LocalDate;
}

function periodOf(application: LinkableApplication): Period {
  const days = application.incidents.map((incident) => incident.occurredOn).sort();
  return { from: days[0] ?? '', to: days.at(-1) ?? '' };
}

function periodWords(period: Period): string {
  return period.from === period.to
    ? `on ${formatUkDate(period.from)}`
    : `from ${formatUkDate(period.from)} to ${formatUkDate(period.to)}`;
}

function datesReason(here: Period, there: Period): LinkReason {
  const both = `This case’s incidents happened ${periodWords(here)}, the other’s ${periodWords(there)}`;
  if (here.from <= there.to && there.from <= here.to) {
    return { kind: 'dates', score: 1, text: `${both}: the periods overlap.` };
  }
  const gap = here.to < there.from ? daysBetween(here.to, there.from) : daysBetween(there.to, here.from);
  const score = rounded(Math.max(0, 1 - gap / DATES_HORIZON_DAYS));
  return { kind: 'dates', score, text: `${both}: ${gap === 1 ? '1 day' : `${gap} days`} apart.` };
}

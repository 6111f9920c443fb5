/**
 * How alike two free-text accounts of what happened are, from 0 (nothing in common) to 1 (the same
 * words): to suggest applications about the same behaviour (route B) and to notice two incident entries
 * that may be one incident. A suggestion for a person to weigh, never a decision.
 *
 * Two measures, blended:
 * - words: the cosine of TF-IDF vectors over the texts' content words (lower case, accents and
 *   possessives dropped, stop words left out, a light English stemmer so that "racing", "races" and
 *   "raced" are one word, and the few words residents use for the same kind of behaviour, such as
 *   "motorbike", "moped" and "scrambler", taken as one word that weighs double). IDF comes from a
 *   corpus (the other texts being compared, e.g. a CSP's cases), so words every case uses ("noise",
 *   "neighbour") weigh less than the words that tell cases apart; without one, the two texts are the
 *   corpus;
 * - spelling: the cosine of character-trigram counts of the same stemmed words, so that misspellings
 *   and spelling variants ("motorbkes", "neighbor") still count for something.
 *
 * Both are symmetric, lie in [0, 1] and ignore word order, so the blend does too. A text with no
 * letters or digits says nothing about the behaviour: it scores 0 with everything, itself included.
 */

export interface SimilarityCorpus {
  readonly documents: number;
  /** For each word (stem), the number of documents that use it. */
  readonly documentFrequency: ReadonlyMap<string, number>;
}

export interface TextSimilarity {
  /** From 0 to 1, rounded to 4 decimal places. */
  readonly score: number;
  /** The words both texts use, most telling first, as the first text writes them. */
  readonly sharedWords: readonly string[];
}

const WORD_WEIGHT = 0.75;
/** A word naming a kind of behaviour ("motorbike", "drug") says more about what happened than others. */
const BEHAVIOUR_WORD_WEIGHT = 2;
const SPELLING_WEIGHT = 1 - WORD_WEIGHT;

/** Builds the corpus that weighs words by how rare they are among `texts`. */
export function similarityCorpus(texts: readonly string[]): SimilarityCorpus {
  const documentFrequency = new Map<string, number>();
  for (const text of texts) {
    for (const term of new Set(termsOf(text).map(({ term }) => term))) {
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
  }
  return { documents: texts.length, documentFrequency };
}

export function textSimilarity(a: string, b: string, corpus?: SimilarityCorpus): TextSimilarity {
  const termsA = termsOf(a);
  const termsB = termsOf(b);
  if (termsA.length === 0 || termsB.length === 0) return { score: 0, sharedWords: [] };
  const weigh = inverseDocumentFrequency(corpus ?? similarityCorpus([a, b]));
  const wordsA = weightedTerms(termsA, weigh);
  const wordsB = weightedTerms(termsB, weigh);
  const spelling = cosine(trigramCounts(termsA), trigramCounts(termsB));
  const score = WORD_WEIGHT * cosine(wordsA, wordsB) + SPELLING_WEIGHT * spelling;
  return {
    score: Math.min(1, Math.round(score * 10_000) / 10_000),
    sharedWords: sharedWords(termsA, wordsA, wordsB),
  };
}

interface Term {
  /** The surface word, as written (lower case). */
  readonly word: string;
  /** Its stem, the unit of the spelling measure. */
  readonly stem: string;
  /** Its stem or the kind of behaviour it names, the unit of the word measure. */
  readonly term: string;
}

/** The text's content words; when it has only stop words ("it is"), all its words. */
function termsOf(text: string): Term[] {
  const words = wordsOf(text);
  const content = words.filter((word) => !STOP_WORDS.has(word));
  return (content.length > 0 ? content : words).map((word) => {
    const stem = stemOf(word);
    return { word, stem, term: CONCEPTS.get(stem) ?? stem };
  });
}

function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/['’](s\b)?/g, '')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

function inverseDocumentFrequency(corpus: SimilarityCorpus): (term: string) => number {
  // Smoothed as scikit-learn does: never zero, so a word in every document still counts a little.
  return (term) => Math.log((corpus.documents + 1) / ((corpus.documentFrequency.get(term) ?? 0) + 1)) + 1;
}

function weightedTerms(terms: readonly Term[], weigh: (term: string) => number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { term } of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return new Map(
    [...counts].map(([term, count]) => [
      term,
      count * weigh(term) * (BEHAVIOURS.has(term) ? BEHAVIOUR_WORD_WEIGHT : 1),
    ]),
  );
}

function trigramCounts(terms: readonly Term[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { stem } of terms) {
    const padded = ` ${stem} `;
    for (let at = 0; at + 3 <= padded.length; at += 1) {
      const trigram = padded.slice(at, at + 3);
      counts.set(trigram, (counts.get(trigram) ?? 0) + 1);
    }
  }
  return counts;
}

function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  // Summed in key order, so that a·b and b·a are the same number to the last bit.
  const shared = [...a.keys()].filter((key) => b.has(key)).sort();
  if (shared.length === 0) return 0;
  let dot = 0;
  for (const key of shared) dot += (a.get(key) ?? 0) * (b.get(key) ?? 0);
  return dot / (norm(a) * norm(b));
}

function norm(vector: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const weight of vector.values()) sum += weight * weight;
  return Math.sqrt(sum);
}

function sharedWords(
  termsA: readonly Term[],
  wordsA: ReadonlyMap<string, number>,
  wordsB: ReadonlyMap<string, number>,
): string[] {
  const asWritten = new Map<string, string>();
  for (const { term, word } of termsA) if (!asWritten.has(term)) asWritten.set(term, word);
  return [...wordsA]
    .filter(([term]) => wordsB.has(term))
    .map(([term, weight]) => ({ term, contribution: weight * (wordsB.get(term) ?? 0) }))
    .sort((x, y) => y.contribution - x.contribution || (x.term < y.term ? -1 : 1))
    .map(({ term }) => asWritten.get(term) ?? term);
}

/**
 * A light English stemmer: Porter's steps 1a, 1b and 5a (plurals, "-ed", "-ing", a final "e"), enough
 * for the inflections of an incident report; derivational endings are left alone.
 */
export function stemOf(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let stem = word;
  if (stem.endsWith('sses')) stem = stem.slice(0, -2);
  else if (/ie[sd]$/.test(stem)) stem = `${stem.slice(0, -3)}y`;
  else if (stem.endsWith('s') && !/(ss|us|is)$/.test(stem)) stem = stem.slice(0, -1);

  if (stem.endsWith('eed')) {
    if (measure(stem.slice(0, -3)) > 0) stem = stem.slice(0, -1);
  } else {
    const ending = /(ing|ed)$/.exec(stem);
    const base = ending === null ? '' : stem.slice(0, ending.index);
    if (ending !== null && base.length >= 2 && /[aeiouy]/.test(base)) stem = restoredStem(base);
  }
  return withoutFinalE(stem);
}

/** Porter's step 5a: "damage" and "damaged" → "damag", while "race" and "bike" keep their "e". */
function withoutFinalE(stem: string): string {
  if (stem.length <= 3 || !stem.endsWith('e')) return stem;
  const base = stem.slice(0, -1);
  const m = measure(base);
  return m > 1 || (m === 1 && !endsConsonantVowelConsonant(base)) ? base : stem;
}

function endsConsonantVowelConsonant(stem: string): boolean {
  return /[^aeiou][aeiouy][^aeiouwxy]$/.test(stem);
}

/** Porter's clean-up after "-ed"/"-ing": "hopp" → "hop", "rac" → "race", "troubl" → "trouble". */
function restoredStem(base: string): string {
  if (/(at|bl|iz)$/.test(base)) return `${base}e`;
  if (/([^aeiouylsz])\1$/.test(base)) return base.slice(0, -1);
  if (measure(base) === 1 && endsConsonantVowelConsonant(base)) return `${base}e`;
  return base;
}

/** Porter's measure: how many vowel-consonant sequences the word has ("tree" 0, "trouble" 1, "oaten" 2). */
function measure(stem: string): number {
  return (
    stem
      .replace(/[^aeiouy]+/g, 'C')
      .replace(/[aeiouy]+/g, 'V')
      .match(/VC/g) ?? []
  ).length;
}

/**
 * Words residents use for the same kind of behaviour in ASB reports: each group counts as one word.
 * Deliberately short: a wrong synonym links unrelated cases, a missing one only lowers a score.
 */
const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  motorbike: ['motorbike', 'motorcycle', 'motorcyclist', 'moped', 'scrambler', 'quad', 'dirtbike', 'bike'],
  youth: ['youth', 'teenager', 'teen', 'kid', 'lad', 'gang'],
  noise: ['noise', 'noisy', 'loud', 'racket', 'din'],
  drug: ['drug', 'cannabis', 'weed', 'dealer'],
  rubbish: ['rubbish', 'litter', 'flytipping', 'tipping', 'dumping', 'waste'],
  vandalism: ['vandalism', 'vandal', 'damage', 'smash', 'graffiti'],
  threat: ['threat', 'threaten', 'intimidate', 'intimidation', 'menace'],
  abuse: ['abuse', 'abusive', 'insult', 'swearing'],
};
// A kind of behaviour is a term no stem can be (stems have no colon).
const BEHAVIOURS: ReadonlySet<string> = new Set(Object.keys(SYNONYMS).map((kind) => `behaviour:${kind}`));
const CONCEPTS: ReadonlyMap<string, string> = new Map(
  Object.entries(SYNONYMS).flatMap(([kind, words]) =>
    words.map((word) => [stemOf(word), `behaviour:${kind}`]),
  ),
);

const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being ' +
    'below between both but by can cannot could did do does doing dont down during each even ever every ' +
    'few for from further get gets got had has have having he her here hers herself him himself his how ' +
    'i if im in into is isnt it its itself ive just me more most much my myself no nor not now of off ' +
    'on once only or other our ours ourselves out over own same she should so some such than that the ' +
    'their theirs them themselves then there these they this those through to too under until up upon ' +
    'us very was wasnt we were what when where which while who whom why will with would you your yours ' +
    'yourself yourselves ' +
    // When it happens is compared as dates, not words: "every night" says nothing about what happened.
    'afternoon always day daily days evening evenings hour hours late midnight morning mornings night ' +
    'nights today tonight week weekend weekends weeks yesterday'
  ).split(' '),
);

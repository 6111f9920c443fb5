import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { similarityCorpus, stemOf, textSimilarity } from '#core/text-similarity.ts';

const MOTORBIKE_NUISANCE = [
  'Motorbikes racing up and down the street late at night',
  'Youths on scramblers riding round the estate, revving their engines',
  'Off-road bikes tearing across the playing field and the road',
  'Kids on mopeds doing wheelies outside our house every evening',
  'Motorcycles speeding along the back lane, one nearly hit my child',
  'Motorbkes and quad bikes racing on the playing field at all hours',
];
const DOG_BARKING = 'Dog barking next door all day and night';
const OTHER_CASES = [
  'Neighbour playing loud music and shouting threats at us',
  'Drug dealing from the flat above, people coming and going',
  'Rubbish dumped in the alley behind the shops',
];
const CSP_CORPUS = similarityCorpus([...MOTORBIKE_NUISANCE, DOG_BARKING, ...OTHER_CASES]);

/** Free text as residents type it: words, punctuation, capitals, accents, digits, blank lines. */
const freeText = fc
  .array(
    fc.oneof(
      fc.constantFrom('motorbikes', 'Racing', 'the', 'dog', 'barking', 'café', "neighbour's", 'at', 'night'),
      fc.stringMatching(/^[a-zA-Z0-9]{1,12}$/),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(' '));
const hasWords = (text: string) => /[\p{L}\p{N}]/u.test(text);

describe('textSimilarity', () => {
  it('is symmetric, with or without a corpus', () => {
    fc.assert(
      fc.property(freeText, freeText, fc.boolean(), (a, b, withCorpus) => {
        const corpus = withCorpus ? CSP_CORPUS : undefined;
        expect(textSimilarity(a, b, corpus).score).toBe(textSimilarity(b, a, corpus).score);
      }),
    );
  });

  it('scores from 0 to 1', () => {
    fc.assert(
      fc.property(freeText, freeText, (a, b) => {
        const { score } = textSimilarity(a, b, CSP_CORPUS);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('scores 1 for the same text, and for the same words in another order', () => {
    fc.assert(
      fc.property(
        freeText.filter(hasWords),
        fc.array(fc.stringMatching(/^[a-z]{1,10}$/), { minLength: 1, maxLength: 10 }),
        (text, words) => {
          expect(textSimilarity(text, text).score).toBe(1);
          expect(textSimilarity(text, text, CSP_CORPUS).score).toBe(1);
          expect(textSimilarity(words.join(' '), words.toReversed().join(', ')).score).toBe(1);
        },
      ),
    );
  });

  it('scores 0 for a text with no letters or digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\s.,;:!?()-]*$/), freeText, (blank, other) => {
        expect(textSimilarity(blank, other).score).toBe(0);
        expect(textSimilarity(blank, blank).score).toBe(0);
      }),
    );
  });

  it('ignores capitals, accents, punctuation and possessives', () => {
    // Prepare
    const written = "The neighbour's DOG, barking at the café!";
    const plain = 'the neighbour dog barking at the cafe';

    // Act
    const { score } = textSimilarity(written, plain);

    // Assess
    expect(score).toBe(1);
  });

  it('ranks every account of motorbike nuisance, however phrased, above dog barking', () => {
    for (const account of MOTORBIKE_NUISANCE) {
      const others = MOTORBIKE_NUISANCE.filter((other) => other !== account);
      const dog = textSimilarity(account, DOG_BARKING, CSP_CORPUS).score;
      for (const other of others) {
        expect(textSimilarity(account, other, CSP_CORPUS).score).toBeGreaterThan(dog);
      }
      expect(dog).toBeLessThan(0.05);
    }
  });

  it('scores motorbike nuisance told in different words well above unrelated behaviour', () => {
    // Prepare
    const [racing, scramblers] = MOTORBIKE_NUISANCE as [string, string];

    // Act
    const same = textSimilarity(racing, scramblers, CSP_CORPUS);
    const unrelated = OTHER_CASES.map((other) => textSimilarity(racing, other, CSP_CORPUS).score);

    // Assess
    expect(same.score).toBeGreaterThan(0.15);
    expect(same.sharedWords).toEqual(['motorbikes']);
    for (const score of unrelated) expect(score).toBeLessThan(same.score / 2);
  });

  it('still finds a misspelt word alike, through its spelling', () => {
    // Prepare
    const spelt = 'motorbikes on the field';
    const misspelt = 'motorbkes on the feild';

    // Act
    const { score, sharedWords } = textSimilarity(spelt, misspelt);

    // Assess
    expect(sharedWords).toEqual([]);
    expect(score).toBeGreaterThan(0.1);
    expect(score).toBeGreaterThan(textSimilarity(spelt, 'dog barking next door').score);
  });

  it('names the shared words as the first text writes them, the kind of behaviour first', () => {
    // Prepare
    const first = 'Motorbikes racing on the playing field';
    const second = 'quad bikes raced across the playing fields';

    // Act
    const { sharedWords } = textSimilarity(first, second, CSP_CORPUS);

    // Assess
    expect(sharedWords[0]).toBe('motorbikes');
    expect([...sharedWords].sort()).toEqual(['field', 'motorbikes', 'playing', 'racing']);
  });

  it('weighs words that every case uses less than words that tell cases apart', () => {
    // Prepare
    const everyCase = similarityCorpus(['noise from next door', 'noise in the street', 'noise and litter']);
    const a = 'noise and a broken window';
    const b = 'noise and a broken fence';

    // Act
    const sharingNoise = textSimilarity(a, b, everyCase).score;
    const sharingWindow = textSimilarity(a, 'window broken, then a fence', everyCase).score;

    // Assess
    expect(sharingNoise).toBeLessThan(sharingWindow);
  });
});

describe('stemOf', () => {
  it.each([
    ['racing', 'race'],
    ['races', 'race'],
    ['raced', 'race'],
    ['bikes', 'bike'],
    ['biking', 'bike'],
    ['hopping', 'hop'],
    ['hoping', 'hope'],
    ['parties', 'party'],
    ['replied', 'reply'],
    ['damaged', 'damag'],
    ['damage', 'damag'],
    ['barking', 'bark'],
    ['agreed', 'agre'],
    ['thing', 'thing'],
    ['bus', 'bus'],
    ['cannabis', 'cannabis'],
    ['flat2', 'flat2'],
  ])('stems %s as %s', (word, stem) => {
    expect(stemOf(word)).toBe(stem);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LinkableApplication, streetOf, suggestLinks } from '#core/link-suggestions.ts';

function application(
  reference: string,
  description: string,
  options: {
    readonly address?: string;
    readonly postcode?: string;
    readonly days?: readonly string[];
    readonly location?: string;
    readonly onBehalfOf?: LinkableApplication['onBehalfOf'];
  } = {},
): LinkableApplication {
  return {
    reference,
    applicant: {
      address: options.address ?? '1 Park Road, Liverpool',
      postcode: options.postcode ?? 'L90 1AA',
    },
    ...(options.onBehalfOf !== undefined && { onBehalfOf: options.onBehalfOf }),
    description,
    incidents: (options.days ?? ['2026-02-10']).map((occurredOn) => ({
      occurredOn,
      description: description,
      ...(options.location !== undefined && { location: options.location }),
    })),
  };
}

const MOTORBIKES = application('LIV-0000-0001', 'Motorbikes racing up and down the street late at night', {
  address: '3 Park Road, Liverpool',
  days: ['2026-02-01', '2026-02-20'],
});
const PHRASED_DIFFERENTLY = [
  application('LIV-0000-0002', 'Youths on scramblers riding round the estate, revving their engines', {
    address: '7 Park Road, Liverpool',
  }),
  application('LIV-0000-0003', 'Off-road bikes tearing across the playing field and the road', {
    address: '12 Mill Lane, Liverpool',
    postcode: 'L90 3CC',
  }),
  application('LIV-0000-0004', 'Kids on mopeds doing wheelies outside our house every evening', {
    postcode: 'L90 1AA',
  }),
  application('LIV-0000-0005', 'Motorcycles speeding along the back lane, one nearly hit my child', {
    address: 'Flat 2, 9 Church Street',
    postcode: 'L90 4DD',
  }),
  application('LIV-0000-0006', 'Motorbkes and quad bikes racing on the playing field at all hours', {
    postcode: 'L90 5EE',
    address: '4 Field View',
  }),
];
const DOG = application('LIV-0000-0007', 'Dog barking next door all day and night', {
  address: '5 Park Road, Liverpool',
});

describe('suggestLinks', () => {
  it('suggests every account of motorbike nuisance, however phrased, and not the barking dog next door', () => {
    // Act
    const suggestions = suggestLinks(MOTORBIKES, [...PHRASED_DIFFERENTLY, DOG], 20);

    // Assess
    expect(suggestions.map((suggestion) => suggestion.reference).sort()).toEqual(
      PHRASED_DIFFERENTLY.map((candidate) => candidate.reference).sort(),
    );
  });

  it('names the words both accounts share, never a number they both mention', () => {
    // Prepare
    const subject = application('LIV-0000-0011', 'Fireworks thrown at 2 cars, 3 times, 1 of them at night');
    const candidate = application('LIV-0000-0012', 'Fireworks set off by 3 lads near 2 cars, 1 caught fire');

    // Act
    const [suggestion] = suggestLinks(subject, [candidate], 20);

    // Assess
    const text = suggestion?.reasons[0]?.text ?? '';
    expect(text).toContain('“fireworks”');
    expect(text).toContain('“cars”');
    expect(text).not.toMatch(/“\d+”/);
  });

  it('gives its reasons: what happened, place and dates, each with a score', () => {
    // Act
    const [best] = suggestLinks(MOTORBIKES, PHRASED_DIFFERENTLY, 20);

    // Assess
    expect(best?.reference).toBe('LIV-0000-0006');
    expect(best?.reasons.map((reason) => reason.kind)).toEqual(['what-happened', 'place', 'dates']);
    expect(best?.reasons[0]?.text).toMatch(/both mention “motorbikes”.*“racing”/);
    expect(best?.reasons[1]).toMatchObject({
      score: 0.5,
      text: 'The victims live in the same postcode district, L90.',
    });
    expect(best?.reasons[2]).toEqual({
      kind: 'dates',
      score: 1,
      text: 'This case’s incidents happened from 1 February 2026 to 20 February 2026, the other’s on 10 February 2026: the periods overlap.',
    });
  });

  it('ranks by what happened first, then place and dates', () => {
    // Prepare
    const sameStreet = application('LIV-0000-0008', 'Motorbikes racing up and down', {
      address: '9 Park Road, Liverpool',
      postcode: 'L90 9ZZ',
    });
    const farAway = application('LIV-0000-0009', 'Motorbikes racing up and down', {
      postcode: 'L25 1AA',
      days: ['2025-06-01'],
    });

    // Act
    const suggestions = suggestLinks(MOTORBIKES, [farAway, sameStreet], 20);

    // Assess
    expect(suggestions.map((suggestion) => suggestion.reference)).toEqual(['LIV-0000-0008', 'LIV-0000-0009']);
    expect(suggestions[0]?.reasons[1]?.text).toBe('The victims live in the same street, Park Road, L90.');
    expect(suggestions[1]?.reasons[1]).toMatchObject({ score: 0 });
    expect(suggestions[1]?.reasons[1]?.text).toBe(
      'The victims live in different postcode districts, L90 and L25.',
    );
    expect(suggestions[1]?.reasons[2]).toMatchObject({ score: 0 });
    expect(suggestions[1]?.reasons[2]?.text).toContain('245 days apart');
  });

  it("compares a third-party application by the victim's address", () => {
    // Prepare
    const forNeighbour = application('LIV-0000-0010', 'Motorbikes racing past', {
      postcode: 'CH41 1AA',
      address: '1 Far Away Road',
      onBehalfOf: { address: '11 Park Road, Liverpool', postcode: 'l901aa' },
    });

    // Act
    const [suggestion] = suggestLinks(MOTORBIKES, [forNeighbour], 20);

    // Assess
    expect(suggestion?.reasons[1]).toMatchObject({
      score: 1,
      text: 'The victims live in the same postcode, L90 1AA.',
    });
  });

  it('names similar places where the incidents happened', () => {
    // Prepare
    const here = application('LIV-0000-0011', 'Quad bikes racing', {
      postcode: 'L1 1AA',
      location: 'The playing field behind the school',
    });
    const there = application('LIV-0000-0012', 'Motorbikes racing', {
      postcode: 'L2 2BB',
      location: 'school playing field',
    });

    // Act
    const [suggestion] = suggestLinks(here, [there], 20);

    // Assess
    expect(suggestion?.reasons[1]?.score).toBe(0.7);
    expect(suggestion?.reasons[1]?.text).toMatch(/^The incidents happened in similar places: both mention /);
  });

  it('never suggests the case itself, and lists at most the limit, best first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.boolean(), (limit, withItself) => {
        const candidates = [...PHRASED_DIFFERENTLY, DOG, ...(withItself ? [MOTORBIKES] : [])];
        const suggestions = suggestLinks(MOTORBIKES, candidates, limit);
        expect(suggestions.length).toBeLessThanOrEqual(limit);
        expect(suggestions.map((suggestion) => suggestion.reference)).not.toContain(MOTORBIKES.reference);
        const scores = suggestions.map((suggestion) => suggestion.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        for (const score of scores) expect(score).toBeGreaterThan(0);
      }),
    );
  });
});

describe('streetOf', () => {
  it.each([
    ['12 Acacia Avenue, Bootle', 'Acacia Avenue'],
    ['Flat 3, 12 Acacia Avenue, Bootle', 'Acacia Avenue'],
    ['Flat 12, 3 Acacia Avenue', 'Acacia Avenue'],
    ['Rose Cottage\nMill Lane\nFormby', 'Mill Lane'],
    ['Rose Cottage, Formby', 'Rose Cottage'],
    ['12a', undefined],
  ])('finds the street of %j: %s', (address, street) => {
    expect(streetOf(address)).toBe(street);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseSearchTerms, searchTermsOf } from '#core/search-terms.ts';

describe('caseSearchTerms', () => {
  it('indexes each word of the applicant’s and the victim’s names and their postcodes with districts', () => {
    // Act
    const terms = caseSearchTerms({
      applicant: { name: 'Seán  O’Brien-Smith', postcode: 'L20 1AA' },
      onBehalfOf: { name: 'Tom Smith', postcode: 'CH41 5AA' },
    });

    // Assess
    expect(terms).toEqual([
      'name:sean',
      'name:obrien',
      'name:smith',
      'postcode:L201AA',
      'postcode:L20',
      'name:tom',
      'postcode:CH415AA',
      'postcode:CH41',
    ]);
  });

  it('indexes at most four words of a name, and nothing for a victim without a postcode', () => {
    // Act
    const terms = caseSearchTerms({
      applicant: { name: 'Ann Bea Cat Dee Eve', postcode: 'L20 1AA' },
      onBehalfOf: { name: 'Ann' },
    });

    // Assess
    expect(terms).toEqual([
      'name:ann',
      'name:bea',
      'name:cat',
      'name:dee',
      'postcode:L201AA',
      'postcode:L20',
    ]);
  });
});

describe('searchTermsOf', () => {
  it('reads a whole postcode as one term, with or without its space, in any case', () => {
    expect(searchTermsOf('l20 1aa')).toEqual(['postcode:L201AA']);
    expect(searchTermsOf(' L201AA ')).toEqual(['postcode:L201AA']);
  });

  it('reads words as names and a district as a postcode term', () => {
    expect(searchTermsOf('O’Brien l20')).toEqual(['name:obrien', 'postcode:L20']);
    expect(searchTermsOf('SEÁN  sean')).toEqual(['name:sean']);
  });

  it('finds nothing to search in digits, punctuation or single letters', () => {
    expect(searchTermsOf('12 -- x')).toEqual([]);
  });

  it('finds a case by its postcode or any word of its first name, as typed', () => {
    // Prepare: names and postcodes as people type them, and a search for one of them.
    const name = fc.stringMatching(/^[A-Za-zÀ-ÿ’']{2,10}$/).map((first) => `${first} Example-Smith`);
    const postcode = fc
      .tuple(fc.stringMatching(/^[A-Z]{1,2}[0-9]$/), fc.stringMatching(/^[0-9][A-Z]{2}$/))
      .map(([outward, inward]) => `${outward} ${inward}`);

    // Assess
    fc.assert(
      fc.property(name, postcode, fc.boolean(), (applicantName, applicantPostcode, byPostcode) => {
        const indexed = caseSearchTerms({ applicant: { name: applicantName, postcode: applicantPostcode } });
        const typed = byPostcode
          ? applicantPostcode.toLowerCase().replace(' ', '')
          : applicantName.toUpperCase();
        const asked = searchTermsOf(typed);
        return asked.every((term) => indexed.includes(term));
      }),
    );
  });

  it('never fails on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(Array.isArray(searchTermsOf(text))).toBe(true);
      }),
    );
  });
});

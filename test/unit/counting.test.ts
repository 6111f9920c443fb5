import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MERSEYSIDE, UnknownCspError } from '#core/area-config.ts';
import {
  type CaseFacts,
  COUNT_COLUMNS,
  type CountColumn,
  caseCounters,
  caseCounting,
  countChanges,
  PUBLISHED_HEADINGS,
  recountYear,
  rowStatus,
  type SignOff,
  tallyYear,
  zeroCounts,
} from '#core/counting.ts';
import { parseReportingYear } from '#core/reporting-year.ts';

const YEAR = parseReportingYear('2015-16', 'financial');

const notMet = (csp: string, day: number, referred = false): CaseFacts => ({
  csp,
  receivedAt: `2015-06-${String(day).padStart(2, '0')}T10:00:00Z`,
  thresholdDecision: { met: false, at: '2015-07-01T10:00:00Z' },
  referrals: referred ? [{ at: '2015-07-10T10:00:00Z' }] : [],
});

const reviewed = (csp: string, recommendations: number): CaseFacts => ({
  csp,
  receivedAt: '2015-09-01T10:00:00Z',
  thresholdDecision: { met: true, at: '2015-09-10T10:00:00Z' },
  reviewOutcomes: [{ at: '2015-10-01T10:00:00Z', recommendations }],
});

const signOff = (csp: string, at = '2016-05-01T10:00:00Z'): SignOff => ({ csp, year: '2015-16', at });

describe('the published columns', () => {
  it('are the five of the Merseyside report, with their headings', () => {
    // Prepare, Act, Assess
    expect(COUNT_COLUMNS).toEqual([
      'applicationsReceived',
      'thresholdNotMet',
      'caseReviewsCarriedOut',
      'reviewsWithRecommendations',
      'referralsToPcc',
    ]);
    expect(Object.values(PUBLISHED_HEADINGS)).toEqual([
      'Community Trigger applications received',
      'Times the threshold for review was not met',
      'Case reviews carried out',
      'Case reviews that resulted in recommendations being made',
      "Referral to PCC's office",
    ]);
  });
});

describe('caseCounting', () => {
  it('counts a new application as received in the year of receipt', () => {
    // Prepare, Act
    const counting = caseCounting({ csp: 'sefton', receivedAt: '2015-06-01T10:00:00Z' }, 'financial');

    // Assess
    expect(counting).toEqual({
      csp: 'sefton',
      year: '2015-16',
      columns: ['applicationsReceived'],
      changedAt: '2015-06-01T10:00:00.000Z',
    });
  });

  it('attributes later steps to the year the application was received', () => {
    // Prepare
    const facts: CaseFacts = {
      csp: 'sefton',
      receivedAt: '2016-03-20T10:00:00Z',
      thresholdDecision: { met: true, at: '2016-04-05T10:00:00Z' },
      reviewOutcomes: [{ at: '2016-05-05T10:00:00Z', recommendations: 2 }],
      referrals: [{ at: '2016-06-01T10:00:00Z' }],
    };

    // Act
    const counting = caseCounting(facts, 'financial');

    // Assess
    expect(counting.year).toBe('2015-16');
    expect(counting.columns).toEqual([
      'applicationsReceived',
      'caseReviewsCarriedOut',
      'reviewsWithRecommendations',
      'referralsToPcc',
    ]);
    expect(counting.changedAt).toBe('2016-06-01T10:00:00.000Z');
  });

  it('uses the UK date of receipt for the year', () => {
    // Prepare, Act, Assess: 23:30Z on 31 March 2016 is 1 April in London.
    expect(caseCounting({ csp: 'sefton', receivedAt: '2016-03-31T23:30:00Z' }, 'financial').year).toBe(
      '2016-17',
    );
    expect(caseCounting({ csp: 'sefton', receivedAt: '2016-03-31T23:30:00Z' }, 'calendar').year).toBe('2016');
  });

  it('counts an application once per column however many reviews and referrals it had', () => {
    // Prepare
    const facts: CaseFacts = {
      csp: 'wirral',
      receivedAt: '2015-06-01T10:00:00Z',
      thresholdDecision: { met: true, at: '2015-06-10T10:00:00Z' },
      reviewOutcomes: [
        { at: '2015-07-01T10:00:00Z', recommendations: 0 },
        { at: '2015-10-01T10:00:00Z', recommendations: 3 },
      ],
      referrals: [{ at: '2015-07-10T10:00:00Z' }, { at: '2015-10-10T10:00:00Z' }],
    };

    // Act
    const columns = caseCounting(facts, 'financial').columns;

    // Assess
    expect(columns).toEqual([...COUNT_COLUMNS].filter((column) => column !== 'thresholdNotMet'));
  });

  it('counts a "not met" decision overturned and reviewed as a review, not as not met', () => {
    // Prepare: not met, referred, referred back by the PCC, then reviewed.
    const facts: CaseFacts = {
      ...notMet('sefton', 1, true),
      reviewOutcomes: [{ at: '2015-09-01T10:00:00Z', recommendations: 0 }],
    };

    // Act, Assess
    expect(caseCounting(facts, 'financial').columns).toEqual([
      'applicationsReceived',
      'caseReviewsCarriedOut',
      'referralsToPcc',
    ]);
  });

  it('keeps a withdrawn application in received and the columns it had reached only', () => {
    // Prepare
    const withdrawnEarly: CaseFacts = {
      csp: 'sefton',
      receivedAt: '2015-06-01T10:00:00Z',
      withdrawnAt: '2015-06-02T10:00:00Z',
    };
    const withdrawnAfterDecision: CaseFacts = { ...notMet('sefton', 1), withdrawnAt: '2015-07-02T10:00:00Z' };
    const stepsAfterWithdrawal: CaseFacts = {
      ...reviewed('sefton', 1),
      withdrawnAt: '2015-09-20T10:00:00Z',
      referrals: [{ at: '2015-10-10T10:00:00Z' }],
    };

    // Act, Assess
    expect(caseCounting(withdrawnEarly, 'financial').columns).toEqual(['applicationsReceived']);
    expect(caseCounting(withdrawnAfterDecision, 'financial').columns).toEqual([
      'applicationsReceived',
      'thresholdNotMet',
    ]);
    expect(caseCounting(stepsAfterWithdrawal, 'financial').columns).toEqual(['applicationsReceived']);
  });

  it('takes the change time of receipt from when the application was entered', () => {
    // Prepare: a 2015 letter entered in the service in 2016.
    const facts: CaseFacts = {
      csp: 'sefton',
      receivedAt: '2015-06-01T10:00:00Z',
      recordedAt: '2016-06-01T10:00:00Z',
    };

    // Act
    const counting = caseCounting(facts, 'financial');

    // Assess
    expect(counting.year).toBe('2015-16');
    expect(counting.changedAt).toBe('2016-06-01T10:00:00.000Z');
  });
});

describe('caseCounters', () => {
  it('counts an application withdrawn before a "not met" decision or a review as withdrawn before either', () => {
    // Prepare
    const received: CaseFacts = { csp: 'sefton', receivedAt: '2015-06-01T10:00:00Z' };
    const withdrawnAtOnce: CaseFacts = { ...received, withdrawnAt: '2015-06-02T10:00:00Z' };
    const withdrawnAfterMet: CaseFacts = {
      ...received,
      thresholdDecision: { met: true, at: '2015-06-10T10:00:00Z' },
      referrals: [],
      withdrawnAt: '2015-06-20T10:00:00Z',
    };
    const withdrawnAfterNotMet: CaseFacts = { ...notMet('sefton', 1), withdrawnAt: '2015-07-02T10:00:00Z' };
    const withdrawnAfterReview: CaseFacts = { ...reviewed('sefton', 0), withdrawnAt: '2015-12-01T10:00:00Z' };

    // Act, Assess
    expect(caseCounters(received, 'financial')).toEqual(['applicationsReceived']);
    expect(caseCounters(withdrawnAtOnce, 'financial')).toEqual([
      'applicationsReceived',
      'withdrawnBeforeEither',
    ]);
    expect(caseCounters(withdrawnAfterMet, 'financial')).toEqual([
      'applicationsReceived',
      'withdrawnBeforeEither',
    ]);
    expect(caseCounters(withdrawnAfterNotMet, 'financial')).toEqual([
      'applicationsReceived',
      'thresholdNotMet',
    ]);
    expect(caseCounters(withdrawnAfterReview, 'financial')).toEqual([
      'applicationsReceived',
      'caseReviewsCarriedOut',
    ]);
  });

  it('never changes when a published count last changed: a withdrawal alone publishes nothing', () => {
    // Prepare
    const received: CaseFacts = { csp: 'sefton', receivedAt: '2015-06-01T10:00:00Z' };

    // Act
    const withdrawn = caseCounting({ ...received, withdrawnAt: '2015-08-01T10:00:00Z' }, 'financial');

    // Assess
    expect(withdrawn.changedAt).toBe(caseCounting(received, 'financial').changedAt);
  });
});

describe('countChanges', () => {
  it('adds a new case to received', () => {
    // Prepare, Act, Assess
    expect(countChanges(null, { csp: 'sefton', receivedAt: '2015-06-01T10:00:00Z' }, 'financial')).toEqual([
      { csp: 'sefton', year: '2015-16', column: 'applicationsReceived', delta: 1 },
    ]);
  });

  it('moves a case from not met to reviewed when an overturned decision leads to a review', () => {
    // Prepare
    const before = notMet('sefton', 1, true);
    const after: CaseFacts = {
      ...before,
      reviewOutcomes: [{ at: '2015-09-01T10:00:00Z', recommendations: 1 }],
    };

    // Act
    const changes = countChanges(before, after, 'financial');

    // Assess
    expect(changes).toEqual(
      expect.arrayContaining([
        { csp: 'sefton', year: '2015-16', column: 'thresholdNotMet', delta: -1 },
        { csp: 'sefton', year: '2015-16', column: 'caseReviewsCarriedOut', delta: 1 },
        { csp: 'sefton', year: '2015-16', column: 'reviewsWithRecommendations', delta: 1 },
      ]),
    );
    expect(changes).toHaveLength(3);
  });

  it('counts a withdrawal before either decision in withdrawnBeforeEither only', () => {
    // Prepare
    const before: CaseFacts = { csp: 'sefton', receivedAt: '2015-06-01T10:00:00Z' };

    // Act, Assess
    expect(countChanges(before, { ...before, withdrawnAt: '2015-06-05T10:00:00Z' }, 'financial')).toEqual([
      { csp: 'sefton', year: '2015-16', column: 'withdrawnBeforeEither', delta: 1 },
    ]);
  });

  it('changes nothing for a step that adds no column', () => {
    // Prepare
    const before = reviewed('sefton', 0);
    const after: CaseFacts = { ...before, withdrawnAt: '2015-12-01T10:00:00Z' };

    // Act, Assess
    expect(countChanges(before, after, 'financial')).toEqual([]);
  });
});

describe('rowStatus', () => {
  it('follows the contract: signed off, provisional, not available', () => {
    // Prepare, Act, Assess
    expect(rowStatus({ hasCases: true, signedOff: true })).toBe('confirmed');
    expect(rowStatus({ hasCases: false, signedOff: true })).toBe('confirmed');
    expect(rowStatus({ hasCases: true, signedOff: false })).toBe('provisional');
    expect(rowStatus({ hasCases: false, signedOff: false })).toBe('not-available');
  });
});

describe('recountYear', () => {
  it('reproduces the published Merseyside 2015/16 rows', () => {
    // Prepare: Sefton 15 / 13 / 2 / 0 / 1, St Helens 2 / 2 / 0 / 0 / 0, Knowsley and Liverpool all 0,
    // Wirral not available.
    const cases: CaseFacts[] = [
      ...Array.from({ length: 13 }, (_, index) => notMet('sefton', index + 1, index === 0)),
      reviewed('sefton', 0),
      reviewed('sefton', 0),
      notMet('st-helens', 3),
      notMet('st-helens', 4),
      { csp: 'sefton', receivedAt: '2016-06-01T10:00:00Z' },
    ];
    const signOffs = ['knowsley', 'liverpool', 'sefton', 'st-helens'].map((csp) => signOff(csp));

    // Act
    const table = recountYear(MERSEYSIDE, YEAR, cases, signOffs);

    // Assess
    const published = table.rows.map((row) => [
      row.csp,
      row.status,
      ...COUNT_COLUMNS.map((column) => row[column]),
    ]);
    expect(published).toEqual([
      ['knowsley', 'confirmed', 0, 0, 0, 0, 0],
      ['liverpool', 'confirmed', 0, 0, 0, 0, 0],
      ['sefton', 'confirmed', 15, 13, 2, 0, 1],
      ['st-helens', 'confirmed', 2, 2, 0, 0, 0],
      ['wirral', 'not-available', null, null, null, null, null],
    ]);
    expect(table).toMatchObject({
      pccArea: 'merseyside',
      year: '2015-16',
      from: '2015-04-01',
      to: '2016-03-31',
    });
    expect(table.total).toEqual({
      applicationsReceived: 17,
      thresholdNotMet: 15,
      caseReviewsCarriedOut: 2,
      reviewsWithRecommendations: 0,
      referralsToPcc: 1,
    });
    expect(table.rows[4]).toMatchObject({ name: 'Wirral', available: false, signedOffAt: null });
  });

  it('shows a CSP with cases but no sign-off as provisional', () => {
    // Prepare, Act
    const table = recountYear(MERSEYSIDE, YEAR, [reviewed('wirral', 2)], []);

    // Assess
    expect(table.rows.find((row) => row.csp === 'wirral')).toMatchObject({
      status: 'provisional',
      available: true,
      applicationsReceived: 1,
      reviewsWithRecommendations: 1,
      signedOffAt: null,
      changedAfterSignOff: false,
    });
  });

  it('shows when a signed-off row changed afterwards', () => {
    // Prepare: a 2015 letter entered after Sefton signed off 2015-16.
    const before = [reviewed('sefton', 0)];
    const after = [
      ...before,
      { csp: 'sefton', receivedAt: '2015-06-01T10:00:00Z', recordedAt: '2016-06-01T10:00:00Z' },
    ];

    // Act
    const rowBefore = recountYear(MERSEYSIDE, YEAR, before, [signOff('sefton')]).rows[2];
    const rowAfter = recountYear(MERSEYSIDE, YEAR, after, [signOff('sefton')]).rows[2];

    // Assess
    expect(rowBefore).toMatchObject({
      status: 'confirmed',
      changedAfterSignOff: false,
      signedOffAt: '2016-05-01T10:00:00.000Z',
    });
    expect(rowAfter).toMatchObject({
      status: 'confirmed',
      changedAfterSignOff: true,
      applicationsReceived: 2,
    });
  });

  it('ignores sign-offs of other years and takes the latest sign-off', () => {
    // Prepare
    const signOffs: SignOff[] = [
      { csp: 'wirral', year: '2014-15', at: '2015-05-01T10:00:00Z' },
      signOff('sefton', '2016-05-01T10:00:00Z'),
      signOff('sefton', '2016-07-01T10:00:00Z'),
    ];

    // Act
    const table = recountYear(MERSEYSIDE, YEAR, [], signOffs);

    // Assess
    expect(table.rows[4]?.status).toBe('not-available');
    expect(table.rows[2]?.signedOffAt).toBe('2016-07-01T10:00:00.000Z');
    expect(table.total).toEqual(zeroCounts());
  });

  it('refuses cases or sign-offs of a CSP the area does not have', () => {
    // Prepare, Act, Assess
    expect(() => recountYear(MERSEYSIDE, YEAR, [reviewed('halton', 0)], [])).toThrow(UnknownCspError);
    expect(() => recountYear(MERSEYSIDE, YEAR, [], [signOff('halton')])).toThrow(UnknownCspError);
  });
});

// Random case histories, told in order, every step a few days after the previous one.
const MS_PER_DAY = 86_400_000;
const cspIds = MERSEYSIDE.csps.map((csp) => csp.id);
const caseFacts: fc.Arbitrary<CaseFacts> = fc
  .record({
    csp: fc.constantFrom(...cspIds),
    received: fc.integer({
      min: Date.parse('2014-10-20T00:00:00Z'),
      max: Date.parse('2018-03-31T00:00:00Z'),
    }),
    decision: fc.option(fc.record({ met: fc.boolean(), after: fc.integer({ min: 1, max: 30 }) }), {
      nil: undefined,
    }),
    reviews: fc.array(fc.record({ after: fc.integer({ min: 1, max: 60 }), recommendations: fc.nat(3) }), {
      maxLength: 2,
    }),
    referrals: fc.array(fc.integer({ min: 1, max: 90 }), { maxLength: 2 }),
    withdrawnAfter: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
  })
  .map(({ csp, received, decision, reviews, referrals, withdrawnAfter }) => {
    const at = (days: number) => new Date(received + days * MS_PER_DAY).toISOString();
    const decidedAfter = decision?.after ?? 0;
    return {
      csp,
      receivedAt: new Date(received).toISOString(),
      thresholdDecision: decision === undefined ? null : { met: decision.met, at: at(decision.after) },
      reviewOutcomes:
        decision === undefined
          ? []
          : reviews.map((review) => ({
              at: at(decidedAfter + review.after),
              recommendations: review.recommendations,
            })),
      referrals: decision === undefined ? [] : referrals.map((after) => ({ at: at(decidedAfter + after) })),
      withdrawnAt: withdrawnAfter === undefined ? null : at(withdrawnAfter),
    };
  });

const yearsCovered = ['2014-15', '2015-16', '2016-17', '2017-18'].map((label) =>
  parseReportingYear(label, 'financial'),
);

describe('counting properties', () => {
  it('every available row adds up: received >= not met + reviews, reviews >= with recommendations', () => {
    fc.assert(
      fc.property(fc.array(caseFacts, { maxLength: 30 }), fc.constantFrom(...yearsCovered), (cases, year) => {
        // Act
        const table = recountYear(MERSEYSIDE, year, cases, []);

        // Assess
        // The total is null, not 0, in a year where no row is available (contract.md, Statistics).
        const available = table.rows.filter((r) => r.available);
        for (const row of [...available, ...(available.length > 0 ? [table.total] : [])]) {
          const counts = row as Record<CountColumn, number>;
          expect(counts.applicationsReceived).toBeGreaterThanOrEqual(
            counts.thresholdNotMet + counts.caseReviewsCarriedOut,
          );
          expect(counts.caseReviewsCarriedOut).toBeGreaterThanOrEqual(counts.reviewsWithRecommendations);
          expect(counts.applicationsReceived).toBeGreaterThanOrEqual(counts.referralsToPcc);
        }
      }),
    );
  });

  it('counts every case in exactly one year, once in received', () => {
    fc.assert(
      fc.property(fc.array(caseFacts, { maxLength: 30 }), (cases) => {
        // Act
        const received = yearsCovered.reduce(
          (sum, year) => sum + (recountYear(MERSEYSIDE, year, cases, []).total.applicationsReceived ?? 0),
          0,
        );

        // Assess
        expect(received).toBe(cases.length);
      }),
    );
  });

  it('does not depend on the order of the cases', () => {
    fc.assert(
      fc.property(
        fc
          .array(caseFacts, { maxLength: 30 })
          .chain((cases) =>
            fc.tuple(fc.constant(cases), fc.shuffledSubarray(cases, { minLength: cases.length })),
          ),
        fc.constantFrom(...yearsCovered),
        ([cases, shuffled], year) => {
          // Act, Assess
          expect(recountYear(MERSEYSIDE, year, shuffled, [])).toEqual(
            recountYear(MERSEYSIDE, year, cases, []),
          );
        },
      ),
    );
  });

  it('keeps counters equal to a recount when built from the changes of each step', () => {
    fc.assert(
      fc.property(caseFacts, (facts) => {
        // Prepare: the same case as it stood after each step.
        const steps: CaseFacts[] = [
          { csp: facts.csp, receivedAt: facts.receivedAt },
          { csp: facts.csp, receivedAt: facts.receivedAt, thresholdDecision: facts.thresholdDecision },
          { ...facts, withdrawnAt: null, referrals: [] },
          { ...facts, withdrawnAt: null },
          facts,
        ];
        const counters = new Map<string, number>();

        // Act
        steps.forEach((step, index) => {
          for (const change of countChanges(steps[index - 1] ?? null, step, 'financial')) {
            const key = `${change.csp}|${change.year}|${change.column}`;
            counters.set(key, (counters.get(key) ?? 0) + change.delta);
          }
        });

        // Assess
        const year = parseReportingYear(caseCounting(facts, 'financial').year, 'financial');
        const tally = tallyYear([facts], year).get(facts.csp);
        for (const column of COUNT_COLUMNS) {
          expect(counters.get(`${facts.csp}|${year.label}|${column}`) ?? 0).toBe(tally?.counts[column]);
        }
        expect(counters.get(`${facts.csp}|${year.label}|withdrawnBeforeEither`) ?? 0).toBe(
          tally?.counts.withdrawnBeforeEither,
        );
      }),
    );
  });

  it('gives as in progress exactly the applications not withdrawn, not decided "not met" and not reviewed', () => {
    fc.assert(
      fc.property(fc.array(caseFacts, { maxLength: 30 }), fc.constantFrom(...yearsCovered), (cases, year) => {
        // Act
        const table = recountYear(MERSEYSIDE, year, cases, []);

        // Assess
        for (const row of table.rows) {
          const ofRow = cases.filter((facts) => {
            const counting = caseCounting(facts, 'financial');
            return counting.csp === row.csp && counting.year === year.label;
          });
          const open = ofRow.filter((facts) => {
            const columns = caseCounting(facts, 'financial').columns;
            return (
              facts.withdrawnAt == null &&
              !columns.includes('thresholdNotMet') &&
              !columns.includes('caseReviewsCarriedOut')
            );
          });
          expect(row.inProgress).toBe(row.available ? open.length : null);
        }
        const available = table.rows.filter((row) => row.available);
        expect(table.totalInProgress).toBe(
          available.length === 0 ? null : available.reduce((sum, row) => sum + (row.inProgress ?? 0), 0),
        );
      }),
    );
  });
});

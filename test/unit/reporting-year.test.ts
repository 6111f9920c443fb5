import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReportingYearKind } from '#core/area-config.ts';
import { ukDateOf } from '#core/local-date.ts';
import {
  currentReportingYear,
  endedReportingYears,
  InvalidReportingYearError,
  nextReportingYear,
  parseReportingYear,
  previousReportingYear,
  reportingYearContains,
  reportingYearOf,
  reportingYearOfDate,
  reportingYearStarting,
  reportingYearsBetween,
  returnYearRefusal,
} from '#core/reporting-year.ts';

const kinds = fc.constantFrom<ReportingYearKind>('financial', 'calendar');
const instants = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2090-12-31T23:59:59Z'),
  noInvalidDate: true,
});

describe('financial reporting years', () => {
  it('run from 1 April to 31 March and are written 2015-16', () => {
    // Prepare, Act
    const year = parseReportingYear('2015-16', 'financial');

    // Assess
    expect(year).toEqual({
      kind: 'financial',
      label: '2015-16',
      startYear: 2015,
      from: '2015-04-01',
      to: '2016-03-31',
    });
  });

  it('put an instant in the year of its UK date', () => {
    // Prepare, Act, Assess: 23:30Z on 31 March 2016 is 00:30 BST on 1 April.
    expect(reportingYearOf('2016-03-31T22:59:59.999Z', 'financial').label).toBe('2015-16');
    expect(reportingYearOf('2016-03-31T23:30:00Z', 'financial').label).toBe('2016-17');
    expect(reportingYearOf('2015-06-01T10:00:00Z', 'financial').label).toBe('2015-16');
    expect(reportingYearOf('2016-01-15T10:00:00Z', 'financial').label).toBe('2015-16');
  });

  it('write the turn of the century as 1999-00', () => {
    // Prepare, Act, Assess
    expect(parseReportingYear('1999-00', 'financial').to).toBe('2000-03-31');
    expect(reportingYearStarting('financial', 2009).label).toBe('2009-10');
  });
});

describe('calendar reporting years', () => {
  it('run from 1 January to 31 December and are written 2015', () => {
    // Prepare, Act, Assess
    expect(parseReportingYear('2015', 'calendar')).toEqual({
      kind: 'calendar',
      label: '2015',
      startYear: 2015,
      from: '2015-01-01',
      to: '2015-12-31',
    });
    expect(reportingYearOf('2015-12-31T23:30:00Z', 'calendar').label).toBe('2015');
    expect(reportingYearOfDate('2016-03-31', 'calendar').label).toBe('2016');
  });
});

describe('parseReportingYear', () => {
  it.each([
    ['2015-17', 'financial'],
    ['2015/16', 'financial'],
    ['15-16', 'financial'],
    ['2015-2016', 'financial'],
    [' 2015-16', 'financial'],
    ['2015', 'financial'],
    ['2015-16', 'calendar'],
    ['15', 'calendar'],
    ['0999', 'calendar'],
    ['', 'calendar'],
  ] as const)('refuses %j for a %s area', (label, kind) => {
    // Prepare, Act, Assess
    expect(() => parseReportingYear(label, kind)).toThrow(InvalidReportingYearError);
  });

  it('refuses a non-string and says what form is expected', () => {
    // Prepare, Act, Assess
    expect(() => parseReportingYear(2015, 'calendar')).toThrow(InvalidReportingYearError);
    expect(() => parseReportingYear('2015-17', 'financial')).toThrow(/YYYY-YY.*2015-16/);
    expect(() => parseReportingYear('2015-16', 'calendar')).toThrow(/YYYY, such as 2015/);
  });
});

describe('moving between years', () => {
  it('gives the current year from the clock passed in', () => {
    // Prepare, Act, Assess
    expect(currentReportingYear(new Date('2016-04-01T10:00:00Z'), 'financial').label).toBe('2016-17');
  });

  it('steps forward and back and lists a span, oldest first', () => {
    // Prepare
    const first = parseReportingYear('2014-15', 'financial');
    const last = parseReportingYear('2016-17', 'financial');

    // Act, Assess
    expect(nextReportingYear(first).label).toBe('2015-16');
    expect(previousReportingYear(first).label).toBe('2013-14');
    expect(reportingYearsBetween(first, last).map((year) => year.label)).toEqual([
      '2014-15',
      '2015-16',
      '2016-17',
    ]);
    expect(reportingYearsBetween(last, first)).toEqual([]);
    expect(() => reportingYearsBetween(first, parseReportingYear('2016', 'calendar'))).toThrow(
      InvalidReportingYearError,
    );
  });
});

describe('which years can have an annual return', () => {
  it.each([
    ['1900-01', 'financial', '2016-05-01T10:00:00Z', 'before-the-scheme'],
    ['2013-14', 'financial', '2016-05-01T10:00:00Z', 'before-the-scheme'],
    ['2013', 'calendar', '2016-05-01T10:00:00Z', 'before-the-scheme'],
    ['2014-15', 'financial', '2016-05-01T10:00:00Z', undefined],
    ['2014', 'calendar', '2016-05-01T10:00:00Z', undefined],
    ['2015-16', 'financial', '2016-03-31T22:59:59Z', 'not-ended'],
    ['2015-16', 'financial', '2016-03-31T23:00:00Z', undefined],
    ['2016', 'calendar', '2016-12-15T10:00:00Z', 'not-ended'],
    ['2017-18', 'financial', '2016-05-01T10:00:00Z', 'not-ended'],
  ] as const)('%s (%s) as at %s: %s', (label, kind, now, refusal) => {
    // Prepare
    const year = parseReportingYear(label, kind);

    // Act, Assess
    expect(returnYearRefusal(year, new Date(now))).toBe(refusal);
  });

  it('offers the latest ended years, never one before the scheme', () => {
    // Act, Assess
    expect(endedReportingYears(new Date('2016-12-15T10:00:00Z'), 'financial', 2).map((y) => y.label)).toEqual(
      ['2015-16', '2014-15'],
    );
    expect(endedReportingYears(new Date('2015-05-01T10:00:00Z'), 'financial', 2).map((y) => y.label)).toEqual(
      ['2014-15'],
    );
    expect(endedReportingYears(new Date('2016-12-15T10:00:00Z'), 'calendar', 2).map((y) => y.label)).toEqual([
      '2015',
      '2014',
    ]);
  });
});

describe('reporting year properties', () => {
  it('put every instant in exactly one year, whose dates contain it', () => {
    fc.assert(
      fc.property(instants, kinds, (instant, kind) => {
        // Prepare
        const date = ukDateOf(instant);

        // Act
        const year = reportingYearOf(instant, kind);

        // Assess
        expect(year.from <= date && date <= year.to).toBe(true);
        expect(reportingYearContains(year, date)).toBe(true);
        expect(reportingYearContains(previousReportingYear(year), date)).toBe(false);
        expect(reportingYearContains(nextReportingYear(year), date)).toBe(false);
      }),
    );
  });

  it('read back every label they write, and years tile without gaps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9997 }), kinds, (startYear, kind) => {
        // Act
        const year = reportingYearStarting(kind, startYear);
        const next = nextReportingYear(year);

        // Assess
        expect(parseReportingYear(year.label, kind)).toEqual(year);
        expect(reportingYearOfDate(year.from, kind)).toEqual(year);
        expect(reportingYearOfDate(year.to, kind)).toEqual(year);
        expect(next.from > year.to).toBe(true);
        expect(reportingYearOfDate(next.from, kind)).toEqual(next);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BankHolidaysNotCoveredError, isBankHoliday } from '#core/bank-holidays.ts';
import {
  addDays,
  daysBetween,
  endOfUkDay,
  InvalidLocalDateError,
  isWeekend,
  ukDateOf,
} from '#core/local-date.ts';
import {
  addWorkingDays,
  InvalidWorkingDayCountError,
  isWorkingDay,
  workingDayDeadline,
  workingDaysBetween,
} from '#core/working-days.ts';

// From the committed list's first year on, across its end (2030) into the computed years.
const FIRST = '2014-01-01';
const LAST = '2040-12-31';
const dates = fc.integer({ min: 0, max: daysBetween(FIRST, LAST) }).map((offset) => addDays(FIRST, offset));
const counts = fc.integer({ min: 0, max: 40 });

describe('isWorkingDay', () => {
  it('is Monday to Friday except bank holidays', () => {
    // Prepare, Act, Assess
    expect(isWorkingDay('2015-06-01')).toBe(true);
    expect(isWorkingDay('2015-06-06')).toBe(false);
    expect(isWorkingDay('2015-06-07')).toBe(false);
    expect(isWorkingDay('2015-04-03')).toBe(false);
    expect(isWorkingDay('2021-12-28')).toBe(false);
  });

  it('counts after the committed list with the computed bank holidays', () => {
    // Prepare, Act, Assess
    expect(isWorkingDay('2031-01-01')).toBe(false);
    expect(isWorkingDay('2031-01-02')).toBe(true);
    expect(isWorkingDay('2031-01-04')).toBe(false);
  });

  it('throws before the bank holiday data, even for a weekend', () => {
    // Prepare, Act, Assess
    expect(() => isWorkingDay('2013-06-01')).toThrow(BankHolidaysNotCoveredError);
    expect(() => isWorkingDay('2013-06-03')).toThrow(BankHolidaysNotCoveredError);
    expect(() => isWorkingDay('03/06/2015')).toThrow(InvalidLocalDateError);
  });
});

describe('addWorkingDays', () => {
  it('never counts the start day', () => {
    // Prepare, Act, Assess
    expect(addWorkingDays('2015-06-01', 1)).toBe('2015-06-02');
    expect(addWorkingDays('2015-06-05', 1)).toBe('2015-06-08');
    expect(addWorkingDays('2015-06-06', 1)).toBe('2015-06-08');
    expect(addWorkingDays('2015-06-01', 0)).toBe('2015-06-01');
  });

  it('skips bank holidays and their substitute days', () => {
    // Prepare, Act, Assess: 25 Dec 2015 Fri, 28 Dec Mon (Boxing Day substitute).
    expect(addWorkingDays('2015-12-24', 1)).toBe('2015-12-29');
    // Maundy Thursday 2015 + 1: Good Friday and Easter Monday are skipped.
    expect(addWorkingDays('2015-04-02', 1)).toBe('2015-04-07');
    expect(addWorkingDays('2021-12-24', 1)).toBe('2021-12-29');
  });

  it('counts ten working days from Monday 1 June 2015 to Monday 15 June', () => {
    // Prepare, Act, Assess
    expect(addWorkingDays('2015-06-01', 10)).toBe('2015-06-15');
  });

  it('throws on a negative or fractional count', () => {
    // Prepare, Act, Assess
    expect(() => addWorkingDays('2015-06-01', -1)).toThrow(InvalidWorkingDayCountError);
    expect(() => addWorkingDays('2015-06-01', 1.5)).toThrow(InvalidWorkingDayCountError);
    expect(() => addWorkingDays('2015-06-01', Number.NaN)).toThrow(InvalidWorkingDayCountError);
  });

  it('counts on from the end of the committed list into the computed year', () => {
    // Prepare, Act, Assess: Christmas, Boxing Day 2030 and New Year’s Day 2031 are skipped.
    expect(addWorkingDays('2030-12-20', 10)).toBe('2031-01-08');
    expect(workingDaysBetween('2030-12-20', '2031-01-08')).toBe(10);
  });

  it('lands on a working day, never a weekend or bank holiday (property)', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 40 }), (start, n) => {
        // Act
        const end = addWorkingDays(start, n);

        // Assess
        expect(isWorkingDay(end)).toBe(true);
        expect(isWeekend(end)).toBe(false);
        expect(isBankHoliday(end)).toBe(false);
        expect(end > start).toBe(true);
      }),
    );
  });

  it('is monotonic in the count and in the start date (property)', () => {
    fc.assert(
      fc.property(dates, dates, counts, counts, (a, b, n, m) => {
        // Prepare
        const [early, late] = a <= b ? [a, b] : [b, a];
        const [few, many] = n <= m ? [n, m] : [m, n];

        // Act, Assess
        expect(addWorkingDays(early, few) <= addWorkingDays(early, many)).toBe(true);
        if (few < many) expect(addWorkingDays(early, few) < addWorkingDays(early, many)).toBe(true);
        expect(addWorkingDays(early, few) <= addWorkingDays(late, few)).toBe(true);
      }),
    );
  });

  it('is inverted by workingDaysBetween (property)', () => {
    fc.assert(
      fc.property(dates, counts, (start, n) => {
        // Act
        const end = addWorkingDays(start, n);

        // Assess
        expect(workingDaysBetween(start, end)).toBe(n);
        expect(workingDaysBetween(end, start)).toBe(0 - n);
      }),
    );
  });

  it('reaches the first day by which n working days have passed (property)', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 40 }), (start, n) => {
        // Act
        const end = addWorkingDays(start, n);

        // Assess
        expect(workingDaysBetween(start, addDays(end, -1))).toBe(n - 1);
      }),
    );
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after the first date up to and including the second', () => {
    // Prepare, Act, Assess
    expect(workingDaysBetween('2015-12-24', '2015-12-29')).toBe(1);
    expect(workingDaysBetween('2015-06-01', '2015-06-01')).toBe(0);
    expect(workingDaysBetween('2015-06-05', '2015-06-07')).toBe(0);
    expect(workingDaysBetween('2015-06-01', '2015-06-15')).toBe(10);
    expect(workingDaysBetween('2015-06-15', '2015-06-01')).toBe(-10);
    expect(Object.is(workingDaysBetween('2015-06-07', '2015-06-06'), 0)).toBe(true);
  });

  it('counts a whole year: 2015 had 253 working days', () => {
    // Prepare, Act, Assess: 261 weekdays less 8 bank holidays.
    expect(workingDaysBetween('2014-12-31', '2015-12-31')).toBe(253);
  });
});

describe('workingDayDeadline', () => {
  it('ends at 23:59:59.999 UK time on the Nth working day, in summer time', () => {
    // Prepare, Act, Assess
    expect(workingDayDeadline('2015-06-01T10:00:00Z', 10).toISOString()).toBe('2015-06-15T22:59:59.999Z');
  });

  it('ends at 23:59:59.999 UK time on the Nth working day, in winter time', () => {
    // Prepare, Act, Assess
    expect(workingDayDeadline('2015-12-01T10:00:00Z', 2).toISOString()).toBe('2015-12-03T23:59:59.999Z');
  });

  it('counts from the UK date of receipt, not the UTC date', () => {
    // Prepare: 23:30Z on Thursday 4 June 2015 is 00:30 BST on Friday 5 June.
    const receivedAt = '2015-06-04T23:30:00Z';

    // Act, Assess
    expect(workingDayDeadline(receivedAt, 1).toISOString()).toBe('2015-06-08T22:59:59.999Z');
  });

  it('takes the offset of the deadline day across a clock change', () => {
    // Prepare, Act, Assess
    expect(workingDayDeadline('2015-10-23T12:00:00Z', 1).toISOString()).toBe('2015-10-26T23:59:59.999Z');
    expect(workingDayDeadline('2015-03-27T12:00:00Z', 1).toISOString()).toBe('2015-03-30T22:59:59.999Z');
  });

  it('is the end of the UK day that addWorkingDays reaches (property)', () => {
    const instants = dates.chain((date) =>
      fc.integer({ min: 0, max: 86_399_999 }).map((ms) => new Date(Date.parse(`${date}T00:00:00Z`) + ms)),
    );
    fc.assert(
      fc.property(instants, counts, (receivedAt, n) => {
        // Act
        const deadline = workingDayDeadline(receivedAt, n);

        // Assess
        const day = addWorkingDays(ukDateOf(receivedAt), n);
        expect(deadline.getTime()).toBe(endOfUkDay(day).getTime());
        expect(ukDateOf(deadline)).toBe(day);
        expect(ukDateOf(new Date(deadline.getTime() + 1))).toBe(addDays(day, 1));
      }),
    );
  });
});

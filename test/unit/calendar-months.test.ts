import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarMonths, formatUkDate, lastDayOfPeriod } from '#core/calendar-months.ts';
import { addDays, daysBetween, InvalidLocalDateError } from '#core/local-date.ts';

describe('addCalendarMonths', () => {
  it.each([
    ['2015-05-03', 1, '2015-06-03'],
    ['2015-01-31', 1, '2015-02-28'],
    ['2016-01-31', 1, '2016-02-29'],
    ['2015-08-31', 6, '2016-02-29'],
    ['2014-08-31', 6, '2015-02-28'],
    ['2015-03-31', 1, '2015-04-30'],
    ['2015-12-15', 1, '2016-01-15'],
    ['2015-11-30', 3, '2016-02-29'],
    ['2015-03-31', -1, '2015-02-28'],
    ['2015-01-15', -6, '2014-07-15'],
    ['2016-02-29', 12, '2017-02-28'],
  ])('%s plus %i months is %s', (date, months, expected) => {
    expect(addCalendarMonths(date, months)).toBe(expected);
  });

  it('refuses a date that does not exist', () => {
    expect(() => addCalendarMonths('2015-02-30', 1)).toThrow(InvalidLocalDateError);
  });
});

describe('lastDayOfPeriod', () => {
  it.each([
    // s.104's examples as domain.md gives them.
    ['2015-01-15', 1, '2015-02-14'],
    ['2014-10-10', 6, '2015-04-09'],
    // No 31 February: the period ends on the last day of February.
    ['2015-01-31', 1, '2015-02-28'],
    ['2016-01-31', 1, '2016-02-29'],
    // 30 January: no 30 February in any year.
    ['2015-01-30', 1, '2015-02-28'],
    ['2016-01-30', 1, '2016-02-29'],
    // 29 January: 29 February exists only in a leap year.
    ['2015-01-29', 1, '2015-02-28'],
    ['2016-01-29', 1, '2016-02-28'],
    // Periods beginning on 29 February.
    ['2016-02-29', 1, '2016-03-28'],
    ['2016-02-29', 6, '2016-08-28'],
    ['2016-02-29', 12, '2017-02-28'],
    ['2016-02-29', 48, '2020-02-28'],
    // Month ends and the turn of the year.
    ['2015-08-31', 6, '2016-02-29'],
    ['2014-08-31', 6, '2015-02-28'],
    ['2015-03-31', 1, '2015-04-30'],
    ['2015-04-30', 1, '2015-05-29'],
    ['2015-12-01', 1, '2015-12-31'],
    ['2015-12-15', 1, '2016-01-14'],
    ['2014-12-01', 6, '2015-05-31'],
    ['2015-11-30', 3, '2016-02-29'],
  ])('the period of months beginning with %s, %i long, ends on %s', (start, months, expected) => {
    expect(lastDayOfPeriod(start, months)).toBe(expected);
  });

  it('refuses a date that does not exist', () => {
    expect(() => lastDayOfPeriod('2015-02-29', 1)).toThrow(InvalidLocalDateError);
  });

  // Days from 2011 to 2021: three leap years, and every month end many times.
  const day = fc
    .integer({ min: 0, max: daysBetween('2011-01-01', '2021-12-31') })
    .map((days) => addDays('2011-01-01', days));
  const monthEndOrNear = fc
    .tuple(
      fc.integer({ min: 2011, max: 2021 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 0, max: 3 }),
    )
    .map(([year, month, back]) => addDays(`${year}-${String(month).padStart(2, '0')}-01`, -back));
  const start = fc.oneof(day, monthEndOrNear);
  const months = fc.integer({ min: 1, max: 12 });

  it('ends the day before the same date months later, or on the last day of a month without it', () => {
    fc.assert(
      fc.property(start, months, (from, length) => {
        const end = lastDayOfPeriod(from, length);
        const sameDate = addCalendarMonths(from, length);
        const dateExists = sameDate.slice(8) === from.slice(8);
        if (dateExists) expect(addDays(end, 1)).toBe(sameDate);
        else {
          expect(end).toBe(sameDate);
          // The last day of its month: the next day is the first of a month.
          expect(addDays(end, 1).slice(8)).toBe('01');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is never before the start and never later for an earlier start', () => {
    fc.assert(
      fc.property(start, start, months, (a, b, length) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        expect(lastDayOfPeriod(earlier, length) >= earlier).toBe(true);
        expect(lastDayOfPeriod(earlier, length) <= lastDayOfPeriod(later, length)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('is the last day of the month before the target month for a period beginning on the 1st', () => {
    fc.assert(
      fc.property(start, months, (from, length) => {
        const first = `${from.slice(0, 8)}01`;
        expect(lastDayOfPeriod(first, length)).toBe(addDays(addCalendarMonths(first, length), -1));
        expect(lastDayOfPeriod(first, 1).slice(0, 7)).toBe(first.slice(0, 7));
      }),
      { numRuns: 300 },
    );
  });

  it('chains: n months beginning the day after m months end, end where m + n months would', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (from, m, n) => {
        // Where the same date exists every month on the way (day 28 or earlier), periods chain exactly.
        fc.pre(Number(from.slice(8)) <= 28);
        const next = addDays(lastDayOfPeriod(from, m), 1);
        expect(lastDayOfPeriod(next, n)).toBe(lastDayOfPeriod(from, m + n));
      }),
      { numRuns: 300 },
    );
  });
});

describe('formatUkDate', () => {
  it('writes the date as GOV.UK content does', () => {
    expect(formatUkDate('2015-05-03')).toBe('3 May 2015');
    expect(formatUkDate('2015-12-25')).toBe('25 December 2015');
  });
});

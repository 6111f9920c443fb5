import { describe, expect, it } from 'vitest';
import { addCalendarMonths, formatUkDate } from '#core/calendar-months.ts';
import { InvalidLocalDateError } from '#core/local-date.ts';

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

describe('formatUkDate', () => {
  it('writes the date as GOV.UK content does', () => {
    expect(formatUkDate('2015-05-03')).toBe('3 May 2015');
    expect(formatUkDate('2015-12-25')).toBe('25 December 2015');
  });
});

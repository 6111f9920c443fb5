import { describe, expect, it } from 'vitest';
import data from '#core/bank-holidays.england-and-wales.json' with { type: 'json' };
import {
  BANK_HOLIDAY_YEARS,
  BankHolidaysNotCoveredError,
  bankHolidaysIn,
  easterSunday as computedEasterSunday,
  isBankHoliday,
  regularBankHolidaysIn,
} from '#core/bank-holidays.ts';
import { InvalidLocalDateError } from '#core/local-date.ts';

// The standing rules, written independently of the data file so the test can check the list.
const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const plusDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

/** Easter Sunday, Gregorian calendar (the anonymous "Meeus/Jones/Butcher" algorithm). */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return utc(year, month, day);
}

function mondayOnOrAfter(d: Date): Date {
  let day = d;
  while (day.getUTCDay() !== 1) day = plusDays(day, 1);
  return day;
}

function lastMondayOf(year: number, month: number): Date {
  let day = plusDays(utc(year, month + 1, 1), -1);
  while (day.getUTCDay() !== 1) day = plusDays(day, -1);
  return day;
}

function byTheRules(year: number): string[] {
  const newYear = utc(year, 1, 1);
  const christmas = utc(year, 12, 25);
  const easter = easterSunday(year);
  const christmasDays = {
    0: [utc(year, 12, 26), utc(year, 12, 27)], // Sunday: Boxing Day Monday, Christmas substitute Tuesday
    5: [christmas, utc(year, 12, 28)], // Friday: Boxing Day substitute Monday
    6: [utc(year, 12, 27), utc(year, 12, 28)], // Saturday: both on the next Monday and Tuesday
  }[christmas.getUTCDay()] ?? [christmas, utc(year, 12, 26)];
  return [
    newYear.getUTCDay() === 0 || newYear.getUTCDay() === 6 ? mondayOnOrAfter(newYear) : newYear,
    plusDays(easter, -2),
    plusDays(easter, 1),
    mondayOnOrAfter(utc(year, 5, 1)),
    lastMondayOf(year, 5),
    lastMondayOf(year, 8),
    ...christmasDays,
  ].map(iso);
}

const datesOf = (year: number) => bankHolidaysIn(year).map((holiday) => holiday.date);
const years = Array.from(
  { length: BANK_HOLIDAY_YEARS.last - BANK_HOLIDAY_YEARS.first + 1 },
  (_, index) => BANK_HOLIDAY_YEARS.first + index,
);
const ONE_OFF_YEARS = [2020, 2022, 2023];

describe('bank holiday data', () => {
  it('covers 2014 to 2030 inclusive', () => {
    // Prepare, Act, Assess
    expect(BANK_HOLIDAY_YEARS).toEqual({ first: 2014, last: 2030 });
    for (const year of years) expect(bankHolidaysIn(year).length).toBeGreaterThanOrEqual(8);
  });

  it('records its sources: gov.uk up to 2027, the rules from 2028', () => {
    // Prepare
    const sourceOf = (year: number) => new Set(bankHolidaysIn(year).map((holiday) => holiday.source));

    // Act, Assess
    expect(Object.keys(data.sources).sort()).toEqual(['computed', 'gov.uk']);
    expect(data.sources['gov.uk']).toContain('https://www.gov.uk/bank-holidays');
    for (const year of years) expect(sourceOf(year)).toEqual(new Set([year <= 2027 ? 'gov.uk' : 'computed']));
  });

  it('lists each date once, in order, never at a weekend', () => {
    // Prepare
    const dates = data.events.map((event) => event.date);

    // Act, Assess
    expect(new Set(dates).size).toBe(dates.length);
    expect([...dates].sort()).toEqual(dates);
    for (const date of dates) expect([0, 6]).not.toContain(new Date(`${date}T00:00:00Z`).getUTCDay());
  });

  it.each(years.filter((year) => !ONE_OFF_YEARS.includes(year)))(
    'matches the standing rules in %i',
    (year) => {
      // Prepare, Act, Assess
      expect(datesOf(year)).toEqual(byTheRules(year));
    },
  );

  it('moved the 2020 early May bank holiday to Friday 8 May (VE Day)', () => {
    // Prepare
    const rules = byTheRules(2020).map((date) => (date === '2020-05-04' ? '2020-05-08' : date));

    // Act, Assess
    expect(datesOf(2020)).toEqual(rules);
  });

  it('moved the 2022 spring bank holiday to Thursday 2 June, added Friday 3 June and 19 September', () => {
    // Prepare
    const rules = byTheRules(2022).filter((date) => date !== '2022-05-30');
    const expected = [...rules, '2022-06-02', '2022-06-03', '2022-09-19'].sort();

    // Act, Assess
    expect(datesOf(2022)).toEqual(expected);
    expect(bankHolidaysIn(2022).find((holiday) => holiday.date === '2022-09-19')?.title).toContain(
      'State Funeral',
    );
  });

  it('added Monday 8 May 2023 for the coronation', () => {
    // Prepare, Act, Assess
    expect(datesOf(2023)).toEqual([...byTheRules(2023), '2023-05-08'].sort());
    expect(isBankHoliday('2023-05-08')).toBe(true);
  });
});

describe('regularBankHolidaysIn', () => {
  it.each(years.filter((year) => !ONE_OFF_YEARS.includes(year)))(
    'reproduces the committed list in %i: dates, titles and substitute notes',
    (year) => {
      // Prepare
      const listed = bankHolidaysIn(year).map(({ date, title, notes }) => ({ date, title, notes }));

      // Act
      const computed = regularBankHolidaysIn(year).map(({ date, title, notes }) => ({ date, title, notes }));

      // Assess
      expect(computed).toEqual(listed);
    },
  );

  it('differs from the list only by the one-off and moved days of 2020, 2022 and 2023', () => {
    // Prepare
    const computed = (year: number) => regularBankHolidaysIn(year).map((holiday) => holiday.date);

    // Act, Assess
    expect(computed(2020)).toEqual(byTheRules(2020));
    expect(datesOf(2020).filter((date) => !computed(2020).includes(date))).toEqual(['2020-05-08']);
    expect(datesOf(2022).filter((date) => !computed(2022).includes(date))).toEqual([
      '2022-06-02',
      '2022-06-03',
      '2022-09-19',
    ]);
    expect(datesOf(2023).filter((date) => !computed(2023).includes(date))).toEqual(['2023-05-08']);
  });
});

describe('easterSunday', () => {
  it.each([
    [2015, '2015-04-05'],
    [2031, '2031-04-13'],
    [2035, '2035-03-25'],
    [2038, '2038-04-25'],
    [2049, '2049-04-18'],
    [2057, '2057-04-22'],
  ])('falls in %i on %s', (year, date) => {
    // Prepare, Act, Assess
    expect(computedEasterSunday(year)).toBe(date);
  });
});

describe('bankHolidaysIn after the committed list', () => {
  const later = Array.from({ length: 2100 - 2031 + 1 }, (_, index) => 2031 + index);

  it('computes the eight regular days of every year from 2031 to 2100', () => {
    for (const year of later) {
      // Act
      const holidays = bankHolidaysIn(year);

      // Assess
      expect(holidays.map((holiday) => holiday.date)).toEqual(byTheRules(year));
      expect(new Set(holidays.map((holiday) => holiday.source))).toEqual(new Set(['computed']));
      for (const { date } of holidays) expect(isBankHoliday(date)).toBe(true);
    }
  });

  it('puts Good Friday and Easter Monday around the computed Easter Sunday', () => {
    // Prepare, Act, Assess
    expect(isBankHoliday('2038-04-23')).toBe(true);
    expect(isBankHoliday('2038-04-26')).toBe(true);
    expect(isBankHoliday('2035-03-23')).toBe(true);
    expect(isBankHoliday('2035-03-26')).toBe(true);
    expect(isBankHoliday('2035-03-27')).toBe(false);
  });

  it('moves New Year’s Day at a weekend to the next Monday', () => {
    // Prepare, Act, Assess: 1 January 2033 is a Saturday, 1 January 2034 a Sunday.
    expect(bankHolidaysIn(2033)[0]).toEqual({
      date: '2033-01-03',
      title: 'New Year’s Day',
      notes: 'Substitute day',
      source: 'computed',
    });
    expect(isBankHoliday('2033-01-01')).toBe(false);
    expect(bankHolidaysIn(2034)[0]?.date).toBe('2034-01-02');
  });

  it('moves Christmas and Boxing Day at a weekend to the next weekdays not already holidays', () => {
    // Prepare
    const christmas = (year: number) =>
      bankHolidaysIn(year)
        .slice(-2)
        .map(({ date, title, notes }) => [date, title, notes]);

    // Act, Assess: Christmas 2032 is a Saturday, 2033 a Sunday; Boxing Day 2037 a Saturday.
    expect(christmas(2032)).toEqual([
      ['2032-12-27', 'Christmas Day', 'Substitute day'],
      ['2032-12-28', 'Boxing Day', 'Substitute day'],
    ]);
    expect(christmas(2033)).toEqual([
      ['2033-12-26', 'Boxing Day', ''],
      ['2033-12-27', 'Christmas Day', 'Substitute day'],
    ]);
    expect(christmas(2037)).toEqual([
      ['2037-12-25', 'Christmas Day', ''],
      ['2037-12-28', 'Boxing Day', 'Substitute day'],
    ]);
  });
});

describe('isBankHoliday', () => {
  it('knows Good Friday and Easter Monday 2015', () => {
    // Prepare, Act, Assess
    expect(isBankHoliday('2015-04-03')).toBe(true);
    expect(isBankHoliday('2015-04-06')).toBe(true);
    expect(isBankHoliday('2015-04-07')).toBe(false);
  });

  it('knows the substitute days when Christmas 2021 fell on a Saturday', () => {
    // Prepare, Act, Assess
    expect(isBankHoliday('2021-12-25')).toBe(false);
    expect(isBankHoliday('2021-12-26')).toBe(false);
    expect(isBankHoliday('2021-12-27')).toBe(true);
    expect(isBankHoliday('2021-12-28')).toBe(true);
  });

  it('refuses a date before the committed list rather than guess at its one-off days', () => {
    // Prepare, Act, Assess
    expect(() => isBankHoliday('2013-12-25')).toThrow(BankHolidaysNotCoveredError);
    expect(() => isBankHoliday('2013-12-25')).toThrow(/starts in 2014/);
    expect(() => bankHolidaysIn(2013)).toThrow(BankHolidaysNotCoveredError);
  });

  it('answers for a date after the committed list from the computed days', () => {
    // Prepare, Act, Assess
    expect(isBankHoliday('2031-01-01')).toBe(true);
    expect(isBankHoliday('2031-01-02')).toBe(false);
    expect(isBankHoliday('2099-12-25')).toBe(true);
  });

  it('refuses a malformed date', () => {
    // Prepare, Act, Assess
    expect(() => isBankHoliday('2015-4-3')).toThrow(InvalidLocalDateError);
    expect(() => isBankHoliday('2015-02-30')).toThrow(InvalidLocalDateError);
    expect(() => bankHolidaysIn(2031.5)).toThrow(InvalidLocalDateError);
  });
});

import data from './bank-holidays.england-and-wales.json' with { type: 'json' };
import { addDays, CalendarError, type LocalDate, parseLocalDate, yearOf } from './local-date.ts';

/**
 * England and Wales bank holidays. The committed list in bank-holidays.england-and-wales.json (see its
 * `sources`) is authoritative for its years, because it holds what no rule can: one-off days (a
 * coronation, a state funeral) and moved days (VE Day 2020). Years after it are computed by the
 * standing rules, so that a case's deadlines never fail because the list was not extended; a one-off
 * day proclaimed for such a year is missed until the list is. Years before it are refused rather than
 * computed: their one-off days are known (2011, 2012), the rules would get them wrong, and no case is
 * received before the list's first year.
 */

export type BankHolidaySource = 'gov.uk' | 'computed';

export interface BankHoliday {
  readonly date: LocalDate;
  readonly title: string;
  readonly notes: string;
  readonly source: BankHolidaySource;
}

/** The years the committed list covers; later years are computed by `regularBankHolidaysIn`. */
export const BANK_HOLIDAY_YEARS = { first: data.firstYear, last: data.lastYear } as const;

export class BankHolidaysNotCoveredError extends CalendarError {
  readonly date: LocalDate;

  constructor(date: LocalDate) {
    super(
      `No England and Wales bank holiday data for ${date}: the list starts in ${BANK_HOLIDAY_YEARS.first}, and earlier years are not computed. Add the year to functions/core/bank-holidays.england-and-wales.json.`,
    );
    this.name = 'BankHolidaysNotCoveredError';
    this.date = date;
  }
}

const LISTED: readonly BankHoliday[] = data.events.map((event) => ({
  ...event,
  source: event.source as BankHolidaySource,
}));

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dateOf = (year: number, month: number, day: number): LocalDate =>
  `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
/** 0 for Sunday to 6 for Saturday. */
const weekdayOf = (date: LocalDate) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** Easter Sunday in the Gregorian calendar (the anonymous computus of Meeus, Jones and Butcher). */
export function easterSunday(year: number): LocalDate {
  const golden = year % 19;
  const century = Math.floor(year / 100);
  const yearOfCentury = year % 100;
  const leapCenturies = Math.floor(century / 4);
  const f = Math.floor((century + 8) / 25);
  const g = Math.floor((century - f + 1) / 3);
  const epact = (19 * golden + century - leapCenturies - g + 15) % 30;
  const l = (32 + 2 * (century % 4) + 2 * Math.floor(yearOfCentury / 4) - epact - (yearOfCentury % 4)) % 7;
  const m = Math.floor((golden + 11 * epact + 22 * l) / 451);
  const month = Math.floor((epact + l - 7 * m + 114) / 31);
  const day = ((epact + l - 7 * m + 114) % 31) + 1;
  return dateOf(year, month, day);
}

function firstMondayOf(year: number, month: number): LocalDate {
  const first = dateOf(year, month, 1);
  return addDays(first, (8 - weekdayOf(first)) % 7);
}

/** For May and August: the day before the first of the next month is the month's last. */
function lastMondayOf(year: number, month: number): LocalDate {
  const last = addDays(dateOf(year, month + 1, 1), -1);
  return addDays(last, -((weekdayOf(last) + 6) % 7));
}

const holiday = (date: LocalDate, title: string, substitute = false): BankHoliday => ({
  date,
  title,
  notes: substitute ? 'Substitute day' : '',
  source: 'computed',
});

/**
 * A year's regular bank holidays by the standing rules (Banking and Financial Dealings Act 1971, Sch 1,
 * and the usual proclamations), a day at a weekend replaced by the next weekday not already a bank
 * holiday; no one-off or moved days. In date order, titled and noted as gov.uk publishes them.
 */
export function regularBankHolidaysIn(year: number): readonly BankHoliday[] {
  const newYear = dateOf(year, 1, 1);
  const newYearWeekday = weekdayOf(newYear);
  const easter = easterSunday(year);
  const christmas = dateOf(year, 12, 25);
  const christmasDays = {
    // Sunday: Boxing Day keeps Monday 26, Christmas moves to Tuesday 27.
    0: [holiday(dateOf(year, 12, 26), 'Boxing Day'), holiday(dateOf(year, 12, 27), 'Christmas Day', true)],
    // Friday: Boxing Day falls on Saturday and moves to Monday 28.
    5: [holiday(christmas, 'Christmas Day'), holiday(dateOf(year, 12, 28), 'Boxing Day', true)],
    // Saturday: both move, to Monday 27 and Tuesday 28.
    6: [
      holiday(dateOf(year, 12, 27), 'Christmas Day', true),
      holiday(dateOf(year, 12, 28), 'Boxing Day', true),
    ],
  }[weekdayOf(christmas)] ?? [
    holiday(christmas, 'Christmas Day'),
    holiday(dateOf(year, 12, 26), 'Boxing Day'),
  ];
  return [
    newYearWeekday === 6 || newYearWeekday === 0
      ? holiday(addDays(newYear, newYearWeekday === 6 ? 2 : 1), 'New Year’s Day', true)
      : holiday(newYear, 'New Year’s Day'),
    holiday(addDays(easter, -2), 'Good Friday'),
    holiday(addDays(easter, 1), 'Easter Monday'),
    holiday(firstMondayOf(year, 5), 'Early May bank holiday'),
    holiday(lastMondayOf(year, 5), 'Spring bank holiday'),
    holiday(lastMondayOf(year, 8), 'Summer bank holiday'),
    ...christmasDays,
  ];
}

const LISTED_BY_YEAR = Map.groupBy(LISTED, (listed) => yearOf(listed.date));
const DATES_BY_YEAR = new Map<number, ReadonlySet<LocalDate>>();

function holidaysOf(year: number, date: LocalDate): readonly BankHoliday[] {
  if (year < BANK_HOLIDAY_YEARS.first) throw new BankHolidaysNotCoveredError(date);
  if (year <= BANK_HOLIDAY_YEARS.last) return LISTED_BY_YEAR.get(year) ?? [];
  return regularBankHolidaysIn(year);
}

/**
 * Throws InvalidLocalDateError for a malformed date, BankHolidaysNotCoveredError before the list's
 * first year.
 */
export function isBankHoliday(date: LocalDate): boolean {
  const year = yearOf(parseLocalDate(date));
  let dates = DATES_BY_YEAR.get(year);
  if (dates === undefined) {
    dates = new Set(holidaysOf(year, date).map((day) => day.date));
    DATES_BY_YEAR.set(year, dates);
  }
  return dates.has(date);
}

/** The bank holidays of one calendar year, in date order: as listed, or computed after the list. */
export function bankHolidaysIn(year: number): readonly BankHoliday[] {
  return holidaysOf(year, parseLocalDate(dateOf(year, 1, 1)));
}

import data from './bank-holidays.england-and-wales.json' with { type: 'json' };
import { CalendarError, type LocalDate, parseLocalDate, yearOf } from './local-date.ts';

/**
 * England and Wales bank holidays, from the committed list in bank-holidays.england-and-wales.json
 * (see its `sources`). Deadlines are counted in working days, so a missing year must stop the count
 * loudly rather than treat every weekday as a working day.
 */

export type BankHolidaySource = 'gov.uk' | 'computed';

export interface BankHoliday {
  readonly date: LocalDate;
  readonly title: string;
  readonly notes: string;
  readonly source: BankHolidaySource;
}

export const BANK_HOLIDAY_YEARS = { first: data.firstYear, last: data.lastYear } as const;

export class BankHolidaysNotCoveredError extends CalendarError {
  readonly date: LocalDate;

  constructor(date: LocalDate) {
    super(
      `No England and Wales bank holiday data for ${date}: the list covers ${BANK_HOLIDAY_YEARS.first} to ${BANK_HOLIDAY_YEARS.last}. Add the year to functions/core/bank-holidays.england-and-wales.json.`,
    );
    this.name = 'BankHolidaysNotCoveredError';
    this.date = date;
  }
}

const ALL: readonly BankHoliday[] = data.events.map((event) => ({
  ...event,
  source: event.source as BankHolidaySource,
}));
const DATES: ReadonlySet<LocalDate> = new Set(ALL.map((holiday) => holiday.date));

function requireCovered(date: LocalDate): LocalDate {
  const year = yearOf(parseLocalDate(date));
  if (year < BANK_HOLIDAY_YEARS.first || year > BANK_HOLIDAY_YEARS.last) {
    throw new BankHolidaysNotCoveredError(date);
  }
  return date;
}

/** Throws InvalidLocalDateError for a malformed date, BankHolidaysNotCoveredError outside the list's years. */
export function isBankHoliday(date: LocalDate): boolean {
  return DATES.has(requireCovered(date));
}

/** The bank holidays of one calendar year, in date order. */
export function bankHolidaysIn(year: number): readonly BankHoliday[] {
  requireCovered(`${String(year).padStart(4, '0')}-01-01`);
  return ALL.filter((holiday) => yearOf(holiday.date) === year);
}

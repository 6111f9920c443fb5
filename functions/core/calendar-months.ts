import { addDays, type LocalDate, parseLocalDate } from '#core/local-date.ts';

/**
 * Calendar months: the statute's periods of "one month" and "six months" (s.104), and dates written the
 * way GOV.UK content writes them, for reasons a resident reads.
 */

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

function partsOf(date: LocalDate): { year: number; month: number; day: number } {
  const [year, month, day] = parseLocalDate(date).split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dateOf(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The year and month `months` calendar months after (before, when negative) the month of `from`. */
function monthAfter(from: { year: number; month: number }, months: number): { year: number; month: number } {
  const monthIndex = from.year * 12 + (from.month - 1) + months;
  return { year: Math.floor(monthIndex / 12), month: (monthIndex % 12) + 1 };
}

/**
 * The same day of the month `months` calendar months later (earlier when negative). When that month is
 * shorter, the result is its last day: 31 January + 1 month = 28 February (29 in a leap year), and
 * 31 August + 6 months = 28/29 February.
 * Throws InvalidLocalDateError for a string that is not a real date: callers validate input first.
 */
export function addCalendarMonths(date: LocalDate, months: number): LocalDate {
  const from = partsOf(date);
  const { year, month } = monthAfter(from, months);
  return dateOf(year, month, Math.min(from.day, daysInMonth(year, month)));
}

/**
 * The last day of "the period of `months` months beginning with" `start`, as s.104 words its periods
 * (domain.md): the day before the same date `months` months later, or, where that month has no such date
 * (31 January + 1 month), the last day of that month. So the month beginning with 15 January ends on
 * 14 February, the six months beginning with 10 October end on 9 April, and the month beginning with
 * 30 or 31 January ends on the last day of February. A date is within the period when it is on or
 * after `start` and on or before this day. `months` is at least 1.
 * Throws InvalidLocalDateError for a string that is not a real date: callers validate input first.
 */
export function lastDayOfPeriod(start: LocalDate, months: number): LocalDate {
  const from = partsOf(start);
  const { year, month } = monthAfter(from, months);
  const lastDay = daysInMonth(year, month);
  return from.day > lastDay ? dateOf(year, month, lastDay) : addDays(dateOf(year, month, from.day), -1);
}

/** A date as GOV.UK content writes it: `3 May 2015`. */
export function formatUkDate(date: LocalDate): string {
  const { year, month, day } = partsOf(date);
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

import { type LocalDate, parseLocalDate } from '#core/local-date.ts';

/**
 * Calendar months: the statute's "within one month" and "within six months" (s.104), and dates written
 * the way GOV.UK content writes them, for reasons a resident reads.
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

/**
 * The same day of the month `months` calendar months later (earlier when negative). When that month is
 * shorter, the result is its last day: 31 January + 1 month = 28 February (29 in a leap year), and
 * 31 August + 6 months = 28/29 February. "Within N months of D" then means on or before this date.
 * Throws InvalidLocalDateError for a string that is not a real date: callers validate input first.
 */
export function addCalendarMonths(date: LocalDate, months: number): LocalDate {
  const from = partsOf(date);
  const monthIndex = from.year * 12 + (from.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const day = Math.min(from.day, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A date as GOV.UK content writes it: `3 May 2015`. */
export function formatUkDate(date: LocalDate): string {
  const { year, month, day } = partsOf(date);
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

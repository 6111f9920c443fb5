import { isBankHoliday } from './bank-holidays.ts';
import {
  addDays,
  CalendarError,
  endOfUkDay,
  type Instant,
  isWeekend,
  type LocalDate,
  parseLocalDate,
  ukDateOf,
} from './local-date.ts';

/**
 * Working days in England and Wales: Monday to Friday, except bank holidays.
 *
 * How a deadline of N working days is read [P]: something received at any time on UK day D (even on
 * a weekend or bank holiday, even at 23:59) starts the clock on D; the deadline is the END of the Nth
 * working day after D, i.e. 23:59:59.999 Europe/London on that day, as an absolute instant (which is
 * 22:59:59.999Z in summer time and 23:59:59.999Z in winter). Receipt on Friday with N = 1 is due by the
 * end of Monday (or Tuesday if Monday is a bank holiday).
 *
 * All functions throw BankHolidaysNotCoveredError when the count reaches a year before the bank holiday
 * data, and InvalidLocalDateError for a malformed date.
 */

export class InvalidWorkingDayCountError extends CalendarError {
  constructor(count: unknown) {
    super(`A number of working days must be a whole number, zero or more: ${String(count)}`);
    this.name = 'InvalidWorkingDayCountError';
  }
}

export function isWorkingDay(date: LocalDate): boolean {
  // Looked up before the weekend test so that a date before the data's first year always throws.
  const holiday = isBankHoliday(date);
  return !holiday && !isWeekend(date);
}

/**
 * The Nth working day after `start` (`start` itself never counts, working day or not).
 * `n = 0` returns `start` unchanged, so `workingDaysBetween(d, addWorkingDays(d, n)) === n` for every n.
 */
export function addWorkingDays(start: LocalDate, n: number): LocalDate {
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidWorkingDayCountError(n);
  let date = parseLocalDate(start);
  for (let remaining = n; remaining > 0; ) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) remaining -= 1;
  }
  return date;
}

/**
 * The number of working days d with `from` < d <= `to`: how many working days have ended by the end
 * of `to`, counting from `from`. Negative (the same count, negated) when `to` is before `from`.
 */
export function workingDaysBetween(from: LocalDate, to: LocalDate): number {
  const [first, last] = [parseLocalDate(from), parseLocalDate(to)];
  // `0 -` rather than unary minus, which would give -0 for a weekend-only span.
  if (last < first) return 0 - workingDaysBetween(last, first);
  let count = 0;
  for (let date = addDays(first, 1); date <= last; date = addDays(date, 1)) {
    if (isWorkingDay(date)) count += 1;
  }
  return count;
}

/** The deadline of `n` working days from `startedAt`: the end (UK time) of the Nth working day after its UK date. */
export function workingDayDeadline(startedAt: Instant, n: number): Date {
  return endOfUkDay(addWorkingDays(ukDateOf(startedAt), n));
}

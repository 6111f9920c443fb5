/**
 * UK calendar dates and the instants that bound them. Every date in this service is a UK date
 * (Europe/London, contract.md): an instant belongs to the day it is in London, whether GMT or BST.
 *
 * A `LocalDate` is a plain 'YYYY-MM-DD' string, so it travels unchanged through JSON, DynamoDB and
 * workflow state, and two of them compare correctly as strings.
 * An `Instant` is a `Date` or an ISO-8601 date-time string with an explicit offset ('Z' or '+01:00');
 * a string without an offset is refused because its meaning would depend on the machine's zone.
 */

export type LocalDate = string;
export type Instant = Date | string;

export class CalendarError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CalendarError';
  }
}

export class InvalidLocalDateError extends CalendarError {
  constructor(value: unknown) {
    super(`Not a calendar date in the form YYYY-MM-DD: ${JSON.stringify(value)}`);
    this.name = 'InvalidLocalDateError';
  }
}

export class InvalidInstantError extends CalendarError {
  constructor(value: unknown) {
    super(
      `Not a valid instant (a Date, or an ISO-8601 date-time with 'Z' or an offset, year 1000 to 9999): ${String(value)}`,
    );
    this.name = 'InvalidInstantError';
  }
}

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
// Years below 1000 would not format as four digits; nothing in this service needs them.
const MIN_MS = Date.UTC(1000, 0, 1);
const MAX_MS = Date.UTC(10000, 0, 1) - 1;

function utcMsOf(date: LocalDate): number | undefined {
  const match = LOCAL_DATE.exec(date);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2015-02-30 over to 2 March; a real date survives the round trip.
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms;
}

function requireUtcMs(date: LocalDate): number {
  const ms = typeof date === 'string' ? utcMsOf(date) : undefined;
  if (ms === undefined) throw new InvalidLocalDateError(date);
  return ms;
}

function fromUtcMs(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isLocalDate(value: unknown): value is LocalDate {
  return typeof value === 'string' && utcMsOf(value) !== undefined;
}

/** Returns the date unchanged if it is a real 'YYYY-MM-DD' date; throws InvalidLocalDateError otherwise. */
export function parseLocalDate(value: unknown): LocalDate {
  if (!isLocalDate(value)) throw new InvalidLocalDateError(value);
  return value;
}

/** Converts an instant to a Date; throws InvalidInstantError for anything that is not a valid instant. */
export function toInstant(value: Instant): Date {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string' && ISO_INSTANT.test(value)
        ? new Date(value)
        : null;
  const ms = date?.getTime();
  if (date === null || ms === undefined || Number.isNaN(ms) || ms < MIN_MS || ms > MAX_MS) {
    throw new InvalidInstantError(value);
  }
  return new Date(ms);
}

export function yearOf(date: LocalDate): number {
  return new Date(requireUtcMs(date)).getUTCFullYear();
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMs(requireUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((requireUtcMs(to) - requireUtcMs(from)) / DAY_MS);
}

export function isWeekend(date: LocalDate): boolean {
  const day = new Date(requireUtcMs(date)).getUTCDay();
  return day === 0 || day === 6;
}

// London's clocks: GMT, and British Summer Time, an hour ahead, from 01:00 UTC on the last Sunday of
// March to 01:00 UTC on the last Sunday of October (the Summer Time Act 1972 as the Summer Time Order
// 2002 has it, which the time zone database's Europe/London follows from 1996). Worked out here rather
// than asked of Intl, whose first time zone cost a fresh process about 10 ms of CPU at every cold start;
// the instants this service converts are its own clock's, none older than the rule. Were the law to
// change, this is where.
const HOUR_MS = 3_600_000;

/** 00:00 UTC on the last Sunday of `month` (0 for January) of `year`. */
function lastSundayOf(year: number, month: number): number {
  const lastDay = Date.UTC(year, month + 1, 0);
  return lastDay - new Date(lastDay).getUTCDay() * DAY_MS;
}

/** London's offset from UTC at `ms`, in ms. */
function londonOffset(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  const summer = ms >= lastSundayOf(year, 2) + HOUR_MS && ms < lastSundayOf(year, 9) + HOUR_MS;
  return summer ? HOUR_MS : 0;
}

/** The UK date (Europe/London) on which an instant falls. */
export function ukDateOf(instant: Instant): LocalDate {
  const ms = toInstant(instant).getTime();
  return fromUtcMs(Math.floor((ms + londonOffset(ms)) / DAY_MS) * DAY_MS);
}

/** The hour (0-23) and minute London's clocks show at an instant. */
export function ukTimeOfDay(instant: Instant): { readonly hour: number; readonly minute: number } {
  const ms = toInstant(instant).getTime();
  const minutes = Math.floor((ms + londonOffset(ms)) / 60_000);
  return { hour: ((Math.floor(minutes / 60) % 24) + 24) % 24, minute: ((minutes % 60) + 60) % 60 };
}

/**
 * The instant at which London's clocks show `wallMs` read as UTC fields. UK clock changes happen at
 * 01:00 UTC, so the wall-clock times used here (the first and last millisecond of a day) are never
 * skipped or repeated and the offset found at a first guess is the right one.
 */
function londonInstantOfWallClock(wallMs: number): Date {
  return new Date(wallMs - londonOffset(wallMs - londonOffset(wallMs)));
}

/** 00:00:00.000 Europe/London on `date`, as an absolute instant. */
export function startOfUkDay(date: LocalDate): Date {
  return londonInstantOfWallClock(requireUtcMs(date));
}

/**
 * `hour`:`minute` Europe/London on `date`, as an absolute instant (a meeting's time as an officer gives
 * it). In the hour the clocks skip or repeat, the time is read with the offset before the change.
 */
export function ukInstantAt(date: LocalDate, hour: number, minute: number): Date {
  if (
    !Number.isInteger(hour) ||
    !Number.isInteger(minute) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59
  ) {
    throw new CalendarError(`Not a time of day: ${hour}:${minute}`);
  }
  return londonInstantOfWallClock(requireUtcMs(date) + (hour * 60 + minute) * 60_000);
}

/** 23:59:59.999 Europe/London on `date`, as an absolute instant. */
export function endOfUkDay(date: LocalDate): Date {
  return londonInstantOfWallClock(requireUtcMs(date) + DAY_MS - 1);
}

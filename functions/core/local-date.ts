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

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

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

/** London's offset from UTC at `ms`, in ms, as its clocks show it (whole seconds). */
function londonOffsetAt(ms: number): number {
  const parts: Record<string, number> = {};
  for (const part of LONDON.formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second) - (ms - (((ms % 1000) + 1000) % 1000));
}

// formatToParts is slow (a worklist reads dates on every row), and London's clocks never change twice
// in a day: each UTC day's offset is asked of it once, at the day's first and last millisecond. A day
// whose two differ is one on which the clocks change (null), and each of its instants is asked about.
const offsetOfUtcDay = new Map<number, number | null>();
// More days than any process reads dates of; past it the memory starts again.
const MAX_CACHED_DAYS = 20_000;

function londonOffset(ms: number): number {
  const day = Math.floor(ms / DAY_MS);
  let offset = offsetOfUtcDay.get(day);
  if (offset === undefined) {
    const [first, last] = [londonOffsetAt(day * DAY_MS), londonOffsetAt((day + 1) * DAY_MS - 1)];
    offset = first === last ? first : null;
    if (offsetOfUtcDay.size >= MAX_CACHED_DAYS) offsetOfUtcDay.clear();
    offsetOfUtcDay.set(day, offset);
  }
  return offset ?? londonOffsetAt(ms);
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

// EventBridge Scheduler's schedule expressions, as the deployed mode runs the template's schedules:
// `cron(minutes hours day-of-month month day-of-week year)` in the schedule's time zone (daylight saving
// included: the wall clock there decides, as in AWS) and `rate(value unit)`. Only the parts of the cron
// language the service could use are understood (values, names, ranges, lists, steps, `*` and `?`); an
// expression using any other (`L`, `W`, `#`) or a one-time `at()` is refused when the runtime starts, so
// a schedule cannot silently run at other times here than in AWS.

export class UnsupportedScheduleError extends Error {
  constructor(schedule: string, detail: string) {
    super(`The schedule ${schedule} ${detail}`);
    this.name = 'UnsupportedScheduleError';
  }
}

/** When a schedule runs: its next time strictly after a moment, or undefined when it never runs again. */
export interface ScheduleTimes {
  next(after: Date): Date | undefined;
}

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day-of-week', min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
  { name: 'year', min: 1970, max: 2199 },
];

/** The values a field's text allows; undefined for `?` (no constraint from this field). */
function fieldValues(schedule: string, field: CronField, text: string): Set<number> | undefined {
  if (text === '?') {
    if (field.name !== 'day-of-month' && field.name !== 'day-of-week') {
      throw new UnsupportedScheduleError(schedule, `has ? in its ${field.name} field`);
    }
    return undefined;
  }
  const value = (part: string): number => {
    const named = field.names?.indexOf(part.toUpperCase()) ?? -1;
    const number = named >= 0 ? named + field.min : /^\d+$/.test(part) ? Number(part) : Number.NaN;
    if (!(number >= field.min && number <= field.max)) {
      throw new UnsupportedScheduleError(
        schedule,
        `has ${JSON.stringify(part)} in its ${field.name} field, which the local scheduler does not run`,
      );
    }
    return number;
  };
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', step, ...extra] = item.split('/');
    const every = step === undefined ? 1 : Number(step);
    if (extra.length > 0 || !Number.isInteger(every) || every < 1) {
      throw new UnsupportedScheduleError(
        schedule,
        `has the step ${JSON.stringify(item)} in its ${field.name} field`,
      );
    }
    const [low, high] = range === '*' ? [field.min, field.max] : range.split('-').map(value);
    const from = low as number;
    const to = high ?? (step === undefined ? from : field.max);
    for (let each = from; each <= to; each += every) values.add(each);
  }
  return values;
}

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** 1 (Sunday) to 7 (Saturday), as cron counts the days of the week. */
  readonly weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function wallClockIn(schedule: string, timeZone: string): (at: Date) => WallClock {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
  } catch {
    throw new UnsupportedScheduleError(
      schedule,
      `names the time zone ${JSON.stringify(timeZone)}, which is none`,
    );
  }
  return (at) => {
    const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
    return {
      year: Number(parts.year),
      month: Number(parts.month),
      day: Number(parts.day),
      hour: Number(parts.hour),
      minute: Number(parts.minute),
      weekday: WEEKDAYS.indexOf(parts.weekday ?? '') + 1,
    };
  };
}

const MINUTE = 60_000;
// Far enough for any cron with a year field that matches again; a search past it has found nothing.
const SEARCH_HOURS = 5 * 366 * 24;

function cronTimes(schedule: string, text: string, timeZone: string): ScheduleTimes {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    throw new UnsupportedScheduleError(schedule, `has cron(${text}), which is not six fields`);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek, years] = FIELDS.map((field, index) =>
    fieldValues(schedule, field, parts[index] as string),
  );
  if ((daysOfMonth === undefined) === (daysOfWeek === undefined)) {
    throw new UnsupportedScheduleError(
      schedule,
      'must have ? in exactly one of its day-of-month and day-of-week fields',
    );
  }
  if (!minutes || !hours || !months || !years) {
    throw new UnsupportedScheduleError(schedule, `has cron(${text}), with ? outside the day fields`);
  }
  const wallClock = wallClockIn(schedule, timeZone);
  const lastYear = Math.max(...years);
  return {
    next(after) {
      // Stepping through real time and reading the wall clock there: a skipped hour of spring is never
      // matched, and a day changes on the zone's midnight.
      let at = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
      for (let hoursSearched = 0; hoursSearched < SEARCH_HOURS; ) {
        const wall = wallClock(new Date(at));
        if (wall.year > lastYear) return undefined;
        const dayMatches =
          years.has(wall.year) &&
          months.has(wall.month) &&
          (daysOfMonth ? daysOfMonth.has(wall.day) : daysOfWeek?.has(wall.weekday));
        if (!dayMatches || !hours.has(wall.hour)) {
          at += (60 - wall.minute) * MINUTE;
          hoursSearched += 1;
        } else if (!minutes.has(wall.minute)) at += MINUTE;
        else return new Date(at);
      }
      return undefined;
    },
  };
}

const RATE_UNITS: Readonly<Record<string, number>> = {
  minute: MINUTE,
  minutes: MINUTE,
  hour: 60 * MINUTE,
  hours: 60 * MINUTE,
  day: 24 * 60 * MINUTE,
  days: 24 * 60 * MINUTE,
};

/** The schedule's times: `expression` as the template's ScheduleExpression, in `timeZone` (UTC if none). */
export function scheduleTimes(
  schedule: string,
  expression: string,
  timeZone = 'UTC',
  /** When a rate's schedule started counting (in AWS, when it was created). */
  since = new Date(),
): ScheduleTimes {
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return cronTimes(schedule, cron[1] as string, timeZone);
  const rate = /^rate\((\d+) ([a-z]+)\)$/.exec(expression);
  const unit = rate && RATE_UNITS[rate[2] as string];
  if (rate && unit && Number(rate[1]) > 0) {
    const period = Number(rate[1]) * unit;
    return {
      next(after) {
        const elapsed = Math.max(0, after.getTime() - since.getTime());
        return new Date(since.getTime() + (Math.floor(elapsed / period) + 1) * period);
      },
    };
  }
  throw new UnsupportedScheduleError(
    schedule,
    `has the expression ${JSON.stringify(expression)}, which the local scheduler does not run (cron and rate only)`,
  );
}

// The GOV.UK date input: three boxes (day, month, year) that become one `YYYY-MM-DD` answer, and a time
// of day in one box (the Design System has no time input; its guidance is a text box with an example).
// Problems with the boxes themselves are worded as the Design System does; whether the date is allowed
// (not in the future, not before another date) is left to the core schemas.
import { isLocalDate } from '#core/local-date.ts';

export type DatePart = 'day' | 'month' | 'year';

export type DateInputResult =
  | { readonly ok: true; readonly date: string | undefined }
  | { readonly ok: false; readonly message: string; readonly parts: readonly DatePart[] };

const PARTS: readonly DatePart[] = ['day', 'month', 'year'];

/** The boxes of a date field named `name`: `name-day`, `name-month`, `name-year`. */
export function dateBoxes(form: URLSearchParams, name: string): Record<DatePart, string> {
  const box = (part: DatePart) => (form.get(`${name}-${part}`) ?? '').trim();
  return { day: box('day'), month: box('month'), year: box('year') };
}

/**
 * Reads the boxes. All empty is no answer (`date: undefined`), for the schema to say it is needed.
 * `label` starts a message, like "Date the incident happened".
 */
export function readDateInput(boxes: Record<DatePart, string>, label: string): DateInputResult {
  const missing = PARTS.filter((part) => boxes[part] === '');
  if (missing.length === PARTS.length) return { ok: true, date: undefined };
  if (missing.length > 0) {
    return { ok: false, message: `${label} must include a ${missing.join(' and ')}`, parts: missing };
  }
  const notNumbers = PARTS.filter((part) => !/^\d+$/.test(boxes[part]));
  if (notNumbers.length > 0) return { ok: false, message: `${label} must be a real date`, parts: notNumbers };
  if (boxes.year.length !== 4) return { ok: false, message: `Year must include 4 numbers`, parts: ['year'] };
  const date = `${boxes.year}-${boxes.month.padStart(2, '0')}-${boxes.day.padStart(2, '0')}`;
  if (boxes.day.length > 2 || boxes.month.length > 2 || !isLocalDate(date)) {
    return { ok: false, message: `${label} must be a real date`, parts: ['day', 'month', 'year'] };
  }
  return { ok: true, date };
}

/** The boxes for a stored `YYYY-MM-DD` answer, to show it again. */
export function boxesOf(date: string | undefined): Record<DatePart, string> {
  if (!date || !isLocalDate(date)) return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

export type TimeInputResult =
  | { readonly ok: true; readonly hour: number; readonly minute: number }
  | { readonly ok: false; readonly message: string };

/**
 * A time of day as people write it in one box: `14:30`, `2:30pm`, `2pm`, `9.15am`, `midday`. `label`
 * names it in messages, like "the time of the meeting".
 */
export function readTimeInput(text: string, label: string): TimeInputResult {
  const value = text.trim().toLowerCase().replace(/\s+/g, '');
  if (value === '') return { ok: false, message: `Enter ${label}` };
  if (value === 'midday' || value === 'noon') return { ok: true, hour: 12, minute: 0 };
  if (value === 'midnight') return { ok: true, hour: 0, minute: 0 };
  const match = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(value);
  const invalid = { ok: false, message: `Enter ${label} like 2pm or 14:30` } as const;
  if (match === null) return invalid;
  const [, hours = '', minutes, period] = match;
  let hour = Number(hours);
  const minute = minutes === undefined ? 0 : Number(minutes);
  if (period === undefined && minutes === undefined) return invalid;
  if (minute > 59) return invalid;
  if (period !== undefined) {
    if (hour < 1 || hour > 12) return invalid;
    hour = (hour % 12) + (period === 'pm' ? 12 : 0);
  } else if (hour > 23) {
    return invalid;
  }
  return { ok: true, hour, minute };
}

/** An instant's UK time as `readTimeInput` takes it back: `14:30`. */
export function timeBoxOf(instant: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(instant));
}

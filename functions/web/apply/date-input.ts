// The GOV.UK date input: three boxes (day, month, year) that become one `YYYY-MM-DD` answer. Problems with
// the boxes themselves are worded as the Design System does; whether the date is allowed (not in the
// future, not before another date) is left to the core schemas.
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

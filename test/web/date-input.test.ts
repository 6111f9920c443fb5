import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLocalDate } from '#core/local-date.ts';
import { boxesOf, readDateInput } from '#web/apply/date-input.ts';

const LABEL = 'Date the incident happened';

describe('readDateInput', () => {
  it('reads three boxes as a calendar date', () => {
    expect(readDateInput({ day: '3', month: '5', year: '2015' }, LABEL)).toEqual({
      ok: true,
      date: '2015-05-03',
    });
  });

  it('leaves three empty boxes as no answer, for the schema to ask for', () => {
    expect(readDateInput({ day: '', month: '', year: '' }, LABEL)).toEqual({ ok: true, date: undefined });
  });

  it.each([
    [{ day: '3', month: '', year: '2015' }, 'Date the incident happened must include a month', ['month']],
    [
      { day: '', month: '', year: '2015' },
      'Date the incident happened must include a day and month',
      ['day', 'month'],
    ],
    [
      { day: '31', month: '2', year: '2015' },
      'Date the incident happened must be a real date',
      ['day', 'month', 'year'],
    ],
    [{ day: 'x', month: '2', year: '2015' }, 'Date the incident happened must be a real date', ['day']],
    [{ day: '1', month: '2', year: '15' }, 'Year must include 4 numbers', ['year']],
  ])('words the problem with %o as the Design System does', (boxes, message, parts) => {
    expect(readDateInput(boxes, LABEL)).toEqual({ ok: false, message, parts });
  });

  it('never throws, and every date it accepts is a real date', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (day, month, year) => {
        const result = readDateInput({ day, month, year }, LABEL);
        if (result.ok && result.date !== undefined) expect(isLocalDate(result.date)).toBe(true);
      }),
    );
  });

  it('shows a stored date back in the boxes it came from', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }),
        (date) => {
          const stored = date.toISOString().slice(0, 10);
          expect(readDateInput(boxesOf(stored), LABEL)).toEqual({ ok: true, date: stored });
        },
      ),
    );
  });
});

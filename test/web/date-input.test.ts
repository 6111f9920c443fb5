import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLocalDate } from '#core/local-date.ts';
import { boxesOf, readDateInput, readTimeInput, timeBoxOf } from '#web/apply/date-input.ts';

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

describe('readTimeInput', () => {
  const label = 'the time of the meeting';

  it('reads the ways people write a time of day', () => {
    const read = (text: string) => readTimeInput(text, label);
    expect(read('14:30')).toEqual({ ok: true, hour: 14, minute: 30 });
    expect(read('2pm')).toEqual({ ok: true, hour: 14, minute: 0 });
    expect(read(' 9.15 AM ')).toEqual({ ok: true, hour: 9, minute: 15 });
    expect(read('12:05am')).toEqual({ ok: true, hour: 0, minute: 5 });
    expect(read('12pm')).toEqual({ ok: true, hour: 12, minute: 0 });
    expect(read('midday')).toEqual({ ok: true, hour: 12, minute: 0 });
  });

  it('asks for a time it cannot read, with an example', () => {
    expect(readTimeInput('', label)).toEqual({ ok: false, message: 'Enter the time of the meeting' });
    for (const text of ['14', '25:00', '13pm', '2:75pm', 'half two']) {
      expect(readTimeInput(text, label)).toEqual({
        ok: false,
        message: 'Enter the time of the meeting like 2pm or 14:30',
      });
    }
  });

  it('gives an instant back as the UK time it reads', () => {
    expect(timeBoxOf('2015-06-25T13:00:00.000Z')).toBe('14:00');
    expect(timeBoxOf('2015-12-25T09:05:00.000Z')).toBe('09:05');
    expect(readTimeInput(timeBoxOf('2015-06-25T13:00:00.000Z'), label)).toEqual({
      ok: true,
      hour: 14,
      minute: 0,
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  endOfUkDay,
  InvalidInstantError,
  InvalidLocalDateError,
  isLocalDate,
  isWeekend,
  parseLocalDate,
  startOfUkDay,
  toInstant,
  ukDateOf,
  ukInstantAt,
  ukTimeOfDay,
  yearOf,
} from '#core/local-date.ts';

const HOUR = 3_600_000;
const instants = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2040-12-31T23:59:59Z'),
  noInvalidDate: true,
});

describe('LocalDate', () => {
  it('accepts real YYYY-MM-DD dates only', () => {
    // Prepare, Act, Assess
    expect(isLocalDate('2016-02-29')).toBe(true);
    expect(isLocalDate('2015-02-29')).toBe(false);
    expect(isLocalDate('2015-04-31')).toBe(false);
    expect(isLocalDate('2015-4-1')).toBe(false);
    expect(isLocalDate('2015-04-01T00:00:00Z')).toBe(false);
    expect(isLocalDate(20150401)).toBe(false);
    expect(() => parseLocalDate('2015-13-01')).toThrow(InvalidLocalDateError);
  });

  it('does day arithmetic across months, years and leap days', () => {
    // Prepare, Act, Assess
    expect(addDays('2016-02-28', 1)).toBe('2016-02-29');
    expect(addDays('2015-12-31', 1)).toBe('2016-01-01');
    expect(addDays('2015-03-01', -1)).toBe('2015-02-28');
    expect(daysBetween('2015-04-01', '2016-03-31')).toBe(365);
    expect(daysBetween('2016-03-31', '2015-04-01')).toBe(-365);
    expect(yearOf('2015-06-01')).toBe(2015);
  });

  it('knows weekends', () => {
    // Prepare, Act, Assess
    expect(isWeekend('2015-06-06')).toBe(true);
    expect(isWeekend('2015-06-07')).toBe(true);
    expect(isWeekend('2015-06-08')).toBe(false);
  });
});

describe('toInstant', () => {
  it('accepts a Date and ISO-8601 strings with an offset', () => {
    // Prepare, Act, Assess
    expect(toInstant('2015-06-01T10:00:00Z').toISOString()).toBe('2015-06-01T10:00:00.000Z');
    expect(toInstant('2015-06-01T10:00:00+01:00').toISOString()).toBe('2015-06-01T09:00:00.000Z');
    expect(toInstant(new Date(0)).getTime()).toBe(0);
  });

  it('refuses strings without an offset, bare dates and invalid Dates', () => {
    // Prepare, Act, Assess
    expect(() => toInstant('2015-06-01T10:00:00')).toThrow(InvalidInstantError);
    expect(() => toInstant('2015-06-01')).toThrow(InvalidInstantError);
    expect(() => toInstant('yesterday')).toThrow(InvalidInstantError);
    expect(() => toInstant(new Date(Number.NaN))).toThrow(InvalidInstantError);
  });
});

describe('ukDateOf', () => {
  it('reads an instant as a London date in summer time', () => {
    // Prepare, Act, Assess: 23:30Z on 31 March 2016 is 00:30 BST on 1 April.
    expect(ukDateOf('2016-03-31T23:30:00Z')).toBe('2016-04-01');
    expect(ukDateOf('2016-03-31T22:59:59.999Z')).toBe('2016-03-31');
  });

  it('reads an instant as a London date in winter time', () => {
    // Prepare, Act, Assess
    expect(ukDateOf('2015-12-31T23:30:00Z')).toBe('2015-12-31');
    expect(ukDateOf('2016-01-01T00:00:00Z')).toBe('2016-01-01');
  });

  it('handles the nights the clocks change', () => {
    // Prepare, Act, Assess: clocks go forward at 01:00Z on 29 March 2015 and back at 01:00Z on 25 October.
    expect(ukDateOf('2015-03-28T23:59:59Z')).toBe('2015-03-28');
    expect(ukDateOf('2015-03-29T00:00:00Z')).toBe('2015-03-29');
    expect(ukDateOf('2015-10-24T23:00:00Z')).toBe('2015-10-25');
    expect(ukDateOf('2015-10-24T22:59:59Z')).toBe('2015-10-24');
  });

  it('reads either side of the change within the UTC day the clocks change, before and after other reads of that day', () => {
    // Prepare, Act, Assess: the same day read again, its first reads having been of its other side.
    for (let round = 0; round < 2; round++) {
      expect(ukDateOf('2015-03-29T00:59:59.999Z')).toBe('2015-03-29');
      expect(ukDateOf('2015-03-29T22:59:59.999Z')).toBe('2015-03-29');
      expect(ukDateOf('2015-03-29T23:00:00Z')).toBe('2015-03-30');
      expect(ukDateOf('2015-10-25T00:30:00Z')).toBe('2015-10-25');
      expect(ukDateOf('2015-10-25T23:59:59.999Z')).toBe('2015-10-25');
    }
  });

  it("agrees with London's clocks at every instant (property)", () => {
    const london = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });
    fc.assert(
      fc.property(instants, (instant) => {
        // Act, Assess
        expect(ukDateOf(instant)).toBe(london.format(instant));
      }),
    );
  });
});

describe('ukTimeOfDay', () => {
  it("reads the time London's clocks show either side of the clocks changing", () => {
    expect(ukTimeOfDay('2015-03-29T00:59:59Z')).toEqual({ hour: 0, minute: 59 });
    expect(ukTimeOfDay('2015-03-29T01:00:00Z')).toEqual({ hour: 2, minute: 0 });
    expect(ukTimeOfDay('2015-10-25T00:59:00Z')).toEqual({ hour: 1, minute: 59 });
    expect(ukTimeOfDay('2015-10-25T01:00:00Z')).toEqual({ hour: 1, minute: 0 });
  });

  it("agrees with London's clocks at every instant (property)", () => {
    const london = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    fc.assert(
      fc.property(instants, (instant) => {
        // Act, Assess
        const { hour, minute } = ukTimeOfDay(instant);
        expect(`${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`).toBe(
          london.format(instant),
        );
      }),
    );
  });
});

describe('startOfUkDay and endOfUkDay', () => {
  it('give the first and last millisecond of a UK day in BST and GMT', () => {
    // Prepare, Act, Assess
    expect(startOfUkDay('2015-06-01').toISOString()).toBe('2015-05-31T23:00:00.000Z');
    expect(endOfUkDay('2015-06-01').toISOString()).toBe('2015-06-01T22:59:59.999Z');
    expect(startOfUkDay('2015-12-01').toISOString()).toBe('2015-12-01T00:00:00.000Z');
    expect(endOfUkDay('2015-12-01').toISOString()).toBe('2015-12-01T23:59:59.999Z');
  });

  it('make the spring-forward day 23 hours long and the fall-back day 25', () => {
    // Prepare
    const length = (date: string) => endOfUkDay(date).getTime() + 1 - startOfUkDay(date).getTime();

    // Act, Assess
    expect(length('2015-03-29')).toBe(23 * HOUR);
    expect(length('2015-10-25')).toBe(25 * HOUR);
    expect(length('2015-10-26')).toBe(24 * HOUR);
  });

  it('bound every instant within its own UK day (property)', () => {
    fc.assert(
      fc.property(instants, (instant) => {
        // Prepare
        const date = ukDateOf(instant);

        // Act
        const [start, end] = [startOfUkDay(date).getTime(), endOfUkDay(date).getTime()];

        // Assess
        expect(start).toBeLessThanOrEqual(instant.getTime());
        expect(instant.getTime()).toBeLessThanOrEqual(end);
        expect(ukDateOf(new Date(start - 1))).toBe(addDays(date, -1));
        expect(ukDateOf(new Date(end + 1))).toBe(addDays(date, 1));
      }),
    );
  });
});

describe('ukInstantAt', () => {
  it('reads a UK wall-clock time as the instant, in summer and in winter', () => {
    expect(ukInstantAt('2015-06-25', 14, 0).toISOString()).toBe('2015-06-25T13:00:00.000Z');
    expect(ukInstantAt('2015-12-25', 9, 30).toISOString()).toBe('2015-12-25T09:30:00.000Z');
    expect(ukDateOf(ukInstantAt('2015-06-25', 0, 30))).toBe('2015-06-25');
  });

  it('refuses a time of day that is not one', () => {
    expect(() => ukInstantAt('2015-06-25', 24, 0)).toThrow();
    expect(() => ukInstantAt('2015-06-25', 9, 60)).toThrow();
    expect(() => ukInstantAt('2015-02-30', 9, 0)).toThrow(InvalidLocalDateError);
  });
});

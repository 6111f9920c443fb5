import { describe, expect, it } from 'vitest';
import { statisticsReturnSchema, validate } from '#core/schemas.ts';

const NOW = new Date('2016-05-01T10:00:00Z');

describe('statisticsReturnSchema', () => {
  const financial = statisticsReturnSchema({ kind: 'financial', now: NOW });
  const calendar = statisticsReturnSchema({ kind: 'calendar', now: NOW });

  it('reads a financial year into its dates', () => {
    expect(validate(financial, { year: ' 2015-16 ' })).toEqual({
      success: true,
      data: {
        year: { kind: 'financial', label: '2015-16', startYear: 2015, from: '2015-04-01', to: '2016-03-31' },
      },
    });
  });

  it('accepts the year in progress', () => {
    expect(validate(financial, { year: '2016-17' }).success).toBe(true);
  });

  it('refuses a year that has not started', () => {
    expect(validate(financial, { year: '2017-18' })).toEqual({
      success: false,
      issues: [{ path: 'year', message: 'You can only sign off a reporting year that has started' }],
    });
  });

  it.each(['2015-17', '2015', '15-16', ''])('refuses %j where the area reports by financial year', (year) => {
    expect(validate(financial, { year })).toEqual({
      success: false,
      issues: [{ path: 'year', message: 'Enter the reporting year, like 2015-16' }],
    });
  });

  it('takes the calendar form where the area reports by calendar year', () => {
    expect(validate(calendar, { year: '2015' }).success).toBe(true);
    expect(validate(calendar, { year: '2015-16' })).toEqual({
      success: false,
      issues: [{ path: 'year', message: 'Enter the reporting year, like 2015' }],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { statisticsReturnSchema, validate } from '#core/schemas.ts';

describe('statisticsReturnSchema', () => {
  const financial = statisticsReturnSchema({ kind: 'financial' });
  const calendar = statisticsReturnSchema({ kind: 'calendar' });

  it('reads a financial year into its dates', () => {
    expect(validate(financial, { year: ' 2015-16 ' })).toEqual({
      success: true,
      data: {
        year: { kind: 'financial', label: '2015-16', startYear: 2015, from: '2015-04-01', to: '2016-03-31' },
      },
    });
  });

  it('reads any year of the right form: whether it can have a return is returnYearRefusal’s to say', () => {
    expect(validate(financial, { year: '2017-18' }).success).toBe(true);
    expect(validate(financial, { year: '1900-01' }).success).toBe(true);
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

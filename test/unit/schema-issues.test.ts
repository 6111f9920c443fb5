import { describe, expect, it } from 'vitest';
import * as z from '#core/schemas/zod.ts';
import { toIssues, validate } from '#core/schemas.ts';

describe('toIssues', () => {
  it('joins the path with dots, list positions included', () => {
    // Prepare
    const schema = z.object({
      incidents: z.array(z.object({ reportedOn: z.string({ error: 'Enter it' }) })),
    });

    // Act
    const error = schema.safeParse({ incidents: [{ reportedOn: 'x' }, {}] }).error;

    // Assess
    expect(error && toIssues(error)).toEqual([{ path: 'incidents.1.reportedOn', message: 'Enter it' }]);
  });

  it('gives each unknown field its own issue at its own path', () => {
    // Prepare
    const schema = z.strictObject({ applicant: z.strictObject({ name: z.string() }) });

    // Act
    const error = schema.safeParse({ applicant: { name: 'x', emial: 1, fone: 2 } }).error;

    // Assess
    expect(error && toIssues(error)).toEqual([
      {
        path: 'applicant.emial',
        message: 'emial is not something we ask for. Check the spelling or remove it',
      },
      {
        path: 'applicant.fone',
        message: 'fone is not something we ask for. Check the spelling or remove it',
      },
    ]);
  });
});

describe('validate', () => {
  it('returns the parsed value, or the issues without throwing', () => {
    // Prepare
    const schema = z.strictObject({ reason: z.string({ error: 'Enter a reason' }).check(z.trim()) });

    // Act
    const good = validate(schema, { reason: ' ok ' });
    const bad = validate(schema, { reason: 3 });

    // Assess
    expect(good).toEqual({ success: true, data: { reason: 'ok' } });
    expect(bad).toEqual({ success: false, issues: [{ path: 'reason', message: 'Enter a reason' }] });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from '#core/schemas/zod.ts';
import {
  agencyResponseSchema,
  localTokenSchema,
  pccDecisionSchema,
  referralSchema,
  statisticsReturnSchema,
  thresholdDecisionSchema,
  validate,
  withdrawSchema,
} from '#core/schemas.ts';
import { paddedText } from '#test/unit/support/application-arbitraries.ts';

// Each schema with the fields it knows, list positions written as *.
const SCHEMAS: [string, z.ZodMiniType, string[]][] = [
  ['threshold decision', thresholdDecisionSchema, ['met', 'route', 'reason', 'confirmed']],
  ['agency response', agencyResponseSchema, ['agency', 'summary']],
  ['referral', referralSchema, ['reason']],
  ['PCC decision', pccDecisionSchema, ['outcome', 'reason']],
  ['withdrawal', withdrawSchema, ['reason']],
  ['statistics return', statisticsReturnSchema({ kind: 'financial' }), ['year']],
  [
    'local token',
    localTokenSchema({ cspIds: ['sefton'], pccAreas: ['merseyside'] }),
    ['role', 'name', 'csp', 'agency', 'pccArea'],
  ],
];

// Inputs close enough to the real ones to get past the first checks.
const nearlyValid = fc.dictionary(
  fc.constantFrom(
    'met',
    'route',
    'reason',
    'confirmed',
    'agency',
    'summary',
    'heldOn',
    'recommendations',
    'outcome',
    'year',
    'role',
    'name',
    'csp',
    'pccArea',
    'typo',
  ),
  fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      true,
      false,
      'A',
      'police',
      '2015-07-01',
      '2015-16',
      'officer',
      'pcc',
      'sefton',
      'refer-back',
      ' x ',
    ),
    fc.array(
      fc.dictionary(
        fc.constantFrom('action', 'owner', 'dueBy', 'typo'),
        fc.constantFrom('x', 'police', '2015-06-01', 1),
      ),
      { maxLength: 3 },
    ),
  ),
);

describe.each(SCHEMAS)('the %s schema (property-based)', (_, schema, fields) => {
  const known = new Set(['', ...fields]);

  it('never throws, and every issue names a field it knows or one the input has', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearlyValid), (input) => {
        const result = validate(schema, input);
        if (result.success) return;
        for (const issue of result.issues) {
          expect(issue.message.trim()).not.toBe('');
          const general = issue.path.replace(/\.\d+(?=\.|$)/g, '.*');
          const [first = ''] = issue.path.split('.');
          const named =
            known.has(general) ||
            (typeof input === 'object' &&
              input !== null &&
              (Object.hasOwn(input, issue.path) || Object.hasOwn(input, first)));
          expect(named, JSON.stringify(issue)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe.each([
  ['referral', referralSchema],
  ['withdrawal', withdrawSchema],
])("the applicant's %s (property-based)", (_, schema) => {
  it('trims the reason, and what it returns parses to itself', () => {
    fc.assert(
      fc.property(paddedText(10_000), (reason) => {
        const once = schema.parse({ reason });
        expect(once.reason).toBe(reason.trim());
        expect(schema.parse(once)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
});

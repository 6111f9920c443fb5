import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from '#core/schemas/zod.ts';
import {
  ATTENDANCE_MODES,
  actionPlanResponseSchema,
  actionPlanSchema,
  actionProgressSchema,
  applicationSchema,
  caseContactSchema,
  caseReviewOutcomeSchema,
  INVOLVEMENT_LEVELS,
  informationRequestsSchema,
  involvementSchema,
  reviewMeetingSchema,
  validate,
} from '#core/schemas.ts';
import { onlineApplication, paddedText } from '#test/unit/support/application-arbitraries.ts';
import { NOW as APPLIED, CSP_IDS } from '#test/unit/support/application-fixtures.ts';

const NOW = new Date('2015-07-10T09:00:00Z');
const RECEIVED = '2015-06-01T10:00:00Z';
const RECOMMENDATION_PATHS = [
  'recommendations',
  'recommendations.*',
  'recommendations.*.action',
  'recommendations.*.owner',
  'recommendations.*.dueBy',
];

// Each schema with the fields it knows, list positions written as *.
const SCHEMAS: [string, z.ZodMiniType, string[]][] = [
  ['contact', caseContactSchema, ['name', 'phone', 'email']],
  ['involvement', involvementSchema, ['level', 'attendance', 'views', 'needs', 'consultOnPlan']],
  [
    'information request',
    informationRequestsSchema({ receivedAt: RECEIVED, now: NOW }),
    ['agencies', 'agencies.*', 'dueBy', 'message'],
  ],
  [
    'review meeting',
    reviewMeetingSchema({ receivedAt: RECEIVED, now: NOW }),
    [
      'at',
      'format',
      'location',
      'chair',
      'chair.name',
      'chair.organisation',
      'chair.independent',
      'invitees',
      'invitees.*',
    ],
  ],
  [
    'review outcome with findings',
    caseReviewOutcomeSchema({ now: NOW, receivedAt: RECEIVED, referredBackAt: '2015-06-20T09:00:00Z' }),
    [
      'heldOn',
      'summary',
      'findings',
      'findings.persistence',
      'findings.harm',
      'findings.adequacy',
      'attendees',
      'attendees.*',
      'victimViews',
      ...RECOMMENDATION_PATHS,
    ],
  ],
  ['action plan response', actionPlanResponseSchema, ['agrees', 'comments']],
  ['action plan', actionPlanSchema({ heldOn: '2015-07-01', now: NOW }), ['changes', ...RECOMMENDATION_PATHS]],
  ['action progress', actionProgressSchema, ['status', 'note']],
];

const FIELDS = [
  'name',
  'phone',
  'email',
  'level',
  'attendance',
  'views',
  'needs',
  'consultOnPlan',
  'agencies',
  'dueBy',
  'message',
  'at',
  'format',
  'location',
  'chair',
  'invitees',
  'heldOn',
  'summary',
  'findings',
  'attendees',
  'victimViews',
  'recommendations',
  'agrees',
  'comments',
  'changes',
  'status',
  'note',
  'typo',
] as const;

// Inputs close enough to the real ones to get past the first checks.
const nearlyValid = fc.dictionary(
  fc.constantFrom(...FIELDS),
  fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      true,
      false,
      null,
      'attend',
      'views-only',
      'online',
      'hybrid',
      'done',
      'open',
      'police',
      'applicant',
      '2015-07-01',
      '2015-06-25T14:00:00Z',
      '0151 934 0000',
      'jo@sefton.example',
      ' x ',
      '',
    ),
    fc.array(fc.constantFrom('police', 'council', 'applicant', 'fire', 1), { maxLength: 5 }),
    fc.dictionary(
      fc.constantFrom('persistence', 'harm', 'adequacy', 'name', 'organisation', 'independent', 'typo'),
      fc.constantFrom('x', ' ', true, 1),
    ),
    fc.array(
      fc.dictionary(
        fc.constantFrom('action', 'owner', 'dueBy', 'typo'),
        fc.constantFrom('x', 'police', '2015-06-01', '2015-08-01', 1),
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
        if (result.success) {
          expect(validate(schema, result.data)).toEqual(result);
          return;
        }
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

const optionalText = fc.option(paddedText(10_000), { nil: undefined });

/** How a victim may answer the involvement question, as a form or a script sends it. */
const involvement = fc
  .record({
    level: fc.constantFrom(...INVOLVEMENT_LEVELS),
    attendance: fc.constantFrom(...ATTENDANCE_MODES),
    views: optionalText,
    needs: optionalText,
    consultOnPlan: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(({ level, attendance, ...rest }) =>
    Object.fromEntries(
      Object.entries({ level, attendance: level === 'attend' ? attendance : undefined, ...rest }).filter(
        ([, value]) => value !== undefined,
      ),
    ),
  );

describe("the victim's involvement (property-based)", () => {
  it('accepts every valid answer, trims it, asks about the plan unless told no, and parses to itself', () => {
    fc.assert(
      fc.property(involvement, (input) => {
        const once = involvementSchema.parse(input);
        expect(once.level).toBe(input.level);
        expect(once.attendance).toBe(input.level === 'attend' ? input.attendance : null);
        expect(once.views).toBe(typeof input.views === 'string' ? input.views.trim() : undefined);
        expect(once.needs).toBe(typeof input.needs === 'string' ? input.needs.trim() : undefined);
        expect(once.consultOnPlan).toBe(input.consultOnPlan !== false);
        expect(involvementSchema.parse(once)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it('is kept as answered in an online application, which still parses to itself', () => {
    const schema = applicationSchema({ now: APPLIED, staff: false, cspIds: CSP_IDS });
    fc.assert(
      fc.property(onlineApplication, involvement, (application, answer) => {
        const once = schema.parse({ ...application, involvement: answer });
        expect(once.involvement).toEqual(involvementSchema.parse(answer));
        const { channel: _channel, receivedAt: _receivedAt, ...again } = once;
        expect(schema.parse(again)).toEqual(once);
      }),
      { numRuns: 100 },
    );
  });
});

describe("the victim's response to a draft plan (property-based)", () => {
  it('trims the comments, needs them only when the victim does not agree, and parses to itself', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.option(paddedText(10_000), { nil: undefined }), (agrees, comments) => {
        const result = validate(actionPlanResponseSchema, {
          agrees,
          ...(comments !== undefined && { comments }),
        });
        if (!agrees && comments === undefined) {
          expect(result.success).toBe(false);
          return;
        }
        expect(result).toEqual({
          success: true,
          data: { agrees, ...(comments !== undefined && { comments: comments.trim() }) },
        });
        if (result.success) expect(actionPlanResponseSchema.parse(result.data)).toEqual(result.data);
      }),
      { numRuns: 300 },
    );
  });
});

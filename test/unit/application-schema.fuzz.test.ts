import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ApplicationContext, applicationSchema, type Issue, validate } from '#core/schemas.ts';
import { officerApplication, onlineApplication } from '#test/unit/support/application-arbitraries.ts';
import { CSP_IDS, NOW } from '#test/unit/support/application-fixtures.ts';

const ONLINE: ApplicationContext = { now: NOW, staff: false, cspIds: CSP_IDS };
const OFFICER: ApplicationContext = { now: NOW, staff: true, cspIds: CSP_IDS };
const CONTEXTS = fc.constantFrom(ONLINE, OFFICER);

// Every field the schema knows, list positions written as *.
const KNOWN_PATHS = new Set([
  '',
  'csp',
  'victimType',
  'applicant',
  ...[
    'name',
    'email',
    'phone',
    'address',
    'postcode',
    'contactPreference',
    'accessibilityNeeds',
    'vulnerabilityNeeds',
  ].map((field) => `applicant.${field}`),
  'onBehalfOf',
  ...['name', 'relationship', 'consentGiven', 'address', 'postcode', 'email', 'phone'].map(
    (field) => `onBehalfOf.${field}`,
  ),
  'description',
  'impact',
  'incidents',
  'incidents.*',
  ...[
    'occurredOn',
    'occurredAt',
    'reportedOn',
    'reportedTo',
    'reference',
    'location',
    'description',
    'hateMotivated',
    'hateMotivation',
    'alsoReportedTo',
    'alsoReportedTo.*',
    ...['reportedTo', 'reportedOn', 'reference'].map((field) => `alsoReportedTo.*.${field}`),
  ].map((field) => `incidents.*.${field}`),
  'consentToShare',
  'channel',
  'receivedAt',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A field the schema knows, or an unknown field that the input really has, where the input has it. An
 * unknown field's name may itself hold dots, so any split of the path into where and what is tried.
 */
function pointsIntoInput(issue: Issue, input: unknown): boolean {
  if (KNOWN_PATHS.has(issue.path.replace(/\.\d+(?=\.|$)/g, '.*'))) return true;
  const segments = issue.path.split('.');
  return segments.some((_, split) => {
    let parent: unknown = input;
    for (const segment of segments.slice(0, split)) {
      parent = Array.isArray(parent)
        ? parent[Number(segment)]
        : isRecord(parent)
          ? parent[segment]
          : undefined;
    }
    return isRecord(parent) && Object.hasOwn(parent, segments.slice(split).join('.'));
  });
}

/** Every path to a value inside `value`, as lists of keys and positions. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : isRecord(value)
      ? Object.entries(value)
      : [];
  return [prefix, ...children.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

type Mutation =
  | { kind: 'replace'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'add'; key: string; value: unknown };

function mutate(input: unknown, path: (string | number)[], mutation: Mutation): unknown {
  const copy = structuredClone(input);
  if (path.length === 0) return mutation.kind === 'replace' ? mutation.value : copy;
  let parent: unknown = copy;
  for (const segment of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[segment];
  const container = parent as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (mutation.kind === 'replace') container[last] = mutation.value;
  else if (mutation.kind === 'delete') delete container[last];
  else if (isRecord(container[last]))
    (container[last] as Record<string, unknown>)[mutation.key] = mutation.value;
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('delete' as const) }),
  fc.record({
    kind: fc.constant('add' as const),
    key: fc.string({ maxLength: 8 }),
    value: fc.jsonValue({ maxDepth: 1 }),
  }),
);

function expectWellFormed(input: unknown, context: ApplicationContext): void {
  const result = validate(applicationSchema(context), input);
  if (result.success) return;
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(issue.message.trim()).not.toBe('');
    expect(pointsIntoInput(issue, input), `issue ${JSON.stringify(issue)}`).toBe(true);
  }
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  return isRecord(value) ? Object.values(value).flatMap(stringsOf) : [];
}

describe('applicationSchema (property-based)', () => {
  it('never throws on arbitrary JSON, and every issue points at a field', () => {
    fc.assert(
      fc.property(fc.jsonValue(), CONTEXTS, (input, context) => {
        expectWellFormed(input, context);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when any part of a valid application is replaced, removed or added to', () => {
    fc.assert(
      fc.property(
        officerApplication.chain((input) => fc.tuple(fc.constant(input), fc.constantFrom(...pathsOf(input)))),
        mutation,
        CONTEXTS,
        ([input, path], change, context) => {
          expectWellFormed(mutate(input, path, change), context);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts every valid online application', () => {
    fc.assert(
      fc.property(onlineApplication, (input) => {
        const result = validate(applicationSchema(ONLINE), input);
        expect(result.success ? [] : result.issues).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("accepts every valid officer's entry", () => {
    fc.assert(
      fc.property(officerApplication, (input) => {
        const result = validate(applicationSchema(OFFICER), input);
        expect(result.success ? [] : result.issues).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('trims every answer, and what it returns parses to itself', () => {
    fc.assert(
      fc.property(officerApplication, (input) => {
        const schema = applicationSchema(OFFICER);
        const once = schema.parse(input);
        const twice = schema.parse(once);
        expect(twice).toEqual(once);
        for (const text of stringsOf(once)) expect(text).toBe(text.trim());
      }),
      { numRuns: 200 },
    );
  });

  it('parses an online application to itself once channel and time received are set aside', () => {
    fc.assert(
      fc.property(onlineApplication, (input) => {
        const schema = applicationSchema(ONLINE);
        const { channel, receivedAt, ...once } = schema.parse(input);
        expect(schema.parse(once)).toEqual({ ...once, channel, receivedAt });
      }),
      { numRuns: 200 },
    );
  });
});

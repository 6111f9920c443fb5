// EventBridge on one machine, for the rules the service has: each event put on the bus goes to the
// target of every rule whose pattern matches it, as EventBridge delivers it. The patterns are the
// stack's own (read from the template in the deployed mode); only the parts of the pattern language the
// service uses are understood, and a rule using any other is refused when it is added, so a pattern
// cannot silently match differently here than in AWS.
import { randomUUID } from 'node:crypto';
import type { S3Notification } from '#local/s3-local.ts';

/** An event as EventBridge delivers it to a target. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

export class UnsupportedEventPatternError extends Error {
  constructor(rule: string, detail: string) {
    super(`The rule ${rule} uses ${detail}, which the local event bus does not match`);
    this.name = 'UnsupportedEventPatternError';
  }
}

type Pattern = Readonly<Record<string, unknown>>;

/** Checks a pattern uses only exact values, `prefix` and `exists`, at any depth. */
function checkPattern(rule: string, pattern: Pattern): void {
  for (const [field, value] of Object.entries(pattern)) {
    if (Array.isArray(value)) {
      for (const candidate of value) {
        if (candidate === null || typeof candidate !== 'object') continue;
        const [operator, ...more] = Object.keys(candidate as object);
        if (more.length > 0 || (operator !== 'prefix' && operator !== 'exists')) {
          throw new UnsupportedEventPatternError(rule, `${JSON.stringify(candidate)} on ${field}`);
        }
      }
    } else if (typeof value === 'object' && value !== null) {
      checkPattern(rule, value as Pattern);
    } else {
      throw new UnsupportedEventPatternError(rule, `${JSON.stringify(value)} (not a list) on ${field}`);
    }
  }
}

function matchesValue(candidates: readonly unknown[], value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return candidates.some((candidate) => {
    if (candidate !== null && typeof candidate === 'object') {
      const { prefix, exists } = candidate as { prefix?: string; exists?: boolean };
      if (exists !== undefined) return exists === (value !== undefined);
      return values.some(
        (each) => typeof each === 'string' && prefix !== undefined && each.startsWith(prefix),
      );
    }
    return values.some((each) => each === candidate);
  });
}

/** Whether `event` matches `pattern` (EventBridge's content filtering: every field, any value listed). */
export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  const fields = (event ?? {}) as Record<string, unknown>;
  return Object.entries(pattern).every(([field, expected]) =>
    Array.isArray(expected)
      ? matchesValue(expected, fields[field])
      : typeof fields[field] === 'object' &&
        fields[field] !== null &&
        matchesPattern(expected as Pattern, fields[field]),
  );
}

export interface EventBus {
  /** Adds a rule: its name (for errors), its pattern as a template holds it, and its target. */
  addRule(name: string, pattern: Pattern, target: (event: BusEvent) => Promise<unknown>): void;
  /** Delivers the event to every matching rule's target; each failure is reported by name only. */
  put(event: BusEvent): void;
}

export function createEventBus(onError: (rule: string, error: unknown) => void): EventBus {
  const rules: { name: string; pattern: Pattern; target: (event: BusEvent) => Promise<unknown> }[] = [];
  return {
    addRule(name, pattern, target) {
      checkPattern(name, pattern);
      rules.push({ name, pattern, target });
    },
    put(event) {
      for (const rule of rules) {
        if (!matchesPattern(rule.pattern, event)) continue;
        rule.target(event).catch((error: unknown) => onError(rule.name, error));
      }
    },
  };
}

/**
 * The EventBridge "Object Created" event of each object an S3 notification says was created, as a
 * bucket with EventBridge notifications on sends it (its key not URL-encoded, unlike the notification's).
 */
export function objectCreatedEvents(
  notification: S3Notification,
  where: { readonly region: string; readonly account: string },
): BusEvent[] {
  return notification.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map(
    (record) => ({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: where.account,
      time: new Date().toISOString(),
      region: where.region,
      resources: [`arn:aws:s3:::${record.s3.bucket.name}`],
      detail: {
        version: '0',
        bucket: { name: record.s3.bucket.name },
        object: { key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')) },
        reason: record.eventName === 'ObjectCreated:Post' ? 'PostObject' : 'PutObject',
      },
    }),
  );
}

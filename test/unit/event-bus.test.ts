import { describe, expect, it } from 'vitest';
import { eventPatternJson, scanResults, uploadsArriving } from '#infra/evidence-events.ts';
import {
  createEventBus,
  matchesPattern,
  objectCreatedEvents,
  UnsupportedEventPatternError,
} from '#local/event-bus.ts';

const WHERE = { region: 'eu-west-2', account: '000000000000' };
const created = (bucket: string, key: string) =>
  objectCreatedEvents(
    { Records: [{ eventName: 'ObjectCreated:Post', s3: { bucket: { name: bucket }, object: { key } } }] },
    WHERE,
  )[0];

describe('matchesPattern', () => {
  it('matches the uploads rule to an object created under uploads/ of its bucket only', () => {
    const pattern = eventPatternJson(uploadsArriving('asb-evidence'));

    expect(matchesPattern(pattern, created('asb-evidence', 'uploads/SEF-AAAA-BBBB/1'))).toBe(true);
    expect(matchesPattern(pattern, created('asb-evidence', 'clean/SEF-AAAA-BBBB/1'))).toBe(false);
    expect(matchesPattern(pattern, created('another', 'uploads/SEF-AAAA-BBBB/1'))).toBe(false);
  });

  it("matches the scan results rule to GuardDuty's result for a cleaned copy, not to an S3 event", () => {
    const pattern = eventPatternJson(scanResults('asb-evidence'));
    const result = {
      source: 'aws.guardduty',
      'detail-type': 'GuardDuty Malware Protection Object Scan Result',
      detail: { s3ObjectDetails: { bucketName: 'asb-evidence', objectKey: 'clean/SEF-AAAA-BBBB/1' } },
    };

    expect(matchesPattern(pattern, result)).toBe(true);
    expect(matchesPattern(pattern, created('asb-evidence', 'clean/SEF-AAAA-BBBB/1'))).toBe(false);
  });
});

describe('objectCreatedEvents', () => {
  it('gives the key as stored, not URL-encoded as the notification has it, and leaves out removals', () => {
    const events = objectCreatedEvents(
      {
        Records: [
          { eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key: 'a+b%2Bc' } } },
          { eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'b' }, object: { key: 'gone' } } },
        ],
      },
      WHERE,
    );

    expect(events.map((event) => event.detail.object)).toEqual([{ key: 'a b+c' }]);
  });
});

describe('createEventBus', () => {
  it('refuses a rule whose pattern uses what it does not match, rather than match it differently', () => {
    const bus = createEventBus(() => undefined);

    expect(() =>
      bus.addRule('Numeric', { detail: { size: [{ numeric: ['>', 0] }] } }, async () => undefined),
    ).toThrow(UnsupportedEventPatternError);
    expect(() => bus.addRule('Bare', { source: 'aws.s3' }, async () => undefined)).toThrow(
      UnsupportedEventPatternError,
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ThresholdRules } from '#core/area-config.ts';
import { REPORTED_TO } from '#core/schemas/application.ts';
import { assessThreshold, type ReportedIncident, type ThresholdInput } from '#core/threshold.ts';
import { dayBetween } from '#test/unit/support/application-arbitraries.ts';

const rules: fc.Arbitrary<ThresholdRules> = fc.record({
  routeA: fc.record({
    complaints: fc.integer({ min: 1, max: 3 }),
    withinMonths: fc.integer({ min: 1, max: 6 }),
  }),
  routeB: fc.record({ people: fc.integer({ min: 1, max: 6 }), withinMonths: fc.integer({ min: 1, max: 6 }) }),
  routeC: fc.record({
    hateIncidents: fc.integer({ min: 1, max: 3 }),
    withinMonths: fc.integer({ min: 1, max: 6 }),
  }),
  complaintWithinMonthsOfBehaviour: fc.constant(1),
  complaintsToHealthQualify: fc.boolean(),
});

// A narrow span of dates, so incidents often share a day and often fall either side of each window.
const report: fc.Arbitrary<ReportedIncident> = dayBetween('2014-11-01', '2015-06-01').chain((occurredOn) =>
  fc.record({
    occurredOn: fc.constant(occurredOn),
    reportedOn: dayBetween(occurredOn, '2015-07-15'),
    reportedTo: fc.constantFrom(...REPORTED_TO),
    hateMotivated: fc.boolean(),
  }),
);

const households = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');

const input: fc.Arbitrary<ThresholdInput> = fc.record({
  receivedAt: dayBetween('2015-01-01', '2015-07-01').chain((day) =>
    fc.constantFrom(`${day}T00:30:00+01:00`, `${day}T12:00:00Z`),
  ),
  complainantKey: households,
  incidents: fc.array(report, { minLength: 1, maxLength: 8 }),
  linkedApplications: fc.array(
    fc.record({ complainantKey: households, incidents: fc.array(report, { minLength: 1, maxLength: 3 }) }),
    { maxLength: 6 },
  ),
  rules,
});

describe('assessThreshold (property-based)', () => {
  it('gives reasons, and names a route exactly when the threshold is met', () => {
    fc.assert(
      fc.property(input, (given) => {
        const assessment = assessThreshold(given);
        expect(assessment.reasons.length).toBeGreaterThan(0);
        for (const reason of assessment.reasons) expect(reason).toMatch(/^[A-Z].*\.$/);
        expect(assessment.route !== null).toBe(assessment.met);
      }),
      { numRuns: 300 },
    );
  });

  it('never turns met into not met when an incident is added', () => {
    fc.assert(
      fc.property(input, report, (given, added) => {
        const before = assessThreshold(given);
        const after = assessThreshold({ ...given, incidents: [...given.incidents, added] });
        if (before.met) expect(after.met).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never turns met into not met when an application is linked', () => {
    fc.assert(
      fc.property(
        input,
        households,
        fc.array(report, { minLength: 1, maxLength: 3 }),
        (given, key, incidents) => {
          const before = assessThreshold(given);
          const linkedApplications = [
            ...(given.linkedApplications ?? []),
            { complainantKey: key, incidents },
          ];
          if (before.met) expect(assessThreshold({ ...given, linkedApplications }).met).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same outcome when an incident is also reported to other agencies', () => {
    fc.assert(
      fc.property(
        input.chain((given) => fc.tuple(fc.constant(given), fc.nat({ max: given.incidents.length - 1 }))),
        fc.subarray([...REPORTED_TO], { minLength: 1 }),
        ([given, index], agencies) => {
          const original = given.incidents[index] as ReportedIncident;
          const copies = agencies.map((reportedTo) => ({ ...original, reportedTo }));
          const before = assessThreshold(given);
          const after = assessThreshold({ ...given, incidents: [...given.incidents, ...copies] });
          expect({ met: after.met, route: after.route }).toEqual({ met: before.met, route: before.route });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of the incidents or of the linked applications', () => {
    fc.assert(
      fc.property(
        input.chain((given) =>
          fc.tuple(
            fc.constant(given),
            fc.shuffledSubarray([...given.incidents], { minLength: given.incidents.length }),
            fc.shuffledSubarray([...(given.linkedApplications ?? [])], {
              minLength: given.linkedApplications?.length ?? 0,
            }),
          ),
        ),
        ([given, incidents, linkedApplications]) => {
          expect(assessThreshold({ ...given, incidents, linkedApplications })).toEqual(
            assessThreshold(given),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

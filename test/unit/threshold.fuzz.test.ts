import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ThresholdRules } from '#core/area-config.ts';
import { REPORTED_TO } from '#core/schemas/application.ts';
import {
  assessThreshold,
  complainantKey,
  type ReportedIncident,
  type ThresholdInput,
} from '#core/threshold.ts';
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
const otherReport = (occurredOn: string) =>
  fc.record({
    reportedOn: dayBetween(occurredOn, '2015-07-15'),
    reportedTo: fc.constantFrom(...REPORTED_TO),
  });

const report: fc.Arbitrary<ReportedIncident> = dayBetween('2014-11-01', '2015-06-01').chain((occurredOn) =>
  fc.record(
    {
      occurredOn: fc.constant(occurredOn),
      reportedOn: dayBetween(occurredOn, '2015-07-15'),
      reportedTo: fc.constantFrom(...REPORTED_TO),
      hateMotivated: fc.boolean(),
      alsoReportedTo: fc.array(otherReport(occurredOn), { maxLength: 2 }),
      description: fc.constantFrom(
        'Graffiti on the fence',
        'Youths sprayed graffiti on the fence',
        'Loud music',
      ),
    },
    { requiredKeys: ['occurredOn', 'reportedOn', 'reportedTo', 'hateMotivated'] },
  ),
);

const outcome = ({ met, route }: { met: boolean; route: unknown }) => ({ met, route });

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

  it('never turns met into not met when an incident gets another report', () => {
    fc.assert(
      fc.property(
        input.chain((given) => fc.tuple(fc.constant(given), fc.nat({ max: given.incidents.length - 1 }))),
        fc.constantFrom(...REPORTED_TO),
        ([given, index], reportedTo) => {
          const incidents = given.incidents.map((incident, at) =>
            at === index
              ? {
                  ...incident,
                  alsoReportedTo: [
                    ...(incident.alsoReportedTo ?? []),
                    { reportedOn: incident.reportedOn, reportedTo },
                  ],
                }
              : incident,
          );
          if (assessThreshold(given).met) expect(assessThreshold({ ...given, incidents }).met).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts an incident once however many times it was reported to the same body', () => {
    fc.assert(
      fc.property(
        input.chain((given) => fc.tuple(fc.constant(given), fc.nat({ max: given.incidents.length - 1 }))),
        ([given, index]) => {
          const incidents = given.incidents.map((incident, at) =>
            at === index
              ? { ...incident, alsoReportedTo: [...(incident.alsoReportedTo ?? []), { ...incident }] }
              : incident,
          );
          expect(outcome(assessThreshold({ ...given, incidents }))).toEqual(outcome(assessThreshold(given)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never counts a report to another organisation', () => {
    fc.assert(
      fc.property(input, report, (given, added) => {
        const toOther = { ...added, reportedTo: 'other' as const, alsoReportedTo: [] };
        const others = given.incidents.map((incident) => ({
          ...incident,
          alsoReportedTo: [
            ...(incident.alsoReportedTo ?? []),
            { reportedOn: incident.reportedOn, reportedTo: 'other' as const },
          ],
        }));
        const before = outcome(assessThreshold(given));
        expect(outcome(assessThreshold({ ...given, incidents: [...given.incidents, toOther] }))).toEqual(
          before,
        );
        expect(outcome(assessThreshold({ ...given, incidents: others }))).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('counts a report to health only where the area says so', () => {
    const healthAsOther = (incidents: readonly ReportedIncident[]): ReportedIncident[] =>
      incidents.map((incident) => ({
        ...incident,
        reportedTo: incident.reportedTo === 'health' ? 'other' : incident.reportedTo,
        alsoReportedTo: incident.alsoReportedTo?.map((other) => ({
          ...other,
          reportedTo: other.reportedTo === 'health' ? 'other' : other.reportedTo,
        })),
      }));
    fc.assert(
      fc.property(input, (given) => {
        const rules = { ...given.rules, complaintsToHealthQualify: false };
        const asOther = {
          ...given,
          rules,
          incidents: healthAsOther(given.incidents),
          linkedApplications: given.linkedApplications?.map((linked) => ({
            ...linked,
            incidents: healthAsOther(linked.incidents),
          })),
        };
        expect(outcome(assessThreshold({ ...given, rules }))).toEqual(outcome(assessThreshold(asOther)));
      }),
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
          // The staff notes name entries by their place in the application, so only their number stays.
          const { notes, ...shuffled } = assessThreshold({ ...given, incidents, linkedApplications });
          const { notes: notesAsGiven, ...asGiven } = assessThreshold(given);
          expect(shuffled).toEqual(asGiven);
          expect(notes).toHaveLength(notesAsGiven.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('complainantKey (property-based)', () => {
  const number = fc.integer({ min: 1, max: 300 }).map(String);
  const street = fc.constantFrom('Acacia Avenue', 'Mill Lane', 'Church Road');
  const postcode = fc.constantFrom('L20 1AA', 'PR8 1DA');
  const flatWord = fc.constantFrom('Flat', 'flat', 'FLAT', 'Apartment', 'Apt', 'Unit');

  it("finds one household however a flat's address is written", () => {
    fc.assert(
      fc.property(flatWord, number, number, street, postcode, (word, flat, building, road, code) => {
        const key = complainantKey({
          applicant: { address: `${word} ${flat}, ${building} ${road}`, postcode: code },
        });
        const reordered = `${building} ${road.toLowerCase()}, ${word.toLowerCase()} ${flat}`;
        expect(
          complainantKey({
            applicant: { address: reordered, postcode: code.replace(' ', '').toLowerCase() },
          }),
        ).toBe(key);
      }),
      { numRuns: 300 },
    );
  });

  it('tells flat f of building b from flat b of building f, and one postcode from another', () => {
    fc.assert(
      fc.property(flatWord, number, number, street, (word, flat, building, road) => {
        fc.pre(flat !== building);
        const key = (address: string, postcode = 'L20 1AA') =>
          complainantKey({ applicant: { address, postcode } });
        expect(key(`${word} ${flat}, ${building} ${road}`)).not.toBe(
          key(`${word} ${building}, ${flat} ${road}`),
        );
        expect(key(`${flat}, ${building} ${road}`)).not.toBe(key(`${building}, ${flat} ${road}`));
        expect(key(`${building} ${road}`)).not.toBe(key(`${building} ${road}`, 'PR8 1DA'));
      }),
      { numRuns: 300 },
    );
  });

  it("counts a third-party application under the victim's household, and never by name alone", () => {
    fc.assert(
      fc.property(number, street, postcode, postcode, (building, road, victimCode, applicantCode) => {
        const address = `${building} ${road}`;
        const applicant = { address: 'Town Hall', postcode: applicantCode };
        expect(
          complainantKey({
            applicant,
            onBehalfOf: { name: 'Pat Victim', address, postcode: victimCode },
          }),
        ).toBe(complainantKey({ applicant: { address, postcode: victimCode } }));
        const byName = complainantKey({ applicant, onBehalfOf: { name: 'Pat Victim' } });
        const elsewhere = complainantKey({
          applicant: { ...applicant, postcode: applicantCode === 'L20 1AA' ? 'PR8 1DA' : 'L20 1AA' },
          onBehalfOf: { name: 'Pat Victim' },
        });
        expect(byName).not.toBe(elsewhere);
      }),
      { numRuns: 100 },
    );
  });
});

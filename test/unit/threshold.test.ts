import { describe, expect, it } from 'vitest';
import { PAN_MERSEYSIDE_THRESHOLD, type ThresholdRules } from '#core/area-config.ts';
import { applicationSchema } from '#core/schemas.ts';
import {
  assessThreshold,
  complainantKey,
  type LinkedApplication,
  type ReportedIncident,
  type ThresholdInput,
} from '#core/threshold.ts';
import { CSP_IDS, NOW, validApplication, validIncident } from '#test/unit/support/application-fixtures.ts';

const MERSEYSIDE = PAN_MERSEYSIDE_THRESHOLD;
const ST_HELENS: ThresholdRules = { ...MERSEYSIDE, routeC: { hateIncidents: 1, withinMonths: 3 } };
const NOT_MET =
  'The threshold for a case review is not met. The council and its partners can still decide to hold a review, considering how persistent the behaviour is, the harm it causes or could cause, and how well the agencies have responded.';

function report(
  occurredOn: string,
  reportedOn: string,
  overrides: Partial<ReportedIncident> = {},
): ReportedIncident {
  return { occurredOn, reportedOn, reportedTo: 'police', hateMotivated: false, ...overrides };
}

function assess(incidents: ReportedIncident[], overrides: Partial<ThresholdInput> = {}) {
  return assessThreshold({
    receivedAt: '2015-06-01T10:00:00Z',
    complainantKey: 'household:L201AA:12',
    incidents,
    rules: MERSEYSIDE,
    ...overrides,
  });
}

function household(key: string, ...incidents: ReportedIncident[]): LinkedApplication {
  return { complainantKey: key, incidents };
}

describe('assessThreshold', () => {
  describe('route A: separate incidents', () => {
    it('is met by 3 incidents each reported within 1 month', () => {
      // Prepare
      const incidents = [
        report('2015-03-01', '2015-03-02'),
        report('2015-04-01', '2015-04-20'),
        report('2015-05-01', '2015-05-01', { reportedTo: 'council' }),
      ];

      // Act
      const assessment = assess(incidents);

      // Assess
      expect(assessment).toEqual({
        met: true,
        route: 'A',
        routesMet: ['A'],
        reasons: [
          'The threshold for a case review is met by route A (repeated incidents).',
          'The incident on 1 March 2015 counts: it was reported on 2 March 2015, within 1 month of happening, and the application was received within 6 months of that.',
          'The incident on 1 April 2015 counts: it was reported on 20 April 2015, within 1 month of happening, and the application was received within 6 months of that.',
          'The incident on 1 May 2015 counts: it was reported on 1 May 2015, within 1 month of happening, and the application was received within 6 months of that.',
          'Route A (repeated incidents): 3 separate incidents count, and 3 are needed.',
          'Route C (a hate incident): no incident was reported as a hate incident.',
          'Route B (complaints from several households): no other applications about the same behaviour are linked to this one, and complaints from 5 different households are needed.',
        ],
      });
    });

    it('is not met by 2, and says the partners may still hold a review', () => {
      // Act
      const assessment = assess([report('2015-04-01', '2015-04-02'), report('2015-05-01', '2015-05-02')]);

      // Assess
      expect(assessment.met).toBe(false);
      expect(assessment.route).toBeNull();
      expect(assessment.reasons[0]).toBe(NOT_MET);
      expect(assessment.reasons).toContain(
        'Route A (repeated incidents): 2 separate incidents count, and 3 are needed.',
      );
    });

    it('uses the number of complaints the CSP sets', () => {
      // Prepare
      const rules = { ...MERSEYSIDE, routeA: { complaints: 2, withinMonths: 6 } };

      // Act
      const assessment = assess([report('2015-04-01', '2015-04-02'), report('2015-05-01', '2015-05-02')], {
        rules,
      });

      // Assess
      expect(assessment).toMatchObject({ met: true, route: 'A' });
      expect(assessment.reasons).toContain(
        'Route A (repeated incidents): 2 separate incidents count, and 2 are needed.',
      );
    });

    it('says when no incident counts', () => {
      expect(
        assess([report('2015-05-03', '2015-06-20')], { receivedAt: '2015-07-01T10:00:00Z' }).reasons,
      ).toContain('Route A (repeated incidents): no separate incidents count, and 3 are needed.');
    });
  });

  describe('a complaint made within 1 month of the behaviour', () => {
    it('does not count when reported more than 1 month after it happened', () => {
      // Act
      const assessment = assess([report('2015-05-03', '2015-06-20')], { receivedAt: '2015-07-01T10:00:00Z' });

      // Assess
      expect(assessment.reasons).toContain(
        'The incident on 3 May 2015 was reported on 20 June 2015, more than 1 month after it happened, so it does not count.',
      );
    });

    it('counts when reported exactly 1 month later, not a day after', () => {
      // Act
      const onTheDay = assess([report('2015-04-03', '2015-05-03')]);
      const dayAfter = assess([report('2015-04-03', '2015-05-04')]);

      // Assess
      expect(onTheDay.reasons[1]).toMatch(/^The incident on 3 April 2015 counts/);
      expect(dayAfter.reasons[1]).toMatch(/more than 1 month after it happened/);
    });

    it('ends a month from 31 January on the last day of February', () => {
      // Act
      const lastDay = assess([report('2015-01-31', '2015-02-28')]);
      const firstOfMarch = assess([report('2015-01-31', '2015-03-01')]);

      // Assess
      expect(lastDay.reasons[1]).toMatch(/counts/);
      expect(firstOfMarch.reasons[1]).toMatch(/more than 1 month after it happened/);
    });
  });

  describe('an application within 6 months of the complaint', () => {
    it('counts a complaint made exactly 6 months before the application, not a day more', () => {
      // Act
      const onTheDay = assess([report('2014-12-01', '2014-12-01')], { receivedAt: '2015-06-01T10:00:00Z' });
      const dayAfter = assess([report('2014-12-01', '2014-12-01')], { receivedAt: '2015-06-02T10:00:00Z' });

      // Assess
      expect(onTheDay.reasons[1]).toMatch(/^The incident on 1 December 2014 counts/);
      expect(dayAfter.reasons[1]).toBe(
        'The incident on 1 December 2014 was reported on 1 December 2014, more than 6 months before the application was received on 2 June 2015, so it does not count.',
      );
    });

    it('applies the rules on the UK date the application was received', () => {
      // Prepare: 23:30 UTC on 1 June 2015 is 00:30 on 2 June in London.
      const receivedAt = '2015-06-01T23:30:00Z';

      // Act
      const assessment = assess([report('2014-12-01', '2014-12-01')], { receivedAt });

      // Assess
      expect(assessment.reasons[1]).toMatch(/received on 2 June 2015, so it does not count/);
    });

    it('does not count a report made after the application was received', () => {
      expect(assess([report('2015-05-30', '2015-06-02')]).reasons[1]).toBe(
        'The incident on 30 May 2015 was reported on 2 June 2015, after the application was received on 1 June 2015, so it does not count.',
      );
    });
  });

  describe('one incident reported to several agencies', () => {
    it('counts once, and says which reports were merged', () => {
      // Prepare
      const incidents = [
        report('2015-05-01', '2015-05-01', { reportedTo: 'police' }),
        report('2015-05-01', '2015-05-02', { reportedTo: 'council' }),
        report('2015-05-01', '2015-05-03', { reportedTo: 'housing-provider' }),
      ];

      // Act
      const assessment = assess(incidents);

      // Assess
      expect(assessment.met).toBe(false);
      expect(assessment.reasons).toEqual([
        NOT_MET,
        'The incident on 1 May 2015 was reported 3 times, to the police, the council and a housing provider: it counts as one incident.',
        'The incident on 1 May 2015 counts: it was reported on 3 May 2015, within 1 month of happening, and the application was received within 6 months of that.',
        'Route A (repeated incidents): 1 separate incident counts, and 3 are needed.',
        'Route C (a hate incident): no incident was reported as a hate incident.',
        'Route B (complaints from several households): no other applications about the same behaviour are linked to this one, and complaints from 5 different households are needed.',
      ]);
    });

    it('counts when any of its reports was made in time', () => {
      // Prepare
      const incidents = [
        report('2015-03-01', '2015-04-20', { reportedTo: 'council' }),
        report('2015-03-01', '2015-03-05', { reportedTo: 'police' }),
      ];

      // Act
      const assessment = assess(incidents);

      // Assess
      expect(assessment.reasons[2]).toBe(
        'The incident on 1 March 2015 counts: it was reported on 5 March 2015, within 1 month of happening, and the application was received within 6 months of that.',
      );
    });

    it('is a hate incident when any report says so', () => {
      // Prepare
      const incidents = [
        report('2015-05-01', '2015-05-01', { reportedTo: 'police', hateMotivated: true }),
        report('2015-05-01', '2015-05-02', { reportedTo: 'council' }),
      ];

      // Act
      const assessment = assess(incidents);

      // Assess
      expect(assessment).toMatchObject({ met: true, route: 'C' });
    });
  });

  describe('route C: a hate incident', () => {
    it('is met by one hate incident reported in time', () => {
      // Act
      const assessment = assess([report('2015-05-01', '2015-05-02', { hateMotivated: true })]);

      // Assess
      expect(assessment.met).toBe(true);
      expect(assessment.route).toBe('C');
      expect(assessment.reasons).toEqual([
        'The threshold for a case review is met by route C (a hate incident).',
        'The hate incident on 1 May 2015 counts: it was reported on 2 May 2015, within 1 month of happening, and the application was received within 6 months of that.',
        'Route A (repeated incidents): 1 separate incident counts, and 3 are needed.',
        'Route C (a hate incident): 1 hate incident counts, and 1 is needed.',
        'Route B (complaints from several households): no other applications about the same behaviour are linked to this one, and complaints from 5 different households are needed.',
      ]);
    });

    it('is not met by a hate incident reported late', () => {
      // Act
      const assessment = assess([report('2015-03-01', '2015-04-15', { hateMotivated: true })]);

      // Assess
      expect(assessment.met).toBe(false);
      expect(assessment.reasons).toContain(
        'Route C (a hate incident): no hate incidents count, and 1 is needed.',
      );
    });

    it('uses the CSP window: in St Helens the application must come within 3 months', () => {
      // Prepare
      const hateIncident = report('2015-01-10', '2015-01-12', { hateMotivated: true });

      // Act
      const stHelens = assess([hateIncident], { rules: ST_HELENS });
      const sefton = assess([hateIncident], { rules: MERSEYSIDE });

      // Assess
      expect(sefton).toMatchObject({ met: true, route: 'C' });
      expect(stHelens.met).toBe(false);
      expect(stHelens.reasons).toEqual([
        NOT_MET,
        'The hate incident on 10 January 2015 counts: it was reported on 12 January 2015, within 1 month of happening, and the application was received within 6 months of that.',
        'For route C, the hate incident on 10 January 2015 was reported on 12 January 2015, more than 3 months before the application was received on 1 June 2015, so it does not count.',
        'Route A (repeated incidents): 1 separate incident counts, and 3 are needed.',
        'Route C (a hate incident): no hate incidents count, and 1 is needed.',
        'Route B (complaints from several households): no other applications about the same behaviour are linked to this one, and complaints from 5 different households are needed.',
      ]);
    });
  });

  describe('route B: complaints from several households', () => {
    const inTime = report('2015-05-01', '2015-05-02');

    it('is met when 5 different households complained in time, across linked applications', () => {
      // Prepare
      const linkedApplications = ['b', 'c', 'd', 'e'].map((key) => household(key, inTime));

      // Act
      const assessment = assess([inTime], { complainantKey: 'a', linkedApplications });

      // Assess
      expect(assessment).toMatchObject({ met: true, route: 'B' });
      expect(assessment.reasons[0]).toBe(
        'The threshold for a case review is met by route B (complaints from several households).',
      );
      expect(assessment.reasons).toContain(
        'Route B (complaints from several households): 5 households have complaints that count, across this application and 4 linked applications, and complaints from 5 different households are needed.',
      );
    });

    it('counts two applications from one household once', () => {
      // Prepare
      const linkedApplications = ['b', 'c', 'd', 'a'].map((key) => household(key, inTime));

      // Act
      const assessment = assess([inTime], { complainantKey: 'a', linkedApplications });

      // Assess
      expect(assessment.met).toBe(false);
      expect(assessment.reasons).toContain(
        'Route B (complaints from several households): 4 households have complaints that count, across this application and 4 linked applications, and complaints from 5 different households are needed. 1 application comes from a household already counted, and each household counts once.',
      );
    });

    it('does not count a household whose complaints were all late', () => {
      // Prepare
      const late = report('2015-03-01', '2015-04-15');
      const linkedApplications = [household('b', inTime), household('c', inTime), household('d', inTime)];

      // Act
      const assessment = assess([inTime], {
        complainantKey: 'a',
        linkedApplications: [...linkedApplications, household('e', late)],
      });

      // Assess
      expect(assessment.met).toBe(false);
      expect(assessment.reasons.at(-1)).toMatch(
        /^Route B \(complaints from several households\): 4 households have/,
      );
    });

    it('counts this household when only a linked application from it complained in time', () => {
      // Prepare
      const linkedApplications = [
        household('a', inTime),
        ...['b', 'c', 'd', 'e'].map((key) => household(key, inTime)),
      ];

      // Act
      const assessment = assess([report('2015-03-01', '2015-04-15')], {
        complainantKey: 'a',
        linkedApplications,
      });

      // Assess
      expect(assessment).toMatchObject({ met: true, route: 'B' });
    });
  });

  describe('when several routes are met', () => {
    it('names route C first and the others after it', () => {
      // Prepare
      const incidents = [
        report('2015-03-01', '2015-03-02'),
        report('2015-04-01', '2015-04-02'),
        report('2015-05-01', '2015-05-02', { hateMotivated: true }),
      ];
      const linkedApplications = ['b', 'c', 'd', 'e'].map((key) =>
        household(key, report('2015-05-01', '2015-05-02')),
      );

      // Act
      const assessment = assess(incidents, { complainantKey: 'a', linkedApplications });

      // Assess
      expect(assessment.route).toBe('C');
      expect(assessment.reasons[0]).toBe(
        'The threshold for a case review is met by route C (a hate incident). It is also met by route A (repeated incidents) and route B (complaints from several households).',
      );
    });

    it('names route A before route B', () => {
      // Prepare
      const incidents = [
        report('2015-03-01', '2015-03-02'),
        report('2015-04-01', '2015-04-02'),
        report('2015-05-01', '2015-05-02'),
      ];
      const linkedApplications = ['b', 'c', 'd', 'e'].map((key) =>
        household(key, report('2015-05-01', '2015-05-02')),
      );

      // Act
      const assessment = assess(incidents, { complainantKey: 'a', linkedApplications });

      // Assess
      expect(assessment.route).toBe('A');
      expect(assessment.reasons[0]).toBe(
        'The threshold for a case review is met by route A (repeated incidents). It is also met by route B (complaints from several households).',
      );
    });
  });

  it('assesses an application as the schema returns it', () => {
    // Prepare
    const application = applicationSchema({ now: NOW, staff: false, cspIds: CSP_IDS }).parse(
      validApplication({ incidents: [validIncident({ hateMotivated: true, hateMotivation: 'race' })] }),
    );

    // Act
    const assessment = assessThreshold({
      receivedAt: application.receivedAt,
      complainantKey: complainantKey(application),
      incidents: application.incidents,
      rules: MERSEYSIDE,
    });

    // Assess
    expect(assessment).toMatchObject({ met: true, route: 'C' });
  });
});

describe('complainantKey', () => {
  const applicant = (address: string, postcode = 'L20 1AA') => ({ address, postcode });

  it('matches one household however its address is written', () => {
    expect(complainantKey({ applicant: applicant('Flat 2, 12 Acacia Avenue') })).toBe(
      complainantKey({ applicant: applicant('12 acacia ave, flat 2', 'l201aa') }),
    );
  });

  it('tells flats and houses apart', () => {
    expect(complainantKey({ applicant: applicant('Flat 2, 12 Acacia Avenue') })).not.toBe(
      complainantKey({ applicant: applicant('Flat 3, 12 Acacia Avenue') }),
    );
    expect(complainantKey({ applicant: applicant('12 Acacia Avenue') })).not.toBe(
      complainantKey({ applicant: applicant('12 Acacia Avenue', 'L20 1AB') }),
    );
  });

  it('uses the whole address when it has no numbers', () => {
    expect(complainantKey({ applicant: applicant('Rose Cottage, Mill Lane') })).toBe(
      complainantKey({ applicant: applicant('rose cottage mill lane') }),
    );
    expect(complainantKey({ applicant: applicant('Rose Cottage, Mill Lane') })).not.toBe(
      complainantKey({ applicant: applicant('Ivy Cottage, Mill Lane') }),
    );
  });

  it("uses the victim's household when applying for someone else", () => {
    // Prepare
    const councillor = applicant('Town Hall, Bootle', 'L20 7AE');

    // Act
    const withAddress = complainantKey({
      applicant: councillor,
      onBehalfOf: { name: 'Pat Victim', address: '12 Acacia Avenue', postcode: 'L20 1AA' },
    });
    const withoutAddress = complainantKey({ applicant: councillor, onBehalfOf: { name: ' Pat  Victim ' } });

    // Assess
    expect(withAddress).toBe(complainantKey({ applicant: applicant('12 Acacia Avenue') }));
    expect(withoutAddress).toBe(
      complainantKey({ applicant: councillor, onBehalfOf: { name: 'pat victim' } }),
    );
    expect(withoutAddress).not.toBe(
      complainantKey({ applicant: councillor, onBehalfOf: { name: 'Chris Victim' } }),
    );
  });
});

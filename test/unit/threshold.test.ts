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

const ROUTE_A_RULE =
  'Each must have been reported to the council, the police or a housing provider within 1 month of happening, and the application received within 6 months of that report.';
const NO_LINKED =
  'Route B (complaints from several households): no other applications about the same behaviour are linked to this one, and complaints from 5 different households are needed.';
const NO_HATE = 'Route C (a hate incident): no incident was reported as a hate incident.';

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
          'For routes A and B, the incident on 1 March 2015 counts: it was reported to the police on 2 March 2015, within 1 month of happening, and the application was received within 6 months of that report.',
          'For routes A and B, the incident on 1 April 2015 counts: it was reported to the police on 20 April 2015, within 1 month of happening, and the application was received within 6 months of that report.',
          'For routes A and B, the incident on 1 May 2015 counts: it was reported to the council on 1 May 2015, within 1 month of happening, and the application was received within 6 months of that report.',
          `Route A (repeated incidents): 3 separate incidents count, and 3 are needed. ${ROUTE_A_RULE}`,
          NO_HATE,
          NO_LINKED,
        ],
        notes: [],
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
        `Route A (repeated incidents): 2 separate incidents count, and 3 are needed. ${ROUTE_A_RULE}`,
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
        `Route A (repeated incidents): 2 separate incidents count, and 2 are needed. ${ROUTE_A_RULE}`,
      );
    });

    it('says when no incident counts', () => {
      expect(
        assess([report('2015-05-03', '2015-06-20')], { receivedAt: '2015-07-01T10:00:00Z' }).reasons,
      ).toContain(
        `Route A (repeated incidents): no separate incidents count, and 3 are needed. ${ROUTE_A_RULE}`,
      );
    });
  });

  describe('only complaints to a relevant body (s.105)', () => {
    it('does not count three incidents reported to another organisation, and says why', () => {
      // Prepare
      const incidents = [
        report('2015-03-01', '2015-03-02', { reportedTo: 'other' }),
        report('2015-04-01', '2015-04-02', { reportedTo: 'other' }),
        report('2015-05-01', '2015-05-02', { reportedTo: 'other' }),
      ];

      // Act
      const assessment = assess(incidents);

      // Assess
      expect(assessment).toMatchObject({ met: false, route: null });
      expect(assessment.reasons).toEqual([
        NOT_MET,
        'The incident on 1 March 2015 was reported to another organisation. Only complaints to the council, the police or a housing provider can count, so it does not count for any route.',
        'The incident on 1 April 2015 was reported to another organisation. Only complaints to the council, the police or a housing provider can count, so it does not count for any route.',
        'The incident on 1 May 2015 was reported to another organisation. Only complaints to the council, the police or a housing provider can count, so it does not count for any route.',
        `Route A (repeated incidents): no separate incidents count, and 3 are needed. ${ROUTE_A_RULE}`,
        NO_HATE,
        NO_LINKED,
      ]);
    });

    it('does not count a hate incident reported only to another organisation for route C', () => {
      // Act
      const assessment = assess([
        report('2015-05-01', '2015-05-02', { reportedTo: 'other', hateMotivated: true }),
      ]);

      // Assess
      expect(assessment).toMatchObject({ met: false, route: null });
      expect(assessment.reasons).toContain(
        'The hate incident on 1 May 2015 was reported to another organisation. Only complaints to the council, the police or a housing provider can count, so it does not count for any route.',
      );
    });

    it('does not count a report to a health service where the area does not count them', () => {
      // Act
      const assessment = assess([
        report('2015-05-01', '2015-05-02', { reportedTo: 'health', hateMotivated: true }),
      ]);

      // Assess
      expect(assessment.met).toBe(false);
      expect(assessment.reasons[1]).toBe(
        'The hate incident on 1 May 2015 was reported to a health service. Only complaints to the council, the police or a housing provider can count (this area does not count reports to a health service), so it does not count for any route.',
      );
    });

    it('counts a report to a health service where the area counts them', () => {
      // Prepare
      const rules: ThresholdRules = { ...MERSEYSIDE, complaintsToHealthQualify: true };

      // Act
      const assessment = assess(
        [report('2015-05-01', '2015-05-02', { reportedTo: 'health', hateMotivated: true })],
        {
          rules,
        },
      );

      // Assess
      expect(assessment).toMatchObject({ met: true, route: 'C' });
      expect(assessment.reasons).toContain(
        'For routes A, B and C, the hate incident on 1 May 2015 counts: it was reported to a health service on 2 May 2015, within 1 month of happening, and the application was received within 6 months of that report.',
      );
      expect(assessment.reasons.at(-2)).toContain(
        'reported to the council, the police, a housing provider or a health service within 1 month',
      );
    });

    it('counts an incident by its report to a relevant body, and says its other report does not count', () => {
      // Prepare
      const incident = report('2015-05-01', '2015-05-01', {
        reportedTo: 'other',
        alsoReportedTo: [{ reportedTo: 'police', reportedOn: '2015-05-03' }],
      });

      // Act
      const assessment = assess([incident]);

      // Assess
      expect(assessment.reasons.slice(1, 4)).toEqual([
        'The incident on 1 May 2015 was reported 2 times, to another organisation and the police: it is one incident.',
        'The incident on 1 May 2015 was reported to another organisation. Only complaints to the council, the police or a housing provider can count, so its report to another organisation does not count, but its other report can.',
        'For routes A and B, the incident on 1 May 2015 counts: it was reported to the police on 3 May 2015, within 1 month of happening, and the application was received within 6 months of that report.',
      ]);
    });
  });

  describe('a complaint made within the month beginning with the day of the behaviour', () => {
    it('does not count when reported after that month', () => {
      // Act
      const assessment = assess([report('2015-05-03', '2015-06-20')], { receivedAt: '2015-07-01T10:00:00Z' });

      // Assess
      expect(assessment.reasons).toContain(
        'The incident on 3 May 2015 was reported to the police on 20 June 2015, after the month beginning with the day it happened (which ended on 2 June 2015), so it does not count for any route.',
      );
    });

    it('counts when reported on the last day of the month, the day before the same date a month later', () => {
      // Act
      const lastDay = assess([report('2015-04-03', '2015-05-02')]);
      const sameDate = assess([report('2015-04-03', '2015-05-03')]);
      const fourteenth = assess([report('2015-01-15', '2015-02-14')]);
      const fifteenth = assess([report('2015-01-15', '2015-02-15')]);

      // Assess
      expect(lastDay.reasons[1]).toMatch(/^For routes A and B, the incident on 3 April 2015 counts/);
      expect(sameDate.reasons[1]).toMatch(
        /which ended on 2 May 2015\), so it does not count for any route\.$/,
      );
      expect(fourteenth.reasons[1]).toMatch(/^For routes A and B, the incident on 15 January 2015 counts/);
      expect(fifteenth.reasons[1]).toMatch(/which ended on 14 February 2015\)/);
    });

    it('ends a month from 31 January on the last day of February', () => {
      // Act
      const lastDay = assess([report('2015-01-31', '2015-02-28')]);
      const firstOfMarch = assess([report('2015-01-31', '2015-03-01')]);

      // Assess
      expect(lastDay.reasons[1]).toMatch(/counts/);
      expect(firstOfMarch.reasons[1]).toMatch(/which ended on 28 February 2015\), so it does not count/);
    });
  });

  describe('an application within the 6 months beginning with the complaint', () => {
    it('counts a complaint whose 6 months end on the day the application is received, not a day more', () => {
      // Act
      const lastDay = assess([report('2014-12-01', '2014-12-01')], { receivedAt: '2015-05-31T10:00:00Z' });
      const sameDate = assess([report('2014-12-01', '2014-12-01')], { receivedAt: '2015-06-01T10:00:00Z' });
      const october = assess([report('2014-10-10', '2014-10-10')], { receivedAt: '2015-04-09T10:00:00Z' });
      const octoberTooLate = assess([report('2014-10-10', '2014-10-10')], {
        receivedAt: '2015-04-10T10:00:00Z',
      });

      // Assess
      expect(lastDay.reasons[1]).toMatch(/^For routes A and B, the incident on 1 December 2014 counts/);
      expect(sameDate.reasons[1]).toBe(
        'For routes A and B, the incident on 1 December 2014 does not count: it was reported to the police on 1 December 2014, and the application was received on 1 June 2015, after the 6 months beginning with that report (which ended on 31 May 2015).',
      );
      expect(october.reasons[1]).toMatch(/counts/);
      expect(octoberTooLate.reasons[1]).toMatch(
        /after the 6 months beginning with that report \(which ended on 9 April 2015\)/,
      );
    });

    it('applies the rules on the UK date the application was received', () => {
      // Prepare: 23:30 UTC on 31 May 2015 is 00:30 on 1 June in London.
      const receivedAt = '2015-05-31T23:30:00Z';

      // Act
      const assessment = assess([report('2014-12-01', '2014-12-01')], { receivedAt });

      // Assess
      expect(assessment.reasons[1]).toMatch(/received on 1 June 2015, after the 6 months/);
    });

    it('does not count a report made after the application was received', () => {
      expect(assess([report('2015-05-30', '2015-06-02')]).reasons[1]).toBe(
        'The incident on 30 May 2015 was reported to the police on 2 June 2015, after the application was received on 1 June 2015, so it does not count for any route.',
      );
    });
  });

  describe('separate incidents', () => {
    const graffiti = report('2015-01-10', '2015-01-10', {
      reportedTo: 'police',
      description: 'Morning: graffiti by youths',
    });
    const threats = report('2015-01-10', '2015-01-11', {
      reportedTo: 'council',
      description: 'Evening: neighbour threats',
    });

    it('counts two incidents on one day as two', () => {
      // Act
      const assessment = assess([graffiti, threats, report('2015-02-01', '2015-02-02')], {
        receivedAt: '2015-03-01T10:00:00Z',
      });

      // Assess
      expect(assessment).toMatchObject({ met: true, route: 'A', notes: [] });
      expect(assessment.reasons).toContain(
        `Route A (repeated incidents): 3 separate incidents count, and 3 are needed. ${ROUTE_A_RULE}`,
      );
    });

    it('tells staff when two entries on one day are described in similar words, and still counts two', () => {
      // Prepare
      const sprayed = report('2015-01-10', '2015-01-10', {
        description: 'Youths sprayed graffiti on my fence',
      });
      const again = report('2015-01-10', '2015-01-12', {
        reportedTo: 'council',
        description: 'Graffiti sprayed on the fence by youths',
      });

      // Act
      const assessment = assess([report('2015-02-01', '2015-02-02'), sprayed, again], {
        receivedAt: '2015-03-01T10:00:00Z',
      });

      // Assess
      expect(assessment).toMatchObject({ met: true, route: 'A' });
      expect(assessment.notes).toEqual([
        'Incidents 2 and 3 both happened on 10 January 2015 (reported to the police, and to the council) and are described in similar words: they may be one incident listed twice. The assessment counts them as two separate incidents.',
      ]);
      expect(assessment.reasons.join(' ')).not.toContain('similar words');
    });

    it('does not note two entries on different days, however alike their words', () => {
      // Prepare
      const sprayed = report('2015-01-10', '2015-01-10', {
        description: 'Youths sprayed graffiti on my fence',
      });
      const nextDay = report('2015-01-11', '2015-01-11', {
        description: 'Youths sprayed graffiti on my fence',
      });

      // Act, Assess
      expect(assess([sprayed, nextDay, threats]).notes).toEqual([]);
    });
  });

  describe('one incident reported to several bodies', () => {
    it('counts once, and says so', () => {
      // Prepare
      const incident = report('2015-05-01', '2015-05-01', {
        reportedTo: 'police',
        alsoReportedTo: [
          { reportedTo: 'council', reportedOn: '2015-05-02' },
          { reportedTo: 'housing-provider', reportedOn: '2015-05-03' },
        ],
      });

      // Act
      const assessment = assess([incident]);

      // Assess
      expect(assessment.met).toBe(false);
      expect(assessment.reasons).toEqual([
        NOT_MET,
        'The incident on 1 May 2015 was reported 3 times, to the police, the council and a housing provider: it is one incident.',
        'For routes A and B, the incident on 1 May 2015 counts: it was reported to a housing provider on 3 May 2015, within 1 month of happening, and the application was received within 6 months of that report.',
        `Route A (repeated incidents): 1 separate incident counts, and 3 are needed. ${ROUTE_A_RULE}`,
        NO_HATE,
        NO_LINKED,
      ]);
    });

    it('counts when any of its reports was made in time', () => {
      // Prepare
      const incident = report('2015-03-01', '2015-04-20', {
        reportedTo: 'council',
        alsoReportedTo: [{ reportedTo: 'police', reportedOn: '2015-03-05' }],
      });

      // Act
      const assessment = assess([incident]);

      // Assess
      expect(assessment.reasons[2]).toBe(
        'For routes A and B, the incident on 1 March 2015 counts: it was reported to the police on 5 March 2015, within 1 month of happening, and the application was received within 6 months of that report.',
      );
    });

    it('is a hate incident for route C whichever body it was reported to first', () => {
      // Prepare
      const incident = report('2015-05-01', '2015-05-01', {
        reportedTo: 'other',
        hateMotivated: true,
        alsoReportedTo: [{ reportedTo: 'council', reportedOn: '2015-05-02' }],
      });

      // Act
      const assessment = assess([incident]);

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
        'For routes A, B and C, the hate incident on 1 May 2015 counts: it was reported to the police on 2 May 2015, within 1 month of happening, and the application was received within 6 months of that report.',
        `Route A (repeated incidents): 1 separate incident counts, and 3 are needed. ${ROUTE_A_RULE}`,
        `Route C (a hate incident): 1 hate incident counts, and 1 is needed. ${ROUTE_A_RULE}`,
        NO_LINKED,
      ]);
    });

    it('is not met by a hate incident reported late', () => {
      // Act
      const assessment = assess([report('2015-03-01', '2015-04-15', { hateMotivated: true })]);

      // Assess
      expect(assessment.met).toBe(false);
      expect(assessment.reasons).toContain(
        `Route C (a hate incident): no hate incidents count, and 1 is needed. ${ROUTE_A_RULE}`,
      );
    });

    it('uses the CSP window, and says so: in St Helens the application must come within 3 months', () => {
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
        'For routes A and B, the hate incident on 10 January 2015 counts: it was reported to the police on 12 January 2015, within 1 month of happening, and the application was received within 6 months of that report.',
        'For route C, the hate incident on 10 January 2015 does not count: it was reported to the police on 12 January 2015, and the application was received on 1 June 2015, after the 3 months beginning with that report (which ended on 11 April 2015).',
        `Route A (repeated incidents): 1 separate incident counts, and 3 are needed. ${ROUTE_A_RULE}`,
        'Route C (a hate incident): no hate incidents count, and 1 is needed. Each must have been reported to the council, the police or a housing provider within 1 month of happening, and the application received within 3 months of that report.',
        NO_LINKED,
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
        `Route B (complaints from several households): 5 households have complaints that count, across this application and 4 linked applications, and complaints from 5 different households are needed. ${ROUTE_A_RULE}`,
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
        `Route B (complaints from several households): 4 households have complaints that count, across this application and 4 linked applications, and complaints from 5 different households are needed. 1 application comes from a household already counted, and each household counts once. ${ROUTE_A_RULE}`,
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

  it('tells a flat from the building it is in', () => {
    expect(complainantKey({ applicant: applicant('Flat 12, 3 Acacia Avenue') })).not.toBe(
      complainantKey({ applicant: applicant('Flat 3, 12 Acacia Avenue') }),
    );
    expect(complainantKey({ applicant: applicant('3, 12 Acacia Avenue') })).not.toBe(
      complainantKey({ applicant: applicant('12, 3 Acacia Avenue') }),
    );
    expect(complainantKey({ applicant: applicant('Apartment 4, 7 Mill Lane') })).toBe(
      complainantKey({ applicant: applicant('7 mill lane apt 4') }),
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

  it("tells two victims of one name apart by the postcode, theirs or else the applicant's", () => {
    // Prepare
    const inBootle = applicant('Town Hall, Bootle', 'L20 7AE');
    const inSouthport = applicant('Town Hall, Southport', 'PR8 1DA');

    // Act
    const bootle = complainantKey({ applicant: inBootle, onBehalfOf: { name: 'Pat Victim' } });
    const southport = complainantKey({ applicant: inSouthport, onBehalfOf: { name: 'Pat Victim' } });
    const ownPostcode = complainantKey({
      applicant: inSouthport,
      onBehalfOf: { name: 'Pat Victim', postcode: 'L20 7AE' },
    });

    // Assess
    expect(bootle).not.toBe(southport);
    expect(ownPostcode).toBe(bootle);
  });
});

// The threshold assessment over HTTP, as the statute has it (issue 8): only complaints to a relevant
// body count, each entry is one incident, periods end as s.104 words them, and the reasons say which
// route each line is about. Letters received in 2015, entered by officers, so every date is fixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Credentials } from '#test/support/api-client.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';

let service: LocalService;
let api: ApiClient;
const officers: Record<string, Credentials> = {};

beforeAll(async () => {
  service = await startLocalService();
  api = new ApiClient(service);
  for (const csp of ['sefton', 'st-helens']) {
    officers[csp] = { token: await service.token({ role: 'officer', csp, name: `${csp} officer` }) };
  }
});

afterAll(async () => {
  await service?.stop();
});

interface IncidentBody {
  readonly occurredOn: string;
  readonly reportedOn: string;
  readonly reportedTo: string;
  readonly description?: string;
  readonly hateMotivated?: boolean;
  readonly alsoReportedTo?: readonly { reportedTo: string; reportedOn: string; reference?: string }[];
}

interface Assessment {
  readonly met: boolean;
  readonly route: string | null;
  readonly reasons: readonly string[];
  readonly notes?: readonly string[];
}

/** A letter with these incidents, received on `receivedOn` and entered by the CSP's officer. */
async function assessed(
  incidents: readonly IncidentBody[],
  options: { csp?: string; receivedOn?: string } = {},
): Promise<{ staff: Assessment; applicant: Assessment; applicantView: Record<string, unknown> }> {
  const csp = options.csp ?? 'sefton';
  const officer = officers[csp] ?? {};
  const body = {
    csp,
    victimType: 'individual',
    applicant: {
      name: 'Sam Resident',
      email: 'sam@example.com',
      address: '12 Acacia Avenue, Bootle',
      postcode: 'L20 1AA',
      contactPreference: 'email',
    },
    description: 'Trouble in the street since the new year.',
    impact: 'I do not feel safe at home.',
    incidents: incidents.map((incident) => ({
      description: 'Youths shouting in the street.',
      hateMotivated: false,
      ...incident,
    })),
    consentToShare: true,
    channel: 'letter',
    receivedAt: `${options.receivedOn ?? '2015-06-01'}T10:00:00Z`,
  };
  const { reference, accessCode } = await api.submit(body, officer);
  const staff = await api.waitForStage(reference, officer, 'awaiting-threshold-decision');
  const applicantView = (await api.get(`/api/cases/${reference}`, { accessCode })).body;
  return {
    staff: staff.thresholdAssessment as Assessment,
    applicant: applicantView.thresholdAssessment,
    applicantView,
  };
}

const police = (occurredOn: string, reportedOn: string, more: Partial<IncidentBody> = {}): IncidentBody => ({
  occurredOn,
  reportedOn,
  reportedTo: 'police',
  ...more,
});

describe('the threshold assessment of the running service', { timeout: 300_000 }, () => {
  describe('only complaints to a relevant body count', () => {
    it('does not meet route A with three incidents reported to another organisation', async () => {
      // Act
      const { staff } = await assessed([
        police('2015-03-01', '2015-03-02', { reportedTo: 'other' }),
        police('2015-04-01', '2015-04-02', { reportedTo: 'other' }),
        police('2015-05-01', '2015-05-02', { reportedTo: 'other' }),
      ]);

      // Assess
      expect(staff).toMatchObject({ met: false, route: null });
      expect(staff.reasons).toContain(
        'The incident on 1 March 2015 was reported to another organisation. Only complaints to the council, the police or a housing provider can count, so it does not count for any route.',
      );
      expect(staff.reasons).toContain(
        'Route A (repeated incidents): no separate incidents count, and 3 are needed. Each must have been reported to the council, the police or a housing provider within 1 month of happening, and the application received within 6 months of that report.',
      );
    });

    it('does not meet route C with a hate incident reported to another organisation', async () => {
      // Act
      const { staff } = await assessed([
        police('2015-05-01', '2015-05-02', { reportedTo: 'other', hateMotivated: true }),
      ]);

      // Assess
      expect(staff).toMatchObject({ met: false, route: null });
      expect(staff.reasons).toContain(
        'The hate incident on 1 May 2015 was reported to another organisation. Only complaints to the council, the police or a housing provider can count, so it does not count for any route.',
      );
    });

    it('accepts a report to a health service and, in Merseyside, says it does not count', async () => {
      // Act
      const { staff } = await assessed([
        police('2015-05-01', '2015-05-02', { reportedTo: 'health', hateMotivated: true }),
      ]);

      // Assess
      expect(staff).toMatchObject({ met: false, route: null });
      expect(staff.reasons[1]).toBe(
        'The hate incident on 1 May 2015 was reported to a health service. Only complaints to the council, the police or a housing provider can count (this area does not count reports to a health service), so it does not count for any route.',
      );
    });
  });

  describe('each entry is one incident', () => {
    it('counts a morning and an evening incident on one day as two, and notes nothing', async () => {
      // Act
      const { staff } = await assessed(
        [
          police('2015-01-10', '2015-01-10', { description: 'Morning: graffiti by youths' }),
          police('2015-01-10', '2015-01-11', {
            reportedTo: 'council',
            description: 'Evening: neighbour threats',
          }),
          police('2015-02-01', '2015-02-02'),
        ],
        { receivedOn: '2015-03-01' },
      );

      // Assess
      expect(staff).toMatchObject({ met: true, route: 'A', notes: [] });
      expect(staff.reasons).toContain(
        'Route A (repeated incidents): 3 separate incidents count, and 3 are needed. Each must have been reported to the council, the police or a housing provider within 1 month of happening, and the application received within 6 months of that report.',
      );
    });

    it('counts one incident reported to several bodies once, and tells only staff of a likely repeat', async () => {
      // Act
      const { staff, applicant, applicantView } = await assessed(
        [
          police('2015-01-10', '2015-01-10', {
            description: 'Youths sprayed graffiti on my fence',
            alsoReportedTo: [{ reportedTo: 'council', reportedOn: '2015-01-12', reference: 'ASB/77' }],
          }),
          police('2015-01-10', '2015-01-13', {
            reportedTo: 'housing-provider',
            description: 'Graffiti sprayed on the fence by youths',
          }),
        ],
        { receivedOn: '2015-03-01' },
      );

      // Assess
      expect(staff.reasons).toContain(
        'The incident on 10 January 2015 was reported 2 times, to the police and the council: it is one incident.',
      );
      expect(staff.reasons).toContain(
        'Route A (repeated incidents): 2 separate incidents count, and 3 are needed. Each must have been reported to the council, the police or a housing provider within 1 month of happening, and the application received within 6 months of that report.',
      );
      expect(staff.notes).toEqual([
        'Incidents 1 and 2 both happened on 10 January 2015 (reported to the police and the council, and to a housing provider) and are described in similar words: they may be one incident listed twice. The assessment counts them as two separate incidents.',
      ]);
      expect(applicant).toEqual({ met: staff.met, route: staff.route, reasons: staff.reasons });
      expect(JSON.stringify(applicantView)).not.toContain('similar words');
    });
  });

  describe('periods as s.104 words them', () => {
    it('ends the month beginning with 15 January on 14 February', async () => {
      // Act
      const { staff } = await assessed([
        police('2015-01-15', '2015-02-14', { hateMotivated: true }),
        police('2015-01-15', '2015-02-15', { hateMotivated: true }),
      ]);

      // Assess
      expect(staff).toMatchObject({ met: true, route: 'C' });
      expect(staff.reasons).toContain(
        'For routes A, B and C, the hate incident on 15 January 2015 counts: it was reported to the police on 14 February 2015, within 1 month of happening, and the application was received within 6 months of that report.',
      );
      expect(staff.reasons).toContain(
        'The hate incident on 15 January 2015 was reported to the police on 15 February 2015, after the month beginning with the day it happened (which ended on 14 February 2015), so it does not count for any route.',
      );
    });

    it('ends the six months beginning with 10 October on 9 April', async () => {
      // Act
      const lastDay = await assessed([police('2014-10-10', '2014-10-10', { hateMotivated: true })], {
        receivedOn: '2015-04-09',
      });
      const dayAfter = await assessed([police('2014-10-10', '2014-10-10', { hateMotivated: true })], {
        receivedOn: '2015-04-10',
      });

      // Assess
      expect(lastDay.staff).toMatchObject({ met: true, route: 'C' });
      expect(dayAfter.staff).toMatchObject({ met: false, route: null });
      expect(dayAfter.staff.reasons).toContain(
        'For routes A, B and C, the hate incident on 10 October 2014 does not count: it was reported to the police on 10 October 2014, and the application was received on 10 April 2015, after the 6 months beginning with that report (which ended on 9 April 2015).',
      );
    });

    it("states St Helens' 3 months for route C where it applies", async () => {
      // Act
      const { staff } = await assessed([police('2015-01-10', '2015-01-12', { hateMotivated: true })], {
        csp: 'st-helens',
      });

      // Assess
      expect(staff).toMatchObject({ met: false, route: null });
      expect(staff.reasons).toContain(
        'For route C, the hate incident on 10 January 2015 does not count: it was reported to the police on 12 January 2015, and the application was received on 1 June 2015, after the 3 months beginning with that report (which ended on 11 April 2015).',
      );
      expect(staff.reasons).toContain(
        'Route C (a hate incident): no hate incidents count, and 1 is needed. Each must have been reported to the council, the police or a housing provider within 1 month of happening, and the application received within 3 months of that report.',
      );
    });
  });

  it('counts route B by household: a flat is not its building, one home however written, a third party under the victim', async () => {
    // Prepare: six letters to Knowsley about one incident each, from four households.
    const officer = { token: await service.token({ role: 'officer', csp: 'knowsley', name: 'K Officer' }) };
    const letter = (address: string, onBehalfOf?: Record<string, unknown>) => ({
      csp: 'knowsley',
      victimType: 'individual',
      applicant: onBehalfOf
        ? {
            name: 'Cllr Example',
            email: 'cllr@example.com',
            address: 'Municipal Buildings',
            postcode: 'L36 9YU',
            contactPreference: 'email',
          }
        : {
            name: 'A Resident',
            email: 'a@example.com',
            address,
            postcode: 'L34 1AA',
            contactPreference: 'email',
          },
      ...(onBehalfOf && {
        onBehalfOf: {
          name: 'Pat Victim',
          relationship: 'Ward councillor',
          consentGiven: true,
          ...onBehalfOf,
        },
      }),
      description: 'Motorbikes racing along Acacia Avenue at night.',
      impact: 'No sleep.',
      incidents: [
        police('2015-05-01', '2015-05-02', { description: 'Motorbikes racing.', hateMotivated: false }),
      ],
      consentToShare: true,
      channel: 'letter',
      receivedAt: '2015-06-01T10:00:00Z',
    });
    const bodies = [
      letter('Flat 12, 3 Acacia Avenue'),
      letter('Flat 3, 12 Acacia Avenue'),
      letter('Flat 2, 12 Acacia Avenue'),
      letter('12 Acacia Ave flat 2'),
      letter('', { address: 'Flat 12, 3 Acacia Avenue', postcode: 'L34 1AA' }),
      letter('', {}),
    ];
    const submitted = [];
    for (const body of bodies) {
      const { reference } = await api.submit(body, officer);
      await api.waitForStage(reference, officer, 'awaiting-threshold-decision');
      submitted.push(reference);
    }
    const [first, ...others] = submitted as [string, ...string[]];

    // Act
    await api.act(first, 'links', { add: others, reason: 'The same motorbikes.' }, officer);
    const view = await api.waitForCase(
      first,
      officer,
      (body) => (body.thresholdAssessment as { linkedReferences?: unknown[] }).linkedReferences?.length === 5,
    );

    // Assess
    const assessment = view.thresholdAssessment as Assessment;
    expect(assessment).toMatchObject({ met: false, route: null });
    expect(assessment.reasons).toContain(
      'Route B (complaints from several households): 4 households have complaints that count, across this application and 5 linked applications, and complaints from 5 different households are needed. 2 applications come from a household already counted, and each household counts once. Each must have been reported to the council, the police or a housing provider within 1 month of happening, and the application received within 6 months of that report.',
    );
  });

  it("keeps an incident's other reports and the victim's contact details for staff", async () => {
    // Prepare
    const officer = officers.sefton ?? {};
    const body = {
      csp: 'sefton',
      victimType: 'individual',
      applicant: {
        name: 'Cllr Example',
        email: 'cllr@example.com',
        address: 'Town Hall, Bootle',
        postcode: 'L20 7AE',
        contactPreference: 'email',
      },
      onBehalfOf: {
        name: 'Pat Victim',
        relationship: 'Ward councillor',
        consentGiven: true,
        address: '3 Oak Road, Bootle',
        postcode: 'l20 1ab',
        email: 'pat@example.com',
        phone: '0151 496 0000',
      },
      description: 'Graffiti on the fence.',
      impact: 'Frightened.',
      incidents: [
        police('2015-05-01', '2015-05-01', {
          description: 'Graffiti on the fence.',
          hateMotivated: false,
          alsoReportedTo: [{ reportedTo: 'council', reportedOn: '2015-05-02', reference: 'ASB/77' }],
        }),
      ],
      consentToShare: true,
      channel: 'letter',
      receivedAt: '2015-06-01T10:00:00Z',
    };

    // Act
    const { reference, accessCode } = await api.submit(body, officer);
    const staff = await api.waitForStage(reference, officer, 'awaiting-threshold-decision');
    const applicant = (await api.get(`/api/cases/${reference}`, { accessCode })).body;

    // Assess
    expect(staff.application).toMatchObject({
      onBehalfOf: { postcode: 'L20 1AB', email: 'pat@example.com', phone: '0151 496 0000' },
      incidents: [
        { alsoReportedTo: [{ reportedTo: 'council', reportedOn: '2015-05-02', reference: 'ASB/77' }] },
      ],
    });
    expect(JSON.stringify(applicant)).not.toContain('ASB/77');
  });
});

import { describe, expect, it } from 'vitest';
import { type ApplicationContext, applicationSchema, validate } from '#core/schemas.ts';
import {
  CSP_IDS,
  NOW,
  validApplicant,
  validApplication,
  validIncident,
} from '#test/unit/support/application-fixtures.ts';

const ONLINE: ApplicationContext = { now: NOW, staff: false, cspIds: CSP_IDS };
const OFFICER: ApplicationContext = { now: NOW, staff: true, cspIds: ['sefton'] };

function parse(body: unknown, context: ApplicationContext = ONLINE) {
  return validate(applicationSchema(context), body);
}

function issuesOf(body: unknown, context: ApplicationContext = ONLINE) {
  const result = parse(body, context);
  if (result.success) throw new Error('expected the application to be refused');
  return result.issues;
}

function accepted(body: unknown, context: ApplicationContext = ONLINE) {
  const result = parse(body, context);
  if (!result.success)
    throw new Error(`expected the application to be accepted: ${JSON.stringify(result.issues)}`);
  return result.data;
}

describe('applicationSchema', () => {
  describe('a valid online application', () => {
    it('is accepted as online, received now', () => {
      // Prepare
      const body = validApplication();

      // Act
      const application = accepted(body);

      // Assess
      expect(application.channel).toBe('online');
      expect(application.receivedAt).toBe('2015-06-01T10:00:00.000Z');
      expect(application.incidents).toHaveLength(1);
    });

    it('trims every answer and writes the postcode the standard way', () => {
      // Prepare
      const body = validApplication({
        description: '  Noise every night  ',
        applicant: validApplicant({ name: '  Sam Resident ', postcode: ' l20  1aa ' }),
      });

      // Act
      const application = accepted(body);

      // Assess
      expect(application.description).toBe('Noise every night');
      expect(application.applicant.name).toBe('Sam Resident');
      expect(application.applicant.postcode).toBe('L20 1AA');
    });

    it('treats blank optional answers as not given, as a form sends them', () => {
      // Prepare
      const body = validApplication({
        applicant: validApplicant({ phone: '  ', accessibilityNeeds: '' }),
        incidents: [validIncident({ reference: '', location: ' ' })],
      });

      // Act
      const application = accepted(body);

      // Assess
      expect(application.applicant.phone).toBeUndefined();
      expect(application.applicant.accessibilityNeeds).toBeUndefined();
      expect(application.incidents[0]?.reference).toBeUndefined();
      expect(application.incidents[0]?.location).toBeUndefined();
    });

    it('keeps accessibility and vulnerability needs, the time and the place', () => {
      // Prepare
      const body = validApplication({
        applicant: validApplicant({
          accessibilityNeeds: 'Large print letters',
          vulnerabilityNeeds: 'I live alone',
        }),
        incidents: [validIncident({ occurredAt: '23:45', location: 'Outside 14 Acacia Avenue' })],
      });

      // Act
      const application = accepted(body);

      // Assess
      expect(application.applicant.accessibilityNeeds).toBe('Large print letters');
      expect(application.applicant.vulnerabilityNeeds).toBe('I live alone');
      expect(application.incidents[0]).toMatchObject({
        occurredAt: '23:45',
        location: 'Outside 14 Acacia Avenue',
      });
    });
  });

  describe('the request as a whole', () => {
    it('refuses a body that is not an object', () => {
      expect(issuesOf(null)).toEqual([{ path: '', message: 'Send the application as a JSON object' }]);
      expect(issuesOf([])).toEqual([{ path: '', message: 'Send the application as a JSON object' }]);
    });

    it('names each unknown field where it is, so a typo is caught', () => {
      // Prepare
      const body = validApplication({
        emial: 'x',
        applicant: validApplicant({ telephone: '0' }),
        incidents: [validIncident({ reportedto: 'police' })],
      });

      // Act
      const issues = issuesOf(body);

      // Assess
      expect(issues).toEqual([
        {
          path: 'applicant.telephone',
          message: 'telephone is not something we ask for. Check the spelling or remove it',
        },
        {
          path: 'incidents.0.reportedto',
          message: 'reportedto is not something we ask for. Check the spelling or remove it',
        },
        { path: 'emial', message: 'emial is not something we ask for. Check the spelling or remove it' },
      ]);
    });

    it('refuses a CSP outside the area', () => {
      expect(issuesOf(validApplication({ csp: 'manchester' }))).toEqual([
        { path: 'csp', message: 'Select the council area where the anti-social behaviour is happening' },
      ]);
    });

    it('refuses an unknown victim type', () => {
      expect(issuesOf(validApplication({ victimType: 'person' }))).toEqual([
        {
          path: 'victimType',
          message: 'Select whether the victim is a person, a business or a community group',
        },
      ]);
    });

    it('refuses a description longer than 10,000 characters', () => {
      expect(issuesOf(validApplication({ description: 'a'.repeat(10_001) }))).toEqual([
        {
          path: 'description',
          message: 'The description of the anti-social behaviour must be 10,000 characters or less',
        },
      ]);
    });

    it('asks for the impact when it is blank', () => {
      expect(issuesOf(validApplication({ impact: '   ' }))).toEqual([
        { path: 'impact', message: 'Describe how the anti-social behaviour is affecting you' },
      ]);
    });

    it('requires consent to share the application between the agencies', () => {
      // Prepare
      const message =
        'Confirm that you agree to the agencies sharing the information in this application with each other. The case review cannot happen without it';

      // Act
      const refused = issuesOf(validApplication({ consentToShare: false }));
      const missing = issuesOf(validApplication({ consentToShare: undefined }));

      // Assess
      expect(refused).toEqual([{ path: 'consentToShare', message }]);
      expect(missing).toEqual([{ path: 'consentToShare', message }]);
    });
  });

  describe('the applicant', () => {
    it('asks for a name', () => {
      expect(issuesOf(validApplication({ applicant: validApplicant({ name: ' ' }) }))).toEqual([
        { path: 'applicant.name', message: 'Enter your full name' },
      ]);
    });

    it('refuses a name longer than 200 characters', () => {
      expect(issuesOf(validApplication({ applicant: validApplicant({ name: 'a'.repeat(201) }) }))).toEqual([
        { path: 'applicant.name', message: 'Your full name must be 200 characters or less' },
      ]);
    });

    it('accepts a name of exactly 200 characters', () => {
      expect(
        accepted(validApplication({ applicant: validApplicant({ name: 'a'.repeat(200) }) })).applicant.name,
      ).toHaveLength(200);
    });

    it('refuses control characters and broken characters in a name, naming which', () => {
      expect(
        issuesOf(validApplication({ applicant: validApplicant({ name: 'Sam\u0000 Example' }) })),
      ).toEqual([{ path: 'applicant.name', message: 'Your full name must not include control characters' }]);
      expect(issuesOf(validApplication({ applicant: validApplicant({ name: 'Sam \ud83d' }) }))).toEqual([
        {
          path: 'applicant.name',
          message: 'Your full name must not include broken characters, like half of an emoji',
        },
      ]);
    });

    it('keeps a name in any script, with its direction marks and emoji, as written', () => {
      const name = '\u200fسام مثال 😀 Siân Ó Briain';
      expect(accepted(validApplication({ applicant: validApplicant({ name }) })).applicant.name).toBe(name);
    });

    it('refuses an email address in the wrong format', () => {
      expect(issuesOf(validApplication({ applicant: validApplicant({ email: 'sam at example' }) }))).toEqual([
        {
          path: 'applicant.email',
          message: 'Enter an email address in the correct format, like name@example.com',
        },
      ]);
    });

    it('refuses a telephone number that is not one', () => {
      expect(
        issuesOf(
          validApplication({ applicant: validApplicant({ phone: '12345', contactPreference: 'email' }) }),
        ),
      ).toEqual([
        {
          path: 'applicant.phone',
          message: 'Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
        },
      ]);
    });

    it.each(['01632 960 001', '07700-900-982', '+44 808 157 0192', '(0151) 496 0000'])(
      'accepts the telephone number %s',
      (phone) => {
        expect(accepted(validApplication({ applicant: validApplicant({ phone }) })).applicant.phone).toBe(
          phone,
        );
      },
    );

    it('lets a resident who chose letters go on without an email address or telephone number', () => {
      const applicant = accepted(
        validApplication({
          applicant: validApplicant({ email: undefined, phone: '', contactPreference: 'post' }),
        }),
      ).applicant;
      expect(applicant).toMatchObject({ contactPreference: 'post', postcode: expect.any(String) });
      expect([applicant.email, applicant.phone]).toEqual([undefined, undefined]);
    });

    it('still asks a resident who chose letters for their address and postcode', () => {
      expect(
        issuesOf(
          validApplication({
            applicant: validApplicant({
              email: undefined,
              phone: '',
              contactPreference: 'post',
              address: '',
              postcode: undefined,
            }),
          }),
        ).map((issue) => issue.path),
      ).toEqual(['applicant.address', 'applicant.postcode']);
    });

    it('asks for an email address or a telephone number, on the email field', () => {
      expect(
        issuesOf(
          validApplication({
            applicant: validApplicant({ email: undefined, phone: '', contactPreference: 'text' }),
          }),
        ),
      ).toEqual([
        {
          path: 'applicant.email',
          message:
            'Enter an email address or a telephone number, so we can contact you about your application',
        },
      ]);
    });

    it('asks for the email address when email is the preferred contact', () => {
      expect(
        issuesOf(
          validApplication({ applicant: validApplicant({ email: undefined, contactPreference: 'email' }) }),
        ),
      ).toEqual([
        {
          path: 'applicant.email',
          message: 'Enter your email address, or choose another way for us to contact you',
        },
      ]);
    });

    it.each(['phone', 'text'])(
      'asks for the telephone number when %s is the preferred contact',
      (preference) => {
        expect(
          issuesOf(
            validApplication({
              applicant: validApplicant({ phone: undefined, contactPreference: preference }),
            }),
          ),
        ).toEqual([
          {
            path: 'applicant.phone',
            message: 'Enter your telephone number, or choose another way for us to contact you',
          },
        ]);
      },
    );

    it('accepts post as the preferred contact with only a telephone number', () => {
      expect(
        accepted(
          validApplication({ applicant: validApplicant({ email: undefined, contactPreference: 'post' }) }),
        ).applicant.contactPreference,
      ).toBe('post');
    });

    it('checks the contact details even when another answer is wrong', () => {
      // Prepare
      const applicant = validApplicant({ name: '', email: undefined, phone: undefined });

      // Act
      const issues = issuesOf(validApplication({ applicant }));

      // Assess
      expect(issues.map((issue) => issue.path)).toEqual(['applicant.name', 'applicant.email']);
    });

    it('refuses a postcode that is not one', () => {
      expect(issuesOf(validApplication({ applicant: validApplicant({ postcode: 'L20' }) }))).toEqual([
        { path: 'applicant.postcode', message: 'Enter a real postcode, like L20 1AA' },
      ]);
    });

    it('asks for a postcode left empty', () => {
      expect(issuesOf(validApplication({ applicant: validApplicant({ postcode: ' ' }) }))).toEqual([
        { path: 'applicant.postcode', message: 'Enter your postcode' },
      ]);
    });

    it('asks for the contact preference', () => {
      expect(
        issuesOf(validApplication({ applicant: validApplicant({ contactPreference: 'pigeon' }) })),
      ).toEqual([
        { path: 'applicant.contactPreference', message: 'Select how you would like us to contact you' },
      ]);
    });
  });

  describe('an application for someone else', () => {
    const someoneElse = (overrides: Record<string, unknown> = {}) => ({
      name: 'Pat Victim',
      relationship: 'Daughter',
      consentGiven: true,
      ...overrides,
    });

    it('is accepted with their consent', () => {
      expect(accepted(validApplication({ onBehalfOf: someoneElse() })).onBehalfOf).toEqual({
        name: 'Pat Victim',
        relationship: 'Daughter',
        consentGiven: true,
      });
    });

    it('explains that the person must agree to it', () => {
      // Prepare
      const message =
        'You can only apply for someone else if they agree to it. Confirm that they have given their consent';

      // Act
      const refused = issuesOf(validApplication({ onBehalfOf: someoneElse({ consentGiven: false }) }));

      // Assess
      expect(refused).toEqual([{ path: 'onBehalfOf.consentGiven', message }]);
    });

    it('asks for their name and the relationship', () => {
      expect(
        issuesOf(validApplication({ onBehalfOf: someoneElse({ name: '', relationship: undefined }) })),
      ).toEqual([
        { path: 'onBehalfOf.name', message: 'Enter the name of the person you are applying for' },
        {
          path: 'onBehalfOf.relationship',
          message: 'Enter how you know the person you are applying for, like neighbour or councillor',
        },
      ]);
    });

    it('keeps their address and writes their postcode the standard way', () => {
      expect(
        accepted(validApplication({ onBehalfOf: someoneElse({ address: '3 Oak Road', postcode: 'l201ab' }) }))
          .onBehalfOf,
      ).toMatchObject({ address: '3 Oak Road', postcode: 'L20 1AB' });
    });

    it("keeps their email and telephone number, checked as the applicant's are", () => {
      // Act
      const kept = accepted(
        validApplication({ onBehalfOf: someoneElse({ email: ' pat@example.com ', phone: '0151 496 0000' }) }),
      ).onBehalfOf;
      const refused = issuesOf(
        validApplication({ onBehalfOf: someoneElse({ email: 'pat-at-example', phone: '12' }) }),
      );

      // Assess
      expect(kept).toMatchObject({ email: 'pat@example.com', phone: '0151 496 0000' });
      expect(refused).toEqual([
        {
          path: 'onBehalfOf.email',
          message: 'Enter an email address in the correct format, like name@example.com',
        },
        {
          path: 'onBehalfOf.phone',
          message: 'Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192',
        },
      ]);
    });
  });

  describe('an incident reported to several bodies', () => {
    const withOthers = (alsoReportedTo: unknown, overrides: Record<string, unknown> = {}) =>
      validApplication({ incidents: [validIncident({ alsoReportedTo, ...overrides })] });

    it('keeps each other report with its body, date and reference', () => {
      // Act
      const [incident] = accepted(
        withOthers([
          { reportedTo: 'council', reportedOn: '2015-05-03', reference: ' ASB/77 ' },
          { reportedTo: 'health', reportedOn: '2015-05-04', reference: '' },
        ]),
      ).incidents;

      // Assess
      expect(incident?.alsoReportedTo).toEqual([
        { reportedTo: 'council', reportedOn: '2015-05-03', reference: 'ASB/77' },
        { reportedTo: 'health', reportedOn: '2015-05-04' },
      ]);
    });

    it('names each wrong answer of another report where it is', () => {
      expect(
        issuesOf(
          withOthers([
            { reportedTo: 'mp', reportedOn: '2015-05-03' },
            { reportedTo: 'council', reportedOn: '2015-04-30' },
            { reportedTo: 'council', reportedOn: '2015-13-01', extra: true },
            'the council',
          ]),
        ),
      ).toEqual([
        {
          path: 'incidents.0.alsoReportedTo.0.reportedTo',
          message: 'Select who else the incident was reported to',
        },
        {
          path: 'incidents.0.alsoReportedTo.2.reportedOn',
          message: 'The date the incident was reported to them must be a real date, like 2015-05-01',
        },
        {
          path: 'incidents.0.alsoReportedTo.2.extra',
          message: 'extra is not something we ask for. Check the spelling or remove it',
        },
        {
          path: 'incidents.0.alsoReportedTo.3',
          message: 'Enter who else the incident was reported to, and when',
        },
        {
          path: 'incidents.0.alsoReportedTo.1.reportedOn',
          message:
            'The date the incident was reported to them must be the same as or after the date it happened',
        },
      ]);
    });

    it('accepts 10 other reports and refuses 11', () => {
      // Prepare
      const others = (count: number) =>
        Array.from({ length: count }, () => ({ reportedTo: 'council', reportedOn: '2015-05-03' }));

      // Act, Assess
      expect(accepted(withOthers(others(10))).incidents[0]?.alsoReportedTo).toHaveLength(10);
      expect(issuesOf(withOthers(others(11)))).toEqual([
        {
          path: 'incidents.0.alsoReportedTo',
          message: 'You can add up to 10 other reports of one incident. Describe any others in what happened',
        },
      ]);
    });

    it('refuses another report made after an officer-entered application was received', () => {
      // Prepare
      const body = validApplication({
        channel: 'letter',
        receivedAt: '2015-05-10T12:00:00Z',
        incidents: [
          validIncident({
            occurredOn: '2015-05-01',
            reportedOn: '2015-05-02',
            alsoReportedTo: [{ reportedTo: 'council', reportedOn: '2015-05-11' }],
          }),
        ],
      });

      // Act, Assess
      expect(issuesOf(body, OFFICER)).toEqual([
        {
          path: 'incidents.0.alsoReportedTo.0.reportedOn',
          message:
            'The date the incident was reported to them must be on or before the date the application was received',
        },
      ]);
    });

    it('accepts a report to a health service', () => {
      expect(
        accepted(validApplication({ incidents: [validIncident({ reportedTo: 'health' })] })).incidents,
      ).toMatchObject([{ reportedTo: 'health' }]);
    });
  });

  describe('the incidents', () => {
    it('asks for at least one incident', () => {
      expect(issuesOf(validApplication({ incidents: [] }))).toEqual([
        { path: 'incidents', message: 'Add at least one incident you have reported' },
      ]);
      expect(issuesOf(validApplication({ incidents: undefined }))).toEqual([
        { path: 'incidents', message: 'Add at least one incident you have reported' },
      ]);
    });

    it('accepts 50 incidents and refuses 51', () => {
      // Prepare
      const fifty = Array.from({ length: 50 }, () => validIncident());

      // Act
      const application = accepted(validApplication({ incidents: fifty }));
      const issues = issuesOf(validApplication({ incidents: [...fifty, validIncident()] }));

      // Assess
      expect(application.incidents).toHaveLength(50);
      expect(issues).toEqual([
        {
          path: 'incidents',
          message: 'You can add up to 50 incidents. Describe any others in your description',
        },
      ]);
    });

    it('asks for the date the incident happened', () => {
      expect(issuesOf(validApplication({ incidents: [validIncident({ occurredOn: undefined })] }))).toEqual([
        { path: 'incidents.0.occurredOn', message: 'Enter the date the incident happened' },
      ]);
    });

    it.each(['2015-02-30', '2015-13-01', '01/05/2015', '2015-5-1'])('refuses %s as a date', (occurredOn) => {
      expect(issuesOf(validApplication({ incidents: [validIncident({ occurredOn })] }))).toEqual([
        {
          path: 'incidents.0.occurredOn',
          message: 'The date the incident happened must be a real date, like 2015-05-01',
        },
      ]);
    });

    it('accepts 29 February in a leap year', () => {
      // Prepare
      const context = { ...ONLINE, now: new Date('2016-03-10T12:00:00Z') };
      const incident = validIncident({ occurredOn: '2016-02-29', reportedOn: '2016-02-29' });

      // Act
      const application = accepted(validApplication({ incidents: [incident] }), context);

      // Assess
      expect(application.incidents[0]?.occurredOn).toBe('2016-02-29');
    });

    it('refuses a date in the future', () => {
      expect(
        issuesOf(
          validApplication({
            incidents: [validIncident({ occurredOn: '2015-06-02', reportedOn: '2015-06-02' })],
          }),
        ),
      ).toEqual([
        {
          path: 'incidents.0.occurredOn',
          message: 'The date the incident happened must be today or in the past',
        },
        {
          path: 'incidents.0.reportedOn',
          message: 'The date the incident was reported must be today or in the past',
        },
      ]);
    });

    it('refuses a date before 13 March 2014, when the Act became law, and takes that day', () => {
      // Prepare
      const on = (occurredOn: string) => validApplication({ incidents: [validIncident({ occurredOn })] });

      // Act
      const earliest = accepted(on('2014-03-13'));

      // Assess
      expect(earliest.incidents[0]?.occurredOn).toBe('2014-03-13');
      for (const occurredOn of ['2014-03-12', '1066-10-14']) {
        expect(issuesOf(on(occurredOn))).toEqual([
          {
            path: 'incidents.0.occurredOn',
            message:
              'The date the incident happened must be on or after 13 March 2014, when the Anti-social Behaviour, Crime and Policing Act 2014 became law',
          },
        ]);
      }
    });

    it('takes today as the UK date, so just after midnight in summer is already the next day', () => {
      // Prepare: 23:30 UTC on 1 June is 00:30 on 2 June in London (BST).
      const context = { ...ONLINE, now: new Date('2015-06-01T23:30:00Z') };
      const incident = validIncident({ occurredOn: '2015-06-02', reportedOn: '2015-06-02' });

      // Act
      const application = accepted(validApplication({ incidents: [incident] }), context);

      // Assess
      expect(application.incidents[0]?.occurredOn).toBe('2015-06-02');
    });

    it('refuses a report dated before the incident happened', () => {
      expect(
        issuesOf(
          validApplication({
            incidents: [validIncident({ occurredOn: '2015-05-02', reportedOn: '2015-05-01' })],
          }),
        ),
      ).toEqual([
        {
          path: 'incidents.0.reportedOn',
          message: 'The date the incident was reported must be the same as or after the date it happened',
        },
      ]);
    });

    it('accepts a report made the day it happened', () => {
      expect(
        accepted(
          validApplication({
            incidents: [validIncident({ occurredOn: '2015-05-02', reportedOn: '2015-05-02' })],
          }),
        ).incidents,
      ).toHaveLength(1);
    });

    it('compares the two dates even when another answer about the incident is wrong', () => {
      // Prepare
      const incident = validIncident({ occurredOn: '2015-05-02', reportedOn: '2015-05-01', description: '' });

      // Act
      const issues = issuesOf(validApplication({ incidents: [incident] }));

      // Assess
      expect(issues.map((issue) => issue.path)).toEqual([
        'incidents.0.description',
        'incidents.0.reportedOn',
      ]);
    });

    it('asks who the incident was reported to', () => {
      expect(issuesOf(validApplication({ incidents: [validIncident({ reportedTo: 'mp' })] }))).toEqual([
        { path: 'incidents.0.reportedTo', message: 'Select who the incident was reported to' },
      ]);
    });

    it('asks whether it was a hate incident', () => {
      expect(issuesOf(validApplication({ incidents: [validIncident({ hateMotivated: 'no' })] }))).toEqual([
        {
          path: 'incidents.0.hateMotivated',
          message: 'Select whether you think the incident was a hate incident',
        },
      ]);
    });

    it('takes one motivation or several, each once', () => {
      // Prepare
      const incidents = [
        validIncident({ hateMotivated: true, hateMotivation: 'disability' }),
        validIncident({ hateMotivated: true, hateMotivation: ['race', 'religion', 'race'] }),
      ];

      // Act
      const application = accepted(validApplication({ incidents }));

      // Assess
      expect(application.incidents.map((incident) => incident.hateMotivation)).toEqual([
        ['disability'],
        ['race', 'religion'],
      ]);
    });

    it('refuses a motivation outside the five monitored', () => {
      expect(
        issuesOf(
          validApplication({ incidents: [validIncident({ hateMotivated: true, hateMotivation: 'age' })] }),
        ),
      ).toEqual([
        {
          path: 'incidents.0.hateMotivation',
          message:
            'Select what you think motivated the incident: race, religion, disability, sexual orientation or transgender identity',
        },
      ]);
    });

    it('refuses a motivation for an incident that was not a hate incident', () => {
      expect(
        issuesOf(
          validApplication({
            incidents: [validIncident({ hateMotivated: false, hateMotivation: ['race'] })],
          }),
        ),
      ).toEqual([
        {
          path: 'incidents.0.hateMotivation',
          message: 'Only say what motivated the incident if you think it was a hate incident',
        },
      ]);
    });

    it('refuses a time that is not one', () => {
      expect(issuesOf(validApplication({ incidents: [validIncident({ occurredAt: '24:00' })] }))).toEqual([
        {
          path: 'incidents.0.occurredAt',
          message: 'The time the incident happened must be a real time, like 09:30 or 21:15',
        },
      ]);
    });

    it('refuses a reference longer than 200 characters', () => {
      expect(
        issuesOf(validApplication({ incidents: [validIncident({ reference: 'R'.repeat(201) })] })),
      ).toEqual([
        { path: 'incidents.0.reference', message: 'The reference number must be 200 characters or less' },
      ]);
    });
  });

  describe('channel and time received', () => {
    it('refuses them from anyone but a council officer, naming the field', () => {
      expect(issuesOf(validApplication({ channel: 'phone', receivedAt: '2015-05-20T10:00:00Z' }))).toEqual([
        { path: 'channel', message: 'Only council officers can set channel' },
        { path: 'receivedAt', message: 'Only council officers can set receivedAt' },
      ]);
    });

    it("records an officer's letter as received when the officer says", () => {
      // Prepare
      const body = validApplication({ channel: 'letter', receivedAt: '2015-05-20T09:30:00+01:00' });

      // Act
      const application = accepted(body, OFFICER);

      // Assess
      expect(application.channel).toBe('letter');
      expect(application.receivedAt).toBe('2015-05-20T08:30:00.000Z');
    });

    it('takes now as the time received when the officer does not give one', () => {
      expect(accepted(validApplication({ channel: 'phone' }), OFFICER).receivedAt).toBe(
        '2015-06-01T10:00:00.000Z',
      );
    });

    it('asks the officer how the application was received', () => {
      expect(issuesOf(validApplication(), OFFICER)).toEqual([
        { path: 'channel', message: 'Select how the application was received' },
      ]);
      expect(issuesOf(validApplication({ channel: 'fax' }), OFFICER)).toEqual([
        { path: 'channel', message: 'Select how the application was received' },
      ]);
    });

    it('limits an officer to the CSPs given', () => {
      expect(issuesOf(validApplication({ csp: 'wirral', channel: 'phone' }), OFFICER)).toEqual([
        { path: 'csp', message: 'Select the council area where the anti-social behaviour is happening' },
      ]);
    });

    it('refuses a time received in the future', () => {
      expect(
        issuesOf(validApplication({ channel: 'email', receivedAt: '2015-06-01T10:00:01Z' }), OFFICER),
      ).toEqual([
        {
          path: 'receivedAt',
          message: 'The date and time the application was received must be now or in the past',
        },
      ]);
    });

    it('refuses a time received before the case review existed', () => {
      expect(
        issuesOf(validApplication({ channel: 'letter', receivedAt: '2014-10-19T22:59:59Z' }), OFFICER),
      ).toEqual([
        {
          path: 'receivedAt',
          message:
            'The date the application was received must be on or after 20 October 2014, when the case review began',
        },
      ]);
    });

    it.each(['2015-05-20', '2015-05-20T10:00:00', '2015-02-30T10:00:00Z', 'yesterday'])(
      'refuses %s as a time received',
      (receivedAt) => {
        expect(issuesOf(validApplication({ channel: 'letter', receivedAt }), OFFICER)).toEqual([
          {
            path: 'receivedAt',
            message: 'Enter the date and time the application was received, like 2015-06-01T10:00:00Z',
          },
        ]);
      },
    );

    it('refuses incidents dated after the application was received', () => {
      // Prepare
      const body = validApplication({
        channel: 'letter',
        receivedAt: '2015-05-10T12:00:00Z',
        incidents: [
          validIncident({ occurredOn: '2015-05-09', reportedOn: '2015-05-11' }),
          validIncident({ occurredOn: '2015-05-12', reportedOn: '2015-05-12' }),
        ],
      });

      // Act
      const issues = issuesOf(body, OFFICER);

      // Assess
      expect(issues).toEqual([
        {
          path: 'incidents.0.reportedOn',
          message:
            'The date the incident was reported must be on or before the date the application was received',
        },
        {
          path: 'incidents.1.occurredOn',
          message:
            'The date the incident happened must be on or before the date the application was received',
        },
        {
          path: 'incidents.1.reportedOn',
          message:
            'The date the incident was reported must be on or before the date the application was received',
        },
      ]);
    });
  });
});

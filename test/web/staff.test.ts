import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError } from '#core/errors.ts';
import { currentReportingYear, previousReportingYear } from '#core/reporting-year.ts';
import { ConcurrentCaseUpdateError } from '#data/errors.ts';
import { InvalidStaffTokenError } from '#shared/staff-token.ts';
import { staffCaseView } from '#test/support/case-views.ts';
import { PageClient, pageRoutes, type TestWeb, testWeb } from '#test/support/web-app.ts';
import type { SignInSettings } from '#web/session/sign-in-settings.ts';

const ROUTES = Object.keys(pageRoutes());
const REFERENCE = 'SEF-7K3M-Q9XD';
const OFFICER = { authorization: 'Bearer officer-token' };
const PCC = { authorization: 'Bearer pcc-token' };

let web: TestWeb;
let browser: PageClient;

type CaseFields = Parameters<typeof staffCaseView>[0] & { onBehalfOf?: unknown; incidents?: unknown };

/** The case as staff see it; `onBehalfOf` and `incidents` are the application's. */
function view({
  onBehalfOf = null,
  incidents = [
    {
      occurredOn: '2015-05-01',
      reportedOn: '2015-05-02',
      reportedTo: 'police',
      description: 'Party.',
      hateMotivated: false,
    },
  ],
  ...overrides
}: CaseFields = {}) {
  return staffCaseView({
    reference: REFERENCE,
    csp: 'sefton',
    stage: 'awaiting-threshold-decision',
    receivedAt: '2015-06-01T10:00:00.000Z',
    channel: 'online',
    victimType: 'individual',
    thresholdAssessment: {
      met: true,
      route: 'A',
      reasons: ['3 separate incidents count, and 3 are needed.'],
    },
    nextDeadline: '2015-06-15T22:59:59.999Z',
    overdue: true,
    deadlines: { thresholdDecision: '2015-06-15T22:59:59.999Z' },
    timeline: [
      {
        at: '2015-06-01T10:00:00.000Z',
        type: 'received',
        summary: 'Application received online',
        actor: { role: 'applicant' },
      },
    ],
    application: {
      applicant: {
        name: '<b>Jo</b> Resident',
        address: '1 Hill Street\nBootle',
        postcode: 'L20 1AA',
        email: 'jo@example.com',
        contactPreference: 'email',
      },
      onBehalfOf,
      description: 'Loud parties.',
      impact: 'No sleep.',
      incidents,
    },
    audit: [
      { at: '2015-06-02T09:00:00.000Z', what: 'read', actor: { role: 'officer', name: 'Olivia Officer' } },
    ],
    ...overrides,
  });
}

function useCase(overrides: CaseFields = {}) {
  web.operations.cases.set(REFERENCE, { view: view(overrides), accessCode: 'CODE' });
}

beforeEach(() => {
  web = testWeb();
  browser = new PageClient(web, ROUTES);
  useCase();
});

describe('staff pages', () => {
  it('send anyone not signed in to sign in, and refuse roles they are not for', async () => {
    // Act
    const worklist = await browser.get('/staff/cases');
    const referrals = await browser.get('/pcc/referrals', OFFICER);
    const pccToWorklist = await browser.get('/staff/cases', PCC);

    // Assess
    expect(worklist.location).toBe('/staff');
    expect(referrals.status).toBe(403);
    expect(pccToWorklist.location).toBe('/pcc/referrals');
  });

  it('list the cases with their stage, deadline and overdue flag', async () => {
    // Act
    const response = await browser.get('/staff/cases', OFFICER);

    // Assess
    expect(response.status).toBe(200);
    expect(response.body).toContain(`href="/staff/cases/${REFERENCE}"`);
    expect(response.body).toContain('Threshold decision needed');
    expect(response.body).toContain('15 June 2015');
    expect(response.body).toContain('Overdue');
    expect(response.body).toContain('Sign off the return');
  });

  it('flag a case whose workflow stopped and was resumed, on the list and with a warning on its page', async () => {
    // Prepare
    useCase({
      needsAttention: {
        since: '2015-06-20T09:00:00.000Z',
        reason: 'execution-failed',
        resumedBy: `${REFERENCE}-2`,
      },
    });

    // Act
    const list = await browser.get('/staff/cases', OFFICER);
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(list.body).toContain('Needs attention');
    expect(page.body).toContain('govuk-warning-text');
    expect(page.body).toContain('This case needs attention: its workflow stopped on 20 June 2015');
  });

  it('say that a case whose step failed is not restarted yet', async () => {
    // Prepare: marked by the state machine's catch-all, before the reconciler has run.
    useCase({ needsAttention: { since: '2015-06-20T09:00:00.000Z', reason: 'step-failed' } });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(page.body).toContain(
      'This case needs attention: its workflow stopped on 20 June 2015. The service restarts it at its current stage at its next check.',
    );
    expect(page.body).not.toContain('was restarted');
  });

  it('show no warning for a case whose workflow runs', async () => {
    // Act
    const list = await browser.get('/staff/cases', OFFICER);
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(list.body).not.toContain('Needs attention');
    expect(page.body).not.toContain('This case needs attention');
  });

  it('show each incident as a card headed one level below the page’s Incidents heading', async () => {
    // Act
    const response = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(response.body).toMatch(/<h3 class="govuk-summary-card__title">\s*Incident 1\s*<\/h3>/);
    expect(response.body).not.toMatch(/<h2 class="govuk-summary-card__title">/);
  });

  it('start a list again at its first page when its cursor is out of date', async () => {
    // Act
    const response = await browser.get('/staff/cases?stage=closed&cursor=made-up', OFFICER);

    // Assess
    expect(response.location).toBe('/staff/cases?stage=closed');
  });

  it('show the case with its reasons, application, incidents and audit, escaping what people typed', async () => {
    // Act
    const response = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(response.body).toContain('3 separate incidents count, and 3 are needed.');
    expect(response.body).toContain('&lt;b&gt;Jo&lt;/b&gt; Resident');
    expect(response.body).toContain('1 Hill Street, Bootle, L20 1AA');
    expect(response.body).toContain('Incident 1');
    expect(response.body).toContain('Audit trail');
    expect(response.body).toContain('Record the threshold decision');
    expect(response.body).not.toContain('Record the review outcome');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it("show an incident's other reports, the victim's details and the staff notes of the assessment", async () => {
    // Prepare
    useCase({
      thresholdAssessment: {
        met: false,
        route: null,
        reasons: ['Route A (repeated incidents): 2 separate incidents count, and 3 are needed.'],
        notes: ['Incidents 1 and 2 both happened on 1 May 2015 <and> may be one incident listed twice.'],
      },
      onBehalfOf: {
        name: 'Pat Victim',
        relationship: 'Daughter',
        consentGiven: true,
        address: '3 Oak Road',
        postcode: 'L20 1AB',
        email: 'pat@example.com',
        phone: '0151 496 0000',
      },
      incidents: [
        {
          occurredOn: '2015-05-01',
          reportedOn: '2015-05-02',
          reportedTo: 'police',
          alsoReportedTo: [{ reportedTo: 'council', reportedOn: '2015-05-03', reference: 'ASB/<77>' }],
          description: 'Party.',
          hateMotivated: false,
        },
      ],
    });

    // Act
    const response = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(response.body).toContain('Also reported');
    expect(response.body).toContain('3 May 2015 to the council, reference ASB/&lt;77&gt;');
    expect(response.body).toContain('3 Oak Road, L20 1AB');
    expect(response.body).toContain('pat@example.com');
    expect(response.body).toContain('For staff: check before deciding');
    expect(response.body).toContain('1 May 2015 &lt;and&gt; may be one incident listed twice.');
  });

  it('record the threshold decision as the API takes it', async () => {
    // Prepare
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const met = await browser.post(
      `/staff/cases/${REFERENCE}/threshold-decision`,
      { decision: 'A', reason: 'Three incidents.' },
      OFFICER,
    );
    const notMet = await browser.post(
      `/staff/cases/${REFERENCE}/threshold-decision`,
      { decision: 'not-met', reason: 'One incident.' },
      OFFICER,
    );

    // Assess
    expect(met.location).toBe(`/staff/cases/${REFERENCE}`);
    expect(web.operations.acts.map((act) => act.body)).toEqual([
      { met: true, route: 'A', reason: 'Three incidents.' },
      { met: false, reason: 'One incident.' },
    ]);
    expect(notMet.status).toBe(303);
    expect(web.operations.acts[0]?.caller).toMatchObject({ kind: 'staff', staff: { sub: 'officer-1' } });
  });

  it('put the API’s messages on the right fields of the right form', async () => {
    // Prepare
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    web.operations.failNextAct = new InvalidInputError([
      { path: 'met', message: 'Select whether the threshold for a case review is met' },
      { path: 'reason', message: 'Enter the reason for the decision' },
    ]);

    // Act
    const response = await browser.post(`/staff/cases/${REFERENCE}/threshold-decision`, {}, OFFICER);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      'href="#threshold-decision-decision">Select whether the threshold for a case review is met</a>',
    );
    expect(response.body).toContain(
      'href="#threshold-decision-reason">Enter the reason for the decision</a>',
    );
    expect(response.body).toContain('id="threshold-decision-reason-error"');
  });

  it('ask the officer to confirm a route the check did not find, with the check’s finding, and send it', async () => {
    // Prepare
    useCase({
      thresholdAssessment: { met: false, route: null, routesMet: [], reasons: ['No route is met.'] },
    });
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    web.operations.failNextAct = new InvalidInputError([
      {
        path: 'confirmed',
        message:
          'The check did not find the threshold met by route C. Confirm that you have checked the application and want to record route C',
      },
    ]);

    // Act
    const unconfirmed = await browser.post(
      `/staff/cases/${REFERENCE}/threshold-decision`,
      { decision: 'C', reason: 'A hate incident reported by phone.' },
      OFFICER,
    );
    const confirmed = await browser.post(
      `/staff/cases/${REFERENCE}/threshold-decision`,
      { decision: 'C', reason: 'A hate incident reported by phone.', confirmed: 'yes' },
      OFFICER,
    );

    // Assess
    expect(page.body).toContain('The check did not find any route met.');
    expect(page.body).toContain('name="confirmed" type="checkbox" value="yes"');
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body).toContain(
      'href="#threshold-decision-confirmed">The check did not find the threshold met by route C.',
    );
    expect(unconfirmed.body).toContain('id="threshold-decision-confirmed-error"');
    expect(confirmed.location).toBe(`/staff/cases/${REFERENCE}`);
    useCase({
      stage: 'awaiting-review',
      thresholdDecision: { met: true, route: 'C', reason: 'A hate incident.', confirmed: true },
    });
    expect((await browser.get(`/staff/cases/${REFERENCE}`, OFFICER)).body).toContain(
      'The officer confirmed a route the check did not find',
    );
    expect(web.operations.acts.map((act) => act.body)).toEqual([
      { met: true, route: 'C', reason: 'A hate incident reported by phone.' },
      { met: true, route: 'C', reason: 'A hate incident reported by phone.', confirmed: true },
    ]);
  });

  it('offer only ended years for the annual return, and show the API’s refusal on the year', async () => {
    // Prepare
    web.operations.signOffReturn = async () => {
      throw new ConflictError(
        'The reporting year 2016-17 ends on 31 March 2017: you can sign off its return once it has ended.',
        undefined,
      );
    };

    // Act
    const page = await browser.get('/staff/cases', OFFICER);
    const refused = await browser.post('/staff/returns', { year: '2016-17' }, OFFICER);

    // Assess
    const current = currentReportingYear(new Date(), 'financial');
    expect(page.body).not.toContain(`value="${current.label}"`);
    expect(page.body).toContain(`value="${previousReportingYear(current).label}"`);
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('govuk-error-summary');
    expect(refused.body).toContain('href="#year">The reporting year 2016-17 ends on 31 March 2017');
  });

  it('show the year’s figures before the sign-off, which is a step of its own, and then that it is signed off', async () => {
    // Prepare
    const year = previousReportingYear(currentReportingYear(new Date(), 'financial')).label;
    const published = await web.operations.statistics({ year });
    const provisional = structuredClone(published);
    const sefton = provisional.table.rows.find((row) => row.csp === 'sefton');
    if (sefton) Object.assign(sefton, { status: 'provisional' });
    web.operations.statistics = async () => provisional;

    // Act
    const worklist = await browser.get('/staff/cases', OFFICER);
    const preview = await browser.get(`/staff/returns?year=${year}`, OFFICER);
    const signed = await browser.post('/staff/returns', { year }, OFFICER);
    web.operations.statistics = async () => published;
    const after = await browser.get(signed.location ?? '', OFFICER);

    // Assess
    expect(worklist.body).toMatch(/<form method="get" action="\/staff\/returns"/);
    expect(worklist.body).not.toContain('Sign off the return for');
    expect(preview.body).toContain('Community Trigger applications received');
    expect(preview.body).toMatch(/Community Trigger applications received<\/td>\s*<td[^>]*>15</);
    expect(preview.body).toContain(`Sign off the return for ${year}`);
    expect(signed.location).toBe(`/staff/returns?year=${year}`);
    expect(after.body).toContain(`The return for ${year} is signed off`);
    expect(after.body).not.toContain(`Sign off the return for ${year}`);
  });

  it('take a review outcome with its action plan, adding rows without sending and dropping empty ones', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review' });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const outcome = {
      rows: '1',
      'heldOn-day': '1',
      'heldOn-month': '7',
      'heldOn-year': '2015',
      summary: 'Action plan agreed.',
      'findings-persistence': 'Weekly.',
      'findings-harm': 'Sleepless nights.',
      'findings-adequacy': 'Not adequate.',
      'action-1': 'Mediation',
      'owner-1': 'council',
      'dueBy-1-day': '1',
      'dueBy-1-month': '8',
      'dueBy-1-year': '2015',
    };

    // Act
    const added = await browser.post(
      `/staff/cases/${REFERENCE}/review-outcome`,
      { ...outcome, addRow: 'yes' },
      OFFICER,
    );
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/review-outcome`,
      { ...outcome, rows: '2' },
      OFFICER,
    );

    // Assess
    expect(added.status).toBe(200);
    expect(added.body).toContain('id="review-outcome-action-2"');
    expect(added.body).toContain('Mediation');
    expect(sent.status).toBe(303);
    expect(web.operations.acts.map((act) => act.body)).toEqual([
      {
        heldOn: '2015-07-01',
        summary: 'Action plan agreed.',
        findings: { persistence: 'Weekly.', harm: 'Sleepless nights.', adequacy: 'Not adequate.' },
        recommendations: [{ action: 'Mediation', owner: 'council', dueBy: '2015-08-01' }],
      },
    ]);
  });

  it('link an API message about a recommendation to the row it is about', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review' });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    web.operations.failNextAct = new InvalidInputError([
      {
        path: 'recommendations.0.dueBy',
        message: 'The date the action is due by must be the same as or after …',
      },
    ]);

    // Act
    const response = await browser.post(
      `/staff/cases/${REFERENCE}/review-outcome`,
      {
        rows: '2',
        'heldOn-day': '1',
        'heldOn-month': '7',
        'heldOn-year': '2015',
        summary: 'x',
        'action-2': 'Mediation',
        'owner-2': 'council',
        'dueBy-2-day': '1',
        'dueBy-2-month': '6',
        'dueBy-2-year': '2015',
      },
      OFFICER,
    );

    // Assess
    expect(response.body).toContain('href="#review-outcome-dueBy-2-day"');
  });

  it('say so when the case moved on before the form was sent', async () => {
    // Prepare
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    web.operations.failNextAct = new ConflictError('moved on', 'awaiting-review');

    // Act
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/threshold-decision`,
      { decision: 'A', reason: 'x' },
      OFFICER,
    );
    const response = await browser.get(sent.location ?? '', OFFICER);

    // Assess
    expect(response.body).toContain('Nothing was recorded, because the case had already moved on');
  });

  it('answer the data layer’s conflict (the case kept changing) as a conflict, not a failure', async () => {
    // Prepare
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    web.operations.failNextAct = new ConcurrentCaseUpdateError(REFERENCE);

    // Act
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/threshold-decision`,
      { decision: 'A', reason: 'x' },
      OFFICER,
    );

    // Assess
    expect(sent.status).toBe(303);
  });

  it('give an agency only its own response form, for its own agency', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review' });
    const police = { authorization: 'Bearer police-token' };

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, police);
    await browser.post(
      `/staff/cases/${REFERENCE}/agency-responses`,
      { agency: 'council', summary: 'Two visits.' },
      police,
    );

    // Assess
    expect(page.body).toContain('Responding for: <strong>Police</strong>');
    expect(page.body).not.toContain('Record the review outcome');
    expect(web.operations.acts[0]?.body).toEqual({ agency: 'police', summary: 'Two visits.' });
  });

  it('tell the agency its response was received, from the case as it is now', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review' });
    const police = { authorization: 'Bearer police-token' };
    await browser.get(`/staff/cases/${REFERENCE}`, police);

    // Act
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/agency-responses`,
      { summary: 'Two visits.' },
      police,
    );
    useCase({
      stage: 'awaiting-review',
      agencyResponses: [
        {
          agency: 'police',
          summary: 'Two visits.',
          at: '2015-06-10T09:00:00.000Z',
          cycle: 1,
          by: { role: 'agency' },
        },
      ],
    });
    const page = await browser.get(sent.location ?? '', police);

    // Assess
    expect(sent.location).toBe(`/staff/cases/${REFERENCE}`);
    expect(page.body).toContain(
      'the response from the police was received, and the case review officer can see it',
    );
  });

  it('give the PCC’s office its queue and decision form', async () => {
    // Prepare
    useCase({ stage: 'awaiting-pcc-decision', referral: { reason: 'Not considered.' } });

    // Act
    const queue = await browser.get('/pcc/referrals', PCC);
    const page = await browser.get(`/pcc/referrals/${REFERENCE}`, PCC);
    await browser.post(
      `/staff/cases/${REFERENCE}/pcc-decision`,
      { outcome: 'refer-back', reason: 'Policy not considered.' },
      PCC,
    );

    // Assess
    expect(queue.body).toContain(`href="/pcc/referrals/${REFERENCE}"`);
    expect(page.body).toContain('Record your decision');
    expect(page.body).toContain('Not considered.');
    expect(web.operations.acts[0]?.body).toEqual({ outcome: 'refer-back', reason: 'Policy not considered.' });
  });
});

describe('the victim’s contact and involvement on the staff case page', () => {
  it('show the contact and how the victim takes part, with the officer’s forms for both', async () => {
    // Prepare
    useCase({
      stage: 'awaiting-review',
      involvement: { level: 'attend', attendance: 'online', consultOnPlan: true },
    });

    // Act
    const officer = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const police = await browser.get(`/staff/cases/${REFERENCE}`, { authorization: 'Bearer police-token' });

    // Assess
    expect(officer.body).toContain('Sefton Council anti-social behaviour team');
    expect(officer.body).toContain('0345 140 0845');
    expect(officer.body).toContain('Attend the meeting online');
    expect(officer.body).toContain(`action="/staff/cases/${REFERENCE}/contact"`);
    expect(officer.body).toContain(`action="/staff/cases/${REFERENCE}/involvement"`);
    expect(officer.body).toMatch(/value="attend-online" checked/);
    expect(police.body).toContain('Attend the meeting online');
    expect(police.body).not.toContain(`action="/staff/cases/${REFERENCE}/contact"`);
  });

  it('name a person as the contact and record the victim’s choice from a phone call, as the API takes them', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review' });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const contact = await browser.post(
      `/staff/cases/${REFERENCE}/contact`,
      { name: 'Sam Officer', phone: '0151 934 2000', email: 'sam@sefton.gov.uk' },
      OFFICER,
    );
    const involvement = await browser.post(
      `/staff/cases/${REFERENCE}/involvement`,
      { involvement: 'updates-only', involvementViews: '', consultOnPlan: 'yes', involvementNeeds: '' },
      OFFICER,
    );

    // Assess
    expect(contact.status).toBe(303);
    expect(involvement.status).toBe(303);
    expect(web.operations.acts.map(({ action, body }) => ({ action, body }))).toEqual([
      {
        action: 'contact',
        body: { name: 'Sam Officer', phone: '0151 934 2000', email: 'sam@sefton.gov.uk' },
      },
      { action: 'involvement', body: { level: 'updates-only', attendance: null, consultOnPlan: true } },
    ]);
  });

  it('say after naming a contact who it now is and that the applicant was told, with the form closed', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review' });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/contact`,
      { name: 'Sam Officer', phone: '0151 934 2000', email: '' },
      OFFICER,
    );
    const named = {
      name: 'Sam Officer',
      role: 'Your single point of contact',
      phone: '0151 934 2000',
      email: null,
    };
    useCase({ stage: 'awaiting-review', contact: named });

    // Act
    const after = await browser.get(sent.location ?? '', OFFICER);

    // Assess
    expect(after.body).toContain(
      'Contact saved: Sam Officer, 0151 934 2000. The applicant has been told who their contact is.',
    );
    expect(after.body).not.toMatch(
      /<details class="govuk-details" open>\s*<summary[^>]*><span[^>]*>Name a person/,
    );
  });

  it('put the API’s messages on the contact form, keeping what was typed', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review' });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    web.operations.failNextAct = new InvalidInputError([
      { path: 'phone', message: 'Enter a telephone number, like 01632 960 001' },
    ]);

    // Act
    const response = await browser.post(
      `/staff/cases/${REFERENCE}/contact`,
      { name: 'Sam <Officer>', phone: 'none', email: 'sam@sefton.gov.uk' },
      OFFICER,
    );

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain('href="#contact-phone">Enter a telephone number, like 01632 960 001</a>');
    expect(response.body).toContain('value="Sam &lt;Officer&gt;"');
    expect(response.body).toMatch(
      /<details class="govuk-details" open>\s*<summary[^>]*><span[^>]*>Name a person/,
    );
  });

  it('offer no change of involvement once this cycle’s review is recorded', async () => {
    // Prepare
    useCase({
      stage: 'review-complete',
      cycle: 1,
      reviewOutcome: {
        heldOn: '2015-06-20',
        summary: 'Held.',
        recommendations: [],
        at: '2015-06-20T12:00:00.000Z',
        cycle: 1,
        by: { role: 'officer' },
      },
    });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(page.body).not.toContain(`action="/staff/cases/${REFERENCE}/involvement"`);
    expect(page.body).toContain(`action="/staff/cases/${REFERENCE}/contact"`);
  });
});

describe('the case review task list and what a form did', () => {
  it('list the review’s steps with where each stands, linked to its part of the page', async () => {
    // Prepare
    useCase({
      stage: 'awaiting-review',
      cycle: 1,
      thresholdDecision: {
        met: true,
        route: 'A',
        reason: 'Three.',
        at: '2015-06-02T10:00:00.000Z',
        by: { role: 'officer' },
      },
      agencyResponses: [
        {
          agency: 'police',
          summary: 'Two visits.',
          at: '2015-06-03T10:00:00.000Z',
          cycle: 1,
          by: { role: 'agency' },
        },
      ],
    });

    // Act
    const officer = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const police = await browser.get(`/staff/cases/${REFERENCE}`, { authorization: 'Bearer police-token' });

    // Assess
    const tasks = /<ul class="govuk-task-list">([\s\S]*?)<\/ul>/.exec(officer.body)?.[1] ?? '';
    expect(tasks).toMatch(/href="#contact"[\s\S]*Case review team/);
    expect(tasks).toMatch(/href="#involvement"[\s\S]*Not yet known/);
    expect(tasks).toMatch(/href="#agency-responses"[\s\S]*1 received/);
    expect(tasks).toMatch(/href="#review-outcome"[\s\S]*Not yet started/);
    expect(officer.body).toContain('id="review-outcome"');
    expect(police.body).not.toContain('govuk-task-list');
  });

  it('label an agency’s response to a review the PCC’s office referred back as the earlier review’s', async () => {
    // Prepare: the police answered the first review; the new review has heard from the council only
    useCase({
      stage: 'awaiting-review',
      cycle: 2,
      sharedWith: ['police', 'council'],
      agencyResponses: [
        {
          agency: 'police',
          summary: 'Two visits.',
          at: '2015-06-03T10:00:00.000Z',
          cycle: 1,
          by: { role: 'agency' },
        },
        {
          agency: 'council',
          summary: 'A warning.',
          at: '2015-09-03T10:00:00.000Z',
          cycle: 2,
          by: { role: 'agency' },
        },
      ],
    });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(page.body).toContain('Police, to the earlier review (replaced by a new review)');
    expect(page.body).not.toContain('Council, to the earlier review');
    expect(page.body).toContain(
      'No agency has been asked for this review yet. The case is still shared with the agencies of the earlier review: Police, Council.',
    );
  });

  it('show after a form what is now recorded, with no form for it and nothing in the address, once', async () => {
    // Prepare
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/threshold-decision`,
      { decision: 'A', reason: 'Three incidents.' },
      OFFICER,
    );
    useCase({
      recordedDecisions: [
        {
          kind: 'threshold-decision',
          body: { met: true, route: 'A', reason: 'Three incidents.' },
          cycle: 1,
          recordedAt: '2015-06-02T10:00:00.000Z',
          actor: { role: 'officer' },
        },
      ],
    });
    const after = await browser.get(sent.location ?? '', OFFICER);
    const again = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(sent.location).toBe(`/staff/cases/${REFERENCE}`);
    expect(after.body).toContain('govuk-notification-banner--success');
    expect(after.body).toContain(
      'Threshold decision recorded: met (Route A: one person reported 3 separate incidents).',
    );
    expect(after.body).toContain('The case moves on as soon as the workflow has applied it.');
    expect(after.body).not.toContain('Record the threshold decision');
    expect(again.body).not.toContain('govuk-notification-banner');
  });

  it('read what was recorded while the workflow has not applied it yet, and show no form for it', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review', cycle: 1 });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/review-outcome`,
      { 'heldOn-day': '1', 'heldOn-month': '7', 'heldOn-year': '2015', summary: 'Held.' },
      OFFICER,
    );
    useCase({
      stage: 'awaiting-review',
      cycle: 1,
      recordedDecisions: [
        {
          kind: 'review-outcome',
          body: {
            heldOn: '2015-07-01',
            summary: 'Held.',
            findings: { persistence: 'p', harm: 'h', adequacy: 'a' },
            attendees: [],
            recommendations: [
              { action: 'Mediation', owner: 'council', dueBy: '2015-08-01' },
              { action: 'Patrols', owner: 'police', dueBy: '2015-08-01' },
            ],
          },
          cycle: 1,
          recordedAt: '2015-07-01T12:00:00.000Z',
          actor: { role: 'officer' },
        },
      ],
    });

    // Act
    const page = await browser.get(sent.location ?? '', OFFICER);

    // Assess
    expect(page.body).toContain(
      'Review outcome recorded: held on 1 July 2015, 2 actions. The case moves on as soon as the workflow has applied it.',
    );
    expect(page.body).not.toContain('Record the review outcome');
  });

  it('leave no form of the steps before the outcome once it is recorded, before the workflow applies it', async () => {
    // Prepare
    const recordedOutcome = {
      kind: 'review-outcome',
      body: {
        heldOn: '2015-07-01',
        summary: 'Held.',
        findings: { persistence: 'p', harm: 'h', adequacy: 'a' },
        attendees: [],
        recommendations: [],
      },
      cycle: 1,
      recordedAt: '2015-07-01T12:00:00.000Z',
      actor: { role: 'officer' },
    };
    useCase({ stage: 'awaiting-review', cycle: 1 });
    const before = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    useCase({ stage: 'awaiting-review', cycle: 1, recordedDecisions: [recordedOutcome] });

    // Act
    const after = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    for (const step of ['information-requests', 'review-meeting', 'involvement']) {
      expect(before.body).toContain(`action="/staff/cases/${REFERENCE}/${step}"`);
      expect(after.body).not.toContain(`action="/staff/cases/${REFERENCE}/${step}"`);
    }
    expect(after.body).toContain(`action="/staff/cases/${REFERENCE}/contact"`);
    // The task list says so too, linking to no form that is gone.
    const tasks = /<ul class="govuk-task-list">([\s\S]*?)<\/ul>/.exec(after.body)?.[1] ?? '';
    expect(tasks).not.toContain('href="#review-meeting"');
    expect(tasks).not.toContain('href="#information-requests"');
    expect(tasks).toMatch(/Review outcome[\s\S]*?Completed/);
    // The steps skipped before the outcome will never start: they say so, not "Cannot start yet".
    expect(tasks).toMatch(/Agencies asked for information[\s\S]*?None asked/);
    expect(tasks).toMatch(/Review meeting[\s\S]*?None recorded/);
  });

  it('say which steps were never taken once the case closed before a review, none of them still to start', async () => {
    // Prepare: withdrawn while the threshold decision was awaited
    useCase({
      stage: 'closed',
      closure: { reason: 'withdrawn', at: '2015-06-03T10:00:00.000Z' },
      nextDeadline: null,
      overdue: false,
    });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    const tasks = /<ul class="govuk-task-list">([\s\S]*?)<\/ul>/.exec(page.body)?.[1] ?? '';
    expect(tasks).toMatch(/Review outcome[\s\S]*?Not held/);
    expect(tasks).toMatch(/The final action plan[\s\S]*?Not needed/);
    expect(tasks).not.toContain('Cannot start yet');
  });

  it('show no banner on another case’s page', async () => {
    // Prepare
    const other = 'SEF-2222-3333';
    web.operations.cases.set(other, { view: view({ reference: other }), accessCode: 'CODE' });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    await browser.post(`/staff/cases/${REFERENCE}/withdraw`, { reason: 'Asked to.' }, OFFICER);

    // Act
    const page = await browser.get(`/staff/cases/${other}`, OFFICER);

    // Assess
    expect(page.body).not.toContain('govuk-notification-banner');
  });
});

describe('finding a case and working on it', () => {
  it('show the officer’s own cases first, the unassigned ones beside them, with who, where, how and what next', async () => {
    // Act
    const response = await browser.get('/staff/cases', OFFICER);

    // Assess
    expect(web.operations.worklists.map((list) => list.query.assigned)).toEqual(['me', 'unassigned']);
    expect(response.body).toContain('Your cases, oldest deadline first');
    expect(response.body).toContain('Unassigned cases, oldest deadline first');
    expect(response.body).toContain('&lt;b&gt;Jo&lt;/b&gt; Resident');
    expect(response.body).toContain('L20 1AA');
    expect(response.body).toContain('Online');
    expect(response.body).toContain('Decide whether the threshold is met');
    expect(response.body).toContain('href="/staff/cases?view=unassigned"');
    expect(response.body).toContain('href="/staff/cases?view=all"');
  });

  it('filter by stage, overdue and agency asked from the address, which holds no personal data', async () => {
    // Act
    const response = await browser.get(
      '/staff/cases?view=all&stage=awaiting-review&overdue=true&asked=police',
      OFFICER,
    );

    // Assess
    expect(web.operations.worklists).toHaveLength(1);
    expect(web.operations.worklists[0]?.query).toMatchObject({
      stage: 'awaiting-review',
      overdue: 'true',
      asked: 'police',
      assigned: undefined,
    });
    expect(response.body).toContain('Filtered: cases, oldest deadline first');
    expect(response.body).toContain('<option value="police" selected>');
  });

  it('search by posting the words, so the name searched for is in no address', async () => {
    // Prepare
    await browser.get('/staff/cases', OFFICER);

    // Act
    const found = await browser.post('/staff/cases/search', { q: 'resident' }, OFFICER);
    const none = await browser.post('/staff/cases/search', { q: 'nobody-by-this-name' }, OFFICER);
    const empty = await browser.post('/staff/cases/search', { q: '  ' }, OFFICER);

    // Assess
    expect(found.status).toBe(200);
    expect(found.body).toContain('1 case matches your search.');
    expect(found.body).toContain(`href="/staff/cases/${REFERENCE}"`);
    expect(found.body).not.toMatch(/href="[^"]*resident/i);
    expect(none.body).toContain('No cases match your search.');
    expect(empty.status).toBe(400);
    expect(empty.body).toContain('href="#q"');
    expect(empty.body).toContain('Enter a case reference, the applicant’s name or their postcode');
    expect(web.operations.searches.map((search) => search.q)).toEqual([
      'resident',
      'nobody-by-this-name',
      '',
    ]);
  });

  it('name the choices of a missing agency or decision in the form’s words, not the API’s codes', async () => {
    // Prepare
    useCase({ stage: 'awaiting-pcc-decision', referral: { reason: 'Not considered.' } });
    await browser.get(`/pcc/referrals/${REFERENCE}`, PCC);
    web.operations.failNextAct = new InvalidInputError([
      { path: 'outcome', message: 'Select the decision: review-stands or refer-back' },
    ]);

    // Act
    const response = await browser.post(`/staff/cases/${REFERENCE}/pcc-decision`, { reason: 'x' }, PCC);

    // Assess
    expect(response.body).toContain(
      'Select whether the review stands or the case goes back to the partnership for a fresh review',
    );
    expect(response.body).not.toContain('review-stands or refer-back');
  });

  it('let the officer take the case and hand it back, showing who has it', async () => {
    // Prepare
    useCase({ assignedTo: { sub: 'officer-1', name: 'Olivia Officer' } });
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const handedBack = await browser.post(`/staff/cases/${REFERENCE}/assignment`, { to: 'nobody' }, OFFICER);
    useCase();
    const unassigned = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const taken = await browser.post(`/staff/cases/${REFERENCE}/assignment`, { to: 'me' }, OFFICER);

    // Assess
    expect(page.body).toContain('You (Olivia Officer)');
    expect(page.body).toContain('Hand the case back to the unassigned cases');
    expect(unassigned.body).toContain('Nobody yet');
    expect(unassigned.body).toContain('Take this case');
    expect([handedBack.location, taken.location]).toEqual([
      `/staff/cases/${REFERENCE}#case-summary`,
      `/staff/cases/${REFERENCE}#case-summary`,
    ]);
    expect(web.operations.assignments.map((change) => change.to)).toEqual(['nobody', 'me']);
  });

  it('put a tampered assignment form’s problem on the assignment button, changing nothing', async () => {
    // Prepare
    useCase();
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const tampered = await browser.post(`/staff/cases/${REFERENCE}/assignment`, { to: 'officer-2' }, OFFICER);

    // Assess
    expect(tampered.status).toBe(400);
    expect(tampered.body).toContain('href="#assignment"');
    expect(tampered.body).not.toContain('href="#note"');
    expect(tampered.body).toMatch(/<button[^>]*id="assignment"/);
    expect(tampered.body).toContain('Use the button to take this case or hand it back');
    expect(web.operations.assignments).toEqual([]);
  });

  it('say that nothing was recorded when the case closed before the officer took it', async () => {
    // Prepare
    useCase();
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    web.operations.changeAssignment = async () => {
      throw new ConflictError('The case is closed: nobody works on it now.', 'closed');
    };

    // Act
    const sent = await browser.post(`/staff/cases/${REFERENCE}/assignment`, { to: 'me' }, OFFICER);
    const response = await browser.get(sent.location ?? '', OFFICER);

    // Assess
    expect(sent.location).toBe(`/staff/cases/${REFERENCE}`);
    expect(response.body).toContain('Nothing was recorded, because the case had already moved on');
  });

  it('answer a form the case page does not have with "Page not found", doing nothing', async () => {
    // Prepare
    useCase();
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const unknown = await browser.post(`/staff/cases/${REFERENCE}/no-such-form`, { reason: 'x' }, OFFICER);

    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.location).toBeUndefined();
    expect(unknown.body).toContain('Page not found');
    expect(web.operations.acts).toEqual([]);
  });

  it('keep staff notes on the case, saying the applicant never sees them, and refuse an empty one', async () => {
    // Prepare
    useCase({
      caseNotes: [
        {
          at: '2015-06-03T09:00:00.000Z',
          text: 'Called the <i>housing</i> officer.',
          by: { role: 'officer', name: 'Olivia Officer' },
        },
      ],
    });
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const added = await browser.post(
      `/staff/cases/${REFERENCE}/notes`,
      { text: 'Spoke to the police.' },
      OFFICER,
    );
    const empty = await browser.post(`/staff/cases/${REFERENCE}/notes`, { text: '' }, OFFICER);

    // Assess
    expect(page.body).toContain('For staff only: the applicant never sees these notes.');
    expect(page.body).toContain('Called the &lt;i&gt;housing&lt;/i&gt; officer.');
    expect(page.body).toContain('Olivia Officer, Officer');
    expect(added.location).toBe(`/staff/cases/${REFERENCE}#case-notes`);
    expect(web.operations.notes.map((note) => note.text)).toEqual(['Spoke to the police.']);
    expect(empty.status).toBe(400);
    expect(empty.body).toContain('href="#note"');
    expect(empty.body).toContain('Enter the note');
  });

  it('collapse the audit trail, and print the case on a summary page without its forms', async () => {
    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const summary = await browser.get(`/staff/cases/${REFERENCE}/summary`, OFFICER);

    // Assess
    expect(page.body).toMatch(
      /<details class="govuk-details app-no-print" id="audit-trail">\s*<summary[^>]*><span[^>]*>Audit trail \(1 entry\)/,
    );
    expect(page.body).toContain(`href="/staff/cases/${REFERENCE}/summary"`);
    expect(summary.status).toBe(200);
    expect(summary.body).toContain(`Case ${REFERENCE}`);
    expect(summary.body).toContain('&lt;b&gt;Jo&lt;/b&gt; Resident');
    expect(summary.body).toContain('Incident 1');
    expect(summary.body).not.toContain('Record the threshold decision');
    expect(summary.body).not.toContain(`action="/staff/cases/${REFERENCE}/`);
  });

  it('give the PCC’s office the applicant’s grounds above its decision, a way to ask the partnership, and filters by area', async () => {
    // Prepare
    useCase({
      stage: 'awaiting-pcc-decision',
      referral: { reason: 'They never asked the housing provider.' },
    });

    // Act
    const page = await browser.get(`/pcc/referrals/${REFERENCE}`, PCC);
    const queue = await browser.get('/pcc/referrals?csp=wirral&stage=awaiting-pcc-decision', PCC);
    const search = await browser.post('/pcc/referrals/search', { q: REFERENCE }, PCC);

    // Assess
    const grounds = page.body.indexOf('They never asked the housing provider.');
    expect(grounds).toBeGreaterThan(page.body.indexOf('Record your decision'));
    expect(grounds).toBeLessThan(page.body.indexOf('name="outcome"'));
    expect(page.body).toContain('Ask the partnership for information, or add a note');
    expect(web.operations.worklists.at(-1)?.query).toMatchObject({
      csp: 'wirral',
      stage: 'awaiting-pcc-decision',
    });
    expect(queue.body).toContain('<option value="wirral" selected>');
    expect(queue.body).toContain('<option value="awaiting-pcc-decision" selected>');
    expect(search.body).toContain(`href="/pcc/referrals/${REFERENCE}"`);
  });
});

describe('the action plan on the staff case page', () => {
  const OUTCOME = {
    heldOn: '2015-07-01',
    summary: 'Plan agreed.',
    findings: { persistence: 'Weekly.', harm: 'Sleepless nights.', adequacy: 'Nobody visited.' },
    recommendations: [{ action: 'Mediation', owner: 'council', dueBy: '2015-08-01' }],
    at: '2015-07-01T12:00:00.000Z',
    cycle: 1,
    by: { role: 'officer' },
  };
  const DRAFT = {
    status: 'draft',
    respondBy: '2015-07-08',
    response: { agrees: false, comments: 'Start <sooner>.', at: '2015-07-02T09:00:00.000Z' },
    changes: null,
    replaced: false,
    actions: [
      {
        id: 'A1-1',
        action: 'Mediation',
        owner: 'council',
        dueBy: '2015-08-01',
        status: 'open',
        overdue: false,
        progress: [],
      },
    ],
  };

  it('show the draft, the applicant’s answer and the findings, with the final plan’s form filled in from the draft', async () => {
    // Prepare
    useCase({ stage: 'action-plan-consultation', cycle: 1, reviewOutcome: OUTCOME, actionPlan: DRAFT });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(page.body).toContain('The draft action plan');
    expect(page.body).toContain('Start &lt;sooner&gt;.');
    expect(page.body).toContain('Sleepless nights.');
    expect(page.body).toMatch(/href="#plan"[\s\S]*Changes asked for/);
    expect(page.body).toMatch(/href="#action-plan"[\s\S]*Not yet final/);
    expect(page.body).toContain(`action="/staff/cases/${REFERENCE}/action-plan"`);
    expect(page.body).toMatch(/id="action-plan-action-1"[^>]*>Mediation<\/textarea>/);
    expect(page.body).toMatch(/<option value="council" selected>/);
    expect(page.body).toMatch(/id="action-plan-dueBy-1-day"[^>]*value="1"/);
  });

  it('label the outcome and plan of a review the PCC’s office referred back as replaced, on the case and its summary', async () => {
    // Prepare
    useCase({
      stage: 'awaiting-review',
      cycle: 2,
      reviewOutcome: OUTCOME,
      actionPlan: { ...DRAFT, status: 'final', response: null, replaced: true },
    });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const summary = await browser.get(`/staff/cases/${REFERENCE}/summary`, OFFICER);

    // Assess
    for (const shown of [page, summary]) {
      expect(shown.body).toContain('The earlier review outcome (replaced by a new review)');
      expect(shown.body).toContain('The earlier action plan (replaced by a new review)');
      expect(shown.body).not.toContain('>Review outcome</h2>');
    }
  });

  it('send the final plan as the API takes it, and show it final with no form afterwards', async () => {
    // Prepare
    useCase({ stage: 'action-plan-consultation', cycle: 1, reviewOutcome: OUTCOME, actionPlan: DRAFT });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/action-plan`,
      {
        rows: '1',
        'action-1': 'Mediation',
        'owner-1': 'council',
        'dueBy-1-day': '25',
        'dueBy-1-month': '7',
        'dueBy-1-year': '2015',
        changes: 'Mediation a week sooner.',
      },
      OFFICER,
    );
    useCase({
      stage: 'action-plan-consultation',
      cycle: 1,
      reviewOutcome: OUTCOME,
      actionPlan: { ...DRAFT, status: 'final', changes: 'Mediation a week sooner.' },
      recordedDecisions: [
        {
          kind: 'action-plan',
          body: {
            recommendations: [{ action: 'Mediation', owner: 'council', dueBy: '2015-07-25' }],
            changes: 'Mediation a week sooner.',
          },
          cycle: 1,
          recordedAt: '2015-07-03T10:00:00.000Z',
          actor: { role: 'officer' },
          appliedAt: '2015-07-03T10:00:01.000Z',
        },
      ],
    });
    const after = await browser.get(sent.location ?? '', OFFICER);

    // Assess
    expect(web.operations.acts.map(({ action, body }) => ({ action, body }))).toEqual([
      {
        action: 'action-plan',
        body: {
          recommendations: [{ action: 'Mediation', owner: 'council', dueBy: '2015-07-25' }],
          changes: 'Mediation a week sooner.',
        },
      },
    ]);
    expect(after.body).toContain('The action plan is final, with 1 action.');
    expect(after.body).not.toContain(`action="/staff/cases/${REFERENCE}/action-plan"`);
    expect(after.body).toContain('Mediation a week sooner.');
  });
});

describe('progress on the plan’s actions on the staff case page', () => {
  const OUTCOME = {
    heldOn: '2015-07-01',
    summary: 'Plan agreed.',
    findings: { persistence: 'Weekly.', harm: 'Sleepless nights.', adequacy: 'Nobody visited.' },
    recommendations: [],
    at: '2015-07-01T12:00:00.000Z',
    cycle: 1,
    by: { role: 'officer' },
  };
  const action = (id: string, owner: string, status: string, overdue: boolean) => ({
    id,
    action: `Action of the ${owner}`,
    owner,
    dueBy: '2015-08-01',
    status,
    overdue,
    progress: [],
  });
  const plan = (police: string) => ({
    status: 'final',
    respondBy: null,
    response: null,
    changes: null,
    replaced: false,
    actions: [action('1-1', 'council', 'open', true), action('1-2', 'police', police, false)],
  });
  const police = { authorization: 'Bearer police-token' };

  it('give the officer a form under each action and the owning agency one under its own, never on the summary', async () => {
    // Prepare
    useCase({ stage: 'review-complete', cycle: 1, reviewOutcome: OUTCOME, actionPlan: plan('open') });

    // Act
    const officer = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const agency = await browser.get(`/staff/cases/${REFERENCE}`, police);
    const summary = await browser.get(`/staff/cases/${REFERENCE}/summary`, OFFICER);

    // Assess
    expect(officer.body).toContain('id="progress-1-1-status"');
    expect(officer.body).toContain('id="progress-1-2-status"');
    expect(officer.body).toContain('Not started, overdue (it was due by 1 August 2015)');
    expect(officer.body).toContain('The applicant reads this note, so write it for them.');
    expect(agency.body).not.toContain('id="progress-1-1-status"');
    expect(agency.body).toContain('id="progress-1-2-status"');
    expect(summary.body).not.toContain('progress-1-');
  });

  it('send the note as the API takes it, then say in a banner how the action and the plan stand', async () => {
    // Prepare
    useCase({ stage: 'review-complete', cycle: 1, reviewOutcome: OUTCOME, actionPlan: plan('open') });
    await browser.get(`/staff/cases/${REFERENCE}`, police);

    // Act
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/action-progress`,
      { actionId: '1-2', status: 'done', note: 'We visited.' },
      police,
    );
    useCase({ stage: 'review-complete', cycle: 1, reviewOutcome: OUTCOME, actionPlan: plan('done') });
    const after = await browser.get(sent.location ?? '', police);
    const again = await browser.get(`/staff/cases/${REFERENCE}`, police);

    // Assess
    expect(sent.location).toBe(`/staff/cases/${REFERENCE}`);
    expect(web.operations.acts.map(({ action, body }) => ({ action, body }))).toEqual([
      { action: 'action-progress', body: { actionId: '1-2', status: 'done', note: 'We visited.' } },
    ]);
    expect(after.body).toContain(
      'Progress recorded on action 2: Done. The applicant can read your note. 1 action is still open.',
    );
    expect(again.body).not.toContain('Progress recorded');
  });

  it('after the last action’s note, show it finished and the case closed, with no form left on screen', async () => {
    // Prepare
    useCase({ stage: 'review-complete', cycle: 1, reviewOutcome: OUTCOME, actionPlan: plan('done') });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/action-progress`,
      { actionId: '1-1', status: 'cannot-be-done', note: 'The neighbours would not <meet>.' },
      OFFICER,
    );
    const finished = plan('done');
    useCase({
      stage: 'closed',
      cycle: 1,
      reviewOutcome: OUTCOME,
      closure: { reason: 'review-complete', at: '2015-09-01T10:00:00.000Z' },
      actionPlan: {
        ...finished,
        actions: finished.actions.map((each) =>
          each.id === '1-1' ? { ...each, status: 'cannot-be-done', overdue: false } : each,
        ),
      },
    });

    // Act
    const after = await browser.get(sent.location ?? '', OFFICER);

    // Assess
    expect(after.body).toContain('govuk-notification-banner--success');
    expect(after.body).toContain(
      'Progress recorded on action 1: Cannot be done. The applicant can read your note. Every action is finished, and the case is closed.',
    );
    expect(after.body).not.toContain('id="progress-1-1-status"');
    expect(after.body).not.toContain('Update progress on action');
    expect(after.body).not.toContain('The neighbours would not &lt;meet&gt;.');
  });

  it('after a note on an action still open, leave its form empty for the next one, not what was sent', async () => {
    // Prepare
    useCase({ stage: 'review-complete', cycle: 1, reviewOutcome: OUTCOME, actionPlan: plan('open') });
    await browser.get(`/staff/cases/${REFERENCE}`, police);
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/action-progress`,
      { actionId: '1-2', status: 'in-progress', note: 'A visit is booked.' },
      police,
    );
    useCase({ stage: 'review-complete', cycle: 1, reviewOutcome: OUTCOME, actionPlan: plan('in-progress') });

    // Act
    const after = await browser.get(sent.location ?? '', police);

    // Assess
    expect(after.body).toContain(
      'Progress recorded on action 2: In progress. The applicant can read your note. 2 actions are still open.',
    );
    expect(after.body).toMatch(/id="progress-1-2-note"[^>]*><\/textarea>/);
    expect(after.body).not.toMatch(/id="progress-1-2-status[^"]*"[^>]*checked/);
  });

  it('put the API’s messages on that action’s form, keeping what was typed', async () => {
    // Prepare
    useCase({ stage: 'review-complete', cycle: 1, reviewOutcome: OUTCOME, actionPlan: plan('open') });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    web.operations.failNextAct = new InvalidInputError([
      { path: 'status', message: 'Select the progress of the action: in-progress, done or cannot-be-done' },
    ]);

    // Act
    const response = await browser.post(
      `/staff/cases/${REFERENCE}/action-progress`,
      { actionId: '1-1', note: 'Half <done>.' },
      OFFICER,
    );

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain('href="#progress-1-1-status"');
    expect(response.body).toContain('Select how the action stands');
    expect(response.body).toMatch(/id="progress-1-1-note"[^>]*>Half &lt;done&gt;.<\/textarea>/);
  });
});

describe('sharing a file with the applicant on the staff case page', () => {
  const file = (id: string, addedBy: Record<string, string>, sharedWithApplicant: boolean) => ({
    id,
    name: `file ${id.slice(-1)}.pdf`,
    type: 'application/pdf',
    size: 2048,
    addedBy,
    addedAt: '2015-06-03T10:00:00.000Z',
    verdict: 'clean',
    sharedWithApplicant,
  });
  const FILES = [
    file('00000000-0000-4000-8000-000000000001', { role: 'applicant' }, true),
    file('00000000-0000-4000-8000-000000000002', { role: 'officer', name: 'Olivia Officer' }, false),
    file('00000000-0000-4000-8000-000000000003', { role: 'agency', name: 'Pat', agency: 'police' }, true),
  ];
  const police = { authorization: 'Bearer police-token' };
  const buttons = (body: string) =>
    [...body.matchAll(/name="file" value="([^"]+)"/g)].map((match) => match[1]);

  it('says whether the applicant sees each file, with a button where this person may change it', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review', evidence: FILES });

    // Act
    const officer = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const agency = await browser.get(`/staff/cases/${REFERENCE}`, police);
    useCase({ stage: 'closed', evidence: FILES });
    const closed = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(officer.body).toContain('Applicant sees it');
    expect(buttons(officer.body)).toEqual([FILES[1]?.id, FILES[2]?.id]);
    expect(officer.body).toMatch(/Share with the applicant<span class="govuk-visually-hidden"> “file 2.pdf”/);
    expect(officer.body).toMatch(/Stop sharing<span class="govuk-visually-hidden"> “file 3.pdf”/);
    expect(buttons(agency.body)).toEqual([FILES[2]?.id]);
    expect(buttons(closed.body)).toEqual([]);
  });

  it('sends the choice as the API takes it, then says in a banner that the applicant sees the file', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review', evidence: FILES });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/share-file`,
      { file: FILES[1]?.id ?? '', share: 'yes' },
      OFFICER,
    );
    const after = await browser.get(sent.location ?? '', OFFICER);
    const stopped = await browser.post(
      `/staff/cases/${REFERENCE}/share-file`,
      { file: FILES[1]?.id ?? '', share: 'no' },
      OFFICER,
    );
    const afterStopping = await browser.get(stopped.location ?? '', OFFICER);

    // Assess
    expect(sent.location).toBe(`/staff/cases/${REFERENCE}`);
    expect(web.operations.shares.map(({ id, body }) => ({ id, body }))).toEqual([
      { id: FILES[1]?.id, body: { shareWithApplicant: true } },
      { id: FILES[1]?.id, body: { shareWithApplicant: false } },
    ]);
    expect(after.body).toContain(
      '“file 2.pdf” is shared with the applicant: they see it when they track their application.',
    );
    expect(afterStopping.body).toContain('“file 2.pdf” is no longer shared with the applicant.');
  });

  it('changes nothing for a form that is not the page’s, and says so', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review', evidence: FILES });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const forged = await browser.post(
      `/staff/cases/${REFERENCE}/share-file`,
      { file: FILES[1]?.id ?? '', share: 'maybe' },
      OFFICER,
    );
    const after = await browser.get(forged.location ?? '', OFFICER);

    // Assess
    expect(forged.status).toBe(303);
    expect(web.operations.shares).toEqual([]);
    expect(after.body).toContain('Nothing was changed: whom that file is shared with cannot change now.');
  });
});

describe('several files at once on the staff case page', () => {
  const KEY = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

  it('offers the upload form to the page’s script, and lets the page send to storage', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review' });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const pcc = await browser.get(`/pcc/referrals/${REFERENCE}`, PCC);

    // Assess
    expect(page.body).toContain(`data-app-uploads="/staff/cases/${REFERENCE}/files"`);
    expect(page.body).toMatch(/<script type="module" src="\/assets\/upload\.[0-9a-f]+\.mjs"><\/script>/);
    expect(page.headers['content-security-policy']).toContain("connect-src 'self' https://storage.test;");
    expect(page.headers['content-security-policy']).toContain("form-action 'self' https://storage.test");
    expect(pcc.body).not.toContain('upload.');
    expect(pcc.headers['content-security-policy']).toContain("connect-src 'self';");
  });

  it('gives the script a presigned POST per file it describes, as JSON, sent with its key', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review' });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const response = await browser.post(
      `/staff/cases/${REFERENCE}/files`,
      {
        name: ['notes.pdf', 'photo.jpg'],
        type: ['application/pdf', 'image/jpeg'],
        size: ['100', '2000'],
        key: KEY,
      },
      OFFICER,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(JSON.parse(response.body).uploads.map((upload: { url: string }) => upload.url)).toEqual([
      'https://storage.test/asb-evidence',
      'https://storage.test/asb-evidence',
    ]);
    expect(web.operations.uploadRequests).toEqual([
      {
        reference: REFERENCE,
        body: {
          files: [
            { name: 'notes.pdf', type: 'application/pdf', size: 100 },
            { name: 'photo.jpg', type: 'image/jpeg', size: 2000 },
          ],
        },
        caller: expect.objectContaining({ kind: 'staff' }),
        options: { idempotencyKey: KEY },
      },
    ]);
  });

  it('answers a file that is refused with the problem as JSON, for the script to show beside that file', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review' });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const response = await browser.post(
      `/staff/cases/${REFERENCE}/files`,
      {
        name: ['notes.pdf', 'song.mp3'],
        type: ['application/pdf', 'audio/mpeg'],
        size: ['100', '100'],
        key: 'not a key',
      },
      OFFICER,
    );

    // Assess
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      error: 'validation',
      issues: [
        { path: 'files.1', message: 'It must be a PDF, JPEG, PNG, Word document or plain text file.' },
      ],
    });
    expect(web.operations.uploadRequests[0]?.options).toEqual({});
  });
});

describe('asking the agencies and their responses on the staff case page', () => {
  it('ask the agencies chosen, with a date and a message, as the API takes it', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review', cycle: 1 });
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const sent = await browser.post(
      `/staff/cases/${REFERENCE}/information-requests`,
      {
        agencies: ['police', 'housing-provider'],
        'dueBy-day': '20',
        'dueBy-month': '6',
        'dueBy-year': '2015',
        message: 'What do you know of the noise?',
      },
      OFFICER,
    );

    // Assess
    expect(page.body).toContain('No agency has been asked yet.');
    expect(page.body).toMatch(/href="#information-requests"[\s\S]*Not yet started/);
    expect(sent.location).toBe(`/staff/cases/${REFERENCE}`);
    expect(web.operations.acts.map(({ action, body }) => ({ action, body }))).toEqual([
      {
        action: 'information-requests',
        body: {
          agencies: ['police', 'housing-provider'],
          dueBy: '2015-06-20',
          message: 'What do you know of the noise?',
        },
      },
    ]);
  });

  it('give each agency asked its own date to reply by on its worklist, and nobody else one', async () => {
    // Prepare
    useCase({
      stage: 'awaiting-review',
      cycle: 1,
      informationRequests: [
        { agency: 'police', dueBy: '2015-06-20', status: 'waiting' },
        { agency: 'housing-provider', dueBy: '2015-06-27', status: 'waiting' },
      ],
    });

    // Act
    const police = await browser.get('/staff/cases', { authorization: 'Bearer police-token' });
    const officer = await browser.get('/staff/cases?view=all', OFFICER);

    // Assess
    expect(police.body).toContain('Your agency’s reply is due by 20 June 2015');
    expect(police.body).not.toContain('27 June 2015');
    expect(officer.body).toContain(REFERENCE);
    expect(officer.body).not.toContain('reply is due');
  });

  it('give an agency owning actions of the plan the day its next is due on its worklist, and nobody else', async () => {
    // Prepare
    useCase({
      stage: 'review-complete',
      cycle: 1,
      actionPlan: {
        status: 'final',
        cycle: 1,
        respondBy: null,
        response: null,
        changes: null,
        replaced: false,
        actions: [
          {
            id: '1-1',
            action: 'Patrols',
            owner: 'police',
            dueBy: '2015-08-01',
            status: 'open',
            overdue: false,
            progress: [],
          },
          {
            id: '1-2',
            action: 'Mediation',
            owner: 'council',
            dueBy: '2015-07-20',
            status: 'open',
            overdue: false,
            progress: [],
          },
        ],
      },
    });

    // Act
    const police = await browser.get('/staff/cases', { authorization: 'Bearer police-token' });
    const officer = await browser.get('/staff/cases?view=all', OFFICER);

    // Assess
    expect(police.body).toContain('Your agency’s next action is due by 1 August 2015');
    expect(police.body).not.toContain('20 July 2015');
    expect(officer.body).not.toContain('next action is due');
  });

  it('give the reply-by date’s hint in next year, as a date to come', async () => {
    // Prepare
    web.operations.now = new Date('2026-12-06T10:00:00Z');
    useCase({ stage: 'awaiting-review', cycle: 1 });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(page.body).toContain('usual time to reply applies. For example, 20 6 2027');
  });

  it('show the officer who was asked, by when and who has answered, overdue flagged', async () => {
    // Prepare
    useCase({
      stage: 'awaiting-review',
      cycle: 1,
      informationRequests: [
        { agency: 'police', dueBy: '2015-06-20', status: 'answered' },
        { agency: 'health', dueBy: '2015-06-10', status: 'overdue' },
      ],
      agencyResponses: [
        {
          agency: 'police',
          summary: 'Two visits.',
          actionsTaken: 'A warning letter.',
          currentPosition: 'Quieter since.',
          at: '2015-06-03T10:00:00.000Z',
          cycle: 1,
          by: { role: 'agency' },
        },
      ],
    });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(page.body).toMatch(/Health[\s\S]*10 June 2015[\s\S]*Overdue/);
    expect(page.body).toMatch(/href="#agency-responses"[\s\S]*1 overdue/);
    expect(page.body).toContain('A warning letter.');
    expect(page.body).toContain('Quieter since.');
  });

  it('no longer wait for, nor flag overdue, a request not answered once the review is recorded', async () => {
    // Prepare: health never answered; the review has been held since
    useCase({
      stage: 'review-complete',
      cycle: 1,
      informationRequests: [
        { agency: 'police', dueBy: '2015-06-20', status: 'answered' },
        { agency: 'health', dueBy: '2015-06-10', status: 'overdue' },
      ],
      agencyResponses: [
        {
          agency: 'police',
          summary: 'Two visits.',
          at: '2015-06-03T10:00:00.000Z',
          cycle: 1,
          by: { role: 'agency' },
        },
      ],
      reviewOutcome: {
        heldOn: '2015-07-01',
        summary: 'Held.',
        findings: { persistence: 'p', harm: 'h', adequacy: 'a' },
        attendees: [],
        recommendations: [],
        at: '2015-07-01T12:00:00.000Z',
        cycle: 1,
        by: { role: 'officer' },
      },
    });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(page.body).toMatch(/Health[\s\S]*10 June 2015[\s\S]*No response/);
    const tasks = /<ul class="govuk-task-list">([\s\S]*?)<\/ul>/.exec(page.body)?.[1] ?? '';
    expect(tasks).toMatch(/Agency responses[\s\S]*?1 of 2 answered/);
    expect(tasks).not.toContain('overdue');
  });

  it('show an agency its own request’s date and its response to change', async () => {
    // Prepare
    useCase({
      stage: 'awaiting-review',
      cycle: 1,
      informationRequests: [{ agency: 'police', dueBy: '2015-06-20', status: 'answered' }],
      agencyResponses: [
        {
          agency: 'police',
          summary: 'Two <visits>.',
          at: '2015-06-03T10:00:00.000Z',
          cycle: 1,
          by: { role: 'agency' },
        },
      ],
    });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, { authorization: 'Bearer police-token' });

    // Assess
    expect(page.body).toContain('Your agency was asked to reply by <strong>20 June 2015</strong>');
    expect(page.body).toContain('Change your agency’s response');
    expect(page.body).toMatch(/id="agency-responses-summary"[^>]*>Two &lt;visits&gt;.<\/textarea>/);
    expect(page.body).not.toContain('action="/staff/cases/SEF-7K3M-Q9XD/information-requests"');
  });
});

describe('the review meeting on the staff case page', () => {
  const ASKED = [
    { agency: 'police', dueBy: '2015-06-20', status: 'answered' },
    { agency: 'housing-provider', dueBy: '2015-06-20', status: 'waiting' },
  ];
  const MEETING = {
    at: '2015-06-25T13:00:00.000Z',
    format: 'in-person',
    location: 'Bootle <Town> Hall',
    chair: { name: 'Pat Chair', organisation: 'Sefton CVS', independent: true },
    invitees: ['police', 'applicant'],
  };
  const FORM = {
    'date-day': '25',
    'date-month': '6',
    'date-year': '2015',
    time: '2pm',
    format: 'in-person',
    location: 'Bootle Town Hall',
    'chair-name': 'Pat Chair',
    'chair-organisation': 'Sefton CVS',
    'chair-independent': 'yes',
    invitees: ['police', 'applicant'],
  };

  it('offer a task and a form to arrange it, inviting the agencies asked and the applicant, sent as the API takes it', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review', cycle: 1, informationRequests: ASKED });
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const sent = await browser.post(`/staff/cases/${REFERENCE}/review-meeting`, FORM, OFFICER);

    // Assess
    const tasks = /<ul class="govuk-task-list">([\s\S]*?)<\/ul>/.exec(page.body)?.[1] ?? '';
    expect(tasks).toMatch(/href="#review-meeting"[\s\S]*Not yet arranged/);
    expect(page.body).toContain('Arrange the meeting');
    expect(page.body).toContain('name="invitees" type="checkbox" value="police"');
    expect(page.body).toContain('name="invitees" type="checkbox" value="housing-provider"');
    expect(page.body).not.toContain('name="invitees" type="checkbox" value="council"');
    expect(page.body).toContain('They have not chosen to attend, so they are not sent an invitation.');
    expect(sent.location).toBe(`/staff/cases/${REFERENCE}`);
    expect(web.operations.acts.map(({ action, body }) => ({ action, body }))).toEqual([
      {
        action: 'review-meeting',
        body: { ...MEETING, location: 'Bootle Town Hall' },
      },
    ]);
  });

  it('show the meeting arranged with a banner saying what was saved, and its form filled in to move it', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review', cycle: 1, informationRequests: ASKED });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    const sent = await browser.post(`/staff/cases/${REFERENCE}/review-meeting`, FORM, OFFICER);
    useCase({ stage: 'awaiting-review', cycle: 1, informationRequests: ASKED, meeting: MEETING });

    // Act
    const after = await browser.get(sent.location ?? '', OFFICER);
    const police = await browser.get(`/staff/cases/${REFERENCE}`, { authorization: 'Bearer police-token' });

    // Assess
    expect(sent.location).toBe(`/staff/cases/${REFERENCE}`);
    expect(after.body).toContain('govuk-notification-banner--success');
    expect(after.body).toContain('Meeting saved: Thursday 25 June 2015 at 2pm, in person.');
    expect(after.body).toMatch(/href="#review-meeting"[\s\S]*Thursday 25 June 2015 at 2pm/);
    expect(after.body).toContain('Bootle &lt;Town&gt; Hall');
    expect(after.body).toContain('Pat Chair, Sefton CVS (independent of the agencies involved)');
    expect(after.body).toContain('Police, the applicant');
    expect(after.body).toContain('Change or move the meeting');
    expect(after.body).toMatch(/id="review-meeting-time"[^>]*value="14:00"/);
    expect(after.body).toMatch(/name="date-day"[^>]*value="25"/);
    expect(police.body).toContain('Thursday 25 June 2015 at 2pm');
    expect(police.body).not.toContain('Change or move the meeting');
  });

  it('put the date and time boxes’ problems on them before sending, and the API’s messages on their fields after', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review', cycle: 1, informationRequests: ASKED });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const boxes = await browser.post(
      `/staff/cases/${REFERENCE}/review-meeting`,
      { ...FORM, 'date-day': '', 'date-month': '', 'date-year': '', time: '25 past' },
      OFFICER,
    );
    web.operations.failNextAct = new InvalidInputError([
      {
        path: 'at',
        message: 'The meeting must be on or after 1 June 2015, when the application was received',
      },
      { path: 'chair.organisation', message: 'Enter the organisation of the chair' },
      { path: 'invitees.0', message: 'Select who: police, council, housing-provider, health or applicant' },
    ]);
    const refused = await browser.post(`/staff/cases/${REFERENCE}/review-meeting`, FORM, OFFICER);

    // Assess
    expect(boxes.status).toBe(400);
    expect(boxes.body).toContain('href="#review-meeting-date-day">Enter the date of the meeting');
    expect(boxes.body).toContain(
      'href="#review-meeting-time">Enter the time of the meeting like 2pm or 14:30',
    );
    expect(boxes.body).toMatch(/id="review-meeting-location"[^>]*>Bootle Town Hall<\/textarea>/);
    expect(web.operations.acts).toHaveLength(1);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(
      'href="#review-meeting-date-day">The meeting must be on or after 1 June 2015',
    );
    expect(refused.body).toContain(
      'href="#review-meeting-chair-organisation">Enter the organisation of the chair',
    );
    expect(refused.body).toContain('href="#review-meeting-invitees">Select who: police, council');
    expect(refused.body).toMatch(/id="review-meeting-time"[^>]*value="2pm"/);
  });

  it('tag an upcoming meeting on the worklist', async () => {
    // Prepare
    useCase({ stage: 'awaiting-review', cycle: 1, informationRequests: ASKED, meeting: MEETING });

    // Act
    const list = await browser.get('/staff/cases?view=all', OFFICER);

    // Assess
    expect(list.body).toContain('Upcoming meeting');
    expect(list.body).toContain('25 June 2015 at 2pm');
  });
});

describe('staff sign-in on one machine', () => {
  let server: Server;
  let requests: unknown[];

  beforeEach(async () => {
    requests = [];
    server = createServer(async (request: IncomingMessage, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      requests.push(JSON.parse(body));
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ token: 'officer-token' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const signIn: SignInSettings = { mode: 'local', tokenUrl: `http://127.0.0.1:${port}/local/token` };
    web = testWeb({}, signIn);
    browser = new PageClient(web, ROUTES);
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('gets a token for the role picked and keeps it in a __Host- session cookie', async () => {
    // Prepare
    await browser.get('/staff');

    // Act
    const response = await browser.post('/staff', {
      role: 'officer',
      name: 'Olivia Officer',
      csp: 'sefton',
      agency: '',
    });

    // Assess
    expect(requests).toEqual([{ role: 'officer', name: 'Olivia Officer', csp: 'sefton' }]);
    expect(response.location).toBe('/staff/cases');
    expect(response.cookies.find((cookie) => cookie.startsWith('__Host-asb-staff=officer-token;'))).toMatch(
      /Secure; HttpOnly; SameSite=Lax/,
    );
    expect((await browser.get('/staff/cases')).status).toBe(200);
  });

  it('asks again, with the fields marked, when the role picked needs more', async () => {
    // Prepare
    await browser.get('/staff');

    // Act
    const response = await browser.post('/staff', { role: 'agency', name: 'Pat', csp: 'sefton', agency: '' });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain('href="#agency"');
    expect(requests).toEqual([]);
    // In the words of the page's labels, not the token request's ids.
    expect(response.body).toContain('href="#agency">Select your agency</a>');
    const nothing = await browser.post('/staff', { role: '', name: '', csp: '', agency: '' });
    expect(nothing.body).toContain('href="#role">Select your role</a>');
    expect(nothing.body).not.toContain('officer, agency, pcc');
  });

  it('signs out by forgetting the token', async () => {
    // Prepare
    await browser.get('/staff');
    await browser.post('/staff', { role: 'pcc', name: 'Priya', csp: '', agency: '' });
    await browser.get('/staff/cases');

    // Act
    const response = await browser.post('/staff/sign-out');

    // Assess
    expect(response.location).toBe('/staff?signedOut=1');
    expect(browser.cookies.has('__Host-asb-staff')).toBe(false);
  });

  it('ends the session on the server: the old cookie, sent again, no longer signs anyone in', async () => {
    // Prepare
    await browser.get('/staff');
    await browser.post('/staff', { role: 'pcc', name: 'Priya', csp: '', agency: '' });
    await browser.get('/staff/cases');
    const oldCookie = browser.cookies.get('__Host-asb-staff') ?? '';

    // Act
    await browser.post('/staff/sign-out');
    browser.cookies.set('__Host-asb-staff', oldCookie);
    const response = await browser.get('/staff/cases');

    // Assess
    expect(oldCookie).not.toBe('');
    expect(response.status).toBe(303);
    expect(response.location).toBe('/staff');
  });

  it('ends a bearer token’s session when it signs out, so the token no longer works', async () => {
    // Prepare
    const bearer = { authorization: 'Bearer officer-token' };
    const before = await browser.get('/staff/cases', bearer);

    // Act
    await browser.post('/staff/sign-out', {}, bearer);
    const after = await browser.get('/staff/cases', bearer);

    // Assess
    expect(before.status).toBe(200);
    expect(after.status).toBe(303);
  });
});

describe('a staff form sent after its sign-in ended', () => {
  let server: Server;
  /** The token of an earlier sign-in of the officer (shaped as a JWT, naming its subject), which ends when told. */
  const EARLIER = `x.${Buffer.from(JSON.stringify({ sub: 'officer-1' })).toString('base64url')}.y`;
  let earlierEnded: boolean;
  let signInAs: string;

  beforeEach(async () => {
    earlierEnded = false;
    signInAs = 'officer-token';
    server = createServer(async (request: IncomingMessage, response) => {
      for await (const _ of request);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ token: signInAs }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const verify = testWeb().deps.verifyStaffToken;
    web = testWeb(
      {
        verifyStaffToken: async (token) => {
          if (token !== EARLIER) return verify(token);
          if (earlierEnded) throw new InvalidStaffTokenError('The sign-in token has expired.');
          return verify('officer-token');
        },
      },
      { mode: 'local', tokenUrl: `http://127.0.0.1:${port}/local/token` },
    );
    browser = new PageClient(web, ROUTES);
    useCase();
    // Prepare: the officer has the case open, then their sign-in's token expires
    browser.cookies.set('__Host-asb-staff', EARLIER);
    await browser.get(`/staff/cases/${REFERENCE}`);
    earlierEnded = true;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const signInAgain = async (role = 'officer') => {
    await browser.get('/staff');
    return browser.post('/staff', { role, name: 'Olivia Officer', csp: 'sefton', agency: '' });
  };

  it('keeps what the officer typed, and sends it as they sent it once they have signed in again', async () => {
    // Act
    const sent = await browser.post(`/staff/cases/${REFERENCE}/threshold-decision`, {
      decision: 'A',
      reason: 'Three incidents, each written up at length.',
    });
    const signInPage = await browser.follow(sent);
    const signedIn = await signInAgain();
    const offer = await browser.follow(signedIn);
    const sentAgain = await browser.post('/staff/kept', { send: 'yes' });
    const twice = await browser.post('/staff/kept', { send: 'yes' });

    // Assess
    expect(sent.location).toBe('/staff');
    expect(sent.cookies).toContain('__Host-asb-staff=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0');
    expect(sent.cookies.some((cookie) => cookie.startsWith('__Host-asb-kept-form='))).toBe(true);
    expect(signInPage.body).toContain(
      'Your sign-in ended before your form was sent. We have kept what you typed: sign in again to send it.',
    );
    expect(signedIn.location).toBe('/staff/kept');
    expect(signedIn.cookies.find((cookie) => cookie.startsWith('__Host-asb-staff='))).toContain(
      'Max-Age=28800',
    );
    expect(offer.body).toContain(`Your sign-in ended before you sent a form on case ${REFERENCE}.`);
    expect(sentAgain.location).toBe(`/staff/cases/${REFERENCE}`);
    expect(sentAgain.cookies).toContain(
      '__Host-asb-kept-form=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0',
    );
    expect(web.operations.acts.map(({ body, caller }) => ({ body, caller }))).toEqual([
      {
        body: { met: true, route: 'A', reason: 'Three incidents, each written up at length.' },
        caller: expect.objectContaining({ staff: expect.objectContaining({ sub: 'officer-1' }) }),
      },
    ]);
    expect(twice.location).toBe('/staff/cases');
    expect(web.drafts.drafts.size).toBe(0);
  });

  it('shows the form again with what was typed when the page finds a problem in it', async () => {
    // Prepare
    await browser.post(`/staff/cases/${REFERENCE}/threshold-decision`, { decision: 'A', reason: 'Typed.' });
    await browser.follow(await signInAgain());
    web.operations.failNextAct = new InvalidInputError([
      { path: 'reason', message: 'Enter a longer reason' },
    ]);

    // Act
    const sentAgain = await browser.post('/staff/kept', { send: 'yes' });

    // Assess
    expect(sentAgain.status).toBe(400);
    expect(sentAgain.body).toContain('Enter a longer reason');
    expect(sentAgain.body).toContain('Typed.');
  });

  it('sends nothing when the officer chooses not to, nor to anyone else who signs in', async () => {
    // Prepare
    await browser.post(`/staff/cases/${REFERENCE}/threshold-decision`, { decision: 'A', reason: 'Typed.' });
    await browser.follow(await signInAgain());

    // Act
    const declined = await browser.post('/staff/kept', { send: 'no' });
    // Act: another form of the earlier sign-in kept, then someone else signs in on this browser
    earlierEnded = false;
    browser.cookies.set('__Host-asb-staff', EARLIER);
    await browser.get(`/staff/cases/${REFERENCE}`);
    earlierEnded = true;
    await browser.post(`/staff/cases/${REFERENCE}/threshold-decision`, { decision: 'A', reason: 'Typed.' });
    signInAs = 'pcc-token';
    const someoneElse = await signInAgain('pcc');
    const offer = await browser.follow(someoneElse);
    await browser.follow(offer);
    const sent = await browser.post('/staff/kept', { send: 'yes' });

    // Assess
    expect(declined.location).toBe('/staff/cases');
    expect(someoneElse.location).toBe('/staff/kept');
    expect(offer.location).toBe('/pcc/referrals');
    expect(offer.cookies).toContain(
      '__Host-asb-kept-form=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0',
    );
    expect(sent.location).toBe('/pcc/referrals');
    expect(web.operations.acts).toEqual([]);
    expect(web.drafts.drafts.size).toBe(0);
  });

  it('keeps no form that did not come from a page made for that sign-in', async () => {
    // Act
    const forged = await browser.post(`/staff/cases/${REFERENCE}/threshold-decision`, {
      csrfToken: 'made-up',
      decision: 'A',
      reason: 'Typed.',
    });
    browser.cookies.set('__Host-asb-staff', EARLIER);
    const fromAScript = await browser.post(
      `/staff/cases/${REFERENCE}/files`,
      { name: 'diary.pdf', type: 'application/pdf', size: '10' },
      { accept: 'application/json' },
    );

    // Assess
    expect(forged.status).toBe(403);
    expect(fromAScript.status).toBe(403);
    expect(browser.cookies.has('__Host-asb-kept-form')).toBe(false);
    expect(web.drafts.drafts.size).toBe(0);
  });
});

describe('the sign-out check, beside the worklist’s reads', () => {
  /** The officer's token, its sign-out check answering `signedOut` once `release` is called. */
  function checkedWhenReleased(signedOut: boolean) {
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = () => {};
    const checking = new Promise<void>((resolve) => {
      started = resolve;
    });
    web = testWeb({
      verifyStaffToken: async () => ({
        staff: { sub: 'officer-1', name: 'Olivia Officer', role: 'officer', csp: 'sefton' },
        signedOut: async () => {
          started();
          await released;
          return signedOut;
        },
      }),
    });
    browser = new PageClient(web, ROUTES);
    useCase();
    return { release, checking };
  }

  it('reads the worklist while the check runs, and shows it once the check has passed', async () => {
    // Prepare
    const { release, checking } = checkedWhenReleased(false);

    // Act
    const response = browser.get('/staff/cases', OFFICER);
    await checking;
    await new Promise((resolve) => setImmediate(resolve));
    const readBeforeTheCheckAnswered = web.operations.worklists.length;
    release();

    // Assess
    expect(readBeforeTheCheckAnswered).toBeGreaterThan(0);
    expect((await response).status).toBe(200);
    expect((await response).body).toContain(REFERENCE);
  });

  it('sends a session signed out to sign in, with nothing the worklist read', async () => {
    // Prepare
    const { release } = checkedWhenReleased(true);
    browser.cookies.set('__Host-asb-staff', 'officer-token');

    // Act
    release();
    const response = await browser.get('/staff/cases');

    // Assess
    expect([response.status, response.location]).toEqual([303, '/staff']);
    expect(response.body).not.toContain(REFERENCE);
    expect(response.cookies).toContain(
      '__Host-asb-staff=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0',
    );
    expect(browser.cookies.has('__Host-asb-staff')).toBe(false);
  });

  it('runs any page that does more than read only once the check has answered', async () => {
    // Prepare
    const { release, checking } = checkedWhenReleased(true);
    const acts = web.operations.acts.length;

    // Act
    const response = browser.post(
      `/staff/cases/${REFERENCE}/threshold-decision`,
      { decision: 'A', reason: 'Three incidents.' },
      OFFICER,
    );
    await checking;
    await new Promise((resolve) => setImmediate(resolve));
    const actedBeforeTheCheckAnswered = web.operations.acts.length - acts;
    release();

    // Assess
    expect(actedBeforeTheCheckAnswered).toBe(0);
    // Signed out, the bearer is no longer a credential, and the form carries no form token.
    expect((await response).status).toBe(403);
    expect(web.operations.acts.length).toBe(acts);
  });
});

describe('staff sign-in through the user pool', () => {
  let server: Server;
  let tokenRequests: URLSearchParams[];
  let settings: Extract<SignInSettings, { mode: 'hosted' }>;

  beforeEach(async () => {
    tokenRequests = [];
    server = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      tokenRequests.push(new URLSearchParams(body));
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ id_token: 'pcc-token', access_token: 'x', expires_in: 3600 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    settings = {
      mode: 'hosted',
      domain: `http://127.0.0.1:${port}`,
      clientId: 'client-1',
      callbackUrl: 'https://asb.example/staff/callback',
      logoutUrl: 'https://asb.example/staff',
    };
    web = testWeb({}, settings);
    browser = new PageClient(web, ROUTES);
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends staff to the hosted sign-in with PKCE and state, and exchanges the code it returns', async () => {
    // Act
    const leave = await browser.get('/staff/sign-in');
    const authorize = new URL(leave.location ?? '');
    const state = authorize.searchParams.get('state') ?? '';
    const back = await browser.get(`/staff/callback?code=the-code&state=${state}`);

    // Assess
    expect(leave.status).toBe(302);
    expect(authorize.pathname).toBe('/oauth2/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(settings.callbackUrl);
    expect(back.location).toBe('/pcc/referrals');
    const exchange = tokenRequests[0];
    expect(exchange?.get('grant_type')).toBe('authorization_code');
    expect(exchange?.get('code')).toBe('the-code');
    expect(exchange?.get('code_verifier')?.length).toBeGreaterThanOrEqual(43);
    expect(browser.cookies.get('__Host-asb-staff')).toBe('pcc-token');
  });

  it('refuses a callback whose state is not the one it sent', async () => {
    // Prepare
    await browser.get('/staff/sign-in');

    // Act
    const back = await browser.get('/staff/callback?code=the-code&state=forged');

    // Assess
    expect(back.status).toBe(400);
    expect(tokenRequests).toEqual([]);
  });

  it('signs out at the user pool too, which the form policy allows', async () => {
    // Prepare
    await browser.get('/staff/sign-in');
    const state = new URL((await browser.get('/staff/sign-in')).location ?? '').searchParams.get('state');
    await browser.get(`/staff/callback?code=c&state=${state}`);
    const page = await browser.get('/pcc/referrals');

    // Act
    const response = await browser.post('/staff/sign-out');

    // Assess
    expect(response.location).toContain(`${settings.domain}/logout?client_id=client-1`);
    expect(page.headers['content-security-policy']).toContain(`form-action 'self' ${settings.domain}`);
  });
});

describe('linked cases on the staff case page (route B)', () => {
  const LINKED = {
    reference: 'SEF-AAAA-1111',
    stage: 'awaiting-threshold-decision' as const,
    receivedAt: '2015-05-20T10:00:00.000Z',
  };
  const SUGGESTED = {
    reference: 'SEF-BBBB-2222',
    stage: 'received' as const,
    receivedAt: '2015-05-25T10:00:00.000Z',
    score: 0.7,
    reasons: [
      {
        kind: 'what-happened' as const,
        score: 0.4,
        text: 'What happened is alike: both mention “motorbikes”.',
      },
      { kind: 'place' as const, score: 0.5, text: 'The victims live in the same postcode district, L20.' },
      { kind: 'dates' as const, score: 1, text: 'The periods overlap.' },
    ],
  };

  beforeEach(() => {
    useCase({ links: [LINKED] });
    web.operations.suggestions.set(REFERENCE, {
      reference: REFERENCE,
      links: [LINKED],
      suggestions: [SUGGESTED],
    });
  });

  it('show the officer the linked cases, the suggestions with their reasons, and the forms', async () => {
    // Act
    const response = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(response.body).toContain('Linked cases (route B)');
    expect(response.body).toContain(`href="/staff/cases/${LINKED.reference}"`);
    expect(response.body).toContain('SEF-BBBB-2222 (Received, received 25 May 2015)');
    expect(response.body).toContain(
      'What happened is alike: both mention “motorbikes”. The victims live in the same postcode district, L20.',
    );
    expect(response.body).toContain('Link cases');
    expect(response.body).toContain('Unlink selected cases');
  });

  it('show other staff the linked cases without suggestions or forms', async () => {
    // Prepare
    useCase({ links: [LINKED], sharedWith: ['police'] });

    // Act
    const response = await browser.get(`/staff/cases/${REFERENCE}`, { authorization: 'Bearer police-token' });

    // Assess
    expect(response.body).toContain(LINKED.reference);
    expect(response.body).not.toContain(`href="/staff/cases/${LINKED.reference}"`);
    expect(response.body).not.toContain(SUGGESTED.reference);
    expect(response.body).not.toContain('Unlink selected cases');
  });

  it('link the ticked suggestions and a typed reference, and unlink the ticked cases, as the API takes them', async () => {
    // Prepare
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Act
    const linked = await browser.post(
      `/staff/cases/${REFERENCE}/links`,
      { intent: 'link', add: [SUGGESTED.reference], addReference: ' sef cccc 3333 ', reason: 'Same bikes.' },
      OFFICER,
    );
    const unlinked = await browser.post(
      `/staff/cases/${REFERENCE}/links`,
      { intent: 'unlink', remove: [LINKED.reference], reason: 'Not the same.' },
      OFFICER,
    );
    const page = await browser.get(linked.location ?? '', OFFICER);

    // Assess
    expect(linked.location).toBe(`/staff/cases/${REFERENCE}`);
    expect(unlinked.status).toBe(303);
    expect(web.operations.linkChanges.map((change) => change.body)).toEqual([
      { add: [SUGGESTED.reference, 'sef cccc 3333'], reason: 'Same bikes.' },
      { remove: [LINKED.reference], reason: 'Not the same.' },
    ]);
    expect(web.operations.linkChanges[0]?.caller).toMatchObject({
      kind: 'staff',
      staff: { sub: 'officer-1' },
    });
    expect(page.body).toContain('The links were saved.');
  });

  it('put the API’s messages on the typed reference and the reason, keeping the answers', async () => {
    // Prepare
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    web.operations.failNextLinks = new InvalidInputError([
      { path: 'add.1', message: 'There is no case SEF-CCCC-3333 in your council area' },
      { path: 'reason', message: 'Enter why the cases are, or are no longer, about the same behaviour' },
    ]);

    // Act
    const response = await browser.post(
      `/staff/cases/${REFERENCE}/links`,
      { intent: 'link', add: [SUGGESTED.reference], addReference: 'SEF-CCCC-3333', reason: '' },
      OFFICER,
    );

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      'href="#links-addReference">There is no case SEF-CCCC-3333 in your council area</a>',
    );
    expect(response.body).toContain(
      'href="#links-link-reason">Enter why the cases are, or are no longer, about the same behaviour</a>',
    );
    expect(response.body).toContain('id="links-addReference-error"');
    expect(response.body).toContain('value="SEF-CCCC-3333"');
  });
});

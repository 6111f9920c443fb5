import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, StillProcessingError } from '#core/errors.ts';
import { addDays, ukDateOf } from '#core/local-date.ts';
import { PageClient, pageRoutes, type Response, type TestWeb, testWeb } from '#test/support/web-app.ts';

const ROUTES = Object.keys(pageRoutes());

let web: TestWeb;
let browser: PageClient;

beforeEach(() => {
  web = testWeb();
  browser = new PageClient(web, ROUTES);
});

/** Answers one question page and follows the redirect to the next. */
async function answer(page: string, form: Record<string, string | string[]>): Promise<Response> {
  await browser.get(`/apply/${page}`);
  const response = await browser.post(`/apply/${page}`, form);
  expect(response.status, `${page}: ${response.body.slice(0, 300)}`).toBe(303);
  return response;
}

function dateBoxes(name: string, date: string): Record<string, string> {
  const [year = '', month = '', day = ''] = date.split('-');
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
}

async function fillApplication(
  name = 'Jo Resident',
  people: { involved?: Record<string, string>; witnesses?: Record<string, string> } = {},
): Promise<void> {
  const today = ukDateOf(web.operations.now);
  await answer('area', { csp: 'sefton' });
  await answer('victim', { victimType: 'individual' });
  await answer('someone-else', { forSomeoneElse: 'no' });
  await answer('your-details', { name, address: '1 Hill Street', postcode: 'L20 1AA' });
  await answer('contact', { email: 'jo@example.com', phone: '', contactPreference: 'email' });
  await answer('needs', {});
  await answer('description', { description: 'Loud parties.' });
  // The optional people involved and witnesses (issue 14) follow the impact; then the involvement question
  // (contract.md, "The case review") comes before the incidents.
  const afterImpact = await answer('impact', { impact: 'I cannot sleep.' });
  expect(afterImpact.location).toBe('/apply/involved');
  await answer('involved', people.involved ?? {});
  const afterWitnesses = await answer('witnesses', people.witnesses ?? {});
  expect(afterWitnesses.location).toBe('/apply/involvement');
  const afterInvolvement = await answer('involvement', {
    involvement: 'attend-online',
    involvementViews: '',
    consultOnPlan: 'yes',
    involvementNeeds: 'An evening meeting, as I work days.',
  });
  expect(afterInvolvement.location).toBe('/apply/incident-1');
  const incident = await answer('incident-1', {
    ...dateBoxes('occurredOn', addDays(today, -10)),
    ...dateBoxes('reportedOn', addDays(today, -9)),
    reportedTo: 'police',
    reportedElsewhere: 'no',
    description: 'Party until 3am.',
    hateMotivated: 'no',
  });
  expect(incident.location).toBe('/apply/incidents');
  const done = await answer('incidents', { addAnother: 'no' });
  expect(done.location).toBe('/apply/consent');
  const consent = await answer('consent', { consentToShare: 'yes' });
  expect(consent.location).toBe('/apply/check');
}

describe('the application pages', () => {
  it('asks one question a page and ends at "check your answers", with no answer in any address', async () => {
    // Prepare
    const locations: string[] = [];
    const original = browser.post.bind(browser);
    browser.post = async (path, form, headers) => {
      const response = await original(path, form, headers);
      if (response.location) locations.push(response.location);
      return response;
    };

    // Act
    await fillApplication();
    const check = await browser.get('/apply/check');

    // Assess
    expect(check.status).toBe(200);
    expect(check.body).toContain('Jo Resident');
    expect(check.headers['cache-control']).toBe('no-store');
    for (const location of locations) {
      expect(location).toMatch(/^\/apply\/[a-z-]+(-\d+)?$/);
      expect(location).not.toMatch(/Jo|Hill|L20|example/);
    }
  });

  it('heads each incident’s card on "check your answers" one level below its Incidents heading', async () => {
    // Prepare
    await fillApplication();

    // Act
    const check = await browser.get('/apply/check');

    // Assess
    expect(check.body).toMatch(/<h2 class="govuk-heading-m">Incidents<\/h2>/);
    expect(check.body).toMatch(/<h3 class="govuk-summary-card__title">\s*Incident 1\s*<\/h3>/);
    expect(check.body).not.toMatch(/<h2 class="govuk-summary-card__title">/);
  });

  it('shows errors as the Design System does: a summary linked to each field, the message on the field, the answer kept', async () => {
    // Prepare
    await answer('area', { csp: 'sefton' });
    await browser.get('/apply/your-details');

    // Act
    const response = await browser.post('/apply/your-details', {
      name: 'Jo',
      address: '',
      postcode: 'not a postcode',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain('<title>Error: Your name and address');
    expect(response.body).toMatch(/class="govuk-error-summary"/);
    expect(response.body).toContain('href="#address">Enter your address</a>');
    expect(response.body).toContain('href="#postcode">Enter a real postcode, like L20 1AA</a>');
    expect(response.body).toContain('id="address-error"');
    expect(response.body).toContain('value="not a postcode"');
    expect(response.body).toContain('value="Jo"');
  });

  it('words the problems of a date box as the Design System does and marks only that box', async () => {
    // Prepare
    await answer('area', { csp: 'sefton' });
    await browser.get('/apply/incident-1');

    // Act
    const response = await browser.post('/apply/incident-1', {
      'occurredOn-day': '3',
      'occurredOn-month': '',
      'occurredOn-year': '2015',
      reportedTo: 'police',
      description: 'x',
      hateMotivated: 'no',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      'href="#occurredOn-month">Date the incident happened must include a month</a>',
    );
    const box = (part: string) =>
      new RegExp(`<input[^>]*id="occurredOn-${part}"[^>]*>`).exec(response.body)?.[0] ?? '';
    expect(box('month')).toContain('govuk-input--error');
    expect(box('day')).not.toContain('govuk-input--error');
    expect(response.body).toContain('href="#reportedOn-day">Enter the date the incident was reported</a>');
  });

  it('says from when an incident may be dated when the year typed is far in the past', async () => {
    // Prepare
    await answer('area', { csp: 'sefton' });
    await browser.get('/apply/incident-1');

    // Act
    const response = await browser.post('/apply/incident-1', {
      ...dateBoxes('occurredOn', '1066-10-14'),
      ...dateBoxes('reportedOn', '2015-05-02'),
      reportedTo: 'police',
      description: 'x',
      hateMotivated: 'no',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      'href="#occurredOn-day">The date the incident happened must be on or after 13 March 2014, when the Anti-social Behaviour, Crime and Policing Act 2014 became law</a>',
    );
  });

  it('gives date hints in a recent year, never one in the future', async () => {
    // Prepare
    web.operations.now = new Date('2026-12-06T10:00:00Z');
    await answer('area', { csp: 'sefton' });

    // Act
    const page = await browser.get('/apply/incident-1');

    // Assess
    expect(page.body).toContain('For example, 27 3 2025');
    expect(page.body).not.toContain('2015');
  });

  it('escapes what people type, everywhere it is shown', async () => {
    // Prepare
    await fillApplication('<script>alert(1)</script>');

    // Act
    const check = await browser.get('/apply/check');

    // Assess
    expect(check.body).not.toContain('<script>alert(1)</script>');
    expect(check.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('sends once: sending the final page again shows the same confirmation and creates no second case', async () => {
    // Prepare
    await fillApplication();
    await browser.get('/apply/check');
    const token = browser.csrfToken();

    // Act
    const [first, second] = await Promise.all([
      browser.post('/apply/check', { csrfToken: token }),
      browser.post('/apply/check', { csrfToken: token }),
    ]);
    const third = await browser.post('/apply/check', { csrfToken: token });
    const confirmation = await browser.follow(first);

    // Assess
    expect([first.location, second.location, third.location]).toEqual([
      '/apply/confirmation',
      '/apply/confirmation',
      '/apply/confirmation',
    ]);
    expect(web.operations.submissions.size).toBe(1);
    const [submitted] = [...web.operations.submissions.values()];
    expect(confirmation.body).toContain(submitted?.reference);
    expect(confirmation.body).toContain(submitted?.accessCode);
    expect(confirmation.body).not.toContain('Victim Support');
    expect((await browser.get('/apply/check')).location).toBe('/apply/confirmation');
  });

  it('points to Victim Support and hate-crime support on the confirmation when an incident was hate-motivated', async () => {
    // Prepare
    await fillApplication();
    const today = ukDateOf(web.operations.now);
    await answer('incident-1', {
      ...dateBoxes('occurredOn', addDays(today, -10)),
      ...dateBoxes('reportedOn', addDays(today, -9)),
      reportedTo: 'police',
      reportedElsewhere: 'no',
      description: 'Shouted abuse about my religion.',
      hateMotivated: 'yes',
      hateMotivation: ['religion'],
    });
    await browser.get('/apply/check');

    // Act
    const confirmation = await browser.follow(
      await browser.post('/apply/check', { csrfToken: browser.csrfToken() }),
    );

    // Assess
    expect(confirmation.body).toContain('Support for you');
    expect(confirmation.body).toContain('href="https://www.victimsupport.org.uk/">Victim Support</a>');
    expect(confirmation.body).toContain('href="https://www.stophateuk.org/">Stop Hate UK</a>');
  });

  it('gives the confirmation page’s script a presigned POST per file, as the application’s applicant', async () => {
    // Prepare
    await browser.get('/apply/area');
    const before = await browser.post('/apply/files', {
      name: 'diary.pdf',
      type: 'application/pdf',
      size: '100',
    });
    await fillApplication();
    await browser.get('/apply/check');
    const confirmation = await browser.follow(await browser.post('/apply/check'));
    const [submitted] = [...web.operations.submissions.values()];

    // Act
    const granted = await browser.post('/apply/files', {
      name: ['diary.pdf', 'photo.jpg'],
      type: ['application/pdf', 'image/jpeg'],
      size: ['100', '2000'],
    });

    // Assess
    expect(before.location).toBe('/apply');
    expect(confirmation.body).toContain('data-app-uploads="/apply/files"');
    expect(confirmation.headers['content-security-policy']).toContain(
      "connect-src 'self' https://storage.test;",
    );
    expect(granted.status).toBe(200);
    expect(JSON.parse(granted.body).uploads).toHaveLength(2);
    expect(web.operations.uploadRequests.map(({ reference, caller }) => ({ reference, caller }))).toEqual([
      { reference: submitted?.reference, caller: { kind: 'applicant', accessCode: submitted?.accessCode } },
    ]);
  });

  it('submits as nobody in particular, with the draft’s own idempotency key, to the case operation', async () => {
    // Prepare
    await fillApplication();
    await browser.get('/apply/check');

    // Act
    await browser.post('/apply/check');

    // Assess
    expect(web.operations.submitCallers).toHaveLength(1);
    expect(web.operations.submitCallers[0]?.caller).toEqual({ kind: 'anonymous' });
    expect(web.operations.submitCallers[0]?.options.idempotencyKey).toMatch(/^[\x21-\x7e]{16,}$/);
  });

  it('asks how the victim wants to take part, shows it on "check your answers" and sends it with the application', async () => {
    // Prepare
    await fillApplication();

    // Act
    const check = await browser.get('/apply/check');
    await browser.post('/apply/check');

    // Assess
    expect(check.body).toContain('Taking part in the case review');
    expect(check.body).toContain('Attend the case review meeting online');
    expect(check.body).toContain('An evening meeting, as I work days.');
    expect(check.body).toContain('href="/apply/involvement"');
    expect(web.operations.submitCallers[0]?.body).toMatchObject({
      involvement: {
        level: 'attend',
        attendance: 'online',
        consultOnPlan: true,
        needs: 'An evening meeting, as I work days.',
      },
    });
  });

  it('asks for the involvement answers it needs, each error linked to its question, and keeps what was typed', async () => {
    // Prepare
    await answer('area', { csp: 'sefton' });
    await browser.get('/apply/involvement');

    // Act
    const response = await browser.post('/apply/involvement', {
      involvementViews: 'Please read my diary.',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      'href="#involvement">Select how you want to take part in the case review</a>',
    );
    expect(response.body).toContain(
      'href="#consultOnPlan">Select yes if you want to see the action plan and comment on it before it is final</a>',
    );
    expect(response.body).toContain('Please read my diary.');
    expect(response.body).not.toContain('aria-expanded');
  });

  it('asks who is involved and any witnesses after the impact, says who will see them, and sends them with the application', async () => {
    // Prepare
    const involved = {
      'involved-1-name': '',
      'involved-1-description': '',
      'involved-1-address': '',
      'involved-2-name': 'The man at number 5',
      'involved-2-description': 'Tall, with a red van',
      'involved-2-address': '5 Hill Street',
    };
    const witnesses = { 'witness-1-name': 'Sam Neighbour', 'witness-1-contact': '07700 900123' };

    // Act
    const page = await browser.get('/apply/involved');
    const withAnother = await browser.post('/apply/involved', { 'involved-1-name': 'Kept', add: 'involved' });
    await fillApplication('Jo Resident', { involved, witnesses });
    const check = await browser.get('/apply/check');
    await browser.post('/apply/check');

    // Assess
    expect(page.body).toContain(
      '<h1 class="govuk-heading-l">Who is involved in the anti-social behaviour?</h1>',
    );
    expect(page.body).toContain('Only the staff working on your case review');
    expect(page.body).toContain('formaction="/apply/involved#involved-2"');
    expect(withAnother.status).toBe(200);
    expect(withAnother.body).toContain('id="involved-2-name"');
    expect(withAnother.body).toContain('value="Kept"');
    expect(check.body).toContain('People involved and witnesses');
    expect(check.body).toMatch(
      /Person involved 1\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*The man at number 5, Tall, with a red van, 5 Hill Street/,
    );
    expect(check.body).toMatch(
      /Witness 1\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Sam Neighbour, 07700 900123/,
    );
    expect(check.body).toContain('href="/apply/involved"');
    expect(check.body).toContain('href="/apply/witnesses"');
    expect(web.operations.submitCallers[0]?.body).toMatchObject({
      involved: [
        { name: 'The man at number 5', description: 'Tall, with a red van', address: '5 Hill Street' },
      ],
      witnesses: [{ name: 'Sam Neighbour', contact: '07700 900123' }],
    });
  });

  it('takes a person off the list when their details are cleared, and says none were given', async () => {
    // Prepare
    await fillApplication('Jo Resident', { witnesses: { 'witness-1-name': 'Sam Neighbour' } });
    await browser.get('/apply/check');

    // Act
    const cleared = await answer('witnesses', { 'witness-1-name': '', 'witness-1-contact': '' });
    const check = await browser.get('/apply/check');
    await browser.post('/apply/check');

    // Assess
    expect(cleared.location).toBe('/apply/check');
    expect(check.body).not.toContain('Sam Neighbour');
    expect(check.body).toMatch(/Witnesses\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*None given/);
    expect(web.operations.submitCallers[0]?.body).not.toHaveProperty('witnesses');
    expect(web.operations.submitCallers[0]?.body).not.toHaveProperty('involved');
  });

  it('refuses a witness without a name, the error linked to its box, keeping what was typed and saving nothing', async () => {
    // Prepare
    await answer('area', { csp: 'sefton' });
    await browser.get('/apply/witnesses');

    // Act
    const response = await browser.post('/apply/witnesses', {
      'witness-1-name': 'Sam Neighbour',
      'witness-2-name': '',
      'witness-2-contact': '07700 900123',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain('href="#witness-2-name">Witness 2: Enter the name of the witness</a>');
    expect(response.body).toContain('id="witness-2-name-error"');
    expect(response.body).toContain('value="Sam Neighbour"');
    expect(response.body).toContain('value="07700 900123"');
    const [draft] = [...web.drafts.drafts.values()];
    expect(Object.keys(draft?.answers ?? {}).filter((name) => name.startsWith('witness-'))).toEqual([]);
  });

  it('shows a submission still in progress as being sent, not as any other conflict', async () => {
    // Prepare
    await fillApplication();
    await browser.get('/apply/check');
    web.operations.submitApplication = async () => {
      throw new StillProcessingError('wait');
    };

    // Act
    const response = await browser.post('/apply/check');

    // Assess
    expect(response.status).toBe(409);
    expect(response.body).toContain('We are sending your application');
  });

  /** Sends the application, recorded by the case operation, with its answer lost on the way back. */
  async function sendWithAnswerLost(): Promise<void> {
    const submit = web.operations.submitApplication.bind(web.operations);
    web.operations.submitApplication = async (...args) => {
      await submit(...args);
      throw new Error('The connection was lost');
    };
    await browser.get('/apply/check');
    await expect(browser.post('/apply/check')).rejects.toThrow('The connection was lost');
    web.operations.submitApplication = submit;
  }

  it('says an application sent again with changed answers was already sent: its reference, whom to tell, no access code', async () => {
    // Prepare: sent, then back in the browser to change an answer
    await fillApplication();
    await sendWithAnswerLost();
    await answer('impact', { impact: 'I cannot sleep, and now my children cannot either.' });
    await browser.get('/apply/check');

    // Act
    const resent = await browser.post('/apply/check');

    // Assess
    expect(web.operations.submissions.size).toBe(1);
    const [submitted] = [...web.operations.submissions.values()];
    expect(resent.status).toBe(409);
    expect(resent.body).toContain('<h1 class="govuk-heading-l">Your application was already sent</h1>');
    expect(resent.body).toContain(`Its reference number is <strong>${submitted?.reference}</strong>.`);
    expect(resent.body).toContain(
      'differ from the ones we received, so they were not sent, and no second application was made. Do not apply again.',
    );
    expect(resent.body).toContain('<a class="govuk-link" href="/track">track your application</a>');
    expect(resent.body).toContain('Contact Sefton’s case review team and give your reference number:');
    expect(resent.body).not.toContain(submitted?.accessCode);
    expect(resent.body).not.toContain('Start another application');
    expect(resent.body).not.toContain('Nothing was recorded');
    await browser.get('/apply/check');
    expect((await browser.post('/apply/check')).status).toBe(409);
    expect(web.operations.submissions.size).toBe(1);
  });

  it('shows the same confirmation when the same answers are sent again after the first answer was lost', async () => {
    // Prepare
    await fillApplication();
    await sendWithAnswerLost();

    // Act
    const resent = await browser.post('/apply/check');
    const confirmation = await browser.follow(resent);

    // Assess
    expect(resent.location).toBe('/apply/confirmation');
    expect(web.operations.submitCalls).toBe(2);
    expect(web.operations.submissions.size).toBe(1);
    const [submitted] = [...web.operations.submissions.values()];
    expect(confirmation.body).toContain(submitted?.reference);
    expect(confirmation.body).toContain(submitted?.accessCode);
  });

  it('keeps no answers once the application is sent, only what the confirmation shows', async () => {
    // Prepare
    await fillApplication();
    await browser.get('/apply/check');

    // Act
    await browser.post('/apply/check');

    // Assess
    const [draft] = [...web.drafts.drafts.values()];
    expect(draft?.answers).toEqual({ csp: 'sefton' });
    expect(draft?.incidents).toEqual([]);
    expect(JSON.stringify(draft)).not.toContain('CODE-');
  });

  it('returns to "check your answers" after a change once it has been reached', async () => {
    // Prepare
    await fillApplication();
    await browser.get('/apply/check');

    // Act
    const changed = await answer('description', { description: 'Loud parties every night.' });

    // Assess
    expect(changed.location).toBe('/apply/check');
  });

  it('loops through incidents: add another, change one, remove one with a confirmation', async () => {
    // Prepare
    await fillApplication();
    const today = ukDateOf(web.operations.now);
    const second = {
      ...dateBoxes('occurredOn', addDays(today, -5)),
      ...dateBoxes('reportedOn', addDays(today, -5)),
      reportedTo: 'council',
      reportedElsewhere: 'no',
      description: 'Shouting.',
      hateMotivated: 'yes',
      hateMotivation: ['race', 'religion'],
    };

    // Act
    await answer('incident-2', second);
    const summary = await browser.get('/apply/incidents');
    await browser.get('/apply/remove-incident-1');
    const unanswered = await browser.post('/apply/remove-incident-1', {});
    const removed = await browser.post('/apply/remove-incident-1', { remove: 'yes' });

    // Assess
    expect(summary.body).toContain('You have added 2 incidents.');
    expect(summary.body).toContain('Yes: Race, Religion or belief');
    expect(unanswered.status).toBe(400);
    expect(removed.location).toBe('/apply/incidents');
    const [draft] = [...web.drafts.drafts.values()];
    expect(draft?.incidents).toHaveLength(1);
    expect(draft?.incidents[0]?.description).toBe('Shouting.');
  });

  it('asks inside each incident who else it was reported to: add, list, change and remove other reports', async () => {
    // Prepare
    await fillApplication();
    const today = ukDateOf(web.operations.now);
    await browser.get('/apply/incident-1');

    // Act
    const unanswered = await browser.post('/apply/incident-1', {
      ...dateBoxes('occurredOn', addDays(today, -10)),
      ...dateBoxes('reportedOn', addDays(today, -9)),
      reportedTo: 'police',
      description: 'Party until 3am.',
      hateMotivated: 'no',
    });
    const yes = await answer('incident-1', {
      ...dateBoxes('occurredOn', addDays(today, -10)),
      ...dateBoxes('reportedOn', addDays(today, -9)),
      reportedTo: 'police',
      reportedElsewhere: 'yes',
      description: 'Party until 3am.',
      hateMotivated: 'no',
    });
    await browser.get('/apply/incident-1-other-1');
    const tooEarly = await browser.post('/apply/incident-1-other-1', {
      otherReportedTo: 'council',
      ...dateBoxes('otherReportedOn', addDays(today, -11)),
    });
    const first = await answer('incident-1-other-1', {
      otherReportedTo: 'council',
      ...dateBoxes('otherReportedOn', addDays(today, -8)),
      otherReference: 'ASB/<77>',
    });
    await browser.get('/apply/incident-1-other-reports');
    const notSaid = await browser.post('/apply/incident-1-other-reports', {});
    const another = await answer('incident-1-other-reports', { addAnother: 'yes' });
    await answer('incident-1-other-2', {
      otherReportedTo: 'housing-provider',
      ...dateBoxes('otherReportedOn', addDays(today, -7)),
    });
    const list = await browser.get('/apply/incident-1-other-reports');
    const done = await answer('incident-1-other-reports', { addAnother: 'no' });
    await answer('incident-1-remove-other-2', { remove: 'yes' });
    const check = await browser.get('/apply/check');

    // Assess
    expect(unanswered.status).toBe(400);
    expect(unanswered.body).toContain(
      'href="#reportedElsewhere">Select yes if the incident was reported to anyone else</a>',
    );
    expect(yes.location).toBe('/apply/incident-1-other-1');
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body).toContain(
      'The date the incident was reported to them must be the same as or after the date it happened',
    );
    expect(first.location).toBe('/apply/incident-1-other-reports');
    expect(notSaid.status).toBe(400);
    expect(another.location).toBe('/apply/incident-1-other-2');
    expect(list.body).toContain('You have told us about 2 other reports of this incident.');
    expect(list.body).toContain('ASB/&lt;77&gt;');
    expect(list.body).not.toContain('ASB/<77>');
    // Not yet at "check your answers" once: onwards to the list of incidents.
    expect(done.location).toBe('/apply/incidents');
    expect(check.body).toContain('Also reported to');
    expect(check.body).toContain('The council');
    expect(check.body).not.toContain('A housing provider');
    const [draft] = [...web.drafts.drafts.values()];
    expect(draft?.incidents[0]).toMatchObject({ reportedElsewhere: 'yes', otherReportedTo: ['council'] });
  });

  it('lets a resident who chose letters go on without an email address or telephone number', async () => {
    // Prepare
    await answer('area', { csp: 'sefton' });
    await answer('victim', { victimType: 'individual' });
    await answer('someone-else', { forSomeoneElse: 'no' });
    await answer('your-details', { name: 'Jo Resident', address: '1 Hill Street', postcode: 'L20 1AA' });
    const page = await browser.get('/apply/contact');

    // Act
    const response = await answer('contact', { email: '', phone: '', contactPreference: 'post' });

    // Assess
    expect(page.body).toContain('If you would like letters, you can leave them blank');
    expect(response.location).toBe('/apply/needs');
  });

  it('asks for the person applied for, and their agreement, only when applying for someone else', async () => {
    // Prepare
    await answer('area', { csp: 'sefton' });
    await answer('victim', { victimType: 'individual' });

    // Act
    const yes = await answer('someone-else', { forSomeoneElse: 'yes' });
    await browser.get('/apply/their-details');
    const noConsent = await browser.post('/apply/their-details', {
      behalfName: 'Sam',
      behalfRelationship: 'Son',
    });

    // Assess
    expect(yes.location).toBe('/apply/their-details');
    expect(noConsent.status).toBe(400);
    expect(noConsent.body).toContain('You can only apply for someone else if they agree to it');
    expect(noConsent.body).toContain('href="#behalfConsent"');
  });

  it('says the victim is contacted only where it is safe, and asks for the way that is safe', async () => {
    // Prepare
    await answer('area', { csp: 'sefton' });
    await answer('victim', { victimType: 'individual' });
    await answer('someone-else', { forSomeoneElse: 'yes' });

    // Act
    const page = await browser.get('/apply/their-details');

    // Assess
    expect(page.body).toContain('Their contact details (optional)');
    expect(page.body).toContain('We only contact them where it is safe to do so.');
    expect(page.body).toContain('aria-describedby="behalfContact-hint"');
  });

  it('asks about the victim, not the applicant, when applying for someone else', async () => {
    // Prepare
    await answer('area', { csp: 'sefton' });
    await answer('victim', { victimType: 'individual' });
    await answer('someone-else', { forSomeoneElse: 'yes' });

    // Act
    const impact = await browser.get('/apply/impact');
    const incident = await browser.get('/apply/incident-1');

    // Assess
    expect(impact.body).toContain('How is the anti-social behaviour affecting them?');
    expect(impact.body).not.toContain('affecting you?');
    expect(incident.body).toContain('Tell us about an incident that was reported');
  });

  it('starts at the first question, and never shows a page that does not apply', async () => {
    // Act
    const start = await browser.get('/apply');
    const theirs = await browser.get('/apply/their-details');
    const unknown = await browser.get('/apply/nothing-here');

    // Assess
    expect(start.location).toBe('/apply/area');
    expect(theirs.location).toBe('/apply');
    expect(unknown.location).toBe('/apply');
  });
});

describe('an officer entering an application', () => {
  const officer = { authorization: 'Bearer officer-token' };

  /** The hidden fields of the form last shown: its idempotency key and when it was first shown. */
  function formIdentity(): Record<string, string> {
    const field = (name: string) =>
      new RegExp(`name="${name}" value="([^"]+)"`).exec(browser.lastBody)?.[1] ?? '';
    return { key: field('key'), openedAt: field('openedAt') };
  }

  function incident(number: number, fields: Record<string, string | string[]>) {
    return Object.fromEntries(
      Object.entries(fields).map(([name, value]) => [`incident-${number}-${name}`, value]),
    );
  }

  /** A phone call: the applicant for themselves, three incidents (the second also reported to the council), one person involved and one witness. */
  function phoneCall(): Record<string, string | string[]> {
    const today = ukDateOf(web.operations.now);
    const reported = (number: number, days: number, reportedTo: string) =>
      incident(number, {
        ...dateBoxes('occurredOn', addDays(today, -days)),
        ...dateBoxes('reportedOn', addDays(today, -days)),
        reportedTo,
        description: `Incident ${number}: shouting at night.`,
        hateMotivated: 'no',
      });
    return {
      ...formIdentity(),
      channel: 'phone',
      ...dateBoxes('receivedOn', today),
      receivedTime: '',
      victimType: 'individual',
      name: 'Pat Caller',
      address: '3 Hill Street',
      postcode: 'l20 1aa',
      email: 'pat@example.com',
      phone: '',
      contactPreference: 'email',
      forSomeoneElse: 'no',
      description: 'Shouting and banging most nights.',
      impact: 'The victim cannot sleep.',
      ...reported(1, 20, 'police'),
      ...reported(2, 12, 'housing-provider'),
      ...dateBoxes('incident-2-other-1-otherReportedOn', addDays(today, -11)),
      'incident-2-other-1-otherReportedTo': 'council',
      'incident-2-other-1-otherReference': 'ASB/123',
      ...reported(3, 5, 'police'),
      'involved-1-name': 'The man at number 5',
      'involved-1-description': '',
      'involved-1-address': '',
      'witness-1-name': 'Sam Neighbour',
      'witness-1-contact': '07700 900123',
      involvement: 'views-only',
      consultOnPlan: 'yes',
      consentToShare: 'yes',
    };
  }

  it('asks every question on one screen, and sends it to the submission the API uses, as the officer', async () => {
    // Prepare
    const form = await browser.get('/staff/apply', officer);
    const today = ukDateOf(web.operations.now);

    const { key } = formIdentity();

    // Act
    const sent = await browser.post('/staff/apply', phoneCall(), officer);
    const confirmation = await browser.get(sent.location ?? '', officer);

    // Assess
    expect(form.status).toBe(200);
    for (const question of [
      'How was it received?',
      'Full name',
      'Incident 1',
      'Person involved 1',
      'Witness 1',
    ]) {
      expect(form.body).toContain(question);
    }
    expect(form.body).toContain('Only staff working on the case see these details');
    expect(form.body).toContain(`name="receivedOn-year" type="text" value="${today.slice(0, 4)}"`);
    expect(sent.status).toBe(303);
    expect(sent.location).toBe('/staff/apply/confirmation');
    expect(web.operations.submitCallers).toHaveLength(1);
    const [{ caller, body, options }] = web.operations.submitCallers as [
      { caller: { kind: string }; body: Record<string, unknown>; options: { idempotencyKey?: string } },
    ];
    expect(caller.kind).toBe('staff');
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(options.idempotencyKey).toBe(key);
    expect(body).toMatchObject({
      csp: 'sefton',
      channel: 'phone',
      applicant: { name: 'Pat Caller', postcode: 'l20 1aa', contactPreference: 'email' },
      involved: [{ name: 'The man at number 5' }],
      witnesses: [{ name: 'Sam Neighbour', contact: '07700 900123' }],
      involvement: { level: 'views-only', consultOnPlan: true },
      consentToShare: true,
    });
    const incidents = body.incidents as { reportedTo: string; alsoReportedTo?: unknown[] }[];
    expect(incidents.map((entry) => entry.reportedTo)).toEqual(['police', 'housing-provider', 'police']);
    expect(incidents[1]?.alsoReportedTo).toEqual([
      { reportedTo: 'council', reportedOn: addDays(today, -11), reference: 'ASB/123' },
    ]);
    expect(confirmation.status).toBe(200);
    expect(confirmation.body).toContain('The application has been entered as case SEF-TEST-0001');
    expect(confirmation.body).toContain('Tell the caller');
    expect(confirmation.body).toContain('CODE-');
    expect(confirmation.body).toContain('is being sent to the applicant by email');
    expect(confirmation.body).not.toContain('Pat Caller');
  });

  it('adds another incident, report, person or witness without losing what was typed, and sends nothing', async () => {
    // Prepare
    await browser.get('/staff/apply', officer);
    const typed = { ...phoneCall(), 'incident-1-location': 'Outside number 3' };

    // Act
    const withIncident = await browser.post('/staff/apply', { ...typed, add: 'incident' }, officer);
    const withReport = await browser.post('/staff/apply', { ...typed, add: 'report-1' }, officer);
    const withWitness = await browser.post('/staff/apply', { ...typed, add: 'witness' }, officer);

    // Assess
    expect(withIncident.status).toBe(200);
    expect(withIncident.body).toContain('id="incident-4"');
    expect(withIncident.body).not.toContain('class="govuk-error-summary"');
    for (const kept of ['value="Pat Caller"', 'value="Outside number 3"', 'Incident 3: shouting at night.']) {
      expect(withIncident.body).toContain(kept);
    }
    expect(withIncident.body).toContain('formaction="/staff/apply#incident-5"');
    expect(withReport.body).toContain('id="incident-1-other-1-otherReference"');
    expect(withWitness.body).toContain('id="witness-2-name"');
    expect(withWitness.body).toContain('value="Sam Neighbour"');
    expect(web.operations.submitCalls).toBe(0);
  });

  it('checks every answer at once: an error summary linking to each field, the answers kept, nothing sent', async () => {
    // Prepare
    await browser.get('/staff/apply', officer);
    const today = ukDateOf(web.operations.now);
    const typed = {
      ...phoneCall(),
      channel: '',
      name: '',
      'incident-2-reportedOn-month': '',
      ...incident(3, dateBoxes('reportedOn', addDays(today, 1))),
      'witness-1-name': '',
      consentToShare: '',
    };

    // Act
    const response = await browser.post('/staff/apply', typed, officer);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/class="govuk-error-summary"/);
    const summary = [...response.body.matchAll(/<a href="(#[^"]+)">([^<]+)<\/a>/g)].map(([, href, text]) => ({
      href,
      text,
    }));
    expect(summary.map((item) => item.href)).toEqual([
      '#channel',
      '#name',
      '#incident-2-reportedOn-month',
      '#incident-3-reportedOn-day',
      '#witness-1-name',
      '#consentToShare',
    ]);
    expect(summary[1]?.text).toBe('Enter the applicant’s full name');
    expect(summary.at(-1)?.text).toMatch(/^Confirm that the applicant agrees to the agencies sharing/);
    expect(summary[2]?.text).toBe('Incident 2: Date the incident was reported must include a month');
    expect(response.body).toContain('id="incident-2-reportedOn-error"');
    expect(response.body).toContain('value="07700 900123"');
    expect(response.body).toContain('Incident 3: shouting at night.');
    expect(web.operations.submitCalls).toBe(0);
  });

  it('says from when an incident may be dated when a letter gives a year far in the past, nothing sent', async () => {
    // Prepare
    await browser.get('/staff/apply', officer);

    // Act
    const response = await browser.post(
      '/staff/apply',
      { ...phoneCall(), ...incident(1, dateBoxes('occurredOn', '1066-10-14')) },
      officer,
    );

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      'href="#incident-1-occurredOn-day">Incident 1: The date the incident happened must be on or after 13 March 2014',
    );
    expect(web.operations.submitCalls).toBe(0);
  });

  it('asks for a postcode left empty, rather than for a real one', async () => {
    // Prepare
    await browser.get('/staff/apply', officer);

    // Act
    const response = await browser.post('/staff/apply', { ...phoneCall(), postcode: ' ' }, officer);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain('href="#postcode">Enter the applicant’s postcode</a>');
    expect(response.body).not.toContain('Enter a real postcode');
  });

  it('enters one case when the form is sent twice', async () => {
    // Prepare
    await browser.get('/staff/apply', officer);
    const call = phoneCall();

    // Act
    const first = await browser.post('/staff/apply', call, officer);
    const again = await browser.post('/staff/apply', call, officer);
    const confirmation = await browser.get('/staff/apply/confirmation', officer);

    // Assess
    expect(first.location).toBe('/staff/apply/confirmation');
    expect(again.location).toBe('/staff/apply/confirmation');
    expect(web.operations.submissions.size).toBe(1);
    expect(confirmation.body).toContain('SEF-TEST-0001');
  });

  it('says so, keeping the answers, when the form is still being sent or was sent before with other answers', async () => {
    // Prepare
    await browser.get('/staff/apply', officer);
    const call = phoneCall();
    const failures = [
      new StillProcessingError('Send the application again.'),
      new ConflictError('This Idempotency-Key was used for a different application.'),
    ];
    web.operations.submitApplication = async () => {
      throw failures.shift();
    };

    // Act
    const sending = await browser.post('/staff/apply', call, officer);
    const changed = await browser.post('/staff/apply', call, officer);

    // Assess
    expect(sending.status).toBe(409);
    expect(sending.body).toContain('href="#send">This application is already being sent');
    expect(changed.status).toBe(409);
    expect(changed.body).toContain('href="/staff/apply">This application was sent already');
    for (const page of [sending, changed]) {
      expect(page.body).toContain('value="Pat Caller"');
      expect(page.body).toContain(`name="key" value="${call.key}"`);
    }
  });

  it('takes the channel and date received, for the officer’s own CSP, and speaks of the applicant', async () => {
    // Prepare
    const start = await browser.get('/staff/apply', officer);

    // Act
    const missing = await browser.post(
      '/staff/apply',
      {
        ...phoneCall(),
        channel: 'letter',
        ...dateBoxes('receivedOn', '--'),
        name: '',
        address: 'x',
        postcode: 'L20 1AA',
      },
      officer,
    );

    // Assess
    expect(start.status).toBe(200);
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('Enter the date the application was received');
    expect(missing.body).toContain('Enter the applicant’s full name');
  });

  it('is refused to anyone but an officer', async () => {
    // Act
    const anonymous = await browser.get('/staff/apply');
    const police = await browser.get('/staff/apply', { authorization: 'Bearer police-token' });
    const confirmation = await browser.get('/staff/apply/confirmation', {
      authorization: 'Bearer police-token',
    });

    // Assess
    expect(anonymous.location).toBe('/staff');
    expect(police.status).toBe(403);
    expect(confirmation.status).toBe(403);
  });
});

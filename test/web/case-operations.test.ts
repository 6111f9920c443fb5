// The pages call the case operations directly (cases/operations.ts): with the caller the page door has
// verified, the form's answers as the body, and the operations' own results and errors.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  type DomainError,
  InvalidInputError,
  NotAllowedError,
  NotFoundError,
  NotSignedInError,
} from '#core/errors.ts';
import { applicantCaseView, staffCaseView } from '#test/support/case-views.ts';
import { PageClient, pageRoutes, STAFF, type TestWeb, testWeb } from '#test/support/web-app.ts';

const ROUTES = Object.keys(pageRoutes());
const REFERENCE = 'SEF-7K3M-Q9XD';
const OFFICER = { authorization: 'Bearer officer-token' };

let web: TestWeb;
let browser: PageClient;

beforeEach(() => {
  web = testWeb();
  browser = new PageClient(web, ROUTES);
});

describe('the pages’ calls of the case operations', () => {
  it('pass the caller the page door verified and the form’s answers as the body', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: applicantCaseView({ reference: REFERENCE, stage: 'awaiting-threshold-decision' }),
      accessCode: 'CODE',
    });
    await browser.get('/track');
    await browser.post('/track', { reference: REFERENCE, accessCode: 'CODE' });
    await browser.get('/track/withdraw');

    // Act
    await browser.post('/track/withdraw', { reason: 'r' });
    await browser.get('/staff/cases?stage=closed', OFFICER);

    // Assess
    expect(web.operations.acts[0]).toEqual({
      reference: REFERENCE,
      action: 'withdraw',
      body: { reason: 'r' },
      caller: { kind: 'applicant', accessCode: 'CODE' },
    });
    expect(web.operations.worklists[0]?.caller).toEqual({ kind: 'staff', staff: STAFF['officer-token'] });
    expect(web.operations.worklists[0]?.query).toMatchObject({ stage: 'closed' });
  });

  it('send a withdrawal without a reason, with a fear of reprisal when it is ticked', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: applicantCaseView({ reference: REFERENCE, stage: 'awaiting-threshold-decision' }),
      accessCode: 'CODE',
    });
    await browser.get('/track');
    await browser.post('/track', { reference: REFERENCE, accessCode: 'CODE' });
    const other = 'SEF-2222-3333';
    web.operations.cases.set(other, { view: staffCaseView({ reference: other }), accessCode: 'CODE' });
    const form = await browser.get('/track/withdraw');
    await browser.get(`/staff/cases/${other}`, OFFICER);

    // Act
    await browser.post('/track/withdraw', { reason: '', fearOfReprisal: 'yes' });
    await browser.post(`/staff/cases/${other}/withdraw`, { reason: '', fearOfReprisal: 'yes' }, OFFICER);

    // Assess
    expect(form.body).toContain('Why are you withdrawing your application? (optional)');
    expect(web.operations.acts.map((act) => act.body)).toEqual([
      { reason: '', fearOfReprisal: true },
      { reason: '', fearOfReprisal: true },
    ]);
  });

  it('flag a fear of reprisal to the officer on the case page, with the reason', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: staffCaseView({
        reference: REFERENCE,
        stage: 'closed',
        closure: { reason: 'withdrawn', at: '2015-06-02T10:00:00.000Z' },
        withdrawal: {
          reason: 'They threatened me.',
          fearOfReprisal: true,
          at: '2015-06-02T10:00:00.000Z',
          by: { role: 'applicant' },
        },
      }),
      accessCode: 'CODE',
    });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(page.body).toContain('The applicant withdrew because they fear reprisal.');
    expect(page.body).toContain('They threatened me.');
  });

  it.each<[DomainError, number]>([
    [new InvalidInputError([{ path: 'reason', message: 'Enter a reason' }]), 400],
    [new NotSignedInError(), 303],
    [new NotAllowedError(), 403],
    [new NotFoundError(), 404],
    [new ConflictError('moved on', 'closed'), 303],
  ])('give the pages the operations’ %s as it is', async (error, status) => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: staffCaseView({ reference: REFERENCE }),
      accessCode: 'CODE',
    });
    await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);
    web.operations.failNextAct = error;

    // Act
    const response = await browser.post(`/staff/cases/${REFERENCE}/withdraw`, { reason: 'r' }, OFFICER);

    // Assess
    expect(response.status).toBe(status);
    if (error instanceof NotSignedInError) expect(response.location).toBe('/staff');
    if (error instanceof ConflictError) expect(response.location).toBe(`/staff/cases/${REFERENCE}`);
    if (error instanceof InvalidInputError) expect(response.body).toContain('Enter a reason');
  });

  it('read a staff view’s application where the operation puts it', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: staffCaseView({
        reference: REFERENCE,
        stage: 'awaiting-review',
        application: {
          applicant: {
            name: 'Jo',
            address: '1 Hill Street',
            postcode: 'L20 1AA',
            contactPreference: 'email',
          },
          onBehalfOf: null,
          description: 'd is for description',
          impact: 'i',
          incidents: [],
        },
        agencyResponses: [
          {
            agency: 'police',
            summary: 'Two visits made.',
            at: '2015-06-03T10:00:00.000Z',
            cycle: 1,
            by: { role: 'agency', name: 'Pat' },
          },
        ],
      }),
      accessCode: 'CODE',
    });

    // Act
    const page = await browser.get(`/staff/cases/${REFERENCE}`, OFFICER);

    // Assess
    expect(page.status).toBe(200);
    expect(page.body).toContain('Jo');
    expect(page.body).toContain('d is for description');
    expect(page.body).toContain('Two visits made.');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError } from '#core/errors.ts';
import { involvementSchema } from '#core/schemas/case-review.ts';
import { applicantCaseView } from '#test/support/case-views.ts';
import { PageClient, pageRoutes, type TestWeb, testWeb } from '#test/support/web-app.ts';
import { webKeys } from '#web/session/keys.ts';

const ROUTES = Object.keys(pageRoutes());
const REFERENCE = 'SEF-7K3M-Q9XD';
const ACCESS_CODE = 'YA5E-B4CQ-QAX4-0GVE-39RE-RNV0-YRA4';

let web: TestWeb;
let browser: PageClient;

function view(overrides: Parameters<typeof applicantCaseView>[0] = {}) {
  return applicantCaseView({
    reference: REFERENCE,
    csp: 'sefton',
    stage: 'threshold-not-met',
    receivedAt: '2015-06-01T10:00:00.000Z',
    thresholdAssessment: { met: false, route: null, reasons: ['Only 1 incident counts, and 3 are needed.'] },
    thresholdDecision: { met: false, route: null, reason: 'Only one incident was reported.' },
    deadlines: { referralWindow: '2099-07-01T22:59:59.999Z' },
    timeline: [{ at: '2015-06-01T10:00:00.000Z', type: 'received', summary: 'Application received online' }],
    ...overrides,
  });
}

async function signIn(code = ACCESS_CODE) {
  await browser.get('/track');
  return browser.post('/track', { reference: REFERENCE.toLowerCase(), accessCode: code });
}

beforeEach(() => {
  web = testWeb();
  browser = new PageClient(web, ROUTES);
  web.operations.cases.set(REFERENCE, { view: view(), accessCode: ACCESS_CODE });
});

describe('tracking an application', () => {
  it('opens the case with the reference and access code posted, never in a URL, and keeps them sealed', async () => {
    // Act
    const signedIn = await signIn();
    const status = await browser.follow(signedIn);

    // Assess
    expect(signedIn.location).toBe('/track');
    const cookie = signedIn.cookies.find((value) => value.startsWith('__Host-asb-track='));
    expect(cookie).toBeDefined();
    expect(cookie).not.toContain(ACCESS_CODE);
    expect(cookie).not.toContain(REFERENCE);
    expect(status.body).toContain('Threshold not met'.toLowerCase());
    expect(status.body).toContain('Only 1 incident counts, and 3 are needed.');
    expect(status.body).toContain('Only one incident was reported.');
    expect(status.body).toContain(
      'You can ask the Police and Crime Commissioner’s office to check your case until',
    );
    expect(status.headers['cache-control']).toBe('no-store');
  });

  it('gives the page’s script a presigned POST per file as the signed-in applicant, and nobody else', async () => {
    // Prepare
    const files = {
      name: ['diary.pdf', 'photo.jpg'],
      type: ['application/pdf', 'image/jpeg'],
      size: ['10', '20'],
    };
    await browser.get('/track');
    const signedOut = await browser.post('/track/files', files);
    const status = await browser.follow(await signIn());

    // Act
    const granted = await browser.post('/track/files', files);

    // Assess
    expect(signedOut.location).toBe('/track');
    expect(status.body).toContain('data-app-uploads="/track/files"');
    expect(granted.status).toBe(200);
    expect(JSON.parse(granted.body).uploads).toHaveLength(2);
    expect(web.operations.uploadRequests.map(({ reference, caller }) => ({ reference, caller }))).toEqual([
      { reference: REFERENCE, caller: { kind: 'applicant', accessCode: ACCESS_CODE } },
    ]);
  });

  it('says a step whose deadline has passed is late, and a discretionary review for what it is', async () => {
    // Prepare: a letter of 2015 entered late, then decided at the partners' discretion.
    web.operations.cases.set(REFERENCE, {
      view: view({
        stage: 'awaiting-threshold-decision',
        thresholdDecision: null,
        deadlines: { thresholdDecision: '2015-06-15T22:59:59.999Z' },
      }),
      accessCode: ACCESS_CODE,
    });
    const late = await browser.follow(await signIn());
    web.operations.cases.set(REFERENCE, {
      view: view({
        stage: 'awaiting-review',
        thresholdDecision: { met: true, route: 'discretionary', reason: 'The harm is serious.' },
        deadlines: { reviewOutcome: '2099-07-01T22:59:59.999Z' },
      }),
      accessCode: ACCESS_CODE,
    });

    // Act
    const discretionary = await browser.get('/track');

    // Assess
    expect(late.body).toContain('This step was due by 15 June 2015. We are sorry it is late');
    expect(late.body).not.toContain('meets the threshold by 15 June 2015');
    expect(discretionary.body).toContain(
      'Your reports did not meet the usual rule, but the partners have decided to hold a case review',
    );
    expect(discretionary.body).not.toContain('How it was met');
  });

  it('gives the automatic threshold check as a check, not as the officer’s decision', async () => {
    // Prepare: the check found route A met; the officer has not decided yet, then decides otherwise.
    const assessment = {
      met: true,
      route: 'A',
      reasons: ['The threshold for a case review is met by route A (repeated incidents).'],
    } as const;
    web.operations.cases.set(REFERENCE, {
      view: view({
        stage: 'awaiting-threshold-decision',
        thresholdAssessment: assessment,
        thresholdDecision: null,
      }),
      accessCode: ACCESS_CODE,
    });
    const undecided = await browser.follow(await signIn());
    web.operations.cases.set(REFERENCE, {
      view: view({ thresholdAssessment: assessment }),
      accessCode: ACCESS_CODE,
    });

    // Act
    const decided = await browser.get('/track');

    // Assess
    expect(undecided.body).toContain(
      'This is the automatic check of your reports against the threshold, not the decision: a case review officer decides whether the threshold is met, and we will tell you.',
    );
    expect(decided.body).toContain(
      'This is the automatic check of your reports against the threshold. The case review officer’s decision is below.',
    );
    expect(decided.body).toContain('The threshold for a case review is not met');
  });

  it('points the victim of a route C case to Victim Support and hate-crime support, and no one else', async () => {
    // Prepare
    const other = await browser.follow(await signIn());
    web.operations.cases.set(REFERENCE, {
      view: view({
        stage: 'awaiting-review',
        thresholdDecision: { met: true, route: 'C', reason: 'A hate incident.' },
        deadlines: { reviewOutcome: '2099-07-01T22:59:59.999Z' },
      }),
      accessCode: ACCESS_CODE,
    });

    // Act
    const routeC = await browser.get('/track');

    // Assess
    expect(routeC.body).toContain('href="https://www.victimsupport.org.uk/">Victim Support</a>');
    expect(routeC.body).toContain('True Vision');
    expect(routeC.body).toContain('Stop Hate UK');
    expect(other.body).not.toContain('Victim Support');
  });

  it('says only that the details are not right, whichever is wrong', async () => {
    // Act
    const wrongCode = await signIn('WRONG');
    const wrongReference = await browser.post('/track', {
      reference: 'SEF-0000-0000',
      accessCode: ACCESS_CODE,
    });
    const blank = await browser.post('/track', { reference: '', accessCode: '' });

    // Assess
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body).toContain('The reference number or access code is not right');
    expect(wrongReference.body).toContain('The reference number or access code is not right');
    expect(blank.body).toContain('href="#reference">Enter your reference number</a>');
    expect(blank.body).toContain('href="#accessCode">Enter your access code</a>');
    expect(wrongCode.body).not.toContain('WRONG');
  });

  it('asks the PCC’s office to check the case, as the applicant, while the window is open', async () => {
    // Prepare
    await browser.follow(await signIn());
    await browser.get('/track/referral');

    // Act
    const sent = await browser.post('/track/referral', {
      reason: 'The decision ignored the noise at night.',
    });

    const status = await browser.follow(sent);
    const reloaded = await browser.get('/track');

    // Assess
    expect(sent.location).toBe('/track');
    expect(status.body).toContain(
      'You have asked the Police and Crime Commissioner’s office to check your case. We will tell you its decision.',
    );
    expect(reloaded.body).not.toContain('govuk-notification-banner');
    expect(web.operations.acts).toEqual([
      {
        reference: REFERENCE,
        action: 'referral',
        body: { reason: 'The decision ignored the noise at night.' },
        caller: { kind: 'applicant', accessCode: ACCESS_CODE },
      },
    ]);
  });

  it('shows what the applicant asked for at once, before the workflow moves the stage, and no longer offers it', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: view({ stage: 'awaiting-review', asked: ['withdraw'] }),
      accessCode: ACCESS_CODE,
    });
    const withdrawn = await browser.follow(await signIn());
    web.operations.cases.set(REFERENCE, {
      view: view({
        stage: 'review-complete',
        deadlines: { referralWindow: '2099-01-01T00:00:00.000Z' },
        asked: ['referral'],
      }),
      accessCode: ACCESS_CODE,
    });

    // Act
    const referred = await browser.get('/track');
    const referralForm = await browser.get('/track/referral');

    // Assess
    expect(withdrawn.body).toContain('Where your application is: withdrawn');
    expect(withdrawn.body).toContain('Your case closes in a moment');
    for (const offered of ['href="/track/withdraw"', 'href="/track/involvement"', 'href="/track/referral"']) {
      expect(withdrawn.body).not.toContain(offered);
    }
    expect(referred.body).toContain(
      'The Police and Crime Commissioner’s office is checking how your case was handled.',
    );
    // The office's name keeps its capitals in the heading, which lowers only the stage's first letter.
    expect(referred.body).toContain(
      'Where your application is: with the Police and Crime Commissioner’s office</h2>',
    );
    expect(referred.body).not.toContain('href="/track/referral"');
    expect(referralForm.location).toBe('/track');
  });

  it('does not offer a referral once the window has closed', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: view({ deadlines: { referralWindow: '2000-01-01T00:00:00.000Z' } }),
      accessCode: ACCESS_CODE,
    });
    const status = await browser.follow(await signIn());

    // Act
    const form = await browser.get('/track/referral');

    // Assess
    expect(status.body).not.toContain('/track/referral');
    expect(form.location).toBe('/track');
  });

  it('gives the case’s own contact and their phone on each form of the case, also when it comes back with a problem', async () => {
    // Prepare: a referral is open to a "not met" decision, involvement until the review
    const named = {
      name: 'Jo Officer',
      role: 'Your single point of contact',
      phone: '0151 934 0000',
      email: null,
    };
    const useStage = (stage: string) =>
      web.operations.cases.set(REFERENCE, { view: view({ stage, contact: named }), accessCode: ACCESS_CODE });
    useStage('awaiting-review');
    await browser.follow(await signIn());

    // Act
    const forms = [await browser.get('/track/withdraw'), await browser.get('/track/involvement')];
    useStage('threshold-not-met');
    forms.push(await browser.get('/track/referral'));
    web.operations.failNextAct = new InvalidInputError([{ path: 'reason', message: 'Enter why' }]);
    const refused = await browser.post('/track/referral', { reason: '' });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('You can ask until 1 July 2099.');
    for (const page of [...forms, refused]) {
      expect(page.body).toContain('Your contact');
      expect(page.body).toContain('Jo Officer');
      expect(page.body).toContain('0151 934 0000');
    }
  });

  it('shows the API’s message on the field when the reason is missing', async () => {
    // Prepare
    await browser.follow(await signIn());
    await browser.get('/track/withdraw');
    web.operations.failNextAct = new InvalidInputError([
      { path: 'reason', message: 'Enter why the application is being withdrawn' },
    ]);

    // Act
    const response = await browser.post('/track/withdraw', { reason: '' });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain('href="#reason">Enter why the application is being withdrawn</a>');
  });

  it('says when the case moved on before the request arrived', async () => {
    // Prepare
    await browser.follow(await signIn());
    await browser.get('/track/withdraw');
    web.operations.failNextAct = new ConflictError('closed', 'closed');

    // Act
    const response = await browser.follow(await browser.post('/track/withdraw', { reason: 'It stopped.' }));

    // Assess
    expect(response.body).toContain('That could not be done, because your case has moved on');
  });

  it('signs out by forgetting the session', async () => {
    // Prepare
    await browser.follow(await signIn());

    // Act
    const signedOut = await browser.post('/track/sign-out');
    const page = await browser.follow(signedOut);

    // Assess
    expect(signedOut.cookies).toContain(
      '__Host-asb-track=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0',
    );
    expect(page.body).toContain('Enter the reference number and access code');
  });

  it('answers an address that is not a tracking page with "Page not found", signed in or not, and does nothing', async () => {
    // Prepare
    const signedOutGet = await browser.get('/track/nothing-here');
    await browser.follow(await signIn());
    const token = browser.csrfToken();

    // Act
    const signedInGet = await browser.get('/track/nothing-here');
    const posted = await browser.post('/track/nothing-here', {
      csrfToken: token,
      reason: 'Moved away.',
    });

    // Assess
    for (const page of [signedOutGet, signedInGet, posted]) {
      expect(page.status).toBe(404);
      expect(page.body).toContain('Page not found');
    }
    expect(web.operations.acts).toEqual([]);
  });
});

describe('the tracking sign-in', () => {
  const MINUTE = 60_000;
  const at = (minutes: number) => new Date(Date.parse('2026-06-01T09:00:00.000Z') + minutes * MINUTE);
  const signedIn = (page: { body: string }) => page.body.includes('Only one incident was reported.');

  it('lasts while the applicant uses it: each tracking page gives it 30 more minutes', async () => {
    // Prepare
    web.operations.now = at(0);
    await browser.follow(await signIn());

    // Act: a page 25 minutes after signing in, another 25 minutes after that, then none for 31 minutes
    web.operations.now = at(25);
    const used = await browser.get('/track');
    web.operations.now = at(50);
    const usedAgain = await browser.get('/track');
    web.operations.now = at(81);
    const unused = await browser.get('/track');

    // Assess
    expect(signedIn(used)).toBe(true);
    expect(used.cookies.find((cookie) => cookie.startsWith('__Host-asb-track='))).toContain('Max-Age=1800');
    expect(signedIn(usedAgain)).toBe(true);
    expect(signedIn(unused)).toBe(false);
    expect(unused.body).toContain('name="accessCode"');
  });

  it('ends 4 hours after signing in, however much it is used', async () => {
    // Prepare
    web.operations.now = at(0);
    await browser.follow(await signIn());

    // Act: a page every 20 minutes
    const pages = [];
    for (let minutes = 20; minutes <= 260; minutes += 20) {
      web.operations.now = at(minutes);
      pages.push({ minutes, page: await browser.get('/track') });
    }

    // Assess
    expect(pages.filter(({ page }) => signedIn(page)).map(({ minutes }) => minutes)).toEqual([
      20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220,
    ]);
    const last = pages.find(({ minutes }) => minutes === 220)?.page;
    expect(last?.cookies.find((cookie) => cookie.startsWith('__Host-asb-track='))).toContain('Max-Age=1200');
  });

  it('refuses a form made for another sign-in, whether or not that sign-in was renewed', async () => {
    // Prepare: the withdrawal form open, the sign-in renewed, then signed out and in again (twice)
    web.operations.now = at(0);
    await browser.follow(await signIn());
    await browser.get('/track/withdraw');
    const beforeRenewal = browser.csrfToken();
    web.operations.now = at(10);
    await browser.get('/track');
    await browser.post('/track/sign-out');
    await browser.follow(await signIn());
    await browser.get('/track/withdraw');
    const otherSignIn = browser.csrfToken();
    await browser.post('/track/sign-out');
    await browser.follow(await signIn());

    // Act
    const stale = await browser.post('/track/withdraw', { csrfToken: otherSignIn, reason: 'Moved away.' });
    const renewedThenSignedInAgain = await browser.post('/track/withdraw', {
      csrfToken: beforeRenewal,
      reason: 'Moved away.',
    });

    // Assess
    expect(stale.status).toBe(403);
    expect(renewedThenSignedInAgain.status).toBe(403);
    expect(web.operations.acts).toEqual([]);
  });

  it('accepts a form opened before the sign-in was renewed', async () => {
    // Prepare: the withdrawal form open, then the status page in another tab 10 minutes later
    web.operations.now = at(0);
    web.operations.cases.set(REFERENCE, {
      view: view({ stage: 'awaiting-threshold-decision', thresholdDecision: null }),
      accessCode: ACCESS_CODE,
    });
    await browser.follow(await signIn());
    await browser.get('/track/withdraw');
    const token = browser.csrfToken();
    web.operations.now = at(10);
    const renewed = await browser.get('/track');

    // Act
    const sent = await browser.post('/track/withdraw', { csrfToken: token, reason: 'Moved away.' });

    // Assess
    expect(renewed.cookies.some((cookie) => cookie.startsWith('__Host-asb-track='))).toBe(true);
    expect(sent.status).toBe(303);
    expect(web.operations.acts.map((act) => act.action)).toEqual(['withdraw']);
  });
  it('lasts, with the forms open, across a rotation of the session secret, and ends when the old value is dropped', async () => {
    // Prepare: the pages' keys as an instance reads them again; two applicants signed in, one with a form open
    const previous = Buffer.alloc(32, 1);
    const current = Buffer.alloc(32, 2);
    let keys = webKeys(previous);
    web = testWeb({ keys: async () => keys });
    web.operations.now = at(0);
    web.operations.cases.set(REFERENCE, {
      view: view({ stage: 'awaiting-threshold-decision', thresholdDecision: null }),
      accessCode: ACCESS_CODE,
    });
    browser = new PageClient(web, ROUTES);
    const other = new PageClient(web, ROUTES);
    await browser.follow(await signIn());
    await browser.get('/track/withdraw');
    const token = browser.csrfToken();
    await other.get('/track');
    await other.follow(await other.post('/track', { reference: REFERENCE, accessCode: ACCESS_CODE }));

    // Act: a new current value beside the previous one; later the previous one dropped
    keys = webKeys(current, previous);
    web.operations.now = at(10);
    const during = await browser.get('/track');
    const sent = await browser.post('/track/withdraw', { csrfToken: token, reason: 'Moved away.' });
    keys = webKeys(current);
    web.operations.now = at(20);
    const renewedDuring = await browser.get('/track');
    const sealedWithDropped = await other.get('/track');

    // Assess
    const isSignedIn = (page: { body: string }) => !page.body.includes('name="accessCode"');
    expect(isSignedIn(during)).toBe(true);
    expect(sent.status).toBe(303);
    expect(web.operations.acts.map((act) => act.action)).toEqual(['withdraw']);
    expect(isSignedIn(renewedDuring)).toBe(true);
    expect(isSignedIn(sealedWithDropped)).toBe(false);
  });
});

describe('the timeout warning of the tracking sign-in', () => {
  const MINUTE = 60_000;
  const at = (minutes: number) => new Date(Date.parse('2026-06-01T09:00:00.000Z') + minutes * MINUTE);
  const signedIn = (page: { body: string }) => page.body.includes('Only one incident was reported.');
  const trackCookie = (page: { cookies: readonly string[] }) =>
    page.cookies.find((cookie) => cookie.startsWith('__Host-asb-track='));

  it('gives the page’s script the seconds the sign-in has to run, and whether using the pages still lengthens it', async () => {
    // Prepare
    web.operations.now = at(0);
    const signInForm = await browser.get('/track');
    await browser.post('/track', { reference: REFERENCE, accessCode: ACCESS_CODE });

    // Act: a page 20 minutes after signing in, then one about every 25 minutes, the last 20 minutes
    // before the sign-in's 4 hours are up
    web.operations.now = at(20);
    const early = await browser.get('/track');
    for (const minutes of [45, 70, 95, 120, 145, 170, 195]) {
      web.operations.now = at(minutes);
      await browser.get('/track');
    }
    web.operations.now = at(220);
    const late = await browser.get('/track');

    // Assess
    expect(signInForm.body).not.toContain('data-app-timeout');
    expect(signInForm.body).not.toContain('timeout.');
    expect(early.body).toContain('data-app-timeout="1800" aria-labelledby="app-timeout-heading"');
    expect(early.body).toContain('You’re about to be signed out');
    expect(early.body).toMatch(/<script type="module" src="\/assets\/timeout\.[0-9a-f]+\.mjs"><\/script>/);
    expect(late.body).toContain('data-app-timeout="1200" data-app-timeout-final');
    expect(late.body).toContain('A sign-in lasts 4 hours at most, so you cannot stay signed in for longer.');
    expect(trackCookie(late)).toContain('Max-Age=1200');
  });

  it('renews the sign-in when the applicant chooses to stay signed in, and gives the script its new time', async () => {
    // Prepare
    web.operations.now = at(0);
    await browser.follow(await signIn());
    const token = browser.csrfToken();

    // Act: "Stay signed in" 28 minutes after the page, then the page again 29 minutes after that
    web.operations.now = at(28);
    const stayed = await browser.post('/track/stay-signed-in', { csrfToken: token });
    web.operations.now = at(57);
    const later = await browser.get('/track');

    // Assess
    expect(stayed.status).toBe(200);
    expect(stayed.headers['content-type']).toContain('application/json');
    expect(JSON.parse(stayed.body)).toEqual({ seconds: 1800, final: false });
    expect(trackCookie(stayed)).toContain('Max-Age=1800');
    expect(signedIn(later)).toBe(true);
    expect(web.operations.acts).toEqual([]);
  });

  it('renews nothing for a sign-in that has ended, or without the page’s form token', async () => {
    // Prepare
    web.operations.now = at(0);
    await browser.follow(await signIn());
    const token = browser.csrfToken();

    // Act
    web.operations.now = at(10);
    const withoutToken = await browser.post('/track/stay-signed-in', { csrfToken: '' });
    web.operations.now = at(41);
    const ended = await browser.post('/track/stay-signed-in', { csrfToken: token });
    const page = await browser.get('/track');

    // Assess
    expect(withoutToken.status).toBe(403);
    expect(withoutToken.headers['content-type']).toContain('text/html');
    expect(trackCookie(withoutToken)).toBeUndefined();
    expect(ended.status).toBe(403);
    expect(ended.body).toContain('Your form has expired');
    expect(trackCookie(ended)).toBeUndefined();
    expect(signedIn(page)).toBe(false);
  });

  it('says what happened once the sign-in has ended, and sends one still signed in to the status page', async () => {
    // Prepare
    web.operations.now = at(0);
    await browser.follow(await signIn());

    // Act
    web.operations.now = at(10);
    const stillSignedIn = await browser.get('/track/signed-out');
    web.operations.now = at(41);
    const ended = await browser.get('/track/signed-out');

    // Assess
    expect(stillSignedIn.location).toBe('/track');
    expect(ended.status).toBe(200);
    expect(ended.body).toContain('You have been signed out');
    expect(ended.body).toContain(
      'we sign you out when you have not used the pages that track your application for 30 minutes, and 4 hours after you signed in',
    );
    expect(ended.body).toContain('href="/track">Sign in again</a>');
    expect(ended.body).not.toContain('data-app-timeout');
  });
});

describe('the case review on /track', () => {
  const ATTENDING = {
    level: 'attend',
    attendance: 'in-person',
    needs: 'A ground-floor room.',
    consultOnPlan: true,
  } as const;

  it('gives the contact and how the victim takes part, with a way to change it before the review', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: view({ stage: 'awaiting-review', involvement: ATTENDING }),
      accessCode: ACCESS_CODE,
    });

    // Act
    const status = await browser.follow(await signIn());

    // Assess
    expect(status.body).toContain('Your contact');
    expect(status.body).toContain('Sefton Council anti-social behaviour team');
    expect(status.body).toContain('0345 140 0845');
    expect(status.body).toContain('Attend the case review meeting in person');
    expect(status.body).toContain('A ground-floor room.');
    expect(status.body).toContain('href="/track/involvement"');
  });

  it('shows the meeting’s time and format, and the place only to an invited applicant', async () => {
    // Prepare: a week before the meeting
    const at = '2015-06-25T13:00:00.000Z';
    web.operations.now = new Date('2015-06-18T09:00:00.000Z');
    web.operations.cases.set(REFERENCE, {
      view: view({
        stage: 'awaiting-review',
        involvement: ATTENDING,
        meeting: { at, format: 'hybrid', location: 'Bootle <Town> Hall', invited: true },
      }),
      accessCode: ACCESS_CODE,
    });
    const invited = await browser.follow(await signIn());
    web.operations.cases.set(REFERENCE, {
      view: view({ stage: 'awaiting-review', meeting: { at, format: 'online', invited: false } }),
      accessCode: ACCESS_CODE,
    });

    // Act
    const notInvited = await browser.get('/track');

    // Assess
    expect(invited.body).toContain('The case review meeting');
    expect(invited.body).toContain('Thursday 25 June 2015 at 2pm');
    expect(invited.body).toContain('In person, with the option to join online');
    expect(invited.body).toContain('Bootle &lt;Town&gt; Hall');
    expect(invited.body).toContain('You are invited.');
    expect(notInvited.body).toContain('Thursday 25 June 2015 at 2pm');
    expect(notInvited.body).not.toContain('Bootle');
    expect(notInvited.body).toContain('send them to your contact in writing');
  });

  it('gives an invited applicant the online meeting’s address as a link to join it, and no other kind', async () => {
    // Prepare: on the day of the meeting, before it starts
    const meeting = { at: '2015-06-25T13:00:00.000Z', format: 'online', invited: true } as const;
    web.operations.now = new Date('2015-06-25T12:30:00.000Z');
    const pageWith = async (location: string) => {
      web.operations.cases.set(REFERENCE, {
        view: view({ stage: 'awaiting-review', involvement: ATTENDING, meeting: { ...meeting, location } }),
        accessCode: ACCESS_CODE,
      });
      return (await browser.get('/track')).body;
    };
    await browser.follow(await signIn());

    // Act
    const online = await pageWith('https://meet.example.org/sefton-review?id=7&pin=2');
    const script = await pageWith('javascript:alert(1)');
    const room = await pageWith('Room 2, Bootle Town Hall');

    // Assess
    expect(online).toContain(
      '<a class="govuk-link" href="https://meet.example.org/sefton-review?id=7&amp;pin=2" rel="noreferrer">Join the meeting online</a>',
    );
    expect(script).not.toContain('Join the meeting online');
    expect(room).not.toContain('Join the meeting online');
  });

  it('says a meeting whose day has passed has taken place, without the invitation or the link to join', async () => {
    // Prepare: the day after an online meeting the applicant was invited to, its outcome not yet recorded
    web.operations.now = new Date('2015-06-26T09:00:00.000Z');
    web.operations.cases.set(REFERENCE, {
      view: view({
        stage: 'awaiting-review',
        involvement: ATTENDING,
        meeting: {
          at: '2015-06-25T13:00:00.000Z',
          format: 'online',
          location: 'https://meet.example.org/sefton-review',
          invited: true,
        },
      }),
      accessCode: ACCESS_CODE,
    });

    // Act
    const page = await browser.follow(await signIn());

    // Assess
    expect(page.body).toContain('Thursday 25 June 2015 at 2pm');
    expect(page.body).toContain('The meeting has taken place. We will tell you the outcome of the review.');
    expect(page.body).not.toContain('You are invited.');
    expect(page.body).not.toContain('Join the meeting online');
  });

  it('asks how the victim takes part only while they still can, and says nothing of it once the case is closed', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: view({ stage: 'awaiting-threshold-decision', thresholdDecision: null }),
      accessCode: ACCESS_CODE,
    });
    const open = await browser.follow(await signIn());
    web.operations.cases.set(REFERENCE, {
      view: view({
        stage: 'closed',
        closure: { reason: 'threshold-not-met', at: '2015-08-01T10:00:00.000Z' },
      }),
      accessCode: ACCESS_CODE,
    });

    // Act
    const closed = await browser.get('/track');

    // Assess
    expect(open.body).toContain('How you are taking part in the case review');
    expect(open.body).toContain('You have not told us yet.');
    expect(closed.body).not.toContain('How you are taking part in the case review');
    expect(closed.body).not.toContain('You have not told us yet.');
  });

  it('changes how the victim takes part through the involvement step, with the new choice in the banner', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: view({ stage: 'awaiting-review', involvement: ATTENDING }),
      accessCode: ACCESS_CODE,
    });
    await browser.follow(await signIn());
    const form = await browser.get('/track/involvement');

    // Act
    const sent = await browser.post('/track/involvement', {
      involvement: 'views-only',
      involvementViews: 'The noise is worst at weekends.',
      consultOnPlan: 'no',
      involvementNeeds: '',
    });
    web.operations.cases.set(REFERENCE, {
      view: view({
        stage: 'awaiting-review',
        involvement: {
          level: 'views-only',
          attendance: null,
          views: 'The noise is worst at weekends.',
          consultOnPlan: false,
        },
      }),
      accessCode: ACCESS_CODE,
    });
    const after = await browser.follow(sent);

    // Assess
    expect(form.body).toMatch(/value="attend-in-person" checked/);
    expect(form.body).toContain('A ground-floor room.');
    expect(web.operations.acts).toEqual([
      {
        reference: REFERENCE,
        action: 'involvement',
        body: {
          level: 'views-only',
          attendance: null,
          views: 'The noise is worst at weekends.',
          consultOnPlan: false,
        },
        caller: { kind: 'applicant', accessCode: ACCESS_CODE },
      },
    ]);
    expect(after.body).toContain('govuk-notification-banner--success');
    expect(after.body).toContain('You chose: Give my views in writing, without attending.');
  });

  it('puts the operation’s messages on the involvement questions and keeps the answers', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: view({ stage: 'awaiting-review' }),
      accessCode: ACCESS_CODE,
    });
    await browser.follow(await signIn());
    await browser.get('/track/involvement');
    web.operations.failNextAct = new InvalidInputError([
      { path: 'needs', message: 'The support you need must be 10000 characters or fewer' },
    ]);

    // Act
    const response = await browser.post('/track/involvement', {
      involvement: 'updates-only',
      consultOnPlan: 'yes',
      involvementNeeds: 'Too long',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain(
      'href="#involvementNeeds">The support you need must be 10000 characters or fewer</a>',
    );
    expect(response.body).toMatch(/value="updates-only" checked/);
  });

  it('asks the victim to choose how they take part when the form is sent unanswered', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: view({ stage: 'awaiting-review' }),
      accessCode: ACCESS_CODE,
    });
    await browser.follow(await signIn());
    await browser.get('/track/involvement');

    // Act
    await browser.post('/track/involvement', { involvement: '', consultOnPlan: '' });

    // Assess: what the involvement step makes of the body the page sent
    const sent = involvementSchema.safeParse(web.operations.acts[0]?.body);
    expect(sent.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      [
        'level',
        'Select how you want to take part: attend the meeting, give your views in writing, or be kept up to date',
      ],
    ]);
  });

  it('offers no change once the review is recorded, and says so if it was recorded meanwhile', async () => {
    // Prepare
    web.operations.cases.set(REFERENCE, {
      view: view({
        stage: 'review-complete',
        involvement: ATTENDING,
        reviewOutcome: {
          heldOn: '2015-06-20',
          summary: 'Held.',
          recommendations: [],
          at: '2015-06-20T12:00:00.000Z',
        },
      }),
      accessCode: ACCESS_CODE,
    });
    const status = await browser.follow(await signIn());

    // Act
    const form = await browser.get('/track/involvement');
    web.operations.failNextAct = new ConflictError('The review is recorded', 'review-complete');
    const late = await browser.post('/track/involvement', {
      involvement: 'updates-only',
      consultOnPlan: 'yes',
    });

    // Assess
    expect(status.body).not.toContain('href="/track/involvement"');
    expect(form.location).toBe('/track');
    expect(late.location).toBe('/track');
    expect((await browser.follow(late)).body).toContain(
      'That could not be done, because your case has moved on',
    );
  });
});

describe('a lost access code', () => {
  it('is offered from the sign-in page', async () => {
    // Act
    const signInPage = await browser.get('/track');
    // Assess
    expect(signInPage.body).toContain('href="/track/new-code"');
    expect(signInPage.body).toContain('I have lost my access code');
    // Each council area's team by phone, email or post, the address given where the team has no mailbox.
    expect(signInPage.body).toMatch(
      /Knowsley Council community safety team[\s\S]*0151 489 6000[\s\S]*By phone or post[\s\S]*Knowsley Council, Municipal Buildings, Archway Road, Huyton, L36 9YU/,
    );
  });

  it('is sent again for the reference given, in any case and with spaces, and the page never shows it', async () => {
    // Prepare
    const form = await browser.get('/track/new-code');
    // Act
    const sent = await browser.post('/track/new-code', { reference: 'sef 7k3m q9xd' });
    // Assess
    expect(sent.status).toBe(200);
    expect(web.operations.newCodeRequests).toEqual(['sef 7k3m q9xd']);
    expect(sent.body).toContain('If the reference number is right and the application is still open');
    expect(sent.body).not.toContain(ACCESS_CODE);
    // Both pages give each team's number, for a reference forgotten or a code that never arrives.
    for (const page of [form, sent]) {
      expect(page.body).toContain('Sefton Council anti-social behaviour team');
      expect(page.body).toContain('0345 140 0845');
      expect(page.body).not.toMatch(/contact your council/i);
    }
  });

  it.each([
    ['no reference', '', 'Enter your reference number'],
    [
      'text that cannot be a reference',
      'my house',
      'Enter the reference number as it is on your confirmation',
    ],
  ])('asks again, sending nothing, for %s', async (_, reference, message) => {
    // Prepare
    await browser.get('/track/new-code');
    // Act
    const refused = await browser.post('/track/new-code', { reference });
    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(message);
    expect(refused.body).toContain('govuk-error-summary');
    expect(web.operations.newCodeRequests).toEqual([]);
  });
});

describe('the action plan on /track', () => {
  const ACTION = {
    id: 'A1-1',
    action: 'Mediation between the neighbours',
    owner: 'council',
    dueBy: '2099-08-01',
    status: 'open',
    overdue: false,
    progress: [],
  } as const;
  const OUTCOME = {
    heldOn: '2015-07-01',
    summary: 'The partners agreed an action plan.',
    findings: { persistence: 'Weekly.', harm: 'Sleepless nights.', adequacy: 'Nobody visited.' },
    recommendations: [{ action: ACTION.action, owner: ACTION.owner, dueBy: ACTION.dueBy }],
    at: '2015-07-01T12:00:00.000Z',
  };
  const DRAFT = {
    status: 'draft',
    respondBy: '2015-07-08',
    response: null,
    changes: null,
    replaced: false,
    actions: [ACTION],
  } as const;

  function useCase(fields: Parameters<typeof view>[0]) {
    web.operations.cases.set(REFERENCE, { view: view(fields), accessCode: ACCESS_CODE });
  }

  it('shows the draft plan with the date to reply by and a form to agree or comment', async () => {
    // Prepare
    useCase({ stage: 'action-plan-consultation', reviewOutcome: OUTCOME, actionPlan: DRAFT });

    // Act
    const status = await browser.follow(await signIn());

    // Assess
    expect(status.body).toContain('The draft action plan');
    expect(status.body).toContain('tell us what you think by 8 July 2015');
    expect(status.body).toContain('Mediation between the neighbours');
    expect(status.body).toContain('Sleepless nights.');
    expect(status.body).toContain('action="/track/plan-response"');
  });

  it('sends the answer through the plan response step and thanks the applicant with what they said', async () => {
    // Prepare
    useCase({ stage: 'action-plan-consultation', reviewOutcome: OUTCOME, actionPlan: DRAFT });
    await browser.follow(await signIn());

    // Act
    const sent = await browser.post('/track/plan-response', { agrees: 'no', comments: 'Start sooner.' });
    useCase({
      stage: 'action-plan-consultation',
      reviewOutcome: OUTCOME,
      actionPlan: {
        ...DRAFT,
        response: { agrees: false, comments: 'Start sooner.', at: '2015-07-02T09:00:00.000Z' },
      },
    });
    const after = await browser.follow(sent);

    // Assess
    expect(web.operations.acts).toEqual([
      {
        reference: REFERENCE,
        action: 'action-plan-response',
        body: { agrees: false, comments: 'Start sooner.' },
        caller: { kind: 'applicant', accessCode: ACCESS_CODE },
      },
    ]);
    expect(after.body).toContain('You asked for changes. The case review officer will consider them');
    expect(after.body).not.toContain('action="/track/plan-response"');
  });

  it('says the applicant may still answer after their date, and what happens once they have answered', async () => {
    // Prepare: the date to answer (8 July 2015) has passed, without an answer; then with one
    const deadlines = { consultation: '2015-07-08T22:59:59.999Z' };
    useCase({ stage: 'action-plan-consultation', reviewOutcome: OUTCOME, actionPlan: DRAFT, deadlines });
    const late = await browser.follow(await signIn());
    useCase({
      stage: 'action-plan-consultation',
      reviewOutcome: OUTCOME,
      actionPlan: { ...DRAFT, response: { agrees: true, at: '2015-07-02T09:00:00.000Z' } },
      deadlines,
    });

    // Act
    const answered = await browser.get('/track');

    // Assess
    expect(late.body).toContain(
      'The date to tell us what you think of the draft action plan was 8 July 2015. You can still send your answer until the plan is made final.',
    );
    expect(late.body).not.toContain('We are sorry it is late');
    expect(answered.body).toContain(
      'We have your answer to the draft action plan. The case review officer will now make the plan final and send it to you.',
    );
    expect(answered.body).not.toContain('Tell us what you think');
    expect(answered.body).not.toContain('tell us what you think by');
  });

  it('puts the operation’s messages on the plan form, keeping the comments typed', async () => {
    // Prepare
    useCase({ stage: 'action-plan-consultation', reviewOutcome: OUTCOME, actionPlan: DRAFT });
    await browser.follow(await signIn());
    web.operations.failNextAct = new InvalidInputError([
      { path: 'comments', message: 'Tell us what you would change in the action plan' },
    ]);

    // Act
    const response = await browser.post('/track/plan-response', { agrees: 'no', comments: '' });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toContain('href="#comments">Tell us what you would change in the action plan</a>');
    expect(response.body).toMatch(/value="no" checked/);
    // The rest of the page is the case's as before: its files and the form to add one.
    expect(response.body).toContain('action="https://storage.test/asb-evidence"');
    expect(response.body).not.toContain('No more files can be added to this case.');
  });

  it('shows the final plan’s actions with their status and progress notes, and an overdue one as overdue', async () => {
    // Prepare
    useCase({
      stage: 'review-complete',
      reviewOutcome: OUTCOME,
      actionPlan: {
        ...DRAFT,
        status: 'final',
        changes: 'Mediation starts a week sooner.',
        actions: [
          {
            ...ACTION,
            status: 'in-progress',
            progress: [
              { at: '2015-07-10T09:00:00.000Z', status: 'in-progress', note: 'First session booked.' },
            ],
          },
          {
            ...ACTION,
            id: 'A1-2',
            action: 'Noise monitoring',
            owner: 'police',
            dueBy: '2015-07-20',
            overdue: true,
          },
        ],
      },
    });

    // Act
    const status = await browser.follow(await signIn());

    // Assess
    expect(status.body).toContain('Your action plan');
    expect(status.body).toContain('Mediation starts a week sooner.');
    expect(status.body).toContain('First session booked.');
    expect(status.body).toContain('Not started, overdue (it was due by 20 July 2015)');
    expect(status.body).not.toContain('action="/track/plan-response"');
  });

  it('gives the applicant’s answer and what changed together, before the final plan’s actions', async () => {
    // Prepare
    useCase({
      stage: 'review-complete',
      reviewOutcome: OUTCOME,
      actionPlan: {
        ...DRAFT,
        status: 'final',
        response: { agrees: false, comments: 'Please start sooner.', at: '2015-07-05T09:00:00.000Z' },
        changes: 'Mediation starts a week sooner.',
      },
    });

    // Act
    const { body } = await browser.follow(await signIn());

    // Assess
    const at = (text: string) => body.indexOf(text, body.indexOf('Your action plan'));
    const [answer, comments, changes, action] = [
      at('You asked for changes'),
      at('Please start sooner.'),
      at('Mediation starts a week sooner.'),
      at(ACTION.action),
    ] as const;
    expect(answer).toBeGreaterThan(0);
    expect(answer).toBeLessThan(comments);
    expect(comments).toBeLessThan(changes);
    expect(changes).toBeLessThan(action);
  });

  it('labels the outcome and plan of a review referred back as replaced', async () => {
    // Prepare
    useCase({
      stage: 'awaiting-review',
      reviewOutcome: OUTCOME,
      pccDecision: {
        outcome: 'refer-back',
        reason: 'Not all agencies asked.',
        at: '2015-08-01T10:00:00.000Z',
      },
      actionPlan: { ...DRAFT, status: 'final', replaced: true },
    });

    // Act
    const status = await browser.follow(await signIn());

    // Assess
    expect(status.body).toContain('The earlier case review outcome (replaced by a new review)');
    expect(status.body).toContain('The earlier action plan (replaced by a new review)');
  });
});

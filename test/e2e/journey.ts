// The whole journey through the pages, in real Chromium against the real local service, run by
// journey-source.test.ts as `npm start` runs it from the sources and by journey-deployed.test.ts as
// `npm run start:deployed` runs what CDK synthesises (two files, so that the two run side by side):
// a resident applies with JavaScript off, an officer and an agency take the case through its review,
// the applicant tracks it and asks the PCC's office to check it, the PCC's office decides, and the
// statistics page shows the counts. Axe checks every page (WCAG 2.2 A and AA); screenshots of each
// page go to test-results/pages/source/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingTime } from '#core/case-review-wording.ts';
import { addDays, ukDateOf, ukInstantAt } from '#core/local-date.ts';
import { currentReportingYear, previousReportingYear } from '#core/reporting-year.ts';
import { addWorkingDays } from '#core/working-days.ts';
import { axeViolations, DESKTOP, launchChromium, PHONE, screenshot } from '#test/support/browser.ts';
import { pdf } from '#test/support/evidence-files.ts';
import { type LocalService, type ServiceMode, startLocalService } from '#test/support/local-service.ts';

// Both modes serve the same pages (the deployed one from the bundle of the same templates and assets), so
// one mode's screenshots show them all (full-page screenshots at both widths were a fifth of a journey's CPU).
const SCREENSHOTS_MODE: ServiceMode = 'source';

const today = ukDateOf(new Date());
const year = currentReportingYear(new Date(), 'financial').label;
const lastYear = previousReportingYear(currentReportingYear(new Date(), 'financial')).label;
const meetingDay = addWorkingDays(today, 5);
const meetingAt = ukInstantAt(meetingDay, 14, 0).toISOString();

export function describePageJourney(mode: ServiceMode): void {
  let service: LocalService;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  // The deployed mode may first wait for the synthesis of the CDK app (once per run, shared by every
  // test file, started when the run starts).
  beforeAll(async () => {
    service = await startLocalService({ mode });
    browser = await launchChromium();
  }, 360_000);

  afterAll(async () => {
    for (const context of contexts.splice(0)) await context.close();
    await browser?.close();
    await service?.stop();
  });

  async function newPage(javaScript: boolean): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    // A refused script, style or font (the CSP at work) or a missing file shows as a console error: there
    // must be none. A form answered with its errors has the status 400, which Chromium logs for the page itself.
    const problems: string[] = [];
    consoleProblems.set(page, problems);
    page.on('console', (message) => {
      const pageItself =
        message.text().startsWith('Failed to load resource') && message.location().url === page.url();
      if (message.type() === 'error' && !pageItself)
        problems.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(error.message));
    return page;
  }

  const consoleProblems = new WeakMap<Page, string[]>();

  /** Checks the page with axe at desktop and at a phone's width (and keeps its screenshots). */
  async function look(page: Page, name: string, options: { javaScript: boolean }) {
    const [desktop, phone] = await axeViolations(page, browser, {
      ...options,
      viewports: [DESKTOP, PHONE],
      ...(mode === SCREENSHOTS_MODE && {
        atEach: (viewport) => screenshot(page, `${mode}/${name}${viewport === PHONE ? '-phone' : ''}`),
      }),
    });
    expect(desktop, `axe on ${name}`).toEqual([]);
    expect(consoleProblems.get(page), `console of ${name}`).toEqual([]);
    expect(phone, `axe on ${name} (phone)`).toEqual([]);
  }

  async function continueOn(page: Page, button = 'Continue') {
    await page.getByRole('button', { name: button, exact: true }).click();
  }

  /** Reloads until the page shows `text`: the workflow moves the case a moment after a decision. */
  async function reloadUntil(page: Page, text: string | RegExp) {
    const deadline = Date.now() + 90_000;
    while ((await page.getByText(text).filter({ visible: true }).count()) === 0) {
      if (Date.now() > deadline) {
        await screenshot(page, `${mode}/failed-wait`);
        throw new Error(
          `The page never showed ${text}: ${(await page.locator('main').textContent())?.slice(0, 2000)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      await page.reload();
    }
  }

  /** Checks one answer of the radios named `name`: a page may ask several yes-or-no questions. */
  async function answerRadio(page: Page, name: string, value: string) {
    await page.locator(`input[name="${name}"][value="${value}"]`).check();
  }

  async function fillDate(page: Page, id: string, date: string) {
    const [y = '', m = '', d = ''] = date.split('-');
    await page.locator(`#${id}-day`).fill(String(Number(d)));
    await page.locator(`#${id}-month`).fill(String(Number(m)));
    await page.locator(`#${id}-year`).fill(y);
  }

  async function signIn(
    page: Page,
    role: string,
    name: string,
    extra: { csp?: string; agency?: string } = {},
  ) {
    await page.goto(`${service.url}/staff`);
    await page.getByLabel(role, { exact: true }).check();
    await page.getByLabel('Your name').fill(name);
    if (extra.csp) await page.getByLabel('Your council area').selectOption({ label: extra.csp });
    if (extra.agency) await page.getByLabel('Your agency').selectOption({ label: extra.agency });
    await continueOn(page, 'Sign in');
  }

  const shared: { reference?: string; accessCode?: string; officer?: Page; police?: Page } = {};

  describe('the pages, from application to PCC decision', { timeout: 600_000 }, () => {
    it('lets a resident apply with JavaScript off, one question a page, and shows the reference and access code', async () => {
      // Prepare
      const page = await newPage(false);
      const incidentDates = [40, 25, 10].map((daysAgo) => addDays(today, -daysAgo));

      // Act and assess, page by page
      await page.goto(service.url);
      await look(page, 'start', { javaScript: false });
      await page.getByRole('button', { name: 'Start now' }).click();

      await expect.poll(() => page.url()).toContain('/apply/area');
      await continueOn(page);
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Select the council area where the anti-social behaviour is happening',
      );
      expect(await page.locator('.govuk-error-summary a').first().getAttribute('href')).toBe('#csp');
      expect(await page.title()).toMatch(/^Error: /);
      await look(page, 'apply-area-error', { javaScript: false });
      await page.getByLabel('Sefton').check();
      await continueOn(page);

      await page.getByLabel('A person').check();
      await look(page, 'apply-victim', { javaScript: false });
      await continueOn(page);

      await page.getByLabel('No').check();
      await look(page, 'apply-someone-else', { javaScript: false });
      await continueOn(page);

      await page.getByLabel('Full name').fill('Jo Resident');
      await page.getByLabel('Address').fill('1 Hill Street\nBootle');
      await page.getByLabel('Postcode').fill('l20 1aa');
      await look(page, 'apply-your-details', { javaScript: false });
      await continueOn(page);

      await page.getByLabel('Email address').fill('not-an-email');
      await page.getByLabel('Email', { exact: true }).check();
      await continueOn(page);
      expect(await page.locator('#email-error').textContent()).toContain(
        'Enter an email address in the correct format',
      );
      expect(await page.getByLabel('Email address').inputValue()).toBe('not-an-email');
      await look(page, 'apply-contact-error', { javaScript: false });
      await page.getByLabel('Email address').fill('jo@example.com');
      await continueOn(page);

      await look(page, 'apply-needs', { javaScript: false });
      await continueOn(page);
      await page
        .getByLabel('Describe the anti-social behaviour')
        .fill('Loud parties and shouting most nights.');
      await look(page, 'apply-description', { javaScript: false });
      await continueOn(page);
      await page.getByLabel('How is the anti-social behaviour affecting you?').fill('I cannot sleep.');
      await continueOn(page);

      // Who is involved and the witnesses are optional; without JavaScript "Add another" sends the page.
      await page.getByLabel('Where they live or are seen').fill('Number 5');
      await page.getByRole('button', { name: 'Add another person' }).click();
      await page.locator('#involved-2-description').fill('Tall, with a red van');
      await look(page, 'apply-involved', { javaScript: false });
      await continueOn(page);
      expect(page.url()).toContain('/apply/witnesses');
      await continueOn(page);

      expect(page.url()).toContain('/apply/involvement');
      await answerRadio(page, 'involvement', 'attend-online');
      await answerRadio(page, 'consultOnPlan', 'yes');
      await page.getByLabel('Support needed to take part (optional)').fill('A meeting after 5pm.');
      await look(page, 'apply-involvement', { javaScript: false });
      await continueOn(page);

      for (const [index, occurredOn] of incidentDates.entries()) {
        if (index === 0) {
          // A report dated before the incident is refused, with the answers kept.
          await fillDate(page, 'occurredOn', occurredOn);
          await fillDate(page, 'reportedOn', addDays(occurredOn, -1));
          await page.getByLabel('The police').check();
          await page.getByLabel('What happened?').fill('Party until 3am.');
          await answerRadio(page, 'hateMotivated', 'no');
          await continueOn(page);
          expect(await page.locator('#reportedOn-error').textContent()).toContain(
            'must be the same as or after the date it happened',
          );
          expect(await page.getByLabel('What happened?').inputValue()).toBe('Party until 3am.');
          await look(page, 'apply-incident-error', { javaScript: false });
        }
        await fillDate(page, 'occurredOn', occurredOn);
        await fillDate(page, 'reportedOn', addDays(occurredOn, 1));
        await page.getByLabel('The police').check();
        await page.getByLabel('What happened?').fill(`Party until 3am (${index + 1}).`);
        await answerRadio(page, 'hateMotivated', 'no');
        // The first incident was reported to the council as well: one incident with another report.
        await answerRadio(page, 'reportedElsewhere', index === 0 ? 'yes' : 'no');
        await continueOn(page);
        if (index === 0) {
          expect(page.url()).toContain('/apply/incident-1-other-1');
          await page.getByLabel('The council').check();
          await fillDate(page, 'otherReportedOn', addDays(occurredOn, 2));
          await page.getByLabel('Their reference number (optional)').fill('ASB/77');
          await look(page, 'apply-other-report', { javaScript: false });
          await continueOn(page);
          expect(page.url()).toContain('/apply/incident-1-other-reports');
          await look(page, 'apply-other-reports', { javaScript: false });
          await page.getByLabel('No', { exact: true }).check();
          await continueOn(page);
        }
        expect(page.url()).toContain('/apply/incidents');
        await page.getByLabel(index < incidentDates.length - 1 ? 'Yes' : 'No', { exact: true }).check();
        if (index === incidentDates.length - 1) await look(page, 'apply-incidents', { javaScript: false });
        await continueOn(page);
      }

      await page.getByLabel('I agree to the agencies sharing this information').check();
      await look(page, 'apply-consent', { javaScript: false });
      await continueOn(page);

      expect(page.url()).toContain('/apply/check');
      expect(await page.locator('main').textContent()).toContain('Jo Resident');
      await look(page, 'apply-check', { javaScript: false });
      const csrfToken = await page.locator('input[name="csrfToken"]').first().inputValue();
      await continueOn(page, 'Accept and send');

      expect(page.url()).toContain('/apply/confirmation');
      const reference = ((await page.locator('.govuk-panel__body').textContent()) ?? '')
        .replace(/^.*:\s*/s, '')
        .trim();
      const accessCode = ((await page.locator('#access-code').textContent()) ?? '').trim();
      expect(reference).toMatch(/^SEF-/);
      expect(accessCode.length).toBeGreaterThanOrEqual(20);
      await look(page, 'apply-confirmation', { javaScript: false });

      // Sending the final page again (a refresh, a back button, a double click) creates nothing new.
      const again = await page.request.post(`${service.url}/apply/check`, {
        form: { csrfToken },
        maxRedirects: 0,
      });
      expect(again.status()).toBe(303);
      expect(again.headers().location).toBe('/apply/confirmation');
      const back = await page.goto(`${service.url}/apply/check`);
      expect(back?.url()).toContain('/apply/confirmation');
      expect(await page.locator('.govuk-panel__body').textContent()).toContain(reference);
      expect(page.url()).not.toContain(accessCode);

      shared.reference = reference;
      shared.accessCode = accessCode;
    });

    it('lets an officer find the case, decide the threshold, arrange the meeting, take an agency response and record the review', async () => {
      // Prepare
      const reference = shared.reference as string;
      const officer = await newPage(true);
      const police = await newPage(true);

      // Act: the officer decides
      await signIn(officer, 'Case review officer', 'Olivia Officer', { csp: 'Sefton' });
      expect(officer.url()).toContain('/staff/cases');
      await reloadUntil(officer, reference);
      await look(officer, 'staff-worklist', { javaScript: true });
      // The officer finds the case by the applicant's name and district, and takes it.
      await officer.getByLabel('Find a case').fill('jo resident L20');
      await continueOn(officer, 'Search');
      await look(officer, 'staff-search', { javaScript: true });
      await officer.getByRole('link', { name: reference }).click();
      await continueOn(officer, 'Take this case');
      expect(await officer.locator('#case-summary').textContent()).toContain('You (Olivia Officer)');
      await officer.getByRole('link', { name: /^Printable case summary/ }).click();
      await look(officer, 'staff-case-summary', { javaScript: true });
      // The people the resident named are for staff of the case (the applicant's /track never shows them).
      expect(await officer.locator('main').textContent()).toContain('Tall, with a red van');
      await officer.goBack();
      // Several files at once with JavaScript (assets/upload.mjs): a presigned POST each, sent straight to
      // storage from the page's script (the bucket's CORS rule lets it), the page listing them once sent.
      await officer.locator('#file').setInputFiles([
        {
          name: 'meeting notes.txt',
          mimeType: 'text/plain',
          buffer: Buffer.from('Met the housing officer.\n'),
        },
        { name: 'police letter.pdf', mimeType: 'application/pdf', buffer: pdf() },
      ]);
      await continueOn(officer, 'Upload file');
      const filesListed = () =>
        officer
          .locator('table.app-file-list')
          .textContent({ timeout: 1000 })
          .catch(() => '');
      await expect.poll(filesListed, { timeout: 60_000 }).toContain('police letter.pdf');
      expect(await filesListed()).toContain('meeting notes.txt');
      expect(consoleProblems.get(officer), 'console of the upload').toEqual([]);
      await reloadUntil(officer, 'Record the threshold decision');
      expect(await officer.locator('main').textContent()).toContain('Threshold assessment');
      await look(officer, 'staff-case-threshold', { javaScript: true });
      await continueOn(officer, 'Record decision');
      expect(await officer.locator('.govuk-error-summary').textContent()).toContain(
        'Select whether the threshold for a case review is met',
      );
      await look(officer, 'staff-case-threshold-error', { javaScript: true });
      await officer.getByLabel('Yes, by route A').check();
      await officer
        .getByLabel('Reason for the decision')
        .fill('Three separate incidents reported to the police.');
      await continueOn(officer, 'Record decision');
      await reloadUntil(officer, 'Record the review outcome');

      // Act: the officer asks the police what they knew and did, and the police add their response,
      // through the agency's own view
      await officer.locator('input[name="agencies"][value="police"]').check();
      await officer.locator('#information-requests-message').fill('What did you know and do?');
      await continueOn(officer, 'Ask the agencies');
      await officer.locator('.govuk-notification-banner', { hasText: 'Agencies asked: Police' }).waitFor();

      // Act: the officer arranges the meeting online five working days ahead, chaired independently,
      // inviting the police and the applicant (who chose to attend online), and saves it by keyboard; the
      // banner, the task list and the police's worklist show it
      await fillDate(officer, 'review-meeting-date', meetingDay);
      await officer.locator('#review-meeting-time').fill('2pm');
      await answerRadio(officer, 'format', 'online');
      await officer.locator('#review-meeting-location').fill('https://meet.example.org/sefton-review');
      await officer.locator('#review-meeting-chair-name').fill('Chris Chair');
      await officer.locator('#review-meeting-chair-organisation').fill('Sefton CVS');
      await answerRadio(officer, 'chair-independent', 'yes');
      await answerRadio(officer, 'invitees', 'police');
      await answerRadio(officer, 'invitees', 'applicant');
      await officer.getByRole('button', { name: 'Save the meeting and tell everyone invited' }).focus();
      await officer.keyboard.press('Enter');
      await officer
        .locator('.govuk-notification-banner', {
          hasText: `Meeting saved: ${meetingTime(meetingAt)}, online.`,
        })
        .waitFor();
      const meeting = await officer.locator('#review-meeting + .govuk-summary-list').textContent();
      expect(meeting).toContain('Chris Chair, Sefton CVS (independent of the agencies involved)');
      expect(
        await officer.locator('.govuk-task-list__item', { hasText: 'Review meeting' }).textContent(),
      ).toContain(meetingTime(meetingAt));
      await look(officer, 'staff-case-meeting', { javaScript: true });

      await signIn(police, 'Agency', 'Pat Constable', { csp: 'Sefton', agency: 'Police' });
      await reloadUntil(police, reference);
      expect(await police.getByRole('row', { name: new RegExp(reference) }).textContent()).toContain(
        `Upcoming meeting ${meetingTime(meetingAt)}`,
      );
      await look(police, 'agency-worklist', { javaScript: true });
      // On a phone the worklist scrolls sideways inside its region; its caption wraps within the screen.
      await police.setViewportSize(PHONE);
      const captionRight = await police
        .locator('.app-table-wrapper caption')
        .first()
        .evaluate(
          (caption) =>
            (caption as unknown as { getBoundingClientRect(): { right: number } }).getBoundingClientRect()
              .right,
        );
      await police.setViewportSize(DESKTOP);
      expect(captionRight).toBeLessThanOrEqual(PHONE.width);
      await police.getByRole('link', { name: reference }).click();
      await look(police, 'agency-case', { javaScript: true });
      await police.getByLabel('Response').fill('Two visits; a warning letter was sent.');
      await continueOn(police, 'Add response');
      expect(await police.locator('.govuk-notification-banner').textContent()).toContain('Recorded');

      // Act: the officer records the review outcome with a plan of two actions, which goes to the
      // applicant for comments (they asked to see it when they applied)
      await officer.reload();
      expect(await officer.locator('main').textContent()).toContain('Two visits; a warning letter was sent.');
      await continueOn(officer, 'Add another action');
      expect(await officer.locator('#review-outcome-action-2').count()).toBe(1);
      await fillDate(officer, 'review-outcome-heldOn', today);
      await officer.getByLabel('Outcome of the review').fill('The partners agreed an action plan.');
      await officer
        .getByLabel('How persistent the anti-social behaviour has been')
        .fill('Weekly for three months.');
      await officer.getByLabel('The harm, or potential harm, to the victim').fill('Sleepless nights.');
      await officer
        .getByLabel('Whether the response to the reports was adequate')
        .fill('Reports were logged, nobody visited.');
      await officer.locator('#review-outcome-action-1').fill('Mediation between the neighbours');
      await officer.locator('#review-outcome-owner-1').selectOption('council');
      await fillDate(officer, 'review-outcome-dueBy-1', addDays(today, 30));
      await officer.locator('#review-outcome-action-2').fill('Noise monitoring at night');
      await officer.locator('#review-outcome-owner-2').selectOption('police');
      await fillDate(officer, 'review-outcome-dueBy-2', addDays(today, 20));
      await look(officer, 'staff-case-review', { javaScript: true });
      await continueOn(officer, 'Record outcome');

      // Assess
      expect(await officer.locator('.govuk-notification-banner').textContent()).toContain(
        'Review outcome recorded',
      );
      await reloadUntil(officer, 'Finalise the action plan');
      expect(await officer.locator('main').textContent()).toContain('Mediation between the neighbours');
      shared.officer = officer;
      shared.police = police;
    });

    it('lets the applicant track the case with JavaScript off and ask the PCC’s office to check it', async () => {
      // Prepare
      const page = await newPage(false);

      // Act
      await page.goto(`${service.url}/track`);
      await look(page, 'track-sign-in', { javaScript: false });
      await page.getByLabel('Reference number').fill(shared.reference as string);
      await page.getByLabel('Access code').fill('wrong-code');
      await continueOn(page);
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('not right');
      await page.getByLabel('Access code').fill(shared.accessCode as string);
      await continueOn(page);

      // Act: the applicant answers the draft plan, without JavaScript
      expect(page.url()).toBe(`${service.url}/track`);
      expect(await page.locator('main').textContent()).toContain('The draft action plan');
      // The meeting the applicant was invited to, with the link to join it
      expect(await page.locator('#meeting + .govuk-summary-list').textContent()).toMatch(
        new RegExp(`${meetingTime(meetingAt)}.*Online.*https://meet\\.example\\.org/sefton-review`, 's'),
      );
      await look(page, 'track-draft-plan', { javaScript: false });
      await page.getByLabel('No, I would change it').check();
      await continueOn(page, 'Send your answer');
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(
        'Tell us what you would change',
      );
      await page.getByLabel('Your comments').fill('Please start the mediation sooner.');
      await continueOn(page, 'Send your answer');
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
        'You asked for changes',
      );

      // Act: the officer reads the answer and makes the plan final, by keyboard
      const officer = shared.officer as Page;
      await officer.reload();
      expect(await officer.locator('main').textContent()).toContain('Please start the mediation sooner.');
      await fillDate(officer, 'action-plan-dueBy-1', addDays(today, 14));
      await officer
        .getByLabel('What changed after the consultation')
        .fill('Mediation starts two weeks sooner.');
      await look(officer, 'staff-case-consultation', { javaScript: true });
      await officer.getByRole('button', { name: 'Make the plan final' }).focus();
      await officer.keyboard.press('Enter');
      await officer
        .locator('.govuk-notification-banner', { hasText: 'The action plan is final, with 2 actions.' })
        .waitFor();
      await reloadUntil(officer, 'Review complete');

      // Assess: the stage, reasons, outcome, final plan and timeline in plain words
      await page.reload();
      const status = await page.locator('main').textContent();
      expect(status).toContain('case review finished');
      expect(status).toContain('What we found when we checked your application');
      expect(status).toContain('Three separate incidents reported to the police.');
      expect(status).toContain('Mediation between the neighbours');
      expect(status).toContain('Your action plan');
      expect(status).toContain('Mediation starts two weeks sooner.');
      expect(status).not.toContain('Olivia Officer');
      expect(status).not.toContain('Tall, with a red van');
      expect(status).toContain('Your contact');
      expect(status).toContain('0345 140 0845');
      expect(status).toContain('Attend the case review meeting online');
      await look(page, 'track-status', { javaScript: false });

      // Act: ask for a referral
      await page.getByRole('button', { name: 'Ask the PCC’s office to check your case' }).click();
      await continueOn(page, 'Send request');
      expect(await page.locator('.govuk-error-summary').textContent()).toContain('Enter why you are asking');
      await look(page, 'track-referral-error', { javaScript: false });
      await page.getByLabel('Why are you unhappy').fill('The review did not consider the noise at night.');
      await continueOn(page, 'Send request');

      // Assess
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
        'You have asked the Police and Crime Commissioner’s office to check your case',
      );
    });

    it('warns the applicant with JavaScript before the tracking sign-in ends, lets them stay signed in, and says when it has ended', async () => {
      // Prepare: the page's clock is run on by hand (Chromium's clock emulation); the sign-in's cookie
      // keeps the real time, so its end is the cookies cleared
      const page = await newPage(true);
      await page.clock.install();
      await page.goto(`${service.url}/track`);
      await page.getByLabel('Reference number').fill(shared.reference as string);
      await page.getByLabel('Access code').fill(shared.accessCode as string);
      await continueOn(page);
      // The status page in, its warning's script run (a module script runs before DOMContentLoaded): the
      // clock is run on only then, or a slow machine's page starts counting after the 26 minutes
      await page.locator('dialog[data-app-timeout]').waitFor({ state: 'attached' });
      await page.waitForLoadState('domcontentloaded');
      const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' });
      const pageSignOut = page.locator('main > .govuk-grid-row').getByRole('button', { name: 'Sign out' });
      await pageSignOut.focus();
      const focused = async () => (await page.locator(':focus').textContent())?.trim();

      // Act: 26 minutes of the 30 without using the pages, then another minute and a half
      await page.clock.fastForward('26:00');
      const hiddenBefore = await dialog.isHidden();
      await page.clock.fastForward('01:30');
      await dialog.waitFor();
      const warning = await dialog.textContent();
      const focusedInDialog = await focused();
      await look(page, 'track-timeout-warning', { javaScript: true });

      // Act: Escape is "Stay signed in"
      const renewal = page.waitForResponse(`${service.url}/track/stay-signed-in`);
      await page.keyboard.press('Escape');
      const renewed = await renewal;
      const renewedTo = await renewed.json();
      await dialog.waitFor({ state: 'hidden' });
      const focusedAfter = await focused();

      // Act: 10 minutes on, a tracking page opened in another tab renews the sign-in; 18 minutes later
      // this page's count from its own renewal would warn, and does not
      await page.clock.fastForward('10:00');
      const otherTab = await page.context().newPage();
      await otherTab.goto(`${service.url}/track`);
      await page.clock.fastForward('18:00');
      const hiddenAfterOtherTab = await dialog.isHidden();
      await otherTab.close();

      // Act: the sign-in ends unused
      await page.clock.fastForward('10:00');
      await dialog.waitFor();
      await page.context().clearCookies();
      await page.clock.fastForward('02:01');
      await page.waitForURL(`${service.url}/track/signed-out`);

      // Assess
      expect(hiddenBefore).toBe(true);
      expect(warning).toContain('we will sign you out in 3 minutes');
      expect(focusedInDialog).toBe('Stay signed in');
      expect(renewed.status()).toBe(200);
      expect(renewedTo).toEqual({ seconds: 1800, final: false });
      expect(focusedAfter).toBe('Sign out');
      expect(hiddenAfterOtherTab).toBe(true);
      expect(await page.locator('h1').textContent()).toBe('You have been signed out');
      await look(page, 'track-signed-out', { javaScript: true });
    });

    it('keeps the form an officer sends after their sign-in ended, and sends it once they sign in again', async () => {
      // Prepare: the officer has the case open; their sign-in then ends elsewhere (as a token expires: the
      // cookie still holds it, and it no longer verifies)
      const officer = await newPage(true);
      await signIn(officer, 'Case review officer', 'Olivia Officer', { csp: 'Sefton' });
      await officer.goto(`${service.url}/staff/cases/${shared.reference}`);
      const cookies = await officer.context().cookies();
      const token = cookies.find((cookie) => cookie.name === '__Host-asb-staff')?.value ?? '';
      const ended = await fetch(`${service.url}/staff/sign-out`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        redirect: 'manual',
      });
      const note = 'Spoke to the applicant: the noise goes on after midnight.';

      // Act
      await officer.getByLabel('Add a note').fill(note);
      await continueOn(officer, 'Add note');
      // Each click's page read once it is in (a click does not wait for the page it sends to)
      await officer.getByText('We have kept what you typed').waitFor();
      const signInNotice = await officer.locator('.govuk-notification-banner').textContent();
      await signIn(officer, 'Case review officer', 'Olivia Officer', { csp: 'Sefton' });
      await officer.getByRole('button', { name: 'Send it', exact: true }).waitFor();
      const offered = officer.url();
      await look(officer, 'staff-kept-form', { javaScript: true });
      await continueOn(officer, 'Send it');
      await officer.waitForURL((url) => url.pathname !== '/staff/kept');

      // Assess
      expect(ended.status).toBe(303);
      expect(signInNotice).toContain('We have kept what you typed: sign in again to send it.');
      expect(offered).toBe(`${service.url}/staff/kept`);
      expect(officer.url()).toContain(`/staff/cases/${shared.reference}`);
      expect(await officer.locator('#case-notes ~ .app-case-note').last().textContent()).toContain(note);
    });

    it('lets the PCC’s office find the referral, read the full timeline and decide', async () => {
      // Prepare: the plan's two actions followed to done on the case page (the police's by the police in
      // their agency's view, the council's by the officer), so the review standing closes the case
      const reference = shared.reference as string;
      const police = shared.police as Page;
      await police.goto(`${service.url}/staff/cases/${reference}`);
      await police.locator('#progress-1-2-status-2').check();
      await police
        .locator('#progress-1-2-note')
        .fill('We monitored the noise for two weeks and warned them.');
      await police.getByRole('button', { name: 'Update progress on action 2' }).click();
      expect(await police.locator('.govuk-notification-banner').textContent()).toContain(
        'Progress recorded on action 2: Done.',
      );
      await look(police, 'agency-action-progress', { javaScript: true });
      const officer = shared.officer as Page;
      await officer.goto(`${service.url}/staff/cases/${reference}`);
      await officer.locator('#progress-1-1-status-2').check();
      await officer
        .locator('#progress-1-1-note')
        .fill('Mediation took place; both sides agreed quiet hours.');
      await officer.getByRole('button', { name: 'Update progress on action 1' }).click();
      expect(await officer.locator('.govuk-notification-banner').textContent()).toContain(
        'Every action is finished',
      );
      const pcc = await newPage(true);

      // Act
      await pcc.goto(`${service.url}/staff`);
      await look(pcc, 'staff-sign-in', { javaScript: true });
      await signIn(pcc, 'Police and Crime Commissioner’s office', 'Priya PCC');
      expect(pcc.url()).toContain('/pcc/referrals');
      await reloadUntil(pcc, 'PCC decision needed');
      await look(pcc, 'pcc-referrals', { javaScript: true });
      await pcc.getByRole('link', { name: reference }).click();
      expect(await pcc.locator('main').textContent()).toContain('Timeline');
      expect(await pcc.locator('main').textContent()).toContain(
        'The review did not consider the noise at night.',
      );
      await look(pcc, 'pcc-case', { javaScript: true });
      await pcc.getByLabel('The review stands').check();
      await pcc.getByLabel('Reason for the decision').fill('The review followed the procedure.');
      await continueOn(pcc, 'Record decision');

      // Assess
      await reloadUntil(pcc, /^Closed$/);
    });

    it('shows the counts on the statistics page, with the chart and the CSV link, once the officer signs off', async () => {
      // Prepare
      const officer = await newPage(true);
      await signIn(officer, 'Case review officer', 'Olivia Officer', { csp: 'Sefton' });
      const missing = await officer.goto(`${service.url}/staff/cases/SEF-0000-0000`);
      expect(missing?.status()).toBe(404);
      await look(officer, 'not-found', { javaScript: true });
      await officer.goto(`${service.url}/staff/cases`);
      // Only a year that has ended can be signed off (contract.md): the year in progress is not offered.
      expect(await officer.getByLabel('Reporting year').locator('option').allTextContents()).not.toContain(
        year,
      );
      await officer.getByLabel('Reporting year').selectOption(lastYear);
      await continueOn(officer, 'Check the figures');
      await look(officer, 'staff-annual-return', { javaScript: true });
      await continueOn(officer, `Sign off the return for ${lastYear}`);
      expect(await officer.locator('.govuk-notification-banner').textContent()).toContain(
        `return for ${lastYear}`,
      );
      const page = await newPage(true);

      // Act
      await page.goto(`${service.url}/statistics?year=${year}`);

      // Assess
      const sefton = await page
        .getByRole('row', { name: /^Sefton/ })
        .locator('th, td')
        .allTextContents();
      expect(sefton.map((cell) => cell.trim())).toEqual([
        'Sefton',
        '1',
        '0',
        '1',
        '1',
        '1',
        '0',
        'Provisional',
      ]);
      expect(await page.getByRole('row', { name: /^Wirral/ }).textContent()).toContain('Not available');
      expect(await page.locator('svg title').first().innerHTML()).toContain(year);
      expect(await page.locator('svg desc').first().innerHTML()).toContain(
        'Sefton: 1 application received, 1 case review carried out.',
      );
      expect(await page.getByRole('row', { name: new RegExp(`^${year} 1 0 1 1 1`) }).count()).toBe(1);
      const csv = await page.getByRole('link', { name: /Download the figures/ }).getAttribute('href');
      expect(csv).toBe(`/api/statistics?format=csv&year=${year}`);
      expect((await page.request.get(`${service.url}${csv}`)).status()).toBe(200);
      await look(page, 'statistics', { javaScript: true });

      for (const path of ['/accessibility', '/privacy']) {
        await page.goto(`${service.url}${path}`);
        await look(page, path.slice(1), { javaScript: true });
      }
    });
    it('lets an officer enter a letter for someone else, and the applicant get a new access code and withdraw it', async () => {
      // Prepare
      const officer = await newPage(true);
      await signIn(officer, 'Case review officer', 'Olivia Officer', { csp: 'Sefton' });

      // Act: the officer enters the letter, every question on one screen (a second report of the incident
      // added in place by the page's script)
      await officer.getByRole('button', { name: /Enter an application received by phone/ }).click();
      expect(officer.url()).toMatch(/\/staff\/apply$/);
      await answerRadio(officer, 'channel', 'letter');
      await fillDate(officer, 'receivedOn', addDays(today, -2));
      await officer.getByLabel('A business').check();
      await officer.locator('#name').fill('Sam Manager');
      await officer.locator('#address').fill('2 High Street');
      await officer.locator('#postcode').fill('L20 2BB');
      await officer.locator('#phone').fill('07700 900982');
      await answerRadio(officer, 'contactPreference', 'post');
      await answerRadio(officer, 'forSomeoneElse', 'yes');
      await officer.getByLabel('Their full name').fill('Corner Shop Ltd');
      await officer.getByLabel('How the applicant knows them').fill('Manager');
      await officer.getByLabel('They have agreed to the application being made for them').check();
      await officer.getByLabel('Describe the anti-social behaviour').fill('Abuse shouted at staff.');
      await officer
        .getByLabel('How is the anti-social behaviour affecting the victim?')
        .fill('Staff are afraid.');
      await fillDate(officer, 'incident-1-occurredOn', addDays(today, -9));
      await fillDate(officer, 'incident-1-reportedOn', addDays(today, -9));
      await answerRadio(officer, 'incident-1-reportedTo', 'police');
      await officer.getByRole('button', { name: 'Add another report of incident 1' }).click();
      await answerRadio(officer, 'incident-1-other-1-otherReportedTo', 'council');
      await fillDate(officer, 'incident-1-other-1-otherReportedOn', addDays(today, -8));
      await officer.locator('#incident-1-description').fill('Racist abuse at the till.');
      await answerRadio(officer, 'incident-1-hateMotivated', 'yes');
      await officer.locator('#incident-1-hateMotivation').check();
      await answerRadio(officer, 'involvement', 'updates-only');
      await answerRadio(officer, 'consultOnPlan', 'no');
      await officer.getByLabel('The applicant agrees to the agencies sharing this information').check();
      await look(officer, 'staff-apply', { javaScript: true });
      await continueOn(officer, 'Send the application');
      const reference = ((await officer.locator('.govuk-panel__body').textContent()) ?? '')
        .replace(/^.*:\s*/s, '')
        .trim();
      const accessCode = ((await officer.locator('#access-code').textContent()) ?? '').trim();
      await look(officer, 'staff-apply-confirmation', { javaScript: true });
      expect(await officer.locator('main').textContent()).toContain(
        'is being sent to the applicant by letter',
      );

      // Act: the applicant lost the code and asks for a new one (the reference as someone types it); the
      // old code works until the new one is first used (contract.md)
      const applicant = await newPage(false);
      await applicant.goto(`${service.url}/track/new-code`);
      await applicant.getByLabel('Reference number').fill(reference.toLowerCase().replaceAll('-', ' '));
      await continueOn(applicant, 'Send me a new access code');
      await look(applicant, 'track-new-code-sent', { javaScript: false });
      const { messages } = (await (await applicant.request.get(`${service.url}/local/outbox`)).json()) as {
        messages: { template: string; to: { reference: string }; body: string }[];
      };
      const newCode =
        messages
          .filter((message) => message.template === 'new-access-code' && message.to.reference === reference)
          .at(-1)
          ?.body.match(/Your new access code is ([0-9A-Z-]+)\./)?.[1] ?? '';
      const trackWith = async (code: string) => {
        await applicant.goto(`${service.url}/track`);
        await applicant.getByLabel('Reference number').fill(reference);
        await applicant.getByLabel('Access code').fill(code);
        await continueOn(applicant);
        const signedIn = (await applicant.getByRole('button', { name: 'Sign out' }).count()) > 0;
        if (signedIn) await continueOn(applicant, 'Sign out');
        return signedIn;
      };
      const oldBefore = await trackWith(accessCode);
      const newWorks = await trackWith(newCode);
      const oldAfter = await trackWith(accessCode);

      // Act: the applicant withdraws it
      await applicant.getByLabel('Reference number').fill(reference);
      await applicant.getByLabel('Access code').fill(newCode);
      await continueOn(applicant);
      await applicant.getByRole('link', { name: 'withdraw your application' }).click();
      await look(applicant, 'track-withdraw', { javaScript: false });
      await applicant.getByLabel('Why are you withdrawing your application?').fill('The shop has closed.');
      await continueOn(applicant, 'Withdraw application');

      // Assess
      expect(reference).toMatch(/^SEF-/);
      expect(newCode).not.toBe('');
      expect(newCode).not.toBe(accessCode);
      expect([oldBefore, newWorks, oldAfter]).toEqual([true, true, false]);
      expect(await applicant.locator('.govuk-notification-banner').textContent()).toContain(
        'You have withdrawn your application',
      );
      await reloadUntil(applicant, 'Your case is closed.');
      expect(await applicant.locator('main').textContent()).toContain('The application was withdrawn.');
    });
  });
}

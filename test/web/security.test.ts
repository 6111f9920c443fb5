import { beforeEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '#shared/rate-limit.ts';
import { apiEvent } from '#test/support/api-events.ts';
import { applicantCaseView } from '#test/support/case-views.ts';
import { PageClient, pageRoutes, type TestWeb, testWeb } from '#test/support/web-app.ts';

const ROUTES = Object.keys(pageRoutes());
const PUBLIC_PAGES = ['/', '/accessibility', '/privacy', '/statistics', '/apply/area', '/track', '/staff'];

let web: TestWeb;
let browser: PageClient;

beforeEach(() => {
  web = testWeb();
  browser = new PageClient(web, ROUTES);
});

describe('the headers of every page', () => {
  it.each(PUBLIC_PAGES)(
    '%s has a nonce CSP that its one inline script carries, and no-store',
    async (path) => {
      // Act
      const response = await browser.get(path);

      // Assess
      const csp = response.headers['content-security-policy'] ?? '';
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(response.status).toBe(200);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(nonce).toBeDefined();
      const scripts = [...response.body.matchAll(/<script([^>]*)>/g)].map((match) => match[1] ?? '');
      for (const attributes of scripts) {
        expect(attributes.includes(`nonce="${nonce}"`) || attributes.includes('src="/assets/')).toBe(true);
      }
      expect(response.body).not.toMatch(/\sstyle="/);
      expect(response.headers).toMatchObject({
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
      });
      expect(response.headers['strict-transport-security']).toContain('max-age=');
    },
  );

  it('gives each response its own nonce', async () => {
    // Act
    const first = await browser.get('/');
    const second = await browser.get('/');

    // Assess
    expect(first.headers['content-security-policy']).not.toBe(second.headers['content-security-policy']);
  });

  it('sets only __Host- cookies: Secure, HttpOnly, SameSite, for the whole host', async () => {
    // Act
    const response = await browser.get('/apply/area');

    // Assess
    expect(response.cookies.length).toBeGreaterThan(0);
    for (const cookie of response.cookies) {
      expect(cookie).toMatch(/^__Host-/);
      expect(cookie).toContain('Secure');
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('Path=/');
      expect(cookie).toMatch(/SameSite=(Lax|Strict)/);
      expect(cookie).not.toMatch(/Domain=/i);
    }
  });
});

describe('the request limit', () => {
  it('answers a page over the limit with 429 and Retry-After, as the API does', async () => {
    // Prepare
    const limited = new PageClient(testWeb({ rateLimiter: createRateLimiter(2) }), ROUTES);
    await limited.get('/');
    await limited.get('/');

    // Act
    const response = await limited.get('/');

    // Assess
    expect(response.status).toBe(429);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('CSRF protection', () => {
  it('refuses a form without the token of this browser’s session', async () => {
    // Prepare
    await browser.get('/apply/area');

    // Act
    const missing = await browser.post('/apply/area', { csrfToken: '', csp: 'sefton' });
    const forged = await browser.post('/apply/area', { csrfToken: 'a'.repeat(43), csp: 'sefton' });

    // Assess
    expect(missing.status).toBe(403);
    expect(missing.body).toContain('Your form has expired');
    expect(forged.status).toBe(403);
    expect(web.drafts.drafts.size).toBe(0);
  });

  it('says an application’s answers were deleted when its draft expired, and kept otherwise', async () => {
    // Prepare: the first page saved, the second open; then the draft's cookie expires with the draft
    await browser.get('/apply/area');
    await browser.follow(await browser.post('/apply/area', { csp: 'sefton' }));
    const token = browser.csrfToken();
    const draft = browser.cookies.get('__Host-asb-draft') ?? '';

    // Act
    const forged = await browser.post('/apply/victim', {
      csrfToken: 'a'.repeat(43),
      victimType: 'individual',
    });
    browser.cookies.delete('__Host-asb-draft');
    const expired = await browser.post('/apply/victim', { csrfToken: token, victimType: 'individual' });

    // Assess
    expect(draft).not.toBe('');
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('Any answers you saved on earlier pages are kept.');
    expect(expired.status).toBe(403);
    expect(expired.body).toContain('had not been used for 4 hours, so its answers were deleted');
    expect(expired.body).toContain('<a class="govuk-link" href="/apply">Start your application again</a>');
    expect(expired.body).not.toContain('are kept');
  });

  it('refuses a token made for another browser', async () => {
    // Prepare
    const other = new PageClient(web, ROUTES);
    await other.get('/apply/area');
    await browser.get('/apply/area');

    // Act
    const response = await browser.post('/apply/area', { csrfToken: other.csrfToken(), csp: 'sefton' });

    // Assess
    expect(response.status).toBe(403);
  });

  it('refuses a form posted from another site, even with a token', async () => {
    // Prepare
    await browser.get('/apply/area');

    // Act
    const response = await browser.post('/apply/area', { csp: 'sefton' }, { 'sec-fetch-site': 'cross-site' });

    // Assess
    expect(response.status).toBe(403);
  });

  it('stops a token working once the session it was made for changes (signing in to track)', async () => {
    // Prepare
    web.operations.cases.set('SEF-AAAA-BBBB', { view: caseView(), accessCode: 'CODE' });
    await browser.get('/apply/area');
    const before = browser.csrfToken();
    await browser.get('/track');
    await browser.post('/track', { reference: 'SEF-AAAA-BBBB', accessCode: 'CODE' });

    // Act
    const response = await browser.post('/apply/area', { csrfToken: before, csp: 'sefton' });

    // Assess
    expect(response.status).toBe(403);
  });

  it('says a tracked case’s form came after the sign-in ended, and nothing was sent', async () => {
    // Prepare: signed in, the withdrawal form open; then the tracking cookie expires
    web.operations.cases.set('SEF-AAAA-BBBB', { view: caseView(), accessCode: 'CODE' });
    await browser.get('/track');
    await browser.post('/track', { reference: 'SEF-AAAA-BBBB', accessCode: 'CODE' });
    await browser.get('/track/withdraw');
    const token = browser.csrfToken();
    browser.cookies.delete('__Host-asb-track');

    // Act
    const response = await browser.post('/track/withdraw', { csrfToken: token, reason: 'Moved away.' });

    // Assess
    expect(response.status).toBe(403);
    expect(response.body).toContain(
      'because you were signed out: a sign-in to track your application ends when its pages are not used for 30 minutes, and 4 hours after signing in. Nothing was sent.',
    );
    expect(response.body).toContain('<a class="govuk-link" href="/track">Sign in again</a>');
    expect(web.operations.acts).toEqual([]);
  });

  it('needs no token from a caller with a bearer token, which no browser sends by itself', async () => {
    // Act
    const response = await browser.post(
      '/staff/returns',
      { csrfToken: '', year: '2015-16' },
      { authorization: 'Bearer officer-token' },
    );

    // Assess
    expect(response.status).toBe(303);
  });
});

describe('forms that are not what a browser sends', () => {
  it('answers a form that is not UTF-8 with 400 and the error page', async () => {
    // Prepare
    const form = Buffer.concat([Buffer.from('csrfToken=x&csp='), Buffer.from([0xff, 0xfe])]);
    const event = apiEvent('POST /apply/{step}', {
      pathParameters: { step: 'area' },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: form.toString('base64'),
      isBase64Encoded: true,
    });

    // Act
    const result = await web.app(event);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });
});

function caseView() {
  return applicantCaseView({
    reference: 'SEF-AAAA-BBBB',
    csp: 'sefton',
    stage: 'review-complete' as const,
    receivedAt: '2015-06-01T10:00:00.000Z',
    timeline: [{ at: '2015-06-01T10:00:00.000Z', type: 'received', summary: 'Application received online' }],
  });
}

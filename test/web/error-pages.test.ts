// The pages' answers when there is no page (contract.md, Pages): an address that does not exist gets a
// GOV.UK "Page not found" (404), a fault of ours "Sorry, there is a problem with the service" (500)
// showing nothing of it, a form sent as something else "The form could not be sent" (415), input no page
// answered on its form "What you sent could not be used" (400), a step the case had moved on from that no
// page answered "Nothing was recorded, because the case had already moved on" (409), and an address under
// /api/ keeps the API's JSON error.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ConflictError } from '#core/errors.ts';
import { apiEvent } from '#test/support/api-events.ts';
import { PageClient, pageRoutes, testWeb } from '#test/support/web-app.ts';
import { UNMATCHED_ROUTE } from '#web/routes.ts';

/** A request API Gateway found no other route for, as its greedy catch-all route delivers it. */
function unmatched(method: string, path: string, options: Parameters<typeof apiEvent>[1] = {}) {
  const event = apiEvent(UNMATCHED_ROUTE, { ...options, pathParameters: { proxy: path.slice(1) } });
  return {
    ...event,
    rawPath: path,
    requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method, path } },
  } satisfies APIGatewayProxyEventV2;
}

describe('an address that does not exist', () => {
  it('gets the GOV.UK "Page not found" page, 404, with the pages’ security headers', async () => {
    // Prepare
    const web = testWeb();
    // Act
    const result = await web.app(unmatched('GET', '/no-such-page'));
    // Assess
    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    expect(result.body).toContain('<title>Page not found');
    expect(result.body).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
    expect(result.body).toContain('If you typed the web address, check it is correct.');
  });

  it('is not found when a form is posted to it, not refused as an expired form', async () => {
    // Prepare
    const web = testWeb();
    // Act
    const result = await web.app(
      unmatched('POST', '/apply-now', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        rawBody: 'name=Pat',
      }),
    );
    // Assess
    expect(result.statusCode).toBe(404);
    expect(result.body).toContain('Page not found');
  });

  it('keeps the API’s JSON error under /api/', async () => {
    // Prepare
    const web = testWeb();
    // Act
    const result = await web.app(
      unmatched('POST', '/api/nowhere', { headers: { 'content-type': 'application/json' }, rawBody: '{}' }),
    );
    // Assess
    expect(result.statusCode).toBe(404);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(result.body ?? '')).toEqual({
      error: 'not-found',
      message: 'There is nothing at this address.',
    });
  });
});

describe('a fault of ours', () => {
  it('gets "Sorry, there is a problem with the service", 500, showing nothing of the fault', async () => {
    // Prepare
    const faults: unknown[] = [];
    const web = testWeb({ onError: (error) => faults.push(error) });
    web.operations.getCase = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:8000 (table asb-cases)');
    };
    const browser = new PageClient(web, Object.keys(pageRoutes()));
    await browser.get('/track');
    // Act
    const result = await browser.post('/track', { reference: 'SEF-7K3M-Q9XD', accessCode: 'ABCD' });
    // Assess
    expect(result.status).toBe(500);
    expect(result.body).toContain('Sorry, there is a problem with the service');
    expect(result.body).not.toContain('ECONNREFUSED');
    expect(result.body).not.toContain('asb-cases');
    expect(faults).toHaveLength(1);
    // Whom to contact meanwhile: every council area's case review team, with its number.
    expect(result.body).toContain('If you need help now');
    expect(result.body).toContain('Sefton Council anti-social behaviour team');
    expect(result.body).toContain('0345 140 0845');
  });
});

describe('a page’s form sent as something other than a web form', () => {
  it('says plainly that the form could not be sent, 415, and does not blame the service', async () => {
    // Prepare
    const web = testWeb();
    const browser = new PageClient(web, Object.keys(pageRoutes()));
    await browser.get('/track');
    // Act
    const result = await browser.post(
      '/track',
      { reference: 'SEF-7K3M-Q9XD', accessCode: 'ABCD' },
      { 'content-type': 'application/json' },
    );
    // Assess
    expect(result.status).toBe(415);
    expect(result.body).toContain('<title>The form could not be sent');
    expect(result.body).toContain('<h1 class="govuk-heading-l">The form could not be sent</h1>');
    expect(result.body).toContain('Nothing was saved or changed.');
    expect(result.body).not.toContain('problem with the service');
  });
});

describe('a form the page cannot read', () => {
  it('says that what was sent could not be used and nothing changed, 400, and does not blame the service', async () => {
    // Prepare: a form whose bytes are not UTF-8, which no page can read
    const web = testWeb();
    const form = Buffer.concat([Buffer.from('csrfToken=x&csp='), Buffer.from([0xff, 0xfe])]);
    // Act
    const result = await web.app(
      apiEvent('POST /apply/{step}', {
        pathParameters: { step: 'area' },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        rawBody: form.toString('base64'),
        isBase64Encoded: true,
      }),
    );
    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('<title>What you sent could not be used');
    expect(result.body).toContain('<h1 class="govuk-heading-l">What you sent could not be used</h1>');
    expect(result.body).toContain('nothing was saved or changed.');
    expect(result.body).toContain('Go back to the page, refresh it, check your answers');
    expect(result.body).not.toContain('problem with the service');
  });
});

describe('a step the case had moved on from, which no page answered', () => {
  it('says nothing was recorded because the case had moved on, 409, with the way back, and does not blame the service', async () => {
    // Prepare: a file still being checked, opened from an address kept from before
    const web = testWeb();
    web.operations.evidenceDownload = async () => {
      throw new ConflictError('The file is still being checked. Try again in a minute.');
    };
    const browser = new PageClient(web, Object.keys(pageRoutes()));
    // Act
    const result = await browser.get('/staff/cases/SEF-7K3M-Q9XD/files/SEF-7K3M-Q9XD-F1', {
      authorization: 'Bearer officer-token',
    });
    // Assess
    expect(result.status).toBe(409);
    expect(result.body).toContain('<title>Nothing was recorded, because the case had already moved on');
    expect(result.body).toContain(
      '<h1 class="govuk-heading-l">Nothing was recorded, because the case had already moved on</h1>',
    );
    expect(result.body).toContain('nothing was saved or changed.');
    expect(result.body).toContain('Go back to the page and refresh it to see where the case stands now');
    expect(result.body).toContain('it may still be being checked for viruses: try again in a minute.');
    expect(result.body).not.toContain('problem with the service');
  });
});

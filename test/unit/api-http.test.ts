import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

import { createCallerIdentifier } from '#api/http/caller.ts';
import { errorResponse } from '#api/http/error-responses.ts';
import { httpHandler } from '#api/http/http-handler.ts';
import { MAX_BODY_BYTES, readJsonBody } from '#api/http/request-body.ts';
import { json } from '#api/http/responses.ts';
import { requireStaff } from '#cases/case-access.ts';
import { statisticsCsv } from '#cases/statistics-csv.ts';
import { MERSEYSIDE } from '#core/area-config.ts';
import { statisticsTable, zeroCounters } from '#core/counting.ts';
import { ConflictError, InvalidInputError } from '#core/errors.ts';
import { parseReportingYear } from '#core/reporting-year.ts';
import { powertools } from '#shared/powertools.ts';
import { createRateLimiter } from '#shared/rate-limit.ts';
import { InvalidStaffTokenError, type StaffIdentity } from '#shared/staff-token.ts';
import { apiEvent, lambdaContext } from '#test/support/api-events.ts';

const jsonBody = (result: { body?: string }) => JSON.parse(result.body ?? '') as Record<string, unknown>;

/** The HTTP status the API answers the error `run` throws with. */
function answeredStatus(run: () => unknown): number {
  try {
    run();
  } catch (error) {
    return errorResponse(error).statusCode;
  }
  throw new Error('Expected a refusal');
}

describe('readJsonBody', () => {
  it('parses a JSON body', () => {
    // Prepare
    const event = apiEvent('POST /x', { body: { a: 1 } });
    // Act
    const body = readJsonBody(event);
    // Assess
    expect(body).toEqual({ a: 1 });
  });

  it('decodes a base64 body and accepts +json media types with parameters', () => {
    const event = apiEvent('POST /x', {
      rawBody: Buffer.from('{"a":"£"}').toString('base64'),
      isBase64Encoded: true,
      headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' },
    });
    expect(readJsonBody(event)).toEqual({ a: '£' });
  });

  it('returns undefined for a request without a body, whatever its content type', () => {
    expect(readJsonBody(apiEvent('POST /x'))).toBeUndefined();
  });

  it('refuses a body over 1 MB with 413 before looking at it', () => {
    const event = apiEvent('POST /x', {
      rawBody: 'x'.repeat(MAX_BODY_BYTES + 1),
      headers: { 'content-type': 'text/plain' },
    });
    expect(answeredStatus(() => readJsonBody(event))).toBe(413);
  });

  it('counts the size in bytes, not characters', () => {
    const event = apiEvent('POST /x', {
      rawBody: `"${'€'.repeat(MAX_BODY_BYTES / 3)}"`,
      headers: { 'content-type': 'application/json' },
    });
    expect(answeredStatus(() => readJsonBody(event))).toBe(413);
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x']])(
    'refuses a %s body with 415',
    (contentType) => {
      const event = apiEvent('POST /x', { rawBody: '{}', headers: { 'content-type': contentType } });
      expect(answeredStatus(() => readJsonBody(event))).toBe(415);
    },
  );

  it('refuses a body without a content type with 415', () => {
    const event = apiEvent('POST /x', { rawBody: '{}' });
    expect(answeredStatus(() => readJsonBody(event))).toBe(415);
  });

  it('refuses malformed JSON with a 400 validation error', () => {
    const event = apiEvent('POST /x', { rawBody: '{"a":', headers: { 'content-type': 'application/json' } });
    expect(() => readJsonBody(event)).toThrow(InvalidInputError);
  });

  it('refuses bytes that are not UTF-8 with a 400 validation error', () => {
    const event = apiEvent('POST /x', {
      rawBody: Buffer.from([0x22, 0xff, 0x22]).toString('base64'),
      isBase64Encoded: true,
      headers: { 'content-type': 'application/json' },
    });
    expect(() => readJsonBody(event)).toThrow(InvalidInputError);
  });
});

describe('httpHandler', () => {
  it('dispatches on the route key and adds the security headers', async () => {
    // Prepare
    const handler = httpHandler({ 'GET /ok': async () => json(200, { ok: true }) });
    // Act
    const result = await handler(apiEvent('GET /ok'), lambdaContext());
    // Assess
    expect(result.statusCode).toBe(200);
    expect(jsonBody(result)).toEqual({ ok: true });
    expect(result.headers).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    });
  });

  it('maps a typed error to its status and JSON, with its details', async () => {
    const handler = httpHandler({
      'POST /x': async () => {
        throw new ConflictError('The case is closed.', 'closed');
      },
    });
    const result = await handler(apiEvent('POST /x'), lambdaContext());
    expect(result.statusCode).toBe(409);
    expect(jsonBody(result)).toEqual({ error: 'conflict', message: 'The case is closed.', stage: 'closed' });
    expect(result.headers?.['cache-control']).toBe('no-store');
  });

  it('lists validation issues', async () => {
    const handler = httpHandler({
      'POST /x': async () => {
        throw new InvalidInputError([{ path: 'incidents.0.reportedOn', message: 'Enter a date' }]);
      },
    });
    const result = await handler(apiEvent('POST /x'), lambdaContext());
    expect(result.statusCode).toBe(400);
    expect(jsonBody(result)).toMatchObject({
      error: 'validation',
      issues: [{ path: 'incidents.0.reportedOn', message: 'Enter a date' }],
    });
  });

  it('lists the first 100 issues and says how many there are, so a huge body gets a small answer', async () => {
    // Prepare
    const issues = Array.from({ length: 150 }, (_, index) => ({ path: `x${index}`, message: 'Remove it' }));
    const handler = httpHandler({
      'POST /x': async () => {
        throw new InvalidInputError(issues);
      },
    });

    // Act
    const result = await handler(apiEvent('POST /x'), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(400);
    expect(jsonBody(result)).toEqual({
      error: 'validation',
      message: expect.any(String),
      issues: issues.slice(0, 100),
      moreIssues: true,
      issueCount: 150,
    });
  });

  it('answers any other failure with a 500 that shows nothing of it, and logs no message', async () => {
    // Prepare
    const secret = 'Jane Doe, 1 Acacia Avenue';
    const logged = vi.spyOn(powertools('api').logger, 'error');
    const handler = httpHandler({
      'GET /boom': async () => {
        throw new Error(secret);
      },
    });
    // Act
    const result = await handler(apiEvent('GET /boom'), lambdaContext());
    // Assess
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('Jane');
    expect(jsonBody(result)).toEqual({ error: 'internal', message: expect.any(String) });
    expect(JSON.stringify(logged.mock.calls)).not.toContain('Jane');
    logged.mockRestore();
  });

  it('answers an unknown route with 404', async () => {
    const handler = httpHandler({});
    const result = await handler(apiEvent('GET /nowhere'), lambdaContext());
    expect(result.statusCode).toBe(404);
    expect(jsonBody(result).error).toBe('not-found');
  });

  it('limits requests per client when a limit is set, with Retry-After', async () => {
    // Prepare
    const handler = httpHandler(
      { 'GET /ok': async () => json(200, {}) },
      { rateLimiter: createRateLimiter(2) },
    );
    const from = (sourceIp: string) => handler(apiEvent('GET /ok', { sourceIp }), lambdaContext());
    // Act
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await from('10.0.0.1')).statusCode);
    const limited = await from('10.0.0.1');
    const other = await from('10.0.0.2');
    // Assess
    expect(statuses).toEqual([200, 200, 429]);
    expect(jsonBody(limited).error).toBe('too-many-requests');
    expect(Number(limited.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(other.statusCode).toBe(200);
  });
});

describe('createRateLimiter', () => {
  it('starts a new window after a minute', () => {
    const limiter = createRateLimiter(1);
    limiter.take('a', 0);
    expect(answeredStatus(() => limiter.take('a', 59_999))).toBe(429);
    expect(() => limiter.take('a', 60_000)).not.toThrow();
  });
});

describe('createCallerIdentifier', () => {
  const officer: StaffIdentity = { sub: 's1', name: 'A Officer', role: 'officer', csp: 'sefton' };
  const identify = createCallerIdentifier(async (token) => {
    if (token === 'good') return officer;
    throw new InvalidStaffTokenError('The sign-in token is not valid or has expired.');
  });

  it('reads a verified bearer token as staff', async () => {
    const caller = await identify(apiEvent('GET /x', { headers: { authorization: 'Bearer good' } }));
    expect(caller).toEqual({ kind: 'staff', staff: officer });
  });

  it.each([['Bearer bad'], ['Basic dXNlcjpwYXNz'], ['Bearer'], ['good']])(
    'refuses the authorization %j with 401',
    async (authorization) => {
      const failure = await identify(apiEvent('GET /x', { headers: { authorization } })).catch(
        (error: unknown) => error,
      );
      expect(errorResponse(failure).statusCode).toBe(401);
    },
  );

  it('reads an access code as an applicant, and nothing as anonymous', async () => {
    expect(await identify(apiEvent('GET /x', { headers: { 'x-access-code': ' ABCD-1234 ' } }))).toEqual({
      kind: 'applicant',
      accessCode: 'ABCD-1234',
    });
    expect(await identify(apiEvent('GET /x'))).toEqual({ kind: 'anonymous' });
  });
});

describe('requireStaff', () => {
  it('needs a sign-in (401) and one of the roles (403)', () => {
    const agency = { kind: 'staff', staff: { sub: 's', name: 'n', role: 'agency', csp: 'sefton' } } as const;
    expect(answeredStatus(() => requireStaff({ kind: 'anonymous' }, ['officer']))).toBe(401);
    expect(answeredStatus(() => requireStaff({ kind: 'applicant', accessCode: 'x' }, ['officer']))).toBe(401);
    expect(answeredStatus(() => requireStaff(agency, ['officer', 'pcc']))).toBe(403);
    expect(requireStaff(agency, ['agency'])).toBe(agency.staff);
  });
});

describe('statisticsCsv', () => {
  it('writes the published headings, "not available" cells and a TOTAL row', () => {
    // Prepare
    const year = parseReportingYear('2015-16', 'financial');
    const sefton = {
      ...zeroCounters(),
      applicationsReceived: 15,
      thresholdNotMet: 13,
      caseReviewsCarriedOut: 2,
      referralsToPcc: 1,
    };
    const table = statisticsTable(
      MERSEYSIDE,
      year,
      new Map([['sefton', { counts: sefton, lastChangedAt: '2015-06-01T10:00:00.000Z' }]]),
      [{ csp: 'knowsley', year: '2015-16', at: '2016-04-10T10:00:00.000Z' }],
    );
    // Act
    const lines = statisticsCsv(table).split('\r\n');
    // Assess
    expect(lines).toEqual([
      "CSP AREA,Community Trigger applications received,Times the threshold for review was not met,Case reviews carried out,Case reviews that resulted in recommendations being made,Referral to PCC's office",
      'Knowsley,0,0,0,0,0',
      'Liverpool,not available,not available,not available,not available,not available',
      'Sefton,15,13,2,0,1',
      'St Helens,not available,not available,not available,not available,not available',
      'Wirral,not available,not available,not available,not available,not available',
      'TOTAL,15,13,2,0,1',
      '',
    ]);
  });

  it('writes the TOTAL as not available when no CSP made a return', () => {
    // Prepare
    const table = statisticsTable(MERSEYSIDE, parseReportingYear('2014-15', 'financial'), new Map(), []);
    // Act
    const lines = statisticsCsv(table).split('\r\n');
    // Assess
    expect(table.total.applicationsReceived).toBeNull();
    expect(lines.at(-2)).toBe('TOTAL,not available,not available,not available,not available,not available');
  });
});

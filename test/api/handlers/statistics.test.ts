import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

import { httpHandler } from '#api/http/http-handler.ts';
import { statisticsRoutes } from '#api/routes/statistics.ts';
import { statisticsOverview } from '#cases/statistics.ts';
import { COUNT_COLUMNS, type CountColumn } from '#core/counting.ts';
import { InvalidInputError } from '#core/errors.ts';
import { counterAttribute, shardKey, yearMarkerKey } from '#data/statistics-keys.ts';
import { apiEvent, lambdaContext } from '#test/support/api-events.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { testCaseContext } from '#test/support/case-context.ts';
import { startTestStaffTokens, type TestStaffTokens } from '#test/support/staff-tokens.ts';

let tables: TestTables;
let tokens: TestStaffTokens;
let clock = new Date('2016-05-10T09:00:00Z');
let handler: ReturnType<typeof httpHandler>;

beforeAll(async () => {
  [tables, tokens] = await Promise.all([startTestTables(), startTestStaffTokens()]);
  const context = { ...testCaseContext(tables, { clock: () => clock }), identify: tokens.identify };
  handler = httpHandler(statisticsRoutes(context));
});

afterAll(async () => {
  await tokens?.close();
  await tables?.stop();
});

async function call(routeKey: string, options: Parameters<typeof apiEvent>[1] = {}) {
  const result = await handler(apiEvent(routeKey, options), lambdaContext());
  const isJson = String(result.headers?.['content-type']).startsWith('application/json');
  return {
    status: result.statusCode,
    body: isJson ? JSON.parse(result.body) : result.body,
    headers: result.headers ?? {},
  };
}

/** Counters as the counting transactions leave them, in one of the CSP's counter shards. */
async function count(
  year: string,
  csp: string,
  counts: Partial<Record<CountColumn, number>>,
  at: string,
  shard = 0,
) {
  const columns = Object.entries(counts);
  await tables.data.db.send(
    new UpdateCommand({
      TableName: tables.data.tables.statistics,
      Key: shardKey('merseyside', year, csp, shard),
      UpdateExpression: `ADD ${columns.map((_, i) => `#c${i} :v${i}`).join(', ')} SET changedAt = :at`,
      ExpressionAttributeNames: Object.fromEntries(
        columns.map(([column], i) => [`#c${i}`, counterAttribute(column as CountColumn)]),
      ),
      ExpressionAttributeValues: {
        ...Object.fromEntries(columns.map(([, value], i) => [`:v${i}`, value])),
        ':at': at,
      },
    }),
  );
  await tables.data.db.send(
    new UpdateCommand({
      TableName: tables.data.tables.statistics,
      Key: yearMarkerKey('merseyside', year),
      UpdateExpression: 'SET #year = :year',
      ExpressionAttributeNames: { '#year': 'year' },
      ExpressionAttributeValues: { ':year': year },
    }),
  );
}

const officerOf = (csp: string) => tokens.token({ role: 'officer', name: 'A Officer', csp });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the 2015/16 Merseyside table', () => {
  beforeAll(async () => {
    // Prepare: Sefton (in two shards) and St Helens have cases; Knowsley and Liverpool signed off nil
    // returns; Wirral nothing.
    await count(
      '2015-16',
      'sefton',
      { applicationsReceived: 10, thresholdNotMet: 9, caseReviewsCarriedOut: 1 },
      '2016-03-01T10:00:00.000Z',
    );
    await count(
      '2015-16',
      'sefton',
      { applicationsReceived: 5, thresholdNotMet: 4, caseReviewsCarriedOut: 1, referralsToPcc: 1 },
      '2016-02-01T10:00:00.000Z',
      5,
    );
    await count(
      '2015-16',
      'st-helens',
      { applicationsReceived: 2, thresholdNotMet: 2 },
      '2016-02-01T10:00:00.000Z',
    );
    for (const csp of ['knowsley', 'liverpool']) {
      const result = await call('POST /api/statistics/returns', {
        headers: bearer(await officerOf(csp)),
        body: { year: '2015-16' },
      });
      expect(result.status).toBe(200);
    }
  });

  it('publishes each row with its status, not-available rows with null counts, and the total', async () => {
    // Act
    const { status, body, headers } = await call('GET /api/statistics', { query: { year: '2015-16' } });
    // Assess
    expect(status).toBe(200);
    expect(headers['cache-control']).toBe('no-cache');
    expect(body).toMatchObject({
      pccArea: 'merseyside',
      year: '2015-16',
      from: '2015-04-01',
      to: '2016-03-31',
    });
    const rows = Object.fromEntries(
      body.rows.map((row: Record<string, unknown>) => [
        row.csp,
        [row.status, row.available, ...COUNT_COLUMNS.map((c) => row[c])],
      ]),
    );
    expect(rows).toEqual({
      knowsley: ['confirmed', true, 0, 0, 0, 0, 0],
      liverpool: ['confirmed', true, 0, 0, 0, 0, 0],
      sefton: ['provisional', true, 15, 13, 2, 0, 1],
      'st-helens': ['provisional', true, 2, 2, 0, 0, 0],
      wirral: ['not-available', false, null, null, null, null, null],
    });
    expect(body.total).toEqual({
      applicationsReceived: 17,
      thresholdNotMet: 15,
      caseReviewsCarriedOut: 2,
      reviewsWithRecommendations: 0,
      referralsToPcc: 1,
    });
  });

  it('gives the same table as CSV with the published headings', async () => {
    const { status, body, headers } = await call('GET /api/statistics', {
      query: { year: '2015-16', format: 'csv' },
    });
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(body.split('\r\n')).toEqual([
      "CSP AREA,Community Trigger applications received,Times the threshold for review was not met,Case reviews carried out,Case reviews that resulted in recommendations being made,Referral to PCC's office",
      'Knowsley,0,0,0,0,0',
      'Liverpool,0,0,0,0,0',
      'Sefton,15,13,2,0,1',
      'St Helens,2,2,0,0,0',
      'Wirral,not available,not available,not available,not available,not available',
      'TOTAL,17,15,2,0,1',
      '',
    ]);
  });

  it('lists the years with data', async () => {
    const { status, body } = await call('GET /api/statistics/years');
    expect(status).toBe(200);
    expect(body).toEqual({ pccArea: 'merseyside', years: ['2015-16'] });
  });
});

describe('GET /api/statistics', () => {
  it('shows the current reporting year when no year is given', async () => {
    clock = new Date('2017-03-31T22:59:00Z');
    const { body } = await call('GET /api/statistics');
    expect(body.year).toBe('2016-17');
    expect(body.rows.every((row: { status: string }) => row.status === 'not-available')).toBe(true);
  });

  it.each([['2015'], ['2015-17'], ['15-16'], ['2015/16'], [''], ['2015-16x']])(
    'refuses the year %j with 400',
    async (year) => {
      const { status, body } = await call('GET /api/statistics', { query: { year } });
      expect(status).toBe(400);
      expect(body).toMatchObject({ error: 'validation', issues: [{ path: 'year' }] });
    },
  );

  it('refuses an unknown format with 400', async () => {
    const { status, body } = await call('GET /api/statistics', { query: { year: '2015-16', format: 'xml' } });
    expect(status).toBe(400);
    expect(body.issues[0].path).toBe('format');
  });
});

describe('POST /api/statistics/returns', () => {
  it('confirms the officer’s own CSP row; signing again changes nothing', async () => {
    // Prepare
    clock = new Date('2016-05-10T09:00:00Z');
    await count('2015-16', 'wirral', { applicationsReceived: 1 }, '2016-01-05T10:00:00.000Z');
    const headers = bearer(await officerOf('wirral'));
    // Act
    const first = await call('POST /api/statistics/returns', { headers, body: { year: '2015-16' } });
    clock = new Date('2016-05-11T09:00:00Z');
    const again = await call('POST /api/statistics/returns', { headers, body: { year: '2015-16' } });
    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      year: '2015-16',
      csp: 'wirral',
      status: 'confirmed',
      applicationsReceived: 1,
      signedOffAt: '2016-05-10T09:00:00.000Z',
      changedAfterSignOff: false,
    });
    expect(again.body.signedOffAt).toBe('2016-05-10T09:00:00.000Z');
  });

  it('shows a change after sign-off (in any shard), until the officer signs off again', async () => {
    // Prepare
    const headers = bearer(await officerOf('wirral'));
    await count('2015-16', 'wirral', { thresholdNotMet: 1 }, '2016-06-01T10:00:00.000Z', 3);
    // Act
    const changed = await call('GET /api/statistics', { query: { year: '2015-16' } });
    clock = new Date('2016-06-02T09:00:00Z');
    const resigned = await call('POST /api/statistics/returns', { headers, body: { year: '2015-16' } });
    // Assess
    expect(changed.body.rows.find((row: { csp: string }) => row.csp === 'wirral')).toMatchObject({
      status: 'confirmed',
      applicationsReceived: 1,
      thresholdNotMet: 1,
      changedAfterSignOff: true,
    });
    expect(resigned.body).toMatchObject({
      signedOffAt: '2016-06-02T09:00:00.000Z',
      changedAfterSignOff: false,
    });
  });

  it('lists a year made only of nil returns', async () => {
    await call('POST /api/statistics/returns', {
      headers: bearer(await officerOf('sefton')),
      body: { year: '2014-15' },
    });
    const { body } = await call('GET /api/statistics/years');
    expect(body.years).toEqual(['2014-15', '2015-16']);
  });

  it('needs a sign-in (401) as an officer (403)', async () => {
    const anonymous = await call('POST /api/statistics/returns', { body: { year: '2015-16' } });
    const agency = await call('POST /api/statistics/returns', {
      headers: bearer(await tokens.token({ role: 'agency', name: 'A', csp: 'sefton', agency: 'police' })),
      body: { year: '2015-16' },
    });
    const pcc = await call('POST /api/statistics/returns', {
      headers: bearer(await tokens.token({ role: 'pcc', name: 'P' })),
      body: { year: '2015-16' },
    });
    expect([anonymous.status, agency.status, pcc.status]).toEqual([401, 403, 403]);
  });

  it.each([
    [{ year: '2015' }, 'year'],
    [{ year: '2015-17' }, 'year'],
    [{}, 'year'],
    [{ year: '2015-16', csp: 'knowsley' }, 'csp'],
  ])('refuses %j with a 400 naming %s', async (body, path) => {
    const result = await call('POST /api/statistics/returns', {
      headers: bearer(await officerOf('sefton')),
      body,
    });
    expect(result.status).toBe(400);
    expect(result.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
  });

  it.each([
    ['1900-01', '2016-05-10T09:00:00Z', 'the ASB case review began in 2014-15'],
    ['2013-14', '2016-05-10T09:00:00Z', 'the ASB case review began in 2014-15'],
    ['2016-17', '2016-12-15T09:00:00Z', 'ends on 31 March 2017'],
    ['2099-00', '2016-05-10T09:00:00Z', 'ends on 31 March 2100'],
  ])('refuses the return of %s as at %s with a 409, publishing nothing', async (year, now, words) => {
    // Prepare
    clock = new Date(now);
    const headers = bearer(await officerOf('liverpool'));

    // Act
    const result = await call('POST /api/statistics/returns', { headers, body: { year } });
    const published = await call('GET /api/statistics', { query: { year } });
    const years = await call('GET /api/statistics/years');

    // Assess
    expect(result.status).toBe(409);
    expect(result.body).toMatchObject({ error: 'conflict', message: expect.stringContaining(words) });
    expect(published.body.rows.find((row: { csp: string }) => row.csp === 'liverpool')).toMatchObject({
      status: 'not-available',
    });
    expect(years.body.years).not.toContain(year);
  });

  it('refuses malformed JSON (400) and other media types (415)', async () => {
    const headers = bearer(await officerOf('sefton'));
    const malformed = await call('POST /api/statistics/returns', {
      headers: { ...headers, 'content-type': 'application/json' },
      rawBody: '{"year":',
    });
    const text = await call('POST /api/statistics/returns', {
      headers: { ...headers, 'content-type': 'text/plain' },
      rawBody: 'year=2015-16',
    });
    expect([malformed.status, text.status]).toEqual([400, 415]);
  });
});

describe('the statistics page’s overview', () => {
  const overview = (year?: string) =>
    statisticsOverview(testCaseContext(tables, { clock: () => clock }), year === undefined ? {} : { year });

  it('gives the table of the year asked, as published, and the totals of every year with data', async () => {
    // Act
    const { table, trend } = await overview('2015-16');
    const published = await call('GET /api/statistics', { query: { year: '2015-16' } });
    const older = await call('GET /api/statistics', { query: { year: '2014-15' } });

    // Assess
    expect(table).toEqual(published.body);
    expect(trend).toEqual({
      pccArea: 'merseyside',
      years: [
        { year: '2014-15', total: older.body.total },
        { year: '2015-16', total: published.body.total },
      ],
    });
  });

  it('gives the table of a year without data beside the years with data, and the current year unasked', async () => {
    // Prepare
    clock = new Date('2016-05-10T09:00:00Z');

    // Act
    const empty = await overview('2020-21');
    const current = await overview();

    // Assess
    expect(empty.table.year).toBe('2020-21');
    expect(empty.table.rows.every((row) => row.status === 'not-available')).toBe(true);
    expect(empty.trend.years.map(({ year }) => year)).toEqual(['2014-15', '2015-16']);
    expect(current.table.year).toBe('2016-17');
    expect(current.trend).toEqual(empty.trend);
  });

  it('refuses a year that is not one', async () => {
    await expect(overview('2015/16')).rejects.toBeInstanceOf(InvalidInputError);
  });
});

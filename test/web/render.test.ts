import fc from 'fast-check';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { MERSEYSIDE } from '#core/area-config.ts';
import { CASE_REVIEW_ACTIONS } from '#core/case-review-rules.ts';
import type { StatisticsRow } from '#core/counting.ts';
import { functionSpecs } from '#infra/functions.ts';
import { PageClient, pageRoutes, testWeb } from '#test/support/web-app.ts';
import { deadlineTable, thresholdWords } from '#web/render/area-words.ts';
import { statisticsChart, trendChart } from '#web/render/chart.ts';
import { registerFilters } from '#web/render/filters.ts';
import { AUDIT_WHAT, formatDateTime } from '#web/render/words.ts';
import { residentRoutes } from '#web/resident-routes.ts';
import { COOKIES } from '#web/session/cookie-names.ts';
import { staffRoutes } from '#web/staff-routes.ts';

const available = (name: string, received: number, reviews: number): StatisticsRow => ({
  csp: name.toLowerCase(),
  name,
  status: 'confirmed',
  available: true,
  signedOffAt: null,
  changedAfterSignOff: false,
  applicationsReceived: received,
  thresholdNotMet: received - reviews,
  caseReviewsCarriedOut: reviews,
  reviewsWithRecommendations: 0,
  referralsToPcc: 0,
  inProgress: 0,
});

describe('the start page’s words for the area config', () => {
  it('says the threshold most CSPs use once, and each CSP’s difference', () => {
    // Act
    const words = thresholdWords(MERSEYSIDE);

    // Assess
    expect(words.routes).toEqual([
      'you reported 3 separate incidents of anti-social behaviour to the council, the police or a housing provider in the last 6 months',
      '5 or more people from different households each reported similar incidents in the last 6 months',
      'you reported a hate incident or hate crime in the last 6 months',
    ]);
    expect(words.differences).toEqual([
      'In St Helens, the rule is: you reported a hate incident or hate crime in the last 3 months.',
    ]);
  });

  it('gives each step its configured working days, one column while the CSPs agree', () => {
    // Act
    const table = deadlineTable(MERSEYSIDE);
    const quicker = deadlineTable({
      ...MERSEYSIDE,
      csps: MERSEYSIDE.csps.map((csp) =>
        csp.id === 'wirral' ? { ...csp, deadlines: { ...csp.deadlines, thresholdDecision: 5 } } : csp,
      ),
    });

    // Assess
    expect(table.columns).toEqual(['How long it takes']);
    expect(table.rows[1]?.durations).toEqual(['Within 10 working days of getting it']);
    expect(quicker.columns).toEqual(['Knowsley, Liverpool, Sefton and St Helens', 'Wirral']);
    expect(quicker.rows[1]?.durations).toEqual([
      'Within 10 working days of getting it',
      'Within 5 working days of getting it',
    ]);
  });
});

describe("the audit trail's words", () => {
  it('say in words what each step of the case review and each file did, never its code', () => {
    // Act
    const codes = [
      ...CASE_REVIEW_ACTIONS,
      'evidence-added',
      'evidence-download',
      'evidence-shared',
      'evidence-unshared',
    ];

    // Assess
    for (const code of codes) expect(AUDIT_WHAT[code], code).toMatch(/^[A-Z][a-z]+ /);
  });
});

describe('the statistics chart', () => {
  it('labels every bar with its number and describes every row in text, not available ones included', () => {
    // Act
    const svg = statisticsChart(
      [
        available('Sefton', 15, 2),
        {
          csp: 'wirral',
          name: 'Wirral',
          status: 'not-available',
          available: false,
          signedOffAt: null,
          changedAfterSignOff: false,
          applicationsReceived: null,
          thresholdNotMet: null,
          caseReviewsCarriedOut: null,
          reviewsWithRecommendations: null,
          referralsToPcc: null,
          inProgress: null,
        },
      ],
      '2015-16',
    );

    // Assess
    expect(svg).toContain('role="img"');
    expect(svg).toContain(
      '<desc id="chart-description">Sefton: 15 applications received, 2 case reviews carried out. Wirral: not available.</desc>',
    );
    expect(svg).toContain('>15 applications received</text>');
    expect(svg).toContain('>Not available</text>');
    expect(svg).not.toContain('style=');
  });

  it('escapes names', () => {
    expect(statisticsChart([available('<A&B>', 1, 1)], '2015-16')).toContain('&lt;A&amp;B&gt;');
  });
});

describe('the trend chart', () => {
  const years = [
    {
      year: '2015-16',
      total: {
        applicationsReceived: 17,
        thresholdNotMet: 15,
        caseReviewsCarriedOut: 2,
        reviewsWithRecommendations: 1,
        referralsToPcc: 1,
      },
    },
    {
      year: '2016-17',
      total: {
        applicationsReceived: null,
        thresholdNotMet: null,
        caseReviewsCarriedOut: null,
        reviewsWithRecommendations: null,
        referralsToPcc: null,
      },
    },
  ];

  it('draws the five figures of each year, each bar with its number, and describes every year in text', () => {
    // Act
    const svg = trendChart(years);

    // Assess
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="trend-chart-title trend-chart-description"');
    expect(svg).toContain(
      '<desc id="trend-chart-description">2015-16: 17 applications received, 15 not met, 2 case reviews carried out, 1 with recommendations, 1 referred to the PCC. 2016-17: not available.</desc>',
    );
    for (const words of [
      '17 applications received',
      '15 not met',
      '1 with recommendations',
      'Not available',
    ]) {
      expect(svg).toContain(`>${words}</text>`);
    }
    expect(svg).not.toContain('style=');
  });

  it('keeps every bar’s words inside the chart’s 400 units, however long the bars', () => {
    // Prepare: the longest words beside the longest bar.
    const svg = trendChart([
      {
        year: '2015-16',
        total: {
          applicationsReceived: 999,
          thresholdNotMet: 999,
          caseReviewsCarriedOut: 999,
          reviewsWithRecommendations: 999,
          referralsToPcc: 999,
        },
      },
    ]);

    // Act
    const texts = [...svg.matchAll(/<text x="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map(([, x, words]) => ({
      end: Number(x) + (words ?? '').length * 11,
    }));

    // Assess: 11 units a character is wider than the 20-unit text's characters.
    expect(texts.length).toBeGreaterThan(5);
    for (const text of texts) expect(text.end).toBeLessThanOrEqual(400);
  });
});

describe('the statistics page', () => {
  it('shows the published headings, not available as such, the total, the chart and the CSV link', async () => {
    // Prepare
    const web = testWeb();
    const browser = new PageClient(web, Object.keys(pageRoutes()));

    // Act
    const page = await browser.get('/statistics?year=2015-16');
    const bad = await browser.get('/statistics?year=last-year');

    // Assess
    for (const heading of [
      'CSP AREA',
      'Community Trigger applications received',
      'Times the threshold for review was not met',
      'Case reviews carried out',
      'Case reviews that resulted in recommendations being made',
      'Referral to PCC&#39;s office',
    ]) {
      expect(page.body).toContain(heading);
    }
    expect(page.body).toMatch(/Wirral<\/th>\s*(<td[^>]*>Not available<\/td>\s*){5}/);
    expect(page.body).toContain('TOTAL');
    expect(page.body).toContain('<svg class="app-chart"');
    expect(page.body).toContain('href="/api/statistics?format=csv&amp;year=2015-16"');
    expect(bad.status).toBe(200);
    expect(bad.body).toContain('href="#year">Select a reporting year from the list</a>');
  });
});

describe('the route table', () => {
  it("is, for each door, the one infra/functions.ts gives that door's function", () => {
    for (const [id, routes] of [
      ['ResidentPages', residentRoutes()],
      ['StaffPages', staffRoutes()],
    ] as const) {
      const web = functionSpecs.find((spec) => spec.id === id);
      expect([...(web?.routes ?? [])].sort()).toEqual(Object.keys(routes).sort());
    }
  });
});

describe('the trim filter', () => {
  const own = new nunjucks.Environment();
  const ours = new nunjucks.Environment(null, { autoescape: true });
  registerFilters(ours);
  const trim = (environment: nunjucks.Environment, value: unknown) =>
    environment.getFilter('trim').call(null, value);
  const spaces = fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2028', '\ufeff', '\u3000');
  const text = fc.array(fc.oneof(spaces, fc.string({ maxLength: 3 }))).map((parts) => parts.join(''));

  it('takes off what Nunjucks’ own takes off, from both ends alone', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(trim(ours, value)).toBe(trim(own, value));
      }),
    );
  });

  it('keeps text marked safe marked safe, and other text escaped', () => {
    // Act
    const safe = ours.renderString('{{ html | safe | trim }}', { html: '  <b>kept</b>\n' });
    const escaped = ours.renderString('{{ text | trim }}', { text: '  <b>escaped</b>\n' });

    // Assess
    expect(safe).toBe('<b>kept</b>');
    expect(escaped).toBe('&lt;b&gt;escaped&lt;/b&gt;');
  });
});

describe('dates and times', () => {
  it('are written as GOV.UK writes them, in UK time', () => {
    expect(formatDateTime('2015-07-01T13:05:00Z')).toBe('1 July 2015 at 2:05pm');
    expect(formatDateTime('2015-12-01T00:30:00Z')).toBe('1 December 2015 at 12:30am');
    expect(formatDateTime('2015-12-01T12:00:59Z')).toBe('1 December 2015 at 12:00pm');
    expect(formatDateTime('2015-10-25T00:59:00Z')).toBe('25 October 2015 at 1:59am');
    expect(formatDateTime('2015-10-25T01:00:00Z')).toBe('25 October 2015 at 1:00am');
  });
});

describe('the statistics page for panels', () => {
  it('offers every reporting year from 2014-15 to this one, with figures or not', async () => {
    // Prepare
    const web = testWeb();
    web.operations.now = new Date('2026-12-06T10:00:00Z');
    const browser = new PageClient(web, Object.keys(pageRoutes()));
    // Act
    const page = await browser.get('/statistics?year=2015-16');
    // Assess
    const offered = [...page.body.matchAll(/<option value="(\d{4}-\d{2})"/g)].map((match) => match[1]);
    expect(offered[0]).toBe('2026-27');
    expect(offered.at(-1)).toBe('2014-15');
    expect(offered).toHaveLength(13);
  });

  it('says what each published column means, in plain words, beside its heading', async () => {
    // Prepare
    const browser = new PageClient(testWeb(), Object.keys(pageRoutes()));
    // Act
    const page = await browser.get('/statistics?year=2015-16');
    // Assess
    expect(page.body).toContain('What the columns mean');
    expect(page.body).toContain('Applications where the rules for a review were not met');
  });

  it('gives the TOTAL as not available when no partnership has figures', async () => {
    // Prepare
    const web = testWeb();
    const published = await web.operations.statistics({ year: '2016-17' });
    const { table } = published;
    web.operations.statistics = async () => ({
      ...published,
      table: {
        ...table,
        rows: table.rows.filter((row) => !row.available),
        total: {
          applicationsReceived: null,
          thresholdNotMet: null,
          caseReviewsCarriedOut: null,
          reviewsWithRecommendations: null,
          referralsToPcc: null,
        },
        totalInProgress: null,
      },
    });
    const browser = new PageClient(web, Object.keys(pageRoutes()));
    // Act
    const page = await browser.get('/statistics?year=2016-17');
    // Assess
    expect(page.body).toMatch(/TOTAL<\/th>\s*(<td[^>]*><strong>Not available<\/strong><\/td>\s*){5}/);
  });

  it('shows the trend of every year with figures as a table and a chart, after the year’s own', async () => {
    // Prepare
    const web = testWeb();
    const published = await web.operations.statistics({ year: '2015-16' });
    web.operations.statisticsTrend = async () => ({
      pccArea: 'merseyside',
      years: [
        {
          year: '2014-15',
          total: {
            applicationsReceived: 14,
            thresholdNotMet: 13,
            caseReviewsCarriedOut: 2,
            reviewsWithRecommendations: 0,
            referralsToPcc: 1,
          },
        },
        { year: '2015-16', total: published.table.total },
      ],
    });
    const browser = new PageClient(web, Object.keys(pageRoutes()));

    // Act
    const page = await browser.get('/statistics?year=2015-16');

    // Assess
    const trend = page.body.slice(page.body.indexOf('Trend across years'));
    expect(page.body.indexOf('Trend across years')).toBeGreaterThan(page.body.indexOf('id="chart-title"'));
    expect(trend).toMatch(/2014-15<\/th>\s*<td[^>]*>14<\/td>\s*<td[^>]*>13<\/td>/);
    expect(trend).toMatch(
      /2015-16<\/th>\s*<td[^>]*>15<\/td>\s*<td[^>]*>13<\/td>\s*(<td[^>]*>\d+<\/td>\s*){3}<\/tr>/,
    );
    expect(trend).toContain('<svg class="app-chart"');
    expect(trend).toContain('id="trend-chart-title"');
    expect(trend.indexOf('2014-15')).toBeLessThan(trend.indexOf('2015-16'));
  });

  it('says so when no year has figures yet', async () => {
    // Prepare
    const web = testWeb();
    web.operations.statisticsTrend = async () => ({ pccArea: 'merseyside', years: [] });
    const browser = new PageClient(web, Object.keys(pageRoutes()));

    // Act
    const page = await browser.get('/statistics?year=2015-16');

    // Assess
    expect(page.body).toContain('There are no figures for any year yet.');
    expect(page.body).not.toContain('id="trend-chart-title"');
  });

  it('adds an in-progress figure to every row and the TOTAL, so that a row adds up', async () => {
    // Prepare: Sefton has 15 applications, 10 not met, 2 reviewed, 1 withdrawn before either: 2 in progress.
    const web = testWeb();
    const published = await web.operations.statistics({ year: '2015-16' });
    const { table } = published;
    web.operations.statistics = async () => ({
      ...published,
      table: {
        ...table,
        rows: table.rows.map((row) =>
          row.available ? { ...row, applicationsReceived: 15, thresholdNotMet: 10, inProgress: 2 } : row,
        ),
        total: {
          applicationsReceived: 15,
          thresholdNotMet: 10,
          caseReviewsCarriedOut: 2,
          reviewsWithRecommendations: 0,
          referralsToPcc: 1,
        },
        totalInProgress: 2,
      },
    });
    const browser = new PageClient(web, Object.keys(pageRoutes()));

    // Act
    const page = await browser.get('/statistics?year=2015-16');

    // Assess
    expect(page.body).toMatch(/Referral to PCC&#39;s office<\/th>\s*<th[^>]*>In progress<\/th>/);
    expect(page.body).toMatch(/Sefton<\/th>\s*(<td[^>]*>\d+<\/td>\s*){5}<td[^>]*>2<\/td>/);
    expect(page.body).toMatch(/Wirral<\/th>\s*(<td[^>]*>Not available<\/td>\s*){6}/);
    expect(page.body).toMatch(
      /TOTAL<\/th>\s*(<td[^>]*><strong>\d+<\/strong><\/td>\s*){5}<td[^>]*><strong>2<\/strong>/,
    );
    expect(page.body).toContain(
      'less those where the threshold was not met, those reviewed and those withdrawn',
    );
  });
});

describe('the start page', () => {
  it('warns to call 999 in an emergency before anything else, so a phone shows it first', async () => {
    // Prepare
    const browser = new PageClient(testWeb(), Object.keys(pageRoutes()));
    // Act
    const page = await browser.get('/');
    // Assess
    const warning = page.body.indexOf('call 999');
    expect(warning).toBeGreaterThan(page.body.indexOf('<h1'));
    expect(warning).toBeLessThan(page.body.indexOf('you can ask for a case review'));
  });
});

describe('the accessibility statement', () => {
  it('names the time limits it lists among the known problems', async () => {
    // Prepare
    const browser = new PageClient(testWeb(), Object.keys(pageRoutes()));
    // Act
    const page = await browser.get('/accessibility');
    // Assess
    expect(page.body).toContain('if you do not use a page for 4 hours, your answers are deleted');
    expect(page.body).toContain(
      'when you track your application, you are signed out if you do not use its pages for 30 minutes, and 4 hours after you sign in even while you are using them',
    );
    expect(page.body).toContain(
      'A few minutes before, the page warns you and lets you stay signed in, but not past the 4 hours, and not if JavaScript is off',
    );
    expect(page.body).toContain(
      'staff are signed out an hour after they sign in, without a warning and without a way to stay signed in: a form they send after that is kept',
    );
  });
});

describe('the privacy notice', () => {
  it('lists every cookie the pages set, with how long it lasts', async () => {
    // Prepare
    const browser = new PageClient(testWeb(), Object.keys(pageRoutes()));
    // Act
    const page = await browser.get('/privacy');
    // Assess
    for (const name of Object.values(COOKIES))
      expect(page.body, name).toContain(`<th scope="row" class="govuk-table__header">${name}</th>`);
    expect(page.body).toContain('1 minute, or until that page is shown');
    expect(page.body).toContain('30 minutes');
  });
});

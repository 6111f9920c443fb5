// GET /statistics: the published counts per CSP for a reporting year, as a table, a chart and a CSV link.
import type { StatisticsOverview } from '#cases/statistics.ts';
import { COUNT_COLUMNS, PUBLISHED_HEADINGS } from '#core/counting.ts';
import { InvalidInputError } from '#core/errors.ts';
import {
  currentReportingYear,
  FIRST_SCHEME_YEAR,
  reportingYearStarting,
  reportingYearsBetween,
} from '#core/reporting-year.ts';
import type { Page } from '../page-context.ts';
import { statisticsChart, trendChart } from '../render/chart.ts';
import { type PageErrors, pageErrors } from '../render/page-errors.ts';

const YEAR = /^\d{4}(-\d{2})?$/;

/** What each published heading means, in plain words, beside it (the headings themselves are the Home Office's). */
const COLUMN_HELP: Readonly<Record<(typeof COUNT_COLUMNS)[number], string>> = {
  applicationsReceived: 'Everyone who asked for a case review in the year.',
  thresholdNotMet: 'Applications where the rules for a review were not met, so no review was held.',
  caseReviewsCarriedOut: 'Applications where the agencies met and reviewed how the problem was dealt with.',
  reviewsWithRecommendations: 'Reviews that ended with actions for the agencies to take.',
  referralsToPcc:
    'Applicants who asked the Police and Crime Commissioner’s office to look again at how their case was handled.',
};

const NOT_AVAILABLE = 'Not available';

// Not a published heading: the pages add it so that a row adds up (contract.md, Statistics).
const IN_PROGRESS = {
  heading: 'In progress',
  help: 'Applications not yet decided or reviewed: those received, less those where the threshold was not met, those reviewed and those withdrawn before either. Not part of the published return.',
};

const STATUS_TEXT: Readonly<Record<string, string>> = {
  confirmed: 'Confirmed',
  provisional: 'Provisional',
  'not-available': 'Not available',
};

export const statisticsPage: Page = async (context) => {
  const { operations } = context.deps;
  const asked = context.request.query.get('year') ?? undefined;
  const yearError = pageErrors([
    { field: 'year', href: '#year', text: 'Select a reporting year from the list' },
  ]);
  const overview = async (year: string | undefined): Promise<StatisticsOverview | undefined> => {
    if (year !== undefined && !YEAR.test(year)) return undefined;
    try {
      return await operations.statisticsOverview({ year });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return undefined;
    }
  };
  let found = await overview(asked);
  let errors: PageErrors | undefined;
  if (!found) {
    errors = yearError;
    found = await operations.statisticsOverview({});
  }
  const { table, trend } = found;
  const listed = trend.years.map(({ year }) => year);
  // Every year of the scheme can be asked for, whether or not it has figures yet.
  const { reportingYear } = context.deps.area;
  const schemeYears = reportingYearsBetween(
    reportingYearStarting(reportingYear, FIRST_SCHEME_YEAR),
    currentReportingYear(context.now, reportingYear),
  ).map((year) => year.label);
  const years = [...new Set([...listed, ...schemeYears])].sort().reverse();
  const choices = years.includes(table.year) ? years : [table.year, ...years];
  return context.view('statistics.njk', {
    title: 'Anti-social behaviour case review statistics',
    errors,
    table,
    headings: [...COUNT_COLUMNS.map((column) => PUBLISHED_HEADINGS[column]), IN_PROGRESS.heading],
    columnHelp: [
      ...COUNT_COLUMNS.map((column) => ({ heading: PUBLISHED_HEADINGS[column], help: COLUMN_HELP[column] })),
      IN_PROGRESS,
    ],
    rows: table.rows.map((row) => ({
      name: row.name,
      status: STATUS_TEXT[row.status] ?? row.status,
      changedAfterSignOff: row.changedAfterSignOff === true,
      cells: row.available
        ? [...COUNT_COLUMNS.map((column) => String(row[column])), String(row.inProgress)]
        : [...COUNT_COLUMNS, IN_PROGRESS].map(() => NOT_AVAILABLE),
    })),
    total: [...COUNT_COLUMNS.map((column) => table.total[column]), table.totalInProgress].map((count) =>
      String(count ?? NOT_AVAILABLE),
    ),
    yearItems: choices.map((year) => ({ value: year, text: year, selected: year === table.year })),
    yearHint:
      reportingYear === 'calendar'
        ? 'Years run from 1 January to 31 December.'
        : 'Years run from 1 April to 31 March.',
    chart: statisticsChart(table.rows, table.year),
    trendHeadings: COUNT_COLUMNS.map((column) => PUBLISHED_HEADINGS[column]),
    trendRows: trend.years.map(({ year, total }) => ({
      year,
      cells: COUNT_COLUMNS.map((column) => String(total[column] ?? NOT_AVAILABLE)),
    })),
    trendChart: trend.years.length > 0 ? trendChart(trend.years) : undefined,
    csvHref: `/api/statistics?format=csv&year=${encodeURIComponent(table.year)}`,
  });
};

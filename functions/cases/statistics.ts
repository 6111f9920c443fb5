// The published statistics (contract.md, Statistics): a reporting year's table, as data or CSV, the
// years there are counts for, and an officer's sign-off of their CSP's annual return.

import type { Caller } from '#cases/caller.ts';
import { requireStaff } from '#cases/case-access.ts';
import type { CaseContext } from '#cases/context.ts';
import { parseInput, type RequestBody } from '#cases/parse-input.ts';
import { statisticsCsv } from '#cases/statistics-csv.ts';
import { type AreaConfig, isCspOf } from '#core/area-config.ts';
import { formatUkDate } from '#core/calendar-months.ts';
import { type StatisticsRow, type StatisticsTable, statisticsTable } from '#core/counting.ts';
import { ConflictError, InvalidInputError, NotAllowedError } from '#core/errors.ts';
import {
  currentReportingYear,
  FIRST_SCHEME_YEAR,
  InvalidReportingYearError,
  parseReportingYear,
  type ReportingYear,
  type ReturnYearRefusal,
  reportingYearStarting,
  returnYearRefusal,
} from '#core/reporting-year.ts';
import { statisticsReturnSchema } from '#core/schemas/statistics.ts';
import type { DataContext } from '#data/data-context.ts';
import { listYears, readYearCounters, signOffReturn as storeSignOff } from '#data/statistics-counters.ts';

const YEAR_EXAMPLE = { financial: '2015-16', calendar: '2015' } as const;

const RETURN_REFUSED: Readonly<Record<ReturnYearRefusal, (area: AreaConfig, year: ReportingYear) => string>> =
  {
    'before-the-scheme': (area) =>
      `There is no return for this year: the ASB case review began in ${reportingYearStarting(area.reportingYear, FIRST_SCHEME_YEAR).label}.`,
    'not-ended': (_area, year) =>
      `The reporting year ${year.label} ends on ${formatUkDate(year.to)}: you can sign off its return once it has ended.`,
  };
const FORMATS = ['json', 'csv'] as const;

function requestedYear(label: string | undefined, area: AreaConfig, now: Date): ReportingYear {
  if (label === undefined) return currentReportingYear(now, area.reportingYear);
  try {
    return parseReportingYear(label, area.reportingYear);
  } catch (error) {
    if (!(error instanceof InvalidReportingYearError)) throw error;
    throw new InvalidInputError(
      [{ path: 'year', message: `Enter the reporting year like ${YEAR_EXAMPLE[area.reportingYear]}` }],
      undefined,
      { cause: error },
    );
  }
}

function requestedFormat(format = 'json'): (typeof FORMATS)[number] {
  const known = FORMATS.find((candidate) => candidate === format);
  if (known === undefined)
    throw new InvalidInputError([{ path: 'format', message: 'Choose the format json or csv' }]);
  return known;
}

/** The published table of a year, from the counters (one Query), for the CSPs of the area. */
export async function publishedTable(
  data: DataContext,
  area: AreaConfig,
  year: ReportingYear,
): Promise<StatisticsTable> {
  const counters = await readYearCounters(data, area.id, year.label);
  const tallies = new Map([...counters.tallies].filter(([csp]) => isCspOf(area, csp)));
  const signOffs = counters.signOffs.filter((signOff) => isCspOf(area, signOff.csp));
  return statisticsTable(area, year, tallies, signOffs);
}

type StatisticsContext = Pick<CaseContext, 'data' | 'area' | 'clock'>;

/** What was asked, as given: the year's label (the current year without one) and the format. */
export interface StatisticsQuery {
  readonly year?: string | undefined;
  readonly format?: string | undefined;
}

export type PublishedStatistics =
  | { readonly format: 'json'; readonly table: StatisticsTable }
  | {
      readonly format: 'csv';
      readonly table: StatisticsTable;
      readonly csv: string;
      readonly filename: string;
    };

export async function statistics(
  context: StatisticsContext,
  query: StatisticsQuery,
): Promise<PublishedStatistics> {
  const { data, area, clock } = context;
  const year = requestedYear(query.year, area, clock());
  const format = requestedFormat(query.format);
  const table = await publishedTable(data, area, year);
  return format === 'csv'
    ? { format, table, csv: statisticsCsv(table), filename: `community-trigger-${area.id}-${year.label}.csv` }
    : { format, table };
}

export interface StatisticsYears {
  readonly pccArea: string;
  /** The labels of the years with counts. */
  readonly years: readonly string[];
}

export async function statisticsYears(context: Pick<CaseContext, 'data' | 'area'>): Promise<StatisticsYears> {
  const { data, area } = context;
  return { pccArea: area.id, years: await listYears(data, area.id) };
}

/** The area's totals of one year (null in every column when no CSP's row is available). */
export interface YearTotals {
  readonly year: string;
  readonly total: StatisticsTable['total'];
}

export interface StatisticsTrend {
  readonly pccArea: string;
  /** Every year with data, oldest first. */
  readonly years: readonly YearTotals[];
}

/** The statistics page's figures: the table of the year asked, and the trend of every year with data. */
export interface StatisticsOverview {
  readonly table: StatisticsTable;
  readonly trend: StatisticsTrend;
}

/**
 * The table of the year asked (the current year without one) and the totals of every year with data:
 * the year asked (read once, whether or not it has data) beside the list of years (a Query each, at
 * once), then every other year listed at once.
 */
export async function statisticsOverview(
  context: StatisticsContext,
  query: Pick<StatisticsQuery, 'year'>,
): Promise<StatisticsOverview> {
  const { data, area, clock } = context;
  const asked = requestedYear(query.year, area, clock());
  const [table, labels] = await Promise.all([publishedTable(data, area, asked), listYears(data, area.id)]);
  const others = await Promise.all(
    labels
      .filter((label) => label !== asked.label)
      .map((label) => publishedTable(data, area, parseReportingYear(label, area.reportingYear))),
  );
  const byYear = new Map([...others, table].map((read) => [read.year, read]));
  const years = labels.map((label) => byYear.get(label) as StatisticsTable);
  return { table, trend: { pccArea: area.id, years: years.map(({ year, total }) => ({ year, total })) } };
}

export type SignedOffReturn = { readonly pccArea: string; readonly year: string } & Partial<StatisticsRow>;

/** An officer signs off their CSP's return for a reporting year that has ended. */
export async function signOffReturn(
  context: StatisticsContext,
  readBody: RequestBody,
  caller: Caller,
): Promise<SignedOffReturn> {
  const { data, area, clock } = context;
  const officer = requireStaff(caller, ['officer']);
  const csp = officer.csp;
  if (csp === undefined || !isCspOf(area, csp)) {
    throw new NotAllowedError(`Your sign-in is not for a CSP of ${area.name}.`);
  }
  const at = clock();
  const { year } = parseInput(statisticsReturnSchema({ kind: area.reportingYear }), readBody());
  const refusal = returnYearRefusal(year, at);
  if (refusal !== undefined) throw new ConflictError(RETURN_REFUSED[refusal](area, year));
  await storeSignOff(data, {
    pccArea: area.id,
    year: year.label,
    csp,
    at: at.toISOString(),
    by: officer.sub,
  });
  const table = await publishedTable(data, area, year);
  const row = table.rows.find((candidate) => candidate.csp === csp);
  return { pccArea: area.id, year: year.label, ...row };
}

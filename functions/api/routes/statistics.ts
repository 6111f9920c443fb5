// GET /api/statistics, GET /api/statistics/years, POST /api/statistics/returns (contract.md, Statistics).
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { requireStaff } from '#api/authorisation.ts';
import type { ApiContext } from '#api/dependencies.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { queryParameter } from '#api/http/request.ts';
import { readJsonBody } from '#api/http/request-body.ts';
import { csv, json } from '#api/http/responses.ts';
import { parseInput } from '#api/http/validation.ts';
import { statisticsCsv } from '#api/statistics-csv.ts';
import { type AreaConfig, isCspOf } from '#core/area-config.ts';
import { formatUkDate } from '#core/calendar-months.ts';
import { type StatisticsTable, statisticsTable } from '#core/counting.ts';
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
import type { DataContext } from '#data/clients.ts';
import { listYears, readYearCounters, signOffReturn } from '#data/statistics-counters.ts';

const YEAR_EXAMPLE = { financial: '2015-16', calendar: '2015' } as const;

const RETURN_REFUSED: Readonly<Record<ReturnYearRefusal, (area: AreaConfig, year: ReportingYear) => string>> =
  {
    'before-the-scheme': (area) =>
      `There is no return for this year: the ASB case review began in ${reportingYearStarting(area.reportingYear, FIRST_SCHEME_YEAR).label}.`,
    'not-ended': (_area, year) =>
      `The reporting year ${year.label} ends on ${formatUkDate(year.to)}: you can sign off its return once it has ended.`,
  };
const FORMATS = ['json', 'csv'] as const;

function requestedYear(event: APIGatewayProxyEventV2, area: AreaConfig, now: Date): ReportingYear {
  const label = queryParameter(event, 'year');
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

function requestedFormat(event: APIGatewayProxyEventV2): (typeof FORMATS)[number] {
  const format = queryParameter(event, 'format') ?? 'json';
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

export function statisticsRoutes(context: ApiContext): Routes {
  const { data, area, identify, now } = context;
  return {
    'GET /api/statistics': async (event) => {
      const year = requestedYear(event, area, now());
      const format = requestedFormat(event);
      const table = await publishedTable(data, area, year);
      return format === 'csv'
        ? csv(statisticsCsv(table), `community-trigger-${area.id}-${year.label}.csv`)
        : json(200, table, 'public');
    },

    'GET /api/statistics/years': async () =>
      json(200, { pccArea: area.id, years: await listYears(data, area.id) }, 'public'),

    'POST /api/statistics/returns': async (event) => {
      const officer = requireStaff(await identify(event), ['officer']);
      const csp = officer.csp;
      if (csp === undefined || !isCspOf(area, csp)) {
        throw new NotAllowedError(`Your sign-in is not for a CSP of ${area.name}.`);
      }
      const at = now();
      const { year } = parseInput(statisticsReturnSchema({ kind: area.reportingYear }), readJsonBody(event));
      const refusal = returnYearRefusal(year, at);
      if (refusal !== undefined) throw new ConflictError(RETURN_REFUSED[refusal](area, year));
      await signOffReturn(data, {
        pccArea: area.id,
        year: year.label,
        csp,
        at: at.toISOString(),
        by: officer.sub,
      });
      const table = await publishedTable(data, area, year);
      const row = table.rows.find((candidate) => candidate.csp === csp);
      return json(200, { pccArea: area.id, year: year.label, ...row });
    },
  };
}

// `npm run recount -- --year 2015-16`: recounts a reporting year from the cases and compares it with the
// counters the published statistics come from. Prints a table; exits 1 on any difference, 2 on a usage
// or connection error. Talks to the local runtime's DynamoDB (DYNAMODB_ENDPOINT, default
// http://127.0.0.1:8000, tables by their local names) or, with --aws, to AWS (CASES_TABLE and
// STATISTICS_TABLE must name the tables; credentials and region as the AWS SDK finds them). The area is
// the service's: AREA_CONFIG_FILE, else Merseyside.
import { parseArgs } from 'node:util';
import { createDocumentClient } from '#clients/dynamodb.ts';
import { COUNTER_COLUMNS, type CounterColumn } from '#core/counting.ts';
import { type DataContext, tableNamesFrom } from '#data/data-context.ts';
import { type Recount, recountYear } from '#data/statistics-recount.ts';
import { casesTable, statisticsTable } from '#data/table-specs.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';

const HEADINGS: Readonly<Record<CounterColumn, string>> = {
  applicationsReceived: 'Received',
  thresholdNotMet: 'Not met',
  caseReviewsCarriedOut: 'Reviews',
  reviewsWithRecommendations: 'With recs',
  referralsToPcc: 'To PCC',
  withdrawnBeforeEither: 'Withdrawn early',
};

const USAGE = 'Usage: npm run recount -- --year 2015-16 [--endpoint http://127.0.0.1:8000 | --aws]';

function dataContext(aws: boolean, endpoint: string | undefined): DataContext {
  if (aws) return { db: createDocumentClient({}), tables: tableNamesFrom() };
  const env = {
    DYNAMODB_ENDPOINT: endpoint || process.env.DYNAMODB_ENDPOINT || 'http://127.0.0.1:8000',
    CASES_TABLE: process.env.CASES_TABLE || casesTable.localName,
    STATISTICS_TABLE: process.env.STATISTICS_TABLE || statisticsTable.localName,
  };
  // DynamoDB Local answers any credentials and region.
  process.env.AWS_REGION ??= 'eu-west-2';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  return { db: createDocumentClient(env), tables: tableNamesFrom(env) };
}

/** The table: each cell is `counter/recount`, marked `*` where they differ. */
export function formatRecount(recount: Recount): string {
  const header = ['CSP', ...COUNTER_COLUMNS.map((column) => HEADINGS[column])];
  const rows = recount.rows.map((row) => [
    row.csp,
    ...COUNTER_COLUMNS.map(
      (column) =>
        `${row.stored[column]}/${row.recounted[column]}${row.differences.includes(column) ? ' *' : ''}`,
    ),
  ]);
  const widths = header.map((_, index) =>
    Math.max(...[header, ...rows].map((cells) => (cells[index] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `Recount of ${recount.year}: each cell is counter/recount`,
    line(header),
    ...rows.map(line),
    recount.differences === 0
      ? 'The counters equal the recount.'
      : `${recount.differences} difference(s), marked *.`,
  ].join('\n');
}

async function main(): Promise<number> {
  let options: { year?: string; endpoint?: string; aws?: boolean };
  try {
    ({ values: options } = parseArgs({
      options: { year: { type: 'string' }, endpoint: { type: 'string' }, aws: { type: 'boolean' } },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (!options.year) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let ctx: DataContext | undefined;
  try {
    ctx = dataContext(options.aws ?? false, options.endpoint);
    const recount = await recountYear(ctx, areaConfigFromEnv(), options.year);
    process.stdout.write(`${formatRecount(recount)}\n`);
    return recount.differences === 0 ? 0 : 1;
  } catch (error) {
    process.stderr.write(`Could not recount: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    ctx?.db.destroy();
  }
}

if (import.meta.main) process.exitCode = await main();

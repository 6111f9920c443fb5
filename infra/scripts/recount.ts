// `npm run recount -- --year 2015-16`: recounts a reporting year from the cases and compares it with the
// counters the published statistics come from. Prints a table; exits 1 on any difference, 2 on a usage
// or connection error. The tables: see script-data.ts. The area is the service's: AREA_CONFIG_FILE,
// else Merseyside.
import { parseArgs } from 'node:util';
import { COUNTER_COLUMNS, type CounterColumn } from '#core/counting.ts';
import type { DataContext } from '#data/data-context.ts';
import { type Recount, recountYear } from '#data/statistics-recount.ts';
import { checkTablesServe, scriptDataContext } from '#infra/scripts/script-data.ts';
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
    ctx = scriptDataContext(options.aws ?? false, options.endpoint);
    const area = areaConfigFromEnv();
    await checkTablesServe(ctx, area);
    const recount = await recountYear(ctx, area, options.year);
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

// `npm run backfill`: brings every case stored by an earlier version up to what this version writes with
// a case (functions/data/case-backfill.ts): search items, the worklist's listing and lookup key, the
// count of applications withdrawn before either decision. Run it once after deploying this version;
// running it again changes nothing. Prints what it added; exits 2 on a usage or connection error.
// The tables: see script-data.ts. The area is the service's: AREA_CONFIG_FILE, else Merseyside.
import { parseArgs } from 'node:util';
import { type Backfill, backfillCases } from '#data/case-backfill.ts';
import type { DataContext } from '#data/data-context.ts';
import { checkTablesServe, scriptDataContext } from '#infra/scripts/script-data.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';

const USAGE = 'Usage: npm run backfill [-- --endpoint http://127.0.0.1:8000 | --aws]';

export function formatBackfill(backfill: Backfill): string {
  return [
    `Checked ${backfill.cases} case(s); brought ${backfill.changed} up to date.`,
    `Search items added: ${backfill.searchItems}.`,
    `Worklist names and postcodes added: ${backfill.listings}; cases put on their CSP's lists: ${backfill.lookupKeys}.`,
    `Applications withdrawn before either decision counted: ${backfill.withdrawnBeforeEither}.`,
  ].join('\n');
}

async function main(): Promise<number> {
  let options: { endpoint?: string; aws?: boolean };
  try {
    ({ values: options } = parseArgs({
      options: { endpoint: { type: 'string' }, aws: { type: 'boolean' } },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  let ctx: DataContext | undefined;
  try {
    ctx = scriptDataContext(options.aws ?? false, options.endpoint);
    const area = areaConfigFromEnv();
    await checkTablesServe(ctx, area);
    process.stdout.write(`${formatBackfill(await backfillCases(ctx, area))}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`Could not backfill: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    ctx?.db.destroy();
  }
}

if (import.meta.main) process.exitCode = await main();

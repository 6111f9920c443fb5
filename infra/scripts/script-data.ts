// The tables an operator's script (recount, backfill, reconcile) works on: the local runtime's DynamoDB
// (`--endpoint`, else DYNAMODB_ENDPOINT, else DYNAMODB_PORT's, as `npm start` uses them, else
// http://127.0.0.1:8000; the tables named as `npm start` names them, TABLE_PREFIX before each, unless
// CASES_TABLE and STATISTICS_TABLE say otherwise) or, with --aws, AWS (CASES_TABLE and STATISTICS_TABLE
// must name the tables; credentials and region as the AWS SDK finds them). The area is the service's:
// AREA_CONFIG_FILE, else Merseyside, and tables that hold another area's counts are refused.
import { createDocumentClient } from '#clients/dynamodb.ts';
import type { AreaConfig } from '#core/area-config.ts';
import { type DataContext, tableNamesFrom } from '#data/data-context.ts';
import { otherAreasCounted } from '#data/statistics-counters.ts';
import { casesTable, statisticsTable } from '#data/table-specs.ts';

/** The local runtime's DynamoDB and tables, as the settings of a service started by `npm start` find them. */
export function localTables(endpoint?: string): Record<string, string> {
  const { env } = process;
  const prefix = env.TABLE_PREFIX ?? '';
  return {
    DYNAMODB_ENDPOINT: endpoint || env.DYNAMODB_ENDPOINT || `http://127.0.0.1:${env.DYNAMODB_PORT || '8000'}`,
    CASES_TABLE: env.CASES_TABLE || `${prefix}${casesTable.localName}`,
    STATISTICS_TABLE: env.STATISTICS_TABLE || `${prefix}${statisticsTable.localName}`,
  };
}

export function scriptDataContext(aws: boolean, endpoint: string | undefined): DataContext {
  if (aws) return { db: createDocumentClient({}), tables: tableNamesFrom() };
  const env = localTables(endpoint);
  // DynamoDB Local answers any credentials and region.
  process.env.AWS_REGION ??= 'eu-west-2';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  return { db: createDocumentClient(env), tables: tableNamesFrom(env) };
}

/**
 * Refuses tables that hold another area's counts, before a script reads them as this area's (a recount
 * or reconciliation finding nothing) or writes this area's items among them (the backfill).
 */
export async function checkTablesServe(ctx: DataContext, area: AreaConfig): Promise<void> {
  const others = await otherAreasCounted(ctx, area.id);
  if (others.length === 0) return;
  throw new Error(
    `the tables hold the counts of area ${others.map((id) => `'${id}'`).join(', ')}, not of '${area.id}': ` +
      'AREA_CONFIG_FILE must name the file of the area they serve (when it is not set, Merseyside)',
  );
}

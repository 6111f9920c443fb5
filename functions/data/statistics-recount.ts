// Recounting a reporting year from the cases themselves (core/counting.ts) and comparing it with the
// counters the workflow keeps: they must always be equal (contract.md, "Statistics").
import type { AreaConfig } from '#core/area-config.ts';
import type { CaseRecord } from '#core/case-record.ts';
import { caseFactsOf } from '#core/case-transitions.ts';
import {
  COUNTER_COLUMNS,
  type CounterColumn,
  type CounterCounts,
  tallyYear,
  zeroCounters,
} from '#core/counting.ts';
import { parseReportingYear } from '#core/reporting-year.ts';
import { CASE_SK, caseRecordOf } from '#data/case-items.ts';
import type { DataContext } from '#data/data-context.ts';
import { scanAll } from '#data/paginated-reads.ts';
import { readYearCounters } from '#data/statistics-counters.ts';

/** Every case item of one reporting year (a Scan: for checks and tools, never for serving requests). */
async function casesOfYear(ctx: DataContext, year: string): Promise<CaseRecord[]> {
  const items = await scanAll(ctx, {
    TableName: ctx.tables.cases,
    FilterExpression: 'sk = :case AND reportingYear = :year',
    ExpressionAttributeValues: { ':case': CASE_SK, ':year': year },
    ConsistentRead: true,
  });
  return items.map(caseRecordOf);
}

export interface RecountRow {
  readonly csp: string;
  readonly stored: CounterCounts;
  readonly recounted: CounterCounts;
  /** The counters where the two differ. */
  readonly differences: readonly CounterColumn[];
}

export interface Recount {
  readonly year: string;
  /** One row per CSP of the area, in the area's order. */
  readonly rows: readonly RecountRow[];
  readonly differences: number;
}

/** Recounts `year` (a label such as `2015-16`) and compares it with the stored counters. */
export async function recountYear(ctx: DataContext, area: AreaConfig, yearLabel: string): Promise<Recount> {
  const year = parseReportingYear(yearLabel, area.reportingYear);
  const [cases, counters] = await Promise.all([
    casesOfYear(ctx, year.label),
    readYearCounters(ctx, area.id, year.label),
  ]);
  const tallies = tallyYear(cases.map(caseFactsOf), year);
  const rows = area.csps.map((csp): RecountRow => {
    const stored = counters.tallies.get(csp.id)?.counts ?? zeroCounters();
    const recounted = tallies.get(csp.id)?.counts ?? zeroCounters();
    return {
      csp: csp.id,
      stored,
      recounted,
      differences: COUNTER_COLUMNS.filter((column) => stored[column] !== recounted[column]),
    };
  });
  return { year: year.label, rows, differences: rows.reduce((sum, row) => sum + row.differences.length, 0) };
}

import type { ReportingYearKind } from '#core/area-config.ts';
import { InvalidReportingYearError, parseReportingYear, type ReportingYear } from '#core/reporting-year.ts';
import * as z from '#core/schemas/zod.ts';

const EXAMPLE: Record<ReportingYearKind, string> = { financial: '2015-16', calendar: '2015' };

/**
 * `POST /api/statistics/returns`: an officer signs off their CSP's return for a reporting year of the
 * area's kind. Whether that year can have a return yet is not the body's concern but the year's
 * (`returnYearRefusal`, a 409).
 */
export function statisticsReturnSchema(context: { readonly kind: ReportingYearKind }) {
  const { kind } = context;
  const enter = `Enter the reporting year, like ${EXAMPLE[kind]}`;
  return z.strictObject(
    {
      year: z.pipe(
        z.string({ error: enter }).check(z.trim()),
        z.transform((label: string, ctx): ReportingYear => {
          try {
            return parseReportingYear(label, kind);
          } catch (error) {
            if (!(error instanceof InvalidReportingYearError)) throw error;
            ctx.issues.push({ code: 'custom', message: enter, input: label });
            return z.NEVER;
          }
        }),
      ),
    },
    { error: 'Send the return as a JSON object' },
  );
}
export type StatisticsReturn = z.output<ReturnType<typeof statisticsReturnSchema>>;

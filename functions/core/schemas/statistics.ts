import { z } from 'zod';
import type { ReportingYearKind } from '#core/area-config.ts';
import { ukDateOf } from '#core/local-date.ts';
import { InvalidReportingYearError, parseReportingYear, type ReportingYear } from '#core/reporting-year.ts';

const EXAMPLE: Record<ReportingYearKind, string> = { financial: '2015-16', calendar: '2015' };

/**
 * `POST /api/statistics/returns`: an officer signs off their CSP's return for a reporting year of the
 * area's kind. A year that has not started yet has nothing to sign off.
 */
export function statisticsReturnSchema(context: { readonly kind: ReportingYearKind; readonly now: Date }) {
  const { kind, now } = context;
  const enter = `Enter the reporting year, like ${EXAMPLE[kind]}`;
  return z.strictObject(
    {
      year: z
        .string({ error: enter })
        .trim()
        .transform((label, ctx): ReportingYear => {
          try {
            return parseReportingYear(label, kind);
          } catch (error) {
            if (!(error instanceof InvalidReportingYearError)) throw error;
            ctx.addIssue({ code: 'custom', message: enter });
            return z.NEVER;
          }
        })
        .refine((year) => year.from <= ukDateOf(now), {
          error: 'You can only sign off a reporting year that has started',
        }),
    },
    { error: 'Send the return as a JSON object' },
  );
}
export type StatisticsReturn = z.output<ReturnType<typeof statisticsReturnSchema>>;

// /staff/returns: an officer's annual return. The worklist asks which year; this page shows the CSP's
// figures for it as they would be published, whether they are signed off, and the sign-off as a step of
// its own, so that a return is never confirmed with one click from the worklist.

import { cspById } from '#core/area-config.ts';
import { COUNT_COLUMNS, PUBLISHED_HEADINGS } from '#core/counting.ts';
import { ConflictError, InvalidInputError } from '#core/errors.ts';
import { endedReportingYears } from '#core/reporting-year.ts';
import { redirect } from '../http/response.ts';
import { onlyReads, type StaffPage, type StaffPageContext } from '../page-context.ts';
import { type FieldError, pageErrors } from '../render/page-errors.ts';
import { formatDate } from '../render/words.ts';
import { requireStaff, type StaffCaller } from './staff-access.ts';

/** The years an officer may sign off: the latest two that have ended (core/reporting-year.ts). */
export function returnYears(context: StaffPageContext): string[] {
  return endedReportingYears(context.now, context.deps.area.reportingYear, 2).map((year) => year.label);
}

async function showReturn(
  context: StaffPageContext,
  caller: StaffCaller,
  year: string,
  errors: readonly FieldError[] = [],
  status = 200,
) {
  const csp = caller.staff.csp ?? '';
  const years = returnYears(context);
  const chosen = years.includes(year) ? year : undefined;
  const published = chosen ? await context.deps.operations.statistics({ year: chosen }) : undefined;
  const row = published?.table.rows.find((candidate) => candidate.csp === csp);
  return context.view(
    'staff/annual-return.njk',
    {
      title: chosen ? `Annual return for ${chosen}` : 'Annual return',
      backLink: '/staff/cases',
      cspName: cspById(context.deps.area, csp)?.name ?? csp,
      year: chosen,
      years: years.map((value) => ({ value, text: value, selected: value === year })),
      figures:
        row &&
        COUNT_COLUMNS.map((column) => [
          { text: PUBLISHED_HEADINGS[column] },
          { text: String(row[column] ?? 0), format: 'numeric' },
        ]),
      signedOff:
        row?.status === 'confirmed'
          ? {
              at: row.signedOffAt ? formatDate(row.signedOffAt) : undefined,
              changed: row.changedAfterSignOff,
            }
          : undefined,
      ...(errors.length > 0 && { errors: pageErrors(errors) }),
    },
    status,
  );
}

// GET /staff/returns?year=…: the figures of the year chosen, and the sign-off.
export const annualReturnPage: StaffPage = onlyReads(async (context) => {
  const caller = requireStaff(context, ['officer']);
  return showReturn(context, caller, context.request.query.get('year') ?? '');
});

// POST /staff/returns: the officer signs off their CSP's return, then sees it signed off.
export const signOffReturnPage: StaffPage = async (context) => {
  const caller = requireStaff(context, ['officer']);
  const year = context.request.form.get('year') ?? '';
  try {
    await context.deps.operations.signOffReturn(() => ({ year }), caller);
  } catch (error) {
    // A year the operation refuses (a bad label, 400; before the scheme or not ended, 409) is the field's error.
    const refusal =
      error instanceof InvalidInputError
        ? { messages: error.issues.map((issue) => issue.message), status: 400 }
        : error instanceof ConflictError
          ? { messages: [error.message], status: 409 }
          : undefined;
    if (refusal === undefined) throw error;
    const errors = refusal.messages.map((text) => ({ field: 'year', href: '#year', text }));
    return showReturn(context, caller, year, errors, refusal.status);
  }
  return redirect(`/staff/returns?year=${encodeURIComponent(year)}`);
};

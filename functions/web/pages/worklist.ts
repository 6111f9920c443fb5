// /staff/cases: an officer's cases (an agency's shared cases), oldest deadline first, overdue flagged,
// with a stage filter; the officer's annual return sign-off. /pcc/referrals: the PCC office's queue.

import type { Worklist, WorklistItem } from '#cases/worklist.ts';
import { cspById } from '#core/area-config.ts';
import { ConflictError, InvalidInputError } from '#core/errors.ts';
import { endedReportingYears } from '#core/reporting-year.ts';
import { CASE_STAGES, type CaseStage, isCaseStage } from '#core/stages.ts';
import { redirect } from '../http/response.ts';
import type { Page, PageContext } from '../page-context.ts';
import { pageErrors } from '../render/page-errors.ts';
import { formatDate, STAGE_NAME, STAGE_TAG_CLASS } from '../render/words.ts';
import { requireStaff, type StaffCaller } from './staff-access.ts';

function rows(context: PageContext, items: readonly WorklistItem[], link: (reference: string) => string) {
  const cspName = (id: string) => cspById(context.deps.area, id)?.name ?? id;
  return items.map((item) => ({
    reference: item.reference,
    href: link(item.reference),
    csp: cspName(item.csp),
    stage: STAGE_NAME[item.stage],
    stageClass: STAGE_TAG_CLASS[item.stage],
    received: formatDate(item.receivedAt),
    deadline: item.nextDeadline ? formatDate(item.nextDeadline) : 'None',
    overdue: item.overdue,
    needsAttention: item.needsAttention,
  }));
}

function stageFilter(context: PageContext): CaseStage | undefined {
  const stage = context.request.query.get('stage') ?? '';
  return isCaseStage(stage) ? stage : undefined;
}

/** The page of cases the address asks for, or undefined when its cursor is out of date or made up. */
async function casesAsked(context: PageContext, caller: StaffCaller): Promise<Worklist | undefined> {
  const stage = stageFilter(context);
  const cursor = context.request.query.get('cursor') ?? undefined;
  try {
    return await context.deps.operations.listCases(caller, { stage, cursor });
  } catch (error) {
    if (error instanceof InvalidInputError && cursor) return undefined;
    throw error;
  }
}

/** The first page of the same list. */
function firstPage(context: PageContext): string {
  const stage = stageFilter(context);
  return `${context.request.path}${stage ? `?stage=${stage}` : ''}`;
}

function pageLinks(context: PageContext, next: string | null) {
  const query = new URLSearchParams();
  const stage = stageFilter(context);
  if (stage) query.set('stage', stage);
  const first = `${context.request.path}${query.size > 0 ? `?${query}` : ''}`;
  if (next) query.set('cursor', next);
  return {
    nextHref: next ? `${context.request.path}?${query}` : undefined,
    firstHref: context.request.query.has('cursor') ? first : undefined,
  };
}

/** The years an officer may sign off: the latest two that have ended (core/reporting-year.ts). */
function returnYears(context: PageContext) {
  return endedReportingYears(context.now, context.deps.area.reportingYear, 2).map((year) => year.label);
}

// GET /staff/cases
export const worklistPage: Page = async (context) => {
  const caller = requireStaff(context, ['officer', 'agency', 'pcc']);
  if (caller.staff.role === 'pcc') return redirect('/pcc/referrals', 302);
  return showWorklist(context, caller);
};

async function showWorklist(
  context: PageContext,
  caller: StaffCaller,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const { staff } = caller;
  const stage = stageFilter(context);
  const list = await casesAsked(context, caller);
  if (!list) return redirect(firstPage(context), 302);
  const signedOff = context.request.query.get('signedOff');
  return context.view(
    'staff/worklist.njk',
    {
      title: staff.role === 'agency' ? 'Cases shared with your agency' : 'Cases',
      cspName: cspById(context.deps.area, staff.csp ?? '')?.name,
      isOfficer: staff.role === 'officer',
      cases: rows(context, list.cases, (reference) => `/staff/cases/${encodeURIComponent(reference)}`),
      stageItems: [
        { value: '', text: 'All stages' },
        ...CASE_STAGES.map((value) => ({ value, text: STAGE_NAME[value], selected: value === stage })),
      ],
      filtered: stage !== undefined,
      ...pageLinks(context, list.next),
      years: returnYears(context).map((value) => ({ value, text: value })),
      signedOff: signedOff && returnYears(context).includes(signedOff) ? signedOff : undefined,
      ...extra,
    },
    status,
  );
}

// POST /staff/returns: an officer signs off their CSP's annual return.
export const signOffReturnPage: Page = async (context) => {
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
    const errors = pageErrors(refusal.messages.map((text) => ({ field: 'year', href: '#year', text })));
    return showWorklist(context, caller, { errors }, refusal.status);
  }
  return redirect(`/staff/cases?signedOff=${encodeURIComponent(year)}`);
};

// GET /pcc/referrals
export const referralsPage: Page = async (context) => {
  const caller = requireStaff(context, ['pcc']);
  const stage = stageFilter(context);
  const list = await casesAsked(context, caller);
  if (!list) return redirect(firstPage(context), 302);
  const stages: readonly CaseStage[] = ['awaiting-pcc-decision', 'awaiting-review', 'closed'];
  return context.view('pcc/referrals.njk', {
    title: 'Referrals to the Police and Crime Commissioner’s office',
    cases: rows(context, list.cases, (reference) => `/pcc/referrals/${encodeURIComponent(reference)}`),
    stageItems: [
      { value: '', text: 'All referrals' },
      ...stages.map((value) => ({ value, text: STAGE_NAME[value], selected: value === stage })),
    ],
    filtered: stage !== undefined,
    ...pageLinks(context, list.next),
  });
};

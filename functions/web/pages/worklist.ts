// /staff/cases: an officer's cases (their own first, the unassigned ones beside them, or all the CSP's),
// an agency's shared cases, oldest deadline first, overdue flagged, upcoming review meetings given, with filters (stage, overdue, agency
// asked) and a search by reference, name or postcode that is posted, so that no name or postcode sits in
// an address; the year of the annual return to check (annual-return.ts). /pcc/referrals: the PCC
// office's queue, by CSP and stage.

import type { Worklist, WorklistItem, WorklistQuery } from '#cases/worklist.ts';
import { AGENCY_LABELS } from '#core/agency-names.ts';
import { cspById } from '#core/area-config.ts';
import { meetingTime } from '#core/case-review-wording.ts';
import { InvalidInputError } from '#core/errors.ts';
import { AGENCIES } from '#core/schemas.ts';
import { CASE_STAGES, type CaseStage, isCaseStage } from '#core/stages.ts';
import { redirect } from '../http/response.ts';
import { onlyReads, type StaffPage, type StaffPageContext } from '../page-context.ts';
import { pageErrors } from '../render/page-errors.ts';
import { CHANNEL_NAME, formatDate, NEXT_STEP, nameOf, STAGE_NAME, STAGE_TAG_CLASS } from '../render/words.ts';
import { returnYears } from './annual-return.ts';
import { requireStaff, type StaffCaller } from './staff-access.ts';

/** How many unassigned cases the officer's own view shows beside their cases. */
const UNASSIGNED_BESIDE = 10;

function rows(
  context: StaffPageContext,
  caller: StaffCaller,
  items: readonly WorklistItem[],
  link: (reference: string) => string,
) {
  const cspName = (id: string) => cspById(context.deps.area, id)?.name ?? id;
  return items.map((item) => ({
    reference: item.reference,
    href: link(item.reference),
    csp: cspName(item.csp),
    applicant: item.applicantName ?? 'Not shown',
    postcode: item.postcode ?? '',
    channel: nameOf(CHANNEL_NAME, item.channel),
    stage: STAGE_NAME[item.stage],
    stageClass: STAGE_TAG_CLASS[item.stage],
    nextStep: NEXT_STEP[item.stage],
    meeting: item.upcomingMeeting && meetingTime(item.upcomingMeeting),
    replyBy: item.replyBy && formatDate(item.replyBy),
    actionDueBy: item.actionDueBy && formatDate(item.actionDueBy),
    received: formatDate(item.receivedAt),
    deadline: item.nextDeadline ? formatDate(item.nextDeadline) : 'None',
    overdue: item.overdue,
    needsAttention: item.needsAttention,
    assignedTo:
      item.assignedTo === null
        ? 'Nobody'
        : item.assignedTo.sub === caller.staff.sub
          ? 'You'
          : item.assignedTo.name,
  }));
}

type View = 'mine' | 'unassigned' | 'all';

/** The filters the address asks for, as far as they are known; anything else is left out. */
function filtersOf(context: StaffPageContext, caller: StaffCaller) {
  const query = context.request.query;
  const stage = query.get('stage') ?? '';
  const asked = query.get('asked') ?? '';
  const csp = query.get('csp') ?? '';
  const view = query.get('view') ?? '';
  const officer = caller.staff.role === 'officer';
  const defaultView: View = officer ? 'mine' : 'all';
  return {
    defaultView,
    stage: isCaseStage(stage) ? stage : undefined,
    overdue: query.get('overdue') === 'true',
    asked: officer && AGENCIES.some((agency) => agency === asked) ? asked : undefined,
    csp: caller.staff.role === 'pcc' && cspById(context.deps.area, csp) ? csp : undefined,
    view: (officer && (view === 'unassigned' || view === 'all') ? view : defaultView) as View,
  };
}

type Filters = ReturnType<typeof filtersOf>;

/** The address of the list with these filters (the default view left out). */
function listHref(path: string, filters: Filters, cursor?: string): string {
  const query = new URLSearchParams();
  if (filters.view !== filters.defaultView) query.set('view', filters.view);
  if (filters.stage) query.set('stage', filters.stage);
  if (filters.overdue) query.set('overdue', 'true');
  if (filters.asked) query.set('asked', filters.asked);
  if (filters.csp) query.set('csp', filters.csp);
  if (cursor) query.set('cursor', cursor);
  return `${path}${query.size > 0 ? `?${query}` : ''}`;
}

function worklistQuery(filters: Filters, assigned: 'me' | 'unassigned' | undefined): WorklistQuery {
  return {
    stage: filters.stage,
    overdue: filters.overdue ? 'true' : undefined,
    asked: filters.asked,
    csp: filters.csp,
    assigned,
  };
}

/** The page of cases the address asks for, or undefined when its cursor is out of date or made up. */
async function casesAsked(
  context: StaffPageContext,
  caller: StaffCaller,
  query: WorklistQuery,
): Promise<Worklist | undefined> {
  const cursor = context.request.query.get('cursor') ?? undefined;
  try {
    return await context.deps.operations.listCases(caller, { ...query, cursor });
  } catch (error) {
    if (error instanceof InvalidInputError && cursor) return undefined;
    throw error;
  }
}

function pageLinks(context: StaffPageContext, filters: Filters, next: string | null) {
  const path = context.request.path;
  return {
    nextHref: next ? listHref(path, filters, next) : undefined,
    firstHref: context.request.query.has('cursor') ? listHref(path, filters) : undefined,
  };
}

const caseHref = (reference: string) => `/staff/cases/${encodeURIComponent(reference)}`;

/** The filter form's choices, each marked as the list has it. */
function filterModel(
  context: StaffPageContext,
  caller: StaffCaller,
  filters: Filters,
  stages: readonly CaseStage[],
) {
  return {
    view: filters.view,
    stageItems: [
      { value: '', text: 'All stages' },
      ...stages.map((value) => ({ value, text: STAGE_NAME[value], selected: value === filters.stage })),
    ],
    overdue: filters.overdue,
    askedItems:
      caller.staff.role === 'officer'
        ? [
            { value: '', text: 'Any or none' },
            ...AGENCIES.map((value) => ({
              value,
              text: AGENCY_LABELS[value],
              selected: value === filters.asked,
            })),
          ]
        : undefined,
    cspItems:
      caller.staff.role === 'pcc'
        ? [
            { value: '', text: 'All areas' },
            ...context.deps.area.csps.map((csp) => ({
              value: csp.id,
              text: csp.name,
              selected: csp.id === filters.csp,
            })),
          ]
        : undefined,
    filtered: Boolean(filters.stage || filters.overdue || filters.asked || filters.csp),
    viewLinks:
      caller.staff.role === 'officer'
        ? (
            [
              ['mine', 'Your cases'],
              ['unassigned', 'Unassigned'],
              ['all', 'All cases'],
            ] as const
          ).map(([view, text]) => ({
            text,
            href: listHref('/staff/cases', { ...filters, view }),
            current: view === filters.view,
          }))
        : undefined,
  };
}

// GET /staff/cases
export const worklistPage: StaffPage = onlyReads(async (context) => {
  const caller = requireStaff(context, ['officer', 'agency', 'pcc']);
  if (caller.staff.role === 'pcc') return redirect('/pcc/referrals', 302);
  return showWorklist(context, caller);
});

const CAPTIONS: Readonly<Record<View, string>> = {
  mine: 'Your cases, oldest deadline first',
  unassigned: 'Unassigned cases, oldest deadline first',
  all: 'Cases, oldest deadline first',
};

async function showWorklist(context: StaffPageContext, caller: StaffCaller) {
  const { staff } = caller;
  const filters = filtersOf(context, caller);
  const officer = staff.role === 'officer';
  const assigned = !officer
    ? undefined
    : filters.view === 'mine'
      ? 'me'
      : filters.view === 'unassigned'
        ? 'unassigned'
        : undefined;
  const query = worklistQuery(filters, assigned);
  // The officer's own cases come with the first unassigned ones beside them, so a new case is never out of sight.
  const [list, unassigned] = await Promise.all([
    casesAsked(context, caller, query),
    filters.view === 'mine'
      ? context.deps.operations.listCases(caller, {
          ...worklistQuery(filters, 'unassigned'),
          limit: String(UNASSIGNED_BESIDE),
        })
      : undefined,
  ]);
  if (!list) return redirect(listHref(context.request.path, filters), 302);
  const caption =
    filters.view === 'all' && staff.role === 'agency'
      ? 'Shared cases, oldest deadline first'
      : CAPTIONS[filters.view];
  return context.view('staff/worklist.njk', {
    title: staff.role === 'agency' ? 'Cases shared with your agency' : 'Cases',
    cspName: cspById(context.deps.area, staff.csp ?? '')?.name,
    isOfficer: officer,
    cases: rows(context, caller, list.cases, caseHref),
    caption:
      filters.stage || filters.overdue || filters.asked
        ? `Filtered: ${caption.charAt(0).toLowerCase()}${caption.slice(1)}`
        : caption,
    unassigned: unassigned && {
      cases: rows(context, caller, unassigned.cases, caseHref),
      moreHref: unassigned.next ? listHref('/staff/cases', { ...filters, view: 'unassigned' }) : undefined,
    },
    filters: filterModel(context, caller, filters, CASE_STAGES),
    ...pageLinks(context, filters, list.next),
    years: returnYears(context).map((value) => ({ value, text: value })),
  });
}

// POST /staff/cases/search: the search is posted, so that the name or postcode searched for is never in an address.
export const searchCasesPage: StaffPage = async (context) => {
  const caller = requireStaff(context, ['officer', 'agency', 'pcc']);
  const q = (context.request.form.get('q') ?? '').trim();
  const base = caller.staff.role === 'pcc' ? '/pcc/referrals' : '/staff/cases';
  let found: Worklist;
  try {
    found = await context.deps.operations.searchCases(caller, () => ({ q }));
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const errors = pageErrors(error.issues.map((issue) => ({ field: 'q', href: '#q', text: issue.message })));
    return context.view('staff/search.njk', { title: 'Search for a case', base, q, errors }, 400);
  }
  return context.view('staff/search.njk', {
    title: 'Search results',
    base,
    q,
    count: found.cases.length,
    cases: rows(context, caller, found.cases, (reference) => `${base}/${encodeURIComponent(reference)}`),
    showCsp: caller.staff.role === 'pcc',
  });
};

// GET /pcc/referrals
export const referralsPage: StaffPage = onlyReads(async (context) => {
  const caller = requireStaff(context, ['pcc']);
  const filters = filtersOf(context, caller);
  const list = await casesAsked(context, caller, worklistQuery(filters, undefined));
  if (!list) return redirect(listHref(context.request.path, filters), 302);
  const stages: readonly CaseStage[] = ['awaiting-pcc-decision', 'awaiting-review', 'closed'];
  return context.view('pcc/referrals.njk', {
    title: 'Referrals to the Police and Crime Commissioner’s office',
    cases: rows(
      context,
      caller,
      list.cases,
      (reference) => `/pcc/referrals/${encodeURIComponent(reference)}`,
    ),
    filters: filterModel(context, caller, filters, stages),
    ...pageLinks(context, filters, list.next),
  });
});

// The resident's application, one question per page (/apply; an officer enters one on a single screen,
// staff-apply.ts). Answers are kept in a server-side draft
// found through a cookie; nothing personal goes into a URL. Sending runs the case operations' submission with
// an idempotency key made with the draft, so sending twice (a double click, a refresh, a second tab)
// creates one case.

import type { Caller } from '#cases/caller.ts';
import { cspById, cspReferencePrefix } from '#core/area-config.ts';
import { teamContact } from '#core/case-review.ts';
import { AlreadySubmittedError, InvalidInputError, StillProcessingError } from '#core/errors.ts';
import { MAX_OTHER_REPORTS } from '#core/schemas/application.ts';
import { DraftChangedError } from '#data/draft-repository.ts';
import { applicationBody } from '../apply/application-body.ts';
import type { Block } from '../apply/blocks.ts';
import { buildCheckAnswers, otherReportRows } from '../apply/check-answers.ts';
import { boxesOf } from '../apply/date-input.ts';
import { type Answers, DRAFT_HOURS, type Draft, newDraft } from '../apply/draft.ts';
import {
  OTHER_REPORT_FIELDS,
  type OtherReportPage,
  otherReportAnswers,
  otherReportFrom,
  otherReportPage,
  otherReportPath,
  otherReportsOf,
  otherReportsPath,
  reportedElsewhere,
  withOtherReports,
} from '../apply/other-reports.ts';
import {
  checkPeople,
  formOf,
  maxPeople,
  type PeopleKind,
  readPeople,
  withPeople,
  withPersonAdded,
} from '../apply/people.ts';
import {
  INCIDENT_FIELDS,
  INCIDENTS_STEP,
  incidentNumber,
  type Step,
  type StepField,
  stepAfter,
  stepById,
  stepsFor,
} from '../apply/steps.ts';
import { titleOf } from '../apply/titles.ts';
import {
  type ApplyContext,
  checkIncident,
  checkOtherReport,
  checkStep,
  firstIncompleteStep,
  readPage,
} from '../apply/validate.ts';
import { hostCookie } from '../http/cookies.ts';
import { type PageResponse, redirect } from '../http/response.ts';
import type { Page, PageContext } from '../page-context.ts';
import { deadlineTable } from '../render/area-words.ts';
import { contactRows } from '../render/contact-rows.ts';
import { howItems } from '../render/involvement.ts';
import { type FieldError, pageErrors } from '../render/page-errors.ts';
import { COOKIES } from '../session/cookie-names.ts';
import { seal, unseal } from '../session/sealed.ts';
import { caseWithUploadSection, fileList, grantUploads, withUploadTargets } from './evidence.ts';

const MAX_INCIDENTS = 50;
const ACCESS_CODE_PURPOSE = 'draft access code';

interface Journey {
  /** The journey's address. */
  readonly base: string;
  /** Who sends it: anyone, online. */
  readonly caller: Caller;
}

const RESIDENT: Journey = { base: '/apply', caller: { kind: 'anonymous' } };

function applyContext(context: PageContext): ApplyContext {
  return { now: context.now, cspIds: context.deps.area.csps.map((csp) => csp.id) };
}

/** The draft this browser is filling in, if any. */
async function currentDraft(context: PageContext): Promise<Draft | undefined> {
  const id = context.request.cookies.get(COOKIES.draft);
  if (!id) return undefined;
  const draft = await context.deps.drafts.get(id);
  return draft?.mode === 'resident' ? draft : undefined;
}

function startDraft(): Draft {
  return newDraft('resident');
}

/** Saves a change to the draft, re-reading and re-applying it if another tab saved in between. */
async function saveChange(
  context: PageContext,
  _journey: Journey,
  draft: Draft,
  change: (draft: Draft) => Draft,
): Promise<Draft> {
  let current = draft;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const saved = await context.deps.drafts.save(change(current));
      // Each save keeps the draft (and so its cookie) for another DRAFT_HOURS.
      context.cookies.push(
        hostCookie(COOKIES.draft, saved.id, { sameSite: 'Lax', maxAge: DRAFT_HOURS * 3600 }),
      );
      return saved;
    } catch (error) {
      if (!(error instanceof DraftChangedError) || attempt >= 2) throw error;
      current = (await currentDraft(context)) ?? startDraft();
    }
  }
}

/** Redirects to a page of the journey; '' is the journey's start, which finds the right page. */
function goTo(journey: Journey, page: string): PageResponse {
  return redirect(page ? `${journey.base}/${page}` : journey.base);
}

/** Where to go after a page is saved: onwards, or back to "check your answers" once it was reached. */
function nextAfter(journey: Journey, draft: Draft, stepId: string, context: PageContext): PageResponse {
  if (draft.reachedCheck) return goTo(journey, firstIncompleteStep(draft, applyContext(context)) ?? 'check');
  return goTo(journey, stepAfter(draft, stepId));
}

function stepBefore(draft: Pick<Draft, 'mode' | 'answers' | 'incidents'>, page: string): string | undefined {
  const other = otherReportPage(page);
  if (other) {
    const reports = otherReportsOf(draft.incidents[other.incident - 1] ?? {});
    if (other.kind === 'list' || reports.length === 0) return `incident-${other.incident}`;
    return otherReportsPath(other.incident);
  }
  const steps = stepsFor(draft).map((step) => step.id);
  if (page === 'check') return steps.at(-1);
  if (page.startsWith('incident-') || page.startsWith('remove-incident-')) {
    return draft.incidents.length > 0 ? 'incidents' : steps[steps.indexOf('incidents') - 1];
  }
  const index = steps.indexOf(page);
  const previous = steps[index - 1];
  if (previous === 'incidents' && draft.incidents.length === 0) return 'incident-1';
  return previous;
}

function cspItems(context: PageContext, selected: string) {
  return context.deps.area.csps.map((csp) => ({
    value: csp.id,
    text: csp.name,
    checked: csp.id === selected,
  }));
}

function valuesOf(fields: readonly StepField[], answers: Answers): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    const answer = answers[field.name];
    values[field.name] =
      field.kind === 'date' ? boxesOf(typeof answer === 'string' ? answer : undefined) : answer;
  }
  return values;
}

interface StepView {
  readonly page: string;
  readonly template: string;
  readonly values: Record<string, unknown>;
  readonly errors?: readonly FieldError[];
  readonly dateErrorParts?: Record<string, readonly string[]>;
  readonly extra?: Record<string, unknown>;
  /** The page's title, when its address does not name it (`incident-2-other-1`). */
  readonly titleKey?: string;
}

function showPage(
  context: PageContext,
  journey: Journey,
  draft: Draft | undefined,
  view: StepView,
  status = 200,
) {
  const scratch = draft ?? startDraft();
  const before = stepBefore(scratch, view.page);
  const titleKey = view.titleKey ?? view.page.replace(/-\d+$/, '');
  return context.view(
    `apply/${view.template}.njk`,
    {
      title: titleOf(titleKey, scratch.answers.forSomeoneElse === 'yes'),
      base: journey.base,
      action: `${journey.base}/${view.page}`,
      backLink: before ? `${journey.base}/${before}` : '/',
      values: view.values,
      errors: view.errors && pageErrors(view.errors),
      dateErrorParts: view.dateErrorParts ?? {},
      cspItems: cspItems(context, String(view.values.csp ?? '')),
      howItems: howItems('resident', String(view.values.involvement ?? '')),
      ...view.extra,
    },
    status,
  );
}

// GET /apply: carry on where the draft left off.
export const applyStartPage: Page = async (context) => {
  const journey = RESIDENT;
  const draft = await currentDraft(context);
  if (!draft) return goTo(journey, stepsFor(startDraft())[0]?.id ?? 'victim');
  if (draft.submitted) return goTo(journey, 'confirmation');
  return goTo(journey, firstIncompleteStep(draft, applyContext(context)) ?? 'check');
};

// GET /apply/{step}
export const applyStepPage: Page = async (context) => {
  const journey = RESIDENT;
  const page = context.request.params.step ?? '';
  const draft = await currentDraft(context);
  if (draft?.submitted && page !== 'confirmation') return goTo(journey, 'confirmation');
  if (page === 'confirmation') return confirmationPage(context, journey, draft);
  if (page === 'check') return checkPage(context, journey, draft);

  const other = otherReportPage(page);
  if (other) return showOtherReportPage(context, journey, draft, page, other);
  const incident = incidentNumber(page, 'incident');
  if (incident !== undefined) {
    if (!draft && incident !== 1) return goTo(journey, '');
    const incidents = draft?.incidents ?? [];
    if (incident > Math.min(incidents.length + 1, MAX_INCIDENTS)) return goTo(journey, 'incidents');
    return showPage(
      context,
      journey,
      draft,
      incidentView(page, valuesOf(INCIDENT_FIELDS, incidents[incident - 1] ?? {})),
    );
  }
  const removing = incidentNumber(page, 'remove-incident');
  if (removing !== undefined) {
    if (!draft || removing > draft.incidents.length) return goTo(journey, 'incidents');
    return showPage(context, journey, draft, {
      page,
      template: 'remove-incident',
      values: {},
      extra: { number: removing },
    });
  }
  const step = stepById(page);
  const scratch = draft ?? startDraft();
  if (!step?.applies(scratch)) return goTo(journey, '');
  if (step.id === 'incidents') {
    if (scratch.incidents.length === 0) return goTo(journey, 'incident-1');
    return showPage(context, journey, draft, incidentsView(context, journey, scratch, {}));
  }
  const kind = PEOPLE_STEPS[step.id];
  if (kind)
    return showPage(
      context,
      journey,
      draft,
      peopleView(step, kind, readPeople(formOf(scratch.answers), kind)),
    );
  return showPage(context, journey, draft, {
    page,
    template: step.id,
    values: valuesOf(step.fields, scratch.answers),
  });
};

/** The pages that ask for people, each repeating one kind of block (people.ts). */
const PEOPLE_STEPS: Readonly<Record<string, PeopleKind>> = { involved: 'involved', witnesses: 'witness' };

function peopleView(step: Step, kind: PeopleKind, blocks: readonly Block[], errors?: FieldError[]): StepView {
  return {
    page: step.id,
    template: step.id,
    values: {},
    ...(errors && { errors }),
    extra: { blocks, max: maxPeople(kind) },
  };
}

/** Saves a page of people, or shows it again with one more block when its "Add another" button was used. */
async function savePeople(
  context: PageContext,
  journey: Journey,
  draft: Draft,
  step: Step,
  kind: PeopleKind,
  form: URLSearchParams,
) {
  if (form.get('add') === kind) {
    return showPage(
      context,
      journey,
      draft,
      peopleView(step, kind, readPeople(withPersonAdded(form, kind), kind)),
    );
  }
  const blocks = readPeople(form, kind);
  const errors = checkPeople(blocks, kind, draft, applyContext(context));
  if (errors.length > 0)
    return showPage(context, journey, draft, peopleView(step, kind, blocks, errors), 400);
  const saved = await saveChange(context, journey, draft, (current) => ({
    ...current,
    answers: withPeople(current.answers, blocks, kind),
  }));
  return nextAfter(journey, saved, step.id, context);
}

function incidentView(page: string, values: Record<string, unknown>, errors?: FieldError[]): StepView {
  return {
    page,
    template: 'incident',
    values,
    ...(errors && { errors }),
    extra: { number: Number(page.slice('incident-'.length)) },
  };
}

function incidentsView(
  context: PageContext,
  journey: Journey,
  draft: Draft,
  values: Record<string, unknown>,
  errors?: FieldError[],
): StepView {
  return {
    page: 'incidents',
    template: 'incidents',
    values,
    ...(errors && { errors }),
    extra: {
      summary: buildCheckAnswers(context.deps.area, journey.base, draft).incidents,
      count: draft.incidents.length,
      canAddMore: draft.incidents.length < MAX_INCIDENTS,
    },
  };
}

// POST /apply/{step}
export const applySavePage: Page = async (context) => {
  const journey = RESIDENT;
  const page = context.request.params.step ?? '';
  const draft = await currentDraft(context);
  if (page === 'new') return startAgain(context, journey, draft);
  // Several files at once from the confirmation page's script, as the application's applicant.
  if (page === 'files') {
    const accessCode = draft?.submitted && sentAccessCode(context, draft.submitted);
    if (!draft?.submitted || accessCode === undefined) return goTo(journey, '');
    return grantUploads(context, draft.submitted.reference, { kind: 'applicant', accessCode });
  }
  if (draft?.submitted) return goTo(journey, 'confirmation');
  if (page === 'check') return send(context, journey, draft);

  const form = context.request.form;
  const other = otherReportPage(page);
  if (other) return saveOtherReportPage(context, journey, draft, page, other, form);
  const incident = incidentNumber(page, 'incident');
  if (incident !== undefined) return saveIncident(context, journey, draft, page, incident, form);
  const removing = incidentNumber(page, 'remove-incident');
  if (removing !== undefined) return removeIncident(context, journey, draft, page, removing, form);

  const step = stepById(page);
  const scratch = draft ?? startDraft();
  if (!step?.applies(scratch)) return goTo(journey, '');
  if (step.id === 'incidents') return saveIncidentsAnswer(context, journey, scratch, form);
  const kind = PEOPLE_STEPS[step.id];
  if (kind) return savePeople(context, journey, scratch, step, kind, form);
  return saveStep(context, journey, scratch, step, form);
};

async function saveStep(
  context: PageContext,
  journey: Journey,
  draft: Draft,
  step: Step,
  form: URLSearchParams,
) {
  const read = readPage(step.fields, form);
  const errors = checkStep(step, read, draft, applyContext(context));
  if (errors.length > 0) {
    const view = {
      page: step.id,
      template: step.id,
      values: read.values,
      errors,
      dateErrorParts: read.dateErrorParts,
    };
    return showPage(context, journey, draft, view, 400);
  }
  const saved = await saveChange(context, journey, draft, (current) => ({
    ...current,
    answers: { ...current.answers, ...read.answers },
  }));
  return nextAfter(journey, saved, step.id, context);
}

async function saveIncident(
  context: PageContext,
  journey: Journey,
  draft: Draft | undefined,
  page: string,
  number: number,
  form: URLSearchParams,
) {
  const scratch = draft ?? startDraft();
  if (number > Math.min(scratch.incidents.length + 1, MAX_INCIDENTS)) return goTo(journey, 'incidents');
  const read = readPage(INCIDENT_FIELDS, form);
  const errors = checkIncident(read, scratch, applyContext(context));
  if (errors.length > 0) {
    const view = { ...incidentView(page, read.values, errors), dateErrorParts: read.dateErrorParts };
    return showPage(context, journey, draft, view, 400);
  }
  const saved = await saveChange(context, journey, scratch, (current) => {
    const incidents = [...current.incidents];
    const at = Math.min(number - 1, incidents.length);
    // The other reports have pages of their own: kept while the answer says there are some.
    const others = reportedElsewhere(read.answers) ? otherReportsOf(incidents[at] ?? {}) : [];
    incidents[at] = withOtherReports(read.answers, others);
    return { ...current, incidents };
  });
  const savedNumber = Math.min(number, saved.incidents.length);
  const savedIncident = saved.incidents[savedNumber - 1] ?? {};
  if (reportedElsewhere(savedIncident)) {
    return goTo(
      journey,
      otherReportsOf(savedIncident).length > 0
        ? otherReportsPath(savedNumber)
        : otherReportPath(savedNumber, 1),
    );
  }
  return afterIncident(context, journey, saved);
}

/** Onwards from an incident and its other reports: the list of incidents, or "check your answers". */
function afterIncident(context: PageContext, journey: Journey, draft: Draft): PageResponse {
  if (draft.reachedCheck) return nextAfter(journey, draft, 'incidents', context);
  return goTo(journey, 'incidents');
}

function otherReportView(
  page: string,
  incidentNumber: number,
  values: Record<string, unknown>,
  errors?: FieldError[],
): StepView {
  return {
    page,
    template: 'other-report',
    titleKey: 'incident-other',
    values,
    ...(errors && { errors }),
    extra: { number: incidentNumber },
  };
}

function otherReportsView(
  journey: Journey,
  draft: Draft,
  page: string,
  incidentNumber: number,
  errors?: FieldError[],
): StepView {
  const incident = draft.incidents[incidentNumber - 1] ?? {};
  const count = otherReportsOf(incident).length;
  return {
    page,
    template: 'other-reports',
    titleKey: 'incident-other-reports',
    values: {},
    ...(errors && { errors }),
    extra: {
      number: incidentNumber,
      rows: otherReportRows(journey.base, incident, incidentNumber),
      count,
      canAddMore: count < MAX_OTHER_REPORTS,
    },
  };
}

// GET /apply/incident-{n}-other-{m}, -other-reports and -remove-other-{m}
function showOtherReportPage(
  context: PageContext,
  journey: Journey,
  draft: Draft | undefined,
  page: string,
  other: OtherReportPage,
) {
  const incident = draft?.incidents[other.incident - 1];
  if (!draft || !incident) return goTo(journey, 'incidents');
  const reports = otherReportsOf(incident);
  switch (other.kind) {
    case 'report':
      if (other.report > Math.min(reports.length + 1, MAX_OTHER_REPORTS)) {
        return goTo(journey, otherReportsPath(other.incident));
      }
      return showPage(
        context,
        journey,
        draft,
        otherReportView(
          page,
          other.incident,
          valuesOf(OTHER_REPORT_FIELDS, otherReportAnswers(reports[other.report - 1])),
        ),
      );
    case 'list':
      if (reports.length === 0) return goTo(journey, otherReportPath(other.incident, 1));
      return showPage(context, journey, draft, otherReportsView(journey, draft, page, other.incident));
    case 'remove':
      if (other.report > reports.length) return goTo(journey, otherReportsPath(other.incident));
      return showPage(context, journey, draft, {
        page,
        template: 'remove-other-report',
        titleKey: 'incident-remove-other',
        values: {},
        extra: { number: other.incident },
      });
  }
}

// POST /apply/incident-{n}-other-{m}, -other-reports and -remove-other-{m}
async function saveOtherReportPage(
  context: PageContext,
  journey: Journey,
  draft: Draft | undefined,
  page: string,
  other: OtherReportPage,
  form: URLSearchParams,
) {
  const incident = draft?.incidents[other.incident - 1];
  if (!draft || !incident) return goTo(journey, 'incidents');
  const reports = otherReportsOf(incident);
  const changeReports = (change: (reports: ReturnType<typeof otherReportsOf>) => void) =>
    saveChange(context, journey, draft, (current) => {
      const incidents = [...current.incidents];
      const own = incidents[other.incident - 1] ?? {};
      const changed = otherReportsOf(own);
      change(changed);
      incidents[other.incident - 1] = {
        ...withOtherReports(own, changed),
        reportedElsewhere: changed.length > 0 ? 'yes' : 'no',
      };
      return { ...current, incidents };
    });
  switch (other.kind) {
    case 'report': {
      if (other.report > Math.min(reports.length + 1, MAX_OTHER_REPORTS)) {
        return goTo(journey, otherReportsPath(other.incident));
      }
      const read = readPage(OTHER_REPORT_FIELDS, form);
      const errors = checkOtherReport(read, draft, incident, other.report - 1, applyContext(context));
      if (errors.length > 0) {
        const view = {
          ...otherReportView(page, other.incident, read.values, errors),
          dateErrorParts: read.dateErrorParts,
        };
        return showPage(context, journey, draft, view, 400);
      }
      await changeReports((changed) => {
        changed[Math.min(other.report - 1, changed.length)] = otherReportFrom(read.answers);
      });
      return goTo(journey, otherReportsPath(other.incident));
    }
    case 'list': {
      if (reports.length === 0) return goTo(journey, otherReportPath(other.incident, 1));
      const answer = form.get('addAnother');
      const canAddMore = reports.length < MAX_OTHER_REPORTS;
      if (canAddMore && answer !== 'yes' && answer !== 'no') {
        const errors = [
          {
            field: 'addAnother',
            href: '#addAnother',
            text: 'Select yes if the incident was reported to anyone else as well',
          },
        ];
        const view = otherReportsView(journey, draft, page, other.incident, errors);
        return showPage(context, journey, draft, view, 400);
      }
      if (canAddMore && answer === 'yes') {
        return goTo(journey, otherReportPath(other.incident, reports.length + 1));
      }
      return afterIncident(context, journey, draft);
    }
    case 'remove': {
      if (other.report > reports.length) return goTo(journey, otherReportsPath(other.incident));
      const answer = form.get('remove');
      if (answer !== 'yes' && answer !== 'no') {
        const errors = [
          { field: 'remove', href: '#remove', text: 'Select yes if you want to remove this report' },
        ];
        const view = {
          page,
          template: 'remove-other-report',
          titleKey: 'incident-remove-other',
          values: {},
          errors,
          extra: { number: other.incident },
        };
        return showPage(context, journey, draft, view, 400);
      }
      if (answer === 'no') return goTo(journey, otherReportsPath(other.incident));
      const saved = await changeReports((changed) => {
        changed.splice(other.report - 1, 1);
      });
      const left = otherReportsOf(saved.incidents[other.incident - 1] ?? {}).length;
      return left > 0
        ? goTo(journey, otherReportsPath(other.incident))
        : afterIncident(context, journey, saved);
    }
  }
}

async function removeIncident(
  context: PageContext,
  journey: Journey,
  draft: Draft | undefined,
  page: string,
  number: number,
  form: URLSearchParams,
) {
  if (!draft || number > draft.incidents.length) return goTo(journey, 'incidents');
  const answer = form.get('remove');
  if (answer !== 'yes' && answer !== 'no') {
    const errors = [
      { field: 'remove', href: '#remove', text: 'Select yes if you want to remove this incident' },
    ];
    return showPage(
      context,
      journey,
      draft,
      { page, template: 'remove-incident', values: {}, errors, extra: { number } },
      400,
    );
  }
  if (answer === 'no') return goTo(journey, 'incidents');
  const saved = await saveChange(context, journey, draft, (current) => ({
    ...current,
    incidents: current.incidents.filter((_, index) => index !== number - 1),
  }));
  return goTo(journey, saved.incidents.length === 0 ? 'incident-1' : 'incidents');
}

async function saveIncidentsAnswer(
  context: PageContext,
  journey: Journey,
  draft: Draft,
  form: URLSearchParams,
) {
  if (draft.incidents.length === 0) return goTo(journey, 'incident-1');
  const answer = form.get('addAnother');
  const canAddMore = draft.incidents.length < MAX_INCIDENTS;
  if (canAddMore && answer !== 'yes' && answer !== 'no') {
    const errors = [
      { field: 'addAnother', href: '#addAnother', text: INCIDENTS_STEP.fields[0]?.requiredMessage ?? '' },
    ];
    return showPage(context, journey, draft, incidentsView(context, journey, draft, {}, errors), 400);
  }
  if (canAddMore && answer === 'yes') return goTo(journey, `incident-${draft.incidents.length + 1}`);
  return nextAfter(journey, draft, 'incidents', context);
}

async function checkPage(
  context: PageContext,
  journey: Journey,
  draft: Draft | undefined,
  errors?: FieldError[],
) {
  if (!draft) return goTo(journey, '');
  const incomplete = firstIncompleteStep(draft, applyContext(context));
  if (incomplete && !errors) return goTo(journey, incomplete);
  const seen = draft.reachedCheck
    ? draft
    : await saveChange(context, journey, draft, (d) => ({ ...d, reachedCheck: true }));
  return showPage(
    context,
    journey,
    seen,
    {
      page: 'check',
      template: 'check',
      values: {},
      ...(errors && { errors }),
      extra: { answers: buildCheckAnswers(context.deps.area, journey.base, seen) },
    },
    errors ? 400 : 200,
  );
}

/** Issues the submission found on sending, each linked to the page that asks for the answer. */
function issuesByPage(journey: Journey, issues: InvalidInputError['issues']): FieldError[] {
  return issues.map((issue) => {
    const otherReport = /^incidents\.(\d+)\.alsoReportedTo\.(\d+)\./.exec(issue.path);
    const incident = /^incidents\.(\d+)\./.exec(issue.path);
    const step = otherReport
      ? otherReportPath(Number(otherReport[1]) + 1, Number(otherReport[2]) + 1)
      : incident
        ? `incident-${Number(incident[1]) + 1}`
        : (stepsFor({ mode: 'resident', answers: { forSomeoneElse: 'yes' } }).find((candidate) =>
            candidate.fields.some((field) =>
              field.paths.some(
                (path) => path === issue.path || (field.kind === 'many' && issue.path.startsWith(`${path}.`)),
              ),
            ),
          )?.id ?? 'check');
    return { field: step, href: `${journey.base}/${step}`, text: issue.message };
  });
}

async function send(context: PageContext, journey: Journey, draft: Draft | undefined) {
  if (!draft) return goTo(journey, '');
  const incomplete = firstIncompleteStep(draft, applyContext(context));
  if (incomplete) return goTo(journey, incomplete);
  let submitted: { reference: string; accessCode: string };
  try {
    submitted = await context.deps.operations.submitApplication(
      () => applicationBody(draft, context.now),
      journey.caller,
      { idempotencyKey: draft.idempotencyKey },
    );
  } catch (error) {
    if (error instanceof InvalidInputError)
      return checkPage(context, journey, draft, issuesByPage(journey, error.issues));
    if (error instanceof StillProcessingError) {
      return context.view(
        'apply/sending.njk',
        { title: 'We are sending your application', base: journey.base },
        409,
      );
    }
    if (error instanceof AlreadySubmittedError) return alreadySentPage(context, error.reference);
    throw error;
  }
  const sealedAccessCode = seal(
    context.keys.seal,
    ACCESS_CODE_PURPOSE,
    submitted.accessCode,
    new Date(context.now.getTime() + DRAFT_HOURS * 3600_000),
  );
  // Once sent, the answers live in the case; the draft keeps only what the confirmation page shows.
  await saveChange(context, journey, draft, (current) =>
    current.submitted
      ? current
      : {
          ...current,
          answers: { csp: current.answers.csp ?? '' },
          incidents: [],
          submitted: {
            reference: submitted.reference,
            sealedAccessCode,
            ...(current.incidents.some((incident) => incident.hateMotivated === 'yes') && {
              hateMotivated: true,
            }),
          },
        },
  );
  return goTo(journey, 'confirmation');
}

/**
 * Sent again with other answers (the first sending's answer lost, then an answer changed; or another
 * tab's change while it was being sent): the first application stands, these answers were not sent. Only this draft's browser gets here, so its reference may be shown.
 */
function alreadySentPage(context: PageContext, reference: string) {
  const csp = context.deps.area.csps.find((candidate) =>
    reference.startsWith(`${cspReferencePrefix(candidate.id)}-`),
  );
  return context.view(
    'apply/already-sent.njk',
    {
      title: 'Your application was already sent',
      reference,
      cspName: csp?.name,
      contactRows: csp && contactRows(teamContact(csp.contact)),
    },
    409,
  );
}

/** The access code of the application this draft sent, while the draft keeps it. */
function sentAccessCode(context: PageContext, submitted: NonNullable<Draft['submitted']>) {
  return unseal<string>(context.keys.seal, ACCESS_CODE_PURPOSE, submitted.sealedAccessCode, context.now);
}

async function confirmationPage(context: PageContext, journey: Journey, draft: Draft | undefined) {
  if (!draft?.submitted) return goTo(journey, '');
  const accessCode = sentAccessCode(context, draft.submitted);
  const csp = cspById(context.deps.area, String(draft.answers.csp ?? ''));
  const deadlines = deadlineTable({ ...context.deps.area, csps: csp ? [csp] : context.deps.area.csps });
  const { reference } = draft.submitted;
  // A resident adds photos and documents here, right after applying, while the access code is known.
  const evidence =
    accessCode !== undefined
      ? await confirmationEvidence(context, journey, reference, accessCode)
      : undefined;
  const response = context.view('apply/confirmation.njk', {
    title: titleOf('confirmation'),
    base: journey.base,
    reference,
    accessCode,
    cspName: csp?.name,
    contactRows: csp && contactRows(teamContact(csp.contact)),
    steps: deadlines.rows.map((row) => ({ step: row.step, duration: row.durations[0] })),
    hateCrimeSupport: draft.submitted.hateMotivated === true,
    ...evidence,
  });
  return withUploadTargets(response, evidence?.upload);
}

async function confirmationEvidence(
  context: PageContext,
  journey: Journey,
  reference: string,
  accessCode: string,
) {
  const caller = { kind: 'applicant', accessCode } as const;
  const { view, ...section } = await caseWithUploadSection(
    context,
    reference,
    caller,
    `${journey.base}/confirmation`,
    `${journey.base}/files`,
  );
  // Listed without links: downloads are on /track, once signed in with the reference and code.
  return { ...section, files: fileList(view.evidence, 'applicant', () => '') };
}

// POST /apply/new: forget a sent application's draft and start another.
async function startAgain(context: PageContext, journey: Journey, draft: Draft | undefined) {
  if (draft) await context.deps.drafts.delete(draft.id);
  return goTo(journey, '');
}

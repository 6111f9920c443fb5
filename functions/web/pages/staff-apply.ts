// An officer entering an application received by phone, letter, email or in person: one screen with every
// question (apply/phone-form.ts), checked all at once, then sent to the case operations' submission as
// the API's POST /api/applications is. The form carries an idempotency key made when it was first shown,
// so sending it twice (a double click, a refresh, the back button) enters one case. The confirmation's
// reference and access code wait in a staff draft found through a cookie, never in the address.
import { randomUUID } from 'node:crypto';
import { cspById } from '#core/area-config.ts';
import { teamContact } from '#core/case-review.ts';
import { ConflictError, InvalidInputError, NotAllowedError, StillProcessingError } from '#core/errors.ts';
import { ukDateOf } from '#core/local-date.ts';
import { MAX_INCIDENTS, MAX_INVOLVED, MAX_OTHER_REPORTS, MAX_WITNESSES } from '#core/schemas/application.ts';
import { DRAFT_HOURS, newDraft } from '../apply/draft.ts';
import {
  emptyPhoneForm,
  type PhoneForm,
  phoneApplicationBody,
  phoneApplicationIssues,
  phoneFormErrors,
  readPhoneForm,
  withBlockAdded,
} from '../apply/phone-form.ts';
import { officerWords } from '../apply/titles.ts';
import { hostCookie } from '../http/cookies.ts';
import { redirect } from '../http/response.ts';
import type { StaffPage, StaffPageContext } from '../page-context.ts';
import { deadlineTable } from '../render/area-words.ts';
import { contactRows } from '../render/contact-rows.ts';
import { howItems } from '../render/involvement.ts';
import { type FieldError, pageErrors } from '../render/page-errors.ts';
import { COOKIES } from '../session/cookie-names.ts';
import { seal, unseal } from '../session/sealed.ts';
import { requireStaff } from './staff-access.ts';

const ACCESS_CODE_PURPOSE = 'entered application access code';
const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function officerOf(context: StaffPageContext) {
  const caller = requireStaff(context, ['officer']);
  const csp = caller.staff.csp;
  if (!csp) throw new NotAllowedError();
  return { caller, csp };
}

/** The form as sent: its key and the time it was first shown, or new ones where they are missing or not believable. */
function formIdentity(context: StaffPageContext) {
  const { form } = context.request;
  const key = form.get('key') ?? '';
  const openedAt = new Date(form.get('openedAt') ?? '');
  const now = context.now.getTime();
  const fresh = openedAt.getTime() <= now && openedAt.getTime() > now - DRAFT_HOURS * 3600_000;
  return { key: KEY.test(key) ? key : randomUUID(), openedAt: fresh ? openedAt : context.now };
}

interface FormView {
  readonly read: PhoneForm;
  readonly key: string;
  readonly openedAt: Date;
  readonly errors?: readonly FieldError[];
}

function showForm(context: StaffPageContext, view: FormView, status = 200) {
  const { read } = view;
  return context.view(
    'staff/apply.njk',
    {
      title: 'Enter an application',
      backLink: '/staff/cases',
      key: view.key,
      openedAt: view.openedAt.toISOString(),
      values: read.values,
      dateErrorParts: read.dateErrorParts,
      incidents: read.incidents,
      involved: read.involved,
      witnesses: read.witnesses,
      errors:
        view.errors && pageErrors(view.errors.map((error) => ({ ...error, text: officerWords(error.text) }))),
      howItems: howItems('staff', String(read.values.involvement ?? '')),
      maxIncidents: MAX_INCIDENTS,
      maxReports: MAX_OTHER_REPORTS,
      maxInvolved: MAX_INVOLVED,
      maxWitnesses: MAX_WITNESSES,
    },
    status,
  );
}

// GET /staff/apply
export const staffApplyPage: StaffPage = async (context) => {
  officerOf(context);
  return showForm(context, {
    read: emptyPhoneForm(ukDateOf(context.now)),
    key: randomUUID(),
    openedAt: context.now,
  });
};

// POST /staff/apply: add a block (an incident, a report, a person, a witness), or send the application.
export const staffApplySendPage: StaffPage = async (context) => {
  const { caller, csp } = officerOf(context);
  const { form } = context.request;
  const { key, openedAt } = formIdentity(context);
  const add = form.get('add');
  if (add) return showForm(context, { read: readPhoneForm(withBlockAdded(form, add)), key, openedAt });

  const read = readPhoneForm(form);
  const body = phoneApplicationBody(read, csp, openedAt);
  const errors = phoneFormErrors(read, phoneApplicationIssues(body, csp, context.now));
  if (errors.length > 0) return showForm(context, { read, key, openedAt, errors }, 400);
  let submitted: { reference: string; accessCode: string };
  try {
    submitted = await context.deps.operations.submitApplication(() => body, caller, { idempotencyKey: key });
  } catch (error) {
    const problem = sendingProblem(error, read);
    if (problem) return showForm(context, { read, key, openedAt, errors: problem.errors }, problem.status);
    throw error;
  }
  const draft = newDraft('staff', caller.staff.sub);
  const saved = await context.deps.drafts.save({
    ...draft,
    answers: { csp },
    submitted: {
      reference: submitted.reference,
      sealedAccessCode: seal(
        context.keys.seal,
        ACCESS_CODE_PURPOSE,
        submitted.accessCode,
        new Date(context.now.getTime() + DRAFT_HOURS * 3600_000),
      ),
      channel: body.channel ?? '',
      contactPreference: body.applicant.contactPreference ?? '',
      ...(body.incidents.some((incident) => incident.hateMotivated === true) && { hateMotivated: true }),
    },
  });
  context.cookies.push(hostCookie(COOKIES.draft, saved.id, { sameSite: 'Lax', maxAge: DRAFT_HOURS * 3600 }));
  return redirect('/staff/apply/confirmation');
};

/** What the form says when sending it failed in a way the officer can act on. */
function sendingProblem(
  error: unknown,
  read: PhoneForm,
): { errors: FieldError[]; status: number } | undefined {
  if (error instanceof InvalidInputError) return { errors: phoneFormErrors(read, error.issues), status: 400 };
  const send = (text: string, href = '#send') => [{ field: 'send', href, text }];
  if (error instanceof StillProcessingError) {
    return {
      status: 409,
      errors: send(
        'This application is already being sent. Select ‘Send the application’ again in a few seconds to see its reference number: it will not be entered twice',
      ),
    };
  }
  if (error instanceof ConflictError) {
    return {
      status: 409,
      errors: send(
        'This application was sent already, and its answers have changed since. To enter these answers as another application, start a new one',
        '/staff/apply',
      ),
    };
  }
  return undefined;
}

/** How the acknowledgement reaches the applicant, as the notifier sends it (shared/notify-govuk.ts). */
const SENT_BY: Readonly<Record<string, string>> = {
  email: 'by email',
  text: 'by text message, or by letter if a text cannot be sent',
  phone: 'by letter',
  post: 'by letter',
};

// GET /staff/apply/confirmation
export const staffApplicationEnteredPage: StaffPage = async (context) => {
  const { caller } = officerOf(context);
  const id = context.request.cookies.get(COOKIES.draft);
  const draft = id ? await context.deps.drafts.get(id) : undefined;
  const submitted = draft?.mode === 'staff' && draft.owner === caller.staff.sub ? draft.submitted : undefined;
  if (!submitted) return redirect('/staff/apply');
  const accessCode = unseal<string>(
    context.keys.seal,
    ACCESS_CODE_PURPOSE,
    submitted.sealedAccessCode,
    context.now,
  );
  const csp = cspById(context.deps.area, String(draft?.answers.csp ?? ''));
  const deadlines = deadlineTable({ ...context.deps.area, csps: csp ? [csp] : context.deps.area.csps });
  return context.view('staff/application-entered.njk', {
    title: 'Application entered',
    reference: submitted.reference,
    accessCode,
    caller: submitted.channel === 'phone' ? 'the caller' : 'the applicant',
    sentBy: SENT_BY[submitted.contactPreference ?? ''] ?? 'by the way they chose',
    cspName: csp?.name,
    contactRows: csp && contactRows(teamContact(csp.contact)),
    steps: deadlines.rows.map((row) => ({ step: row.step, duration: row.durations[0] })),
    hateCrimeSupport: submitted.hateMotivated === true,
  });
};

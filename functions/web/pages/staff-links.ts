// Route B on the officer's case page: the cases linked to this one as being about the same behaviour,
// the CSP's other cases that may be (with the reasons), and the forms to link and unlink them, which
// post to /staff/cases/{reference}/links and run the case operations' links operation.

import type { LinkedCase, LinkSuggestions } from '#cases/case-links.ts';
import type { StaffCaseView } from '#cases/case-views.ts';
import { InvalidInputError } from '#core/errors.ts';
import type { StaffPageContext } from '../page-context.ts';
import { type FieldError, pageErrors } from '../render/page-errors.ts';
import { formatDate, STAGE_NAME } from '../render/words.ts';
import { setFlash } from '../session/flash.ts';
import type { StaffCaller } from './staff-access.ts';

export type LinksIntent = 'link' | 'unlink';

/** What a links form was sent with, to show it again with its errors. */
export interface LinksFormState {
  readonly intent: LinksIntent;
  readonly values: {
    readonly add: readonly string[];
    readonly addReference: string;
    readonly remove: readonly string[];
    readonly reason: string;
  };
  readonly errors: readonly FieldError[];
}

const caseHref = (reference: string) => `/staff/cases/${encodeURIComponent(reference)}`;

function listed(linked: LinkedCase, officer: boolean) {
  return {
    reference: linked.reference,
    href: officer ? caseHref(linked.reference) : undefined,
    stage: STAGE_NAME[linked.stage] ?? linked.stage,
    received: formatDate(linked.receivedAt),
  };
}

/**
 * The links part of the case page: linked cases for all staff; for an officer also the suggestions
 * (from the same operation as GET /api/cases/{ref}/link-suggestions) and the two forms.
 */
export async function linksModel(
  context: StaffPageContext,
  caller: StaffCaller,
  view: StaffCaseView,
  form?: LinksFormState,
) {
  const officer = caller.staff.role === 'officer';
  const found: LinkSuggestions | undefined = officer
    ? await context.deps.operations.linkSuggestions(view.reference, caller)
    : undefined;
  const linked = found?.links ?? view.links;
  const values = (intent: LinksIntent) =>
    form?.intent === intent ? form.values : { add: [], addReference: '', remove: [], reason: '' };
  const errors = (intent: LinksIntent) =>
    form?.intent === intent && form.errors.length > 0 ? pageErrors(form.errors).byField : {};
  return {
    officer,
    linked: linked.map((entry) => listed(entry, officer)),
    formAction: `${caseHref(view.reference)}/links`,
    suggestionItems: (found?.suggestions ?? []).map((suggestion) => ({
      value: suggestion.reference,
      text: `${suggestion.reference} (${STAGE_NAME[suggestion.stage] ?? suggestion.stage}, received ${formatDate(suggestion.receivedAt)})`,
      hint: { text: suggestion.reasons.map((reason) => reason.text).join(' ') },
      checked: values('link').add.includes(suggestion.reference),
    })),
    linkedItems: linked.map((entry) => ({
      value: entry.reference,
      text: `${entry.reference} (${STAGE_NAME[entry.stage] ?? entry.stage})`,
      checked: values('unlink').remove.includes(entry.reference),
    })),
    link: { values: values('link'), errors: errors('link') },
    unlink: { values: values('unlink'), errors: errors('unlink') },
  };
}

const field = (form: URLSearchParams, name: string) => (form.get(name) ?? '').trim();

/** The form as the operation's body: ticked suggestions and a typed reference are added, ticked links removed. */
function readLinksForm(form: URLSearchParams): LinksFormState['values'] & { intent: LinksIntent } {
  return {
    intent: field(form, 'intent') === 'unlink' ? 'unlink' : 'link',
    add: form
      .getAll('add')
      .map((value) => value.trim())
      .filter(Boolean),
    addReference: field(form, 'addReference'),
    remove: form
      .getAll('remove')
      .map((value) => value.trim())
      .filter(Boolean),
    reason: field(form, 'reason'),
  };
}

/** The form field an operation's issue belongs on: `add.2` is the typed reference when it was sent last. */
function fieldOfIssue(path: string, intent: LinksIntent, values: LinksFormState['values']): string {
  if (path === 'reason') return `${intent}-reason`;
  if (intent === 'unlink') return 'remove';
  const index = /^add\.(\d+)$/.exec(path)?.[1];
  if (
    values.addReference !== '' &&
    (index === undefined ? path === 'add' && values.add.length === 0 : Number(index) === values.add.length)
  ) {
    return 'addReference';
  }
  return 'add';
}

/**
 * POST /staff/cases/{reference}/links: links or unlinks as the form says. Either where to go next (the
 * case page), or the form to show again with the operation's messages on its fields.
 */
export async function submitLinks(
  context: StaffPageContext,
  caller: StaffCaller,
  reference: string,
): Promise<{ readonly next: string } | { readonly form: LinksFormState }> {
  const { intent, ...values } = readLinksForm(context.request.form);
  const body =
    intent === 'link'
      ? {
          add: [...values.add, ...(values.addReference === '' ? [] : [values.addReference])],
          reason: values.reason,
        }
      : { remove: values.remove, reason: values.reason };
  try {
    await context.deps.operations.changeLinks(reference, () => body, caller);
    setFlash(context, reference, 'links');
    return { next: caseHref(reference) };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const errors = error.issues.map((issue) => {
      const name = fieldOfIssue(issue.path, intent, values);
      return { field: name, href: `#links-${name}`, text: issue.message };
    });
    return { form: { intent, values, errors } };
  }
}

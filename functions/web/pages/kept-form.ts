// /staff/kept: a form sent after its sign-in ended (session/kept-form.ts), offered to its sender once they
// have signed in again. "Send it" runs the page that form was for, with what they typed, as they are now
// signed in: its answer (the case page with its banner, or the form again with its errors and what was
// typed) is theirs. The kept form is deleted first, so that it is sent once at most.
import type { Draft } from '../apply/draft.ts';
import { clearedCookie } from '../http/cookies.ts';
import type { PageRequest } from '../http/request.ts';
import { type PageResponse, redirect } from '../http/response.ts';
import {
  createPageContext,
  type StaffPage,
  type StaffPageContext,
  type StaffPageDeps,
} from '../page-context.ts';
import type { PageRoutes } from '../routes.ts';
import { COOKIES } from '../session/cookie-names.ts';
import { type KeptForm, keptFormId } from '../session/kept-form.ts';
import { homeOf } from './staff-sign-in.ts';

/** The kept form of this browser's cookie, if it is the signed-in person's. */
async function ownKeptForm(context: StaffPageContext): Promise<(Draft & { kept: KeptForm }) | undefined> {
  const id = keptFormId(context.request);
  const draft = id === undefined ? undefined : await context.deps.drafts.get(id);
  return draft?.kept !== undefined && draft.owner === context.staff?.sub
    ? (draft as Draft & { kept: KeptForm })
    : undefined;
}

/** Away from a kept form that is gone or not theirs, the cookie that named it cleared. */
function forgotten(location: string): PageResponse {
  const response = redirect(location);
  response.cookies.push(clearedCookie(COOKIES.keptForm));
  return response;
}

// GET /staff/kept
export const keptFormPage: StaffPage = async (context) => {
  if (!context.staff) return redirect('/staff');
  const draft = await ownKeptForm(context);
  if (!draft) {
    // Someone else's (another person signed in on this browser) is deleted, unseen.
    const id = keptFormId(context.request);
    if (id !== undefined) await context.deps.drafts.delete(id);
    return forgotten(homeOf(context.staff));
  }
  return context.view('staff/kept-form.njk', {
    title: 'Your form was not sent',
    reference: draft.kept.params.reference,
  });
};

// POST /staff/kept: "Send it" (send=yes) or "Do not send it".
export function sendKeptFormPage(routes: PageRoutes<StaffPageDeps>): StaffPage {
  return async (context) => {
    if (!context.staff) return redirect('/staff');
    const draft = await ownKeptForm(context);
    const page = draft && routes[draft.kept.routeKey];
    const id = keptFormId(context.request);
    if (id !== undefined) await context.deps.drafts.delete(id);
    if (!draft || !page || context.request.form.get('send') !== 'yes') {
      return forgotten(homeOf(context.staff));
    }
    const request: PageRequest = {
      ...context.request,
      routeKey: draft.kept.routeKey,
      path: draft.kept.path,
      params: draft.kept.params,
      query: new URLSearchParams(),
      form: new URLSearchParams(draft.kept.fields.map(([name, value]): [string, string] => [name, value])),
    };
    const sent = createPageContext(request, context.deps, context.keys, context.session, context.csrfId);
    const answer = await page(sent);
    return { ...answer, cookies: [...sent.cookies, ...answer.cookies, clearedCookie(COOKIES.keptForm)] };
  };
}

// A staff form sent after its sign-in ended is kept across the next sign-in, not lost with what was typed
// in it. A staff token lasts an hour (the user pool's ID tokens; the local issuer's alike), and an officer
// may take longer than that over a decision's reasons. The cookie outlives its token (STAFF_COOKIE_HOURS),
// so such a form comes with the token it was made for, and its form token proves it is from a page this
// service gave that sign-in. It is kept server-side (the drafts' store, DRAFT_HOURS at most) under a
// random id in a cookie, for the same person (the token's `sub`) only; once they have signed in again,
// /staff/kept offers to send it as they sent it (pages/kept-form.ts).
import { newDraft } from '../apply/draft.ts';
import { hostCookie } from '../http/cookies.ts';
import type { PageRequest } from '../http/request.ts';
import { type PageResponse, redirect } from '../http/response.ts';
import { formBindingFor, type PageContext } from '../page-context.ts';
import { COOKIES } from './cookie-names.ts';
import { CSRF_FIELD, isValidCsrfToken } from './csrf.ts';

/** What was sent, and where: the page that takes it is run with it once the same person signs in again. */
export interface KeptForm {
  readonly routeKey: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** The form's fields in order, as sent (less its form token). */
  readonly fields: readonly (readonly [string, string])[];
}

export const KEPT_FORM_ROUTE = 'POST /staff/kept';

/** How long the cookie naming a kept form lasts: time enough to sign in again. */
export const KEPT_FORM_MINUTES = 60;

/** A draft is one DynamoDB item (400 KB at most); no staff form comes near this. */
const MAX_KEPT_CHARACTERS = 300_000;

/**
 * A form of the staff's pages made for a sign-in that has since ended, kept: the answer sends the browser
 * to sign in again, which then offers to send it. Undefined for any other form refused for its token.
 */
export async function keepFormOfEndedSignIn(context: PageContext): Promise<PageResponse | undefined> {
  const { request, session, deps, keys } = context;
  if (session.kind !== 'expired' || session.token === undefined || !isStaffForm(request)) return undefined;
  const madeFor = formBindingFor(request, session.token, keys, context.now);
  if (!isValidCsrfToken(keys.csrf, context.csrfId, madeFor, request.form.get(CSRF_FIELD) ?? ''))
    return undefined;
  const owner = subjectOf(session.token);
  const fields = [...request.form].filter(([name]) => name !== CSRF_FIELD);
  const characters = fields.reduce((sum, [name, value]) => sum + name.length + value.length, 0);
  if (owner === undefined || characters > MAX_KEPT_CHARACTERS) return undefined;
  const earlier = keptFormId(request);
  if (earlier !== undefined) await deps.drafts.delete(earlier);
  const kept: KeptForm = { routeKey: request.routeKey, path: request.path, params: request.params, fields };
  const saved = await deps.drafts.save({ ...newDraft('staff', owner), kept });
  const response = redirect('/staff');
  response.cookies.push(
    hostCookie(COOKIES.keptForm, saved.id, { sameSite: 'Lax', maxAge: KEPT_FORM_MINUTES * 60 }),
  );
  return response;
}

/** A page's form (not a script's request for JSON), other than signing in or out or sending a kept form. */
function isStaffForm(request: PageRequest): boolean {
  const { routeKey } = request;
  return (
    (routeKey.startsWith('POST /staff/') || routeKey.startsWith('POST /pcc/')) &&
    routeKey !== 'POST /staff/sign-out' &&
    routeKey !== KEPT_FORM_ROUTE &&
    !(request.headers.accept ?? '').includes('application/json')
  );
}

/**
 * The `sub` a token names, read without verifying it: the form's token showed that the page was made for
 * this token, which was verified then.
 */
function subjectOf(token: string): string | undefined {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const sub = (claims as { sub?: unknown } | null)?.sub;
    return typeof sub === 'string' && sub !== '' ? sub : undefined;
  } catch {
    return undefined;
  }
}

export function keptFormId(request: PageRequest): string | undefined {
  return request.cookies.get(COOKIES.keptForm);
}

// The pages of one door (routes.ts): API Gateway routes each request to its door's function with its
// route key, and this picks the page for the key. Every response gets the security headers; every POST
// must carry a valid form token; every page says `Cache-Control: no-store` (they hold personal data, or
// a fresh CSP nonce).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { json } from '#api/http/responses.ts';
import { DomainError, NotSignedInError, RateLimitedError } from '#core/errors.ts';
import { DRAFT_HOURS } from './apply/draft.ts';
import { ERROR_PAGES, type ErrorPage, FAULT_PAGE } from './error-pages.ts';
import { clearedCookie, hostCookie } from './http/cookies.ts';
import { toPageRequest } from './http/request.ts';
import { type PageResponse, securityHeaders, toLambdaResult } from './http/response.ts';
import {
  createPageContext,
  formBinding,
  type Page,
  type PageContext,
  type PageDeps,
} from './page-context.ts';
import { caseReviewContacts } from './render/area-words.ts';
import { type PageRoutes, UNMATCHED_ROUTE } from './routes.ts';
import { COOKIES, TRACK_SESSION_HOURS, TRACK_SESSION_MINUTES } from './session/cookie-names.ts';
import { CSRF_FIELD, isValidCsrfToken, newCsrfId } from './session/csrf.ts';
import { keepFormOfEndedSignIn } from './session/kept-form.ts';
import { EXPIRED_SESSION, type StaffSession, staffSession } from './session/staff-session.ts';
import { isTrackingPath, renewedCookie } from './session/track-session.ts';

const CSRF_ID = /^[A-Za-z0-9_-]{43}$/;

export function createWebApp<Deps extends PageDeps>(
  deps: Deps,
  routes: PageRoutes<Deps>,
): (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> {
  return async (event) => {
    // The API's own answer, built by its one response builder so that it carries the API's headers.
    if (event.routeKey === UNMATCHED_ROUTE && event.rawPath.startsWith('/api/')) {
      return json(404, { error: 'not-found', message: 'There is nothing at this address.' });
    }
    const page = routes[event.routeKey];
    let response: PageResponse;
    try {
      deps.rateLimiter?.take(event.requestContext?.http?.sourceIp ?? 'unknown', deps.clock().getTime());
      response = page ? await run(page, event, deps) : errorPage(deps, ERROR_PAGES['not-found']);
    } catch (error) {
      response = failure(deps, error);
    }
    return toLambdaResult(response);
  };
}

async function run<Deps extends PageDeps>(
  page: Page<Deps>,
  event: APIGatewayProxyEventV2,
  deps: Deps,
): Promise<PageResponse> {
  const request = toPageRequest(event);
  const checked = await staffSession(request, deps.verifyStaffToken);
  // A page that only reads runs beside the sign-out check; any other once it has answered.
  const beside = request.method === 'GET' && page.onlyReads === true;
  const session = !beside && (await checked.signedOut) ? signedOutSession(checked.session) : checked.session;
  const existingId = request.cookies.get(COOKIES.csrf);
  const csrfId = existingId && CSRF_ID.test(existingId) ? existingId : newCsrfId();
  const context = createPageContext(request, deps, await deps.keys(), session, csrfId);
  if (csrfId !== existingId) context.cookies.push(hostCookie(COOKIES.csrf, csrfId, { sameSite: 'Lax' }));
  const sessionCookies = context.cookies.length;
  if (session.kind === 'expired') context.cookies.push(clearedCookie(COOKIES.staff));

  const answer = async () => {
    try {
      return await page(context);
    } catch (error) {
      return operationFailure(context, error);
    }
  };
  let response: PageResponse;
  // An address that does not exist has no form to protect: it is not found, whatever was sent.
  if (request.method === 'POST' && request.routeKey !== UNMATCHED_ROUTE && !formIsGenuine(context)) {
    response = (await keepFormOfEndedSignIn(context)) ?? formExpired(context);
  } else if (beside) {
    const [read, signedOut] = await Promise.allSettled([answer(), checked.signedOut]);
    if (signedOut.status === 'rejected') throw signedOut.reason;
    if (signedOut.value) {
      // As any page answers a session signed out: nothing the page read or set leaves.
      context.cookies.length = sessionCookies;
      context.cookies.push(clearedCookie(COOKIES.staff));
      response = operationFailure(context, new NotSignedInError());
    } else if (read.status === 'rejected') {
      throw read.reason;
    } else {
      response = read.value;
    }
  } else {
    response = await answer();
  }
  return {
    ...response,
    headers: {
      ...securityHeaders(
        context.nonce,
        [
          ...(deps.signIn.mode === 'hosted' ? [new URL(deps.signIn.domain).origin] : []),
          ...(response.formTargets ?? []),
        ],
        response.connectTargets,
      ),
      'cache-control': 'no-store',
      ...response.headers,
    },
    cookies: [...context.cookies, ...response.cookies, ...renewal(context, response)],
  };
}

/** A session found signed out: expired, with the cookie's token that its pages' forms were bound to. */
function signedOutSession(session: StaffSession): StaffSession {
  return session.kind === 'signed-in' && !session.viaBearer
    ? { kind: 'expired', token: session.token }
    : EXPIRED_SESSION;
}

/**
 * A tracking page used renews the applicant's sign-in (session/track-session.ts), unless the page signed
 * them in or out itself. A request refused (403: a form without its token, or made for another sign-in)
 * is not a use of the pages, and changes nothing, the sign-in's end included.
 */
function renewal(context: PageContext, response: PageResponse): string[] {
  const { request, keys, now } = context;
  if (!isTrackingPath(request.path) || response.status === 403) return [];
  if (response.cookies.some((cookie) => cookie.startsWith(`${COOKIES.track}=`))) return [];
  const renewed = renewedCookie(keys.seal, request, now);
  return renewed === undefined ? [] : [renewed];
}

/**
 * A form refused for its token. An application's question page after the first, sent without the draft's
 * cookie, had its draft expire with the cookie: its answers are deleted, not kept. A form of a tracked
 * case sent without the tracking cookie came after the sign-in ended. The page says which.
 */
function formExpired(context: PageContext): PageResponse {
  const { path, cookies } = context.request;
  const answersDeleted = path.startsWith('/apply/') && path !== '/apply/area' && !cookies.has(COOKIES.draft);
  const signedOut = path.startsWith('/track/') && path !== '/track/new-code' && !cookies.has(COOKIES.track);
  return context.view(
    'errors/form-expired.njk',
    {
      title: 'Your form has expired',
      answersDeleted,
      signedOut,
      draftHours: DRAFT_HOURS,
      trackSessionMinutes: TRACK_SESSION_MINUTES,
      trackSessionHours: TRACK_SESSION_HOURS,
    },
    403,
  );
}

/** A form from this service's own pages: a bearer token (not an ambient credential) or a valid form token. */
function formIsGenuine(context: PageContext): boolean {
  const { request, session, keys, csrfId } = context;
  if (session.kind === 'signed-in' && session.viaBearer) return true;
  if (request.headers['sec-fetch-site'] === 'cross-site') return false;
  const token = request.form.get(CSRF_FIELD) ?? '';
  return isValidCsrfToken(keys.csrf, csrfId, formBinding(request, session, keys, context.now), token);
}

/** A domain error a page did not handle itself, as its page; a fault goes on to `failure`. */
function operationFailure(context: PageContext, error: unknown): PageResponse {
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === 'unauthorized') {
    return { status: 303, headers: { location: '/staff' }, cookies: [], body: '' };
  }
  const { template, title, status } = ERROR_PAGES[error.kind];
  return context.view(template, { title, contacts: caseReviewContacts(context.deps.area) }, status);
}

function failure(deps: PageDeps, error: unknown): PageResponse {
  if (error instanceof RateLimitedError) {
    const page = errorPage(deps, ERROR_PAGES[error.kind]);
    // As the API's 429 says it: when the client may ask again.
    return { ...page, headers: { ...page.headers, 'retry-after': String(error.retryAfterSeconds) } };
  }
  if (error instanceof DomainError && error.kind !== 'unauthorized') {
    return errorPage(deps, ERROR_PAGES[error.kind]);
  }
  deps.onError(error);
  return errorPage(deps, FAULT_PAGE);
}

/** A page for a request that never reached a page handler (no session, no form token). */
function errorPage(deps: PageDeps, { status, template, title }: ErrorPage): PageResponse {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  let body: string;
  try {
    body = deps.render(template, {
      title,
      cspNonce: nonce,
      areaName: deps.area.name,
      contacts: caseReviewContacts(deps.area),
    });
  } catch (error) {
    deps.onError(error);
    body = title;
  }
  return {
    status,
    headers: {
      ...securityHeaders(nonce),
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    },
    cookies: [],
    body,
  };
}

// What every page handler gets: the request, the service's dependencies, this response's CSP nonce and
// form token, the staff session, and `view` to render a template into a page with all of that in it.

import { randomBytes } from 'node:crypto';
import type { CaseOperations, ResidentOperations } from '#cases/operations.ts';
import { type AreaConfig, cspById } from '#core/area-config.ts';
import type { Clock } from '#core/clock.ts';
import { ukDateOf } from '#core/local-date.ts';
import type { RateLimiter } from '#shared/rate-limit.ts';
import type { EndStaffSession } from '#shared/staff-sign-out.ts';
import type { StaffIdentity } from '#shared/staff-token.ts';
import type { DraftStore } from './apply/draft.ts';
import type { PageRequest } from './http/request.ts';
import { htmlResponse, type PageResponse } from './http/response.ts';
import type { Renderer } from './render/renderer.ts';
import { staffRoleName } from './render/words.ts';
import { COOKIES, TRACK_SESSION_HOURS } from './session/cookie-names.ts';
import { csrfToken, sessionBinding } from './session/csrf.ts';
import type { WebKeySource, WebKeys } from './session/keys.ts';
import type { SignInSettings } from './session/sign-in-settings.ts';
import type { StaffSession, VerifyStaffToken } from './session/staff-session.ts';
import { isTrackingPath, trackBinding, trackTimeout } from './session/track-session.ts';

/** What the pages of either door are given, with the case operations of theirs. */
export interface PageDeps<Operations extends ResidentOperations = ResidentOperations> {
  readonly operations: Operations;
  readonly drafts: DraftStore;
  /** Read for each request: the session secret is rotated while the pages run (session/keys.ts). */
  readonly keys: WebKeySource;
  readonly render: Renderer;
  readonly verifyStaffToken: VerifyStaffToken;
  readonly signIn: SignInSettings;
  readonly area: AreaConfig;
  /** The address the public uses (SITE_URL), where storage sends a browser back after an upload. */
  readonly siteUrl: string;
  readonly clock: Clock;
  /** Counts each page request per client (RATE_LIMIT_PER_MINUTE), as the API's middleware does; none when unset. */
  readonly rateLimiter?: RateLimiter | undefined;
  /** Failures that become a 500 page; never called with request data. */
  readonly onError: (error: unknown) => void;
}

/** The staff's pages': every case operation, and signing out. */
export interface StaffPageDeps extends PageDeps<CaseOperations> {
  /** Signing out: the token's session is refused from then on, wherever the token is sent. */
  readonly endStaffSession: EndStaffSession;
}

/**
 * A page handler: parses the request, calls the case operations, renders. It runs once the staff
 * session's sign-out check has answered, unless it is marked `onlyReads`.
 */
export type Page<Deps extends PageDeps = PageDeps> = ((
  context: PageContext<Deps>,
) => Promise<PageResponse>) & {
  readonly onlyReads?: true;
};

/**
 * Marks a staff GET page that only reads (no write, no workflow started, nothing sent): app.ts runs it
 * beside the staff session's sign-out check (a read of its own), and sends its answer only once that
 * check has passed; a session signed out gets the sign-in redirect instead, which is why only the staff's
 * pages (all of them for staff alone) may be marked.
 */
export const onlyReads = (page: (context: StaffPageContext) => Promise<PageResponse>): StaffPage =>
  Object.assign(page, { onlyReads: true as const });

/** A page of the staff's door. */
export type StaffPage = Page<StaffPageDeps>;

export interface PageContext<Deps extends PageDeps = PageDeps> {
  readonly request: PageRequest;
  readonly deps: Deps;
  /** The session keys this request is answered with. */
  readonly keys: WebKeys;
  readonly now: Date;
  readonly nonce: string;
  readonly session: StaffSession;
  /** The signed-in staff member, if any. */
  readonly staff: StaffIdentity | undefined;
  /** Set-Cookie values for the response. */
  readonly cookies: string[];
  readonly csrfId: string;
  /** The token this response's forms carry. */
  csrfToken(): string;
  view(template: string, data: Record<string, unknown>, status?: number): PageResponse;
}

export type StaffPageContext = PageContext<StaffPageDeps>;

/**
 * The sessions a form token is bound to: a token stops working when any of them changes (a tracking
 * session's renewals are the same sign-in: session/track-session.ts).
 */
export function formBinding(request: PageRequest, session: StaffSession, keys: WebKeys, now: Date): string {
  const staff = session.kind === 'signed-in' && !session.viaBearer ? session.token : '';
  return formBindingFor(request, staff, keys, now);
}

/** The sessions a form made for the staff sign-in of `staffToken` ('' for none) is bound to. */
export function formBindingFor(request: PageRequest, staffToken: string, keys: WebKeys, now: Date): string {
  const track = trackBinding(keys.seal, request, now);
  const draft = request.cookies.get(COOKIES.draft) ?? '';
  return sessionBinding(`${staffToken}\n${track}\n${draft}`);
}

export function createPageContext<Deps extends PageDeps>(
  request: PageRequest,
  deps: Deps,
  keys: WebKeys,
  session: StaffSession,
  csrfId: string,
): PageContext<Deps> {
  const nonce = randomBytes(18).toString('base64');
  const staff = session.kind === 'signed-in' ? session.staff : undefined;
  const cookies: string[] = [];
  const now = deps.clock();
  const token = () => csrfToken(keys.csrf, csrfId, formBinding(request, session, keys, now));
  return {
    request,
    deps,
    keys,
    now,
    nonce,
    session,
    staff,
    cookies,
    csrfId,
    csrfToken: token,
    view(template, data, status = 200) {
      const timeout = isTrackingPath(request.path) ? trackTimeout(keys.seal, request, now) : undefined;
      const html = deps.render(template, {
        cspNonce: nonce,
        csrfToken: token(),
        currentPath: request.path,
        staff,
        staffRoleName: staff && staffRoleName(staff, (id) => cspById(deps.area, id)?.name ?? id),
        areaName: deps.area.name,
        // Date hints give last year's dates (next year's for a date to come): recent, on the right side of today.
        exampleYear: Number(ukDateOf(deps.clock()).slice(0, 4)) - 1,
        // A tracking page renews the sign-in it is sent with: its script warns before that ends (track/layout.njk).
        trackTimeout: timeout && { ...timeout, hours: TRACK_SESSION_HOURS },
        ...data,
      });
      return htmlResponse(status, html);
    },
  };
}

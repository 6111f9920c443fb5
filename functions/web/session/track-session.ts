// The applicant's tracking session: the case's reference and access code, sealed in a cookie (sealed.ts).
// It ends TRACK_SESSION_MINUTES after the applicant last used a tracking page (each one sends the cookie
// again with that long to run), and TRACK_SESSION_HOURS after signing in whatever they do: a resident
// who takes their time is not signed out while using it, and a cookie left on a shared device still ends.
// The tracking pages tell their script when the session sent with them ends (trackTimeout), so that it can
// warn the applicant before it does and let them stay signed in (assets/timeout.mjs; WCAG 2.2.1).
import { randomBytes } from 'node:crypto';
import { hostCookie } from '../http/cookies.ts';
import type { PageRequest } from '../http/request.ts';
import { COOKIES, TRACK_SESSION_HOURS, TRACK_SESSION_MINUTES } from './cookie-names.ts';
import type { KeyRing } from './keys.ts';
import { seal, unseal } from './sealed.ts';

const PURPOSE = 'track session';

export interface TrackSession {
  readonly reference: string;
  readonly accessCode: string;
  /**
   * Random for each sign-in: the forms' tokens are bound to it, so that a form stays good while the
   * cookie is renewed, and none made for another sign-in is. Absent in a session sealed before sessions
   * were renewed, which ends as it began.
   */
  readonly id?: string;
  /** When they signed in (epoch milliseconds): no renewal runs past TRACK_SESSION_HOURS from it. */
  readonly signedInAt?: number;
}

export function readTrackSession(keys: KeyRing, request: PageRequest, now: Date): TrackSession | undefined {
  const sealed = request.cookies.get(COOKIES.track);
  return sealed ? unseal<TrackSession>(keys, PURPOSE, sealed, now) : undefined;
}

/** The cookie of a new sign-in to the case. */
export function signedInCookie(
  keys: KeyRing,
  signedIn: Pick<TrackSession, 'reference' | 'accessCode'>,
  now: Date,
): string {
  const session = { ...signedIn, id: randomBytes(16).toString('base64url'), signedInAt: now.getTime() };
  return sessionCookie(keys, session, now);
}

/**
 * The request's session sent again with TRACK_SESSION_MINUTES to run (never past TRACK_SESSION_HOURS
 * from signing in), or undefined when it has none to renew.
 */
export function renewedCookie(keys: KeyRing, request: PageRequest, now: Date): string | undefined {
  const session = readTrackSession(keys, request, now);
  return session?.id === undefined ? undefined : sessionCookie(keys, session, now);
}

/**
 * What a form's token is bound to for the tracking session: its sign-in's id, which outlives renewals;
 * for a session sealed before they were (or none that opens), the cookie as sent.
 */
export function trackBinding(keys: KeyRing, request: PageRequest, now: Date): string {
  const sealed = request.cookies.get(COOKIES.track) ?? '';
  const id = sealed ? readTrackSession(keys, request, now)?.id : undefined;
  return id === undefined ? sealed : `id:${id}`;
}

/** The pages whose use renews the tracking session (app.ts), and that warn before it ends. */
export function isTrackingPath(path: string): boolean {
  return path === '/track' || path.startsWith('/track/');
}

/** What a tracking page tells its script of the session sent with it. */
export interface TrackTimeout {
  /** Whole seconds until the session ends (as the cookie's Max-Age). */
  readonly seconds: number;
  /** It ends TRACK_SESSION_HOURS after signing in: using the pages no longer puts that off. */
  readonly final: boolean;
}

/**
 * How long the request's session, sent again now, has to run: undefined when it has none that renews
 * (signed out, or sealed before sessions were renewed).
 */
export function trackTimeout(keys: KeyRing, request: PageRequest, now: Date): TrackTimeout | undefined {
  const session = readTrackSession(keys, request, now);
  return session?.id === undefined ? undefined : timeoutOf(session, now);
}

/** When the session, sent again now, ends, and whether that is the TRACK_SESSION_HOURS limit. */
function sessionEnd(session: TrackSession, now: Date): { ends: number; final: boolean } {
  const idleEnd = now.getTime() + TRACK_SESSION_MINUTES * 60_000;
  const finalEnd = (session.signedInAt ?? now.getTime()) + TRACK_SESSION_HOURS * 3_600_000;
  return { ends: Math.min(idleEnd, finalEnd), final: finalEnd <= idleEnd };
}

const secondsUntil = (ends: number, now: Date) => Math.max(0, Math.ceil((ends - now.getTime()) / 1000));

function timeoutOf(session: TrackSession, now: Date): TrackTimeout {
  const { ends, final } = sessionEnd(session, now);
  return { seconds: secondsUntil(ends, now), final };
}

function sessionCookie(keys: KeyRing, session: TrackSession, now: Date): string {
  const { ends } = sessionEnd(session, now);
  const value = seal(keys, PURPOSE, session, new Date(ends));
  return hostCookie(COOKIES.track, value, { sameSite: 'Lax', maxAge: secondsUntil(ends, now) });
}

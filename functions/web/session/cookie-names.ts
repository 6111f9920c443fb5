/** The pages' cookies; all are `__Host-` cookies (see http/cookies.ts). */
export const COOKIES = {
  /** The random id that form tokens are bound to (session/csrf.ts). */
  csrf: '__Host-asb-csrf',
  /** The id of the application being filled in (its answers are kept on the server). */
  draft: '__Host-asb-draft',
  /** The applicant's tracking session: reference and access code, sealed. */
  track: '__Host-asb-track',
  /** A staff member's sign-in token. */
  staff: '__Host-asb-staff',
  /** What a form on a case page just did, for the page shown next (session/flash.ts). */
  flash: '__Host-asb-flash',
  /** The state of a hosted sign-in in progress, sealed. */
  signIn: '__Host-asb-sign-in',
  /** The id of a staff form sent after its sign-in ended, kept until its sender signs in again (session/kept-form.ts). */
  keptForm: '__Host-asb-kept-form',
} as const;

/**
 * How long a tracking sign-in lasts after the applicant last used a tracking page, and at most after
 * signing in (session/track-session.ts; the pages that name the limits say them).
 */
export const TRACK_SESSION_MINUTES = 30;
export const TRACK_SESSION_HOURS = 4;

/**
 * How long the staff cookie lasts: longer than its token (an hour), so that a form sent after the token
 * expired comes with it and is kept across the next sign-in (session/kept-form.ts).
 */
export const STAFF_COOKIE_HOURS = 8;

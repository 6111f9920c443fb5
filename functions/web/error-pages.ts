// The one place errors become pages: each domain error's kind (core/errors.ts) has its page and status,
// as the API has its HTTP status (api/http/error-responses.ts); a staff member not signed in is sent
// to sign in. Any other error is a fault of ours.
import type { FailureKind } from '#core/errors.ts';

export interface ErrorPage {
  readonly status: number;
  readonly template: string;
  readonly title: string;
}

const PROBLEM = 'Sorry, there is a problem with the service';

/** The page for a fault of ours, which shows nothing of it. */
export const FAULT_PAGE: ErrorPage = { status: 500, template: 'errors/problem.njk', title: PROBLEM };

export const ERROR_PAGES: Readonly<Record<Exclude<FailureKind, 'unauthorized'>, ErrorPage>> = {
  // Input no page answered on its own form (a form not in UTF-8): the sender's to put right, not a fault.
  validation: { status: 400, template: 'errors/not-accepted.njk', title: 'What you sent could not be used' },
  forbidden: { status: 403, template: 'errors/not-allowed.njk', title: 'You cannot see this page' },
  'not-found': { status: 404, template: 'errors/not-found.njk', title: 'Page not found' },
  // A step the case had moved on from, which its page did not answer itself (a file still being
  // checked): nothing is wrong with the service.
  conflict: {
    status: 409,
    template: 'errors/moved-on.njk',
    title: 'Nothing was recorded, because the case had already moved on',
  },
  gone: { status: 410, template: 'errors/not-found.njk', title: 'Page not found' },
  'payload-too-large': { status: 413, template: 'errors/too-large.njk', title: 'Your answers are too long' },
  // Something other than a web form was posted to a page: nothing is wrong with the service.
  'unsupported-media-type': {
    status: 415,
    template: 'errors/not-a-form.njk',
    title: 'The form could not be sent',
  },
  'too-many-requests': { status: 429, template: 'errors/problem.njk', title: PROBLEM },
};

// /staff: signing staff in and out. On one machine a role picker gets a token from the local runtime's
// POST /local/token; in AWS the user pool's hosted sign-in does (see session/sign-in-settings.ts). Either
// way the token goes into a __Host- cookie and is verified on every request like the API's bearer tokens.
// The cookie outlives the token (STAFF_COOKIE_HOURS): a form sent after the token expired is kept, and
// signing in again leads to it (session/kept-form.ts).

import { AGENCY_LABELS } from '#core/agency-names.ts';
import { validate } from '#core/schemas/issues.ts';
import { localTokenSchema } from '#core/schemas/local-token.ts';
import type { StaffIdentity } from '#shared/staff-token.ts';
import { clearedCookie, hostCookie } from '../http/cookies.ts';
import { redirect } from '../http/response.ts';
import type { StaffPage, StaffPageContext } from '../page-context.ts';
import { type FieldError, pageErrors } from '../render/page-errors.ts';
import { COOKIES, STAFF_COOKIE_HOURS } from '../session/cookie-names.ts';
import { keptFormId } from '../session/kept-form.ts';
import { seal, unseal } from '../session/sealed.ts';
import { verifiedStaff } from '../session/staff-session.ts';
import {
  finishHostedSignIn,
  hostedSignOutLocation,
  localToken,
  type PendingSignIn,
  SignInError,
  startHostedSignIn,
} from '../session/token-sign-in.ts';

const SIGN_IN_MINUTES = 10;
const SIGN_IN_PURPOSE = 'hosted sign-in';

export function homeOf(staff: StaffIdentity): string {
  return staff.role === 'pcc' ? '/pcc/referrals' : '/staff/cases';
}

function signInPage(
  context: StaffPageContext,
  values: Record<string, string>,
  errors: FieldError[] = [],
  status = 200,
) {
  const { area, signIn } = context.deps;
  const notice =
    context.request.query.get('signedOut') === '1'
      ? 'signed-out'
      : keptFormId(context.request) !== undefined
        ? 'kept'
        : context.session.kind === 'expired'
          ? 'expired'
          : undefined;
  return context.view(
    'staff/sign-in.njk',
    {
      title: 'Sign in',
      mode: signIn.mode,
      notice,
      values,
      errors: errors.length > 0 ? pageErrors(errors) : undefined,
      cspItems: [
        { value: '', text: 'Choose a council area' },
        ...area.csps.map((csp) => ({ value: csp.id, text: csp.name, selected: values.csp === csp.id })),
      ],
      agencyItems: [
        { value: '', text: 'Choose an agency' },
        ...Object.entries(AGENCY_LABELS).map(([value, text]) => ({
          value,
          text,
          selected: values.agency === value,
        })),
      ],
    },
    status,
  );
}

// GET /staff
export const staffHomePage: StaffPage = async (context) => {
  if (context.staff) return redirect(homeOf(context.staff), 302);
  return signInPage(context, {});
};

/** Signed in: on to a form kept from the sign-in before, if there is one, else to their home page. */
function signedIn(context: StaffPageContext, staff: StaffIdentity, token: string) {
  const response = redirect(keptFormId(context.request) === undefined ? homeOf(staff) : '/staff/kept');
  response.cookies.push(
    hostCookie(COOKIES.staff, token, { sameSite: 'Lax', maxAge: STAFF_COOKIE_HOURS * 3600 }),
  );
  return response;
}

/**
 * The picker's errors in the words of its own labels: the token request's messages list the ids an API
 * caller sends ("Select the CSP: knowsley, liverpool, …"), which the page shows as names.
 */
const PICKER_WORDS: Readonly<Record<string, string>> = {
  role: 'Select your role',
  csp: 'Select your council area',
  agency: 'Select your agency',
};

// POST /staff: the local role picker.
export const staffSignInPage: StaffPage = async (context) => {
  const { signIn, area } = context.deps;
  if (signIn.mode !== 'local') return redirect('/staff');
  const form = context.request.form;
  const values = {
    role: form.get('role') ?? '',
    name: (form.get('name') ?? '').trim(),
    csp: form.get('csp') ?? '',
    agency: form.get('agency') ?? '',
  };
  const request = {
    role: values.role,
    name: values.name,
    ...(values.role !== 'pcc' && { csp: values.csp }),
    ...(values.role === 'agency' && { agency: values.agency }),
  };
  const schema = localTokenSchema({ cspIds: area.csps.map((csp) => csp.id), pccAreas: [area.id] });
  const parsed = validate(schema, request);
  if (!parsed.success) {
    const order = ['role', 'name', 'csp', 'agency'];
    const errors = parsed.issues
      .map((issue) => {
        const field = issue.path || 'role';
        return { field, text: PICKER_WORDS[field] ?? issue.message };
      })
      .filter((error) => order.includes(error.field))
      .sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field))
      .map((error) => ({ ...error, href: `#${error.field}` }));
    return signInPage(context, values, errors, 400);
  }
  const token = await localToken(signIn.tokenUrl, parsed.data);
  const staff = await verifiedStaff(context.deps.verifyStaffToken, token);
  return signedIn(context, staff, token);
};

// GET /staff/sign-in: off to the user pool's hosted sign-in.
export const staffHostedSignInPage: StaffPage = async (context) => {
  const { signIn } = context.deps;
  if (signIn.mode !== 'hosted') return redirect('/staff', 302);
  const { pending, location } = startHostedSignIn(signIn);
  const expires = new Date(context.now.getTime() + SIGN_IN_MINUTES * 60_000);
  const response = redirect(location, 302);
  response.cookies.push(
    hostCookie(COOKIES.signIn, seal(context.keys.seal, SIGN_IN_PURPOSE, pending, expires), {
      sameSite: 'Lax',
      maxAge: SIGN_IN_MINUTES * 60,
    }),
  );
  return response;
};

// GET /staff/callback?code=…&state=…: back from the hosted sign-in.
export const staffCallbackPage: StaffPage = async (context) => {
  const { signIn } = context.deps;
  const { keys } = context;
  if (signIn.mode !== 'hosted') return redirect('/staff', 302);
  const sealed = context.request.cookies.get(COOKIES.signIn);
  const pending = sealed ? unseal<PendingSignIn>(keys.seal, SIGN_IN_PURPOSE, sealed, context.now) : undefined;
  const code = context.request.query.get('code');
  if (!pending || !code || context.request.query.get('state') !== pending.state) {
    return context.view('staff/sign-in-failed.njk', { title: 'Sign in did not work' }, 400);
  }
  let result: { token: string };
  try {
    result = await finishHostedSignIn(signIn, pending, code);
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    return context.view('staff/sign-in-failed.njk', { title: 'Sign in did not work' }, 400);
  }
  const staff = await verifiedStaff(context.deps.verifyStaffToken, result.token);
  const response = signedIn(context, staff, result.token);
  response.cookies.push(clearedCookie(COOKIES.signIn));
  return response;
};

// POST /staff/sign-out: ends the session on the server too, whether it came as the cookie or a bearer.
export const staffSignOutPage: StaffPage = async (context) => {
  const { signIn } = context.deps;
  if (context.session.kind === 'signed-in') await context.deps.endStaffSession(context.session.token);
  const hosted = signIn.mode === 'hosted' ? hostedSignOutLocation(signIn) : undefined;
  const response = redirect(hosted ?? '/staff?signedOut=1');
  response.cookies.push(clearedCookie(COOKIES.staff));
  return response;
};

// What a form just did, carried to the page the browser is sent to next (Post/Redirect/Get), so that the
// page can say so in a notification banner without anything in its address. The cookie names the case
// and the action only (nothing personal) and lasts a minute; the page that shows it deletes it, so a
// reload or another case's page shows no banner. A forged value can only choose among the page's own
// banners for the forger's own browser.
import { clearedCookie, hostCookie } from '../http/cookies.ts';
import type { PageContext } from '../page-context.ts';
import { COOKIES } from './cookie-names.ts';

const SAFE = /^[A-Za-z0-9-]{1,60}$/;

/** Sets the flash for the page of case `reference`: `what` it was (an action name, or `moved-on`). */
export function setFlash(context: PageContext, reference: string, what: string): void {
  const key = reference.toUpperCase();
  if (!SAFE.test(key) || !SAFE.test(what)) return;
  context.cookies.push(hostCookie(COOKIES.flash, `${key}~${what}`, { sameSite: 'Lax', maxAge: 60 }));
}

/** What the last form did on case `reference`, once: the flash is deleted as it is read. */
export function takeFlash(context: PageContext, reference: string): string | undefined {
  const value = context.request.cookies.get(COOKIES.flash);
  if (value === undefined) return undefined;
  context.cookies.push(clearedCookie(COOKIES.flash));
  const [key, what] = value.split('~');
  return key === reference.toUpperCase() && what !== undefined && SAFE.test(what) ? what : undefined;
}

// Cookies as API Gateway HTTP APIs (payload 2.0) carry them: `event.cookies` holds "name=value" strings
// and a result's `cookies` becomes Set-Cookie headers.

/** The cookies of a request; the first of two cookies with one name wins, as browsers send the most specific first. */
export function readCookies(cookies: readonly string[] | undefined): ReadonlyMap<string, string> {
  const found = new Map<string, string>();
  for (const cookie of cookies ?? []) {
    for (const part of cookie.split(';')) {
      const separator = part.indexOf('=');
      if (separator < 1) continue;
      const name = part.slice(0, separator).trim();
      if (!found.has(name)) found.set(name, part.slice(separator + 1).trim());
    }
  }
  return found;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie; absent makes a session cookie. */
  maxAge?: number;
  sameSite: 'Strict' | 'Lax';
}

/**
 * A `__Host-` cookie: Secure, Path=/ and no Domain, so no other host or path can set or shadow it
 * (browsers accept Secure cookies from http://localhost and 127.0.0.1, so this holds locally too).
 */
export function hostCookie(name: `__Host-${string}`, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'Secure', 'HttpOnly', `SameSite=${options.sameSite}`];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  return parts.join('; ');
}

export function clearedCookie(name: `__Host-${string}`): string {
  return hostCookie(name, '', { maxAge: 0, sameSite: 'Lax' });
}

import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface PageResponse {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
  body: string;
  isBase64Encoded?: boolean;
  /** Origins this page's forms post to besides this service (storage, for an upload). */
  formTargets?: readonly string[];
  /** Origins this page's scripts send to besides this service (storage, for several files at once). */
  connectTargets?: readonly string[];
}

export function htmlResponse(status: number, body: string): PageResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, cookies: [], body };
}

/** An answer to a page's own script (the presigned POSTs for several files at once). */
export function jsonResponse(status: number, body: unknown): PageResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    cookies: [],
    body: JSON.stringify(body),
  };
}

/** After a POST, "303 See Other" makes the browser GET the next page (so a refresh never re-posts). */
export function redirect(location: string, status: 302 | 303 = 303): PageResponse {
  return { status, headers: { location }, cookies: [], body: '' };
}

/**
 * Headers for every page. The Content-Security-Policy allows scripts only from this origin or with this
 * response's nonce, styles and fonts only from this origin, and no framing or plugins. Forms post only
 * here; `formTargets` adds origins a form's response may redirect to (the hosted sign-out), and
 * `connectTargets` origins a script may send to (storage).
 */
export function securityHeaders(
  nonce: string,
  formTargets: readonly string[] = [],
  connectTargets: readonly string[] = [],
): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self'",
      "img-src 'self'",
      // No web fonts: the pages are in the device's Arial (functions/web/assets/app.scss).
      "font-src 'none'",
      ["connect-src 'self'", ...connectTargets].join(' '),
      "manifest-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      ["form-action 'self'", ...formTargets].join(' '),
      "frame-ancestors 'none'",
    ].join('; '),
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

export function toLambdaResult({
  formTargets: _,
  connectTargets: __,
  ...response
}: PageResponse): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: response.status,
    headers: response.headers,
    ...(response.cookies.length > 0 && { cookies: response.cookies }),
    body: response.body,
    ...(response.isBase64Encoded && { isBase64Encoded: true }),
  };
}

import { isUtf8 } from 'node:buffer';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { InvalidInputError, TooLargeError, UnsupportedMediaTypeError } from '#core/errors.ts';
import { readCookies } from './cookies.ts';

/** What a page needs of an API Gateway (payload 2.0) request. */
export interface PageRequest {
  readonly method: string;
  readonly routeKey: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: ReadonlyMap<string, string>;
  /** The form a POST sent; empty for any other request. */
  readonly form: URLSearchParams;
}

/** Forms are small; an application's longest answers are 10,000 characters each (contract.md). */
const MAX_FORM_BYTES = 1024 * 1024;

export function toPageRequest(event: APIGatewayProxyEventV2): PageRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const method = event.requestContext.http.method.toUpperCase();
  return {
    method,
    routeKey: event.routeKey,
    path: event.rawPath,
    params: Object.fromEntries(
      Object.entries(event.pathParameters ?? {}).filter((entry): entry is [string, string] => !!entry[1]),
    ),
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    cookies: readCookies(event.cookies),
    form: method === 'POST' ? readForm(event, headers['content-type'] ?? '') : new URLSearchParams(),
  };
}

function readForm(event: APIGatewayProxyEventV2, contentType: string): URLSearchParams {
  const body = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > MAX_FORM_BYTES) throw new TooLargeError(MAX_FORM_BYTES);
  if (bytes.length === 0) return new URLSearchParams();
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType))
    throw new UnsupportedMediaTypeError('Only HTML forms can be sent here.');
  // Browsers send forms in the page's encoding, UTF-8; other bytes would be stored as U+FFFD.
  if (!isUtf8(bytes))
    throw new InvalidInputError([{ path: 'form', message: 'The form is not text in UTF-8.' }]);
  return new URLSearchParams(bytes.toString('utf8'));
}

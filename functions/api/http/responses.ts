// Every response the API sends is built here, so each carries the same security headers.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

/**
 * `private`: case data and anything tied to who asked; never stored by a browser or proxy.
 * `public`: published data (statistics), which may be cached briefly but must be revalidated.
 */
export type Caching = 'private' | 'public';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // JSON and CSV are never documents to render: no scripts, no framing.
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

const CACHE_CONTROL: Readonly<Record<Caching, string>> = {
  private: 'no-store',
  public: 'no-cache',
};

function respond(
  statusCode: number,
  contentType: string,
  body: string,
  caching: Caching,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': contentType,
      'cache-control': CACHE_CONTROL[caching],
      ...headers,
    },
    body,
  };
}

export function json(
  statusCode: number,
  body: unknown,
  caching: Caching = 'private',
  headers?: Record<string, string>,
): HttpResult {
  return respond(statusCode, 'application/json; charset=utf-8', JSON.stringify(body), caching, headers);
}

export function csv(body: string, filename: string, caching: Caching = 'public'): HttpResult {
  return respond(200, 'text/csv; charset=utf-8', body, caching, {
    'content-disposition': `attachment; filename="${filename}"`,
  });
}

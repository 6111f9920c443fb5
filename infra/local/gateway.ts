// The local stand-in for API Gateway (HTTP API, payload format 2.0): each request becomes the event
// API Gateway would send to the route's function, and the function's result becomes the response,
// following the documented rules for both directions. Like CloudFront in front of it in AWS (compression
// on), it compresses a text response of 1,000 bytes or more with Brotli or gzip, as the client accepts,
// and it serves the pages' static files under /assets/ as CloudFront serves them from S3 in AWS.
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { json } from '#api/http/responses.ts';
import { LOCAL_ACCOUNT, localFunctionArn } from '#infra/functions.ts';
import { ASSET_CACHE_CONTROL, ASSET_TYPES, ASSETS } from '#infra/web-build.ts';

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface Route {
  /** "GET /api/cases/{reference}", as API Gateway writes a route key. */
  routeKey: string;
  functionName: string;
  handler: HttpHandler;
}

/** Served by the gateway itself (local-only endpoints such as the token issuer). */
export type LocalEndpoint = (request: { method: string; path: string; body: string }) => Promise<{
  statusCode: number;
  body: unknown;
}>;

export interface GatewayOptions {
  routes: readonly Route[];
  /**
   * Headers put on every request passed to a function, replacing any the client sent: what CloudFront
   * adds as its origin's custom headers (the origin secret, shared/origin-secret.ts).
   */
  originHeaders?: Readonly<Record<string, string>>;
  localEndpoints?: Readonly<Record<string, LocalEndpoint>>;
  /** The pages' static files, served under /assets/ as CloudFront serves them from their bucket. */
  staticFiles?: StaticFiles;
  /** Called with failures the client only sees as a 500; never with request data. */
  onError?: (error: unknown, routeKey: string) => void;
}

// API Gateway HTTP APIs refuse payloads over 10 MB; the handlers set their own, smaller limits.
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|xml|javascript))/i;

interface CompiledRoute extends Route {
  method: string;
  pattern: RegExp;
  paramNames: string[];
  /** Literal segments count more, as API Gateway prefers the most specific route. */
  specificity: number;
}

function compile(route: Route): CompiledRoute {
  const [method = '', path = ''] = route.routeKey.split(' ');
  const paramNames: string[] = [];
  let specificity = 0;
  const source = path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        paramNames.push(greedy[1]);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param?.[1]) {
        paramNames.push(param[1]);
        specificity += 1;
        return '([^/]+)';
      }
      specificity += 2;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...route, method, pattern: new RegExp(`^${source}$`), paramNames, specificity };
}

export function createGateway(options: GatewayOptions): Server {
  const routes = options.routes.map(compile).sort((a, b) => b.specificity - a.specificity);
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.onError?.(error, 'gateway');
      if (!response.headersSent) sendOwn(response, 500, { message: 'Internal Server Error' });
      else response.destroy();
    });
  });
  // Node closes an idle kept-alive connection after 5 s, just when a client (fetch keeps them 4 s) may be
  // sending its next request on it, which then fails with "other side closed". API Gateway and CloudFront
  // keep idle connections for about a minute, so the gateway does too, and a client's own timer ends first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    if (body === null) return sendOwn(response, 413, { message: 'Request Entity Too Large' });

    if (options.staticFiles && url.pathname.startsWith(ASSETS_PATH)) {
      const name = url.pathname.slice(ASSETS_PATH.length);
      return serveAsset(response, options.staticFiles, name, method, request.headers['accept-encoding']);
    }

    const local = options.localEndpoints?.[url.pathname];
    if (local) {
      const result = await local({ method, path: url.pathname, body: body.toString('utf8') });
      return sendOwn(response, result.statusCode, result.body);
    }

    const match = findRoute(method, url.pathname);
    if (!match) {
      return sendOwn(response, 404, { error: 'not-found', message: 'There is nothing at this address.' });
    }
    const { route, pathParameters } = match;
    const event = toEvent(request, url, body, route, pathParameters);
    for (const [name, value] of Object.entries(options.originHeaders ?? {})) {
      event.headers[name.toLowerCase()] = value;
    }
    let result: unknown;
    try {
      result = await route.handler(event, lambdaContext(route.functionName, event.requestContext.requestId));
    } catch (error) {
      options.onError?.(error, route.routeKey);
      return sendOwn(response, 500, { message: 'Internal Server Error' });
    }
    writeResult(response, result, request.headers['accept-encoding']);
  }

  function findRoute(method: string, path: string) {
    for (const route of routes) {
      if (route.method !== method && route.method !== 'ANY') continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const pathParameters: Record<string, string> = {};
      route.paramNames.forEach((name, index) => {
        pathParameters[name] = decodePathSegment(found[index + 1] ?? '');
      });
      return { route, pathParameters };
    }
    return undefined;
  }
}

const ASSETS_PATH = `/${ASSETS}/`;
// The build writes one flat folder: a name with no folder in it, of a type it writes.
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const assetCache = new Map<string, Buffer>();
/** A static file's compressed bodies, by encoding and path. */
const compressedAssets = new Map<string, Buffer>();

/** A static file: where it is, and the headers its object in the bucket carries. */
export interface StaticFile {
  readonly path: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

/** The static file of a name under /assets/ (the folder's files are candidates, checked on reading). */
export type StaticFiles = (name: string) => readonly StaticFile[];

/** The files infra/web-build.ts writes (`npm start`), with the headers the stack's uploads give them. */
export function staticFilesIn(folder: string): StaticFiles {
  return (name) => {
    const contentType = ASSET_TYPES[extname(name)];
    return contentType ? [{ path: join(folder, name), contentType, cacheControl: ASSET_CACHE_CONTROL }] : [];
  };
}

// As CloudFront in front of the private bucket: GET and HEAD only, the object's type and caching.
// Anything else is not there.
async function serveAsset(
  response: ServerResponse,
  staticFiles: StaticFiles,
  name: string,
  method: string,
  acceptEncoding: string | undefined,
): Promise<void> {
  const notThere = () =>
    sendOwn(response, 404, { error: 'not-found', message: 'There is nothing at this address.' });
  if ((method !== 'GET' && method !== 'HEAD') || !ASSET_NAME.test(name)) return notThere();
  let found: { file: StaticFile; content: Buffer } | undefined;
  for (const file of staticFiles(name)) {
    let content = assetCache.get(file.path);
    if (!content) {
      try {
        content = await readFile(file.path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        continue;
      }
      assetCache.set(file.path, content);
    }
    found = { file, content };
    break;
  }
  if (!found) return notThere();
  const { file, content } = found;
  response.statusCode = 200;
  response.setHeader('content-type', file.contentType);
  response.setHeader('cache-control', file.cacheControl);
  response.setHeader('x-content-type-options', 'nosniff');
  sendBody(response, content, acceptEncoding, file.path);
}

/**
 * A path parameter as the handler gets it: percent-decoded, or as it came when it is not valid
 * percent-encoding (`%ZZ`), which the handler then refuses like any value that is not one of its own.
 */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function toEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  route: CompiledRoute,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === 'cookie' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookies = request.headers.cookie
    ?.split(';')
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  // The event is JSON text, so a body that is not UTF-8 can reach the function only as its bytes, in
  // base64, whatever its Content-Type says; the function then refuses it (400) rather than seeing U+FFFD.
  const isText = TEXT_TYPES.test(headers['content-type'] ?? 'text/plain') && isUtf8(body);
  const now = new Date();
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies && cookies.length > 0 && { cookies }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(route.paramNames.length > 0 && { pathParameters }),
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 && {
      body: isText ? body.toString('utf8') : body.toString('base64'),
    }),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** The context Lambda gives a handler, for a function run in this process. */
export function lambdaContext(functionName: string, awsRequestId: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(functionName),
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

// CloudFront's rules: from 1,000 bytes, types it compresses, Brotli before gzip.
const MIN_COMPRESSED_BYTES = 1000;
const COMPRESSIBLE = /^(text\/|application\/(json|[\w.+-]+\+json|javascript|xml)|image\/svg\+xml)/i;
// Synchronous: for a page's few kilobytes the thread pool's round trip costs more than the compression
// itself (measured, a 10 KB page with gzip: 0.22 ms of CPU async, 0.09 ms sync), and every page request
// pays it on the event loop the whole service shares. So a page, compressed for each request, takes the
// fastest level (as nginx's default, gzip level 1): measured on a 10 KB page, gzip 0.07 ms against 0.14
// at the default level 6 and Brotli 0.05 against 0.17 at quality 4, for 5-9% more bytes. A static file,
// compressed once and kept (compressedAssets), takes the smallest.
const compressors = {
  page: {
    br: (body: Buffer) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }),
    gzip: (body: Buffer) => gzipSync(body, { level: 1 }),
  },
  asset: {
    br: (body: Buffer) =>
      brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
    gzip: (body: Buffer) => gzipSync(body, { level: constants.Z_BEST_COMPRESSION }),
  },
} as const;

function encodingFor(acceptEncoding: string | undefined): keyof typeof compressors.page | undefined {
  const accepted = (acceptEncoding ?? '')
    .split(',')
    .map((part) => part.trim().split(';'))
    .filter(([, quality]) => quality?.trim() !== 'q=0')
    .map(([name]) => name?.trim().toLowerCase());
  return accepted.includes('br') ? 'br' : accepted.includes('gzip') ? 'gzip' : undefined;
}

// Payload 2.0 response rules: a result with a statusCode is taken as given; anything else is JSON.
function writeResult(response: ServerResponse, result: unknown, acceptEncoding?: string): void {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    send(response, 200, result === undefined ? null : result);
    return;
  }
  const structured = result as APIGatewayProxyStructuredResultV2;
  for (const [name, value] of Object.entries(structured.headers ?? {})) {
    response.setHeader(name, String(value));
  }
  if (structured.cookies?.length) response.setHeader('set-cookie', structured.cookies);
  const text = structured.body ?? '';
  response.statusCode = structured.statusCode ?? 200;
  sendBody(
    response,
    structured.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text),
    acceptEncoding,
  );
}

/**
 * The body, compressed as CloudFront would by the response's type and size and what the client accepts;
 * a static file's (`assetPath`) compressed once and kept.
 */
function sendBody(response: ServerResponse, body: Buffer, acceptEncoding?: string, assetPath?: string): void {
  const encoding = encodingFor(acceptEncoding);
  const compressible =
    COMPRESSIBLE.test(String(response.getHeader('content-type') ?? '')) &&
    !response.hasHeader('content-encoding') &&
    body.length >= MIN_COMPRESSED_BYTES;
  if (compressible) response.setHeader('vary', 'accept-encoding');
  if (!compressible || encoding === undefined) {
    response.end(body);
    return;
  }
  response.setHeader('content-encoding', encoding);
  if (assetPath === undefined) {
    response.end(compressors.page[encoding](body));
    return;
  }
  const key = `${encoding}:${assetPath}`;
  let compressed = compressedAssets.get(key);
  if (!compressed) {
    compressed = compressors.asset[encoding](body);
    compressedAssets.set(key, compressed);
  }
  response.end(compressed);
}

/** The gateway's own answers (its errors, the local endpoints) carry the handlers' security headers. */
function sendOwn(response: ServerResponse, statusCode: number, body: unknown): void {
  writeResult(response, json(statusCode, body));
}

function send(response: ServerResponse, statusCode: number, body: unknown): void {
  response.statusCode = statusCode;
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify(body));
}

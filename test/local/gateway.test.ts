import { request as httpRequest, type Server } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '#api/http/responses.ts';
import { assetsFolder, buildWeb } from '#infra/web-build.ts';
import { createGateway, type HttpHandler, staticFilesIn } from '#local/gateway.ts';

const PAGE = `<!DOCTYPE html><p>${'Anti-social behaviour case review. '.repeat(100)}</p>`;

/** The raw response (fetch would decompress it). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      httpRequest(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    },
  );
}

describe('local HTTP gateway (API Gateway HTTP API, payload 2.0)', () => {
  let server: Server;
  let base: string;
  const seen: APIGatewayProxyEventV2[] = [];
  const errors: unknown[] = [];
  const echo: HttpHandler = async (event) => {
    seen.push(event);
    return { statusCode: 201, headers: { 'x-route': event.routeKey }, cookies: ['a=1', 'b=2'], body: 'ok' };
  };

  beforeAll(async () => {
    server = createGateway({
      routes: [
        { routeKey: 'POST /api/cases/{reference}/withdraw', functionName: 'Action', handler: echo },
        { routeKey: 'GET /api/cases/{reference}', functionName: 'Case', handler: echo },
        { routeKey: 'GET /api/cases/mine', functionName: 'Mine', handler: echo },
        { routeKey: 'GET /plain', functionName: 'Plain', handler: async () => ({ hello: 'world' }) },
        {
          routeKey: 'GET /page',
          functionName: 'Page',
          handler: async () => ({
            statusCode: 200,
            headers: { 'content-type': 'text/html; charset=utf-8' },
            body: PAGE,
          }),
        },
        {
          routeKey: 'GET /font',
          functionName: 'Font',
          handler: async () => ({
            statusCode: 200,
            headers: { 'content-type': 'font/woff2' },
            body: Buffer.alloc(4000, 1).toString('base64'),
            isBase64Encoded: true,
          }),
        },
        {
          routeKey: 'GET /boom',
          functionName: 'Boom',
          handler: async () => {
            throw new Error('secret internals');
          },
        },
      ],
      localEndpoints: {
        '/local/ping': async (request) => ({ statusCode: 200, body: { method: request.method } }),
      },
      staticFiles: staticFilesIn(assetsFolder()),
      onError: (error) => errors.push(error),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('turns a request into the event API Gateway sends', async () => {
    const response = await fetch(`${base}/api/cases/SEF-1%202?stage=a&stage=b&x=1`, {
      headers: { cookie: 'session=abc; theme=dark', 'X-Access-Code': 'code' },
    });

    expect(response.status).toBe(201);
    const event = seen.at(-1);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /api/cases/{reference}',
      rawPath: '/api/cases/SEF-1%202',
      rawQueryString: 'stage=a&stage=b&x=1',
      cookies: ['session=abc', 'theme=dark'],
      pathParameters: { reference: 'SEF-1 2' },
      queryStringParameters: { stage: 'a,b', x: '1' },
      requestContext: { http: { method: 'GET', path: '/api/cases/SEF-1%202' }, stage: '$default' },
      isBase64Encoded: false,
    });
    expect(event?.headers['x-access-code']).toBe('code');
    expect(event?.headers.cookie).toBeUndefined();
  });

  it('prefers the most specific route', async () => {
    await fetch(`${base}/api/cases/mine`);

    expect(seen.at(-1)?.routeKey).toBe('GET /api/cases/mine');
  });

  it('passes JSON bodies as text and binary bodies as base64', async () => {
    await fetch(`${base}/api/cases/R/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"reason":"moved"}',
    });
    expect(seen.at(-1)).toMatchObject({ body: '{"reason":"moved"}', isBase64Encoded: false });

    await fetch(`${base}/api/cases/R/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 255]),
    });
    expect(seen.at(-1)).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
  });

  it('passes a body that is not UTF-8 as its bytes, in base64, whatever its content type', async () => {
    const bytes = new Uint8Array([...Buffer.from('{"reason":"'), 0xff, 0xfe, ...Buffer.from('"}')]);

    await fetch(`${base}/api/cases/R/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });

    expect(seen.at(-1)).toMatchObject({ body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true });
  });

  it('passes a path parameter that is not valid percent-encoding as it came', async () => {
    const response = await fetch(`${base}/api/cases/%ZZ`);

    expect(response.status).toBe(201);
    expect(seen.at(-1)?.pathParameters).toEqual({ reference: '%ZZ' });
  });

  it('writes headers and every cookie of a structured result', async () => {
    const response = await fetch(`${base}/api/cases/R`);

    expect(response.headers.get('x-route')).toBe('GET /api/cases/{reference}');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.text()).toBe('ok');
  });

  it('sends a result without statusCode as JSON with 200', async () => {
    const response = await fetch(`${base}/plain`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ hello: 'world' });
  });

  it('answers 404 for no route and 500 without internals when a handler throws', async () => {
    const missing = await fetch(`${base}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not-found' });
    expect((await fetch(`${base}/api/cases/R`, { method: 'DELETE' })).status).toBe(404);

    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret');
    expect(errors).toHaveLength(1);
  });

  it('refuses payloads over API Gateway’s 10 MB with 413', async () => {
    const response = await fetch(`${base}/api/cases/R/withdraw`, {
      method: 'POST',
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
  });

  it('sends its own errors with the security headers the handlers send', async () => {
    const answers = [
      await fetch(`${base}/nowhere`),
      await fetch(`${base}/boom`),
      await fetch(`${base}/api/cases/R/withdraw`, { method: 'POST', body: 'x'.repeat(10 * 1024 * 1024 + 1) }),
    ];

    for (const answer of answers) {
      expect(Object.fromEntries(answer.headers)).toMatchObject({
        ...SECURITY_HEADERS,
        'cache-control': 'no-store',
        'content-type': 'application/json; charset=utf-8',
      });
    }
  });

  it('serves its own local endpoints', async () => {
    const response = await fetch(`${base}/local/ping`, { method: 'POST' });

    expect(await response.json()).toEqual({ method: 'POST' });
  });

  describe('compression, as CloudFront compresses in front of it', () => {
    it('sends a text response in Brotli when the client accepts it, else in gzip', async () => {
      const brotli = await rawGet(`${base}/page`, { 'accept-encoding': 'gzip, deflate, br' });
      const gzipped = await rawGet(`${base}/page`, { 'accept-encoding': 'gzip' });

      expect(brotli.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(brotli.body).toString()).toBe(PAGE);
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzipped.body).toString()).toBe(PAGE);
      expect(gzipped.headers.vary).toBe('accept-encoding');
    });

    it('sends the body as it is to a client that accepts no compression, or refuses it', async () => {
      const none = await rawGet(`${base}/page`, {});
      const refused = await rawGet(`${base}/page`, { 'accept-encoding': 'br;q=0, gzip;q=0' });

      expect(none.headers['content-encoding']).toBeUndefined();
      expect(none.body.toString()).toBe(PAGE);
      expect(refused.headers['content-encoding']).toBeUndefined();
    });

    it('leaves small responses and types that are compressed already alone', async () => {
      const small = await rawGet(`${base}/plain`, { 'accept-encoding': 'br' });
      const font = await rawGet(`${base}/font`, { 'accept-encoding': 'br' });

      expect(small.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(small.body.toString())).toEqual({ hello: 'world' });
      expect(font.headers['content-encoding']).toBeUndefined();
      expect(font.body).toEqual(Buffer.alloc(4000, 1));
    });
  });

  // The static files moved from the pages' function to the edge (issue 15): these are its
  // former checks of them, against the names the build gives them.
  describe('the static files, as CloudFront serves them from S3', () => {
    const built = buildWeb();

    it('serves the stylesheet, GOV.UK Frontend’s script and images by their built names, cacheable for a year', async () => {
      // Act
      const css = await fetch(`${base}/assets/${built['app.css']}`);
      const image = await fetch(`${base}/assets/${built['images/govuk-icon-180.png']}`);
      const script = await fetch(`${base}/assets/${built['app.mjs']}`);

      // Assess
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toContain('text/css');
      expect(image.headers.get('content-type')).toBe('image/png');
      expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(script.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await script.text()).toContain('govuk-radios');
    });

    it('names each file by its content, and a file it names by that file’s built name', async () => {
      // Act
      const css = await (await fetch(`${base}/assets/${built['app.css']}`)).text();
      const manifest = await (await fetch(`${base}/assets/${built['manifest.json']}`)).text();

      // Assess
      expect(built['app.css']).toMatch(/^app\.[0-9a-f]{12}\.css$/);
      expect(css).toContain(`url("/assets/${built['images/govuk-crest.svg']}")`);
      expect(css).not.toContain('/assets/images/');
      expect(manifest).toContain(`"src": "${built['images/govuk-icon-180.png']}"`);
      expect(manifest).not.toContain('"images/');
    });

    it('compresses the stylesheet as CloudFront does', async () => {
      const css = await rawGet(`${base}/assets/${built['app.css']}`, {
        'accept-encoding': 'br',
      });

      expect(css.headers['content-encoding']).toBe('br');
    });

    it.each([
      'govuk-frontend.min.css',
      'app.mjs',
      'fonts/bold-b542beb274-v2.woff2',
      '../package.json',
      'fonts/../../../../package.json',
      '%2e%2e/package.json',
      'nothing.css',
      'app.ts',
    ])('serves nothing else: %s', async (path) => {
      // Act
      const response = await fetch(`${base}/assets/${path}`);

      // Assess
      expect(response.status).toBe(404);
    });

    it('serves nothing but GET and HEAD', async () => {
      const response = await fetch(`${base}/assets/${built['app.css']}`, { method: 'POST', body: 'x' });

      expect(response.status).toBe(404);
    });
  });
});

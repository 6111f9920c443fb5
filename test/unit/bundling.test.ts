import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOptions, PROJECT_ROOT } from '#infra/bundling.ts';

// A function that sends one SES command, built as every function is.
const ENTRY = `import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
export async function handler(endpoint) {
  const client = new SESv2Client({ endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  return client.send(new SendEmailCommand({ FromEmailAddress: 'asb@example.org', Destination: { ToAddresses: ['officer@example.org'] }, Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Text' } } } } }));
}
`;

describe('a function’s bundle', () => {
  let root: string;
  let code: string;
  let handler: (endpoint: string) => Promise<{ MessageId?: string }>;

  beforeAll(async () => {
    root = mkdtempSync(join(PROJECT_ROOT, '.build', 'bundling-test-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/send.ts'), ENTRY);
    const outdir = join(root, 'out');
    await build(bundleOptions({ entry: join(root, 'src/send.ts').slice(PROJECT_ROOT.length + 1), outdir }));
    code = readdirSync(outdir, { recursive: true })
      .filter((file) => String(file).endsWith('.mjs'))
      .map((file) => readFileSync(join(outdir, String(file)), 'utf8'))
      .join('\n');
    ({ handler } = await import(pathToFileURL(join(outdir, 'index.mjs')).href));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('carries only the schemas of the SDK commands it sends, not the rest of the service’s model', () => {
    // Assess
    expect(code).toContain('outbound-emails');
    expect(code).not.toContain('BatchGetMetricData');
    expect(code).not.toContain('/v2/email/contact-lists');
  });

  it('sends a command as the SDK’s model says, to its path with its method', async () => {
    // Prepare
    const requests: { method?: string; url?: string; body: string }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        requests.push({ method: request.method, url: request.url, body });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"MessageId":"m-1"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    // Act
    const sent = await handler(`http://127.0.0.1:${port}`).finally(() => server.close());

    // Assess
    expect(sent.MessageId).toBe('m-1');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.url).toBe('/v2/email/outbound-emails');
    expect(JSON.parse(requests[0]?.body ?? '')).toMatchObject({
      FromEmailAddress: 'asb@example.org',
      Destination: { ToAddresses: ['officer@example.org'] },
    });
  });
});

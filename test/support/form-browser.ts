// A browser without JavaScript for page tests against the running service (test/support/local-service.ts):
// it keeps cookies, posts a page's own forms with their form token, and sends a file with a page's
// upload form straight to the form's action (storage), as a browser does.
import { expect } from 'vitest';
import { addDays, ukDateOf } from '#core/local-date.ts';
import type { LocalService } from '#test/support/local-service.ts';

/** A browser without JavaScript: it keeps cookies, sends forms as they are, and follows nothing by itself. */
export class FormBrowser {
  private readonly service: LocalService;
  private readonly cookies = new Map<string, string>();
  private readonly headers: Record<string, string>;

  constructor(service: LocalService, headers: Record<string, string> = {}) {
    this.service = service;
    this.headers = headers;
  }

  private keep(response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string) {
    const response = await fetch(url.startsWith('http') ? url : `${this.service.url}${url}`, {
      headers: { ...this.headers, cookie: this.cookieHeader() },
      redirect: 'manual',
    });
    this.keep(response);
    return { response, html: await response.text() };
  }

  /** Posts the page's own form at `path` (its form token added), as a browser would. */
  async post(path: string, fields: Record<string, string>) {
    const { html } = await this.get(path);
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const response = await fetch(`${this.service.url}${path}`, {
      method: 'POST',
      headers: {
        ...this.headers,
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ ...fields, csrfToken }).toString(),
      redirect: 'manual',
    });
    this.keep(response);
    return response;
  }

  /**
   * Sends a file with the page's upload form: its hidden fields in order, then the file, to the form's
   * action (the storage endpoint); then follows storage's redirect back to the page.
   */
  async upload(html: string, bytes: Uint8Array, name: string) {
    const form =
      /<form method="post" action="([^"]+)" enctype="multipart\/form-data"[^>]*>([\s\S]*?)<\/form>/.exec(
        html,
      );
    if (!form) throw new Error('The page has no upload form');
    const body = new FormData();
    for (const [, field, value] of (form[2] ?? '').matchAll(
      /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
    )) {
      body.append(field as string, decodeEntities(value as string));
    }
    body.append('file', new Blob([bytes]), name);
    const stored = await fetch(decodeEntities(form[1] as string), {
      method: 'POST',
      body,
      redirect: 'manual',
    });
    return stored;
  }
}

const decodeEntities = (text: string) =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/** Applies through the resident's pages, one question a page; the reference and access code. */
export async function applyWithoutJavaScript(browser: FormBrowser) {
  const occurred = addDays(ukDateOf(new Date()), -20);
  const reported = addDays(occurred, 1);
  const date = (name: string, value: string) => {
    const [year = '', month = '', day = ''] = value.split('-');
    return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year };
  };
  const answers: Record<string, Record<string, string>> = {
    area: { csp: 'sefton' },
    victim: { victimType: 'individual' },
    'someone-else': { forSomeoneElse: 'no' },
    'your-details': { name: 'Jo Resident', address: '1 Hill Street, Bootle', postcode: 'L20 1AA' },
    contact: { email: 'jo@example.com', phone: '', contactPreference: 'email' },
    needs: {},
    description: { description: 'Loud parties most nights.' },
    impact: { impact: 'I cannot sleep.' },
    involvement: { involvement: 'updates-only', consultOnPlan: 'yes' },
    'incident-1': {
      ...date('occurredOn', occurred),
      ...date('reportedOn', reported),
      reportedTo: 'police',
      description: 'Party until 3am.',
      hateMotivated: 'no',
      reportedElsewhere: 'no',
    },
    incidents: { addAnother: 'no' },
    consent: { consentToShare: 'yes' },
    check: {},
  };
  let step = 'area';
  for (let pages = 0; step !== 'confirmation'; pages += 1) {
    if (pages > 20) throw new Error(`The application did not get to its confirmation (at ${step})`);
    const response = await browser.post(`/apply/${step}`, answers[step] ?? {});
    expect(response.status, `${step}: ${await response.clone().text()}`).toBe(303);
    step = (response.headers.get('location') ?? '').replace(/^\/apply\//, '');
  }
  const { html } = await browser.get('/apply/confirmation');
  const reference = /Reference number: ([A-Z0-9-]+)/.exec(html)?.[1] ?? '';
  const accessCode = /id="access-code">([^<]+)</.exec(html)?.[1]?.trim() ?? '';
  return { reference, accessCode, html };
}

/** Reloads `path` until its page shows `text` (the processing runs after storage's notification). */
export async function reloadUntil(browser: FormBrowser, path: string, text: RegExp) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { html } = await browser.get(path);
    if (text.test(html)) return html;
    if (Date.now() > deadline) throw new Error(`${path} never showed ${text}: ${html.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

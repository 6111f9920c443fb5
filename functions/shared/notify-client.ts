// GOV.UK Notify's REST API (v2), the calls the notifier makes (shared/notify-govuk.ts), over Node's own
// fetch. Notify's Node client brings axios, mime-db and a JWT library (340 KB in a bundle) for the same
// four requests, each a JSON body and a bearer token: a JWT signed with HMAC-SHA256, as Notify's API
// documentation describes (https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header).
import { createHmac } from 'node:crypto';
import { onFirstUse } from '#clients/on-first-use.ts';

export const NOTIFY_API = 'https://api.notifications.service.gov.uk';

/** Notify's answer to a request it refused: its HTTP status and its body (`errors`: error and message). */
export class NotifyRequestError extends Error {
  readonly status: number;
  readonly body: unknown;

  // The message names the status only: Notify's error messages may quote the recipient.
  constructor(status: number, body: unknown) {
    super(`GOV.UK Notify answered ${status}`);
    this.name = 'NotifyRequestError';
    this.status = status;
    this.body = body;
  }
}

export class NotifyApiKeyError extends Error {
  override name = 'NotifyApiKeyError';
}

export interface NotifyOptions {
  readonly personalisation: Readonly<Record<string, string>>;
  /** Notify finds a notification by it (shared/notify-govuk.ts sends each message once by its id). */
  readonly reference: string;
}

export interface NotifyApi {
  sendEmail(templateId: string, emailAddress: string, options: NotifyOptions): Promise<unknown>;
  sendSms(templateId: string, phoneNumber: string, options: NotifyOptions): Promise<unknown>;
  sendLetter(templateId: string, options: NotifyOptions): Promise<unknown>;
  /** The notifications of one type sent with `reference` (Notify's first page, the newest 250). */
  notificationsByReference(
    templateType: 'email' | 'sms' | 'letter',
    reference: string,
  ): Promise<{ notifications: readonly unknown[] }>;
}

// An API key is "<key name>-<service id>-<secret>", both of them UUIDs.
const API_KEY =
  /^.+-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A token for one request: Notify accepts one issued within the last 30 seconds. */
function bearerToken(serviceId: string, secret: string, now: Date): string {
  const unsigned = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))}.${base64url(
    JSON.stringify({ iss: serviceId, iat: Math.floor(now.getTime() / 1000) }),
  )}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** A Notify client with `apiKey` (as Notify gives it), against `baseUrl` (Notify's own by default). */
export function createNotifyClient(
  apiKey: string,
  baseUrl: string = NOTIFY_API,
  now: () => Date = () => new Date(),
): NotifyApi {
  const key = API_KEY.exec(apiKey.trim());
  // The key itself is never quoted.
  if (!key) throw new NotifyApiKeyError('The GOV.UK Notify API key is not "<name>-<service id>-<secret>"');
  const [, serviceId = '', secret = ''] = key;

  async function request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearerToken(serviceId, secret, now())}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // A proxy's or load balancer's page: kept as text for the status alone.
    }
    if (!response.ok) throw new NotifyRequestError(response.status, parsed);
    return parsed;
  }

  return {
    sendEmail: (templateId, emailAddress, { personalisation, reference }) =>
      request('POST', '/v2/notifications/email', {
        template_id: templateId,
        email_address: emailAddress,
        personalisation,
        reference,
      }),
    sendSms: (templateId, phoneNumber, { personalisation, reference }) =>
      request('POST', '/v2/notifications/sms', {
        template_id: templateId,
        phone_number: phoneNumber,
        personalisation,
        reference,
      }),
    sendLetter: (templateId, { personalisation, reference }) =>
      request('POST', '/v2/notifications/letter', { template_id: templateId, personalisation, reference }),
    async notificationsByReference(templateType, reference) {
      const query = new URLSearchParams({ template_type: templateType, reference });
      const found = (await request('GET', `/v2/notifications?${query}`)) as {
        notifications?: unknown;
      } | null;
      // Read as "none sent", an answer of another shape would send the message again.
      if (!Array.isArray(found?.notifications)) throw new NotifyRequestError(200, 'no notifications list');
      return { notifications: found.notifications };
    },
  };
}

// Notify's answer to a key it does not know or has revoked (AuthError).
const KEY_REFUSED = 403;

/**
 * A client built by `load` (reading the API key) on first use, and built again when Notify refuses its
 * key, the refused request then made once more: a key rotated in the secret is taken at the next message
 * by an instance that had read the old one, so the old key can be revoked at once. A refused request
 * sent nothing, so making it again sends nothing twice.
 */
export function reloadingKeyWhenRefused(load: () => Promise<NotifyApi>): NotifyApi {
  let client = onFirstUse(load);
  async function call<T>(request: (api: NotifyApi) => Promise<T>): Promise<T> {
    const used = client;
    try {
      return await request(await used());
    } catch (error) {
      if (!(error instanceof NotifyRequestError && error.status === KEY_REFUSED)) throw error;
      // Requests refused together load the key once.
      if (client === used) client = onFirstUse(load);
      return request(await client());
    }
  }
  return {
    sendEmail: (...args) => call((api) => api.sendEmail(...args)),
    sendSms: (...args) => call((api) => api.sendSms(...args)),
    sendLetter: (...args) => call((api) => api.sendLetter(...args)),
    notificationsByReference: (...args) => call((api) => api.notificationsByReference(...args)),
  };
}

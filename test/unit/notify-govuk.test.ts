import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MERSEYSIDE, requireCsp } from '#core/area-config.ts';
import { letterContact } from '#core/case-review.ts';
import { EXAMPLE_NOTIFICATIONS } from '#infra/deployment-config.ts';
import { MissingApplicantContactError, NotifyDeliveryError } from '#shared/delivery-errors.ts';
import { renderMessage } from '#shared/messages.ts';
import { readNotificationSettings } from '#shared/notification-settings.ts';
import { type ApplicantContact, messageId, type Notification } from '#shared/notifier.ts';
import {
  createNotifyClient,
  type NotifyApi,
  NotifyApiKeyError,
  NotifyRequestError,
  reloadingKeyWhenRefused,
} from '#shared/notify-client.ts';
import { createGovukNotifyNotifier, letterAddress } from '#shared/notify-govuk.ts';

const settings = readNotificationSettings(EXAMPLE_NOTIFICATIONS, MERSEYSIDE);
const templates = settings.govukNotify?.templates;

const contact = (overrides: Partial<ApplicantContact> = {}): ApplicantContact => ({
  name: 'A Resident',
  email: 'resident@home.example',
  phone: '07700 900123',
  address: '1 Example Road\nBootle',
  postcode: 'L20 1AA',
  contactPreference: 'email',
  ...overrides,
});

const toApplicant = (details: ApplicantContact): Notification => ({
  to: { kind: 'applicant', reference: 'SEF-7K3M-Q9XD', csp: 'sefton', contact: details },
  template: 'case-closed',
  facts: { reason: 'withdrawn', plan: null, contact: letterContact(requireCsp(MERSEYSIDE, 'sefton'), null) },
  key: 'closed',
});

interface Sent {
  channel: 'email' | 'sms' | 'letter';
  templateId: string;
  to?: string;
  options: { personalisation: Record<string, string>; reference: string };
}

function fakeNotify(alreadySent: readonly string[] = []): NotifyApi & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async sendEmail(templateId, to, options) {
      sent.push({ channel: 'email', templateId, to, options });
      return {};
    },
    async sendSms(templateId, to, options) {
      sent.push({ channel: 'sms', templateId, to, options });
      return {};
    },
    async sendLetter(templateId, options) {
      sent.push({ channel: 'letter', templateId, options });
      return {};
    },
    async notificationsByReference(_type, reference) {
      return { notifications: alreadySent.includes(reference) ? [{ reference }] : [] };
    },
  };
}

describe('the GOV.UK Notify notifier', () => {
  it('emails an applicant who chose email, with the words of the message and its id as reference', async () => {
    // Prepare
    const api = fakeNotify();
    const notification = toApplicant(contact());

    // Act
    await createGovukNotifyNotifier({ api: async () => api, settings }).notify(notification);

    // Assess
    const { subject, body } = renderMessage(notification);
    expect(api.sent).toEqual([
      {
        channel: 'email',
        templateId: templates?.email,
        to: 'resident@home.example',
        options: { personalisation: { subject, body }, reference: `${messageId(notification)}-email` },
      },
    ]);
  });

  it('writes a letter to an applicant who chose post, addressed from their application', async () => {
    // Prepare
    const api = fakeNotify();

    // Act
    await createGovukNotifyNotifier({ api: async () => api, settings }).notify(
      toApplicant(contact({ contactPreference: 'post', email: undefined })),
    );

    // Assess
    expect(api.sent.map((sent) => sent.channel)).toEqual(['letter']);
    expect(api.sent[0]?.templateId).toBe(templates?.letter);
    expect(api.sent[0]?.options.personalisation).toMatchObject({
      address_line_1: 'A Resident',
      address_line_2: '1 Example Road',
      address_line_3: 'Bootle',
      address_line_4: 'L20 1AA',
    });
  });

  it('texts an applicant who chose texts that a letter with the details follows, then sends it', async () => {
    // Prepare
    const api = fakeNotify();

    // Act
    await createGovukNotifyNotifier({ api: async () => api, settings }).notify(
      toApplicant(contact({ contactPreference: 'text' })),
    );

    // Assess
    expect(api.sent.map((sent) => [sent.channel, sent.to])).toEqual([
      ['sms', '07700 900123'],
      ['letter', undefined],
    ]);
    expect(api.sent[0]?.options.personalisation.body).toMatch(/letter with the details/);
  });

  it('emails staff at their CSP’s mailbox', async () => {
    // Prepare
    const api = fakeNotify();

    // Act
    await createGovukNotifyNotifier({ api: async () => api, settings }).notify({
      to: { kind: 'manager', reference: 'SEF-7K3M-Q9XD', csp: 'sefton' },
      template: 'case-withdrawn',
      facts: { fearOfReprisal: false },
      key: 'withdrawn',
    });

    // Assess
    expect(api.sent.map((sent) => sent.to)).toEqual(['asb-manager@sefton.example']);
  });

  it('sends nothing Notify already has for a retried step', async () => {
    // Prepare
    const notification = toApplicant(contact({ contactPreference: 'text' }));
    const api = fakeNotify([`${messageId(notification)}-sms`]);

    // Act
    await createGovukNotifyNotifier({ api: async () => api, settings }).notify(notification);

    // Assess
    expect(api.sent.map((sent) => sent.channel)).toEqual(['letter']);
  });

  it('reports Notify’s refusal by status and error code only', async () => {
    // Prepare
    const api = fakeNotify();
    api.sendEmail = async () => {
      throw new NotifyRequestError(400, {
        errors: [{ error: 'BadRequestError', message: 'resident@home.example' }],
      });
    };

    // Act
    const sending = createGovukNotifyNotifier({ api: async () => api, settings }).notify(
      toApplicant(contact()),
    );

    // Assess
    await expect(sending).rejects.toThrow(NotifyDeliveryError);
    await expect(sending).rejects.toMatchObject({ status: 400, notifyErrors: ['BadRequestError'] });
    await expect(sending).rejects.not.toThrow(/resident@home/);
  });

  it('refuses a message to an applicant without contact details', async () => {
    await expect(
      createGovukNotifyNotifier({ api: async () => fakeNotify(), settings }).notify({
        to: { kind: 'applicant', reference: 'SEF-7K3M-Q9XD', csp: 'sefton' },
        template: 'case-withdrawn',
        facts: { fearOfReprisal: false },
        key: 'withdrawn',
      }),
    ).rejects.toThrow(MissingApplicantContactError);
  });
});

describe('the GOV.UK Notify client after its API key is rotated', () => {
  const keyRefused = () =>
    new NotifyRequestError(403, {
      errors: [{ error: 'AuthError', message: 'Invalid token: API key revoked' }],
    });

  /** The client of a key Notify has revoked: every request refused. */
  function revoked(): NotifyApi {
    const api = fakeNotify();
    api.notificationsByReference = async () => {
      throw keyRefused();
    };
    api.sendEmail = async () => {
      throw keyRefused();
    };
    return api;
  }

  /** Each load reads the next key's client; `loads()` counts them. */
  function keys(...clients: NotifyApi[]) {
    let loads = 0;
    return {
      api: reloadingKeyWhenRefused(async () => {
        const client = clients[Math.min(loads, clients.length - 1)] as NotifyApi;
        loads += 1;
        return client;
      }),
      loads: () => loads,
    };
  }

  it('reads the key again when Notify refuses it, and sends the message once, with the new key', async () => {
    // Prepare
    const rotated = fakeNotify();
    const { api, loads } = keys(revoked(), rotated);
    const notifier = createGovukNotifyNotifier({ api: async () => api, settings });

    // Act
    const beforeAnyMessage = loads();
    await notifier.notify(toApplicant(contact()));
    const afterTheFirst = loads();
    await notifier.notify(toApplicant(contact({ name: 'B Resident' })));

    // Assess
    expect([beforeAnyMessage, afterTheFirst, loads()]).toEqual([0, 2, 2]);
    expect(rotated.sent.map((sent) => sent.channel)).toEqual(['email', 'email']);
  });

  it('reads it once for requests refused together', async () => {
    // Prepare
    const rotated = fakeNotify();
    const { api, loads } = keys(revoked(), rotated);
    const notifier = createGovukNotifyNotifier({ api: async () => api, settings });

    // Act
    await Promise.all([
      notifier.notify(toApplicant(contact())),
      notifier.notify(toApplicant(contact({ name: 'B Resident' }))),
    ]);

    // Assess
    expect(loads()).toBe(2);
    expect(rotated.sent).toHaveLength(2);
  });

  it('reports a key still refused, and reads no key again for any other refusal', async () => {
    // Prepare
    const stillRevoked = keys(revoked(), revoked());
    const badRequest = fakeNotify();
    badRequest.sendEmail = async () => {
      throw new NotifyRequestError(400, { errors: [{ error: 'BadRequestError', message: '…' }] });
    };
    const other = keys(badRequest, fakeNotify());
    const notify = (api: NotifyApi) =>
      createGovukNotifyNotifier({ api: async () => api, settings }).notify(toApplicant(contact()));

    // Act, Assess
    await expect(notify(stillRevoked.api)).rejects.toMatchObject({
      status: 403,
      notifyErrors: ['AuthError'],
    });
    expect(stillRevoked.loads()).toBe(2);
    await expect(notify(other.api)).rejects.toMatchObject({ status: 400 });
    expect(other.loads()).toBe(1);
  });
});

describe('letterAddress', () => {
  it('keeps to Notify’s seven lines, the last the postcode, without repeating it', () => {
    // Act
    const lines = letterAddress(
      contact({ address: 'Flat 2, 1 Example Road, Seaforth, Bootle, Sefton, Merseyside, l20 1aa' }),
    );

    // Assess
    expect(lines).toEqual({
      address_line_1: 'A Resident',
      address_line_2: 'Flat 2',
      address_line_3: '1 Example Road',
      address_line_4: 'Seaforth',
      address_line_5: 'Bootle',
      address_line_6: 'Sefton, Merseyside',
      address_line_7: 'L20 1AA',
    });
  });
});

describe('the GOV.UK Notify client', () => {
  const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
  const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';
  const API_KEY = `asb_case_review-${SERVICE_ID}-${SECRET}`;
  const NOW = new Date('2026-12-06T10:00:00Z');

  interface Received {
    method: string;
    url: string;
    claims: unknown;
    signed: boolean;
    body: unknown;
  }
  const received: Received[] = [];
  let answer: { status: number; body: string } = { status: 201, body: '{"id":"1"}' };
  const notify = createServer(async (request: IncomingMessage, response) => {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    const [header = '', claims = '', signature = ''] = (request.headers.authorization ?? '')
      .replace(/^Bearer /, '')
      .split('.');
    received.push({
      method: request.method ?? '',
      url: request.url ?? '',
      claims: JSON.parse(Buffer.from(claims, 'base64url').toString()),
      signed:
        JSON.parse(Buffer.from(header, 'base64url').toString()).alg === 'HS256' &&
        createHmac('sha256', SECRET).update(`${header}.${claims}`).digest('base64url') === signature,
      body: text === '' ? undefined : JSON.parse(text),
    });
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  let client: NotifyApi;

  beforeAll(async () => {
    await new Promise<void>((resolve) => notify.listen(0, '127.0.0.1', resolve));
    const { port } = notify.address() as AddressInfo;
    client = createNotifyClient(API_KEY, `http://127.0.0.1:${port}`, () => NOW);
  });
  afterAll(() => new Promise<void>((resolve) => notify.close(() => resolve())));

  it('sends each kind of message as Notify’s API takes it, signed for the key’s service', async () => {
    // Prepare
    received.length = 0;
    answer = { status: 201, body: '{"id":"1"}' };
    const options = { personalisation: { subject: 'S', body: 'B' }, reference: 'm-1' };

    // Act
    await client.sendEmail('t-email', 'resident@home.example', options);
    await client.sendSms('t-sms', '07700 900123', options);
    await client.sendLetter('t-letter', options);

    // Assess
    const claims = { iss: SERVICE_ID, iat: NOW.getTime() / 1000 };
    expect(received).toEqual([
      {
        method: 'POST',
        url: '/v2/notifications/email',
        claims,
        signed: true,
        body: { template_id: 't-email', email_address: 'resident@home.example', ...options },
      },
      {
        method: 'POST',
        url: '/v2/notifications/sms',
        claims,
        signed: true,
        body: { template_id: 't-sms', phone_number: '07700 900123', ...options },
      },
      {
        method: 'POST',
        url: '/v2/notifications/letter',
        claims,
        signed: true,
        body: { template_id: 't-letter', ...options },
      },
    ]);
  });

  it('finds the notifications of a type sent with a reference', async () => {
    // Prepare
    received.length = 0;
    answer = { status: 200, body: '{"notifications":[{"id":"1","reference":"m-1-sms"}]}' };

    // Act
    const found = await client.notificationsByReference('sms', 'm-1-sms');

    // Assess
    expect(found).toEqual({ notifications: [{ id: '1', reference: 'm-1-sms' }] });
    expect(received.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'GET /v2/notifications?template_type=sms&reference=m-1-sms',
    ]);
  });

  it('gives a refusal’s status and body, and never reads an answer without its list as nothing sent', async () => {
    // Prepare
    answer = {
      status: 400,
      body: '{"errors":[{"error":"BadRequestError","message":"x"}],"status_code":400}',
    };

    // Act and assess
    await expect(client.sendLetter('t', { personalisation: {}, reference: 'r' })).rejects.toMatchObject({
      name: 'NotifyRequestError',
      status: 400,
      body: { errors: [{ error: 'BadRequestError', message: 'x' }] },
    });
    answer = { status: 200, body: '<html>maintenance</html>' };
    await expect(client.notificationsByReference('email', 'r')).rejects.toThrow(NotifyRequestError);
  });

  it('refuses an API key not in Notify’s form, without quoting it', () => {
    expect(() => createNotifyClient('pencil-sharpener')).toThrow(NotifyApiKeyError);
    expect(() => createNotifyClient('pencil-sharpener')).not.toThrow(/pencil/);
  });
});

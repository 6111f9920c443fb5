import { describe, expect, it } from 'vitest';
import { MERSEYSIDE } from '#core/area-config.ts';
import { EXAMPLE_NOTIFICATIONS } from '#infra/deployment-config.ts';
import { MissingApplicantContactError, NotifyDeliveryError } from '#shared/delivery-errors.ts';
import { renderMessage } from '#shared/messages.ts';
import { readNotificationSettings } from '#shared/notification-settings.ts';
import { type ApplicantContact, messageId, type Notification } from '#shared/notifier.ts';
import { createGovukNotifyNotifier, letterAddress, type NotifyApi } from '#shared/notify-govuk.ts';

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
  facts: { reason: 'withdrawn' },
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
    async getNotifications(_type, _status, reference) {
      return { data: { notifications: alreadySent.includes(reference ?? '') ? [{ reference }] : [] } };
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
      throw Object.assign(new Error('Request failed'), {
        config: { data: 'resident@home.example' },
        response: {
          status: 400,
          data: { errors: [{ error: 'BadRequestError', message: 'resident@home.example' }] },
        },
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

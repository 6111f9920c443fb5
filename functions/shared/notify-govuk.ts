// The notifier for AWS through GOV.UK Notify, the service UK councils already send with: email to staff
// mailboxes and to applicants who chose email, and a letter to everyone else (with a text message first
// for those who chose texts), so an applicant without email still gets each decision in writing.
//
// Notify has no idempotency key, but it finds notifications by the reference given when sending: each
// delivery carries the message's id as its reference and is skipped if Notify already has it, so a
// retried workflow step does not send twice.
import { MissingApplicantContactError, NotifyDeliveryError } from '#shared/delivery-errors.ts';
import { type Message, renderMessage } from '#shared/messages.ts';
import {
  type NotificationSettings,
  type NotifyTemplates,
  notifyTemplates,
  recipientMailbox,
} from '#shared/notification-settings.ts';
import { type ApplicantContact, messageId, type Notification, type Notifier } from '#shared/notifier.ts';
import { type NotifyApi, NotifyRequestError } from '#shared/notify-client.ts';

type Channel = 'email' | 'sms' | 'letter';

interface Delivery {
  readonly channel: Channel;
  send(api: NotifyApi, reference: string): Promise<unknown>;
}

/** A text message has no room for the reasons, so it says what happened and that a letter follows. */
const SMS_FOLLOW_UP = 'We have also sent you a letter with the details.';

// Notify takes up to 7 address lines, the last of them the postcode; the first here is the name.
const MAX_ADDRESS_LINES = 7;

const squash = (text: string) => text.replace(/\s+/g, '').toUpperCase();

/** The letter's address lines: the name, the address as written (without a repeated postcode), the postcode. */
export function letterAddress(contact: ApplicantContact): Record<string, string> {
  const street = contact.address
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && squash(line) !== squash(contact.postcode));
  const room = MAX_ADDRESS_LINES - 2;
  const lines = [
    contact.name,
    ...street.slice(0, room - 1),
    ...(street.length >= room ? [street.slice(room - 1).join(', ')] : []),
    contact.postcode,
  ];
  return Object.fromEntries(lines.map((line, index) => [`address_line_${index + 1}`, line]));
}

/** The access code goes in the text too, so that it reaches the applicant before the letter. */
function codeLine(notification: Notification): string {
  const { facts } = notification;
  return 'accessCode' in facts && facts.accessCode !== undefined
    ? `Your access code is ${facts.accessCode}.`
    : '';
}

function deliveries(
  notification: Notification,
  message: Message,
  templates: NotifyTemplates,
  settings: NotificationSettings,
): Delivery[] {
  const words = { subject: message.subject, body: message.body };
  const email = (address: string): Delivery => ({
    channel: 'email',
    send: (api, reference) => api.sendEmail(templates.email, address, { personalisation: words, reference }),
  });
  const { to } = notification;
  if (to.kind !== 'applicant') return [email(recipientMailbox(settings, to))];
  const contact = to.contact;
  if (!contact) throw new MissingApplicantContactError();
  if (contact.contactPreference === 'email' && contact.email) return [email(contact.email)];
  const letter: Delivery = {
    channel: 'letter',
    send: (api, reference) =>
      api.sendLetter(templates.letter, {
        personalisation: { ...letterAddress(contact), ...words },
        reference,
      }),
  };
  const { phone } = contact;
  if (contact.contactPreference === 'text' && phone) {
    const sms: Delivery = {
      channel: 'sms',
      send: (api, reference) =>
        api.sendSms(templates.sms, phone, {
          personalisation: {
            body: [`${message.subject}.`, codeLine(notification), SMS_FOLLOW_UP].filter(Boolean).join(' '),
          },
          reference,
        }),
    };
    return [sms, letter];
  }
  return [letter];
}

function deliveryError(channel: Channel, error: unknown): NotifyDeliveryError {
  if (!(error instanceof NotifyRequestError)) return new NotifyDeliveryError(channel, undefined, []);
  const { errors } = (error.body ?? {}) as { errors?: unknown };
  const codes = (Array.isArray(errors) ? errors : []).flatMap((item: { error?: unknown } | null) =>
    typeof item?.error === 'string' ? [item.error] : [],
  );
  return new NotifyDeliveryError(channel, error.status, codes);
}

export interface GovukNotifyNotifierOptions {
  /** Gives the Notify client, built on first use (its API key comes from Secrets Manager). */
  readonly api: () => Promise<NotifyApi>;
  readonly settings: NotificationSettings;
}

export function createGovukNotifyNotifier(options: GovukNotifyNotifierOptions): Notifier {
  const templates = notifyTemplates(options.settings);
  return {
    async notify(notification) {
      const api = await options.api();
      const id = messageId(notification);
      const message = renderMessage(notification);
      for (const delivery of deliveries(notification, message, templates, options.settings)) {
        const reference = `${id}-${delivery.channel}`;
        try {
          const sent = await api.notificationsByReference(delivery.channel, reference);
          if (sent.notifications.length > 0) continue;
          await delivery.send(api, reference);
        } catch (error) {
          throw deliveryError(delivery.channel, error);
        }
      }
    },
  };
}

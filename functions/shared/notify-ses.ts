// The notifier for AWS through Amazon SES, for areas that send email themselves rather than through
// GOV.UK Notify. SES only sends email: a message to an applicant who did not choose email goes to
// their CSP's officers' mailbox as a letter to post (or a call to make), with the address to use.
import type { SesClient } from '#clients/ses.ts';
import { MissingApplicantContactError, SesDeliveryError } from '#shared/delivery-errors.ts';
import { type Message, renderMessage } from '#shared/messages.ts';
import {
  type NotificationSettings,
  recipientMailbox,
  sesSettings,
  staffMailbox,
} from '#shared/notification-settings.ts';
import { type ApplicantContact, messageId, type Notification, type Notifier } from '#shared/notifier.ts';

interface Email {
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

const PREFERENCE_WORDS: Readonly<Record<string, string>> = {
  phone: 'asked to be telephoned',
  text: 'asked for text messages',
  post: 'asked for letters by post',
};

/** The officers' copy of a message for an applicant SES cannot reach directly. */
export function letterForOfficers(contact: ApplicantContact, message: Message): Message {
  const reachBy = [
    `The applicant ${PREFERENCE_WORDS[contact.contactPreference] ?? 'has no email address'}, so this message could not be sent to them by email.`,
    'Please send it to them as a letter, or tell them by telephone and record that you did.',
  ].join(' ');
  const address = [contact.name, contact.address, contact.postcode].join('\n');
  const phone = contact.phone ? `\nTelephone: ${contact.phone}` : '';
  return {
    subject: `Letter to send: ${message.subject}`,
    body: `${reachBy}\n\nAddress:\n${address}${phone}\n\n----------\n\n${message.body}`,
  };
}

function emailFor(notification: Notification, settings: NotificationSettings): Email {
  const message = renderMessage(notification);
  const { to } = notification;
  if (to.kind !== 'applicant') return { to: recipientMailbox(settings, to), ...message };
  const contact = to.contact;
  if (!contact) throw new MissingApplicantContactError();
  if (contact.contactPreference === 'email' && contact.email) return { to: contact.email, ...message };
  return { to: staffMailbox(settings, 'officer', to.csp), ...letterForOfficers(contact, message) };
}

export interface SesNotifierOptions {
  readonly client: SesClient;
  readonly settings: NotificationSettings;
}

export function createSesNotifier(options: SesNotifierOptions): Notifier {
  const ses = sesSettings(options.settings);
  return {
    async notify(notification) {
      const email = emailFor(notification, options.settings);
      // The command, as the client (clients/ses.ts), is loaded with the first email.
      const { SendEmailCommand } = await import('#clients/ses-calls.ts');
      const command = new SendEmailCommand({
        FromEmailAddress: ses.fromAddress,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: email.body, Charset: 'UTF-8' } },
          },
        },
        // The message's id lets a bounce or complaint be traced to the case's message, not to a person.
        EmailTags: [{ Name: 'message-id', Value: messageId(notification) }],
        ...(ses.configurationSet && { ConfigurationSetName: ses.configurationSet }),
      });
      try {
        await options.client.send(command);
      } catch (error) {
        throw new SesDeliveryError({ cause: error });
      }
    },
  };
}

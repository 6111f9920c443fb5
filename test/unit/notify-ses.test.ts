import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { MERSEYSIDE, requireCsp } from '#core/area-config.ts';
import { letterContact } from '#core/case-review.ts';
import { EXAMPLE_NOTIFICATIONS } from '#infra/deployment-config.ts';
import { SesDeliveryError } from '#shared/delivery-errors.ts';
import { type NotificationSettings, readNotificationSettings } from '#shared/notification-settings.ts';
import type { ApplicantContact, Notification } from '#shared/notifier.ts';
import { createSesNotifier } from '#shared/notify-ses.ts';

const settings: NotificationSettings = {
  ...readNotificationSettings(EXAMPLE_NOTIFICATIONS, MERSEYSIDE),
  provider: 'ses',
  ses: { fromAddress: 'no-reply@community-trigger.example', configurationSet: 'asb-case-review' },
};

const contact = (overrides: Partial<ApplicantContact> = {}): ApplicantContact => ({
  name: 'A Resident',
  email: 'resident@home.example',
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

function fakeSes() {
  const commands: SendEmailCommand[] = [];
  return {
    commands,
    async send(command: unknown) {
      commands.push(command as SendEmailCommand);
      return {};
    },
  };
}

describe('the SES notifier', () => {
  it('emails an applicant who chose email from the service address', async () => {
    // Prepare
    const ses = fakeSes();

    // Act
    await createSesNotifier({ client: ses as never, settings }).notify(toApplicant(contact()));

    // Assess
    const [command] = ses.commands;
    expect(command).toBeInstanceOf(SendEmailCommand);
    expect(command?.input).toMatchObject({
      FromEmailAddress: 'no-reply@community-trigger.example',
      Destination: { ToAddresses: ['resident@home.example'] },
      ConfigurationSetName: 'asb-case-review',
      Content: { Simple: { Subject: { Data: expect.stringContaining('SEF-7K3M-Q9XD') } } },
    });
  });

  it('asks the CSP’s officers to post a letter to an applicant who did not choose email', async () => {
    // Prepare
    const ses = fakeSes();

    // Act
    await createSesNotifier({ client: ses as never, settings }).notify(
      toApplicant(contact({ contactPreference: 'post', email: undefined })),
    );

    // Assess
    const input = ses.commands[0]?.input;
    expect(input?.Destination?.ToAddresses).toEqual(['asb-team@sefton.example']);
    expect(input?.Content?.Simple?.Subject?.Data).toMatch(/^Letter to send: /);
    expect(input?.Content?.Simple?.Body?.Text?.Data).toContain('A Resident\n1 Example Road\nBootle\nL20 1AA');
  });

  it('reports a refused send as a delivery error', async () => {
    // Prepare
    const client = { send: async () => Promise.reject(new Error('MessageRejected')) };

    // Act and assess
    await expect(
      createSesNotifier({ client: client as never, settings }).notify(toApplicant(contact())),
    ).rejects.toThrow(SesDeliveryError);
  });
});

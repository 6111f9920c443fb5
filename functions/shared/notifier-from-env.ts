// Chooses the notifier from the environment (notifier-settings.ts): GOV.UK Notify or Amazon SES in AWS,
// the outbox under DATA_DIR on one machine.

import { readSecretString } from '#clients/secrets-manager.ts';
import { createSesClient } from '#clients/ses.ts';
import { type Clock, systemClock } from '#core/clock.ts';
import type { Notifier } from '#shared/notifier.ts';
import { type NotifierSettings, notifierSettingsFromEnv } from '#shared/notifier-settings.ts';
import { createNotifyClient, type NotifyApi, reloadingKeyWhenRefused } from '#shared/notify-client.ts';
import { createGovukNotifyNotifier } from '#shared/notify-govuk.ts';
import { createSesNotifier } from '#shared/notify-ses.ts';
import { createOutboxNotifier, outboxDirectory } from '#shared/outbox-notifier.ts';

type Env = Readonly<Record<string, string | undefined>>;

async function notifyClient(secretArn: string): Promise<NotifyApi> {
  return createNotifyClient(await readSecretString(secretArn));
}

/**
 * The Notify client with its API key from Secrets Manager, read on first use and again whenever Notify
 * refuses the key it has (a rotation: README, "Deploy").
 */
function notifyApiFrom(secretArn: string): () => Promise<NotifyApi> {
  const api = reloadingKeyWhenRefused(() => notifyClient(secretArn));
  return async () => api;
}

/** The notifier of settings already read and checked. */
export function notifierFrom(settings: NotifierSettings, clock: Clock = systemClock): Notifier {
  switch (settings.kind) {
    case 'govuk-notify':
      return createGovukNotifyNotifier({
        api: notifyApiFrom(settings.apiKeySecretArn),
        settings: settings.settings,
      });
    case 'ses':
      return createSesNotifier({ client: createSesClient(), settings: settings.settings });
    case 'outbox':
      return createOutboxNotifier({ directory: outboxDirectory(settings.dataDir), clock });
  }
}

/** Throws, as notifierSettingsFromEnv does, on a setting missing or wrong. */
export function notifierFromEnv(env: Env = process.env, clock: Clock = systemClock): Notifier {
  return notifierFrom(notifierSettingsFromEnv(env), clock);
}

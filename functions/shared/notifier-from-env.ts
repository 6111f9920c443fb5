// Chooses the notifier from the environment: GOV.UK Notify or Amazon SES in AWS (NOTIFIER, set by the
// CDK app with the settings it bundled), the outbox under DATA_DIR on one machine.

import { onFirstUse } from '#clients/on-first-use.ts';
import { readSecretString } from '#clients/secrets-manager.ts';
import { createSesClient } from '#clients/ses.ts';
import { type Clock, systemClock } from '#core/clock.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';
import { readNotificationSettings } from '#shared/notification-settings.ts';
import type { Notifier } from '#shared/notifier.ts';
import { createNotifyClient, type NotifyApi } from '#shared/notify-client.ts';
import { createGovukNotifyNotifier } from '#shared/notify-govuk.ts';
import { createSesNotifier } from '#shared/notify-ses.ts';
import { createOutboxNotifier, outboxDirectory } from '#shared/outbox-notifier.ts';

type Env = Readonly<Record<string, string | undefined>>;

export class NotifierSettingError extends Error {
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(message);
    this.name = 'NotifierSettingError';
    this.setting = setting;
  }
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new NotifierSettingError(name, `The environment variable ${name} must be set`);
  return value;
}

async function notifyClient(secretArn: string): Promise<NotifyApi> {
  return createNotifyClient(await readSecretString(secretArn));
}

/** The Notify client with its API key from Secrets Manager, built once per function instance, on first use. */
function notifyApiFrom(secretArn: string): () => Promise<NotifyApi> {
  return onFirstUse(() => notifyClient(secretArn));
}

export function notifierFromEnv(env: Env = process.env, clock: Clock = systemClock): Notifier {
  const kind = env.NOTIFIER ?? 'outbox';
  switch (kind) {
    case 'govuk-notify':
      return createGovukNotifyNotifier({
        api: notifyApiFrom(required(env, 'NOTIFY_API_KEY_SECRET_ARN')),
        settings: readNotificationSettings(
          required(env, 'NOTIFICATION_SETTINGS_FILE'),
          areaConfigFromEnv(env),
        ),
      });
    case 'ses':
      return createSesNotifier({
        client: createSesClient(),
        settings: readNotificationSettings(
          required(env, 'NOTIFICATION_SETTINGS_FILE'),
          areaConfigFromEnv(env),
        ),
      });
    case 'outbox':
      return createOutboxNotifier({ directory: outboxDirectory(required(env, 'DATA_DIR')), clock });
    default:
      throw new NotifierSettingError(
        'NOTIFIER',
        `NOTIFIER must be govuk-notify, ses or outbox, not "${kind}"`,
      );
  }
}

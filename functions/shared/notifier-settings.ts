// The notifier's settings as the environment gives them (NOTIFIER, set by the CDK app with the settings it
// bundled): read and checked when the function starts, so that a deployment missing one fails at once
// rather than at its first message, apart from the clients that send (notifier-from-env.ts), which a
// function may load on first use (notifier-on-first-use.ts).
import { areaConfigFromEnv } from '#shared/deployed-area.ts';
import {
  type NotificationSettings,
  notifyTemplates,
  readNotificationSettings,
  sesSettings,
} from '#shared/notification-settings.ts';

type Env = Readonly<Record<string, string | undefined>>;

export class NotifierSettingError extends Error {
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(message);
    this.name = 'NotifierSettingError';
    this.setting = setting;
  }
}

/** GOV.UK Notify or Amazon SES with the bundled settings in AWS, the outbox under DATA_DIR on one machine. */
export type NotifierSettings =
  | {
      readonly kind: 'govuk-notify';
      readonly apiKeySecretArn: string;
      readonly settings: NotificationSettings;
    }
  | { readonly kind: 'ses'; readonly settings: NotificationSettings }
  | { readonly kind: 'outbox'; readonly dataDir: string };

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new NotifierSettingError(name, `The environment variable ${name} must be set`);
  return value;
}

const bundledSettings = (env: Env) =>
  readNotificationSettings(required(env, 'NOTIFICATION_SETTINGS_FILE'), areaConfigFromEnv(env));

/** Throws NotifierSettingError, or the notification settings' own error, naming what is missing or wrong. */
export function notifierSettingsFromEnv(env: Env = process.env): NotifierSettings {
  const kind = env.NOTIFIER ?? 'outbox';
  switch (kind) {
    case 'govuk-notify': {
      const apiKeySecretArn = required(env, 'NOTIFY_API_KEY_SECRET_ARN');
      const settings = bundledSettings(env);
      notifyTemplates(settings);
      return { kind, apiKeySecretArn, settings };
    }
    case 'ses': {
      const settings = bundledSettings(env);
      sesSettings(settings);
      return { kind, settings };
    }
    case 'outbox':
      return { kind, dataDir: required(env, 'DATA_DIR') };
    default:
      throw new NotifierSettingError(
        'NOTIFIER',
        `NOTIFIER must be govuk-notify, ses or outbox, not "${kind}"`,
      );
  }
}

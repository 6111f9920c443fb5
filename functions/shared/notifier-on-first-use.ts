// The notifier of notifier-from-env.ts with its clients and messages loaded when the function first sends
// one: most of the pages' requests send nothing (a submission, a new access code, a withdrawal or a
// decision does). Its settings are read and checked at once, so that a deployment missing one fails when
// the function starts, not at its first message.
import { onFirstUse } from '#clients/on-first-use.ts';
import type { Notifier } from '#shared/notifier.ts';
import { notifierSettingsFromEnv } from '#shared/notifier-settings.ts';

export function notifierOnFirstUse(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Notifier {
  const settings = notifierSettingsFromEnv(env);
  const notifier = onFirstUse(async () =>
    (await import('#shared/notifier-from-env.ts')).notifierFrom(settings),
  );
  return { notify: async (notification) => (await notifier()).notify(notification) };
}

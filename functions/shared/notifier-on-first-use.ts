// The notifier of notifier-from-env.ts, with its clients, settings and messages loaded when the function
// first sends one: most of the pages' requests send nothing (a submission, a new access code, a
// withdrawal or a decision does).
import { onFirstUse } from '#clients/on-first-use.ts';
import type { Notifier } from '#shared/notifier.ts';

export function notifierOnFirstUse(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Notifier {
  const notifier = onFirstUse(async () =>
    (await import('#shared/notifier-from-env.ts')).notifierFromEnv(env),
  );
  return { notify: async (notification) => (await notifier()).notify(notification) };
}

// Amazon SES, for a deployment that sends notifications by email from its own domain. Every function that
// may notify carries the SES notifier, and most deployments send through GOV.UK Notify: the SES client is
// loaded with the first email sent, not with the function (about 30 ms of CPU at each cold start).
import type { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { onFirstUse } from '#clients/on-first-use.ts';

/** The one call the notifier makes. */
export interface SesClient {
  send(command: SendEmailCommand): Promise<unknown>;
}

export function createSesClient(): SesClient {
  const client = onFirstUse(async () => {
    const { SESv2Client } = await import('#clients/ses-calls.ts');
    return new SESv2Client({});
  });
  return { send: async (command) => (await client()).send(command) };
}

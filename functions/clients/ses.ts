// Amazon SES, for a deployment that sends notifications by email from its own domain.
import { SESv2Client } from '@aws-sdk/client-sesv2';

export function createSesClient(): SESv2Client {
  return new SESv2Client({});
}

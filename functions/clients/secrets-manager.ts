// Secrets Manager, read once per function instance: the Notify API key, the pages' session secret.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** A secret's text. */
export async function readSecretString(secretArn: string): Promise<string> {
  const client = new SecretsManagerClient({});
  try {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    return secret.SecretString ?? '';
  } finally {
    client.destroy();
  }
}

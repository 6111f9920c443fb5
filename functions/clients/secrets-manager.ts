// Secrets Manager, read once per function instance: the Notify API key (the secrets rotated while functions
// run are read by stage and again every few minutes: secret-stages.ts). The client is loaded with the first
// read, not with the function: a workflow step reads the Notify key only when it first sends through Notify.

/** A secret's text. */
export async function readSecretString(secretArn: string): Promise<string> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('#clients/secrets-manager-calls.ts');
  const client = new SecretsManagerClient({});
  try {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    return secret.SecretString ?? '';
  } finally {
    client.destroy();
  }
}

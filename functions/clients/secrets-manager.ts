// Secrets Manager: the Notify API key, read once per function instance (and again when Notify refuses
// it); the secrets that are rotated while functions run (the origin secret, the pages' session secret),
// read by version stage and again every few minutes. The client is loaded with the first read, not with
// the function: a workflow step reads the Notify key only when it first sends through Notify.

/** How long a function trusts the values it read: a rotation reaches every warm instance within this. */
export const SECRET_REREAD_MS = 5 * 60_000;

/** A version stage of a rotated secret (Secrets Manager's own labels). */
export type VersionStage = 'AWSCURRENT' | 'AWSPENDING' | 'AWSPREVIOUS';

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

/**
 * The texts of the secret's versions at `stages`, in that order; a stage no version has (a secret never
 * rotated has no AWSPREVIOUS, one between rotations no AWSPENDING) gives none, except AWSCURRENT.
 */
export async function readSecretStages(
  secretArn: string,
  stages: readonly VersionStage[],
): Promise<string[]> {
  const { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } = await import(
    '#clients/secrets-manager-calls.ts'
  );
  const client = new SecretsManagerClient({});
  const read = async (stage: VersionStage): Promise<string[]> => {
    try {
      const secret = await client.send(
        new GetSecretValueCommand({ SecretId: secretArn, VersionStage: stage }),
      );
      return secret.SecretString ? [secret.SecretString] : [];
    } catch (error) {
      if (stage !== 'AWSCURRENT' && error instanceof ResourceNotFoundException) return [];
      throw error;
    }
  };
  try {
    return (await Promise.all(stages.map(read))).flat();
  } finally {
    client.destroy();
  }
}

/**
 * `read`, run at most once per `ttlMs` (a failed read is not kept, so the next caller tries again): what a
 * warm instance holds of a rotated secret.
 */
export function rereadEvery<T>(
  read: () => Promise<T>,
  ttlMs = SECRET_REREAD_MS,
  now: () => number = Date.now,
): () => Promise<T> {
  let cached: { value: Promise<T>; readAt: number } | undefined;
  return () => {
    if (cached === undefined || now() - cached.readAt >= ttlMs) {
      const value = read();
      cached = { value, readAt: now() };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
}

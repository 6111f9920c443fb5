// The secrets rotated while functions run (the origin secret, the pages' session secret): read by version
// stage, and again every few minutes. Every HTTP function reads the origin secret on its first request,
// so the client is loaded with the function (at its cold start), not at that first read.
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

/** How long a function trusts the values it read: a rotation reaches every warm instance within this. */
export const SECRET_REREAD_MS = 5 * 60_000;

/** A version stage of a rotated secret (Secrets Manager's own labels). */
export type VersionStage = 'AWSCURRENT' | 'AWSPENDING' | 'AWSPREVIOUS';

/**
 * Reads the texts of the secret's versions at `stages`, in that order; a stage no version has (a secret
 * never rotated has no AWSPREVIOUS, one between rotations no AWSPENDING) gives none, except AWSCURRENT.
 */
export function secretStages(secretArn: string, stages: readonly VersionStage[]): () => Promise<string[]> {
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
  return async () => (await Promise.all(stages.map(read))).flat();
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

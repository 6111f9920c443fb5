// The secrets of the cloud assembly, served on one machine as Secrets Manager serves them (AWS JSON 1.1,
// `X-Amz-Target: secretsmanager.<Operation>`): GetSecretValue and DescribeSecret by ARN, partial ARN
// or name. Each secret's value is generated as its GenerateSecretString asks, once, and kept under
// DATA_DIR, so the pages' sessions outlive a restart as they outlive a deployment. A deployed
// function's call is checked against its role policies first.
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import { ACCESS_DENIED, jsonObject, readBody, sendAwsJson } from '#local/deployed/aws-json.ts';
import { operationOf, secretsManagerRequests } from '#local/deployed/aws-requests.ts';
import type { DeployedSecret } from '#local/deployed/cloud-assembly.ts';
import { accessKeyOf, type LocalIam } from '#local/deployed/iam.ts';

const TARGET_PREFIX = 'secretsmanager.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

interface StoredSecret {
  readonly value: string;
  readonly createdAt: number;
}

function generate(secret: DeployedSecret): string {
  const alphabet = LETTERS + (secret.generate?.ExcludePunctuation ? '' : PUNCTUATION);
  const length = secret.generate?.PasswordLength ?? 32;
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** The secrets' values, made on first use and kept in `file`. */
export function localSecretValues(
  file: string,
  secrets: readonly DeployedSecret[],
): Map<string, StoredSecret> {
  const stored: Record<string, StoredSecret> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, StoredSecret>)
    : {};
  for (const secret of secrets) {
    stored[secret.arn] ??= { value: generate(secret), createdAt: Math.floor(Date.now() / 1000) };
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return new Map(Object.entries(stored));
}

export class UnknownSecretReferenceError extends Error {
  override name = 'UnknownSecretReferenceError';
}

/**
 * `text` with each dynamic reference to a secret's text (`{{resolve:secretsmanager:<arn>:SecretString:::}}`,
 * as CloudFormation resolves it at deployment) replaced by the local secret's value.
 */
export function resolveSecretReferences(text: string, values: ReadonlyMap<string, StoredSecret>): string {
  // A version id pins a version; a secret here has one, so any version reads as its value.
  return text.replace(
    /\{\{resolve:secretsmanager:(.+?):SecretString:::[A-Za-z0-9-]*\}\}/g,
    (_whole, arn: string) => {
      const stored = values.get(arn);
      if (!stored) throw new UnknownSecretReferenceError(`No secret of the assembly is ${arn}`);
      return stored.value;
    },
  );
}

export function createSecretsManagerServer(options: {
  secrets: readonly DeployedSecret[];
  valuesFile: string;
  iam: LocalIam;
  onError?: (error: unknown) => void;
}): Server {
  const values = localSecretValues(options.valuesFile, options.secrets);
  const find = (id: string) =>
    options.secrets.find(
      (secret) => secret.arn === id || secret.name === id || secret.arn.slice(0, -7) === id,
    );
  return createServer((request, response) => {
    void (async () => {
      const body = jsonObject(await readBody(request));
      const operation = operationOf(request.headers['x-amz-target'], TARGET_PREFIX);
      const reply = (status: number, answer: Record<string, unknown>) =>
        sendAwsJson(response, status, CONTENT_TYPE, answer);
      if (operation !== 'GetSecretValue' && operation !== 'DescribeSecret') {
        return reply(400, { __type: 'UnknownOperationException', Message: `Unknown operation ${operation}` });
      }
      const caller = options.iam.callerOf(accessKeyOf(request.headers.authorization));
      if (caller) {
        const denied = await options.iam.authorise(
          caller,
          secretsManagerRequests(operation, body, (id) => find(id)?.arn),
        );
        if (denied) return reply(400, { __type: ACCESS_DENIED, Message: denied.message });
      }
      const secret = typeof body.SecretId === 'string' ? find(body.SecretId) : undefined;
      const stored = secret && values.get(secret.arn);
      if (!secret || !stored) {
        return reply(400, {
          __type: 'ResourceNotFoundException',
          Message: "Secrets Manager can't find the specified secret.",
        });
      }
      // Secrets here are never rotated: a secret has its current version only.
      if (body.VersionStage !== undefined && body.VersionStage !== 'AWSCURRENT') {
        return reply(400, {
          __type: 'ResourceNotFoundException',
          Message: `Secrets Manager can't find the specified secret value for staging label: ${String(body.VersionStage)}`,
        });
      }
      const versionId = `${stored.createdAt}`.padStart(8, '0').concat('-0000-4000-8000-000000000000');
      if (operation === 'DescribeSecret') {
        return reply(200, {
          ARN: secret.arn,
          Name: secret.name,
          CreatedDate: stored.createdAt,
          VersionIdsToStages: { [versionId]: ['AWSCURRENT'] },
        });
      }
      return reply(200, {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: versionId,
        SecretString: stored.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: stored.createdAt,
      });
    })().catch((error: unknown) => {
      options.onError?.(error);
      if (!response.headersSent) {
        sendAwsJson(response, 500, CONTENT_TYPE, {
          __type: 'InternalServiceError',
          Message: 'Internal error',
        });
      }
    });
  });
}

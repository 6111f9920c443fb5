// Signs the evidence bucket's links: a presigned POST for an upload, a presigned GET for a download, by
// Signature Version 4 with the SDK's own signer (@smithy/signature-v4) and the function's credentials
// from the environment, where Lambda puts the role's (and the local runtime each function's). The same
// links as the S3 client's presigners give (test/unit/evidence-signer.test.ts compares them), without
// the S3 client, which would bring S3's whole model and endpoint rules (about 120 KB) to each function
// that signs, for two addresses: the bucket's regional virtual-hosted one in AWS (as S3's rules give it
// for a bucket named as a host name, which the stack's is), or its path under S3_ENDPOINT on this machine
// (the local S3 server has no host name per bucket, clients/s3.ts).
//
// The pages load this when they first sign (evidence-storage.ts), not with the function: most of their
// requests (the start page, each step of the application) sign nothing. The evidence API, every request
// of which signs, builds it with the function (evidenceStorageSigning).
import { createHmac } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { buildQueryString, escapeUriPath } from '@smithy/core/protocols';
import { createScope, getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import type { EvidenceStorage } from '#cases/evidence-storage.ts';
import { type Env, InvalidSettingError, requiredSetting } from '#clients/environment.ts';
import { evidenceBucketFrom } from '#data/bucket-specs.ts';

/** A condition of a POST's policy: S3's forms of them (a field's exact value, `eq`, `starts-with`, a size). */
export type PostCondition =
  | Readonly<Record<string, string>>
  | readonly ['eq' | 'starts-with', string, string]
  | readonly ['content-length-range', number, number];

export interface PresignedPostOptions {
  readonly Key: string;
  readonly Conditions?: readonly PostCondition[];
  /** Fields the form sends besides the key and the signature's, each a condition too. */
  readonly Fields?: Readonly<Record<string, string>>;
  /** Seconds the policy lasts. */
  readonly Expires: number;
}

export interface EvidenceSigner {
  /** The form fields and address for one POST of an object, as the conditions allow. */
  presignPost(options: PresignedPostOptions): Promise<{ url: string; fields: Record<string, string> }>;
  /** A link that GETs one object until `expiresIn` seconds after `signingDate`. */
  presignGet(key: string, expiresIn: number, signingDate: Date): Promise<string>;
}

// A bucket name S3 serves at its own host name (no dots, which its certificate would not cover).
const VIRTUAL_HOSTED_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

const amzDate = (date: Date) =>
  date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

export function evidenceSigner(bucket: string, env: Env): EvidenceSigner {
  const region = requiredSetting(env, 'AWS_REGION');
  const credentials = async () => ({
    accessKeyId: requiredSetting(env, 'AWS_ACCESS_KEY_ID'),
    secretAccessKey: requiredSetting(env, 'AWS_SECRET_ACCESS_KEY'),
    ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }),
  });
  const local = env.S3_ENDPOINT ? new URL(env.S3_ENDPOINT) : undefined;
  if (!local && !VIRTUAL_HOSTED_BUCKET.test(bucket))
    throw new InvalidSettingError('EVIDENCE_BUCKET', 'a bucket name without dots, 3-63 letters, digits or -');
  const origin = local
    ? { protocol: local.protocol, hostname: local.hostname, port: local.port, path: `/${bucket}` }
    : { protocol: 'https:', hostname: `${bucket}.s3.${region}.amazonaws.com`, port: '', path: '' };
  const host = origin.port ? `${origin.hostname}:${origin.port}` : origin.hostname;
  const signer = new SignatureV4({
    service: 's3',
    region,
    credentials,
    sha256: Sha256,
    uriEscapePath: false,
  });

  return {
    async presignPost({ Key, Conditions = [], Fields = {}, Expires }) {
      const now = new Date();
      const date = amzDate(now);
      const signedBy = await credentials();
      const fields: Record<string, string> = {
        ...Fields,
        bucket,
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': `${signedBy.accessKeyId}/${createScope(date.slice(0, 8), region, 's3')}`,
        'X-Amz-Date': date,
        ...(signedBy.sessionToken && { 'X-Amz-Security-Token': signedBy.sessionToken }),
      };
      const conditions = [
        ...Conditions,
        ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
        { key: Key },
      ];
      const expiration = new Date(now.getTime() + Expires * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
      const key = await getSigningKey(Sha256, signedBy, date.slice(0, 8), region, 's3');
      return {
        url: `${origin.protocol}//${host}${origin.path || '/'}`,
        fields: {
          ...fields,
          key: Key,
          Policy: policy,
          'X-Amz-Signature': createHmac('sha256', key).update(policy).digest('hex'),
        },
      };
    },

    async presignGet(key, expiresIn, signingDate) {
      const path = `${origin.path}/${escapeUriPath(key)}`;
      const signed = await signer.presign(
        {
          method: 'GET',
          protocol: origin.protocol,
          hostname: origin.hostname,
          ...(origin.port && { port: Number(origin.port) }),
          path,
          query: { 'x-id': 'GetObject' },
          // S3 signs a presigned link's payload as unsigned; the checksum mode asks S3 to send the
          // object's checksum with it, as the SDK's GetObject does.
          headers: { host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', 'x-amz-checksum-mode': 'ENABLED' },
        },
        { expiresIn, signingDate },
      );
      return `${origin.protocol}//${host}${path}?${buildQueryString(signed.query ?? {})}`;
    },
  };
}

/** The storage of a function every request of which signs: its signer built with the function. */
export function evidenceStorageSigning(env: NodeJS.ProcessEnv = process.env): EvidenceStorage {
  const bucket = evidenceBucketFrom(env);
  const signer = evidenceSigner(bucket, env);
  return { bucket, signer: async () => signer };
}

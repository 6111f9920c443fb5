// Signs the evidence bucket's links: a presigned POST for an upload, a presigned GET for a download. The
// pages load its S3 client and signers when they first sign (evidence-storage.ts), not with the
// function: most of their requests (the start page, each step of the application) sign nothing. The
// evidence API, every request of which signs, builds them with the function (evidenceStorageSigning),
// so that its cold start, not its first request, carries them.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPostOptions } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { EvidenceStorage } from '#cases/evidence-storage.ts';
import type { Env } from '#clients/environment.ts';
import { createS3Client } from '#clients/s3.ts';
import { evidenceBucketFrom } from '#data/bucket-specs.ts';

export interface EvidenceSigner {
  /** The form fields and address for one POST of an object, as the conditions allow. */
  presignPost(options: Omit<PresignedPostOptions, 'Bucket'>): Promise<{
    url: string;
    fields: Record<string, string>;
  }>;
  /** A link that GETs one object until `expiresIn` seconds after `signingDate`. */
  presignGet(key: string, expiresIn: number, signingDate: Date): Promise<string>;
}

export function evidenceSigner(bucket: string, env: Env): EvidenceSigner {
  const s3 = createS3Client(env);
  return {
    presignPost: (options) => createPresignedPost(s3, { ...options, Bucket: bucket }),
    presignGet: (key, expiresIn, signingDate) =>
      getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn, signingDate }),
  };
}

/** The storage of a function every request of which signs: its signer built with the function. */
export function evidenceStorageSigning(env: NodeJS.ProcessEnv = process.env): EvidenceStorage {
  const bucket = evidenceBucketFrom(env);
  const signer = evidenceSigner(bucket, env);
  return { bucket, signer: async () => signer };
}

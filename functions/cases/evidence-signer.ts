// Signs the evidence bucket's links: a presigned POST for an upload, a presigned GET for a download. Its
// S3 client and signers are loaded when a function first signs (evidence-storage.ts), not with the
// function: most of the pages' requests (the start page, each step of the application) sign nothing.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPostOptions } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Env } from '#clients/environment.ts';
import { createS3Client } from '#clients/s3.ts';

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

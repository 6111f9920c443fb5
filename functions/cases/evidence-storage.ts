// Where evidence files are kept, from the environment (EVIDENCE_BUCKET, and S3_ENDPOINT on this
// machine), built only by the functions that sign uploads and downloads, so that no other function
// carries the S3 client.
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '#clients/s3.ts';
import { evidenceBucketFrom } from '#data/bucket-specs.ts';

/** The bucket the files are kept in and the client that signs for it. */
export interface EvidenceStorage {
  readonly s3: S3Client;
  readonly bucket: string;
}

export function evidenceStorageFrom(env: NodeJS.ProcessEnv = process.env): EvidenceStorage {
  return { s3: createS3Client(env), bucket: evidenceBucketFrom(env) };
}

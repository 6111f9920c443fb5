// Where evidence files are kept, from the environment (EVIDENCE_BUCKET, and S3_ENDPOINT on this
// machine), built only by the functions that sign uploads and downloads, so that no other function
// carries the S3 client; the pages load it when they first sign (evidence-signer.ts says why the
// evidence API does not).
import { onFirstUse } from '#clients/on-first-use.ts';
import { evidenceBucketFrom } from '#data/bucket-specs.ts';
import type { EvidenceSigner } from './evidence-signer.ts';

/** The bucket the files are kept in and what signs for it. */
export interface EvidenceStorage {
  readonly bucket: string;
  readonly signer: () => Promise<EvidenceSigner>;
}

export function evidenceStorageFrom(env: NodeJS.ProcessEnv = process.env): EvidenceStorage {
  const bucket = evidenceBucketFrom(env);
  return {
    bucket,
    signer: onFirstUse(async () => (await import('./evidence-signer.ts')).evidenceSigner(bucket, env)),
  };
}

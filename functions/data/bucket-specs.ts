// The buckets the service keeps files in, read by CDK, the local runtime and the functions alike, as the
// table specs are.
import { type Env, requiredSetting } from '#clients/environment.ts';

export interface BucketSpec {
  /** The environment variable that gives a function the bucket's name (set by CDK or the local runtime). */
  readonly envVar: string;
  /** The bucket's name on this machine. */
  readonly localName: string;
}

/** Evidence files: the uploads as sent, and the cleaned copies that are served. */
export const evidenceBucket: BucketSpec = { envVar: 'EVIDENCE_BUCKET', localName: 'asb-evidence' };

/** The evidence bucket's name from EVIDENCE_BUCKET. */
export function evidenceBucketFrom(env: Env = process.env): string {
  return requiredSetting(env, evidenceBucket.envVar);
}

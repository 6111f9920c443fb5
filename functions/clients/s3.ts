// The S3 client: at S3_ENDPOINT by path (the local S3 server has no host name per bucket), otherwise
// AWS's regional endpoint with virtual-hosted buckets.
import { S3Client } from '@aws-sdk/client-s3';
import type { Env } from '#clients/environment.ts';

export function createS3Client(env: Env = process.env): S3Client {
  const endpoint = env.S3_ENDPOINT;
  return new S3Client(endpoint ? { endpoint, forcePathStyle: true } : {});
}

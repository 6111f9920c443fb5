// A case's files go when its retention ends. The case's items leave through the table's TTL, which no
// function hears of, and S3 lifecycle rules count from an object's upload, not from a case's closure:
// so this job, each day, finds each case that has objects in the evidence bucket, and when the case's
// retention has ended (its item carries a past `expiresAt`, or TTL has already removed it) deletes
// every version and every delete marker under both its prefixes, each by its version id. The bucket is versioned, so deleting
// an object's name alone would keep its data as a noncurrent version.
import { DeleteObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '#clients/s3.ts';
import { type Clock, systemClock } from '#core/clock.ts';
import { evidenceBucketFrom } from '#data/bucket-specs.ts';
import { caseObjectPrefixes } from '#data/case-evidence.ts';
import { getCase } from '#data/case-store.ts';
import { type DataContext, dataContextFrom } from '#data/data-context.ts';
import { stepFailure } from '#workflow/workflow-step.ts';

export interface RetentionDependencies {
  readonly data: DataContext;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly clock: Clock;
}

/** The prefixes each case's objects are under (data/case-evidence.ts), whose next part is its reference. */
const TOP_PREFIXES = ['uploads/', 'clean/'] as const;
const REFERENCE = /^[A-Z]{3}-[A-Za-z0-9-]+$/;

/** Versions deleted at once: a case has at most 30 files, each a few versions under two prefixes. */
const DELETES_AT_ONCE = 10;

/** The references of the cases that have objects in the bucket. */
async function referencesInBucket(deps: RetentionDependencies): Promise<Set<string>> {
  const references = new Set<string>();
  for (const top of TOP_PREFIXES) {
    let keyMarker: string | undefined;
    do {
      const page = await deps.s3.send(
        new ListObjectVersionsCommand({
          Bucket: deps.bucket,
          Prefix: top,
          Delimiter: '/',
          KeyMarker: keyMarker,
        }),
      );
      for (const { Prefix } of page.CommonPrefixes ?? []) {
        const reference = Prefix?.slice(top.length, -1);
        if (reference && REFERENCE.test(reference)) references.add(reference);
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    } while (keyMarker);
  }
  return references;
}

/** Deletes every version and delete marker under the case's prefixes; how many there were. */
export async function deleteCaseObjects(deps: RetentionDependencies, reference: string): Promise<number> {
  let deleted = 0;
  for (const prefix of caseObjectPrefixes(reference)) {
    // Each page listed is deleted before the next is asked for, so the first page is always the next.
    for (;;) {
      const page = await deps.s3.send(new ListObjectVersionsCommand({ Bucket: deps.bucket, Prefix: prefix }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(({ Key, VersionId }) => ({
        Key,
        VersionId,
      }));
      if (objects.length === 0) break;
      // A delete naming the version removes that version for good (a delete marker, its marker).
      for (let start = 0; start < objects.length; start += DELETES_AT_ONCE) {
        await Promise.all(
          objects
            .slice(start, start + DELETES_AT_ONCE)
            .map((object) => deps.s3.send(new DeleteObjectCommand({ Bucket: deps.bucket, ...object }))),
        );
      }
      deleted += objects.length;
    }
  }
  return deleted;
}

/** Deletes the files of every case whose retention has ended; the references of those cases. */
export async function deleteExpiredEvidence(deps: RetentionDependencies): Promise<string[]> {
  const now = Math.floor(deps.clock().getTime() / 1000);
  const expired: string[] = [];
  for (const reference of await referencesInBucket(deps)) {
    const record = await getCase(deps.data, reference);
    if (record && (record.expiresAt === null || record.expiresAt > now)) continue;
    await deleteCaseObjects(deps, reference);
    expired.push(reference);
  }
  return expired;
}

let dependencies: RetentionDependencies | undefined;

/** Run each day by EventBridge Scheduler; answers how many cases' files it deleted, naming none. */
export async function handler(): Promise<{ casesDeleted: number }> {
  try {
    dependencies ??= {
      data: dataContextFrom(),
      s3: createS3Client(),
      bucket: evidenceBucketFrom(),
      clock: systemClock,
    };
    return { casesDeleted: (await deleteExpiredEvidence(dependencies)).length };
  } catch (error) {
    throw stepFailure(error);
  }
}

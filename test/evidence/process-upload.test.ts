// The processing of an uploaded evidence file against DynamoDB Local and the local S3 server, and the
// deletion of a case's files when its retention ends (on the same servers).
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvidenceType, UPLOAD_GRACE_SECONDS } from '#core/evidence-files.ts';
import { addEvidence, cleanObjectKey, readEvidence, uploadObjectKey } from '#data/case-evidence.ts';
import { CASE_SK, casePk } from '#data/case-items.ts';
import { loadCaseView } from '#data/case-store.ts';
import { handler, type ProcessUploadDependencies, processUpload } from '#evidence/process-upload.ts';
import { deleteExpiredEvidence } from '#evidence/retention.ts';
import { clamscan } from '#evidence/scanner.ts';
import { freePort } from '#local/dynamodb-local.ts';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from '#local/s3-local.ts';
import { createOutboxNotifier } from '#shared/outbox-notifier.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { submit } from '#test/support/case-fixtures.ts';
import { pdf, photoWithLocation } from '#test/support/evidence-files.ts';

const BUCKET = 'asb-evidence';
let tables: TestTables;
let s3: LocalS3;
let client: S3Client;
let deps: ProcessUploadDependencies;

beforeAll(async () => {
  tables = await startTestTables();
  s3 = await startLocalS3({
    host: '127.0.0.1',
    port: await freePort(),
    directory: mkdtempSync(join(tmpdir(), 'asb-s3-')),
    buckets: [BUCKET],
  });
  client = new S3Client({
    endpoint: s3.endpoint,
    region: 'eu-west-2',
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
  });
  // No scanner on this machine's PATH: the verdict is not-scanned, as on any machine without one.
  const clock = () => new Date();
  deps = {
    data: tables.data,
    notifier: createOutboxNotifier({ directory: mkdtempSync(join(tmpdir(), 'asb-outbox-')), clock }),
    clock,
    s3: client,
    bucket: BUCKET,
    scan: clamscan(join(tmpdir(), 'no-such-clamscan')),
  };
});

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
  await tables?.stop();
});

/** A file added to a case as `type` and uploaded with `bytes`. */
async function uploaded(reference: string, type: EvidenceType, bytes: Uint8Array, uploadBy?: string) {
  const id = randomUUID();
  await addEvidence(tables.data, reference, [
    {
      id,
      name: 'evidence',
      type,
      size: bytes.length,
      addedBy: { role: 'applicant' },
      addedAt: new Date().toISOString(),
      ...(uploadBy !== undefined && { uploadBy }),
    },
  ]);
  await client.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: uploadObjectKey(reference, id), Body: bytes }),
  );
  return id;
}

const stored = (key: string) =>
  client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    () => false,
  );

describe('processUpload', () => {
  it('serves a photo only as a copy without its location, and records the local verdict', async () => {
    const id = await uploaded('SEF-BBBB-0001', 'image/jpeg', await photoWithLocation());

    expect(await processUpload(deps, uploadObjectKey('SEF-BBBB-0001', id))).toBe('cleaned');

    const cleaned = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: cleanObjectKey('SEF-BBBB-0001', id) }),
    );
    const bytes = Buffer.from((await cleaned.Body?.transformToByteArray()) ?? []);
    expect(cleaned.ContentType).toBe('image/jpeg');
    expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    expect(bytes.includes('Pat Resident')).toBe(false);
    expect(await readEvidence(tables.data, 'SEF-BBBB-0001', id)).toMatchObject({ verdict: 'not-scanned' });
  });

  it('copies a document as it is', async () => {
    const id = await uploaded('SEF-BBBB-0002', 'application/pdf', pdf());

    expect(await processUpload(deps, uploadObjectKey('SEF-BBBB-0002', id))).toBe('cleaned');

    const cleaned = await client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: cleanObjectKey('SEF-BBBB-0002', id) }),
    );
    expect(Buffer.from((await cleaned.Body?.transformToByteArray()) ?? [])).toEqual(pdf());
  });

  it('rejects content that is not the type it was added as, with the reason, and serves nothing', async () => {
    const id = await uploaded('SEF-BBBB-0003', 'image/jpeg', pdf());

    expect(await processUpload(deps, uploadObjectKey('SEF-BBBB-0003', id))).toBe('rejected');

    expect(await readEvidence(tables.data, 'SEF-BBBB-0003', id)).toMatchObject({
      verdict: 'rejected',
      reason: 'The file is a PDF, not the JPEG image it was added as.',
    });
    expect(await stored(cleanObjectKey('SEF-BBBB-0003', id))).toBe(false);
  });

  it('rejects an image that cannot be decoded', async () => {
    const id = await uploaded('SEF-BBBB-0004', 'image/jpeg', (await photoWithLocation()).subarray(0, 200));

    expect(await processUpload(deps, uploadObjectKey('SEF-BBBB-0004', id))).toBe('rejected');

    expect(await readEvidence(tables.data, 'SEF-BBBB-0004', id)).toMatchObject({ verdict: 'rejected' });
  });

  it('does nothing again for a file already decided, and ignores objects that are no case’s file', async () => {
    const id = await uploaded('SEF-BBBB-0005', 'application/pdf', pdf());
    await processUpload(deps, uploadObjectKey('SEF-BBBB-0005', id));

    expect(await processUpload(deps, uploadObjectKey('SEF-BBBB-0005', id))).toBe('already-decided');
    expect(await processUpload(deps, uploadObjectKey('SEF-BBBB-0005', randomUUID()))).toBe('ignored');
    expect(await processUpload(deps, 'clean/SEF-BBBB-0005/whatever')).toBe('ignored');
  });

  it('ignores an object arriving for a place given up on, serving nothing and keeping it pending', async () => {
    const id = await uploaded('SEF-BBBB-0010', 'application/pdf', pdf(), '2026-11-02T10:15:00.000Z');
    const abandonedAt = new Date(Date.parse('2026-11-02T10:15:00.000Z') + (UPLOAD_GRACE_SECONDS + 1) * 1000);

    expect(
      await processUpload({ ...deps, clock: () => abandonedAt }, uploadObjectKey('SEF-BBBB-0010', id)),
    ).toBe('ignored');

    expect(await readEvidence(tables.data, 'SEF-BBBB-0010', id)).toMatchObject({ verdict: 'pending' });
    expect(await stored(cleanObjectKey('SEF-BBBB-0010', id))).toBe(false);
  });

  it('leaves the verdict pending where another service scans the cleaned copy', async () => {
    const id = await uploaded('SEF-BBBB-0006', 'application/pdf', pdf());

    expect(await processUpload({ ...deps, scan: undefined }, uploadObjectKey('SEF-BBBB-0006', id))).toBe(
      'cleaned',
    );

    expect(await readEvidence(tables.data, 'SEF-BBBB-0006', id)).toMatchObject({ verdict: 'pending' });
    expect(await stored(cleanObjectKey('SEF-BBBB-0006', id))).toBe(true);
  });

  it('takes S3’s object-created notification, with its URL-encoded key, as the deployed function', async () => {
    const id = await uploaded('SEF-BBBB-0007', 'image/png', await photoWithLocation('png'));
    Object.assign(process.env, {
      ...tables.env,
      S3_ENDPOINT: s3.endpoint,
      EVIDENCE_BUCKET: BUCKET,
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      DYNAMODB_ENDPOINT: tables.endpoint,
      NOTIFIER: 'outbox',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'asb-data-')),
    });

    const outcomes = await handler({
      Records: [
        {
          eventName: 'ObjectCreated:Post',
          s3: { object: { key: encodeURIComponent(uploadObjectKey('SEF-BBBB-0007', id)) } },
        },
      ],
    });

    expect(outcomes).toEqual(['cleaned']);
    expect(await readEvidence(tables.data, 'SEF-BBBB-0007', id)).toMatchObject({ verdict: 'pending' });
    expect(await stored(cleanObjectKey('SEF-BBBB-0007', id))).toBe(true);
  });

  it("takes the Object Created event the stack's rule sends, and no other bucket's", async () => {
    const id = await uploaded('SEF-BBBB-0008', 'application/pdf', pdf());
    const created = (bucket: string) => ({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      time: new Date().toISOString(),
      region: 'eu-west-2',
      resources: [`arn:aws:s3:::${bucket}`],
      detail: {
        version: '0',
        bucket: { name: bucket },
        object: { key: uploadObjectKey('SEF-BBBB-0008', id), size: 100 },
        reason: 'PostObject',
      },
    });

    expect(await handler(created('another-bucket'))).toEqual([]);
    expect(await handler(created(BUCKET))).toEqual(['cleaned']);

    expect(await stored(cleanObjectKey('SEF-BBBB-0008', id))).toBe(true);
  });

  it('quarantines a file the local scan finds a threat in, on the staff timeline', async () => {
    const record = await submit(tables.data, new Date());
    const id = await uploaded(record.reference, 'application/pdf', pdf());

    const outcome = await processUpload(
      { ...deps, scan: async () => 'threat' },
      uploadObjectKey(record.reference, id),
    );

    expect(outcome).toBe('rejected');
    const view = await loadCaseView(tables.data, record.reference);
    expect(view?.evidence.find((file) => file.id === id)).toMatchObject({
      verdict: 'rejected',
      reason: 'The file was found to contain malware.',
    });
    expect(view?.timeline.filter((event) => event.type === 'evidence-threat')).toHaveLength(1);
  });

  it('fails a malformed event with a safe error', async () => {
    await expect(handler({ detail: {} })).rejects.toThrow('The event is not an S3 notification');
  });
});

describe('deleteExpiredEvidence', () => {
  const objectsOf = async (reference: string) => {
    const keys: string[] = [];
    for (const prefix of [`uploads/${reference}/`, `clean/${reference}/`]) {
      const listed = await client.send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: prefix }));
      keys.push(...(listed.Versions ?? []).map((version) => version.Key as string));
    }
    return keys;
  };
  const retentionEnds = (reference: string, expiresAt: number) =>
    tables.data.db.send(
      new UpdateCommand({
        TableName: tables.data.tables.cases,
        Key: { pk: casePk(reference), sk: CASE_SK },
        UpdateExpression: 'SET expiresAt = :at',
        ExpressionAttributeValues: { ':at': expiresAt },
      }),
    );

  it('deletes every version of the files of a case whose retention ended or that TTL removed, and no other', async () => {
    // Prepare: an open case, one closed whose retention ended yesterday, one closed until next year, and
    // the files of a case that TTL already removed; each with a file as uploaded and its cleaned copy.
    const now = new Date();
    const seconds = Math.floor(now.getTime() / 1000);
    const [open, ended, kept] = await Promise.all([
      submit(tables.data, now),
      submit(tables.data, now),
      submit(tables.data, now),
    ]);
    await retentionEnds(ended.reference, seconds - 86_400);
    await retentionEnds(kept.reference, seconds + 365 * 86_400);
    const removed = 'SEF-GONE-0001';
    for (const reference of [open.reference, ended.reference, kept.reference, removed]) {
      const id = await uploaded(reference, 'application/pdf', pdf());
      await processUpload(deps, uploadObjectKey(reference, id));
    }

    // Act
    const deleted = await deleteExpiredEvidence({
      data: tables.data,
      s3: client,
      bucket: BUCKET,
      clock: () => now,
    });
    const again = await deleteExpiredEvidence({
      data: tables.data,
      s3: client,
      bucket: BUCKET,
      clock: () => now,
    });

    // Assess
    expect(
      deleted
        .filter(
          (reference) => [open, ended, kept].some((c) => c.reference === reference) || reference === removed,
        )
        .sort(),
    ).toEqual([ended.reference, removed].sort());
    expect(again).not.toContain(ended.reference);
    expect(await objectsOf(ended.reference)).toEqual([]);
    expect(await objectsOf(removed)).toEqual([]);
    expect(await objectsOf(open.reference)).toHaveLength(2);
    expect(await objectsOf(kept.reference)).toHaveLength(2);
  });
});

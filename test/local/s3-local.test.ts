import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#local/dynamodb-local.ts';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from '#local/s3-local.ts';
import { isLoopback, listeningAddresses } from '#test/support/listening-addresses.ts';

const run = promisify(execFile);
const BUCKET = 'asb-evidence';

describe('the local S3 server', () => {
  let s3: LocalS3;
  let client: S3Client;
  let directory: string;
  const cli = (...args: string[]) =>
    run('/usr/bin/aws', [...args, '--endpoint-url', s3.endpoint, '--output', 'json'], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: 'eu-west-2',
      },
    });

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'asb-s3-'));
    s3 = await startLocalS3({ host: '127.0.0.1', port: await freePort(), directory, buckets: [BUCKET] });
    client = new S3Client({
      endpoint: s3.endpoint,
      region: 'eu-west-2',
      forcePathStyle: true,
      credentials: LOCAL_S3_CREDENTIALS,
    });
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });

  it('listens on the loopback address only', () => {
    const addresses = listeningAddresses(s3.port);

    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.filter((address) => !isLoopback(address))).toEqual([]);
  });

  it('keeps an object the SDK puts and gives it back to the SDK and the AWS CLI', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'cases/one/diary.txt',
        Body: 'Monday: shouting',
        ContentType: 'text/plain',
      }),
    );

    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cases/one/diary.txt' }));
    expect(await got.Body?.transformToString()).toBe('Monday: shouting');
    const out = join(directory, 'downloaded.txt');
    await cli('s3', 'cp', `s3://${BUCKET}/cases/one/diary.txt`, out);
    expect(readFileSync(out, 'utf8')).toBe('Monday: shouting');
  });

  it('keeps an object the AWS CLI puts and gives it back to the SDK', async () => {
    const file = join(directory, 'letter.txt');
    writeFileSync(file, 'A letter from the housing provider');

    await cli('s3', 'cp', file, `s3://${BUCKET}/cases/two/letter.txt`);

    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'cases/two/letter.txt' }));
    expect(await got.Body?.transformToString()).toBe('A letter from the housing provider');
    const { stdout } = await cli('s3api', 'list-objects-v2', '--bucket', BUCKET, '--prefix', 'cases/two/');
    expect(JSON.parse(stdout).Contents).toEqual([expect.objectContaining({ Key: 'cases/two/letter.txt' })]);
  });

  it("keeps an object's tags with it: a new object under its key starts untagged, and a deleted one's go", async () => {
    // Prepare
    const Key = 'tagged/one/photo.jpg';
    const tagsOf = async () =>
      (await client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key }))).TagSet?.map((tag) => tag.Key);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'first' }));
    await client.send(
      new PutObjectTaggingCommand({
        Bucket: BUCKET,
        Key,
        Tagging: { TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'THREATS_FOUND' }] },
      }),
    );
    const tagged = await tagsOf();

    // Act
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'second' }));
    const rewritten = await tagsOf();
    await client.send(
      new PutObjectTaggingCommand({
        Bucket: BUCKET,
        Key,
        Tagging: { TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' }] },
      }),
    );
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key }));

    // Assess
    expect(tagged).toEqual(['GuardDutyMalwareScanStatus']);
    expect(rewritten).toEqual([]);
    expect(readdirSync(join(directory, BUCKET))).not.toContain('tagged');
  });
});

describe('a presigned POST to the local S3 server', () => {
  let s3: LocalS3;
  let client: S3Client;
  const SITE = 'http://127.0.0.1:3000';

  beforeAll(async () => {
    s3 = await startLocalS3({
      host: '127.0.0.1',
      port: await freePort(),
      directory: mkdtempSync(join(tmpdir(), 'asb-s3-')),
      buckets: [BUCKET],
      allowedOrigins: [SITE],
      // As a bucket policy may refuse anyone's listing: a CORS preflight is not a listing.
      signers: {
        secretOf: () => undefined,
        authorise: async (key, action) =>
          key === undefined && action === 's3:ListBucket' ? 'Access Denied' : undefined,
      },
    });
    client = new S3Client({
      endpoint: s3.endpoint,
      region: 'eu-west-2',
      forcePathStyle: true,
      credentials: LOCAL_S3_CREDENTIALS,
    });
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });

  /** A presigned POST as the service gives one: a key under the case's prefix, at most 1 KB. */
  const presign = (key: string, options: { expires?: number; redirect?: string } = {}) =>
    createPresignedPost(client, {
      Bucket: BUCKET,
      Key: key,
      Conditions: [
        ['content-length-range', 1, 1024],
        ['starts-with', '$key', 'uploads/case-1/'],
        ...(options.redirect ? [{ success_action_redirect: options.redirect }] : []),
      ],
      Fields: options.redirect ? { success_action_redirect: options.redirect } : {},
      Expires: options.expires ?? 300,
    });

  /** What a plain HTML form sends: the fields in order, then the file. */
  const post = async (
    presigned: { url: string; fields: Record<string, string> },
    file: Blob,
    change: (form: FormData) => void = () => undefined,
  ) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(presigned.fields)) form.set(name, value);
    change(form);
    form.set('file', file, 'diary.txt');
    const response = await fetch(presigned.url, { method: 'POST', body: form, redirect: 'manual' });
    return {
      status: response.status,
      body: await response.text(),
      location: response.headers.get('location'),
    };
  };

  const stored = (key: string) =>
    client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
      () => true,
      () => false,
    );

  it('stores a file that meets the policy', async () => {
    const presigned = await presign('uploads/case-1/a');

    const result = await post(presigned, new Blob(['Tuesday: music until 3am']));

    expect(result.status).toBe(204);
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/case-1/a' }));
    expect(await got.Body?.transformToString()).toBe('Tuesday: music until 3am');
  });

  it('sends the browser on to the page the policy names, for a form without JavaScript', async () => {
    const presigned = await presign('uploads/case-1/b', { redirect: 'http://127.0.0.1:3000/track/added' });

    const result = await post(presigned, new Blob(['Wednesday']));

    expect(result.status).toBe(303);
    expect(result.location).toMatch(
      /^http:\/\/127\.0\.0\.1:3000\/track\/added\?bucket=asb-evidence&key=uploads/,
    );
    expect(await stored('uploads/case-1/b')).toBe(true);
  });

  it('takes a POST from the site’s own pages’ scripts (CORS), refusals readable too, and from no other origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${s3.endpoint}/${BUCKET}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const fromScript = async (key: string, file: Blob) => {
      const presigned = await presign(key);
      const form = new FormData();
      for (const [name, value] of Object.entries(presigned.fields)) form.set(name, value);
      form.set('file', file, 'diary.txt');
      return fetch(presigned.url, { method: 'POST', body: form, headers: { origin: SITE } });
    };

    const allowed = await preflight(SITE);
    const elsewhere = await preflight('https://elsewhere.example');
    const getting = await fetch(`${s3.endpoint}/${BUCKET}`, {
      method: 'OPTIONS',
      headers: { origin: SITE, 'access-control-request-method': 'GET' },
    });
    const sent = await fromScript('uploads/case-1/cors', new Blob(['Thursday']));
    const refused = await fromScript('uploads/case-1/cors-large', new Blob([Buffer.alloc(1025, 0x61)]));

    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(elsewhere.status).toBe(403);
    expect(getting.status).toBe(403);
    expect(sent.status).toBe(204);
    expect(sent.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(await stored('uploads/case-1/cors')).toBe(true);
  });

  it('refuses a file larger than the content-length-range, and stores nothing', async () => {
    const presigned = await presign('uploads/case-1/c');

    const result = await post(presigned, new Blob([Buffer.alloc(1025, 0x61)]));

    expect(result.status).toBe(400);
    expect(result.body).toContain('<Code>EntityTooLarge</Code>');
    expect(await stored('uploads/case-1/c')).toBe(false);
  });

  it('refuses an empty file', async () => {
    const result = await post(await presign('uploads/case-1/d'), new Blob([]));

    expect(result.status).toBe(400);
    expect(result.body).toContain('<Code>EntityTooSmall</Code>');
  });

  it('refuses a key outside the prefix the policy allows', async () => {
    const presigned = await presign('uploads/case-1/e');

    const result = await post(presigned, new Blob(['x']), (form) => form.set('key', 'uploads/case-2/e'));

    expect(result.status).toBe(403);
    expect(result.body).toContain('Policy Condition failed: ["starts-with","$key","uploads/case-1/"]');
    expect(await stored('uploads/case-2/e')).toBe(false);
  });

  it('refuses a field the policy does not name', async () => {
    const presigned = await presign('uploads/case-1/f');

    const result = await post(presigned, new Blob(['x']), (form) => form.set('x-amz-meta-owner', 'someone'));

    expect(result.status).toBe(403);
    expect(result.body).toContain('Extra input fields: x-amz-meta-owner');
  });

  it('refuses a policy that was changed after signing, or has expired', async () => {
    const presigned = await presign('uploads/case-1/g');
    const widened = Buffer.from(
      JSON.stringify({ expiration: '2099-01-01T00:00:00Z', conditions: [['starts-with', '$key', '']] }),
    ).toString('base64');

    const tampered = await post(presigned, new Blob(['x']), (form) => form.set('Policy', widened));
    const expired = await post(await presign('uploads/case-1/h', { expires: -1 }), new Blob(['x']));

    expect(tampered.status).toBe(403);
    expect(tampered.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(expired.status).toBe(403);
    expect(expired.body).toContain('Policy expired');
    expect(await stored('uploads/case-1/g')).toBe(false);
    expect(await stored('uploads/case-1/h')).toBe(false);
  });

  it('refuses a POST with no policy', async () => {
    const form = new FormData();
    form.set('key', 'uploads/case-1/i');
    form.set('file', new Blob(['x']), 'x.txt');

    const response = await fetch(`${s3.endpoint}/${BUCKET}`, { method: 'POST', body: form });

    expect(response.status).toBe(403);
    expect(await stored('uploads/case-1/i')).toBe(false);
  });
});

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evidenceSigner, type PresignedPostOptions } from '#cases/evidence-signer.ts';
import { InvalidSettingError } from '#clients/environment.ts';

const BUCKET = 'asb-merseyside-evidence-0123456789';
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG',
  sessionToken: 'token/with+=',
};
const ENV = {
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
};
const LOCAL = 'http://127.0.0.1:9125';
const NOW = new Date('2026-12-06T14:05:09.123Z');

/** The S3 client the SDK's presigners sign with, as clients/s3.ts builds it for each place. */
function sdkClient(endpoint?: string): S3Client {
  return new S3Client({
    region: ENV.AWS_REGION,
    credentials: CREDENTIALS,
    ...(endpoint && { endpoint, forcePathStyle: true }),
  });
}

const PLACES = [
  { place: 'in AWS', env: ENV, endpoint: undefined },
  { place: 'on this machine', env: { ...ENV, S3_ENDPOINT: LOCAL }, endpoint: LOCAL },
];

describe('the evidence bucket’s signer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(PLACES)(
    'signs a download link as the S3 client’s presigner does, $place',
    async ({ env, endpoint }) => {
      // Prepare
      const key = 'clean/MER-2026-00042/3f2b9c1e-5a4d-4e6f-8a7b-9c0d1e2f3a4b';

      // Act
      const link = await evidenceSigner(BUCKET, env).presignGet(key, 300, NOW);

      // Assess
      const sdk = await getSignedUrl(
        sdkClient(endpoint),
        new GetObjectCommand({ Bucket: BUCKET, Key: key }),
        {
          expiresIn: 300,
          signingDate: NOW,
        },
      );
      expect(link).toBe(sdk);
    },
  );

  it.each(PLACES)(
    'signs an upload form as the S3 client’s presigned POST does, $place',
    async ({ env, endpoint }) => {
      // Prepare
      vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
      const options: PresignedPostOptions = {
        Key: 'uploads/MER-2026-00042/3f2b9c1e-5a4d-4e6f-8a7b-9c0d1e2f3a4b',
        Conditions: [
          ['content-length-range', 1, 10 * 1024 * 1024],
          ['eq', '$Content-Type', 'image/png'],
        ],
        Fields: {
          'Content-Type': 'image/png',
          success_action_redirect: 'https://asb.example/track/uploaded?id=1',
        },
        Expires: 900,
      };

      // Act
      const form = await evidenceSigner(BUCKET, env).presignPost(options);

      // Assess
      const sdk = await createPresignedPost(sdkClient(endpoint), {
        ...options,
        Bucket: BUCKET,
        Conditions: options.Conditions as never,
      });
      expect(form).toEqual(sdk);
      expect(Object.keys(form.fields)).toEqual(Object.keys(sdk.fields));
    },
  );

  it('signs without a session token when the environment gives none', async () => {
    // Prepare
    const { AWS_SESSION_TOKEN: _, ...env } = ENV;

    // Act
    const link = await evidenceSigner(BUCKET, env).presignGet('clean/MER-2026-00042/a', 60, NOW);

    // Assess
    const client = new S3Client({
      region: ENV.AWS_REGION,
      credentials: { ...CREDENTIALS, sessionToken: undefined },
    });
    const sdk = await getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: BUCKET, Key: 'clean/MER-2026-00042/a' }),
      {
        expiresIn: 60,
        signingDate: NOW,
      },
    );
    expect(link).toBe(sdk);
    expect(link).not.toContain('X-Amz-Security-Token');
  });

  it('refuses a bucket that S3 would not serve at a host name of its own', () => {
    // Act and assess
    expect(() => evidenceSigner('asb.evidence', ENV)).toThrow(InvalidSettingError);
    expect(() => evidenceSigner('asb.evidence', ENV)).toThrow('EVIDENCE_BUCKET');
  });

  it('refuses to sign without the region or the credentials it signs with, naming the setting', async () => {
    // Prepare
    const { AWS_SECRET_ACCESS_KEY: _, ...env } = ENV;

    // Act and assess
    expect(() => evidenceSigner(BUCKET, { ...ENV, AWS_REGION: '' })).toThrow('AWS_REGION');
    await expect(evidenceSigner(BUCKET, env).presignGet('clean/a/b', 60, NOW)).rejects.toThrow(
      'AWS_SECRET_ACCESS_KEY',
    );
  });
});

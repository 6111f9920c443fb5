// A real S3-compatible server on this machine: s3rver (the maintained fork, @20minutes/s3rver) keeps the
// objects under a folder of the data directory and answers the S3 API the SDK and the AWS CLI speak.
// s3rver does not check a browser POST's policy, so it listens on a loopback port of its own behind a
// gate on S3_PORT that checks the policy of every POST upload as S3 does (s3-post-policy.ts) before
// passing it on; every other request passes through unchanged (path-style addressing). s3rver keeps no
// versions, and does not answer ListObjectVersions: the gate answers it as S3 does for a bucket that
// never had versioning on, each object its only version, with the version id "null". The bucket lets the
// site's own pages POST to it from their scripts (CORS), as the stack's rule does in AWS.

import type { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import S3rver from '@20minutes/s3rver';
import { GetObjectTaggingCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { freePort } from '#local/dynamodb-local.ts';
import { forwardRequest } from '#local/forward.ts';
import { checkPostPolicy } from '#local/s3-post-policy.ts';

const require = createRequire(import.meta.url);

/** The access key the local runtime, its tests and the README's CLI commands sign with. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** More than any policy here allows (10 MB a file): a larger POST is refused before it is read whole. */
const MAX_POST_BYTES = 64 * 1024 * 1024;

export interface LocalS3 {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** S3's event notification (one record each), with the fields the service reads. */
export interface S3Notification {
  readonly Records: readonly {
    readonly eventName: string;
    readonly s3: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string } };
  }[];
}

/** Keys besides the local one (a deployed function's), and what each request may do. */
export interface S3Signers {
  secretOf(accessKeyId: string): string | undefined;
  /**
   * Why `action` on `resource` is refused, or undefined when it is allowed: by the key's role when a
   * deployed function's key signed it (`accessKeyId`), and for anyone by the bucket's policy. The context
   * holds the object's tags (`s3:ExistingObjectTag/<key>`) for a read of an object.
   */
  authorise(
    accessKeyId: string | undefined,
    action: string,
    resource: string,
    context: Readonly<Record<string, string>>,
  ): Promise<string | undefined>;
}

interface AccountRegistry {
  DUMMY_ACCOUNT: { accessKeys: Map<string, string>; createKeyPair(id: string, secret: string): void };
  registry: Map<string, { accessKeys: Map<string, string> }>;
}

export async function startLocalS3(options: {
  host: string;
  port: number;
  /** Where the objects are kept (a folder of DATA_DIR), surviving a restart. */
  directory: string;
  /** The buckets to create if they do not exist yet. */
  buckets: readonly string[];
  /** Called with S3's notification of each object created or removed, as S3 sends to Lambda. */
  onEvent?: (event: S3Notification) => void;
  /** In the deployed mode, the functions' own keys, each request of theirs allowed by their role or not. */
  signers?: S3Signers;
  /** Origins whose pages' scripts may POST uploads (the site's address): the buckets' CORS rule. */
  allowedOrigins?: readonly string[];
}): Promise<LocalS3> {
  const accounts = require('@20minutes/s3rver/lib/models/account') as AccountRegistry;
  accounts.DUMMY_ACCOUNT.createKeyPair(
    LOCAL_S3_CREDENTIALS.accessKeyId,
    LOCAL_S3_CREDENTIALS.secretAccessKey,
  );
  const { signers } = options;
  const secretOf = (accessKeyId: string) =>
    accounts.registry.get(accessKeyId)?.accessKeys.get(accessKeyId) ?? signers?.secretOf(accessKeyId);
  // A request other than a browser's POST: s3rver checks its signature once it knows the key, a deployed
  // function's role must allow the action, as IAM would, and the bucket's policy binds everyone.
  const authorised = async (request: IncomingMessage): Promise<string | undefined> => {
    if (!signers) return undefined;
    const accessKeyId = accessKeyOf(request);
    const secret = accessKeyId && signers.secretOf(accessKeyId);
    if (accessKeyId && secret && !accounts.registry.has(accessKeyId)) {
      accounts.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secret);
    }
    const { action, resource } = s3Request(request);
    return signers.authorise(
      secret ? accessKeyId : undefined,
      action,
      resource,
      await contextOf(action, resource),
    );
  };
  // S3 gives a request on an object its tags as condition keys; a read's are what a bucket policy's
  // quarantine rule looks at.
  const contextOf = async (action: string, resource: string): Promise<Record<string, string>> => {
    const [bucket, ...key] = resource.slice('arn:aws:s3:::'.length).split('/');
    if (!action.startsWith('s3:GetObject') || key.length === 0) return {};
    const tags = await upstream
      .send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key.join('/') }))
      .then((answer) => answer.TagSet ?? [])
      .catch(() => []);
    return Object.fromEntries(tags.map((tag) => [`s3:ExistingObjectTag/${tag.Key}`, tag.Value ?? '']));
  };

  const upstreamPort = await freePort();
  const s3rver = new S3rver({
    address: options.host,
    port: upstreamPort,
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({
      name,
      configs: options.allowedOrigins?.length ? [corsConfiguration(options.allowedOrigins)] : [],
    })),
  });
  keepTagsWithTheirObject(s3rver);
  const { onEvent } = options;
  // s3rver is a Koa application, which emits each notification as its 'event'.
  if (onEvent) (s3rver as unknown as EventEmitter).on('event', (event: S3Notification) => onEvent(event));
  await s3rver.run();

  // The gate's own reads of s3rver, behind the gate's checks: unsigned, which s3rver takes as anonymous.
  const upstream = new S3Client({
    endpoint: `http://${options.host}:${upstreamPort}`,
    region: 'eu-west-2',
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
    signer: { sign: async (request) => request },
  });
  const allowedOrigins = new Set(options.allowedOrigins);
  const gate = createServer((request, response) => {
    // S3 answers an allowed origin's POST with its CORS headers, a refusal too, so the page's script can
    // read why a file was refused (s3rver adds them to what it answers itself).
    const origin = request.headers.origin;
    if (request.method === 'POST' && origin && allowedOrigins.has(origin)) {
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('vary', 'Origin');
    }
    const pass = (body?: Buffer) => {
      const upstream = forwardRequest({ host: options.host, port: upstreamPort }, request, response);
      upstream.once('error', () => {
        if (!response.headersSent)
          sendError(response, 503, {
            code: 'ServiceUnavailable',
            message: 'The local S3 server did not answer.',
          });
        else response.destroy();
      });
      if (body) upstream.end(body);
      else request.pipe(upstream);
    };
    // A browser's CORS preflight is no S3 call: S3 answers it from the bucket's CORS rule alone, before
    // any policy, and so does s3rver.
    if (request.method === 'OPTIONS') {
      pass();
      return;
    }
    const listed = versionsListing(request);
    if (listed) {
      authorised(request)
        .then(async (denied) => {
          if (denied) return sendError(response, 403, { code: 'AccessDenied', message: denied });
          response.writeHead(200, { 'content-type': 'application/xml' });
          response.end(await listVersions(upstream, listed));
        })
        .catch(() => response.destroy());
      return;
    }
    const bucket = postUploadBucket(request);
    if (!bucket) {
      authorised(request).then(
        (denied) => (denied ? sendError(response, 403, { code: 'AccessDenied', message: denied }) : pass()),
        () => response.destroy(),
      );
      return;
    }
    readBody(request, MAX_POST_BYTES).then(
      async (body) => {
        if (!body) {
          sendError(response, 400, {
            code: 'EntityTooLarge',
            message: 'Your proposed upload exceeds the maximum allowed size',
          });
          return;
        }
        const form = await formOf(request, body);
        if (!form) {
          sendError(response, 400, {
            code: 'MalformedPOSTRequest',
            message: 'The body of your POST request is not well-formed multipart/form-data.',
          });
          return;
        }
        const failure = checkPostPolicy({ bucket, ...form }, secretOf, new Date());
        if (failure) {
          sendError(
            response,
            failure.code.startsWith('Entity') || failure.code === 'InvalidPolicyDocument' ? 400 : 403,
            failure,
          );
          return;
        }
        // S3 authorises a presigned POST as whoever signed its policy.
        const signer = (
          form.fields.get('x-amz-credential') ??
          form.fields.get('X-Amz-Credential') ??
          ''
        ).split('/')[0];
        const denied = await signers?.authorise(
          signer && signers.secretOf(signer) ? signer : undefined,
          's3:PutObject',
          `arn:aws:s3:::${bucket}/${form.fields.get('key') ?? ''}`,
          {},
        );
        if (denied) {
          sendError(response, 403, { code: 'AccessDenied', message: denied });
          return;
        }
        pass(body);
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolvePromise, reject) => {
    gate.once('error', reject);
    gate.listen(options.port, options.host, () => resolvePromise());
  });

  return {
    endpoint: `http://${options.host}:${options.port}`,
    port: options.port,
    stop: async () => {
      await new Promise<void>((resolvePromise) => {
        gate.close(() => resolvePromise());
        gate.closeAllConnections();
      });
      upstream.destroy();
      await s3rver.close();
    },
  };
}

/** s3rver's store as the tagging needs it. */
interface TaggedStore {
  putObject(object: { bucket: string; key: string }): Promise<unknown>;
  deleteObject(bucket: string, key: string): Promise<unknown>;
  deleteSubresource(bucket: string, key: string, resourceType: 'tagging'): Promise<void>;
}

/**
 * s3rver keeps an object's tags (PutObjectTagging) beside it, but leaves them when the object is written
 * again or deleted, so a new object under the same key would carry the old one's tags (and a deleted
 * one's tags stay on disk). In S3 the tags are the object's: a new object starts untagged, and a deleted
 * object's tags go with it.
 */
function keepTagsWithTheirObject(s3rver: S3rver): void {
  const store = (s3rver as unknown as { store: TaggedStore }).store;
  const putObject = store.putObject.bind(store);
  const deleteObject = store.deleteObject.bind(store);
  store.putObject = async (object) => {
    await store.deleteSubresource(object.bucket, object.key, 'tagging');
    return putObject(object);
  };
  store.deleteObject = async (bucket, key) => {
    await store.deleteSubresource(bucket, key, 'tagging');
    return deleteObject(bucket, key);
  };
}

/** A ListObjectVersions request (GET /<bucket>?versions): its bucket, prefix and delimiter. */
function versionsListing(
  request: IncomingMessage,
): { bucket: string; prefix: string; delimiter: string } | undefined {
  const url = new URL(request.url ?? '/', 'http://local');
  const segments = url.pathname.split('/').filter(Boolean);
  if (request.method !== 'GET' || segments.length !== 1 || !url.searchParams.has('versions'))
    return undefined;
  return {
    bucket: decodeURIComponent(segments[0] as string),
    prefix: url.searchParams.get('prefix') ?? '',
    delimiter: url.searchParams.get('delimiter') ?? '',
  };
}

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** ListObjectVersions' answer for an unversioned bucket: every object (in one page), version id "null". */
async function listVersions(
  s3: S3Client,
  listing: { bucket: string; prefix: string; delimiter: string },
): Promise<string> {
  const versions: string[] = [];
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: listing.bucket,
        Prefix: listing.prefix || undefined,
        Delimiter: listing.delimiter || undefined,
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) {
      versions.push(
        `<Version><Key>${xmlText(object.Key ?? '')}</Key><VersionId>null</VersionId><IsLatest>true</IsLatest>` +
          `<LastModified>${object.LastModified?.toISOString() ?? ''}</LastModified><ETag>${xmlText(object.ETag ?? '')}</ETag>` +
          `<Size>${object.Size ?? 0}</Size><StorageClass>STANDARD</StorageClass></Version>`,
      );
    }
    for (const common of page.CommonPrefixes ?? []) {
      prefixes.push(`<CommonPrefixes><Prefix>${xmlText(common.Prefix ?? '')}</Prefix></CommonPrefixes>`);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${xmlText(listing.bucket)}</Name><Prefix>${xmlText(listing.prefix)}</Prefix><KeyMarker></KeyMarker>` +
    `<VersionIdMarker></VersionIdMarker><MaxKeys>${Math.max(1000, versions.length + prefixes.length)}</MaxKeys>` +
    `${listing.delimiter ? `<Delimiter>${xmlText(listing.delimiter)}</Delimiter>` : ''}<IsTruncated>false</IsTruncated>` +
    `${versions.join('')}${prefixes.join('')}</ListVersionsResult>`
  );
}

/** The bucket of a browser's POST upload (POST /<bucket> with a multipart form), else undefined. */
function postUploadBucket(request: IncomingMessage): string | undefined {
  if (request.method !== 'POST' || !request.headers['content-type']?.startsWith('multipart/form-data')) {
    return undefined;
  }
  const url = new URL(request.url ?? '/', 'http://local');
  const segments = url.pathname.split('/').filter(Boolean);
  return segments.length === 1 && url.search === '' ? decodeURIComponent(segments[0] as string) : undefined;
}

/** The access key a request is signed with (its Authorization header, or a presigned URL's query). */
function accessKeyOf(request: IncomingMessage): string | undefined {
  const header = /Credential=([^/,\s]+)\//.exec(request.headers.authorization ?? '')?.[1];
  if (header) return header;
  const credential = new URL(request.url ?? '/', 'http://local').searchParams.get('X-Amz-Credential');
  return credential?.split('/')[0] || undefined;
}

/** The IAM action and resource of a path-style request, as S3 authorises it. */
function s3Request(request: IncomingMessage): { action: string; resource: string } {
  const url = new URL(request.url ?? '/', 'http://local');
  const [bucket = '', ...key] = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (key.length === 0) {
    const listsVersions = request.method === 'GET' && url.searchParams.has('versions');
    return {
      action: listsVersions ? 's3:ListBucketVersions' : 's3:ListBucket',
      resource: `arn:aws:s3:::${bucket}`,
    };
  }
  const resource = `arn:aws:s3:::${bucket}/${key.join('/')}`;
  // A request naming a version needs the version's action, as S3 authorises it.
  const version = url.searchParams.has('versionId') ? 'Version' : '';
  const tagging = url.searchParams.has('tagging');
  const byMethod: Record<string, string> = tagging
    ? { GET: `s3:GetObject${version}Tagging`, PUT: `s3:PutObject${version}Tagging` }
    : {
        GET: `s3:GetObject${version}`,
        HEAD: `s3:GetObject${version}`,
        PUT: 's3:PutObject',
        DELETE: `s3:DeleteObject${version}`,
      };
  return { action: byMethod[request.method ?? 'GET'] ?? 's3:GetObject', resource };
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        resolvePromise(undefined);
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolvePromise(size > limit ? undefined : Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** The form's fields and the file's size, as the WHATWG multipart parser reads them. */
async function formOf(
  request: IncomingMessage,
  body: Buffer,
): Promise<{ fields: Map<string, string>; fileSize: number } | undefined> {
  let form: FormData;
  try {
    form = await new Request('http://local/', {
      method: 'POST',
      headers: { 'content-type': request.headers['content-type'] as string },
      body,
    }).formData();
  } catch {
    return undefined;
  }
  const fields = new Map<string, string>();
  let fileSize: number | undefined;
  for (const [name, value] of form) {
    if (name.toLowerCase() === 'file')
      fileSize = typeof value === 'string' ? Buffer.byteLength(value) : value.size;
    else if (typeof value === 'string') fields.set(name, value);
  }
  return fileSize === undefined ? undefined : { fields, fileSize };
}

/** The buckets' CORS rule: browsers' POSTs from these origins only (the presigned POST is the permission). */
function corsConfiguration(origins: readonly string[]): string {
  const allowed = origins.map((origin) => `<AllowedOrigin>${xmlText(origin)}</AllowedOrigin>`).join('');
  return `<CORSConfiguration><CORSRule>${allowed}<AllowedMethod>POST</AllowedMethod><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

function sendError(
  response: ServerResponse,
  status: number,
  failure: { code: string; message: string },
): void {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${failure.code}</Code><Message>${xmlText(failure.message)}</Message></Error>`,
  );
}

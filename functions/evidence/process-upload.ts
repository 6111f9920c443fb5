// What happens to each uploaded evidence file before anyone else may fetch it: the bucket's event calls
// this function when an object arrives under uploads/. The content is checked against the type it was added as (by its
// bytes), an image is re-encoded without its metadata, the cleaned copy is written under clean/ (the only
// copy ever served), and the verdict is recorded on the case: `rejected` with the reason, or the local
// scan's verdict. In AWS the scan is GuardDuty's, whose result EventBridge records (the file stays
// `pending` until then). Running it again for the same object changes nothing.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '#clients/s3.ts';
import { systemClock } from '#core/clock.ts';
import {
  checkUploadedContent,
  detectEvidenceType,
  EVIDENCE_NAMES,
  IMAGE_TYPES,
  isEvidenceType,
  MAX_EVIDENCE_BYTES,
  MAX_FILES_PER_CASE,
} from '#core/evidence-files.ts';
import { evidenceBucketFrom } from '#data/bucket-specs.ts';
import {
  admitEvidence,
  cleanObjectKey,
  evidenceOnCase,
  markReceived,
  readEvidence,
  reclaimAbandonedUploads,
  recordContent,
  recordVerdict,
} from '#data/case-evidence.ts';
import { type DataContext, dataContextFrom } from '#data/data-context.ts';
import { reencodeImage, UnreadableImageError } from '#evidence/clean-image.ts';
import { clamscan, type Scanner } from '#evidence/scanner.ts';
import { type ThreatDependencies, threatFound } from '#evidence/threat-found.ts';
import { notifierFromEnv } from '#shared/notifier-from-env.ts';
import { InvalidStepInputError, stepFailure } from '#workflow/workflow-step.ts';

export interface ProcessUploadDependencies extends ThreatDependencies {
  readonly data: DataContext;
  readonly s3: S3Client;
  readonly bucket: string;
  /** The scan here, or undefined where another service scans the cleaned object and records its verdict. */
  readonly scan?: Scanner;
}

export type ProcessUploadOutcome = 'ignored' | 'already-decided' | 'rejected' | 'cleaned';

const UPLOAD_KEY = /^uploads\/([A-Z]{3}-[A-Za-z0-9-]+)\/([0-9a-f-]{36})$/;

export async function processUpload(
  deps: ProcessUploadDependencies,
  key: string,
): Promise<ProcessUploadOutcome> {
  const match = UPLOAD_KEY.exec(key);
  if (!match) return 'ignored';
  const [, reference, id] = match as unknown as [string, string, string];
  const record = await readEvidence(deps.data, reference, id);
  if (!record) return 'ignored';
  if (record.verdict !== 'pending') return 'already-decided';
  // A place given up on (its form expired long ago and it no longer counts) is not brought back by a
  // late object; a place taken in here is never given up.
  if (!(await markReceived(deps.data, reference, id, deps.clock()))) return 'ignored';

  const object = await deps.s3.send(new GetObjectCommand({ Bucket: deps.bucket, Key: key }));
  const reject = async (reason: string) => {
    await recordVerdict(deps.data, reference, id, 'rejected', reason);
    return 'rejected' as const;
  };
  if ((object.ContentLength ?? 0) > MAX_EVIDENCE_BYTES) {
    object.Body?.transformToWebStream().cancel();
    return reject('The file must be smaller than 10 MB.');
  }
  const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
  let declared: string | undefined = record.type;
  let name = record.name;
  if (declared === undefined) {
    // Sent through a page's form, which knows nothing of the file: what its content is, is what it was
    // added as, and its name says so.
    const detected = detectEvidenceType(bytes);
    const type = detected !== undefined && isEvidenceType(detected) ? detected : undefined;
    declared = type ?? '';
    name = type ? EVIDENCE_NAMES[type] : 'File';
    await recordContent(deps.data, reference, id, { name, type, size: bytes.length });
    const now = deps.clock();
    await reclaimAbandonedUploads(
      deps.data,
      reference,
      (await evidenceOnCase(deps.data, reference, now)).files,
      now,
    );
    if (!(await admitEvidence(deps.data, reference, id))) {
      return reject(`A case can have at most ${MAX_FILES_PER_CASE} files.`);
    }
  }
  const checked = checkUploadedContent(bytes, declared);
  if (!checked.accepted) return reject(checked.reason);

  let cleaned: Uint8Array;
  try {
    cleaned = IMAGE_TYPES.has(checked.type) ? await reencodeImage(bytes, checked.type) : bytes;
  } catch (error) {
    if (error instanceof UnreadableImageError) return reject(error.message);
    throw error;
  }
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.bucket,
      Key: cleanObjectKey(reference, id),
      Body: cleaned,
      ContentType: checked.type,
      // Served as a download under its own name, never shown in the browser; so the link needs no name.
      ContentDisposition: attachment(name),
    }),
  );
  if (deps.scan) {
    const result = await deps.scan(cleaned);
    if (result === 'threat') {
      await threatFound(deps, reference, id);
      return 'rejected';
    }
    await recordVerdict(deps.data, reference, id, result);
  }
  return 'cleaned';
}

/** Content-Disposition for a download named `name`: an ASCII fallback, and the name itself (RFC 6266). */
export function attachment(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** What the upload processing is called with: how the stack wires it, or S3's own notification. */
interface ObjectCreatedEvent {
  /** EventBridge's "Object Created" (the stack's rule on the bucket's events). */
  readonly source?: unknown;
  readonly 'detail-type'?: unknown;
  readonly detail?: {
    readonly bucket?: { readonly name?: unknown };
    readonly object?: { readonly key?: unknown };
  };
  /** An S3 event notification (a bucket notifying the function itself). */
  readonly Records?: unknown;
}

/**
 * The keys of the objects an event says were created in `bucket`: an EventBridge "Object Created" event
 * (what the stack's rule sends) names one, an S3 notification one per record, URL-encoded (a space as
 * '+'; the bucket's own notification is only ever of that bucket). An object of another bucket is none of
 * this function's. Throws on anything else.
 */
export function createdObjectKeys(event: unknown, bucket: string): string[] {
  const given = (typeof event === 'object' && event !== null ? event : {}) as ObjectCreatedEvent;
  if (given.source === 'aws.s3' && given['detail-type'] === 'Object Created') {
    const name = given.detail?.bucket?.name;
    const key = given.detail?.object?.key;
    if (typeof name !== 'string' || typeof key !== 'string') {
      throw new InvalidStepInputError('The Object Created event names no bucket or key');
    }
    return name === bucket ? [key] : [];
  }
  if (Array.isArray(given.Records)) {
    return (given.Records as { s3?: { object?: { key?: string } } }[]).map((record) =>
      decodeURIComponent((record.s3?.object?.key ?? '').replace(/\+/g, ' ')),
    );
  }
  throw new InvalidStepInputError('The event is not an S3 notification or an Object Created event');
}

let dependencies: ProcessUploadDependencies | undefined;

/**
 * The evidence bucket's object-created events for uploads/ (in AWS through EventBridge). EVIDENCE_SCANNER=local
 * scans here with the machine's scanner; otherwise (in AWS) GuardDuty scans the cleaned copy.
 */
export async function handler(event: unknown): Promise<ProcessUploadOutcome[]> {
  try {
    dependencies ??= {
      data: dataContextFrom(),
      notifier: notifierFromEnv(),
      clock: systemClock,
      s3: createS3Client(),
      bucket: evidenceBucketFrom(),
      ...(process.env.EVIDENCE_SCANNER === 'local' && { scan: clamscan() }),
    };
    const outcomes: ProcessUploadOutcome[] = [];
    for (const key of createdObjectKeys(event, dependencies.bucket)) {
      outcomes.push(await processUpload(dependencies, key));
    }
    return outcomes;
  } catch (error) {
    throw stepFailure(error);
  }
}

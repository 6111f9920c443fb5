// GuardDuty Malware Protection for S3 scans each cleaned object (clean/<reference>/<id>), tags it with
// its result and sends the result to EventBridge, whose rule calls this function: the verdict is
// recorded on the case, a threat rejecting the file (the bucket already refuses to serve an object tagged
// so) and telling the case's officers. The event names the bucket and key, nothing personal.
import { systemClock } from '#core/clock.ts';
import type { EvidenceVerdict } from '#core/evidence-files.ts';
import { evidenceBucketFrom } from '#data/bucket-specs.ts';
import { recordVerdict } from '#data/case-evidence.ts';
import { dataContextFrom } from '#data/data-context.ts';
import { type ThreatDependencies, threatFound } from '#evidence/threat-found.ts';
import { notifierFromEnv } from '#shared/notifier-from-env.ts';
import { InvalidStepInputError, stepFailure } from '#workflow/workflow-step.ts';

/** The part of "GuardDuty Malware Protection Object Scan Result" this function reads. */
export interface ScanResultDetail {
  readonly scanStatus?: string;
  readonly s3ObjectDetails?: { readonly bucketName?: string; readonly objectKey?: string };
  readonly scanResultDetails?: { readonly scanResultStatus?: string };
}

const CLEAN_KEY = /^clean\/([A-Z]{3}-[A-Za-z0-9-]+)\/([0-9a-f-]{36})$/;

/**
 * The verdict a scan result gives: a threat rejects, no threat is clean, and a scan that could not look
 * at the file (unsupported, access denied, failed, skipped) leaves it not-scanned.
 */
export function verdictOfScan(detail: ScanResultDetail): Exclude<EvidenceVerdict, 'pending'> {
  const status = detail.scanStatus === 'COMPLETED' ? detail.scanResultDetails?.scanResultStatus : undefined;
  if (status === 'THREATS_FOUND') return 'rejected';
  if (status === 'NO_THREATS_FOUND') return 'clean';
  return 'not-scanned';
}

/** Records the result on the file's case; 'ignored' for an object that is no cleaned evidence file. */
export async function recordScanResult(
  deps: ThreatDependencies,
  bucket: string,
  detail: ScanResultDetail,
): Promise<'recorded' | 'ignored'> {
  const match = CLEAN_KEY.exec(detail.s3ObjectDetails?.objectKey ?? '');
  if (!match || detail.s3ObjectDetails?.bucketName !== bucket) return 'ignored';
  const [, reference, id] = match as unknown as [string, string, string];
  const verdict = verdictOfScan(detail);
  const recorded =
    verdict === 'rejected'
      ? (await threatFound(deps, reference, id)) === 'rejected'
      : await recordVerdict(deps.data, reference, id, verdict);
  return recorded ? 'recorded' : 'ignored';
}

let context: (ThreatDependencies & { bucket: string }) | undefined;

export async function handler(event: unknown): Promise<'recorded' | 'ignored'> {
  try {
    const detail = (event as { detail?: unknown } | null)?.detail;
    if (typeof detail !== 'object' || detail === null) {
      throw new InvalidStepInputError('The event has no scan result detail');
    }
    context ??= {
      data: dataContextFrom(),
      notifier: notifierFromEnv(),
      clock: systemClock,
      bucket: evidenceBucketFrom(),
    };
    return await recordScanResult(context, context.bucket, detail as ScanResultDetail);
  } catch (error) {
    throw stepFailure(error);
  }
}

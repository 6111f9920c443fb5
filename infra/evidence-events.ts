// The EventBridge rules of the evidence bucket, as the stack creates them (infra/stacks/stateless-stack.ts)
// and the local runtime matches its events against them in `npm start` (infra/local/event-bus.ts): one
// definition, so a pattern cannot differ between the two.

/**
 * The tag GuardDuty Malware Protection puts on each object it scanned, with the scan's result: the
 * bucket's policy refuses an object tagged THREATS_FOUND (stateful stack), and the local stand-in tags
 * as GuardDuty does (infra/local/malware-scan.ts).
 */
export const SCAN_STATUS_TAG = 'GuardDutyMalwareScanStatus';

/** An EventBridge event pattern, as the service writes its rules (CDK's names for the top-level fields). */
export interface EvidenceEventPattern {
  readonly source: string[];
  readonly detailType: string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Each object created under uploads/ (a presigned POST's file): its checks and cleaning. */
export function uploadsArriving(bucket: string): EvidenceEventPattern {
  return {
    source: ['aws.s3'],
    detailType: ['Object Created'],
    detail: { bucket: { name: [bucket] }, object: { key: [{ prefix: 'uploads/' }] } },
  };
}

/** GuardDuty Malware Protection's result for each cleaned copy: the verdict recorded on the case. */
export function scanResults(bucket: string): EvidenceEventPattern {
  return {
    source: ['aws.guardduty'],
    detailType: ['GuardDuty Malware Protection Object Scan Result'],
    detail: { s3ObjectDetails: { bucketName: [bucket], objectKey: [{ prefix: 'clean/' }] } },
  };
}

/** The pattern as EventBridge stores it (and a template holds it): `detail-type`, not `detailType`. */
export function eventPatternJson(pattern: EvidenceEventPattern): Record<string, unknown> {
  return { source: pattern.source, 'detail-type': pattern.detailType, detail: pattern.detail };
}

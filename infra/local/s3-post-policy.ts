// What S3 checks before it stores a file a browser POSTed with a presigned POST, and what the local S3
// server (s3rver) does not: that the policy is signed with a key the server knows, has not expired, and
// that every form field and the file itself meet its conditions (a key prefix, a content-length-range,
// an exact Content-Type). Without it a resident's browser could put any file of any size under any key
// on this machine, where AWS would refuse it. The failures are S3's error codes and messages.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface PostUpload {
  /** The bucket the form was posted to (the path of the URL). */
  readonly bucket: string;
  /** The form's fields other than the file, by name as sent. */
  readonly fields: ReadonlyMap<string, string>;
  readonly fileSize: number;
}

export interface PostPolicyFailure {
  readonly code:
    | 'AccessDenied'
    | 'InvalidPolicyDocument'
    | 'SignatureDoesNotMatch'
    | 'InvalidAccessKeyId'
    | 'EntityTooLarge'
    | 'EntityTooSmall';
  readonly message: string;
}

type Condition =
  | { kind: 'eq' | 'starts-with'; field: string; value: string; text: string }
  | { kind: 'content-length-range'; min: number; max: number };

// S3 does not require these to be named in the policy's conditions.
const UNCONDITIONED = new Set(['policy', 'x-amz-signature', 'file']);

const fail = (code: PostPolicyFailure['code'], message: string): PostPolicyFailure => ({ code, message });

/** Why S3 would refuse this upload, or undefined when it would store it. */
export function checkPostPolicy(
  upload: PostUpload,
  secretOf: (accessKeyId: string) => string | undefined,
  now: Date,
): PostPolicyFailure | undefined {
  const fields = new Map([...upload.fields].map(([name, value]) => [name.toLowerCase(), value]));
  const encodedPolicy = fields.get('policy');
  if (!encodedPolicy) return fail('AccessDenied', 'Bucket POST must contain a field named policy.');

  const signatureFailure = checkSignature(fields, encodedPolicy, secretOf);
  if (signatureFailure) return signatureFailure;

  const policy = parsePolicy(encodedPolicy);
  if (!policy) return fail('InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  if (!(policy.expiration.getTime() > now.getTime())) {
    return fail('AccessDenied', 'Invalid according to Policy: Policy expired.');
  }

  const conditioned = new Set<string>();
  for (const condition of policy.conditions) {
    if (condition.kind === 'content-length-range') {
      if (upload.fileSize > condition.max) {
        return fail('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
      }
      if (upload.fileSize < condition.min) {
        return fail('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
      }
      continue;
    }
    conditioned.add(condition.field);
    const value = condition.field === 'bucket' ? upload.bucket : fields.get(condition.field);
    const met =
      value !== undefined &&
      (condition.kind === 'eq' ? value === condition.value : value.startsWith(condition.value));
    if (!met) {
      return fail('AccessDenied', `Invalid according to Policy: Policy Condition failed: ${condition.text}`);
    }
  }
  const extra = [...fields.keys()].filter(
    (name) => !UNCONDITIONED.has(name) && !name.startsWith('x-ignore-') && !conditioned.has(name),
  );
  if (extra.length > 0) {
    return fail('AccessDenied', `Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
  }
  return undefined;
}

/** The policy's signature: Signature Version 4, the base64 policy itself being the string to sign. */
function checkSignature(
  fields: ReadonlyMap<string, string>,
  encodedPolicy: string,
  secretOf: (accessKeyId: string) => string | undefined,
): PostPolicyFailure | undefined {
  const algorithm = fields.get('x-amz-algorithm');
  const credential = fields.get('x-amz-credential');
  const signature = fields.get('x-amz-signature');
  if (algorithm !== 'AWS4-HMAC-SHA256' || !credential || !signature) {
    return fail(
      'AccessDenied',
      'Bucket POST must contain a Signature Version 4 signature (x-amz-algorithm AWS4-HMAC-SHA256, x-amz-credential, x-amz-signature).',
    );
  }
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  if (!accessKeyId || !date || !region || service !== 's3' || terminator !== 'aws4_request') {
    return fail('AccessDenied', `Invalid according to Policy: x-amz-credential is malformed: ${credential}`);
  }
  const secret = secretOf(accessKeyId);
  if (secret === undefined) {
    return fail('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  }
  let key: Buffer = hmac(`AWS4${secret}`, date);
  for (const part of [region, service, terminator]) key = hmac(key, part);
  const expected = hmac(key, encodedPolicy);
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return fail(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  }
  return undefined;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function parsePolicy(encoded: string): { expiration: Date; conditions: Condition[] } | undefined {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof document !== 'object' || document === null) return undefined;
  const { expiration, conditions } = document as { expiration?: unknown; conditions?: unknown };
  if (typeof expiration !== 'string' || !Array.isArray(conditions)) return undefined;
  const parsed = conditions.map(parseCondition);
  if (parsed.some((condition) => condition === undefined)) return undefined;
  return { expiration: new Date(expiration), conditions: parsed as Condition[] };
}

function parseCondition(raw: unknown): Condition | undefined {
  const text = JSON.stringify(raw);
  if (Array.isArray(raw)) {
    const [operator, first, second] = raw as unknown[];
    if (operator === 'content-length-range' && Number.isInteger(first) && Number.isInteger(second)) {
      return { kind: 'content-length-range', min: first as number, max: second as number };
    }
    if (
      (operator === 'eq' || operator === 'starts-with') &&
      typeof first === 'string' &&
      first.startsWith('$') &&
      typeof second === 'string'
    ) {
      return { kind: operator, field: first.slice(1).toLowerCase(), value: second, text };
    }
    return undefined;
  }
  if (typeof raw === 'object' && raw !== null) {
    const entries = Object.entries(raw);
    const [entry] = entries;
    if (entries.length !== 1 || !entry || typeof entry[1] !== 'string') return undefined;
    return { kind: 'eq', field: entry[0].toLowerCase(), value: entry[1], text };
  }
  return undefined;
}

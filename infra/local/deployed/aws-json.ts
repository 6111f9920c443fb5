// The parts the local AWS JSON-protocol endpoints share: reading a request body, and answering an
// error the way AWS's JSON services do (HTTP 400, `{"__type": …, "Message": …}`), which the SDK turns
// into the exception of that name.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** AWS answers a call its IAM check refuses with this type, for every JSON-protocol service. */
export const ACCESS_DENIED = 'com.amazon.coral.service#AccessDeniedException';

// DynamoDB takes items up to 400 KB and batches of 25; anything larger is not the service's traffic.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('The request body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The JSON object of a body, or an empty object for anything else (the service itself then refuses it). */
export function jsonObject(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

export function sendAwsJson(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: Record<string, unknown>,
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

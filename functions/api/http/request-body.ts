// Reads a request's JSON body as API Gateway (payload 2.0) delivers it: text, or base64 for bodies it
// does not take for text. Refuses what is not JSON (415), too large (413) or not parseable (400).
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { requestHeader } from '#api/http/request.ts';
import { InvalidInputError, TooLargeError, UnsupportedMediaTypeError } from '#core/errors.ts';

/** The contract's limit: a body over 1 MB is 413. */
export const MAX_BODY_BYTES = 1_000_000;

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function bodyBytes(event: APIGatewayProxyEventV2): Buffer {
  const body = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/**
 * The parsed JSON body, or `undefined` when the request has none (each schema then says what to send).
 * The size is checked before anything else so a huge body costs no parsing.
 */
export function readJsonBody(event: APIGatewayProxyEventV2, maxBytes = MAX_BODY_BYTES): unknown {
  const bytes = bodyBytes(event);
  if (bytes.length > maxBytes) throw new TooLargeError(maxBytes);
  if (bytes.length === 0) return undefined;
  const mediaType = requestHeader(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === undefined || !JSON_MEDIA_TYPE.test(mediaType)) throw new UnsupportedMediaTypeError();
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    throw new InvalidInputError([{ path: '', message: 'The body must be text in UTF-8' }], undefined, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(
      [{ path: '', message: 'The body is not valid JSON' }],
      'The body is not valid JSON.',
      {
        cause: error,
      },
    );
  }
}

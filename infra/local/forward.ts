// A local endpoint that checks a request before the real server behind it answers (the deployed
// mode's DynamoDB gate, the local S3's gate for POST policies) passes it on unchanged with this.
import { type ClientRequest, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * Sends `request` to the server at `host`:`port` as it came (method, path, headers) and that server's
 * answer back on `response`. The caller sends the body (`end` or `pipe`) and handles the request's errors.
 */
export function forwardRequest(
  upstream: { readonly host: string; readonly port: number | string },
  request: IncomingMessage,
  response: ServerResponse,
): ClientRequest {
  return forward(
    {
      host: upstream.host,
      port: upstream.port,
      method: request.method,
      path: request.url,
      headers: request.headers,
    },
    (upstreamResponse) => {
      response.writeHead(upstreamResponse.statusCode ?? 500, upstreamResponse.headers);
      upstreamResponse.pipe(response);
    },
  );
}

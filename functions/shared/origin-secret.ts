// The edge cannot be walked around: CloudFront adds a secret header to every request it passes to the
// HTTP API (infra/constructs/web-distribution.ts), and every HTTP function refuses a request without it
// (403) before anything else runs, so calling the API's own address skips neither the WAF's rules nor
// its rate limits. The value lives in Secrets Manager (ORIGIN_SECRET_ARN) and can be rotated: a function
// keeps what it read for a few minutes and accepts the previous value as well as the current one, so
// requests keep passing while CloudFront moves to the new value. On one machine the local gateway stands
// in for CloudFront and adds the header; `npm start` gives the functions the value itself (ORIGIN_SECRET).
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { rereadEvery, secretStages } from '#clients/secret-stages.ts';

/** The header CloudFront adds (lower case, as API Gateway hands headers on). */
export const ORIGIN_SECRET_HEADER = 'x-origin-verify';

/** The values a request's header may carry: the current one and, during a rotation, the previous. */
export type OriginSecretSource = () => Promise<readonly string[]>;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * ORIGIN_SECRET_ARN (in AWS) or ORIGIN_SECRET (the value itself, on one machine); undefined when neither
 * is set, for a function that is not behind the edge (a test calling a handler directly).
 */
export function originSecretFromEnv(env: Env = process.env): OriginSecretSource | undefined {
  const secretArn = env.ORIGIN_SECRET_ARN;
  if (secretArn) return rereadEvery(secretStages(secretArn, ['AWSCURRENT', 'AWSPREVIOUS']));
  const value = env.ORIGIN_SECRET;
  if (value) return async () => [value];
  return undefined;
}

function matches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const REFUSED: APIGatewayProxyStructuredResultV2 = {
  statusCode: 403,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify({
    error: 'forbidden',
    message: 'This service is reached through its own web address only.',
  }),
};

/** Whether the request came through the edge. */
export async function cameThroughEdge(
  event: Pick<APIGatewayProxyEventV2, 'headers'>,
  source: OriginSecretSource,
): Promise<boolean> {
  const presented = event.headers?.[ORIGIN_SECRET_HEADER];
  if (!presented) return false;
  return (await source()).some((value) => matches(presented, value));
}

/** Answers 403 to a request that did not come through the edge, before any other middleware or route. */
export function requireOriginSecret(
  source: OriginSecretSource | undefined = originSecretFromEnv(),
): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    before: async (request) => {
      if (source === undefined || (await cameThroughEdge(request.event, source))) return undefined;
      return REFUSED;
    },
  };
}

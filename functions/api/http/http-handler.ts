// The API's middleware, composed once: every route group's Lambda handler is built here, so logging,
// metrics, rate limiting and error responses are the same for all of them.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { errorResponses } from '#api/http/error-responses.ts';
import type { HttpResult } from '#api/http/responses.ts';
import { NotFoundError } from '#core/errors.ts';
import { publishMetrics } from '#shared/metrics.ts';
import { type OriginSecretSource, originSecretFromEnv, requireOriginSecret } from '#shared/origin-secret.ts';
import { powertools } from '#shared/powertools.ts';
import { type RateLimiter, rateLimit, rateLimiterFromEnv } from '#shared/rate-limit.ts';

export type RouteHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;

/** Route handlers by route key, as API Gateway writes it: "POST /api/cases/{reference}/withdraw". */
export type Routes = Readonly<Record<string, RouteHandler>>;

export interface HttpHandlerOptions {
  /** Defaults to the limit RATE_LIMIT_PER_MINUTE asks for (none when unset). */
  readonly rateLimiter?: RateLimiter;
  /** Defaults to the origin secret the environment names (shared/origin-secret.ts). */
  readonly originSecret?: OriginSecretSource;
}

export function httpHandler(routes: Routes, options: HttpHandlerOptions = {}) {
  const dispatch = async (event: APIGatewayProxyEventV2, context: Context): Promise<HttpResult> => {
    const route = Object.hasOwn(routes, event.routeKey) ? routes[event.routeKey] : undefined;
    if (route === undefined) throw new NotFoundError('There is no such address in this API.');
    return route(event, context);
  };
  const { logger, metrics } = powertools('api');
  return middy(dispatch)
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(publishMetrics(metrics, { coldStart: true }))
    .use(errorResponses())
    .use(requireOriginSecret(options.originSecret ?? originSecretFromEnv()))
    .use(rateLimit(options.rateLimiter ?? rateLimiterFromEnv()));
}

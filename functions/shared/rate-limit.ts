// A per-client request limit kept in the function's memory: off unless RATE_LIMIT_PER_MINUTE is set.
// In AWS the WAF rate rule is the real limit; this lets the local runtime show the same 429. Both doors
// count with it: the API in its middleware (api/http/http-handler.ts), the pages before any page runs
// (web/app.ts).
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RateLimitedError } from '#core/errors.ts';

const WINDOW_MS = 60_000;

export interface RateLimiter {
  /** Counts a request from `client`; throws RateLimitedError once it is over the limit. */
  take(client: string, nowMs: number): void;
}

/** A fixed one-minute window per client, the way WAF rate rules count. */
export function createRateLimiter(perMinute: number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(client, nowMs) {
      const window = windows.get(client);
      if (window === undefined || nowMs - window.start >= WINDOW_MS) {
        // Forget finished windows so the map stays as small as the set of recent clients.
        for (const [key, old] of windows) if (nowMs - old.start >= WINDOW_MS) windows.delete(key);
        windows.set(client, { start: nowMs, count: 1 });
        return;
      }
      window.count += 1;
      if (window.count > perMinute) {
        throw new RateLimitedError(Math.max(1, Math.ceil((window.start + WINDOW_MS - nowMs) / 1000)));
      }
    },
  };
}

export class RateLimitConfigError extends Error {
  constructor(value: string) {
    super(`RATE_LIMIT_PER_MINUTE must be a whole number of requests (0 or unset: no limit), not "${value}"`);
    this.name = 'RateLimitConfigError';
  }
}

/** The limiter the environment asks for, or undefined when there is none. */
export function rateLimiterFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimiter | undefined {
  const raw = env.RATE_LIMIT_PER_MINUTE;
  if (raw === undefined || raw === '') return undefined;
  const perMinute = Number(raw);
  if (!Number.isSafeInteger(perMinute) || perMinute < 0) throw new RateLimitConfigError(raw);
  return perMinute === 0 ? undefined : createRateLimiter(perMinute);
}

export function rateLimit(
  limiter: RateLimiter | undefined,
  clock: () => number = Date.now,
): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: (request) => {
      limiter?.take(request.event.requestContext?.http?.sourceIp ?? 'unknown', clock());
    },
  };
}

import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

import { httpHandler } from '#api/http/http-handler.ts';
import { json } from '#api/http/responses.ts';
import { rereadEvery } from '#clients/secret-stages.ts';
import {
  cameThroughEdge,
  ORIGIN_SECRET_HEADER,
  type OriginSecretSource,
  originSecretFromEnv,
} from '#shared/origin-secret.ts';
import { apiEvent, lambdaContext } from '#test/support/api-events.ts';

const CURRENT = 'current-value-of-the-origin-secret';
const PREVIOUS = 'previous-value-of-the-origin-secret';
const rotated: OriginSecretSource = async () => [CURRENT, PREVIOUS];

function withHeader(value?: string) {
  const event = apiEvent('GET /x');
  if (value !== undefined) event.headers[ORIGIN_SECRET_HEADER] = value;
  return event;
}

describe('the origin secret check in front of every route', () => {
  const routed = () => {
    const calls: string[] = [];
    const handler = httpHandler(
      {
        'GET /x': async (event) => {
          calls.push(event.rawPath);
          return json(200, { ok: true });
        },
      },
      { originSecret: rotated },
    );
    return { calls, handler };
  };

  it('refuses a request without the header with 403 forbidden, and runs no route', async () => {
    // Prepare
    const { calls, handler } = routed();

    // Act
    const result = await handler(withHeader(), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ error: 'forbidden' });
    expect(calls).toEqual([]);
  });

  it('refuses a request with another value, even one that starts like the secret', async () => {
    // Prepare
    const { calls, handler } = routed();

    // Act
    const wrong = await handler(withHeader('not-the-secret'), lambdaContext());
    const prefix = await handler(withHeader(CURRENT.slice(0, 10)), lambdaContext());

    // Assess
    expect([wrong.statusCode, prefix.statusCode]).toEqual([403, 403]);
    expect(calls).toEqual([]);
  });

  it('passes a request with the current value, and with the previous one during a rotation', async () => {
    // Prepare
    const { calls, handler } = routed();

    // Act
    const current = await handler(withHeader(CURRENT), lambdaContext());
    const previous = await handler(withHeader(PREVIOUS), lambdaContext());

    // Assess
    expect([current.statusCode, previous.statusCode]).toEqual([200, 200]);
    expect(calls).toHaveLength(2);
  });
});

describe('the origin secret as a warm instance keeps it (rereadEvery)', () => {
  it('reads the secret once per period, then again, so a rotation reaches every instance', async () => {
    // Prepare
    let now = 0;
    let value = CURRENT;
    const source = vi.fn(async () => [value]);
    const cached = rereadEvery(source, 60_000, () => now);

    // Act
    const first = await cached();
    value = 'rotated';
    now = 59_999;
    const stillCached = await cached();
    now = 60_000;
    const reread = await cached();

    // Assess
    expect([first, stillCached, reread]).toEqual([[CURRENT], [CURRENT], ['rotated']]);
    expect(source).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed read: the next request reads again', async () => {
    // Prepare
    const source = vi
      .fn<OriginSecretSource>()
      .mockRejectedValueOnce(new Error('throttled'))
      .mockResolvedValueOnce([CURRENT]);
    const cached = rereadEvery(source, 60_000, () => 0);

    // Act
    await expect(cached()).rejects.toThrow('throttled');
    const second = await cached();

    // Assess
    expect(second).toEqual([CURRENT]);
  });
});

describe('originSecretFromEnv', () => {
  it('checks against ORIGIN_SECRET on one machine, and checks nothing when no secret is set', async () => {
    // Prepare
    const local = originSecretFromEnv({ ORIGIN_SECRET: CURRENT });

    // Assess
    expect(local && (await cameThroughEdge(withHeader(CURRENT), local))).toBe(true);
    expect(local && (await cameThroughEdge(withHeader(PREVIOUS), local))).toBe(false);
    expect(originSecretFromEnv({})).toBeUndefined();
  });
});

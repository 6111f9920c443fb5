// The local rate limit (contract.md: none by default, configurable): with RATE_LIMIT_PER_MINUTE set, a
// client over the limit gets a 429 with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '#test/support/api-client.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';

let service: LocalService;
let api: ApiClient;

beforeAll(async () => {
  service = await startLocalService({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  api = new ApiClient(service);
});

afterAll(async () => {
  await service?.stop();
});

describe('RATE_LIMIT_PER_MINUTE', () => {
  it('answers requests over the limit with 429 and Retry-After', async () => {
    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await api.get('/api/statistics/years')).status);
    const limited = await api.get('/api/statistics/years');
    // Assess
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(limited.body).toMatchObject({ error: 'too-many-requests', message: expect.any(String) });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { onFirstUse } from '#clients/on-first-use.ts';

describe('onFirstUse', () => {
  it('loads nothing until asked, then once for every later ask', async () => {
    // Prepare
    let loads = 0;
    const client = onFirstUse(async () => {
      loads += 1;
      return { id: loads };
    });

    // Act
    const before = loads;
    const [first, second] = await Promise.all([client(), client()]);
    const third = await client();

    // Assess
    expect(before).toBe(0);
    expect(loads).toBe(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it('loads again after a load that failed', async () => {
    // Prepare
    let loads = 0;
    const client = onFirstUse(async () => {
      loads += 1;
      if (loads === 1) throw new Error('unreachable for now');
      return 'loaded';
    });

    // Act and assess
    await expect(client()).rejects.toThrow('unreachable for now');
    await expect(client()).resolves.toBe('loaded');
    expect(loads).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { COUNTER_SHARDS, counterKey, counterShard, returnKey, rowPartOf } from '#data/statistics-keys.ts';

describe('counterShard', () => {
  it('gives a case the same shard every time', () => {
    expect(counterShard('SEF-7K3M-Q9XD')).toBe(counterShard('SEF-7K3M-Q9XD'));
  });

  it('spreads references over every shard', () => {
    // Prepare
    const references = Array.from({ length: 400 }, (_, i) => `SEF-${String(i).padStart(4, '0')}-Q9XD`);
    // Act
    const shards = new Set(references.map(counterShard));
    // Assess
    expect([...shards].sort((a, b) => a - b)).toEqual(Array.from({ length: COUNTER_SHARDS }, (_, i) => i));
  });
});

describe('rowPartOf', () => {
  it('reads the CSP and the part back from a counter shard and a return item', () => {
    const shard = counterKey('merseyside', '2015-16', 'st-helens', 'STH-7K3M-Q9XD');
    const signOff = returnKey('merseyside', '2015-16', 'st-helens');
    expect(shard.pk).toBe('merseyside#2015-16');
    expect(rowPartOf(shard.sk)).toEqual({ csp: 'st-helens', part: 'counters' });
    expect(rowPartOf(signOff.sk)).toEqual({ csp: 'st-helens', part: 'return' });
  });
});

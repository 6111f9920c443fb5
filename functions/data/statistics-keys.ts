// The statistics table's layout, shared by the writer (counting transactions in case-store.ts)
// and the reader (statistics-counters.ts).
import { createHash } from 'node:crypto';
import type { CounterColumn } from '#core/counting.ts';

/**
 * Each (PCC area, reporting year, CSP) row of the published table is kept as this many counter items
 * (shards), so concurrent cases of one CSP do not all update, and conflict on, one item.
 */
export const COUNTER_SHARDS = 8;

/** The shard a case always counts into: fixed by its reference, so a retried write hits the same item. */
export const counterShard = (reference: string): number =>
  (createHash('sha256').update(reference).digest()[0] ?? 0) % COUNTER_SHARDS;

/** One counter item of a row: `sk = <csp>#<shard>`. */
export const shardKey = (pccArea: string, year: string, csp: string, shard: number) => ({
  pk: `${pccArea}#${year}`,
  sk: `${csp}#${shard}`,
});

/** The counter item a case's counts go to. */
export const counterKey = (pccArea: string, year: string, csp: string, reference: string) =>
  shardKey(pccArea, year, csp, counterShard(reference));

const RETURN = 'return';

/** The row's sign-off item (`signedOffAt`, `signedOffBy`): `sk = <csp>#return`. */
export const returnKey = (pccArea: string, year: string, csp: string) => ({
  pk: `${pccArea}#${year}`,
  sk: `${csp}#${RETURN}`,
});

/** What an item of a year partition is: one shard of a CSP's counters, or its sign-off. */
export type RowPart = { readonly csp: string; readonly part: 'counters' | 'return' };

/** Splits a year partition's `sk` (CSP ids hold no `#`). */
export function rowPartOf(sk: string): RowPart {
  const cut = sk.lastIndexOf('#');
  const csp = cut < 0 ? sk : sk.slice(0, cut);
  return { csp, part: sk.slice(cut + 1) === RETURN ? 'return' : 'counters' };
}

/** One marker per (PCC area, reporting year) that has data, so the list of years is one Query. */
export const yearMarkerKey = (pccArea: string, year: string) => ({ pk: `${pccArea}#YEARS`, sk: year });

export const yearsPartition = (pccArea: string) => `${pccArea}#YEARS`;
export const yearPartition = (pccArea: string, year: string) => `${pccArea}#${year}`;

/** The PCC area of any partition of the table (area ids hold no `#`). */
export const areaOfPartition = (pk: string): string => pk.slice(0, pk.indexOf('#'));

/** The counter attributes are the counters' field names (the published columns' and one more). */
export const counterAttribute = (column: CounterColumn): string => column;

/**
 * Set on a shard at every change of its counters; the row's latest change is the latest of its shards',
 * compared with the return item's `signedOffAt` to show a row changed after sign-off.
 */
export const CHANGED_AT = 'changedAt';
export const SIGNED_OFF_AT = 'signedOffAt';
export const SIGNED_OFF_BY = 'signedOffBy';

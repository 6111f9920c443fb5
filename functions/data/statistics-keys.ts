// The statistics table's layout, shared by the writer (counting transactions in case-repository.ts)
// and the reader (statistics-repository.ts).
import type { CountColumn } from '#core/counting.ts';

/** One item per (PCC area, reporting year, CSP): the five counters of the published table. */
export const rowKey = (pccArea: string, year: string, csp: string) => ({ pk: `${pccArea}#${year}`, sk: csp });

/** One marker per (PCC area, reporting year) that has data, so the list of years is one Query. */
export const yearMarkerKey = (pccArea: string, year: string) => ({ pk: `${pccArea}#YEARS`, sk: year });

export const yearsPartition = (pccArea: string) => `${pccArea}#YEARS`;
export const yearPartition = (pccArea: string, year: string) => `${pccArea}#${year}`;

/** The counter attributes are the published columns' field names. */
export const counterAttribute = (column: CountColumn): string => column;

/** Set on every counter change; compared with `signedOffAt` to show a row changed after sign-off. */
export const CHANGED_AT = 'changedAt';
export const SIGNED_OFF_AT = 'signedOffAt';
export const SIGNED_OFF_BY = 'signedOffBy';

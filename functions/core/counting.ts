import { type AreaConfig, type ReportingYearKind, requireCsp } from './area-config.ts';
import { type Instant, toInstant } from './local-date.ts';
import { type ReportingYear, reportingYearOf } from './reporting-year.ts';

/**
 * The published annual counts (domain.md, "The published counts"; contract.md, "Statistics").
 *
 * Counting rules [P]:
 * - every count goes to the reporting year in which the application was RECEIVED, whenever the later
 *   step happened;
 * - each application counts at most once per column (a second review or referral adds nothing);
 * - a case counts in `thresholdNotMet` only while no review has been carried out: a "not met" decision
 *   overturned by a PCC refer-back and then reviewed counts as a review instead, so that a row always
 *   adds up (received >= not met + reviews);
 * - a withdrawn application stays in `applicationsReceived` and in the columns it had reached before
 *   it was withdrawn, and in no other (facts dated after the withdrawal are ignored).
 *
 * Beside the published columns one more counter is kept, never published: applications withdrawn
 * before either a "not met" decision or a review (`withdrawnBeforeEither`), so that the pages can show
 * what is still in progress and a row adds up (contract.md: received − not met − reviews carried out −
 * withdrawn before either).
 */

export const COUNT_COLUMNS = [
  'applicationsReceived',
  'thresholdNotMet',
  'caseReviewsCarriedOut',
  'reviewsWithRecommendations',
  'referralsToPcc',
] as const;
export type CountColumn = (typeof COUNT_COLUMNS)[number];

/** Every counter kept per (CSP, year): the published columns and `withdrawnBeforeEither`. */
export const COUNTER_COLUMNS = [...COUNT_COLUMNS, 'withdrawnBeforeEither'] as const;
export type CounterColumn = (typeof COUNTER_COLUMNS)[number];

export const isCountColumn = (column: CounterColumn): column is CountColumn =>
  (COUNT_COLUMNS as readonly string[]).includes(column);

/** The column headings as published (and used in the CSV). */
export const PUBLISHED_HEADINGS: Readonly<Record<CountColumn, string>> = {
  applicationsReceived: 'Community Trigger applications received',
  thresholdNotMet: 'Times the threshold for review was not met',
  caseReviewsCarriedOut: 'Case reviews carried out',
  reviewsWithRecommendations: 'Case reviews that resulted in recommendations being made',
  referralsToPcc: "Referral to PCC's office",
};

export type ColumnCounts = Readonly<Record<CountColumn, number>>;
export type CounterCounts = Readonly<Record<CounterColumn, number>>;

/** A year's totals: null in every column when no CSP's row is available. */
export type TotalCounts = ColumnCounts | Readonly<Record<CountColumn, null>>;

/** What a case's counts depend on. Every `at` is when the step was recorded in the service. */
export interface CaseFacts {
  readonly csp: string;
  /** When the application was received (officers may enter an earlier date for a letter or call). */
  readonly receivedAt: Instant;
  /** When it was entered in the service; defaults to `receivedAt`. */
  readonly recordedAt?: Instant;
  readonly thresholdDecision?: { readonly met: boolean; readonly at: Instant } | null;
  readonly reviewOutcomes?: readonly { readonly at: Instant; readonly recommendations: number }[];
  /**
   * The final action plans (core/action-plan.ts, finalPlanFacts), as the 2025 review keeps them. When
   * given, `reviewsWithRecommendations` counts the first final plan with at least one action, when it
   * was sent (after a consultation, the plan's recommendations may change); when left out, the first
   * outcome with recommendations counts, when it was recorded.
   */
  readonly finalPlans?: readonly { readonly at: Instant; readonly actions: number }[];
  readonly referrals?: readonly { readonly at: Instant }[];
  readonly withdrawnAt?: Instant | null;
}

export interface CaseCounting {
  readonly csp: string;
  /** Label of the reporting year of receipt. */
  readonly year: string;
  /** In COUNT_COLUMNS order. */
  readonly columns: readonly CountColumn[];
  /** The latest recorded step that put the case into (or moved it out of) a column, ISO-8601 UTC. */
  readonly changedAt: string;
}

export interface CountChange {
  readonly csp: string;
  readonly year: string;
  readonly column: CounterColumn;
  readonly delta: 1 | -1;
}

/** The counters of one CSP in one year, and when a published count last changed. */
export interface CspTally {
  readonly counts: CounterCounts;
  readonly lastChangedAt: string | null;
}

export type RowStatus = 'confirmed' | 'provisional' | 'not-available';

export interface SignOff {
  readonly csp: string;
  readonly year: string;
  readonly at: Instant;
}

interface RowIdentity {
  readonly csp: string;
  readonly name: string;
}

export type AvailableRow = RowIdentity &
  ColumnCounts & {
    /** Received and neither decided "not met", reviewed nor withdrawn before either: for the pages. */
    readonly inProgress: number;
    readonly status: 'confirmed' | 'provisional';
    readonly available: true;
    readonly signedOffAt: string | null;
    /** True when a count changed after the CSP signed its return off. */
    readonly changedAfterSignOff: boolean;
  };

export type NotAvailableRow = RowIdentity &
  Readonly<Record<CountColumn, null>> & {
    readonly inProgress: null;
    readonly status: 'not-available';
    readonly available: false;
    readonly signedOffAt: null;
    readonly changedAfterSignOff: false;
  };

export type StatisticsRow = AvailableRow | NotAvailableRow;

export interface StatisticsTable {
  readonly pccArea: string;
  readonly year: string;
  readonly from: string;
  readonly to: string;
  /** In the area config's CSP order. */
  readonly rows: readonly StatisticsRow[];
  /** The sum of the available rows (null in every column when none is available). */
  readonly total: TotalCounts;
  /** The in-progress figures of the available rows added up (null when none is available). */
  readonly totalInProgress: number | null;
}

const ZERO: ColumnCounts = {
  applicationsReceived: 0,
  thresholdNotMet: 0,
  caseReviewsCarriedOut: 0,
  reviewsWithRecommendations: 0,
  referralsToPcc: 0,
};

const NO_TOTAL: Readonly<Record<CountColumn, null>> = {
  applicationsReceived: null,
  thresholdNotMet: null,
  caseReviewsCarriedOut: null,
  reviewsWithRecommendations: null,
  referralsToPcc: null,
};

export function zeroCounts(): ColumnCounts {
  return { ...ZERO };
}

export function zeroCounters(): CounterCounts {
  return { ...ZERO, withdrawnBeforeEither: 0 };
}

const ms = (instant: Instant): number => toInstant(instant).getTime();

function earliest(times: readonly number[]): number | undefined {
  return times.length === 0 ? undefined : Math.min(...times);
}

/** The columns a case counts in, the year it counts for, and when that last changed. */
export function caseCounting(facts: CaseFacts, kind: ReportingYearKind): CaseCounting {
  const withdrawn = facts.withdrawnAt == null ? Number.POSITIVE_INFINITY : ms(facts.withdrawnAt);
  const happened = (at: Instant) => ms(at) <= withdrawn;
  const reviews = (facts.reviewOutcomes ?? []).filter((review) => happened(review.at));
  const decision =
    facts.thresholdDecision != null && happened(facts.thresholdDecision.at) ? facts.thresholdDecision : null;

  const since: Partial<Record<CountColumn, number>> = {
    applicationsReceived: ms(facts.recordedAt ?? facts.receivedAt),
    caseReviewsCarriedOut: earliest(reviews.map((review) => ms(review.at))),
    reviewsWithRecommendations: earliest(
      facts.finalPlans === undefined
        ? reviews.filter((review) => review.recommendations > 0).map((review) => ms(review.at))
        : facts.finalPlans.filter((plan) => plan.actions > 0 && happened(plan.at)).map((plan) => ms(plan.at)),
    ),
    referralsToPcc: earliest(
      (facts.referrals ?? []).map((referral) => ms(referral.at)).filter((at) => at <= withdrawn),
    ),
  };
  if (decision !== null && !decision.met && since.caseReviewsCarriedOut === undefined) {
    since.thresholdNotMet = ms(decision.at);
  }
  const columns = COUNT_COLUMNS.filter((column) => since[column] !== undefined);
  const changedAt = Math.max(...columns.map((column) => since[column] ?? Number.NEGATIVE_INFINITY));
  return {
    csp: facts.csp,
    year: reportingYearOf(facts.receivedAt, kind).label,
    columns,
    changedAt: new Date(changedAt).toISOString(),
  };
}

/** Withdrawn while counted in neither `thresholdNotMet` nor `caseReviewsCarriedOut`. */
function withdrawnBeforeEither(facts: CaseFacts, counting: CaseCounting): boolean {
  return (
    facts.withdrawnAt != null &&
    !counting.columns.includes('thresholdNotMet') &&
    !counting.columns.includes('caseReviewsCarriedOut')
  );
}

/** Every counter a case counts in: its published columns, and `withdrawnBeforeEither` when it is. */
export function caseCounters(facts: CaseFacts, kind: ReportingYearKind): readonly CounterColumn[] {
  const counting = caseCounting(facts, kind);
  return withdrawnBeforeEither(facts, counting)
    ? [...counting.columns, 'withdrawnBeforeEither']
    : counting.columns;
}

/**
 * How the counters must change when a case's facts go from `before` (null for a new case) to `after`:
 * one entry per (CSP, year, counter) whose count moves, so the stored counters stay equal to a recount.
 */
export function countChanges(
  before: CaseFacts | null,
  after: CaseFacts,
  kind: ReportingYearKind,
): readonly CountChange[] {
  const key = (csp: string, year: string, column: CounterColumn) => JSON.stringify([csp, year, column]);
  const deltas = new Map<string, CountChange>();
  const apply = (facts: CaseFacts, delta: 1 | -1) => {
    const { csp, year } = caseCounting(facts, kind);
    for (const column of caseCounters(facts, kind)) {
      const id = key(csp, year, column);
      if (deltas.has(id)) deltas.delete(id);
      else deltas.set(id, { csp, year, column, delta });
    }
  };
  if (before !== null) apply(before, -1);
  apply(after, 1);
  return [...deltas.values()];
}

/** Recounts one reporting year from case facts: the tally of each CSP that has cases that year. */
export function tallyYear(cases: readonly CaseFacts[], year: ReportingYear): ReadonlyMap<string, CspTally> {
  const counts = new Map<string, Record<CounterColumn, number>>();
  const changed = new Map<string, string>();
  for (const facts of cases) {
    const counting = caseCounting(facts, year.kind);
    if (counting.year !== year.label) continue;
    const row = counts.get(counting.csp) ?? { ...zeroCounters() };
    for (const column of caseCounters(facts, year.kind)) row[column] += 1;
    counts.set(counting.csp, row);
    const latest = changed.get(counting.csp);
    if (latest === undefined || counting.changedAt > latest) changed.set(counting.csp, counting.changedAt);
  }
  return new Map(
    [...counts].map(([csp, row]) => [csp, { counts: row, lastChangedAt: changed.get(csp) ?? null }] as const),
  );
}

/** contract.md: signed off → confirmed; cases but no sign-off → provisional; neither → not available. */
export function rowStatus(input: { readonly hasCases: boolean; readonly signedOff: boolean }): RowStatus {
  if (input.signedOff) return 'confirmed';
  return input.hasCases ? 'provisional' : 'not-available';
}

/** contract.md: received − not met − reviews carried out − withdrawn before either. */
function inProgress(counts: ColumnCounts, withdrawn: number): number {
  return counts.applicationsReceived - counts.thresholdNotMet - counts.caseReviewsCarriedOut - withdrawn;
}

function statisticsRow(
  identity: RowIdentity,
  tally: CspTally | undefined,
  signedOffAt: number | undefined,
): StatisticsRow {
  const hasCases = tally !== undefined && tally.counts.applicationsReceived > 0;
  const status = rowStatus({ hasCases, signedOff: signedOffAt !== undefined });
  if (status === 'not-available') {
    return {
      ...identity,
      status,
      available: false,
      applicationsReceived: null,
      thresholdNotMet: null,
      caseReviewsCarriedOut: null,
      reviewsWithRecommendations: null,
      referralsToPcc: null,
      inProgress: null,
      signedOffAt: null,
      changedAfterSignOff: false,
    };
  }
  const lastChanged = tally?.lastChangedAt == null ? undefined : ms(tally.lastChangedAt);
  const { withdrawnBeforeEither: withdrawn, ...counts } = tally?.counts ?? zeroCounters();
  return {
    ...identity,
    status,
    available: true,
    ...counts,
    inProgress: inProgress(counts, withdrawn),
    signedOffAt: signedOffAt === undefined ? null : new Date(signedOffAt).toISOString(),
    changedAfterSignOff: signedOffAt !== undefined && lastChanged !== undefined && lastChanged > signedOffAt,
  };
}

/**
 * The published table of one year for every CSP of the area, from stored counters or a recount.
 * Throws UnknownCspError for a tally or sign-off of a CSP the area does not have.
 */
export function statisticsTable(
  area: AreaConfig,
  year: ReportingYear,
  tallies: ReadonlyMap<string, CspTally>,
  signOffs: readonly SignOff[],
): StatisticsTable {
  for (const csp of tallies.keys()) requireCsp(area, csp);
  const signedOff = new Map<string, number>();
  for (const signOff of signOffs) {
    requireCsp(area, signOff.csp);
    if (signOff.year !== year.label) continue;
    signedOff.set(
      signOff.csp,
      Math.max(ms(signOff.at), signedOff.get(signOff.csp) ?? Number.NEGATIVE_INFINITY),
    );
  }
  const rows = area.csps.map((csp) =>
    statisticsRow({ csp: csp.id, name: csp.name }, tallies.get(csp.id), signedOff.get(csp.id)),
  );
  const total: Record<CountColumn, number> = { ...ZERO };
  for (const row of rows) {
    if (!row.available) continue;
    for (const column of COUNT_COLUMNS) total[column] += row[column];
  }
  // No row to add up is no total, not a total of 0 (contract.md, Statistics).
  const anyAvailable = rows.some((row) => row.available);
  return {
    pccArea: area.id,
    year: year.label,
    from: year.from,
    to: year.to,
    rows,
    total: anyAvailable ? total : NO_TOTAL,
    totalInProgress: anyAvailable ? rows.reduce((sum, row) => sum + (row.inProgress ?? 0), 0) : null,
  };
}

/** The table recounted from the facts of every case (of any year; only `year`'s are counted). */
export function recountYear(
  area: AreaConfig,
  year: ReportingYear,
  cases: readonly CaseFacts[],
  signOffs: readonly SignOff[],
): StatisticsTable {
  return statisticsTable(area, year, tallyYear(cases, year), signOffs);
}

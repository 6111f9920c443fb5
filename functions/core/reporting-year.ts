import type { ReportingYearKind } from './area-config.ts';
import { CalendarError, type Instant, type LocalDate, parseLocalDate, ukDateOf } from './local-date.ts';

/**
 * Reporting years of the published counts (domain.md): a financial year runs 1 April to 31 March and
 * is written '2015-16'; a calendar year is written '2015'. An instant belongs to the year of its UK
 * date, so an application received at 00:30 BST on 1 April 2016 (23:30Z on 31 March) is in 2016-17.
 */

export interface ReportingYear {
  readonly kind: ReportingYearKind;
  /** '2015-16' (financial) or '2015' (calendar). */
  readonly label: string;
  /** The calendar year in which it starts. */
  readonly startYear: number;
  /** First day, inclusive (UK date). */
  readonly from: LocalDate;
  /** Last day, inclusive (UK date). */
  readonly to: LocalDate;
}

export class InvalidReportingYearError extends CalendarError {
  readonly label: unknown;

  constructor(label: unknown, kind: ReportingYearKind) {
    super(
      kind === 'financial'
        ? `Not a financial reporting year: ${JSON.stringify(label)}; expected YYYY-YY with consecutive years, such as 2015-16`
        : `Not a calendar reporting year: ${JSON.stringify(label)}; expected YYYY, such as 2015`,
    );
    this.name = 'InvalidReportingYearError';
    this.label = label;
  }
}

const FINANCIAL = /^(\d{4})-(\d{2})$/;
const CALENDAR = /^(\d{4})$/;
const FIRST_START_YEAR = 1000;
const LAST_START_YEAR = 9998;

/** The reporting year of the given kind that starts in `startYear`. */
export function reportingYearStarting(kind: ReportingYearKind, startYear: number): ReportingYear {
  if (!Number.isSafeInteger(startYear) || startYear < FIRST_START_YEAR || startYear > LAST_START_YEAR) {
    throw new InvalidReportingYearError(startYear, kind);
  }
  if (kind === 'calendar') {
    return {
      kind,
      label: String(startYear),
      startYear,
      from: `${startYear}-01-01`,
      to: `${startYear}-12-31`,
    };
  }
  const endYear = startYear + 1;
  return {
    kind,
    label: `${startYear}-${String(endYear % 100).padStart(2, '0')}`,
    startYear,
    from: `${startYear}-04-01`,
    to: `${endYear}-03-31`,
  };
}

/** Reads a year label such as '2015-16' or '2015'; anything else (or the other kind's form) is an InvalidReportingYearError. */
export function parseReportingYear(label: unknown, kind: ReportingYearKind): ReportingYear {
  const match = typeof label === 'string' ? (kind === 'financial' ? FINANCIAL : CALENDAR).exec(label) : null;
  const startYear = Number(match?.[1]);
  if (match === null || startYear < FIRST_START_YEAR || startYear > LAST_START_YEAR) {
    throw new InvalidReportingYearError(label, kind);
  }
  const year = reportingYearStarting(kind, startYear);
  if (year.label !== label) throw new InvalidReportingYearError(label, kind);
  return year;
}

export function reportingYearOfDate(date: LocalDate, kind: ReportingYearKind): ReportingYear {
  const day = parseLocalDate(date);
  const year = Number(day.slice(0, 4));
  const startsThisYear = kind === 'calendar' || day.slice(5) >= '04-01';
  return reportingYearStarting(kind, startsThisYear ? year : year - 1);
}

/** The reporting year of an instant's UK date. */
export function reportingYearOf(instant: Instant, kind: ReportingYearKind): ReportingYear {
  return reportingYearOfDate(ukDateOf(instant), kind);
}

/** The reporting year in progress at `now` (the clock is the caller's). */
export function currentReportingYear(now: Instant, kind: ReportingYearKind): ReportingYear {
  return reportingYearOf(now, kind);
}

/**
 * The year the ASB case review began: Part 6 of the Anti-social Behaviour, Crime and Policing Act 2014
 * came into force on 20 October 2014, so the first reporting year is 2014-15 (or 2014).
 */
export const FIRST_SCHEME_YEAR = 2014;

/** Why a year can have no annual return as at `now`: it is before the scheme began, or it has not ended. */
export type ReturnYearRefusal = 'before-the-scheme' | 'not-ended';

/** Whether an annual return can be made for `year` as at `now` (UK dates); undefined when it can. */
export function returnYearRefusal(year: ReportingYear, now: Instant): ReturnYearRefusal | undefined {
  if (year.startYear < FIRST_SCHEME_YEAR) return 'before-the-scheme';
  return ukDateOf(now) <= year.to ? 'not-ended' : undefined;
}

/** The reporting years that can have an annual return as at `now`, latest first, at most `count`. */
export function endedReportingYears(now: Instant, kind: ReportingYearKind, count: number): ReportingYear[] {
  const years: ReportingYear[] = [];
  let year = previousReportingYear(currentReportingYear(now, kind));
  while (years.length < count && year.startYear >= FIRST_SCHEME_YEAR) {
    years.push(year);
    year = previousReportingYear(year);
  }
  return years;
}

export function reportingYearContains(year: ReportingYear, date: LocalDate): boolean {
  const day = parseLocalDate(date);
  return year.from <= day && day <= year.to;
}

export function nextReportingYear(year: ReportingYear): ReportingYear {
  return reportingYearStarting(year.kind, year.startYear + 1);
}

export function previousReportingYear(year: ReportingYear): ReportingYear {
  return reportingYearStarting(year.kind, year.startYear - 1);
}

/** Every reporting year from `first` to `last` inclusive, oldest first; empty when `last` is before `first`. */
export function reportingYearsBetween(first: ReportingYear, last: ReportingYear): readonly ReportingYear[] {
  if (first.kind !== last.kind) {
    throw new InvalidReportingYearError(last.label, first.kind);
  }
  const years: ReportingYear[] = [];
  for (let start = first.startYear; start <= last.startYear; start += 1) {
    years.push(reportingYearStarting(first.kind, start));
  }
  return years;
}

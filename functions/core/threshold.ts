import type { ThresholdRules } from '#core/area-config.ts';
import { addCalendarMonths, formatUkDate } from '#core/calendar-months.ts';
import { type Instant, type LocalDate, ukDateOf } from '#core/local-date.ts';
import { REPORTED_TO, type ReportedTo } from '#core/schemas/application.ts';

/**
 * The threshold check (domain.md, "The stages", 2): the service assesses the CSP's rules and shows its
 * reasons; an officer decides. Everything is as at the UK date the application was received.
 *
 * A complaint (one report of an incident to one agency) qualifies when it was made within
 * `complaintWithinMonthsOfBehaviour` calendar months of the incident, and the application was received
 * within the route's `withinMonths` of that complaint; both inclusive, month ends as `addCalendarMonths`.
 * A report made after the application was received was not a complaint the application could rely on.
 *
 * One incident reported to several agencies counts once [S]. Reports are taken to be about the same
 * incident when it happened on the same day, whatever agency, reference or wording: descriptions of
 * one incident differ from agency to agency and references always do, so only the date identifies it.
 * Two separate incidents on one day therefore count as one; the officer, who decides, sees them all.
 * An incident counts if any of its reports qualifies.
 *
 * Several members of one household count once [S/G]: route B counts complainant keys (see
 * `complainantKey`), not applications or people.
 *
 * When several routes are met, the assessment names one, in this order: C (one hate incident is enough,
 * and it is the most specific finding), then A (rests on the applicant's own complaints alone), then B
 * (rests on other households' applications, which an officer may later unlink). The reasons say which
 * other routes are met too.
 */

export type ThresholdRouteName = 'A' | 'B' | 'C';

/** What the threshold needs of one incident of an application. */
export interface ReportedIncident {
  readonly occurredOn: LocalDate;
  readonly reportedOn: LocalDate;
  readonly reportedTo: ReportedTo;
  readonly hateMotivated: boolean;
}

/** Another application linked to this one as being about the same anti-social behaviour (route B). */
export interface LinkedApplication {
  readonly complainantKey: string;
  readonly incidents: readonly ReportedIncident[];
}

export interface ThresholdInput {
  /** When the application was received; its UK date is the day the rules are applied. */
  readonly receivedAt: Instant;
  readonly complainantKey: string;
  readonly incidents: readonly ReportedIncident[];
  readonly linkedApplications?: readonly LinkedApplication[];
  readonly rules: ThresholdRules;
}

export interface ThresholdAssessment {
  readonly met: boolean;
  readonly route: ThresholdRouteName | null;
  /** Every route met, in the order of priority above (`route` is the first). */
  readonly routesMet: readonly ThresholdRouteName[];
  /** Plain English for the applicant and the officer: what counted, what did not and why. */
  readonly reasons: string[];
}

/** The reports of one incident: all the reports about one day. */
interface Incident {
  readonly occurredOn: LocalDate;
  readonly hateMotivated: boolean;
  /** Sorted by date reported, then agency, so the wording never depends on the order given. */
  readonly reports: readonly [ReportedIncident, ...ReportedIncident[]];
}

type Finding =
  | { readonly counts: true; readonly report: ReportedIncident }
  | {
      readonly counts: false;
      readonly why: 'after-application' | 'late' | 'too-old';
      readonly report: ReportedIncident;
    };

const ROUTE_NAMES: Readonly<Record<ThresholdRouteName, string>> = {
  A: 'route A (repeated incidents)',
  B: 'route B (complaints from several households)',
  C: 'route C (a hate incident)',
};
const PRIORITY: readonly ThresholdRouteName[] = ['C', 'A', 'B'];
const AGENCY_WORDS: Readonly<Record<ReportedTo, string>> = {
  council: 'the council',
  police: 'the police',
  'housing-provider': 'a housing provider',
  health: 'a health service',
  other: 'another organisation',
};

/**
 * Assesses the threshold for one application, with the applications linked to it. Input comes from
 * validated applications; a `receivedAt` that is not an instant throws InvalidInstantError.
 */
export function assessThreshold(input: ThresholdInput): ThresholdAssessment {
  const { rules } = input;
  const receivedOn = ukDateOf(input.receivedAt);
  const judge = (incident: Incident, withinMonths: number) =>
    findingFor(incident, withinMonths, receivedOn, rules);

  const incidents = byDay(input.incidents);
  const countingForA = incidents.filter((incident) => judge(incident, rules.routeA.withinMonths).counts);
  const hateIncidents = incidents.filter((incident) => incident.hateMotivated);
  const countingForC = hateIncidents.filter((incident) => judge(incident, rules.routeC.withinMonths).counts);
  const households = householdsOf(input);
  const countingForB = [...households.values()].filter((reports) =>
    byDay(reports).some((incident) => judge(incident, rules.routeB.withinMonths).counts),
  );

  const met: Readonly<Record<ThresholdRouteName, boolean>> = {
    A: countingForA.length >= rules.routeA.complaints,
    B: countingForB.length >= rules.routeB.people,
    C: countingForC.length >= rules.routeC.hateIncidents,
  };
  const metRoutes = PRIORITY.filter((route) => met[route]);
  const route = metRoutes[0] ?? null;

  const reasons = [
    summary(metRoutes),
    ...incidents.flatMap((incident) => incidentReasons(incident, judge, rules, receivedOn)),
    routeAReason(countingForA.length, rules),
    routeCReason(hateIncidents.length, countingForC.length, rules),
    routeBReason(input, households.size, countingForB.length, rules),
  ];
  return { met: route !== null, route, routesMet: metRoutes, reasons };
}

/** Identifies a household for route B; see `complainantKey`. */
export interface ComplainantDetails {
  readonly applicant: { readonly address: string; readonly postcode: string };
  readonly onBehalfOf?: { readonly name: string; readonly address?: string; readonly postcode?: string };
}

/**
 * The key under which an application's complaints count for route B: the victim's household. It is the
 * postcode plus the numbers in the address (house and flat numbers, in any order or wording: "Flat 2,
 * 12 Acacia Avenue" and "12 Acacia Ave flat 2" match), or the whole address, normalised, when it has no
 * numbers ("Rose Cottage"). For someone applying on behalf of another without giving their address,
 * it is that person's name: without an address, two people can only be told apart by name.
 * A heuristic: linking applications is an officer's act, and the officer sees whom the count includes.
 */
export function complainantKey(details: ComplainantDetails): string {
  const { applicant, onBehalfOf } = details;
  if (onBehalfOf === undefined) return householdKey(applicant.address, applicant.postcode);
  if (onBehalfOf.address !== undefined && onBehalfOf.postcode !== undefined) {
    return householdKey(onBehalfOf.address, onBehalfOf.postcode);
  }
  return `person:${words(onBehalfOf.name)}`;
}

function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function householdKey(address: string, postcode: string): string {
  const numbers = address.match(/\d+[a-z]?/gi)?.map((number) => number.toLowerCase()) ?? [];
  const where = numbers.length > 0 ? numbers.sort().join(' ') : words(address);
  return `household:${postcode.replace(/\s+/g, '').toUpperCase()}:${where}`;
}

function byDay(reports: readonly ReportedIncident[]): Incident[] {
  const days = new Map<LocalDate, [ReportedIncident, ...ReportedIncident[]]>();
  for (const report of reports) {
    const sameDay = days.get(report.occurredOn);
    if (sameDay === undefined) days.set(report.occurredOn, [report]);
    else sameDay.push(report);
  }
  return [...days.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([occurredOn, sameDay]) => ({
      occurredOn,
      hateMotivated: sameDay.some((report) => report.hateMotivated),
      reports: sameDay.sort(
        (a, b) =>
          compare(a.reportedOn, b.reportedOn) ||
          REPORTED_TO.indexOf(a.reportedTo) - REPORTED_TO.indexOf(b.reportedTo) ||
          Number(a.hateMotivated) - Number(b.hateMotivated),
      ),
    }));
}

/** Every household's reports: this application's and its linked ones', one entry per complainant key. */
function householdsOf(input: ThresholdInput): Map<string, ReportedIncident[]> {
  const households = new Map<string, ReportedIncident[]>();
  for (const { complainantKey, incidents } of [input, ...(input.linkedApplications ?? [])]) {
    households.set(complainantKey, [...(households.get(complainantKey) ?? []), ...incidents]);
  }
  return households;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether an incident counts with a window of `withinMonths`, and the report that decides it: the latest
 * report made in time (it gives the application the most time), or the report that shows why not.
 */
function findingFor(
  incident: Incident,
  withinMonths: number,
  receivedOn: LocalDate,
  rules: ThresholdRules,
): Finding {
  const beforeApplication = incident.reports.filter((report) => report.reportedOn <= receivedOn);
  const [firstBefore] = beforeApplication;
  if (firstBefore === undefined)
    return { counts: false, why: 'after-application', report: incident.reports[0] };
  const reportBy = addCalendarMonths(incident.occurredOn, rules.complaintWithinMonthsOfBehaviour);
  const inTime = beforeApplication.filter((report) => report.reportedOn <= reportBy);
  const latestInTime = inTime.at(-1);
  if (latestInTime === undefined) return { counts: false, why: 'late', report: firstBefore };
  if (receivedOn <= addCalendarMonths(latestInTime.reportedOn, withinMonths)) {
    return { counts: true, report: latestInTime };
  }
  return { counts: false, why: 'too-old', report: latestInTime };
}

type Judge = (incident: Incident, withinMonths: number) => Finding;

function months(count: number): string {
  return count === 1 ? '1 month' : `${count} months`;
}

function howMany(count: number, one: string, many: string): string {
  if (count === 0) return `no ${many}`;
  return count === 1 ? `1 ${one}` : `${count} ${many}`;
}

function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function sentenceStart(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function summary(metRoutes: readonly ThresholdRouteName[]): string {
  const [route, ...others] = metRoutes;
  if (route === undefined) {
    return (
      'The threshold for a case review is not met. The council and its partners can still decide to hold ' +
      'a review, considering how persistent the behaviour is, the harm it causes or could cause, and how ' +
      'well the agencies have responded.'
    );
  }
  const also =
    others.length === 0 ? '' : ` It is also met by ${listed(others.map((other) => ROUTE_NAMES[other]))}.`;
  return `The threshold for a case review is met by ${ROUTE_NAMES[route]}.${also}`;
}

function incidentReasons(
  incident: Incident,
  judge: Judge,
  rules: ThresholdRules,
  receivedOn: LocalDate,
): string[] {
  const subject = `the ${incident.hateMotivated ? 'hate incident' : 'incident'} on ${formatUkDate(incident.occurredOn)}`;
  const what = sentenceStart(subject);
  const reasons: string[] = [];
  const { reports } = incident;
  if (reports.length > 1) {
    const agencies = listed([...new Set(reports.map((report) => AGENCY_WORDS[report.reportedTo]))]);
    reasons.push(`${what} was reported ${reports.length} times, to ${agencies}: it counts as one incident.`);
  }
  const forA = judge(incident, rules.routeA.withinMonths);
  reasons.push(findingReason(what, forA, rules.routeA.withinMonths, rules, receivedOn));
  if (incident.hateMotivated) {
    const forC = judge(incident, rules.routeC.withinMonths);
    // Only the route windows can differ, so only a "too old" finding can differ between the routes.
    if (forC.counts !== forA.counts) {
      reasons.push(
        `For route C, ${findingReason(subject, forC, rules.routeC.withinMonths, rules, receivedOn)}`,
      );
    }
  }
  return reasons;
}

function findingReason(
  what: string,
  finding: Finding,
  withinMonths: number,
  rules: ThresholdRules,
  receivedOn: LocalDate,
): string {
  const reportedOn = formatUkDate(finding.report.reportedOn);
  const received = formatUkDate(receivedOn);
  const monthsFromBehaviour = months(rules.complaintWithinMonthsOfBehaviour);
  if (finding.counts) {
    return (
      `${what} counts: it was reported on ${reportedOn}, within ${monthsFromBehaviour} of happening, ` +
      `and the application was received within ${months(withinMonths)} of that.`
    );
  }
  switch (finding.why) {
    case 'after-application':
      return `${what} was reported on ${reportedOn}, after the application was received on ${received}, so it does not count.`;
    case 'late':
      return `${what} was reported on ${reportedOn}, more than ${monthsFromBehaviour} after it happened, so it does not count.`;
    case 'too-old':
      return (
        `${what} was reported on ${reportedOn}, more than ${months(withinMonths)} before the application ` +
        `was received on ${received}, so it does not count.`
      );
  }
}

function routeAReason(counting: number, rules: ThresholdRules): string {
  const needed = rules.routeA.complaints;
  const counted = howMany(counting, 'separate incident counts', 'separate incidents count');
  return `${sentenceStart(ROUTE_NAMES.A)}: ${counted}, and ${needed} ${needed === 1 ? 'is' : 'are'} needed.`;
}

function routeCReason(hateIncidents: number, counting: number, rules: ThresholdRules): string {
  if (hateIncidents === 0)
    return `${sentenceStart(ROUTE_NAMES.C)}: no incident was reported as a hate incident.`;
  const needed = rules.routeC.hateIncidents;
  const counted = howMany(counting, 'hate incident counts', 'hate incidents count');
  return `${sentenceStart(ROUTE_NAMES.C)}: ${counted}, and ${needed} ${needed === 1 ? 'is' : 'are'} needed.`;
}

function routeBReason(
  input: ThresholdInput,
  households: number,
  counting: number,
  rules: ThresholdRules,
): string {
  const route = sentenceStart(ROUTE_NAMES.B);
  const needed = `complaints from ${howMany(rules.routeB.people, 'household', 'different households')} are needed`;
  const linked = input.linkedApplications?.length ?? 0;
  if (linked === 0) {
    return `${route}: no other applications about the same behaviour are linked to this one, and ${needed}.`;
  }
  const counted = howMany(counting, 'household has', 'households have');
  const applications = linked + 1;
  const sameHousehold =
    households < applications
      ? ` ${howMany(applications - households, 'application comes', 'applications come')} from a household ` +
        'already counted, and each household counts once.'
      : '';
  return (
    `${route}: ${counted} complaints that count, across this application and ` +
    `${howMany(linked, 'linked application', 'linked applications')}, and ${needed}.${sameHousehold}`
  );
}

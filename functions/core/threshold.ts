import { REPORTED_TO_NAMES } from '#core/agency-names.ts';
import type { ThresholdRules } from '#core/area-config.ts';
import { formatUkDate, lastDayOfPeriod } from '#core/calendar-months.ts';
import { type Instant, type LocalDate, ukDateOf } from '#core/local-date.ts';
import { REPORTED_TO, type ReportedTo } from '#core/schemas/application.ts';
import { similarityCorpus, textSimilarity } from '#core/text-similarity.ts';

/**
 * The threshold check (domain.md, "The stages", 2): the service assesses the CSP's rules and shows its
 * reasons; an officer decides. Everything is as at the UK date the application was received.
 *
 * A complaint (one report of an incident to one body) qualifies when it was made to a relevant body
 * (s.105: the council, the police, a housing provider, and the health body where the CSP counts it;
 * a report to anyone else is context, never a count), within the period of
 * `complaintWithinMonthsOfBehaviour` months beginning with the day of the incident, and the application
 * was received within the period of the route's `withinMonths` months beginning with the day of the
 * complaint (s.104; periods end as `lastDayOfPeriod` says). A report made after the application was
 * received was not a complaint the application could rely on.
 *
 * Each entry the applicant lists is one incident [S]: two entries are never merged, even on one day,
 * because two things can happen on one day ("Morning: graffiti" and "Evening: threats"). The same
 * incident reported to several bodies is one entry with its other reports (`alsoReportedTo`), and it
 * counts if any of its reports qualifies. Where two entries may be one incident (the same day, described
 * in similar words, by `textSimilarity`), the staff-only `notes` say so, for the officer, who decides.
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

/** One report of an incident to one body. */
export interface Report {
  readonly reportedOn: LocalDate;
  readonly reportedTo: ReportedTo;
}

/** What the threshold needs of one incident (one entry) of an application. */
export interface ReportedIncident extends Report {
  readonly occurredOn: LocalDate;
  readonly hateMotivated: boolean;
  /** The same incident's reports to other bodies. */
  readonly alsoReportedTo?: readonly Report[];
  /** What happened, in the applicant's words: only to notice two entries that may be one incident. */
  readonly description?: string;
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
  /** For staff only (never the applicant's view): what the officer should look at before deciding. */
  readonly notes: string[];
}

/** One entry of the application, with all its reports. */
interface Incident {
  /** Its place in the application as the applicant listed it, from 1. */
  readonly entry: number;
  readonly occurredOn: LocalDate;
  readonly hateMotivated: boolean;
  readonly description: string | undefined;
  /** Sorted by date reported, then body, so the wording never depends on the order given. */
  readonly reports: readonly [Report, ...Report[]];
}

/** Why an incident's reports make no qualifying complaint, whatever the route. */
type NoComplaint =
  | { readonly why: 'not-a-relevant-body' }
  | { readonly why: 'after-application'; readonly report: Report }
  /** `periodEnded`: the last day of the period, beginning with the incident, that the reports missed. */
  | { readonly why: 'late'; readonly report: Report; readonly periodEnded: LocalDate };

/** Whether the application came in time for a route, after the complaint `report`. */
type RouteFinding =
  | { readonly counts: true; readonly report: Report }
  /** `periodEnded`: the last day of the route's period beginning with the complaint. */
  | { readonly counts: false; readonly report: Report; readonly periodEnded: LocalDate };

const ROUTE_NAMES: Readonly<Record<ThresholdRouteName, string>> = {
  A: 'route A (repeated incidents)',
  B: 'route B (complaints from several households)',
  C: 'route C (a hate incident)',
};
const PRIORITY: readonly ThresholdRouteName[] = ['C', 'A', 'B'];

/** Whether a complaint to `body` can be a qualifying complaint under the CSP's rules (s.105). */
export function isRelevantBody(body: ReportedTo, rules: ThresholdRules): boolean {
  if (body === 'other') return false;
  return body !== 'health' || rules.complaintsToHealthQualify;
}

/**
 * Assesses the threshold for one application, with the applications linked to it. Input comes from
 * validated applications; a `receivedAt` that is not an instant throws InvalidInstantError.
 */
export function assessThreshold(input: ThresholdInput): ThresholdAssessment {
  const { rules } = input;
  const receivedOn = ukDateOf(input.receivedAt);
  const judge = (incident: Incident, withinMonths: number) => {
    const complaint = complaintOf(incident, receivedOn, rules);
    return 'why' in complaint ? complaint : routeFinding(complaint, withinMonths, receivedOn);
  };

  const incidents = entriesOf(input.incidents);
  const counts = (incident: Incident, withinMonths: number) => {
    const finding = judge(incident, withinMonths);
    return 'counts' in finding && finding.counts;
  };
  const countingForA = incidents.filter((incident) => counts(incident, rules.routeA.withinMonths));
  const hateIncidents = incidents.filter((incident) => incident.hateMotivated);
  const countingForC = hateIncidents.filter((incident) => counts(incident, rules.routeC.withinMonths));
  const households = householdsOf(input);
  const countingForB = [...households.values()].filter((reported) =>
    entriesOf(reported).some((incident) => counts(incident, rules.routeB.withinMonths)),
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
    ...incidents.flatMap((incident) => incidentReasons(incident, rules, receivedOn)),
    routeAReason(countingForA.length, rules),
    routeCReason(hateIncidents.length, countingForC.length, rules),
    routeBReason(input, households.size, countingForB.length, rules),
  ];
  const notes = mayBeOneIncident(incidents);
  return { met: route !== null, route, routesMet: metRoutes, reasons, notes };
}

/** Identifies a household for route B; see `complainantKey`. */
export interface ComplainantDetails {
  readonly applicant: { readonly address: string; readonly postcode: string };
  readonly onBehalfOf?: { readonly name: string; readonly address?: string; readonly postcode?: string };
}

/**
 * The key under which an application's complaints count for route B: the victim's household.
 *
 * An address's household is its postcode with its flat and its building numbers, told apart: a number
 * after "flat", "apartment", "unit" and the like is the flat ("Flat 2, 12 Acacia Avenue" and "12 Acacia
 * Ave flat 2" match), and the other numbers keep their order ("Flat 12, 3 Acacia Avenue" and "Flat 3, 12
 * Acacia Avenue", or "3, 12 Acacia Avenue" and "12, 3 Acacia Avenue", are different homes). An address
 * without numbers ("Rose Cottage") is the whole address, normalised.
 *
 * A third-party application counts under the victim's household: their address when given. Without it
 * the victim is known by name, with their postcode if given, else the applicant's: a name alone would
 * make two people of the same name anywhere in the CSP one household and hide a complaint, while the
 * postcode of the person applying for them (a relative, a neighbour, a local councillor) nearly always
 * places them; the same victim put forward by two people from different postcodes may count twice, which
 * the officer, who links the applications and sees whom the count includes, can see.
 * A heuristic: linking applications is an officer's act.
 */
export function complainantKey(details: ComplainantDetails): string {
  const { applicant, onBehalfOf } = details;
  if (onBehalfOf === undefined) return householdKey(applicant.address, applicant.postcode);
  if (onBehalfOf.address !== undefined && onBehalfOf.postcode !== undefined) {
    return householdKey(onBehalfOf.address, onBehalfOf.postcode);
  }
  return `person:${compactPostcode(onBehalfOf.postcode ?? applicant.postcode)}:${words(onBehalfOf.name)}`;
}

function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function compactPostcode(postcode: string): string {
  return postcode.replace(/\s+/g, '').toUpperCase();
}

// A word that says the number after it is a home within a building, and the number itself.
const FLAT_NUMBER =
  /\b(?:flat|apartment|apt|unit|room|suite|maisonette|studio|bedsit)\s*(?:no\.?\s*|number\s*)?(\d+[a-z]?)\b/gi;
const NUMBER = /\d+[a-z]?/gi;

function householdKey(address: string, postcode: string): string {
  const lower = address.toLowerCase();
  const flats = [...lower.matchAll(FLAT_NUMBER)].map((match) => match[1]);
  const others = lower.replace(FLAT_NUMBER, ' ').match(NUMBER) ?? [];
  const where =
    flats.length + others.length > 0
      ? `flat ${[...flats].sort().join(' ')} at ${others.join(' ')}`
      : words(address);
  return `household:${compactPostcode(postcode)}:${where}`;
}

/** The entries in a fixed order (by day, then by their reports), each with its place as listed. */
function entriesOf(incidents: readonly ReportedIncident[]): Incident[] {
  return incidents
    .map((incident, index) => ({
      entry: index + 1,
      occurredOn: incident.occurredOn,
      hateMotivated: incident.hateMotivated,
      description: incident.description,
      reports: sortedReports([
        { reportedOn: incident.reportedOn, reportedTo: incident.reportedTo },
        ...(incident.alsoReportedTo ?? []).map(({ reportedOn, reportedTo }) => ({ reportedOn, reportedTo })),
      ]),
    }))
    .sort(
      (a, b) =>
        compare(a.occurredOn, b.occurredOn) ||
        Number(a.hateMotivated) - Number(b.hateMotivated) ||
        compare(reportsKey(a.reports), reportsKey(b.reports)),
    );
}

function sortedReports(reports: [Report, ...Report[]]): [Report, ...Report[]] {
  return reports.sort(
    (a, b) =>
      compare(a.reportedOn, b.reportedOn) ||
      REPORTED_TO.indexOf(a.reportedTo) - REPORTED_TO.indexOf(b.reportedTo),
  );
}

function reportsKey(reports: readonly Report[]): string {
  return reports.map((report) => `${report.reportedOn} ${report.reportedTo}`).join(',');
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
 * The complaint an incident rests on: the latest report to a relevant body made before the application
 * and within the period beginning with the incident (it gives the application the most time), or why
 * there is none.
 */
function complaintOf(incident: Incident, receivedOn: LocalDate, rules: ThresholdRules): Report | NoComplaint {
  const toRelevantBodies = incident.reports.filter((report) => isRelevantBody(report.reportedTo, rules));
  const [firstRelevant] = toRelevantBodies;
  if (firstRelevant === undefined) return { why: 'not-a-relevant-body' };
  const beforeApplication = toRelevantBodies.filter((report) => report.reportedOn <= receivedOn);
  const [firstBefore] = beforeApplication;
  if (firstBefore === undefined) return { why: 'after-application', report: firstRelevant };
  const reportBy = lastDayOfPeriod(incident.occurredOn, rules.complaintWithinMonthsOfBehaviour);
  const latestInTime = beforeApplication.filter((report) => report.reportedOn <= reportBy).at(-1);
  return latestInTime ?? { why: 'late', report: firstBefore, periodEnded: reportBy };
}

/** Whether the application was received within the period of `withinMonths` beginning with the complaint. */
function routeFinding(complaint: Report, withinMonths: number, receivedOn: LocalDate): RouteFinding {
  const applyBy = lastDayOfPeriod(complaint.reportedOn, withinMonths);
  return receivedOn <= applyBy
    ? { counts: true, report: complaint }
    : { counts: false, report: complaint, periodEnded: applyBy };
}

/**
 * How alike two entries' accounts must be (`textSimilarity`, 0 to 1) to say they may be one incident:
 * one account retold ("Youths sprayed graffiti on my fence", "Graffiti sprayed on the fence by youths")
 * scores near 1, two things on one day ("Morning: graffiti by youths", "Evening: neighbour threats") 0,
 * and the same kind of trouble in other words ("Loud music from the flat above until 3am", "Loud music and
 * shouting from upstairs all night") about 0.54. A note points an officer at two entries; it decides
 * nothing, so it errs towards asking.
 */
const SAME_INCIDENT_SIMILARITY = 0.5;

/** Staff notes on entries that may be one incident listed twice: on the same day, in similar words. */
function mayBeOneIncident(incidents: readonly Incident[]): string[] {
  const byEntry = [...incidents].sort((a, b) => a.entry - b.entry);
  // The application's own accounts weigh the words: one its every entry uses ("music") tells less.
  const corpus = similarityCorpus(byEntry.flatMap((incident) => incident.description ?? []));
  const descriptionsAlike = (a: string, b: string) =>
    textSimilarity(a, b, corpus).score >= SAME_INCIDENT_SIMILARITY;
  return byEntry.flatMap((first, index) =>
    byEntry.slice(index + 1).flatMap((second) => {
      if (first.occurredOn !== second.occurredOn) return [];
      if (first.description === undefined || second.description === undefined) return [];
      if (!descriptionsAlike(first.description, second.description)) return [];
      return [
        `Incidents ${first.entry} and ${second.entry} both happened on ${formatUkDate(first.occurredOn)} ` +
          `(reported to ${bodiesOf(first)}, and to ${bodiesOf(second)}) and are described in similar words: ` +
          'they may be one incident listed twice. The assessment counts them as two separate incidents.',
      ];
    }),
  );
}

function bodiesOf(incident: Incident): string {
  return listed([...new Set(incident.reports.map((report) => REPORTED_TO_NAMES[report.reportedTo]))]);
}

function months(count: number): string {
  return count === 1 ? '1 month' : `${count} months`;
}

/** "the month" or "the 6 months", as in "the 6 months beginning with that report". */
function thePeriod(count: number): string {
  return count === 1 ? 'the month' : `the ${count} months`;
}

function howMany(count: number, one: string, many: string): string {
  if (count === 0) return `no ${many}`;
  return count === 1 ? `1 ${one}` : `${count} ${many}`;
}

function listed(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

function sentenceStart(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The bodies whose complaints can count here, as a resident reads them: "the council, the police or …". */
function relevantBodies(rules: ThresholdRules): string {
  return listed(
    REPORTED_TO.filter((body) => isRelevantBody(body, rules)).map((body) => REPORTED_TO_NAMES[body]),
    'or',
  );
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

function incidentReasons(incident: Incident, rules: ThresholdRules, receivedOn: LocalDate): string[] {
  const subject = `the ${incident.hateMotivated ? 'hate incident' : 'incident'} on ${formatUkDate(incident.occurredOn)}`;
  const what = sentenceStart(subject);
  const reasons: string[] = [];
  const { reports } = incident;
  if (reports.length > 1) {
    reasons.push(
      `${what} was reported ${reports.length} times, to ${bodiesOf(incident)}: it is one incident.`,
    );
  }
  const notCounted = reports.filter((report) => !isRelevantBody(report.reportedTo, rules));
  if (notCounted.length > 0) {
    const bodies = [...new Set(notCounted.map((report) => report.reportedTo))];
    const named = listed(bodies.map((body) => REPORTED_TO_NAMES[body]));
    const health = bodies.includes('health') ? ' (this area does not count reports to a health service)' : '';
    const others = reports.length - notCounted.length;
    const consequence =
      others === 0
        ? 'so it does not count for any route'
        : `so ${notCounted.length === 1 ? `its report to ${named} does` : `its reports to ${named} do`} not ` +
          `count, but its ${others === 1 ? 'other report can' : 'other reports can'}`;
    reasons.push(
      `${what} was reported to ${named}. Only complaints to ${relevantBodies(rules)} can count${health}, ${consequence}.`,
    );
  }

  const routes: readonly ThresholdRouteName[] = incident.hateMotivated ? ['A', 'B', 'C'] : ['A', 'B'];
  const byWindow = new Map<number, ThresholdRouteName[]>();
  for (const route of routes) {
    const withinMonths = windowOf(route, rules);
    byWindow.set(withinMonths, [...(byWindow.get(withinMonths) ?? []), route]);
  }
  const complaint = complaintOf(incident, receivedOn, rules);
  if ('why' in complaint) return [...reasons, ...noComplaintReason(what, complaint, rules, receivedOn)];
  return [
    ...reasons,
    ...[...byWindow.entries()].map(([withinMonths, sharing]) =>
      routeReason(
        sharing,
        subject,
        routeFinding(complaint, withinMonths, receivedOn),
        withinMonths,
        rules,
        receivedOn,
      ),
    ),
  ];
}

function windowOf(route: ThresholdRouteName, rules: ThresholdRules): number {
  switch (route) {
    case 'A':
      return rules.routeA.withinMonths;
    case 'B':
      return rules.routeB.withinMonths;
    case 'C':
      return rules.routeC.withinMonths;
  }
}

function routesNamed(routes: readonly ThresholdRouteName[]): string {
  return routes.length === 1 ? `route ${routes[0]}` : `routes ${listed(routes)}`;
}

function reportWords(report: Report): string {
  return `to ${REPORTED_TO_NAMES[report.reportedTo]} on ${formatUkDate(report.reportedOn)}`;
}

/** Why an incident counts for no route: said once, as it is the same for every route. */
function noComplaintReason(
  what: string,
  noComplaint: NoComplaint,
  rules: ThresholdRules,
  receivedOn: LocalDate,
): string[] {
  switch (noComplaint.why) {
    case 'not-a-relevant-body':
      // Already said with the bodies it was reported to.
      return [];
    case 'after-application':
      return [
        `${what} was reported ${reportWords(noComplaint.report)}, after the application was received on ` +
          `${formatUkDate(receivedOn)}, so it does not count for any route.`,
      ];
    case 'late':
      return [
        `${what} was reported ${reportWords(noComplaint.report)}, after ` +
          `${thePeriod(rules.complaintWithinMonthsOfBehaviour)} beginning with the day it happened (which ended ` +
          `on ${formatUkDate(noComplaint.periodEnded)}), so it does not count for any route.`,
      ];
  }
}

function routeReason(
  routes: readonly ThresholdRouteName[],
  subject: string,
  finding: RouteFinding,
  withinMonths: number,
  rules: ThresholdRules,
  receivedOn: LocalDate,
): string {
  const forWhich = `For ${routesNamed(routes)}, ${subject}`;
  if (finding.counts) {
    return (
      `${forWhich} counts: it was reported ${reportWords(finding.report)}, within ` +
      `${months(rules.complaintWithinMonthsOfBehaviour)} of happening, and the application was received ` +
      `within ${months(withinMonths)} of that report.`
    );
  }
  return (
    `${forWhich} does not count: it was reported ${reportWords(finding.report)}, and the application was ` +
    `received on ${formatUkDate(receivedOn)}, after ${thePeriod(withinMonths)} beginning with that report ` +
    `(which ended on ${formatUkDate(finding.periodEnded)}).`
  );
}

/** What each route's complaints must be, said on the route's own line. */
function windowWords(withinMonths: number, rules: ThresholdRules): string {
  return (
    `Each must have been reported to ${relevantBodies(rules)} within ` +
    `${months(rules.complaintWithinMonthsOfBehaviour)} of happening, and the application received within ` +
    `${months(withinMonths)} of that report.`
  );
}

function routeAReason(counting: number, rules: ThresholdRules): string {
  const needed = rules.routeA.complaints;
  const counted = howMany(counting, 'separate incident counts', 'separate incidents count');
  return (
    `${sentenceStart(ROUTE_NAMES.A)}: ${counted}, and ${needed} ${needed === 1 ? 'is' : 'are'} needed. ` +
    windowWords(rules.routeA.withinMonths, rules)
  );
}

function routeCReason(hateIncidents: number, counting: number, rules: ThresholdRules): string {
  if (hateIncidents === 0)
    return `${sentenceStart(ROUTE_NAMES.C)}: no incident was reported as a hate incident.`;
  const needed = rules.routeC.hateIncidents;
  const counted = howMany(counting, 'hate incident counts', 'hate incidents count');
  return (
    `${sentenceStart(ROUTE_NAMES.C)}: ${counted}, and ${needed} ${needed === 1 ? 'is' : 'are'} needed. ` +
    windowWords(rules.routeC.withinMonths, rules)
  );
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
    `${howMany(linked, 'linked application', 'linked applications')}, and ${needed}.${sameHousehold} ` +
    windowWords(rules.routeB.withinMonths, rules)
  );
}

// The CSPs' configured threshold and deadlines in plain words, for the start page. Where the CSPs differ,
// each difference is said once, naming the CSPs it applies to.
import type { AreaConfig, CspConfig, DeadlineRules, ThresholdRules } from '#core/area-config.ts';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const months = (n: number) => count(n, 'month', 'months');

export function listOfNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function groupBy<T>(csps: readonly CspConfig[], pick: (csp: CspConfig) => T): { value: T; csps: string[] }[] {
  const groups = new Map<string, { value: T; csps: string[] }>();
  for (const csp of csps) {
    const value = pick(csp);
    const key = JSON.stringify(value);
    const group = groups.get(key) ?? { value, csps: [] };
    group.csps.push(csp.name);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export interface ThresholdWords {
  /** The routes as most CSPs have them. */
  readonly routes: readonly string[];
  readonly reportedWithin: string;
  /** Where a CSP's rule differs: "In St Helens: you reported … in the last 3 months." */
  readonly differences: readonly string[];
}

function routeWords(rules: ThresholdRules): string[] {
  return [
    `you reported ${count(rules.routeA.complaints, 'incident', 'separate incidents')} of anti-social behaviour to the council, the police or a housing provider in the last ${months(rules.routeA.withinMonths)}`,
    `${rules.routeB.people} or more people from different households each reported similar incidents in the last ${months(rules.routeB.withinMonths)}`,
    `you reported ${rules.routeC.hateIncidents === 1 ? 'a hate incident or hate crime' : `${rules.routeC.hateIncidents} hate incidents or hate crimes`} in the last ${months(rules.routeC.withinMonths)}`,
  ];
}

/** The threshold as most of the area's CSPs set it, and each CSP's differences from it. */
export function thresholdWords(area: AreaConfig): ThresholdWords {
  const groups = groupBy<ThresholdRules>(area.csps, (csp) => csp.threshold).sort(
    (a, b) => b.csps.length - a.csps.length,
  );
  const [main, ...others] = groups;
  const routes = main ? routeWords(main.value) : [];
  const differences = others.flatMap(({ value, csps }) =>
    routeWords(value)
      .filter((words, index) => words !== routes[index])
      .map((words) => `In ${listOfNames(csps)}, the rule is: ${words}.`),
  );
  const within = main?.value.complaintWithinMonthsOfBehaviour ?? 1;
  return {
    routes,
    reportedWithin: `Each incident must have been reported within ${months(within)} of it happening.`,
    differences,
  };
}

const STEPS: readonly { clock: keyof DeadlineRules; step: string; from: string }[] = [
  { clock: 'acknowledge', step: 'We tell you we have your application', from: 'of getting it' },
  {
    clock: 'thresholdDecision',
    step: 'We decide whether your application meets the threshold',
    from: 'of getting it',
  },
  {
    clock: 'reviewOutcome',
    step: 'The council, police, housing and health services review your case together',
    from: 'of that decision',
  },
  { clock: 'outcomeSent', step: 'We send you the outcome and any action plan', from: 'of the review' },
  {
    clock: 'referralWindow',
    step: 'If you are unhappy with how it was handled, you can ask the Police and Crime Commissioner’s office to check it',
    from: 'of getting the outcome',
  },
  {
    clock: 'pccDecision',
    step: 'The Police and Crime Commissioner’s office tells you its decision',
    from: 'of your request',
  },
];

export interface DeadlineTable {
  /** One column per group of CSPs with the same deadlines (one column when all are the same). */
  readonly columns: readonly string[];
  readonly rows: readonly { step: string; durations: readonly string[] }[];
}

export function deadlineTable(area: AreaConfig): DeadlineTable {
  const groups = groupBy<DeadlineRules>(area.csps, (csp) => csp.deadlines);
  return {
    columns: groups.map(({ csps }) => (groups.length === 1 ? 'How long it takes' : listOfNames(csps))),
    rows: STEPS.map(({ clock, step, from }) => ({
      step,
      durations: groups.map(
        ({ value }) => `Within ${count(value[clock], 'working day', 'working days')} ${from}`,
      ),
    })),
  };
}

/**
 * Each CSP's case review team and how to reach it, one summary card per council area, for pages that do
 * not know the case: a block per team keeps every number on a 320 px phone, where a table scrolled.
 */
export function caseReviewContacts(area: AreaConfig) {
  const row = (key: string, text: string) => ({ key: { text: key }, value: { text } });
  return area.csps.map((csp) => ({
    area: csp.name,
    rows: [
      row('Team', csp.contact.team),
      row('Telephone', csp.contact.phone),
      row('Email', csp.contact.email ?? 'By phone or post'),
      // Post always reaches the team (area-config.ts): someone who cannot phone and has no email writes.
      row('Postal address', csp.contact.address),
    ],
  }));
}

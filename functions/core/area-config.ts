import { z } from 'zod';

/**
 * The configuration of a Police and Crime Commissioner's area and its Community Safety Partnerships
 * (CSPs): which CSPs take part, their deadlines and their threshold rules. Everything here is local
 * practice [L] (domain.md) except the limits `validateAreaConfig` enforces, which come from statute.
 */

export type ReportingYearKind = 'financial' | 'calendar';

/** Each value is a number of working days (domain.md, "Deadlines"). */
export interface DeadlineRules {
  /** Acknowledge the application, from receipt. */
  readonly acknowledge: number;
  /** Threshold decision, from receipt. */
  readonly thresholdDecision: number;
  /** Review held and outcome recorded, from the threshold decision (or a PCC refer-back). */
  readonly reviewOutcome: number;
  /** Outcome sent to the applicant, after the review outcome is recorded. */
  readonly outcomeSent: number;
  /** The applicant may ask for a PCC referral, after being told the decision or outcome. */
  readonly referralWindow: number;
  /** PCC decision, from the referral. */
  readonly pccDecision: number;
}

/** Route A: one person complained about separate incidents. */
export interface PersonalComplaintsRoute {
  readonly complaints: number;
  readonly withinMonths: number;
}

/** Route B: different people complained separately about similar incidents. */
export interface CommunityRoute {
  readonly people: number;
  readonly withinMonths: number;
}

/** Route C: one person complained about a hate incident or crime. */
export interface HateIncidentRoute {
  readonly hateIncidents: number;
  readonly withinMonths: number;
}

export interface ThresholdRules {
  readonly routeA: PersonalComplaintsRoute;
  readonly routeB: CommunityRoute;
  readonly routeC: HateIncidentRoute;
  /** A complaint qualifies only if made within this many months of the behaviour. */
  readonly complaintWithinMonthsOfBehaviour: number;
  /**
   * Whether a complaint to the health body (the integrated care board) is a qualifying complaint. The
   * ICB is one of the relevant bodies (s.105), but a CSP's published threshold says which bodies' reports
   * it counts, and many name only the council, the police and the housing providers. Where this is
   * false a report to health is recorded and shown, and the reasons say it does not count.
   */
  readonly complaintsToHealthQualify: boolean;
}

export interface CspConfig {
  readonly id: string;
  readonly name: string;
  readonly deadlines: DeadlineRules;
  readonly threshold: ThresholdRules;
}

export interface AreaConfig {
  readonly id: string;
  readonly name: string;
  readonly reportingYear: ReportingYearKind;
  readonly csps: readonly CspConfig[];
}

export const DEFAULT_DEADLINES: DeadlineRules = {
  acknowledge: 2,
  thresholdDecision: 10,
  reviewOutcome: 20,
  outcomeSent: 5,
  referralWindow: 20,
  pccDecision: 20,
};

export const PAN_MERSEYSIDE_THRESHOLD: ThresholdRules = {
  routeA: { complaints: 3, withinMonths: 6 },
  routeB: { people: 5, withinMonths: 6 },
  routeC: { hateIncidents: 1, withinMonths: 6 },
  complaintWithinMonthsOfBehaviour: 1,
  // The pan-Merseyside threshold (merseysidepcc.info) counts complaints "to the council, the police
  // and/or a registered housing provider": health is not among them.
  complaintsToHealthQualify: false,
};

const ST_HELENS_THRESHOLD: ThresholdRules = {
  ...PAN_MERSEYSIDE_THRESHOLD,
  routeC: { ...PAN_MERSEYSIDE_THRESHOLD.routeC, withinMonths: 3 },
};

export const MERSEYSIDE: AreaConfig = {
  id: 'merseyside',
  name: 'Merseyside',
  reportingYear: 'financial',
  csps: [
    { id: 'knowsley', name: 'Knowsley', deadlines: DEFAULT_DEADLINES, threshold: PAN_MERSEYSIDE_THRESHOLD },
    { id: 'liverpool', name: 'Liverpool', deadlines: DEFAULT_DEADLINES, threshold: PAN_MERSEYSIDE_THRESHOLD },
    { id: 'sefton', name: 'Sefton', deadlines: DEFAULT_DEADLINES, threshold: PAN_MERSEYSIDE_THRESHOLD },
    { id: 'st-helens', name: 'St Helens', deadlines: DEFAULT_DEADLINES, threshold: ST_HELENS_THRESHOLD },
    { id: 'wirral', name: 'Wirral', deadlines: DEFAULT_DEADLINES, threshold: PAN_MERSEYSIDE_THRESHOLD },
  ],
};

export class AreaConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AreaConfigError';
  }
}

export interface AreaConfigIssue {
  readonly path: string;
  readonly message: string;
}

export class InvalidAreaConfigError extends AreaConfigError {
  readonly issues: readonly AreaConfigIssue[];

  constructor(issues: readonly AreaConfigIssue[], options?: ErrorOptions) {
    super(
      `Invalid area configuration: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ')}`,
      options,
    );
    this.name = 'InvalidAreaConfigError';
    this.issues = issues;
  }
}

export class UnknownCspError extends AreaConfigError {
  readonly cspId: string;

  constructor(cspId: string, areaId: string) {
    super(`No CSP '${cspId}' in area '${areaId}'`);
    this.name = 'UnknownCspError';
    this.cspId = cspId;
  }
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Generous enough for every procedure seen (domain.md: 2 to 28), small enough to catch a typo.
const MAX_DEADLINE_WORKING_DAYS = 60;
// s.104(4)-(5) and Sch 4: a complaint qualifies if made within one month of the behaviour and the
// application comes within six months of the complaint; the threshold may not exceed three complaints.
const STATUTORY_MAX_COMPLAINTS = 3;
const STATUTORY_MAX_MONTHS_SINCE_COMPLAINT = 6;
const STATUTORY_MONTHS_FROM_BEHAVIOUR = 1;

const slug = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(SLUG, {
    error: `${what} must be lower-case letters and digits separated by single hyphens`,
  });

const name = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(200, { error: `${what} must be at most 200 characters` });

const boundedInt = (min: number, max: number, why: string) =>
  z
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}${why}` });

const workingDays = boundedInt(1, MAX_DEADLINE_WORKING_DAYS, ' working days');
const monthsSinceComplaint = boundedInt(
  1,
  STATUTORY_MAX_MONTHS_SINCE_COMPLAINT,
  ' (statute: the application must come within six months of the complaint)',
);
const complaintCount = boundedInt(
  1,
  STATUTORY_MAX_COMPLAINTS,
  ' (statute: the threshold may not be more than three qualifying complaints)',
);

const deadlineRulesSchema = z.strictObject({
  acknowledge: workingDays,
  thresholdDecision: workingDays,
  reviewOutcome: workingDays,
  outcomeSent: workingDays,
  referralWindow: workingDays,
  pccDecision: workingDays,
});

const thresholdRulesSchema = z.strictObject({
  routeA: z.strictObject({ complaints: complaintCount, withinMonths: monthsSinceComplaint }),
  // Route B counts people, not one person's complaints, so the statutory cap of three does not apply.
  routeB: z.strictObject({ people: boundedInt(1, 100, ''), withinMonths: monthsSinceComplaint }),
  routeC: z.strictObject({ hateIncidents: complaintCount, withinMonths: monthsSinceComplaint }),
  complaintWithinMonthsOfBehaviour: z.literal(STATUTORY_MONTHS_FROM_BEHAVIOUR, {
    error: 'must be 1 (statute: a complaint qualifies if made within one month of the behaviour)',
  }),
  // Optional so that an area's file written before this setting existed still loads, counting health
  // as it did then: not at all.
  complaintsToHealthQualify: z.boolean({ error: 'must be true or false' }).default(false),
});

const cspConfigSchema = z.strictObject({
  id: slug('CSP id'),
  name: name('CSP name'),
  deadlines: deadlineRulesSchema,
  threshold: thresholdRulesSchema,
});

const areaConfigSchema = z
  .strictObject({
    id: slug('Area id'),
    name: name('Area name'),
    reportingYear: z.enum(['financial', 'calendar'], { error: "must be 'financial' or 'calendar'" }),
    csps: z.array(cspConfigSchema).min(1, { error: 'must list at least one CSP' }),
  })
  .superRefine((area, ctx) => {
    const seen = new Set<string>();
    area.csps.forEach((csp, index) => {
      if (seen.has(csp.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['csps', index, 'id'],
          message: `duplicate CSP id '${csp.id}'`,
        });
      }
      seen.add(csp.id);
    });
  });

/** Checks a configuration (typed or loaded from a file) and returns it; throws InvalidAreaConfigError. */
export function validateAreaConfig(input: unknown): AreaConfig {
  const result = areaConfigSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidAreaConfigError(
      result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      { cause: result.error },
    );
  }
  return result.data;
}

export function cspById(area: AreaConfig, cspId: string): CspConfig | undefined {
  return area.csps.find((csp) => csp.id === cspId);
}

export function requireCsp(area: AreaConfig, cspId: string): CspConfig {
  const csp = cspById(area, cspId);
  if (csp === undefined) throw new UnknownCspError(cspId, area.id);
  return csp;
}

export function isCspOf(area: AreaConfig, cspId: string): boolean {
  return cspById(area, cspId) !== undefined;
}

export function cspIds(area: AreaConfig): readonly string[] {
  return area.csps.map((csp) => csp.id);
}

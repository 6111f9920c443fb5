import { isTelephoneNumber } from '#core/schemas/fields.ts';
import * as z from '#core/schemas/zod.ts';

/**
 * The configuration of a Police and Crime Commissioner's area and its Community Safety Partnerships
 * (CSPs): which CSPs take part, their deadlines, their threshold rules and their case review contact.
 * Everything here is local practice [L] (domain.md) except the limits `validateAreaConfig` enforces,
 * which come from statute.
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

/**
 * The clocks of the case review as the 2025 statutory guidance runs it, in working days. They sit in a
 * CSP's `deadlines` beside the others; a CSP that does not set them uses DEFAULT_REVIEW_DEADLINES.
 */
export interface ReviewDeadlineRules {
  /** The victim's comments on the draft action plan, from when it is sent to them. */
  readonly consultation: number;
  /** What an agency knew and did, from when it is asked (the default due date of a request). */
  readonly agencyInformation: number;
}

/**
 * The CSP's case review contact: the victim's first single point of contact, and what every letter and
 * page gives as "contact us" until an officer names a person. `email` is left out where the team
 * publishes no mailbox (phone and post always work).
 */
export interface CaseReviewContact {
  readonly team: string;
  readonly phone: string;
  readonly email?: string;
  /** The team's postal address, on one line. */
  readonly address: string;
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
  readonly deadlines: DeadlineRules & Partial<ReviewDeadlineRules>;
  readonly contact: CaseReviewContact;
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

export const DEFAULT_REVIEW_DEADLINES: ReviewDeadlineRules = {
  consultation: 5,
  agencyInformation: 10,
};

/** The CSP's case review clocks: its own where its config sets them, else the defaults. */
export function reviewDeadlinesOf(csp: CspConfig): ReviewDeadlineRules {
  return {
    consultation: csp.deadlines.consultation ?? DEFAULT_REVIEW_DEADLINES.consultation,
    agencyInformation: csp.deadlines.agencyInformation ?? DEFAULT_REVIEW_DEADLINES.agencyInformation,
  };
}

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

/**
 * Each council's published way in for a case review. St Helens publishes a Community Trigger mailbox and
 * line (safer.sthelens.gov.uk); Sefton's ASB page gives its contact centre number. For the others, and
 * for every address, these are the council's main switchboard and town hall: a victim always reaches
 * the council, and the council's deployment replaces them with its team's own line and mailbox.
 */
const MERSEYSIDE_CONTACTS = {
  knowsley: {
    team: 'Knowsley Council community safety team',
    phone: '0151 489 6000',
    address: 'Knowsley Council, Municipal Buildings, Archway Road, Huyton, L36 9YU',
  },
  liverpool: {
    team: 'Liverpool City Council anti-social behaviour team',
    phone: '0151 233 3000',
    address: 'Liverpool City Council, Cunard Building, Water Street, Liverpool, L3 1AH',
  },
  sefton: {
    team: 'Sefton Council anti-social behaviour team',
    phone: '0345 140 0845',
    address: 'Sefton Council, Bootle Town Hall, Trinity Road, Bootle, L20 7AE',
  },
  'st-helens': {
    team: 'St Helens Council Safer Communities team',
    phone: '01744 676789',
    email: 'communitytrigger@sthelens.gov.uk',
    address: 'St Helens Council, Town Hall, Victoria Square, St Helens, WA10 1HP',
  },
  wirral: {
    team: 'Wirral Council anti-social behaviour team',
    phone: '0151 606 2000',
    address: 'Wirral Council, Wallasey Town Hall, Brighton Street, Wallasey, CH44 8ED',
  },
} as const satisfies Readonly<Record<string, CaseReviewContact>>;

export const MERSEYSIDE: AreaConfig = {
  id: 'merseyside',
  name: 'Merseyside',
  reportingYear: 'financial',
  csps: [
    {
      id: 'knowsley',
      name: 'Knowsley',
      deadlines: DEFAULT_DEADLINES,
      threshold: PAN_MERSEYSIDE_THRESHOLD,
      contact: MERSEYSIDE_CONTACTS.knowsley,
    },
    {
      id: 'liverpool',
      name: 'Liverpool',
      deadlines: DEFAULT_DEADLINES,
      threshold: PAN_MERSEYSIDE_THRESHOLD,
      contact: MERSEYSIDE_CONTACTS.liverpool,
    },
    {
      id: 'sefton',
      name: 'Sefton',
      deadlines: DEFAULT_DEADLINES,
      threshold: PAN_MERSEYSIDE_THRESHOLD,
      contact: MERSEYSIDE_CONTACTS.sefton,
    },
    {
      id: 'st-helens',
      name: 'St Helens',
      deadlines: DEFAULT_DEADLINES,
      threshold: ST_HELENS_THRESHOLD,
      contact: MERSEYSIDE_CONTACTS['st-helens'],
    },
    {
      id: 'wirral',
      name: 'Wirral',
      deadlines: DEFAULT_DEADLINES,
      threshold: PAN_MERSEYSIDE_THRESHOLD,
      contact: MERSEYSIDE_CONTACTS.wirral,
    },
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
  z
    .string({ error: `${what} must be a string` })
    .check(
      z.regex(SLUG, { error: `${what} must be lower-case letters and digits separated by single hyphens` }),
    );

const name = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .check(
      z.trim(),
      z.minLength(1, { error: `${what} must not be empty` }),
      z.maxLength(200, { error: `${what} must be at most 200 characters` }),
    );

const boundedInt = (min: number, max: number, why: string) =>
  z
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .check(
      z.gte(min, { error: `must be at least ${min}` }),
      z.lte(max, { error: `must be at most ${max}${why}` }),
    );

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

const deadlineRulesSchema = z.strictObject(
  {
    acknowledge: workingDays,
    thresholdDecision: workingDays,
    reviewOutcome: workingDays,
    outcomeSent: workingDays,
    referralWindow: workingDays,
    pccDecision: workingDays,
    // Optional, and left out of the result when absent (reviewDeadlinesOf supplies the default), so that
    // a file written before they existed loads unchanged.
    consultation: z.optional(workingDays),
    agencyInformation: z.optional(workingDays),
  },
  {
    error:
      'must give the deadlines in working days: acknowledge, thresholdDecision, reviewOutcome, ' +
      'outcomeSent, referralWindow, pccDecision (and any consultation, agencyInformation)',
  },
);

const contactSchema = z.strictObject(
  {
    team: name('The case review team'),
    phone: z.string({ error: 'The case review phone number must be a string' }).check(
      z.trim(),
      z.refine(isTelephoneNumber, {
        error: 'must be a UK telephone number, like 01632 960 001, or an international one starting with +',
      }),
    ),
    email: z.optional(
      z.pipe(
        z.string({ error: 'The case review email address must be a string' }).check(z.trim()),
        z.email({ error: 'must be an email address, like asb@example.gov.uk' }),
      ),
    ),
    address: name('The case review postal address'),
  },
  { error: "must give the CSP's case review contact: team, phone, postal address and any email" },
);

const route = <Shape extends z.core.$ZodLooseShape>(name: string, shape: Shape) =>
  z.strictObject(shape, { error: `must give route ${name}: ${Object.keys(shape).join(' and ')}` });

const thresholdRulesSchema = z.strictObject(
  {
    routeA: route('A', { complaints: complaintCount, withinMonths: monthsSinceComplaint }),
    // Route B counts people, not one person's complaints, so the statutory cap of three does not apply.
    routeB: route('B', { people: boundedInt(1, 100, ''), withinMonths: monthsSinceComplaint }),
    routeC: route('C', { hateIncidents: complaintCount, withinMonths: monthsSinceComplaint }),
    complaintWithinMonthsOfBehaviour: z.literal(STATUTORY_MONTHS_FROM_BEHAVIOUR, {
      error: 'must be 1 (statute: a complaint qualifies if made within one month of the behaviour)',
    }),
    // Optional so that an area's file written before this setting existed still loads, counting health
    // as it did then: not at all.
    complaintsToHealthQualify: z._default(z.boolean({ error: 'must be true or false' }), false),
  },
  {
    error:
      'must give the threshold: routeA, routeB, routeC, complaintWithinMonthsOfBehaviour (and any ' +
      'complaintsToHealthQualify)',
  },
);

/** The CSP's letters that begin its case references (`sefton` → `SEF`, `st-helens` → `STH`). */
export function cspReferencePrefix(cspId: string): string {
  return cspId
    .replace(/[^a-z]/gi, '')
    .slice(0, 3)
    .toUpperCase();
}

const REFERENCE_PREFIX_LETTERS = 3;

const cspConfigSchema = z.strictObject({
  id: slug('CSP id').check(
    z.refine((id) => cspReferencePrefix(id).length === REFERENCE_PREFIX_LETTERS, {
      error: 'CSP id must hold at least three letters: its case references begin with its first three',
    }),
  ),
  name: name('CSP name'),
  deadlines: deadlineRulesSchema,
  threshold: thresholdRulesSchema,
  contact: contactSchema,
});

const areaConfigSchema = z
  .strictObject({
    id: slug('Area id'),
    name: name('Area name'),
    reportingYear: z.enum(['financial', 'calendar'], { error: "must be 'financial' or 'calendar'" }),
    csps: z
      .array(cspConfigSchema, { error: 'must list the CSPs' })
      .check(z.minLength(1, { error: 'must list at least one CSP' })),
  })
  .check(
    z.superRefine((area, ctx) => {
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
    }),
  );

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

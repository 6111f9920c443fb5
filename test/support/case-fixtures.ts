// Applications, people and decisions for the data-layer and workflow tests.
import { createHash, randomBytes } from 'node:crypto';
import { MERSEYSIDE } from '#core/area-config.ts';
import type { Actor, CaseRecord, DecisionBody } from '#core/case-record.ts';
import { addDays, ukDateOf } from '#core/local-date.ts';
import { type Application, applicationSchema } from '#core/schemas.ts';
import { createCase } from '#data/case-store.ts';
import type { DataContext } from '#data/data-context.ts';

export const AREA = MERSEYSIDE;
export const OFFICER: Actor = { role: 'officer', sub: 'officer-sefton-1', name: 'Alex Officer' };
export const APPLICANT: Actor = { role: 'applicant' };
export const PCC: Actor = { role: 'pcc', sub: 'pcc-1', name: 'Pat Commissioner' };

export interface ApplicationOptions {
  readonly csp?: string;
  /** An officer-entered (backdated) application received at this instant. */
  readonly receivedAt?: string;
  /** Incidents, each a number of days before receipt; all reported the next day. */
  readonly incidentDaysBefore?: readonly number[];
  readonly hateMotivated?: boolean;
  readonly postcode?: string;
  readonly address?: string;
  /** How involved the victim wants to be, as the application's `involvement` is sent. */
  readonly involvement?: Record<string, unknown>;
}

/** A valid application as the API would have parsed it at `now`. */
export function application(now: Date, options: ApplicationOptions = {}): Application {
  const receivedOn = ukDateOf(options.receivedAt ?? now);
  const incidents = (options.incidentDaysBefore ?? [20, 12, 5]).map((daysBefore, index) => ({
    occurredOn: addDays(receivedOn, -daysBefore),
    reportedOn: addDays(receivedOn, -daysBefore + 1),
    reportedTo: index % 2 === 0 ? 'police' : 'council',
    description: `Incident ${index + 1}: loud music and shouting late at night`,
    hateMotivated: options.hateMotivated ?? false,
  }));
  const body = {
    csp: options.csp ?? 'sefton',
    victimType: 'individual',
    applicant: {
      name: 'Sam Resident',
      email: 'sam@example.com',
      address: options.address ?? '12 Acacia Avenue, Bootle',
      postcode: options.postcode ?? 'L20 1AA',
      contactPreference: 'email',
    },
    description: 'Repeated noise and intimidation from a neighbouring flat.',
    impact: 'I cannot sleep and I am afraid to go out.',
    incidents,
    consentToShare: true,
    ...(options.involvement !== undefined && { involvement: options.involvement }),
    ...(options.receivedAt !== undefined && { channel: 'letter', receivedAt: options.receivedAt }),
  };
  const parsed = applicationSchema({
    now,
    staff: options.receivedAt !== undefined,
    cspIds: AREA.csps.map((csp) => csp.id),
  }).safeParse(body);
  if (!parsed.success) throw new Error(`Test application is not valid: ${parsed.error.message}`);
  return parsed.data;
}

/** A reference in the service's form (`SEF-7K3M-Q9XD`), unique enough for a test. */
export function testReference(csp: string): string {
  const symbols = randomBytes(4).toString('hex').toUpperCase();
  return `${csp
    .replace(/[^a-z]/g, '')
    .slice(0, 3)
    .toUpperCase()}-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

export const TEST_ACCESS_CODE_HASH = createHash('sha256').update('TEST-CODE').digest('hex');

/** Stores a new application as POST /api/applications does (without the workflow). */
export async function submit(
  ctx: DataContext,
  now: Date,
  options: ApplicationOptions = {},
): Promise<CaseRecord> {
  const parsed = application(now, options);
  return createCase(ctx, AREA, {
    reference: testReference(parsed.csp),
    accessCodeHash: TEST_ACCESS_CODE_HASH,
    application: parsed,
    enteredBy: options.receivedAt === undefined ? APPLICANT : OFFICER,
    now,
  });
}

/** A finding on each question of s.104(5), as every review outcome records (contract.md). */
export const FINDINGS = {
  persistence: 'Reported every week for three months.',
  harm: 'The victim cannot sleep and is afraid to go out.',
  adequacy: 'Each report was logged but nobody visited.',
} as const;

/** A victim who chose not to be consulted on the plan: an outcome's plan is final at once. */
export const NOT_CONSULTED = { level: 'updates-only', consultOnPlan: false } as const;

export const decisions = {
  met: {
    kind: 'threshold-decision',
    body: { met: true, route: 'A', reason: 'Three incidents reported in time.' },
  },
  notMet: { kind: 'threshold-decision', body: { met: false, reason: 'Only one incident was reported.' } },
  reviewWithRecommendations: (heldOn: string): DecisionBody => ({
    kind: 'review-outcome',
    body: {
      heldOn,
      summary: 'The partners agreed an action plan.',
      findings: FINDINGS,
      attendees: [],
      recommendations: [{ action: 'Install a noise monitor', owner: 'council', dueBy: addDays(heldOn, 30) }],
    },
  }),
  reviewWithout: (heldOn: string): DecisionBody => ({
    kind: 'review-outcome',
    body: {
      heldOn,
      summary: 'The response so far was adequate.',
      findings: FINDINGS,
      attendees: [],
      recommendations: [],
    },
  }),
  referral: { kind: 'referral', body: { reason: 'My evidence was not considered.' } },
  stands: { kind: 'pcc-decision', body: { outcome: 'review-stands', reason: 'The process was followed.' } },
  referBack: {
    kind: 'pcc-decision',
    body: { outcome: 'refer-back', reason: 'Relevant facts were not considered.' },
  },
  withdraw: { kind: 'withdraw', body: { reason: 'The problem has stopped.' } },
} as const satisfies Record<string, DecisionBody | ((heldOn: string) => DecisionBody)>;

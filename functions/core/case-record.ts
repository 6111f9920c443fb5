// The case model (architecture.md, "Two doors, one domain"): the case record, its human steps, who
// acted, its timeline and audit entries, and how a repeated action relates to the ones recorded. Pure
// types and rules; data/case-items.ts keeps the items, keys and index attributes that store them.
import type { CounterColumn } from '#core/counting.ts';
import type { CaseDeadlines, CaseMilestones } from '#core/deadlines.ts';
import type { LocalDate } from '#core/local-date.ts';
import type {
  ActionPlanBody,
  Agency,
  Applicant,
  CaseReviewOutcome,
  Channel,
  Findings,
  Incident,
  InvolvedPerson,
  Involvement,
  Participant,
  PccDecision,
  Recommendation,
  Referral,
  ThresholdDecision,
  ThresholdRoute,
  VictimType,
  Withdrawal,
  Witness,
} from '#core/schemas.ts';
import type { CaseStage, ClosureReason } from '#core/stages.ts';
import type { ThresholdAssessment } from '#core/threshold.ts';

/**
 * The human steps the workflow waits on, each a waitForTaskToken task. `actions-finished` is the wait
 * for the plan's last open action to finish, once nothing else keeps the case open.
 */
export const WAIT_STEPS = [
  'threshold-decision',
  'review-outcome',
  'action-plan',
  'referral',
  'pcc-decision',
  'actions-finished',
] as const;
export type WaitStep = (typeof WAIT_STEPS)[number];

/** The waits that end with a decision a person records (the actions' wait ends with their progress). */
export type DecisionStep = Exclude<WaitStep, 'actions-finished'>;

/** Actions a person records and the workflow then applies: the decision of each wait, and withdrawal. */
export type DecisionKind = DecisionStep | 'withdraw';

export type ActorRole = 'applicant' | 'officer' | 'agency' | 'pcc' | 'system';

/** Who did something. `sub` and `name` are staff identity; an applicant is known by role only. */
export interface Actor {
  readonly role: ActorRole;
  readonly sub?: string;
  readonly name?: string;
  readonly agency?: string;
}

/** A decision as recorded by the API, with what it decided (the validated request body). */
export type DecisionBody =
  | { readonly kind: 'threshold-decision'; readonly body: ThresholdDecision }
  | { readonly kind: 'review-outcome'; readonly body: CaseReviewOutcome }
  | { readonly kind: 'action-plan'; readonly body: ActionPlanBody }
  | { readonly kind: 'referral'; readonly body: Referral }
  | { readonly kind: 'pcc-decision'; readonly body: PccDecision }
  | { readonly kind: 'withdraw'; readonly body: Withdrawal };

export type RecordedAction = DecisionBody & {
  /** The review cycle it belongs to: 1, then one more after each PCC refer-back. */
  readonly cycle: number;
  /** SHA-256 of the body's canonical JSON: the same body again is a harmless repeat. */
  readonly bodyHash: string;
  readonly actor: Actor;
  readonly recordedAt: string;
  /** When the workflow applied it; absent while it waits to be delivered. */
  readonly appliedAt?: string;
};

export interface RecordedThresholdDecision {
  readonly met: boolean;
  /** The route when met (A, B, C or discretionary), else null. */
  readonly route: ThresholdRoute | null;
  readonly reason: string;
  /** The officer confirmed a route the assessment did not find (core/decision-checks.ts). */
  readonly confirmed?: true;
  readonly at: string;
  readonly by: Actor;
}

export interface RecordedReviewOutcome {
  readonly heldOn: string;
  readonly summary: string;
  /** A finding on each question of s.104(5); absent from outcomes recorded before the 2025 review. */
  readonly findings?: Findings;
  readonly attendees?: readonly Participant[];
  readonly victimViews?: string;
  /** As recorded; after a consultation, the final plan (the case's review records) may differ. */
  readonly recommendations: readonly Recommendation[];
  readonly at: string;
  readonly cycle: number;
  readonly by: Actor;
}

export interface RecordedReferral {
  readonly reason: string;
  readonly at: string;
  readonly cycle: number;
  readonly by: Actor;
}

/** Why the application was withdrawn, for the officer: the reason only when given. */
export interface RecordedWithdrawal {
  readonly reason?: string;
  readonly fearOfReprisal: boolean;
  readonly at: string;
  readonly by: Actor;
}

export interface RecordedPccDecision {
  readonly outcome: PccDecision['outcome'];
  readonly reason: string;
  readonly at: string;
  readonly cycle: number;
  readonly by: Actor;
}

export interface StoredAssessment extends ThresholdAssessment {
  readonly assessedAt: string;
  /** Open applications about the same anti-social behaviour, counted for route B. */
  readonly linkedReferences: readonly string[];
}

/** The moments that start the deadline clocks (core/deadlines.ts), as ISO instants. */
export type StoredMilestones = { readonly receivedAt: string } & {
  readonly [K in Exclude<keyof CaseMilestones, 'receivedAt'>]?: string;
};

/** What the counting rules (core/counting.ts) need, kept as the steps happen. */
export interface CountingHistory {
  readonly reviews: readonly { readonly at: string; readonly recommendations: number }[];
  /**
   * Each final action plan, when it was sent, and its number of actions (core/action-plan.ts,
   * finalPlanFacts). Absent from cases recorded before the 2025 review, whose outcomes were final at once.
   */
  readonly finalPlans?: readonly { readonly at: string; readonly actions: number }[];
  readonly referrals: readonly { readonly at: string }[];
  readonly withdrawnAt: string | null;
}

/** Dates agencies are to reply by (UK dates only: the requests stay with the review's records). */
export interface RepliesDue {
  /** The review cycle they were asked in. */
  readonly cycle: number;
  readonly dueBy: Readonly<Partial<Record<Agency, LocalDate>>>;
}

/**
 * The case item: no personal data. `deadlines` are ISO instants per clock, `nextDeadline` the one the
 * current stage waits on (null when closed).
 */
export interface CaseRecord {
  readonly reference: string;
  readonly csp: string;
  readonly pccArea: string;
  readonly stage: CaseStage;
  readonly receivedAt: string;
  /** When it was entered in the service (later than receivedAt for an officer-entered letter). */
  readonly recordedAt: string;
  readonly reportingYear: string;
  readonly channel: Channel;
  readonly victimType: VictimType;
  /** Made by someone on the victim's behalf (with the victim's recorded consent). */
  readonly onBehalf: boolean;
  /** 1, then one more after each PCC refer-back. */
  readonly cycle: number;
  readonly thresholdAssessment: StoredAssessment | null;
  readonly thresholdDecision: RecordedThresholdDecision | null;
  /** The latest review's outcome. */
  readonly reviewOutcome: RecordedReviewOutcome | null;
  /** The latest referral to the PCC's office. */
  readonly referral: RecordedReferral | null;
  readonly pccDecision: RecordedPccDecision | null;
  readonly closure: { readonly reason: ClosureReason; readonly at: string } | null;
  /** Null until withdrawn, and for cases withdrawn before withdrawals kept a reason and a fear of reprisal. */
  readonly withdrawal: RecordedWithdrawal | null;
  readonly milestones: StoredMilestones;
  readonly deadlines: CaseDeadlines;
  readonly nextDeadline: string | null;
  /** The human step the workflow is waiting on now, if any. */
  readonly waitingFor: WaitStep | null;
  readonly history: CountingHistory;
  /** The counters this case is counted in (core/counting.ts, caseCounters). */
  readonly counted: readonly CounterColumn[];
  /** The agencies that may see the case (all relevant bodies, once a multi-agency review starts). */
  readonly sharedWith: readonly Agency[];
  /**
   * When the review meeting is arranged for (the latest arrangement, of any cycle), so that the worklists
   * show upcoming meetings: a time only, the meeting's details stay with the review's records.
   */
  readonly meetingAt: string | null;
  /**
   * The date each agency asked for information is to reply by, and the cycle it was asked in, so that an
   * agency's worklist shows its own date (dates only; the requests stay with the review's records).
   */
  readonly repliesDue: RepliesDue | null;
  /**
   * Of those, the agencies that have not responded yet, each with its date, so that an agency's worklist
   * flags its own overdue request (core/deadlines.ts `isOverdueOnWorklist`); null for a case asked no
   * agency since it was kept (the worklists then flag it by its deadline).
   */
  readonly repliesAwaited: RepliesDue | null;
  /**
   * While the case waits for its plan's actions: each owner agency's earliest open action due (the end
   * of its day), so that an agency's worklist flags its own overdue actions (core/deadlines.ts
   * `isOverdueOnWorklist`); null otherwise.
   */
  readonly actionsDueBy: Readonly<Partial<Record<Agency, string>>> | null;
  /** Postcode district of the victim (e.g. `L20`): with incident dates, what links applications. */
  readonly postcodeDistrict: string;
  /** First and last day an incident happened. */
  readonly incidentDates: { readonly from: string; readonly to: string };
  /** Reminders sent, by `<step>#<cycle>#<deadline that passed>`: each is sent once. */
  readonly reminders: Readonly<Record<string, string>>;
  /** Epoch seconds after which DynamoDB deletes the case's items (set at closure). */
  readonly expiresAt: number | null;
  /**
   * Set when the case's workflow stopped while the case was open, or before a closed case's letters
   * went out: by the state machine's catch-all (workflow/needs-attention.ts) or by the reconciler
   * (workflow/reconcile.ts); see data/case-attention.ts.
   */
  readonly needsAttention: NeedsAttention | null;
  readonly version: number;
}

/**
 * Why a case's workflow stopped while the case was open: a step that failed after its retries, or the
 * execution's status; never case details.
 */
export const ATTENTION_REASONS = [
  'step-failed',
  'execution-failed',
  'execution-timed-out',
  'execution-aborted',
  'execution-ended',
] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

/**
 * The case review's steps that tell people of a decision or a closure, or close the case before its
 * closing letter (ApplyActionsFinished) (statemachines/case-review.asl.json): one that failed is run
 * again when the case is resumed, so that its letters go out (each message once: a message keeps its id,
 * shared/notifier.ts). Every step is safe to run again.
 */
export const LETTER_STEPS = [
  'ApplyThresholdDecision',
  'ApplyReviewOutcome',
  'ApplyActionPlan',
  'ApplyReferral',
  'ApplyPccDecision',
  'ApplyActionsFinished',
  'CloseDecided',
  'CloseWithdrawn',
  'CloseAfterReferralWindow',
] as const;
export type LetterStep = (typeof LETTER_STEPS)[number];

export const isLetterStep = (step: string | undefined): step is LetterStep =>
  (LETTER_STEPS as readonly (string | undefined)[]).includes(step);

export interface NeedsAttention {
  /** When the case was found stranded (ISO instant). */
  readonly since: string;
  readonly reason: AttentionReason;
  /** The execution the reconciler started to resume the case; absent until it has. */
  readonly resumedBy?: string;
  /**
   * The step that failed when it was one that sends letters: the case resumes there, not at its wait,
   * and is marked even when already closed, until that step has run.
   */
  readonly redo?: LetterStep;
}

/** The APPLICANT item: the application's personal data, read only where it is needed. */
export interface ApplicantRecord {
  readonly reference: string;
  readonly applicant: Applicant;
  readonly onBehalfOf: {
    readonly name: string;
    readonly relationship: string;
    readonly consentGiven: true;
    readonly address?: string;
    readonly postcode?: string;
    readonly email?: string;
    readonly phone?: string;
  } | null;
  readonly description: string;
  readonly impact: string;
  readonly incidents: readonly Incident[];
  readonly consentToShare: true;
  /** How involved the victim wants to be in the review, as chosen in the application (personal data). */
  readonly involvement?: Involvement;
  /** Who is involved in the behaviour, and witnesses willing to speak: staff of the case only. */
  readonly involved?: readonly InvolvedPerson[];
  readonly witnesses?: readonly Witness[];
}

export type Audience = 'all' | 'staff';

/** A dated event on the case's timeline; `audience: 'staff'` is never shown to the applicant. */
export interface TimelineEvent {
  readonly at: string;
  readonly type: string;
  /** Plain English. */
  readonly summary: string;
  readonly actor: Actor;
  readonly audience: Audience;
}

/** Who read or decided what, when (every staff read of a case and every decision). */
export interface AuditEntry {
  readonly at: string;
  readonly actor: Actor;
  /** `read`, or the action (`threshold-decision`, `referral`, ...). */
  readonly what: string;
}

export interface AgencyResponseRecord {
  readonly agency: Agency;
  readonly summary: string;
  readonly actionsTaken?: string;
  readonly currentPosition?: string;
  readonly at: string;
  readonly cycle: number;
  readonly by: Actor;
}

/** Decision actions belong to a cycle; a threshold decision and a withdrawal happen once per case. */
export function cycleOfAction(kind: DecisionKind, caseCycle: number): number {
  return kind === 'threshold-decision' || kind === 'withdraw' ? 1 : caseCycle;
}

/**
 * The step of a review cycle that makes an action possible again in a later cycle: a new referral
 * needs the new review's outcome, a new PCC decision a new referral. A new review outcome needs only
 * the refer-back, which is what started the cycle, so nothing comes between it and a repeat.
 */
const OPENED_BY: Partial<Record<DecisionKind, DecisionKind>> = {
  referral: 'review-outcome',
  'action-plan': 'review-outcome',
  'pcc-decision': 'referral',
};

/**
 * How a request for `kind` whose body hashes to `bodyHash` relates to the actions recorded on the
 * case (contract.md, "Actions": a repeat of an action that took effect changes nothing, also after a
 * PCC refer-back started a new review cycle):
 * - `repeat`: the action of its cycle has the same body; or the cycle has none yet and the latest
 *   earlier one of its kind has the same body, with nothing in between that opened the step again
 *   (a retried referral or refer-back, or the first review's outcome sent again after the refer-back);
 * - `different`: the action of its cycle has another body;
 * - `new`: nothing of its kind took effect in its cycle (whether it may happen is the stage's to say).
 */
export function relationToRecorded(
  kind: DecisionKind,
  bodyHash: string,
  caseCycle: number,
  recorded: readonly RecordedAction[],
): 'repeat' | 'different' | 'new' {
  const cycle = cycleOfAction(kind, caseCycle);
  const ofKind = recorded.filter((action) => action.kind === kind);
  const current = ofKind.find((action) => action.cycle === cycle);
  if (current !== undefined) return current.bodyHash === bodyHash ? 'repeat' : 'different';
  const latest = ofKind
    .filter((action) => action.cycle < cycle)
    .reduce<RecordedAction | undefined>(
      (found, action) => (found && found.cycle > action.cycle ? found : action),
      undefined,
    );
  if (latest === undefined || latest.bodyHash !== bodyHash) return 'new';
  const opener = OPENED_BY[kind];
  const reopened = recorded.some((action) => action.kind === opener && action.cycle > latest.cycle);
  return reopened ? 'new' : 'repeat';
}

// What the pages ask of the service: the same operations the JSON API runs (functions/api), seen through
// one small interface so that pages, and their tests, do not depend on how the API is wired.
import type { DeadlineClock } from '#core/deadlines.ts';
import type { CaseAction, CaseStage, ClosureReason } from '#core/stages.ts';
import type { StaffIdentity } from '#shared/staff-token.ts';

export type Caller =
  | { readonly kind: 'public' }
  | { readonly kind: 'applicant'; readonly accessCode: string }
  /** `token` is the verified sign-in token, which the API checks again as it would a bearer token. */
  | { readonly kind: 'staff'; readonly staff: StaffIdentity; readonly token: string };

export interface Submitted {
  readonly reference: string;
  readonly accessCode: string;
  readonly stage: CaseStage;
}

export interface Actor {
  readonly role: string;
  readonly name?: string;
}

export interface TimelineEntry {
  readonly at: string;
  readonly type: string;
  readonly summary: string;
  readonly actor?: Actor;
}

export interface AuditEntry {
  readonly at: string;
  readonly what: string;
  readonly actor?: Actor;
}

export interface IncidentView {
  readonly occurredOn: string;
  readonly occurredAt?: string;
  readonly reportedOn: string;
  readonly reportedTo: string;
  readonly reference?: string;
  readonly alsoReportedTo?: readonly {
    readonly reportedTo: string;
    readonly reportedOn: string;
    readonly reference?: string;
  }[];
  readonly location?: string;
  readonly description: string;
  readonly hateMotivated: boolean;
  readonly hateMotivation?: readonly string[];
}

export interface ApplicantView {
  readonly name: string;
  readonly email?: string;
  readonly phone?: string;
  readonly address: string;
  readonly postcode: string;
  readonly contactPreference: string;
  readonly accessibilityNeeds?: string;
  readonly vulnerabilityNeeds?: string;
}

export interface Recommendation {
  readonly action: string;
  readonly owner: string;
  readonly dueBy: string;
}

/** A case as GET /api/cases/{reference} returns it; the applicant's view leaves the staff-only parts out. */
export interface CaseView {
  readonly reference: string;
  readonly csp: string;
  readonly stage: CaseStage;
  readonly receivedAt: string;
  readonly channel?: string;
  readonly victimType?: string;
  readonly thresholdAssessment?: {
    readonly met: boolean;
    readonly route: string | null;
    /** Staff only: every route the check found met. */
    readonly routesMet?: readonly string[];
    readonly reasons: readonly string[];
    /** Staff only: what the officer should look at before deciding. */
    readonly notes?: readonly string[];
  } | null;
  readonly thresholdDecision?: {
    readonly met: boolean;
    readonly route?: string | null;
    readonly reason: string;
    /** Staff only: the officer confirmed a route the check did not find. */
    readonly confirmed?: boolean;
    readonly at?: string;
  } | null;
  readonly reviewOutcome?: {
    readonly heldOn: string;
    readonly summary: string;
    readonly recommendations: readonly Recommendation[];
    readonly at?: string;
  } | null;
  readonly referral?: { readonly reason: string; readonly at?: string } | null;
  readonly pccDecision?: { readonly outcome: string; readonly reason: string; readonly at?: string } | null;
  readonly closure?: { readonly reason: ClosureReason; readonly at: string } | null;
  readonly deadlines?: Partial<Record<DeadlineClock, string>>;
  readonly nextDeadline?: string | null;
  readonly overdue?: boolean;
  /** Staff only: its workflow stopped while it was open and was resumed (functions/workflow/reconcile.ts). */
  readonly needsAttention?: { readonly since: string; readonly reason: string } | null;
  readonly timeline: readonly TimelineEntry[];
  readonly applicant?: ApplicantView;
  readonly onBehalfOf?: {
    readonly name: string;
    readonly relationship: string;
    readonly consentGiven: boolean;
    readonly address?: string;
    readonly postcode?: string;
    readonly email?: string;
    readonly phone?: string;
  } | null;
  readonly description?: string;
  readonly impact?: string;
  readonly incidents?: readonly IncidentView[];
  readonly agencyResponses?: readonly {
    readonly agency: string;
    readonly summary: string;
    readonly at?: string;
    readonly actor?: Actor;
  }[];
  readonly audit?: readonly AuditEntry[];
  readonly sharedWith?: readonly string[];
  /** Staff only: the cases linked to this one as being about the same behaviour (route B). */
  readonly links?: readonly LinkedCase[];
}

/** A case linked to another, or suggested for linking, as staff see it in a list. */
export interface LinkedCase {
  readonly reference: string;
  readonly stage: CaseStage;
  readonly receivedAt: string;
}

export interface LinkSuggestion extends LinkedCase {
  readonly score: number;
  readonly reasons: readonly { readonly kind: string; readonly score: number; readonly text: string }[];
}

/** GET /api/cases/{reference}/link-suggestions. */
export interface LinkSuggestions {
  readonly links: readonly LinkedCase[];
  readonly suggestions: readonly LinkSuggestion[];
}

export interface WorklistItem {
  readonly reference: string;
  readonly csp: string;
  readonly stage: CaseStage;
  readonly receivedAt: string;
  readonly nextDeadline: string | null;
  readonly overdue: boolean;
  readonly needsAttention: boolean;
}

export interface Worklist {
  readonly cases: readonly WorklistItem[];
  readonly next: string | null;
}

export type CountColumnValues = {
  readonly applicationsReceived: number | null;
  readonly thresholdNotMet: number | null;
  readonly caseReviewsCarriedOut: number | null;
  readonly reviewsWithRecommendations: number | null;
  readonly referralsToPcc: number | null;
};

export type StatisticsRow = CountColumnValues & {
  readonly csp: string;
  readonly name: string;
  readonly status: 'confirmed' | 'provisional' | 'not-available';
  readonly available: boolean;
  readonly signedOffAt?: string | null;
  readonly changedAfterSignOff?: boolean;
};

export interface StatisticsTable {
  readonly pccArea: string;
  readonly year: string;
  readonly from: string;
  readonly to: string;
  readonly rows: readonly StatisticsRow[];
  readonly total: CountColumnValues;
}

export interface CaseOperations {
  submitApplication(body: unknown, caller: Caller, options: { idempotencyKey: string }): Promise<Submitted>;
  getCase(reference: string, caller: Caller): Promise<CaseView>;
  listCases(caller: Caller, query: { stage?: CaseStage; cursor?: string }): Promise<Worklist>;
  act(reference: string, action: CaseAction, body: unknown, caller: Caller): Promise<{ stage: CaseStage }>;
  linkSuggestions(reference: string, caller: Caller): Promise<LinkSuggestions>;
  changeLinks(reference: string, body: unknown, caller: Caller): Promise<{ links: readonly LinkedCase[] }>;
  statistics(year: string | undefined): Promise<StatisticsTable>;
  statisticsYears(): Promise<readonly string[]>;
  signOffReturn(body: unknown, caller: Caller): Promise<StatisticsRow>;
}

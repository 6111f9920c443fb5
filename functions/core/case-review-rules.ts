// When and by whom the actions of the case review as the 2025 statutory guidance runs it may be taken
// (contract.md, "The case review": its "when" and "who" columns), as pure rules over what is known of
// the case. Written apart from the who-may-act rules of the running actions so that the one module of
// rules absorbs both when the operations take these actions; whether the caller may see the case at all
// (their CSP, the case shared with their agency, the applicant's access code) stays that module's check.
import { capitalised } from '#core/agency-names.ts';
import type { ActorRole } from '#core/case-record.ts';
import type { Agency } from '#core/schemas.ts';
import {
  ACTION_PLAN_CONSULTATION,
  ACTION_STAGES,
  type CaseStage,
  OPEN_STAGES,
  type OpenStage,
} from '#core/stages.ts';

/** The actions the 2025 review adds to the contract's table. */
export const CASE_REVIEW_ACTIONS = [
  'contact',
  'involvement',
  'information-requests',
  'review-meeting',
  'action-plan-response',
  'action-plan',
  'action-progress',
] as const;
export type CaseReviewAction = (typeof CASE_REVIEW_ACTIONS)[number];

/** The running actions whose rules the 2025 review refines: who may respond, and until when one may refer. */
export type RefinedAction = 'agency-responses' | 'referral' | 'withdraw';
export type ReviewRuleAction = CaseReviewAction | RefinedAction;

export type ReviewRole = 'applicant' | 'officer' | 'agency' | 'pcc';

/** Before the review is recorded: the victim may still change how they take part. */
const BEFORE_THE_REVIEW: readonly OpenStage[] = [
  'received',
  'awaiting-threshold-decision',
  'threshold-not-met',
  'awaiting-review',
  // A referral of a "not met" decision may bring a review; once a review is recorded, `reviewRecorded` says no.
  'awaiting-pcc-decision',
];

/** The contract's "when" column: the stages where each action is taken. */
export const REVIEW_ACTION_STAGES: Readonly<Record<ReviewRuleAction, readonly OpenStage[]>> = {
  contact: OPEN_STAGES,
  involvement: BEFORE_THE_REVIEW,
  'information-requests': ['awaiting-review'],
  'review-meeting': ['awaiting-review'],
  'action-plan-response': [ACTION_PLAN_CONSULTATION],
  'action-plan': [ACTION_PLAN_CONSULTATION],
  'action-progress': ['review-complete', 'awaiting-pcc-decision'],
  'agency-responses': ACTION_STAGES['agency-responses'],
  referral: ACTION_STAGES.referral,
  withdraw: OPEN_STAGES,
};

/** The contract's "who" column. Agencies are further limited by `whoMayTake`. */
export const REVIEW_ACTION_ROLES: Readonly<Record<ReviewRuleAction, readonly ReviewRole[]>> = {
  contact: ['officer'],
  involvement: ['applicant', 'officer'],
  'information-requests': ['officer'],
  'review-meeting': ['officer'],
  'action-plan-response': ['applicant'],
  'action-plan': ['officer'],
  'action-progress': ['agency', 'officer'],
  'agency-responses': ['agency', 'officer'],
  referral: ['applicant', 'officer'],
  withdraw: ['applicant', 'officer'],
};

/** What the rules need to know of a case, for its current review cycle. */
export interface ReviewRuleFacts {
  readonly stage: CaseStage;
  /** The current cycle's review outcome is recorded, whether or not the workflow has applied it yet. */
  readonly reviewRecorded: boolean;
  /** The referral window of the current decision or outcome has ended (the case stays open for its actions). */
  readonly referralWindowEnded: boolean;
  /** The agencies asked for information in the current cycle. */
  readonly askedAgencies: readonly Agency[];
}

/** Why an action may not be taken: `stage` and `closed-window` are conflicts (409), `forbidden` a 403. */
export type RuleVerdict =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly failure: 'stage' | 'closed-window' | 'review-recorded' | 'forbidden';
      readonly message: string;
    };

const ALLOWED: RuleVerdict = { allowed: true };

const ACTION_WORDS: Readonly<Record<ReviewRuleAction, string>> = {
  contact: 'naming the contact',
  involvement: 'changing how the victim takes part',
  'information-requests': 'asking the agencies for information',
  'review-meeting': 'arranging the review meeting',
  'action-plan-response': 'responding to the draft action plan',
  'action-plan': 'finalising the action plan',
  'action-progress': "updating an action's progress",
  'agency-responses': "recording an agency's response",
  referral: "asking the Police and Crime Commissioner's office to check the case",
  withdraw: 'withdrawing the application',
};

/**
 * The steps that end when the current cycle's review outcome is recorded, even before the workflow has
 * applied it and moved the stage on: the review they prepare has been held (contract: involvement
 * "until the review is recorded"). Each with the words of its refusal.
 */
const UNTIL_THE_REVIEW_IS_RECORDED: Readonly<Partial<Record<ReviewRuleAction, string>>> = {
  involvement: 'How the victim takes part can no longer change',
  'information-requests': 'The agencies can no longer be asked for information',
  'review-meeting': 'The review meeting can no longer be arranged or moved',
};

/** The contract's "when": whether `action` may be taken on a case as it stands now. */
export function whenMayTake(
  action: ReviewRuleAction,
  facts: Pick<ReviewRuleFacts, 'stage' | 'reviewRecorded' | 'referralWindowEnded'>,
): RuleVerdict {
  const stages: readonly CaseStage[] = REVIEW_ACTION_STAGES[action];
  if (!stages.includes(facts.stage)) {
    return {
      allowed: false,
      failure: 'stage',
      message: `${capitalised(ACTION_WORDS[action])} is not possible while the case is ${facts.stage}.`,
    };
  }
  const recordedWords = UNTIL_THE_REVIEW_IS_RECORDED[action];
  if (recordedWords !== undefined && facts.reviewRecorded) {
    return {
      allowed: false,
      failure: 'review-recorded',
      message: `${recordedWords}: the case review has been recorded.`,
    };
  }
  if (action === 'referral' && facts.referralWindowEnded) {
    return {
      allowed: false,
      failure: 'closed-window',
      message:
        "The time to ask the Police and Crime Commissioner's office to check the case has ended. The case stays open until its actions are finished.",
    };
  }
  return ALLOWED;
}

/** Who is acting: their role and, for an agency's representative, their agency. */
export interface RuleActor {
  /** An actor of the case (core/case-record.ts); `system` takes none of these actions. */
  readonly role: ActorRole;
  readonly agency?: string;
}

/** What an agency's action is about: the agency a response is for, or the owner of the action updated. */
export interface RuleTarget {
  /** `agency-responses`: the body's `agency`. */
  readonly respondingFor?: Agency;
  /** `action-progress`: the action's owner. */
  readonly actionOwner?: Agency;
}

const ROLE_NAMES: Readonly<Record<ReviewRole, string>> = {
  applicant: 'the applicant',
  officer: 'a CSP officer',
  agency: 'an agency representative',
  pcc: "the PCC's office",
};

function roleList(roles: readonly ReviewRole[]): string {
  const names = roles.map((role) => ROLE_NAMES[role]);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}

const forbidden = (message: string): RuleVerdict => ({ allowed: false, failure: 'forbidden', message });

/**
 * The contract's "who": whether `actor` may take `action` on a case they may see. An agency responds
 * only for its own agency and only once asked; it updates only the actions it owns.
 */
export function whoMayTake(
  action: ReviewRuleAction,
  actor: RuleActor,
  facts: Pick<ReviewRuleFacts, 'askedAgencies'>,
  target: RuleTarget = {},
): RuleVerdict {
  const roles = REVIEW_ACTION_ROLES[action];
  if (!(roles as readonly ActorRole[]).includes(actor.role))
    return forbidden(`Only ${roleList(roles)} can do this.`);
  if (actor.role !== 'agency') return ALLOWED;
  if (action === 'agency-responses') {
    if (target.respondingFor !== undefined && target.respondingFor !== actor.agency) {
      return forbidden('You can only give the response of your own agency.');
    }
    if (!facts.askedAgencies.some((agency) => agency === actor.agency)) {
      return forbidden('Your agency has not been asked for information about this case.');
    }
  }
  if (action === 'action-progress' && target.actionOwner !== actor.agency) {
    return forbidden('Only the agency responsible for this action, or a CSP officer, can update it.');
  }
  return ALLOWED;
}

/** Both rules: who first (a 403 says nothing of the case's stage), then when. */
export function mayTake(
  action: ReviewRuleAction,
  actor: RuleActor,
  facts: ReviewRuleFacts,
  target: RuleTarget = {},
): RuleVerdict {
  const who = whoMayTake(action, actor, facts, target);
  return who.allowed ? whenMayTake(action, facts) : who;
}

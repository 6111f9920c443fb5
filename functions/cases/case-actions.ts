// The actions of contract.md, "Actions", and the officer's final action plan ("The case review"):
// POST /api/cases/{reference}/<action>. Each is recorded in one conditional transaction (so concurrent
// duplicates have one effect), then handed to the case's waiting workflow, which moves the stage.
import { setTimeout as sleep } from 'node:timers/promises';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Caller } from '#cases/caller.ts';
import { authoriseCaseAction, type CaseAccessFacts, settleAccessCode } from '#cases/case-access.ts';
import type { CaseContext } from '#cases/context.ts';
import { parseInput, type RequestBody } from '#cases/parse-input.ts';
import { caseReference } from '#cases/view-case.ts';
import { goesToConsultation } from '#core/action-plan.ts';
import type { CaseRecord, DecisionBody } from '#core/case-record.ts';
import { askedAgencies } from '#core/case-review.ts';
import { whoMayTake } from '#core/case-review-rules.ts';
import { pccDecided } from '#core/case-review-state.ts';
import { ConflictError, InvalidInputError, NotAllowedError, NotFoundError } from '#core/errors.ts';
import { ukDateOf } from '#core/local-date.ts';
import type * as z from '#core/schemas/zod.ts';
import {
  actionPlanSchema,
  agencyResponseSchema,
  caseReviewOutcomeSchema,
  pccDecisionSchema,
  referralSchema,
  thresholdDecisionSchema,
  withdrawSchema,
} from '#core/schemas.ts';
import { type CaseAction, type CaseStage, nextStage, type ReviewStageEvent } from '#core/stages.ts';
import {
  type ActionResult,
  pendingActions,
  recordAction,
  recordAgencyResponse,
} from '#data/case-decisions.ts';
import { readReview } from '#data/case-review-records.ts';
import { getCase, getCaseForAccess } from '#data/case-store.ts';
import {
  type Delivery,
  deliverPendingAction,
  rearmReviewWait,
  stepFunctionsCallbacks,
} from '#data/case-tasks.ts';
import type { DataContext } from '#data/data-context.ts';

const REDELIVERY_PAUSES_MS = [200, 500, 1000];

const DOING: Readonly<Record<CaseAction, string>> = {
  'threshold-decision': 'record the threshold decision',
  'agency-responses': 'add an agency response',
  'review-outcome': 'record the review outcome',
  'action-plan': 'finalise the action plan',
  referral: "ask the PCC's office to check the case",
  'pcc-decision': "record the PCC's decision",
  withdraw: 'withdraw the application',
};

const DECISION: Readonly<Record<CaseAction, string>> = {
  'threshold-decision': 'threshold decision',
  'agency-responses': 'response from this agency',
  'review-outcome': 'review outcome',
  'action-plan': 'final action plan',
  referral: 'request for a PCC check',
  'pcc-decision': 'PCC decision',
  withdraw: 'withdrawal',
};

async function accessFacts(
  context: Pick<CaseContext, 'data' | 'clock'>,
  reference: string,
  caller: Caller,
): Promise<CaseAccessFacts & { readonly case: CaseRecord }> {
  const found = await getCaseForAccess(context.data, reference);
  if (found === undefined) throw new NotFoundError('There is no case with this reference.');
  return settleAccessCode(context, reference, caller, found);
}

/**
 * The 409s: the case is not where the action can happen, the applicant has withdrawn, or this step
 * already has another answer.
 */
function conflict(action: CaseAction, result: ActionResult): ConflictError {
  if (result.outcome === 'withdrawn') {
    return new ConflictError(
      `The applicant has withdrawn the application, so the case is closing and this ${DECISION[action]} was not recorded. The case's stage is ${result.stage}.`,
      result.stage,
    );
  }
  return result.outcome === 'different'
    ? new ConflictError(
        `A different ${DECISION[action]} has already been recorded for this case, so this one was not. The case's stage is ${result.stage}.`,
        result.stage,
      )
    : new ConflictError(
        `You cannot ${DOING[action]} while the case's stage is ${result.stage}.`,
        result.stage,
      );
}

/**
 * The stage a decision moves the case to, which the response shows before the workflow gets there. A
 * review outcome goes to the consultation when its plan is a draft, which the victim's involvement says;
 * a review that stands with an action of its plan open goes back to review-complete until it is done.
 */
async function stageAfter(
  data: DataContext,
  reference: string,
  decision: DecisionBody,
  stage: CaseStage,
  cycle: number,
): Promise<CaseStage> {
  const event: ReviewStageEvent =
    decision.kind === 'threshold-decision'
      ? { type: 'threshold-decision', met: decision.body.met }
      : decision.kind === 'pcc-decision'
        ? pccDecided((await readReview(data, reference)).state, cycle, decision.body.outcome)
        : decision.kind === 'review-outcome'
          ? {
              type: 'review-outcome',
              consultation: goesToConsultation(
                decision.body.recommendations,
                (await readReview(data, reference)).state.involvement,
              ),
            }
          : { type: decision.kind };
  return nextStage(stage, event).stage;
}

/** What an action did: `changed` is false for a repeat of what was already recorded. */
export interface ActionDone {
  readonly reference: string;
  readonly action: CaseAction;
  readonly changed: boolean;
  /** The stage the case is at, or moves to as the workflow takes the decision. */
  readonly stage: CaseStage;
}

type ActionContext = Pick<CaseContext, 'data' | 'clock' | 'workflow' | 'logger' | 'metrics'>;

/**
 * Hands the recorded decision to the waiting workflow. Between a wait's timeout and its next wait the
 * case has no open token; the next wait's RegisterTask delivers the decision itself, and a few later
 * tries here cover the moment in between as well.
 */
async function deliver(context: ActionContext, reference: string): Promise<Delivery> {
  const callbacks = stepFunctionsCallbacks(context.workflow.stepFunctions);
  let delivery = await deliverPendingAction(context.data, callbacks, reference);
  for (const pause of REDELIVERY_PAUSES_MS) {
    if (delivery !== 'left-to-workflow') break;
    await sleep(pause);
    delivery = await deliverPendingAction(context.data, callbacks, reference);
  }
  return delivery;
}

type DecisionAction = DecisionBody['kind'];

interface DecisionRule<S extends z.ZodMiniType> {
  /** The body's schema at `at` for the case as it stands (a review is not held before its cycle began). */
  schema(at: Date, kase: CaseRecord): S;
  decide(body: z.output<S>): DecisionBody;
}

const rule = <S extends z.ZodMiniType>(
  schema: (at: Date, kase: CaseRecord) => S,
  decide: (body: z.output<S>) => DecisionBody,
): DecisionRule<S> => ({ schema, decide });

const DECISIONS: Readonly<Record<DecisionAction, DecisionRule<z.ZodMiniType>>> = {
  'threshold-decision': rule(
    () => thresholdDecisionSchema,
    (body) => ({ kind: 'threshold-decision', body }),
  ),
  'review-outcome': rule(
    // The refer-back is checked where the outcome is written, against the case as it then stands
    // (core/decision-checks.ts): a refer-back can land between this read and that write.
    (at, kase) => caseReviewOutcomeSchema({ now: at, receivedAt: kase.receivedAt }),
    (body) => ({ kind: 'review-outcome', body }),
  ),
  'action-plan': rule(
    (at, kase) =>
      actionPlanSchema({ heldOn: kase.reviewOutcome?.heldOn ?? ukDateOf(kase.receivedAt), now: at }),
    (body) => ({ kind: 'action-plan', body }),
  ),
  referral: rule(
    () => referralSchema,
    (body) => ({ kind: 'referral', body }),
  ),
  'pcc-decision': rule(
    () => pccDecisionSchema,
    (body) => ({ kind: 'pcc-decision', body }),
  ),
  withdraw: rule(
    () => withdrawSchema,
    (body) => ({ kind: 'withdraw', body }),
  ),
};

async function recordDecision(
  context: ActionContext,
  action: DecisionAction,
  reference: string,
  body: unknown,
  actor: ReturnType<typeof authoriseCaseAction>,
  kase: CaseRecord,
): Promise<ActionDone> {
  const { data, clock, logger, metrics } = context;
  const at = clock();
  const { schema, decide } = DECISIONS[action];
  const decision = decide(parseInput(schema(at, kase), body));
  const result = await recordAction(data, reference, decision, actor, at);
  if (result.outcome === 'invalid') throw new InvalidInputError(result.issues);
  if (result.outcome === 'different' || result.outcome === 'wrong-stage' || result.outcome === 'withdrawn') {
    throw conflict(action, result);
  }
  // A repeat is delivered too: the first request may have stopped between recording and delivering.
  const delivery = await deliver(context, reference);
  if (delivery !== 'delivered') {
    logger.info('Decision left for the workflow to deliver', { reference, action, delivery });
  }
  const changed = result.outcome === 'recorded';
  if (changed) metrics.addMetric('DecisionsRecorded', MetricUnit.Count, 1);
  const stage = changed
    ? await stageAfter(data, reference, decision, result.stage, kase.cycle)
    : await stageOfRepeat(data, reference, decision, result.stage, kase.cycle);
  return { reference, action, changed, stage };
}

/**
 * A repeat answers as the first request did (contract.md: a repeat changes nothing): the stage the
 * decision moves the case to, not the one it is leaving while the workflow has yet to apply it. Still
 * pending now, it was pending when the case was read (`read` is the stage before it); applied by now,
 * the case as it stands now is past it.
 */
async function stageOfRepeat(
  data: DataContext,
  reference: string,
  decision: DecisionBody,
  read: CaseStage,
  cycle: number,
): Promise<CaseStage> {
  const pending = await pendingActions(data, reference);
  if (pending.some((action) => action.kind === decision.kind)) {
    return stageAfter(data, reference, decision, read, cycle);
  }
  return (await getCase(data, reference))?.stage ?? read;
}

/**
 * An agency's response: an agency gives only its own, and only once asked in this review cycle (an
 * officer records any agency's); a new body amends it until the review is recorded.
 */
async function recordResponse(
  context: ActionContext,
  reference: string,
  body: unknown,
  actor: ReturnType<typeof authoriseCaseAction>,
  kase: CaseRecord,
): Promise<ActionDone> {
  const response = parseInput(agencyResponseSchema, body);
  const { state } = await readReview(context.data, reference);
  const verdict = whoMayTake(
    'agency-responses',
    actor,
    { askedAgencies: askedAgencies(state.informationRequests, kase.cycle) },
    { respondingFor: response.agency },
  );
  if (!verdict.allowed) throw new NotAllowedError(verdict.message);
  const result = await recordAgencyResponse(context.data, reference, response, actor, context.clock());
  if (result.outcome === 'review-recorded') {
    throw new ConflictError(
      "The review's outcome has been recorded, so an agency's response can no longer be added or changed.",
      result.stage,
    );
  }
  if (result.outcome === 'different' || result.outcome === 'wrong-stage' || result.outcome === 'withdrawn') {
    throw conflict('agency-responses', result);
  }
  // The request answered is reminded no more: the wait for the review is armed again without it (a
  // repeat too, in case the first stopped before this).
  await rearmReviewWait(context.data, stepFunctionsCallbacks(context.workflow.stepFunctions), reference);
  return {
    reference,
    action: 'agency-responses',
    changed: result.outcome === 'recorded',
    stage: result.stage,
  };
}

/**
 * One of the actions of contract.md, "Actions" (or the final action plan), on the case `given` (its reference as typed), with
 * the body as sent: recorded in one conditional transaction (so concurrent duplicates have one effect),
 * then handed to the case's waiting workflow, which moves the stage.
 */
export async function act(
  context: ActionContext,
  given: string,
  action: CaseAction,
  readBody: RequestBody,
  caller: Caller,
): Promise<ActionDone> {
  const body = readBody();
  const reference = caseReference(given);
  const facts = await accessFacts(context, reference, caller);
  const actor = authoriseCaseAction(action, caller, facts);
  return action === 'agency-responses'
    ? recordResponse(context, reference, body, actor, facts.case)
    : recordDecision(context, action, reference, body, actor, facts.case);
}

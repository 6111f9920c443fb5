// What staff and applicants decide on a case (threshold decision, review outcome, referral request, PCC
// decision, withdrawal) and what agencies respond: each recorded once per step and review cycle, with
// its audit entry, conditional on the case's stage and cycle as read; and each applied, when the
// workflow's wait receives it, as the case's next state with its counts. Every write here may be
// repeated: a repeat is recognised and changes nothing.

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type AreaConfig, requireCsp } from '#core/area-config.ts';
import {
  type Actor,
  type AgencyResponseRecord,
  type CaseRecord,
  cycleOfAction,
  type DecisionBody,
  type DecisionKind,
  type DecisionStep,
  type RecordedAction,
  relationToRecorded,
  type TimelineEvent,
} from '#core/case-record.ts';
import { replyReceived } from '#core/case-review.ts';
import { reviewTimeline } from '#core/case-review-wording.ts';
import { applyRecordedAction, finishActions, type Transition } from '#core/case-transitions.ts';
import { reviewDateIssues, thresholdDecisionIssues } from '#core/decision-checks.ts';
import type { Agency, AgencyResponse, Issue } from '#core/schemas.ts';
import { type CaseStage, isActionAllowed, TransitionNotAllowedError } from '#core/stages.ts';
import { canonicalHash } from '#data/canonical-hash.ts';
import {
  ACTION_PREFIX,
  actionKey,
  caseKey,
  casePk,
  recordOf,
  responseKey,
  withdrawalKey,
} from '#data/case-items.ts';
import { readReview, reviewPut } from '#data/case-review-records.ts';
import { getCase, readCase, transitionItems } from '#data/case-store.ts';
import { auditPut, eventPut } from '#data/case-timeline.ts';
import type { DataContext } from '#data/data-context.ts';
import { CaseNotFoundError, WorkflowStateError } from '#data/errors.ts';
import { queryAll } from '#data/paginated-reads.ts';
import { caseKeptChanging, LOST_RACE, retryOnLostRace, transact } from '#data/transactions.ts';

/**
 * - `recorded`: stored, for the workflow to apply (deliver it: `deliverPendingAction`);
 * - `repeat`: the same body was already recorded (a harmless repeat: 200, nothing changes);
 * - `different`: another body was already recorded for this step (409);
 * - `wrong-stage`: the case is not at a stage where the action is possible (409);
 * - `withdrawn`: the applicant's withdrawal is recorded, so the case is closing (409): a decision taken
 *   after it would be answered as recorded and then never applied;
 * - `invalid`: the decision does not fit the case (`issues`, a 400), e.g. a review held before the
 *   application was received.
 * `stage` is the case's stage as read.
 */
export type ActionResult =
  | {
      readonly outcome: 'recorded' | 'repeat' | 'different' | 'wrong-stage' | 'withdrawn' | 'review-recorded';
      readonly stage: CaseStage;
    }
  | { readonly outcome: 'invalid'; readonly stage: CaseStage; readonly issues: readonly Issue[] };

/** What a decision must agree with in the case as it stands (core/decision-checks.ts). */
function decisionIssues(decision: DecisionBody, current: CaseRecord): Issue[] {
  switch (decision.kind) {
    case 'threshold-decision':
      return thresholdDecisionIssues(decision.body, current.thresholdAssessment);
    case 'review-outcome':
      return reviewDateIssues(decision.body.heldOn, {
        receivedAt: current.receivedAt,
        ...(current.pccDecision?.outcome === 'refer-back' && { referredBackAt: current.pccDecision.at }),
      });
    default:
      return [];
  }
}

/**
 * Records a decision (threshold decision, review outcome, referral request, PCC decision) or a
 * withdrawal, with its audit entry, in one transaction conditional on the case's stage and review
 * cycle. The workflow applies it when its wait receives it. A repeat of one that took effect, in this
 * review cycle or the one before a refer-back, records nothing (`relationToRecorded`). Throws
 * CaseNotFoundError.
 */
export async function recordAction(
  ctx: DataContext,
  reference: string,
  decision: DecisionBody,
  actor: Actor,
  now: Date,
): Promise<ActionResult> {
  const hash = canonicalHash(decision.body);
  return retryOnLostRace(async (): Promise<ActionResult | typeof LOST_RACE> => {
    const current = await getCase(ctx, reference);
    if (current === undefined) throw new CaseNotFoundError(reference);
    const cycle = cycleOfAction(decision.kind, current.cycle);
    const recorded = await recordedActions(ctx, reference);
    const relation = relationToRecorded(decision.kind, hash, current.cycle, recorded);
    if (relation !== 'new') return { outcome: relation, stage: current.stage };
    const isWithdrawal = decision.kind === 'withdraw';
    if (!isWithdrawal && recorded.some((each) => each.kind === 'withdraw')) {
      return { outcome: 'withdrawn', stage: current.stage };
    }
    if (!isActionAllowed(decision.kind, current.stage))
      return { outcome: 'wrong-stage', stage: current.stage };
    const issues = decisionIssues(decision, current);
    if (issues.length > 0) return { outcome: 'invalid', stage: current.stage, issues };
    const at = now.toISOString();
    const action: RecordedAction = { ...decision, cycle, bodyHash: hash, actor, recordedAt: at };
    const written = await transact(ctx, [
      stageCheck(ctx, reference, current),
      {
        Put: {
          TableName: ctx.tables.cases,
          Item: { ...actionKey(reference, decision.kind, cycle), ...action },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // A withdrawal recorded since the read wins: this one is read again and refused.
      ...(isWithdrawal ? [] : [notWithdrawn(ctx, reference)]),
      auditPut(ctx, reference, { at, actor, what: decision.kind }),
    ]);
    return written ? { outcome: 'recorded', stage: current.stage } : LOST_RACE;
  }, caseKeptChanging(reference));
}

/** Every action recorded on the case (or only those of `kind`), in every cycle, read strongly consistently. */
async function recordedActions(
  ctx: DataContext,
  reference: string,
  kind?: DecisionKind,
): Promise<RecordedAction[]> {
  const items = await queryAll(ctx, {
    TableName: ctx.tables.cases,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: {
      ':pk': casePk(reference),
      ':prefix': kind === undefined ? ACTION_PREFIX : `${ACTION_PREFIX}${kind}#`,
    },
    ConsistentRead: true,
  });
  return items.map((item) => recordOf<RecordedAction>(item));
}

/** Recorded actions the workflow has not applied yet. */
export async function pendingActions(ctx: DataContext, reference: string): Promise<RecordedAction[]> {
  return (await recordedActions(ctx, reference)).filter((action) => action.appliedAt === undefined);
}

/** No withdrawal is recorded on the case. */
function notWithdrawn(ctx: DataContext, reference: string) {
  return {
    ConditionCheck: {
      TableName: ctx.tables.cases,
      Key: withdrawalKey(reference),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The case is still at the stage and cycle read: if it moved on in between, the write is refused and retried. */
function stageCheck(ctx: DataContext, reference: string, current: CaseRecord) {
  return {
    ConditionCheck: {
      TableName: ctx.tables.cases,
      Key: caseKey(reference),
      ConditionExpression: '#stage = :stage AND #cycle = :cycle',
      ExpressionAttributeNames: { '#stage': 'stage', '#cycle': 'cycle' },
      ExpressionAttributeValues: { ':stage': current.stage, ':cycle': current.cycle },
    },
  };
}

/**
 * The case item as a response leaves it: the agency's reply no longer awaited (its worklist no longer
 * flags the request), conditional on the stage, cycle and version read; the version moves on even for an
 * amendment, so that a request to the agencies written from a read before the response is decided again.
 */
function responseCaseWrite(ctx: DataContext, current: CaseRecord, agency: Agency) {
  const awaited = replyReceived(current.repliesAwaited, agency, current.cycle);
  return {
    Update: {
      TableName: ctx.tables.cases,
      Key: caseKey(current.reference),
      ConditionExpression: '#stage = :stage AND #cycle = :cycle AND #version = :version',
      UpdateExpression: `SET #version = :next${awaited === current.repliesAwaited ? '' : ', #awaited = :awaited'}`,
      ExpressionAttributeNames: {
        '#stage': 'stage',
        '#cycle': 'cycle',
        '#version': 'version',
        ...(awaited !== current.repliesAwaited && { '#awaited': 'repliesAwaited' }),
      },
      ExpressionAttributeValues: {
        ':stage': current.stage,
        ':cycle': current.cycle,
        ':version': current.version,
        ':next': current.version + 1,
        ...(awaited !== current.repliesAwaited && { ':awaited': awaited }),
      },
    },
  };
}

/**
 * Records what an agency knew and did, while the case awaits its review: one response per agency per
 * review cycle, which a new body amends (`recorded` again, on the timeline and audited, conditional on
 * the response read); the same body again is a `repeat`; once this cycle's review outcome is recorded
 * (applied or not), `review-recorded` and nothing changes. Shown to staff only.
 */
export async function recordAgencyResponse(
  ctx: DataContext,
  reference: string,
  response: AgencyResponse,
  actor: Actor,
  now: Date,
): Promise<ActionResult> {
  const hash = canonicalHash(response);
  return retryOnLostRace(async (): Promise<ActionResult | typeof LOST_RACE> => {
    const current = await getCase(ctx, reference);
    if (current === undefined) throw new CaseNotFoundError(reference);
    const key = responseKey(reference, response.agency, current.cycle);
    const { Item: existing } = await ctx.db.send(
      new GetCommand({ TableName: ctx.tables.cases, Key: key, ConsistentRead: true }),
    );
    if (existing?.bodyHash === hash) return { outcome: 'repeat', stage: current.stage };
    if (!isActionAllowed('agency-responses', current.stage)) {
      return { outcome: 'wrong-stage', stage: current.stage };
    }
    // A response may be amended until the review is recorded, not only until the workflow applies it;
    // none is taken once the applicant's withdrawal is recorded.
    const outcomeKey = actionKey(reference, 'review-outcome', current.cycle);
    const read = (Key: Record<string, string>) =>
      ctx.db.send(new GetCommand({ TableName: ctx.tables.cases, Key, ConsistentRead: true }));
    const [{ Item: outcome }, { Item: withdrawal }] = await Promise.all([
      read(outcomeKey),
      read(withdrawalKey(reference)),
    ]);
    if (withdrawal !== undefined) return { outcome: 'withdrawn', stage: current.stage };
    if (outcome !== undefined) return { outcome: 'review-recorded', stage: current.stage };
    const at = now.toISOString();
    const record: AgencyResponseRecord = { ...response, at, cycle: current.cycle, by: actor };
    const amended = existing !== undefined;
    const told = reviewTimeline({ step: 'agency-response', agency: response.agency, amended });
    const event: TimelineEvent = { at, ...told, actor };
    const amendments = amended ? Number(existing.amendments ?? 0) + 1 : 0;
    const written = await transact(ctx, [
      responseCaseWrite(ctx, current, response.agency),
      {
        Put: {
          TableName: ctx.tables.cases,
          Item: { ...key, ...record, bodyHash: hash, amendments },
          ...(amended
            ? {
                ConditionExpression: 'bodyHash = :read',
                ExpressionAttributeValues: { ':read': existing.bodyHash },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      eventPut(
        ctx,
        reference,
        event,
        `response-${response.agency}-${current.cycle}${amended ? `-${amendments}` : ''}`,
      ),
      auditPut(ctx, reference, { at, actor, what: 'agency-responses' }),
      // An outcome recorded meanwhile (it leaves the case item as it was) is a lost race: decide again.
      {
        ConditionCheck: {
          TableName: ctx.tables.cases,
          Key: outcomeKey,
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      notWithdrawn(ctx, reference),
    ]);
    return written ? { outcome: 'recorded', stage: current.stage } : LOST_RACE;
  }, caseKeptChanging(reference));
}

export interface AppliedStep {
  /** The case after the step. */
  readonly case: CaseRecord;
  readonly action: RecordedAction;
  /** True when an earlier run of the step had already applied it: nothing was written now. */
  readonly alreadyApplied: boolean;
}

/** The action of `kind` with the highest cycle, read strongly consistently. */
async function latestAction(
  ctx: DataContext,
  reference: string,
  kind: DecisionStep,
): Promise<RecordedAction | undefined> {
  const actions = await recordedActions(ctx, reference, kind);
  return actions.sort((a, b) => b.cycle - a.cycle)[0];
}

export function markApplied(ctx: DataContext, reference: string, action: RecordedAction, at: string) {
  return {
    Update: {
      TableName: ctx.tables.cases,
      Key: actionKey(reference, action.kind, action.cycle),
      UpdateExpression: 'SET appliedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(appliedAt)',
      ExpressionAttributeValues: { ':at': at },
    },
  };
}

/**
 * Applies the decision recorded for `step` (the wait for it has just received it): the case's new
 * stage, facts, deadlines and timeline event, the counters it moves, and the action marked applied,
 * in one transaction. Run again, it reports `alreadyApplied` and writes nothing.
 */
export async function applyDecision(
  ctx: DataContext,
  area: AreaConfig,
  reference: string,
  step: DecisionStep,
  now: Date,
): Promise<AppliedStep> {
  return retryOnLostRace(async (): Promise<AppliedStep | typeof LOST_RACE> => {
    const [{ record, internals }, action, review] = await Promise.all([
      readCase(ctx, reference),
      latestAction(ctx, reference, step),
      readReview(ctx, reference),
    ]);
    if (action === undefined) throw new WorkflowStateError(reference, `no ${step} has been recorded`);
    if (action.appliedAt !== undefined) return { case: record, action, alreadyApplied: true };
    if (action.cycle !== cycleOfAction(step, record.cycle)) {
      throw new WorkflowStateError(reference, `the ${step} recorded is for review cycle ${action.cycle}`);
    }
    let transition: Transition;
    try {
      const csp = requireCsp(area, record.csp);
      transition = applyRecordedAction(record, action, csp, area.reportingYear, now, review.state);
    } catch (error) {
      // The case and the action are read apart: a racing run may have applied the action between the
      // two reads, moving the case on. Read both again; the action then says it was applied.
      if (error instanceof TransitionNotAllowedError) {
        const again = await latestAction(ctx, reference, step);
        if (again?.appliedAt !== undefined) return LOST_RACE;
      }
      throw error;
    }
    const written = await transact(ctx, [
      ...transitionItems(ctx, area, { ...transition, before: record, internals }),
      ...(transition.review === undefined
        ? []
        : [reviewPut(ctx, reference, transition.review, review.version)]),
      markApplied(ctx, reference, action, transition.event.at),
    ]);
    return written ? { case: transition.after, action, alreadyApplied: false } : LOST_RACE;
  }, caseKeptChanging(reference));
}

/**
 * The wait for the plan's actions has received word that the last open one finished: the case closes
 * (for the reason it waited), in one transaction with its timeline event. `closed` is false when an action
 * is open again (a note reopened it meanwhile): the case goes on waiting. Run again after it closed, it
 * writes nothing.
 */
export async function finishPlan(
  ctx: DataContext,
  area: AreaConfig,
  reference: string,
  now: Date,
): Promise<{ readonly case: CaseRecord; readonly closed: boolean }> {
  return retryOnLostRace(async () => {
    const [{ record, internals }, review] = await Promise.all([
      readCase(ctx, reference),
      readReview(ctx, reference),
    ]);
    if (record.stage === 'closed') return { case: record, closed: true };
    const csp = requireCsp(area, record.csp);
    const transition = finishActions(record, review.state, csp, area.reportingYear, now);
    if (transition === null) return { case: record, closed: false };
    const written = await transact(
      ctx,
      transitionItems(ctx, area, { ...transition, before: record, internals }),
    );
    return written ? { case: transition.after, closed: true } : LOST_RACE;
  }, caseKeptChanging(reference));
}

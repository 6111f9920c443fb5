// Closing a case, and its retention: the closing state with its counts, in one conditional transaction,
// then the retention time (`expiresAt`, the table's TTL attribute) on every item of the case.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AreaConfig, requireCsp } from '#core/area-config.ts';
import type { CaseRecord } from '#core/case-record.ts';
import {
  applyRecordedAction,
  endReferralWindow,
  retentionEnd,
  type Transition,
} from '#core/case-transitions.ts';
import { markApplied, pendingActions } from '#data/case-decisions.ts';
import { casePk } from '#data/case-items.ts';
import { readReview } from '#data/case-review-records.ts';
import { readCase, transitionItems } from '#data/case-store.ts';
import type { DataContext } from '#data/data-context.ts';
import { WorkflowStateError } from '#data/errors.ts';
import { queryAll } from '#data/paginated-reads.ts';
import { caseKeptChanging, LOST_RACE, retryOnLostRace, transact, writeIf } from '#data/transactions.ts';

/**
 * Why the workflow closes a case: its referral window ended, it was withdrawn, or a decision already
 * closed it (the PCC's "review stands") and only retention is left to do.
 */
export type ClosingStep = 'referral-window-ended' | 'withdrawn' | 'decided';

/**
 * Closes the case (unless a decision already did) and sets the retention time on every item of the
 * case. A withdrawal recorded before the referral window ended wins over the window's end. When the
 * window ends with an action of the plan open, or the case already waits for its actions, the case stays
 * open (review-complete) and nothing expires. `retentionYears` counts from the closure.
 */
export async function closeCase(
  ctx: DataContext,
  area: AreaConfig,
  reference: string,
  closing: ClosingStep,
  options: { readonly now: Date; readonly retentionYears: number },
): Promise<CaseRecord> {
  const closed = await retryOnLostRace(async (): Promise<CaseRecord | typeof LOST_RACE> => {
    const { record, internals } = await readCase(ctx, reference);
    if (record.stage === 'closed') return record;
    // A case waiting for its actions stays open: a retry after the window's end left it so, or the PCC's
    // office let the review stand with an action open, which an execution of the previous release's
    // definition takes for a closure (it has no wait for the actions).
    if (closing !== 'withdrawn' && record.milestones.actionsAwaitedAt !== undefined) return record;
    const csp = requireCsp(area, record.csp);
    const withdrawal = (await pendingActions(ctx, reference)).find((action) => action.kind === 'withdraw');
    let transition: Transition;
    if (withdrawal !== undefined) {
      transition = applyRecordedAction(record, withdrawal, csp, area.reportingYear, options.now);
    } else if (closing === 'referral-window-ended') {
      const review = await readReview(ctx, reference);
      transition = endReferralWindow(record, csp, area.reportingYear, options.now, review.state);
      if (transition.after.stage !== 'closed') {
        const written = await transact(
          ctx,
          transitionItems(ctx, area, { ...transition, before: record, internals }),
        );
        return written ? transition.after : LOST_RACE;
      }
    } else {
      throw new WorkflowStateError(reference, `cannot close a ${record.stage} case for "${closing}"`);
    }
    const after = {
      ...transition.after,
      expiresAt: retentionEnd(transition.event.at, options.retentionYears),
    };
    const written = await transact(ctx, [
      ...transitionItems(ctx, area, { after, event: transition.event, before: record, internals }),
      ...(withdrawal === undefined ? [] : [markApplied(ctx, reference, withdrawal, transition.event.at)]),
    ]);
    return written ? after : LOST_RACE;
  }, caseKeptChanging(reference));
  if (closed.stage !== 'closed') return closed;
  const expiresAt =
    closed.expiresAt ?? retentionEnd(closed.closure?.at ?? options.now.toISOString(), options.retentionYears);
  await expireItems(ctx, reference, expiresAt);
  return { ...closed, expiresAt };
}

/**
 * Sets `expiresAt` on every item of the case that lacks it; safe to run again. The case item holds
 * `expiresAt` as NULL until then (a case the PCC's decision closed is closed by ApplyDecision, which
 * sets no retention): NULL counts as lacking it.
 */
async function expireItems(ctx: DataContext, reference: string, expiresAt: number): Promise<void> {
  const keys = await queryAll(ctx, {
    TableName: ctx.tables.cases,
    KeyConditionExpression: 'pk = :pk',
    FilterExpression: 'attribute_not_exists(expiresAt) OR attribute_type(expiresAt, :null)',
    ProjectionExpression: 'pk, sk',
    ExpressionAttributeValues: { ':pk': casePk(reference), ':null': 'NULL' },
    ConsistentRead: true,
  });
  for (let start = 0; start < keys.length; start += 10) {
    await Promise.all(
      keys.slice(start, start + 10).map((key) =>
        writeIf(
          ctx.db.send(
            new UpdateCommand({
              TableName: ctx.tables.cases,
              Key: { pk: key.pk, sk: key.sk },
              UpdateExpression: 'SET expiresAt = :expiresAt',
              // Never recreate an item that went meanwhile, nor move a retention date already set.
              ConditionExpression:
                'attribute_exists(pk) AND (attribute_not_exists(expiresAt) OR attribute_type(expiresAt, :null))',
              ExpressionAttributeValues: { ':expiresAt': expiresAt, ':null': 'NULL' },
            }),
          ),
        ),
      ),
    );
  }
}

// The case review's records of a case (core/case-review-state.ts: the contact named, the victim's
// involvement, ...) in one REVIEW item beside the case item, since they hold personal data. Until the
// first step writes it, the state is the application's: the involvement the victim chose in it.
// Each change is one transaction checked against the case's stage and cycle and the item's version, with
// its timeline event and audit entry, so concurrent changes each see the other's and none is lost.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { sharedWithAlso } from '#core/action-plan.ts';
import type { ApplicantRecord, AuditEntry, CaseRecord, TimelineEvent } from '#core/case-record.ts';
import { awaitedReplies } from '#core/case-review.ts';
import { type CaseReviewState, reviewStateOf } from '#core/case-review-state.ts';
import { withActionsDue } from '#core/case-transitions.ts';
import type { Agency } from '#core/schemas.ts';
import {
  actionKey,
  applicantKey,
  caseKey,
  casePk,
  caseRecordOf,
  indexAttributes,
  RESPONSE_PREFIX,
  recordOf,
  reviewKey,
  withdrawalKey,
} from '#data/case-items.ts';
import { auditPut, eventPut } from '#data/case-timeline.ts';
import type { DataContext } from '#data/data-context.ts';
import { CaseNotFoundError } from '#data/errors.ts';
import { queryAll } from '#data/paginated-reads.ts';
import { caseKeptChanging, LOST_RACE, retryOnLostRace, transact } from '#data/transactions.ts';

/** The records and the version of their item: 0 while none is stored. */
export interface StoredReview {
  readonly state: CaseReviewState;
  readonly version: number;
}

/** The review state of a stored REVIEW item, or the application's before there is one. */
export function storedReviewOf(
  reviewItem: Record<string, unknown> | undefined,
  applicant: Pick<ApplicantRecord, 'involvement'> | undefined,
): StoredReview {
  if (reviewItem === undefined) return { state: reviewStateOf(applicant?.involvement), version: 0 };
  const { version, ...state } = recordOf<CaseReviewState & { version: number }>(reviewItem);
  return { state, version };
}

async function getItem(ctx: DataContext, key: Record<string, unknown>) {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: key, ConsistentRead: true }),
  );
  return Item;
}

/** A case's review records, strongly consistent. */
export async function readReview(ctx: DataContext, reference: string): Promise<StoredReview> {
  const reviewItem = await getItem(ctx, reviewKey(reference));
  const applicant = reviewItem === undefined ? await getItem(ctx, applicantKey(reference)) : undefined;
  return storedReviewOf(
    reviewItem,
    applicant === undefined ? undefined : recordOf<ApplicantRecord>(applicant),
  );
}

/** Writes `state` as the records' next version, conditional on `storedVersion` being the one read. */
export function reviewPut(
  ctx: DataContext,
  reference: string,
  state: CaseReviewState,
  storedVersion: number,
) {
  return {
    Put: {
      TableName: ctx.tables.cases,
      Item: { ...reviewKey(reference), ...state, version: storedVersion + 1 },
      ...(storedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': storedVersion },
          }),
    },
  };
}

/** What a step does to the records: nothing (a repeat), or the new state with what it tells. */
export type ReviewChange =
  | { readonly changed: false }
  | {
      readonly changed: true;
      readonly state: CaseReviewState;
      readonly event: TimelineEvent;
      readonly audit: AuditEntry;
      /** Agencies the case is now also shared with (an information request names them). */
      readonly shareWith?: readonly Agency[];
      /** The meeting's time, arranged or moved (the case item keeps it for the worklists). */
      readonly meetingAt?: string;
      /** Each asked agency's date to reply by, this cycle (the case item keeps them for the worklists). */
      readonly repliesDue?: CaseRecord['repliesDue'];
    };

/**
 * The case item as the change leaves it: only checked to be at the stage, cycle and version read, or
 * updated (the version moves on, so a step of the workflow that read the case before writes nothing over
 * it) when the change shares the case with more agencies, moves the meeting, asks agencies (their dates,
 * and `repliesAwaited`: those not answered yet), or moves the next action due of a case waiting for its
 * plan's actions (its worklist deadline, and each owner's). The wait's task token stays.
 */
function caseWrite(
  ctx: DataContext,
  record: CaseRecord,
  change: Pick<Extract<ReviewChange, { changed: true }>, 'shareWith' | 'meetingAt' | 'repliesDue' | 'state'>,
  repliesAwaited: CaseRecord['repliesAwaited'] | undefined,
) {
  const sharedWith = sharedWithAlso(record.sharedWith, change.shareWith ?? []);
  const due = withActionsDue(record, change.state);
  const condition = {
    Key: caseKey(record.reference),
    ConditionExpression: '#stage = :stage AND #cycle = :cycle AND #version = :version',
  };
  const names = { '#stage': 'stage', '#cycle': 'cycle', '#version': 'version' };
  const values = { ':stage': record.stage, ':cycle': record.cycle, ':version': record.version };
  const set: Record<string, unknown> = {
    ...(sharedWith.length !== record.sharedWith.length && { sharedWith }),
    ...(change.meetingAt !== undefined &&
      change.meetingAt !== record.meetingAt && { meetingAt: change.meetingAt }),
    ...(change.repliesDue !== undefined && { repliesDue: change.repliesDue }),
    ...(repliesAwaited !== undefined && { repliesAwaited }),
    ...(due !== null && {
      milestones: due.milestones,
      deadlines: due.deadlines,
      nextDeadline: due.nextDeadline,
      deadlineKey: indexAttributes(due).deadlineKey,
      actionsDueBy: due.actionsDueBy,
    }),
  };
  const fields = Object.keys(set);
  if (fields.length === 0) {
    return {
      ConditionCheck: {
        TableName: ctx.tables.cases,
        ...condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }
  return {
    Update: {
      TableName: ctx.tables.cases,
      ...condition,
      UpdateExpression: `SET ${fields.map((field) => `#${field} = :${field}`).join(', ')}, #version = :next`,
      ExpressionAttributeNames: {
        ...names,
        ...Object.fromEntries(fields.map((field) => [`#${field}`, field])),
      },
      ExpressionAttributeValues: {
        ...values,
        ...Object.fromEntries(fields.map((field) => [`:${field}`, set[field]])),
        ':next': record.version + 1,
      },
    },
  };
}

/** What a review step is decided on: the case, its review records, and whether this cycle's outcome is recorded. */
export interface ReviewCurrent {
  readonly case: CaseRecord;
  readonly review: CaseReviewState;
  /** The current cycle's review outcome is recorded, whether or not the workflow has applied it yet. */
  readonly outcomeRecorded: boolean;
  /** The applicant's withdrawal is recorded, whether or not the workflow has closed the case yet. */
  readonly withdrawn: boolean;
}

/**
 * Reads the case and its review records, lets `decide` change them (it throws a domain error where the
 * step may not be taken now), and writes the change in one transaction conditional on the case's stage
 * and cycle and on the records' version; a lost race reads and decides again.
 */
export async function changeReview(
  ctx: DataContext,
  reference: string,
  decide: (current: ReviewCurrent) => ReviewChange,
): Promise<{ readonly case: CaseRecord; readonly changed: boolean }> {
  return retryOnLostRace(async () => {
    const caseItem = await getItem(ctx, caseKey(reference));
    if (caseItem === undefined) throw new CaseNotFoundError(reference);
    const record = caseRecordOf(caseItem);
    const stored = await readReview(ctx, reference);
    const outcome = actionKey(reference, 'review-outcome', record.cycle);
    const withdrawal = withdrawalKey(reference);
    const [outcomeItem, withdrawalItem] = await Promise.all([
      getItem(ctx, outcome),
      getItem(ctx, withdrawal),
    ]);
    const outcomeRecorded = outcomeItem !== undefined;
    const withdrawn = withdrawalItem !== undefined;
    const change = decide({ case: record, review: stored.state, outcomeRecorded, withdrawn });
    if (!change.changed) return { case: record, changed: false };
    // Read after the case item: a response recorded since moved its version, so this write is refused.
    const awaited =
      change.repliesDue === undefined
        ? undefined
        : awaitedReplies(
            change.state.informationRequests,
            await respondedAgencies(ctx, reference, record.cycle),
            record.cycle,
          );
    const version = stored.version + 1;
    const written = await transact(ctx, [
      caseWrite(ctx, record, change, awaited),
      reviewPut(ctx, reference, change.state, stored.version),
      eventPut(ctx, reference, change.event, `review-v${version}`),
      auditPut(ctx, reference, change.audit),
      // An outcome or a withdrawal recorded meanwhile (each leaves the case item as it was) is a lost
      // race: decide again.
      ...(outcomeRecorded ? [] : [absent(ctx, outcome)]),
      ...(withdrawn ? [] : [absent(ctx, withdrawal)]),
    ]);
    return written ? { case: record, changed: true } : LOST_RACE;
  }, caseKeptChanging(reference));
}

function absent(ctx: DataContext, key: Record<string, string>) {
  return {
    ConditionCheck: {
      TableName: ctx.tables.cases,
      Key: key,
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The agencies that have responded in review cycle `cycle` (an officer may have recorded one's response). */
export async function respondedAgencies(
  ctx: DataContext,
  reference: string,
  cycle: number,
): Promise<Agency[]> {
  const items = await queryAll(ctx, {
    TableName: ctx.tables.cases,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': casePk(reference), ':prefix': RESPONSE_PREFIX },
    ProjectionExpression: 'agency, #cycle',
    ExpressionAttributeNames: { '#cycle': 'cycle' },
    ConsistentRead: true,
  });
  return items.filter((item) => item.cycle === cycle).map((item) => item.agency as Agency);
}

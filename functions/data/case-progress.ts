// What the workflow writes as a case moves: the threshold assessment, the registration of each wait's
// task token, each decision applied (with its counts), reminders, and closure with retention.
//
// Every step may run more than once (a retried Lambda, a replayed callback), so every write here is
// conditional on the case item's `version` as read and on the step not having happened yet; a step
// that already happened is reported as such and changes nothing. A move into a counted state writes
// the case and its counters in ONE transaction, conditional on the case not being counted yet in
// those columns, so no count is ever made twice.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AreaConfig, requireCsp } from '#core/area-config.ts';
import { formatUkDate } from '#core/calendar-months.ts';
import {
  type CaseRecord,
  cycleOfAction,
  type RecordedAction,
  type StoredAssessment,
  type TimelineEvent,
  type WaitStep,
} from '#core/case-record.ts';
import {
  applyRecordedAction,
  caseFactsOf,
  clockOf,
  endReferralWindow,
  retentionEnd,
  type Transition,
  waitingStage,
} from '#core/case-transitions.ts';
import { countChanges } from '#core/counting.ts';
import { nextDeadline } from '#core/deadlines.ts';
import { ukDateOf } from '#core/local-date.ts';
import { TransitionNotAllowedError } from '#core/stages.ts';
import type { ThresholdAssessment } from '#core/threshold.ts';
import { canonicalHash } from '#data/canonical-hash.ts';
import {
  ACTION_PREFIX,
  type CaseInternals,
  caseInternalsOf,
  caseItem,
  caseKey,
  casePk,
  caseRecordOf,
  eventKey,
  indexAttributes,
  recordOf,
} from '#data/case-records.ts';
import { pendingActions } from '#data/case-repository.ts';
import type { DataContext } from '#data/clients.ts';
import { CaseNotFoundError, WorkflowStateError } from '#data/errors.ts';
import { queryAll } from '#data/paginated-reads.ts';
import { counterKey } from '#data/statistics-keys.ts';
import {
  caseKeptChanging,
  isConditionalCheckFailure,
  LOST_RACE,
  retryOnLostRace,
  type TransactItem,
  transact,
} from '#data/transactions.ts';

/** The case item and what it keeps besides the record, strongly consistent. */
async function readCase(
  ctx: DataContext,
  reference: string,
): Promise<{ record: CaseRecord; internals: CaseInternals }> {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: caseKey(reference), ConsistentRead: true }),
  );
  if (Item === undefined) throw new CaseNotFoundError(reference);
  return { record: caseRecordOf(Item), internals: caseInternalsOf(Item) };
}

function eventPut(ctx: DataContext, reference: string, event: TimelineEvent, discriminator: string) {
  return {
    Put: { TableName: ctx.tables.cases, Item: { ...eventKey(reference, event.at, discriminator), ...event } },
  };
}

/**
 * The transaction items that replace the case item by `after` (conditional on the version read and on
 * the counted columns being as `before` has them) and move the counters by the difference.
 */
function transitionItems(
  ctx: DataContext,
  area: AreaConfig,
  transition: Transition & { readonly before: CaseRecord; readonly internals: CaseInternals },
) {
  const { before, after, internals } = transition;
  const at = transition.event.at;
  const changes = countChanges(caseFactsOf(before), caseFactsOf(after), area.reportingYear);
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = { ':version': before.version };
  const conditions = ['#version = :version'];
  changes.forEach((change, index) => {
    names['#counted'] = 'counted';
    values[`:column${index}`] = change.column;
    conditions.push(
      change.delta > 0 ? `NOT contains(#counted, :column${index})` : `contains(#counted, :column${index})`,
    );
  });
  const caseWrite = {
    Put: {
      TableName: ctx.tables.cases,
      // The token belonged to the wait that has just ended; when that wait began is kept (see registerTask).
      Item: caseItem(after, {
        accessCodeHash: internals.accessCodeHash,
        ...(internals.taskEnteredAt !== undefined && { taskEnteredAt: internals.taskEnteredAt }),
      }),
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
  const rows = new Map<string, typeof changes>();
  for (const change of changes) {
    const id = JSON.stringify([change.csp, change.year]);
    rows.set(id, [...(rows.get(id) ?? []), change]);
  }
  const counterWrites = [...rows.values()].map((rowChanges) => {
    const [first] = rowChanges;
    const rowNames: Record<string, string> = { '#changedAt': 'changedAt' };
    const rowValues: Record<string, unknown> = { ':now': at };
    const additions = rowChanges.map((change, index) => {
      rowNames[`#c${index}`] = change.column;
      rowValues[`:d${index}`] = change.delta;
      return `#c${index} :d${index}`;
    });
    return {
      Update: {
        TableName: ctx.tables.statistics,
        Key: counterKey(
          area.id,
          first?.year ?? before.reportingYear,
          first?.csp ?? before.csp,
          before.reference,
        ),
        UpdateExpression: `ADD ${additions.join(', ')} SET #changedAt = :now`,
        ExpressionAttributeNames: rowNames,
        ExpressionAttributeValues: rowValues,
      },
    };
  });
  return [
    caseWrite,
    ...counterWrites,
    eventPut(ctx, before.reference, transition.event, `v${after.version}`),
  ];
}

// ---- Threshold assessment -----------------------------------------------------------------------

/** An assessment to store, and the conditions it rests on (e.g. its link group being unchanged). */
export interface AssessmentToStore {
  readonly assessment: ThresholdAssessment & { readonly linkedReferences: readonly string[] };
  readonly conditions: readonly TransactItem[];
}

export interface StoredAssessmentResult {
  readonly case: CaseRecord;
  /** False when the case kept the assessment it had (the same one, or none asked for). */
  readonly changed: boolean;
}

/**
 * Stores the threshold assessment `assess` makes of the case as read, with a timeline event: the first
 * one, and a new one whenever it differs from the one stored (the case's links changed). `assess`
 * returns undefined to keep what is stored. The write is conditional on the case's version and on
 * `conditions`, and is made again from a fresh read when either changed; the same assessment again
 * writes nothing, so every run may repeat. The case stays `received` until its threshold-decision wait
 * is registered.
 */
export async function recordAssessment(
  ctx: DataContext,
  reference: string,
  now: Date,
  assess: (record: CaseRecord) => Promise<AssessmentToStore | undefined>,
): Promise<StoredAssessmentResult> {
  return retryOnLostRace(async (): Promise<StoredAssessmentResult | typeof LOST_RACE> => {
    const { record, internals } = await readCase(ctx, reference);
    const made = await assess(record);
    if (made === undefined) return { case: record, changed: false };
    const { assessment } = made;
    const stored = record.thresholdAssessment;
    if (stored !== null && sameAssessment(stored, assessment)) return { case: record, changed: false };
    const at = now.toISOString();
    const after: CaseRecord = {
      ...record,
      thresholdAssessment: { ...assessment, assessedAt: at },
      version: record.version + 1,
    };
    const written = await transact(ctx, [
      {
        Put: {
          TableName: ctx.tables.cases,
          Item: caseItem(after, internals),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': record.version },
        },
      },
      ...made.conditions,
      eventPut(ctx, reference, assessedEvent(at, assessment, stored === null), `v${after.version}`),
    ]);
    return written ? { case: after, changed: true } : LOST_RACE;
  }, caseKeptChanging(reference));
}

function sameAssessment(stored: StoredAssessment, assessment: AssessmentToStore['assessment']): boolean {
  const { assessedAt: _assessedAt, ...kept } = stored;
  return canonicalHash(kept) === canonicalHash(assessment);
}

function assessedEvent(at: string, assessment: ThresholdAssessment, first: boolean): TimelineEvent {
  const result = assessment.met
    ? `it appears to be met (route ${assessment.route}). An officer will decide.`
    : 'it does not appear to be met. An officer will decide.';
  return first
    ? {
        at,
        type: 'threshold-assessed',
        summary: `The application was checked against the threshold for a case review: ${result}`,
        actor: { role: 'system' },
        audience: 'all',
      }
    : {
        at,
        type: 'threshold-reassessed',
        summary:
          'The application was checked against the threshold again, because the applications linked to ' +
          `it as being about the same behaviour changed: ${result}`,
        actor: { role: 'system' },
        audience: 'all',
      };
}

// ---- Waits --------------------------------------------------------------------------------------

/**
 * Registers the task token of the wait for `step`, which began at `enteredAt` (the state's
 * EnteredTime): in one update, the stage of the wait, the token, `waitingFor` and the worklist
 * deadline. The decision may already be recorded: deliver it next (`deliverPendingAction` with this
 * token). Undefined when a later wait has registered already: this one ended (its RegisterTask ran
 * late, after a timeout) and its token must not replace the live one.
 */
export async function registerTask(
  ctx: DataContext,
  reference: string,
  step: WaitStep,
  token: string,
  enteredAt: string,
): Promise<CaseRecord | undefined> {
  const entered = Date.parse(enteredAt);
  if (Number.isNaN(entered)) throw new WorkflowStateError(reference, 'the wait has no valid start time');
  return retryOnLostRace(async (): Promise<CaseRecord | undefined | typeof LOST_RACE> => {
    const { record, internals } = await readCase(ctx, reference);
    if (internals.taskEnteredAt !== undefined && internals.taskEnteredAt > entered) return undefined;
    const stage = waitingStage(record.stage, step);
    const after: CaseRecord = {
      ...record,
      stage,
      waitingFor: step,
      nextDeadline: nextDeadline(stage, record.deadlines)?.due ?? null,
      version: record.version + 1,
    };
    const index = indexAttributes(after);
    try {
      await ctx.db.send(
        new UpdateCommand({
          TableName: ctx.tables.cases,
          Key: caseKey(reference),
          UpdateExpression:
            'SET #stage = :stage, waitingFor = :step, taskToken = :token, taskEnteredAt = :entered, ' +
            'nextDeadline = :next, cspStage = :cspStage, deadlineKey = :deadlineKey, #version = :newVersion',
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#stage': 'stage', '#version': 'version' },
          ExpressionAttributeValues: {
            ':stage': stage,
            ':step': step,
            ':token': token,
            ':entered': entered,
            ':next': after.nextDeadline,
            ':cspStage': index.cspStage,
            ':deadlineKey': index.deadlineKey,
            ':version': record.version,
            ':newVersion': after.version,
          },
        }),
      );
      return after;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return LOST_RACE;
      throw error;
    }
  }, caseKeptChanging(reference));
}

// ---- Decisions ----------------------------------------------------------------------------------

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
  kind: string,
): Promise<RecordedAction | undefined> {
  const items = await queryAll(ctx, {
    TableName: ctx.tables.cases,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': casePk(reference), ':prefix': `${ACTION_PREFIX}${kind}#` },
    ConsistentRead: true,
  });
  const actions = items.map((item) => recordOf<RecordedAction>(item));
  return actions.sort((a, b) => b.cycle - a.cycle)[0];
}

function markApplied(ctx: DataContext, reference: string, action: RecordedAction, at: string) {
  return {
    Update: {
      TableName: ctx.tables.cases,
      Key: { pk: casePk(reference), sk: `${ACTION_PREFIX}${action.kind}#${action.cycle}` },
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
  step: WaitStep,
  now: Date,
): Promise<AppliedStep> {
  return retryOnLostRace(async (): Promise<AppliedStep | typeof LOST_RACE> => {
    const [{ record, internals }, action] = await Promise.all([
      readCase(ctx, reference),
      latestAction(ctx, reference, step),
    ]);
    if (action === undefined) throw new WorkflowStateError(reference, `no ${step} has been recorded`);
    if (action.appliedAt !== undefined) return { case: record, action, alreadyApplied: true };
    if (action.cycle !== cycleOfAction(step, record.cycle)) {
      throw new WorkflowStateError(reference, `the ${step} recorded is for review cycle ${action.cycle}`);
    }
    let transition: Transition;
    try {
      transition = applyRecordedAction(record, action, requireCsp(area, record.csp), area.reportingYear, now);
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
      markApplied(ctx, reference, action, transition.event.at),
    ]);
    return written ? { case: transition.after, action, alreadyApplied: false } : LOST_RACE;
  }, caseKeptChanging(reference));
}

// ---- Reminders ----------------------------------------------------------------------------------

export interface ReminderRecord {
  readonly case: CaseRecord;
  /** The first reminder for this deadline (later ones also go to the manager). */
  readonly first: boolean;
  /** An earlier run already recorded this reminder. */
  readonly alreadySent: boolean;
}

/**
 * Records that the deadline `due` of the wait for `step` passed and a reminder went out, with a
 * staff timeline event: once per (step, review cycle, deadline), however often it runs.
 */
export async function recordReminder(
  ctx: DataContext,
  reference: string,
  step: WaitStep,
  due: string,
  now: Date,
): Promise<ReminderRecord> {
  return retryOnLostRace(async (): Promise<ReminderRecord | typeof LOST_RACE> => {
    const { record } = await readCase(ctx, reference);
    const key = `${step}#${record.cycle}#${due}`;
    const first = due === record.deadlines[clockOf(step)];
    if (record.reminders[key] !== undefined) return { case: record, first, alreadySent: true };
    const at = now.toISOString();
    const after: CaseRecord = {
      ...record,
      reminders: { ...record.reminders, [key]: at },
      version: record.version + 1,
    };
    const event: TimelineEvent = {
      at,
      type: 'reminder',
      summary: `${STEP_WORDS[step]} was due by ${formatUkDate(ukDateOf(record.deadlines[clockOf(step)] ?? due))}. ${
        step === 'pcc-decision'
          ? "The PCC's office was reminded."
          : first
            ? 'The officer was reminded.'
            : 'The officer and their manager were told it is overdue.'
      }`,
      actor: { role: 'system' },
      audience: 'staff',
    };
    const written = await transact(ctx, [
      {
        Update: {
          TableName: ctx.tables.cases,
          Key: caseKey(reference),
          UpdateExpression: 'SET reminders.#key = :at, #version = :newVersion',
          ConditionExpression: '#version = :version AND attribute_not_exists(reminders.#key)',
          ExpressionAttributeNames: { '#key': key, '#version': 'version' },
          ExpressionAttributeValues: { ':at': at, ':version': record.version, ':newVersion': after.version },
        },
      },
      eventPut(ctx, reference, event, `v${after.version}`),
    ]);
    return written ? { case: after, first, alreadySent: false } : LOST_RACE;
  }, caseKeptChanging(reference));
}

const STEP_WORDS: Readonly<Record<WaitStep, string>> = {
  'threshold-decision': 'The threshold decision',
  'review-outcome': 'The case review outcome',
  referral: 'A referral request',
  'pcc-decision': "The PCC office's decision",
};

// ---- Closure ------------------------------------------------------------------------------------

/**
 * Why the workflow closes a case: its referral window ended, it was withdrawn, or a decision already
 * closed it (the PCC's "review stands") and only retention is left to do.
 */
export type ClosingStep = 'referral-window-ended' | 'withdrawn' | 'decided';

/**
 * Closes the case (unless a decision already did) and sets the retention time on every item of the
 * case. A withdrawal recorded before the referral window ended wins over the window's end.
 * `retentionYears` counts from the closure.
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
    const csp = requireCsp(area, record.csp);
    const withdrawal = (await pendingActions(ctx, reference)).find((action) => action.kind === 'withdraw');
    let transition: Transition;
    if (withdrawal !== undefined) {
      transition = applyRecordedAction(record, withdrawal, csp, area.reportingYear, options.now);
    } else if (closing === 'referral-window-ended') {
      transition = endReferralWindow(record, csp, area.reportingYear, options.now);
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
  const expiresAt =
    closed.expiresAt ?? retentionEnd(closed.closure?.at ?? options.now.toISOString(), options.retentionYears);
  await expireItems(ctx, reference, expiresAt);
  return { ...closed, expiresAt };
}

/** Sets `expiresAt` on every item of the case that lacks it; safe to run again. */
async function expireItems(ctx: DataContext, reference: string, expiresAt: number): Promise<void> {
  const keys = await queryAll(ctx, {
    TableName: ctx.tables.cases,
    KeyConditionExpression: 'pk = :pk',
    FilterExpression: 'attribute_not_exists(expiresAt)',
    ProjectionExpression: 'pk, sk',
    ExpressionAttributeValues: { ':pk': casePk(reference) },
    ConsistentRead: true,
  });
  for (let start = 0; start < keys.length; start += 10) {
    await Promise.all(
      keys.slice(start, start + 10).map(async (key) => {
        try {
          await ctx.db.send(
            new UpdateCommand({
              TableName: ctx.tables.cases,
              Key: { pk: key.pk, sk: key.sk },
              UpdateExpression: 'SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
              // Never recreate an item that went meanwhile.
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':expiresAt': expiresAt },
            }),
          );
        } catch (error) {
          if (!isConditionalCheckFailure(error)) throw error;
        }
      }),
    );
  }
}

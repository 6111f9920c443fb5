// The reminders of a passed deadline: recorded once per wait, review cycle and deadline on the case item
// (for the plan's actions, once per overdue action and instant: each timeout of their wait, and in the
// referral window and before the PCC's office the end of its day and one interval later; for the
// information requests, once per request, due date and recipient), with a staff timeline event, however
// often the workflow's Remind step runs.
import {
  actionReminderKey,
  type ActionReminder as DueActionReminder,
  overdueActions,
  type PlanAction,
  pendingActionReminders,
} from '#core/action-plan.ts';
import type { CaseRecord, DecisionStep, TimelineEvent } from '#core/case-record.ts';
import { type RequestReminder, requestReminders } from '#core/case-review.ts';
import { planOf } from '#core/case-review-state.ts';
import { clockOf } from '#core/case-transitions.ts';
import { REMINDER_INTERVAL_WORKING_DAYS } from '#core/deadlines.ts';
import { actionsReminded, reminderSent, requestsReminded } from '#core/timeline-words.ts';
import { workingDayDeadline } from '#core/working-days.ts';
import { caseKey } from '#data/case-items.ts';
import { readReview, respondedAgencies } from '#data/case-review-records.ts';
import { readCase } from '#data/case-store.ts';
import { eventPut } from '#data/case-timeline.ts';
import type { DataContext } from '#data/data-context.ts';
import { caseKeptChanging, LOST_RACE, retryOnLostRace, transact } from '#data/transactions.ts';

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
  step: DecisionStep,
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
    const written = await writeReminders(
      ctx,
      record,
      [key],
      reminderSent(step, record.deadlines[clockOf(step)] ?? due, first),
      at,
    );
    return written ? { case: after, first, alreadySent: false } : LOST_RACE;
  }, caseKeptChanging(reference));
}

/** An overdue action reminded: whether its owner had been reminded of it before (then the officer is told too). */
export interface ActionReminder {
  readonly action: PlanAction;
  readonly first: boolean;
}

/**
 * Records the reminders of the plan's actions overdue at `now`, for the wait whose timeout `due` passed,
 * with a staff timeline event: once per action and timeout, however often it runs. Each action's first
 * reminder goes to its owner; later ones tell the officer too. An action reminded less than one reminder
 * interval ago (in the referral window, before the PCC's office, or at an earlier timeout for another
 * action's day) waits for that interval's end instead (`notBefore`).
 */
export async function recordActionReminders(
  ctx: DataContext,
  reference: string,
  due: string,
  now: Date,
): Promise<{
  readonly case: CaseRecord;
  readonly reminders: readonly ActionReminder[];
  readonly notBefore: readonly string[];
}> {
  return retryOnLostRace(async () => {
    const [{ record }, review] = await Promise.all([readCase(ctx, reference), readReview(ctx, reference)]);
    const notBefore: string[] = [];
    const reminders = overdueActions(planOf(review.state, record.cycle), now).flatMap((action) => {
      const key = actionReminderKey(record.cycle, action.id, due);
      const prefix = actionReminderKey(record.cycle, action.id, '');
      const earlier = Object.entries(record.reminders)
        .filter(([other]) => other.startsWith(prefix) && other !== key)
        .map(([, sentAt]) => sentAt)
        .sort();
      const latest = earlier.at(-1);
      const intervalEnds =
        latest === undefined
          ? undefined
          : workingDayDeadline(new Date(latest), REMINDER_INTERVAL_WORKING_DAYS);
      if (record.reminders[key] === undefined && intervalEnds !== undefined && intervalEnds > now) {
        notBefore.push(intervalEnds.toISOString());
        return [];
      }
      return [{ action, key, first: latest === undefined }];
    });
    const fresh = reminders.filter(({ key }) => record.reminders[key] === undefined);
    const told = reminders.map(({ action, first }) => ({ action, first }));
    if (fresh.length === 0) return { case: record, reminders: told, notBefore };
    const at = now.toISOString();
    const after: CaseRecord = {
      ...record,
      reminders: { ...record.reminders, ...Object.fromEntries(fresh.map(({ key }) => [key, at])) },
      version: record.version + 1,
    };
    const written = await writeReminders(
      ctx,
      record,
      fresh.map(({ key }) => key),
      actionsReminded(told.map(({ action, first }) => ({ ...action, first }))),
      at,
    );
    return written ? { case: after, reminders: told, notBefore } : LOST_RACE;
  }, caseKeptChanging(reference));
}

/** Every reminder of the information requests of the case's review cycle not yet answered, sent or not. */
export async function requestRemindersOf(
  ctx: DataContext,
  reference: string,
): Promise<{ readonly case: CaseRecord; readonly reminders: readonly RequestReminder[] }> {
  const { record } = await readCase(ctx, reference);
  const [review, responded] = await Promise.all([
    readReview(ctx, reference),
    respondedAgencies(ctx, reference, record.cycle),
  ]);
  return {
    case: record,
    reminders: requestReminders(review.state.informationRequests, responded, record.cycle),
  };
}

/**
 * Records that the request reminders `sent` went out, with a staff timeline event: each once, however
 * often it runs. Returns those recorded now (none when an earlier run recorded them all).
 */
export function recordRequestReminders(
  ctx: DataContext,
  reference: string,
  sent: readonly RequestReminder[],
  now: Date,
): Promise<readonly RequestReminder[]> {
  return recordEachOnce(ctx, reference, sent, requestsReminded, now);
}

/**
 * The reminders of the plan's overdue actions due at `now` while the case is in the referral window or
 * before the PCC's office (core/action-plan.ts, pendingActionReminders), and when the next falls due.
 */
export async function actionRemindersOf(
  ctx: DataContext,
  reference: string,
  now: Date,
): Promise<{
  readonly case: CaseRecord;
  readonly due: readonly DueActionReminder[];
  readonly next: string | null;
}> {
  const [{ record }, review] = await Promise.all([readCase(ctx, reference), readReview(ctx, reference)]);
  const plan = planOf(review.state, record.cycle);
  return { case: record, ...pendingActionReminders(plan, record.cycle, record.reminders, now) };
}

/**
 * Records that the action reminders `sent` went out, with a staff timeline event: each once, however
 * often it runs. Returns those recorded now.
 */
export function recordActionRemindersSent(
  ctx: DataContext,
  reference: string,
  sent: readonly DueActionReminder[],
  now: Date,
): Promise<readonly DueActionReminder[]> {
  return recordEachOnce(
    ctx,
    reference,
    sent,
    (fresh) => actionsReminded(fresh.map(({ action, first }) => ({ ...action, first }))),
    now,
  );
}

/** Marks each of `sent` not yet marked on the case item, with the timeline event `summary` says of them. */
async function recordEachOnce<T extends { readonly key: string }>(
  ctx: DataContext,
  reference: string,
  sent: readonly T[],
  summary: (fresh: readonly T[]) => string,
  now: Date,
): Promise<readonly T[]> {
  if (sent.length === 0) return [];
  return retryOnLostRace(async () => {
    const { record } = await readCase(ctx, reference);
    const fresh = sent.filter(({ key }) => record.reminders[key] === undefined);
    if (fresh.length === 0) return [];
    const written = await writeReminders(
      ctx,
      record,
      fresh.map(({ key }) => key),
      summary(fresh),
      now.toISOString(),
    );
    return written ? fresh : LOST_RACE;
  }, caseKeptChanging(reference));
}

/**
 * Marks the reminder `keys` sent at `at` on the case item as `record` read it, with the staff timeline event
 * `summary`, in one transaction: false when the case changed since it was read (read it again and retry).
 */
async function writeReminders(
  ctx: DataContext,
  record: CaseRecord,
  keys: readonly string[],
  summary: string,
  at: string,
): Promise<boolean> {
  const version = record.version + 1;
  const event: TimelineEvent = {
    at,
    type: 'reminder',
    summary,
    actor: { role: 'system' },
    audience: 'staff',
  };
  const names = Object.fromEntries(keys.map((key, index) => [`#k${index}`, key]));
  return transact(ctx, [
    {
      Update: {
        TableName: ctx.tables.cases,
        Key: caseKey(record.reference),
        UpdateExpression: `SET ${keys.map((_, index) => `reminders.#k${index} = :at`).join(', ')}, #version = :newVersion`,
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { ...names, '#version': 'version' },
        ExpressionAttributeValues: { ':at': at, ':version': record.version, ':newVersion': version },
      },
    },
    eventPut(ctx, record.reference, event, `v${version}`),
  ]);
}

// The reminders of a passed deadline: recorded once per wait, review cycle and deadline on the case item,
// with a staff timeline event, however often the workflow's Remind step runs.
import type { CaseRecord, TimelineEvent, WaitStep } from '#core/case-record.ts';
import { clockOf } from '#core/case-transitions.ts';
import { reminderSent } from '#core/timeline-words.ts';
import { caseKey } from '#data/case-items.ts';
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
      summary: reminderSent(step, record.deadlines[clockOf(step)] ?? due, first),
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

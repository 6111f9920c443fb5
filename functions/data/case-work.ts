// Staff's own work on a case, beside its decisions: who it is assigned to, and the internal notes
// staff keep on it (never shown to the applicant). Each change is one transaction with its audit
// entry; a repeat (the same officer taking the case again, the same note sent twice) writes nothing.
import { createHash } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor, AuditEntry } from '#core/case-record.ts';
import { type Assignee, caseItem, casePk, NOTE_PREFIX } from '#data/case-items.ts';
import { readCase } from '#data/case-store.ts';
import { auditPut } from '#data/case-timeline.ts';
import type { DataContext } from '#data/data-context.ts';
import {
  caseKeptChanging,
  isConditionFailure,
  isTransactionConflict,
  LOST_RACE,
  retryOnLostRace,
} from '#data/transactions.ts';

/** An internal note on a case. */
export interface CaseNote {
  readonly at: string;
  readonly by: Actor;
  readonly text: string;
}

/** What a change of hands found: done, or nothing to do because it was so already. */
export type WorkChange = 'changed' | 'unchanged';

/**
 * Assigns an open case to `assignee`, or to nobody (`null`), with the audit entry: the case item written
 * again as read, with the next version (as a transition writes it, and conditional on the version read),
 * so a workflow step that read the case before writes nothing over it and reads it again. 'unchanged'
 * when the case was so already, or is closed.
 */
export async function assignCase(
  ctx: DataContext,
  change: { readonly reference: string; readonly assignee: Assignee | null; readonly audit: AuditEntry },
): Promise<WorkChange> {
  const { reference, assignee } = change;
  return retryOnLostRace(async (): Promise<WorkChange | typeof LOST_RACE> => {
    const { record, internals } = await readCase(ctx, reference);
    if (record.stage === 'closed' || (internals.assignee?.sub ?? null) === (assignee?.sub ?? null)) {
      return 'unchanged';
    }
    const { assignee: _before, ...kept } = internals;
    try {
      await ctx.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: ctx.tables.cases,
                Item: caseItem(
                  { ...record, version: record.version + 1 },
                  assignee === null
                    ? kept
                    : { ...kept, assignee: { sub: assignee.sub, name: assignee.name } },
                ),
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': record.version },
              },
            },
            auditPut(ctx, reference, change.audit, { expiresAt: record.expiresAt }),
          ],
        }),
      );
      return 'changed';
    } catch (error) {
      if (isConditionFailure(error, 0) || isTransactionConflict(error)) return LOST_RACE;
      throw error;
    }
  }, caseKeptChanging(reference));
}

/** The note's key: the same text from the same person is the same note, so a form sent twice adds one. */
function noteKey(reference: string, note: CaseNote) {
  const digest = createHash('sha256')
    .update(JSON.stringify([note.by.sub ?? note.by.role, note.text]))
    .digest('base64url')
    .slice(0, 22);
  return { pk: casePk(reference), sk: `${NOTE_PREFIX}${digest}` };
}

/** Adds an internal note with its audit entry; 'unchanged' when the same person wrote the same note before. */
export async function addCaseNote(
  ctx: DataContext,
  change: {
    readonly reference: string;
    readonly note: CaseNote;
    readonly audit: AuditEntry;
    /** The case's retention time, once closed: the note goes with the case. */
    readonly expiresAt: number | null;
  },
): Promise<WorkChange> {
  const retention = change.expiresAt === null ? {} : { expiresAt: change.expiresAt };
  try {
    await ctx.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: ctx.tables.cases,
              Item: { ...noteKey(change.reference, change.note), ...change.note, ...retention },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          auditPut(ctx, change.reference, change.audit, { expiresAt: change.expiresAt }),
        ],
      }),
    );
    return 'changed';
  } catch (error) {
    if (isConditionFailure(error, 0)) return 'unchanged';
    throw error;
  }
}

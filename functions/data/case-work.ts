// Staff's own work on a case, beside its decisions: who it is assigned to, and the internal notes
// staff keep on it (never shown to the applicant). Each change is one transaction with its audit
// entry; a repeat (the same officer taking the case again, the same note sent twice) writes nothing.
import { createHash } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor, AuditEntry } from '#core/case-record.ts';
import { type Assignee, assignmentLookupKey, caseKey, casePk, NOTE_PREFIX } from '#data/case-items.ts';
import { auditPut } from '#data/case-timeline.ts';
import type { DataContext } from '#data/data-context.ts';
import { isConditionFailure } from '#data/transactions.ts';

/** An internal note on a case. */
export interface CaseNote {
  readonly at: string;
  readonly by: Actor;
  readonly text: string;
}

/** What a change of hands found: done, or nothing to do because it was so already. */
export type WorkChange = 'changed' | 'unchanged';

/**
 * Assigns an open case of `csp` to `assignee`, or to nobody (`null`), with the audit entry. Adds 1 to
 * the case's version, so a workflow step that read the case before writes nothing over it and reads
 * it again. 'unchanged' when the case was so already, or is closed or unknown (the caller has read it).
 */
export async function assignCase(
  ctx: DataContext,
  change: {
    readonly reference: string;
    readonly csp: string;
    readonly assignee: Assignee | null;
    readonly audit: AuditEntry;
  },
): Promise<WorkChange> {
  const { reference, assignee } = change;
  const update: {
    UpdateExpression: string;
    ConditionExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  } =
    assignee === null
      ? {
          UpdateExpression: 'REMOVE assignee SET lookupKey = :lookup ADD #version :one',
          ConditionExpression: 'attribute_exists(pk) AND #stage <> :closed AND attribute_exists(assignee)',
          ExpressionAttributeNames: { '#version': 'version', '#stage': 'stage' },
          ExpressionAttributeValues: {
            ':lookup': assignmentLookupKey(change.csp, null),
            ':one': 1,
            ':closed': 'closed',
          },
        }
      : {
          UpdateExpression: 'SET assignee = :assignee, lookupKey = :lookup ADD #version :one',
          ConditionExpression:
            'attribute_exists(pk) AND #stage <> :closed AND (attribute_not_exists(assignee) OR assignee.#sub <> :sub)',
          ExpressionAttributeNames: { '#version': 'version', '#stage': 'stage', '#sub': 'sub' },
          ExpressionAttributeValues: {
            ':assignee': { sub: assignee.sub, name: assignee.name },
            ':lookup': assignmentLookupKey(change.csp, assignee.sub),
            ':sub': assignee.sub,
            ':one': 1,
            ':closed': 'closed',
          },
        };
  try {
    await ctx.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: { TableName: ctx.tables.cases, Key: caseKey(reference), ...update } },
          auditPut(ctx, reference, change.audit),
        ],
      }),
    );
    return 'changed';
  } catch (error) {
    if (isConditionFailure(error, 0)) return 'unchanged';
    throw error;
  }
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

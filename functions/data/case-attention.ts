// The "needs attention" mark on a case whose workflow stopped while the case was open, or before the
// letters of a closed case's last step went out (set by the state machine's catch-all and the
// reconciler, cleared by the reconciler and CloseCase). Each write adds 1 to the case's version without reading
// it, so a step that read the case before the mark fails its version check and re-reads: the mark is
// never lost under a concurrent decision, and the case's stage and counts are never touched here.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NeedsAttention } from '#core/case-record.ts';
import { caseKey } from '#data/case-items.ts';
import type { DataContext } from '#data/data-context.ts';
import { writeIf } from '#data/transactions.ts';

/**
 * Marks an open case as needing attention, or a closed one whose step `attention.redo` still has letters
 * to send; false when the case is unknown, or closed and the mark names no such step.
 */
export function markNeedsAttention(
  ctx: DataContext,
  reference: string,
  attention: NeedsAttention,
): Promise<boolean> {
  const open = attention.redo === undefined;
  return writeIf(
    ctx.db.send(
      new UpdateCommand({
        TableName: ctx.tables.cases,
        Key: caseKey(reference),
        UpdateExpression: 'SET needsAttention = :attention ADD #version :one',
        ConditionExpression: open ? 'attribute_exists(pk) AND #stage <> :closed' : 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#version': 'version', ...(open && { '#stage': 'stage' }) },
        ExpressionAttributeValues: {
          ':attention': attention,
          ':one': 1,
          ...(open && { ':closed': 'closed' }),
        },
      }),
    ),
  );
}

/** Removes the mark; false when the case had none. */
export function clearNeedsAttention(ctx: DataContext, reference: string): Promise<boolean> {
  return writeIf(
    ctx.db.send(
      new UpdateCommand({
        TableName: ctx.tables.cases,
        Key: caseKey(reference),
        UpdateExpression: 'REMOVE needsAttention ADD #version :one',
        // A case stored before any mark holds needsAttention as NULL: only a map is a mark.
        ConditionExpression: 'attribute_type(needsAttention, :map)',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':one': 1, ':map': 'M' },
      }),
    ),
  );
}

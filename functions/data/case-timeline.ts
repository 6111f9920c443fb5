// A case's timeline (what happened, as the applicant and staff see it) and audit trail (who did or read
// what): items in the case's partition, written in the same transaction as the change they tell of,
// or alone when a staff member reads a case. An item written after closure carries the case's
// retention time (`expiresAt`), so that it goes with the rest of the case.
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, TimelineEvent } from '#core/case-record.ts';
import { auditKey, eventKey } from '#data/case-items.ts';
import type { DataContext } from '#data/data-context.ts';

const retention = (expiresAt: number | null | undefined) => (expiresAt != null ? { expiresAt } : {});

/** The timeline event's Put; `discriminator` tells apart events of the same instant (`v<version>`). */
export function eventPut(
  ctx: DataContext,
  reference: string,
  event: TimelineEvent,
  discriminator: string,
  expiresAt?: number,
) {
  return {
    Put: {
      TableName: ctx.tables.cases,
      Item: { ...eventKey(reference, event.at, discriminator), ...event, ...retention(expiresAt) },
    },
  };
}

/** The audit entry's Put. */
export function auditPut(
  ctx: DataContext,
  reference: string,
  entry: AuditEntry,
  options: { readonly discriminator?: string; readonly expiresAt?: number | null } = {},
) {
  return {
    Put: {
      TableName: ctx.tables.cases,
      Item: {
        ...auditKey(reference, entry.at, options.discriminator ?? randomUUID().slice(0, 8)),
        ...entry,
        ...retention(options.expiresAt),
      },
    },
  };
}

/**
 * Adds an entry to the case's audit trail (every staff read of a case). Pass the case's `expiresAt`
 * so that an entry written after closure is deleted with the rest of the case.
 */
export async function recordAudit(
  ctx: DataContext,
  reference: string,
  entry: AuditEntry,
  expiresAt?: number | null,
): Promise<void> {
  await ctx.db.send(new PutCommand(auditPut(ctx, reference, entry, { expiresAt }).Put));
}

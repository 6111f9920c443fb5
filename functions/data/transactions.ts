// Reading why a conditional write failed or a TransactWriteItems was cancelled. A condition that
// failed means the state was not as read (someone else wrote first, or the step already happened); a
// conflict means another write to one of its items (the CSP's counter row, which every case of a CSP
// and year updates) was in flight: the same transaction succeeds a moment later.
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** One item of a TransactWriteItems (a Put, Update, Delete or ConditionCheck). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Whether a single conditional write (PutItem, UpdateItem, DeleteItem) failed its condition. */
export function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Whether a cancelled transaction failed on the condition of its item number `index`. */
export function isConditionFailure(error: unknown, index: number): boolean {
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}

/** Cancelled only because of concurrent writes to its items: worth sending again as it is. */
export function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  return (
    codes.includes('TransactionConflict') &&
    codes.every((code) => code === 'None' || code === 'TransactionConflict')
  );
}

/** A short, jittered wait before attempt `attempt + 1`, so that conflicting writers spread out. */
export function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(25 * 2 ** attempt, 1000);
  return sleep(Math.random() * ceiling);
}

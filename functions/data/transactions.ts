// Conditional writes and the races they lose. A condition that failed means the state was not as read
// (someone else wrote first, or the step already happened); a conflict means another write to one of
// its items (the CSP's counter row, which every case of a CSP and year updates) was in flight: the
// same write succeeds a moment later. Either way the writer reads again and decides again
// (`retryOnLostRace`), a bounded number of times.
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DataContext } from '#data/data-context.ts';
import { ConcurrentCaseUpdateError } from '#data/errors.ts';

/** One item of a TransactWriteItems (a Put, Update, Delete or ConditionCheck). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Waits for a single conditional write (PutItem, UpdateItem, DeleteItem) sent with `ctx.db.send`;
 * false when its condition failed.
 */
export async function writeIf(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
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

/** Writes `items` in one transaction; false when it was cancelled (a condition failed, or a conflict). */
export async function transact(ctx: DataContext, items: readonly TransactItem[]): Promise<boolean> {
  try {
    await ctx.db.send(new TransactWriteCommand({ TransactItems: [...items] }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

/** What an attempt returns when its conditional write was refused: read again and decide again. */
export const LOST_RACE = Symbol('lost race');

/**
 * How often a read-then-conditional-write is tried. With `backOff` between attempts, eight give a
 * writer up to about 2.5 s of others' writes to the same items (five runs of a workflow step racing
 * on one case, or officers linking the same cases at once) before it gives up.
 */
const WRITE_ATTEMPTS = 8;

/**
 * Runs `attempt` (read, decide, write conditionally) until it returns anything but LOST_RACE, with
 * `backOff` in between; after WRITE_ATTEMPTS lost races, returns or throws what `exhausted` does
 * (`caseKeptChanging` for a case).
 */
export async function retryOnLostRace<T>(
  attempt: () => Promise<T | typeof LOST_RACE>,
  exhausted: () => T,
): Promise<T> {
  for (let count = 0; count < WRITE_ATTEMPTS; count += 1) {
    if (count > 0) await backOff(count - 1);
    const outcome = await attempt();
    if (outcome !== LOST_RACE) return outcome;
  }
  return exhausted();
}

/** For `retryOnLostRace` on a case: the conflict error that tells the caller to try again. */
export const caseKeptChanging = (reference: string) => (): never => {
  throw new ConcurrentCaseUpdateError(reference);
};

/** A short, jittered wait before attempt `attempt + 1`, so that conflicting writers spread out. */
export function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(25 * 2 ** attempt, 1000);
  return sleep(Math.random() * ceiling);
}

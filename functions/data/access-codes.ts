// The applicant's access beyond the code given at submission, in an item of its own beside the case
// item (which transitions replace whole, so it would lose what they did not read): a new code asked for
// and not yet used, the code that replaced the first once a new one was used, how many were asked for
// lately (the rate limit), and whether the acknowledgement went out with the first code. Only hashes
// of codes are stored. Each change reads the item and puts it back on the condition that its revision
// is still the one read (PutItem, which the functions that read cases may already do), so concurrent
// requests are decided one after the other.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ACCESS_SK, accessKey } from '#data/case-items.ts';
import type { DataContext } from '#data/data-context.ts';
import { LOST_RACE, retryOnLostRace, writeIf } from '#data/transactions.ts';

/** The hashes an applicant's code is compared with. */
export interface AccessCodeHashes {
  /** The code in use: the first one, or the new one that replaced it when it was first used. */
  readonly accessCodeHash: string;
  /** A new code sent and not used yet: its first use makes it current and retires the one before. */
  readonly unusedAccessCodeHash?: string;
}

/** The hashes from the case item's first code and the access item (undefined when there is none). */
export function accessCodeHashesOf(
  firstCodeHash: string,
  accessItem: Record<string, unknown> | undefined,
): AccessCodeHashes {
  const current = typeof accessItem?.currentHash === 'string' ? accessItem.currentHash : firstCodeHash;
  const unused = typeof accessItem?.unusedHash === 'string' ? accessItem.unusedHash : undefined;
  return { accessCodeHash: current, ...(unused !== undefined && { unusedAccessCodeHash: unused }) };
}

export const isAccessItem = (item: Record<string, unknown>): boolean => item.sk === ACCESS_SK;

export async function getAccessItem(
  ctx: DataContext,
  reference: string,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: accessKey(reference), ConsistentRead: true }),
  );
  return Item;
}

export interface NewCodeLimit {
  /** At most this many new codes… */
  readonly count: number;
  /** …in a window of this many milliseconds from the first of them. */
  readonly windowMs: number;
}

type AccessItem = Record<string, unknown>;

/**
 * Puts what `change` makes of the item (undefined: nothing to write) if nobody wrote it since it was
 * read; reads and decides again when someone did. `exhausted` answers when others kept writing.
 */
async function revise<T>(
  ctx: DataContext,
  reference: string,
  change: (item: AccessItem | undefined) => { readonly next?: AccessItem; readonly result: T },
  exhausted: () => T,
): Promise<T> {
  return retryOnLostRace(async () => {
    const item = await getAccessItem(ctx, reference);
    const { next, result } = change(item);
    if (next === undefined) return result;
    const revision = typeof item?.revision === 'number' ? item.revision : 0;
    const written = await writeIf(
      ctx.db.send(
        new PutCommand({
          TableName: ctx.tables.cases,
          Item: { ...next, ...accessKey(reference), revision: revision + 1 },
          ...(item === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#revision = :revision',
                ExpressionAttributeNames: { '#revision': 'revision' },
                ExpressionAttributeValues: { ':revision': revision },
              }),
        }),
      ),
    );
    return written ? result : LOST_RACE;
  }, exhausted);
}

/**
 * Keeps the hash of a new code as the unused one (replacing any earlier unused one), unless `limit` new
 * codes were issued already in the current window: false then, and nothing is written (also when other
 * requests kept writing the item: a flood is held back, not served).
 */
export async function issueNewAccessCode(
  ctx: DataContext,
  reference: string,
  request: { readonly hash: string; readonly at: Date; readonly limit: NewCodeLimit },
): Promise<boolean> {
  const { hash, at, limit } = request;
  const windowOpenedAfter = new Date(at.getTime() - limit.windowMs).toISOString();
  return revise(
    ctx,
    reference,
    (item) => {
      const windowStart = typeof item?.windowStart === 'string' ? item.windowStart : undefined;
      const open = windowStart !== undefined && windowStart > windowOpenedAfter;
      const issued = open && typeof item?.issuedInWindow === 'number' ? item.issuedInWindow : 0;
      if (issued >= limit.count) return { result: false };
      return {
        result: true,
        next: {
          ...item,
          windowStart: open ? windowStart : at.toISOString(),
          issuedInWindow: issued + 1,
          unusedHash: hash,
          unusedIssuedAt: at.toISOString(),
        },
      };
    },
    () => false,
  );
}

/**
 * The first use of the unused code `hash`: it becomes the current code and the one before stops
 * working. Whether `hash` is the current code now (false when a newer code replaced it before it was
 * used).
 */
export async function useNewAccessCode(ctx: DataContext, reference: string, hash: string): Promise<boolean> {
  return revise(
    ctx,
    reference,
    (item) => {
      if (item?.unusedHash !== hash) return { result: item?.currentHash === hash };
      const { unusedHash: _unused, unusedIssuedAt: _issuedAt, ...rest } = item;
      return { result: true, next: { ...rest, currentHash: hash } };
    },
    () => false,
  );
}

/**
 * The acknowledgement went out with the first code, at submission: the workflow need not send its own.
 * A case just stored has no access item yet, so on every submission's path this is one conditional
 * put and no read; if one is there after all (a new code asked for meanwhile), it is revised as any
 * change is.
 */
export async function markAcknowledgedWithCode(ctx: DataContext, reference: string, at: Date): Promise<void> {
  const first = await writeIf(
    ctx.db.send(
      new PutCommand({
        TableName: ctx.tables.cases,
        Item: { ...accessKey(reference), acknowledgedWithCodeAt: at.toISOString(), revision: 1 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  if (first) return;
  await revise(
    ctx,
    reference,
    (item) =>
      typeof item?.acknowledgedWithCodeAt === 'string'
        ? { result: undefined }
        : { result: undefined, next: { ...item, acknowledgedWithCodeAt: at.toISOString() } },
    () => undefined,
  );
}

/** Whether the access item (undefined when there is none) says the acknowledgement went with the code. */
export const acknowledgedWithCodeIn = (accessItem: Record<string, unknown> | undefined): boolean =>
  typeof accessItem?.acknowledgedWithCodeAt === 'string';

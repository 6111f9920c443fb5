// The pages' drafts: the answers of an application still being filled in, kept on the server between
// question pages so that no answer travels in a URL or a cookie. A draft lives in the cases table under
// its own partition (`DRAFT#<id>`, never a case's `CASE#…`), carries none of the worklist index
// attributes, and expires by the table's TTL (`expiresAt`) a few hours after it was last saved.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DataContext } from '#data/data-context.ts';

export interface StoredDraft<T> {
  readonly id: string;
  /** Starts at 1; each save must name the version it read. */
  readonly version: number;
  readonly content: T;
  /** Epoch seconds: the draft is gone after this (TTL deletes it later; reads ignore it at once). */
  readonly expiresAt: number;
}

/** Someone saved the draft since it was read (a second tab, a double click). */
export class DraftChangedError extends Error {
  constructor(options?: ErrorOptions) {
    super('The draft was changed since it was read', options);
    this.name = 'DraftChangedError';
  }
}

const key = (id: string) => ({ pk: `DRAFT#${id}`, sk: 'DRAFT' });

export async function getDraft<T>(
  ctx: DataContext,
  id: string,
  now: Date,
): Promise<StoredDraft<T> | undefined> {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: key(id), ConsistentRead: true }),
  );
  if (!Item || (Item.expiresAt as number) * 1000 <= now.getTime()) return undefined;
  return {
    id,
    version: Item.version as number,
    content: JSON.parse(Item.content as string) as T,
    expiresAt: Item.expiresAt as number,
  };
}

/**
 * Saves `content` as version `previousVersion + 1` (0: a new draft), provided nobody saved since.
 * The content is kept as one JSON string: it is only ever read whole, by the pages.
 */
export async function saveDraft<T>(
  ctx: DataContext,
  draft: { id: string; previousVersion: number; content: T; expiresAt: number },
): Promise<StoredDraft<T>> {
  const version = draft.previousVersion + 1;
  try {
    await ctx.db.send(
      new PutCommand({
        TableName: ctx.tables.cases,
        Item: {
          ...key(draft.id),
          version,
          content: JSON.stringify(draft.content),
          expiresAt: draft.expiresAt,
        },
        ConditionExpression:
          draft.previousVersion === 0
            ? 'attribute_not_exists(pk)'
            : 'attribute_exists(pk) AND version = :previous',
        ...(draft.previousVersion !== 0 && {
          ExpressionAttributeValues: { ':previous': draft.previousVersion },
        }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new DraftChangedError({ cause: error });
    throw error;
  }
  return { id: draft.id, version, content: draft.content, expiresAt: draft.expiresAt };
}

export async function deleteDraft(ctx: DataContext, id: string): Promise<void> {
  await ctx.db.send(new DeleteCommand({ TableName: ctx.tables.cases, Key: key(id) }));
}

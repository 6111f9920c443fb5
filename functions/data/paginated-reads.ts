// Reads that DynamoDB answers a page (at most 1 MB) or a batch at a time, followed to the last.
import {
  BatchGetCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DataContext } from '#data/data-context.ts';
import { backOff } from '#data/transactions.ts';

type Item = Record<string, unknown>;
type Page = { readonly Items?: Item[]; readonly LastEvaluatedKey?: Item };

async function allPages(read: (startKey: Item | undefined) => Promise<Page>): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await read(startKey);
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/** Every item the Query matches, page after page. */
export function queryAll(ctx: DataContext, input: QueryCommandInput): Promise<Item[]> {
  return allPages((startKey) => ctx.db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })));
}

/** Every item the Scan matches, page after page: for checks and tools, never for serving requests. */
export function scanAll(ctx: DataContext, input: ScanCommandInput): Promise<Item[]> {
  return allPages((startKey) => ctx.db.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey })));
}

// BatchGetItem's limit of keys per request.
const BATCH_GET_KEYS = 100;

/**
 * The cases table's items of `keys` (strongly consistent; only the attributes `names` maps, if given),
 * a BatchGetItem per 100 keys, unprocessed keys asked again; those not found are left out.
 */
export async function batchGetItems(
  ctx: DataContext,
  keys: readonly Record<string, unknown>[],
  options: { readonly names?: Record<string, string> } = {},
): Promise<Item[]> {
  const projection = options.names && {
    ProjectionExpression: Object.keys(options.names).join(', '),
    ExpressionAttributeNames: options.names,
  };
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_KEYS) {
    let batch = keys.slice(start, start + BATCH_GET_KEYS);
    for (let attempt = 0; batch.length > 0; attempt += 1) {
      if (attempt > 0) await backOff(attempt - 1);
      const { Responses, UnprocessedKeys } = await ctx.db.send(
        new BatchGetCommand({
          RequestItems: { [ctx.tables.cases]: { Keys: batch, ConsistentRead: true, ...projection } },
        }),
      );
      items.push(...(Responses?.[ctx.tables.cases] ?? []));
      batch = UnprocessedKeys?.[ctx.tables.cases]?.Keys ?? [];
    }
  }
  return items;
}

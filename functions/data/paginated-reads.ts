// Reads that DynamoDB answers a page (at most 1 MB) at a time, followed to the last page.
import {
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DataContext } from '#data/data-context.ts';

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

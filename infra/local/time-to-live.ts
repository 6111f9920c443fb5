// DynamoDB's Time to Live on one machine. DynamoDB Local accepts a table's TTL setting, and deletes
// expired items of a table without indexes, but never those of a table with a global secondary index
// (checked with DynamoDB Local 2.x: such an item is still there minutes after its time) — which the cases
// table has, so a case past its retention would stay forever. This sweep does what DynamoDB's TTL does:
// now and every interval, each expired item of each table with a TTL attribute is deleted, on the
// condition that it is still expired (an item given a new time meanwhile stays). As DynamoDB, it leaves
// an item whose time is more than five years past (a value that is no TTL) and one whose attribute is not
// a number.
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import type { TableSpec } from '#data/table-specs.ts';

const FIVE_YEARS_SECONDS = 5 * 365 * 86_400;

export interface TimeToLiveSweeps {
  /** Deletes every expired item now; how many it deleted. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startTimeToLive(options: {
  readonly client: DynamoDBClient;
  /** The tables as they are named here; those without a TTL attribute are left alone. */
  readonly tables: readonly TableSpec[];
  readonly intervalMs: number;
  /** Told of a sweep that failed, by the error's name. */
  readonly onError: (error: unknown) => void;
  readonly now?: () => Date;
}): TimeToLiveSweeps {
  const db = DynamoDBDocumentClient.from(options.client);
  const now = options.now ?? (() => new Date());
  const expiring = options.tables.filter((spec) => spec.ttlAttribute !== undefined);
  let current: Promise<number> | undefined;

  const sweepTable = async (spec: TableSpec): Promise<number> => {
    const seconds = Math.floor(now().getTime() / 1000);
    const names = {
      '#ttl': spec.ttlAttribute as string,
      '#pk': spec.partitionKey.name,
      ...(spec.sortKey && { '#sk': spec.sortKey.name }),
    };
    let deleted = 0;
    for await (const page of paginateScan(
      { client: db },
      {
        TableName: spec.localName,
        FilterExpression: '#ttl BETWEEN :oldest AND :now',
        ProjectionExpression: spec.sortKey ? '#pk, #sk' : '#pk',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':oldest': seconds - FIVE_YEARS_SECONDS, ':now': seconds - 1 },
      },
    )) {
      for (const key of page.Items ?? []) {
        try {
          await db.send(
            new DeleteCommand({
              TableName: spec.localName,
              Key: key,
              ConditionExpression: '#ttl < :now',
              ExpressionAttributeNames: { '#ttl': spec.ttlAttribute as string },
              ExpressionAttributeValues: { ':now': seconds },
            }),
          );
          deleted += 1;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
    }
    return deleted;
  };

  // One sweep at a time: a slow sweep is not overlapped by the next.
  const sweep = () => {
    current ??= (async () => {
      let deleted = 0;
      for (const spec of expiring) deleted += await sweepTable(spec);
      return deleted;
    })().finally(() => {
      current = undefined;
    });
    return current;
  };
  const tick = () => {
    sweep().catch(options.onError);
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  tick();

  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await current?.catch(() => undefined);
    },
  };
}

import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, type TableSpec } from '#data/table-specs.ts';

/**
 * Adds the indexes a table made by an earlier version lacks, one at a time as AWS does, so that a
 * DATA_DIR kept from before still serves every query.
 */
async function addMissingIndexes(client: DynamoDBClient, spec: TableSpec): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: spec.localName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const wanted = createTableInput(spec);
  for (const index of wanted.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    const keys = new Set(index.KeySchema?.map((key) => key.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: spec.localName,
        AttributeDefinitions: wanted.AttributeDefinitions?.filter((a) => keys.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
  }
}

/** Creates each table (and its TTL) unless it exists, and any index it lacks: safe on every start. */
export async function ensureTables(client: DynamoDBClient, specs: readonly TableSpec[]): Promise<void> {
  for (const spec of specs) {
    try {
      await client.send(new CreateTableCommand(createTableInput(spec)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: spec.localName });
    await addMissingIndexes(client, spec);
    if (!spec.ttlAttribute) continue;
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: spec.localName }));
    if (ttl.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED') continue;
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: spec.localName,
        TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true },
      }),
    );
  }
}

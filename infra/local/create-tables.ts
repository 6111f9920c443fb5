import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, type TableSpec } from '#data/table-specs.ts';

/** Creates each table (and its TTL) unless it exists: safe on every start. */
export async function ensureTables(client: DynamoDBClient, specs: readonly TableSpec[]): Promise<void> {
  for (const spec of specs) {
    try {
      await client.send(new CreateTableCommand(createTableInput(spec)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: spec.localName });
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

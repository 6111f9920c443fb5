// The local tables on start: a DATA_DIR kept from an earlier version gets the indexes it lacks.
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesTable, createTableInput, INDEX_BY_LOOKUP } from '#data/table-specs.ts';
import { ensureTables } from '#local/create-tables.ts';
import { uniqueTableSpecs } from '#test/support/api-tables.ts';
import { localCredentials, startTestDynamoDb } from '#test/support/dynamodb.ts';

let client: DynamoDBClient;

beforeAll(async () => {
  const { endpoint } = await startTestDynamoDb();
  client = new DynamoDBClient({ endpoint, region: 'eu-west-2', credentials: localCredentials });
});

afterAll(() => client?.destroy());

describe('ensureTables', () => {
  it('adds the indexes a table made by an earlier version lacks, keeping the others', async () => {
    // Prepare: the cases table as it was before the lookup index.
    const spec = uniqueTableSpecs().find((candidate) => candidate.envVar === casesTable.envVar) ?? casesTable;
    const older = {
      ...spec,
      globalIndexes: spec.globalIndexes.filter((index) => index.indexName !== INDEX_BY_LOOKUP),
    };
    await client.send(new CreateTableCommand(createTableInput(older)));

    // Act
    await ensureTables(client, [spec]);
    await ensureTables(client, [spec]);

    // Assess
    const { Table } = await client.send(new DescribeTableCommand({ TableName: spec.localName }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      spec.globalIndexes.map((index) => index.indexName).sort(),
    );
  });
});

// The service's tables, made afresh under a name of their own in the test run's DynamoDB Local, for
// handler, data and workflow tests: every call gets new, empty tables, so no two files (or tests) share data.

import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClientOf } from '#clients/dynamodb.ts';
import type { DataContext } from '#data/data-context.ts';
import { casesTable, idempotencyTable, statisticsTable, tables } from '#data/table-specs.ts';
import { ensureTables } from '#local/create-tables.ts';
import { localCredentials, startTestDynamoDb } from '#test/support/dynamodb.ts';

export interface TestTables {
  readonly data: DataContext;
  /** A plain client, for what needs one (the idempotency store). */
  readonly client: DynamoDBClient;
  readonly idempotencyTable: string;
  /** The run's DynamoDB Local, for a child process (the recount script) to reach the same tables. */
  readonly endpoint: string;
  /** The environment a handler or script reads the table names from (CASES_TABLE and the others). */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** The table specs under a prefix unique to this call: `t<uuid>-asb-cases` and so on. */
export function uniqueTableSpecs(): typeof tables {
  const prefix = `t${randomUUID().slice(0, 8)}-`;
  return tables.map((spec) => ({ ...spec, localName: `${prefix}${spec.localName}` }));
}

export async function startTestTables(): Promise<TestTables> {
  const { endpoint } = await startTestDynamoDb();
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-2', credentials: localCredentials });
  const specs = uniqueTableSpecs();
  await ensureTables(client, specs);
  const env = Object.fromEntries(specs.map((spec) => [spec.envVar, spec.localName]));
  const nameOf = (envVar: string) => env[envVar] ?? '';
  return {
    data: {
      db: documentClientOf(client),
      tables: { cases: nameOf(casesTable.envVar), statistics: nameOf(statisticsTable.envVar) },
    },
    client,
    idempotencyTable: nameOf(idempotencyTable.envVar),
    endpoint,
    env,
    stop: async () => {
      client.destroy();
    },
  };
}

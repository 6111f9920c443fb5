// Where the case data lives: the document client and the table names, passed into every data function
// as its first argument, and built from the environment once per function instance.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#clients/dynamodb.ts';
import { type Env, requiredSetting } from '#clients/environment.ts';
import { casesTable, statisticsTable } from '#data/table-specs.ts';

export interface DataContext {
  readonly db: DynamoDBDocumentClient;
  readonly tables: { readonly cases: string; readonly statistics: string };
}

/** The table names from CASES_TABLE and STATISTICS_TABLE (set by CDK in AWS and by the local runtime). */
export function tableNamesFrom(env: Env = process.env): DataContext['tables'] {
  return {
    cases: requiredSetting(env, casesTable.envVar),
    statistics: requiredSetting(env, statisticsTable.envVar),
  };
}

/** A DataContext from the environment: what a function builds once, at module scope. */
export function dataContextFrom(env: Env = process.env): DataContext {
  return { db: createDocumentClient(env), tables: tableNamesFrom(env) };
}

// The service's DynamoDB tables, described once, beside the code that reads and writes them. The CDK
// stateful stack builds its tables from these specs and the local runtime creates the same tables in
// DynamoDB Local from them, so the two cannot drift. Handlers find each table through the environment
// variable named here.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexSpec {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

export interface TableSpec {
  /** The CDK construct id; never change it, or CloudFormation replaces the table. */
  id: string;
  /** The table name in the local runtime (in AWS, CloudFormation names the table). */
  localName: string;
  /** The environment variable through which handlers learn the table's name. */
  envVar: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  globalIndexes: IndexSpec[];
  /** Items whose attribute (epoch seconds) has passed are deleted: the retention period. */
  ttlAttribute?: string;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });

export const INDEX_BY_CSP = 'by-csp-deadline';
export const INDEX_BY_CSP_STAGE = 'by-csp-stage-deadline';
export const INDEX_BY_PCC = 'by-pcc-deadline';
export const INDEX_BY_LOOKUP = 'by-lookup';

export const casesTable: TableSpec = {
  id: 'CasesTable',
  localName: 'asb-cases',
  envVar: 'CASES_TABLE',
  partitionKey: S('pk'),
  sortKey: S('sk'),
  globalIndexes: [
    // An officer's worklist: every open case of a CSP, oldest deadline first.
    { indexName: INDEX_BY_CSP, partitionKey: S('csp'), sortKey: S('deadlineKey') },
    // The same, for one stage of the worklist.
    { indexName: INDEX_BY_CSP_STAGE, partitionKey: S('cspStage'), sortKey: S('deadlineKey') },
    // The PCC office's queue: referred cases of the police area (sparse: only referred cases).
    { indexName: INDEX_BY_PCC, partitionKey: S('pccQueue'), sortKey: S('deadlineKey') },
    // One index for two lookups, as AWS adds one index to a table per deployment: a CSP's cases
    // assigned to an officer, or not assigned, by deadline (the case item's `lookupKey`); and a
    // search term's cases (the SEARCH# items, `lookupKey` the term, `deadlineKey` the reference).
    { indexName: INDEX_BY_LOOKUP, partitionKey: S('lookupKey'), sortKey: S('deadlineKey') },
  ],
  ttlAttribute: 'expiresAt',
};

export const statisticsTable: TableSpec = {
  id: 'StatisticsTable',
  localName: 'asb-statistics',
  envVar: 'STATISTICS_TABLE',
  // pk = "<pccArea>#<reporting year>", sk = CSP id: a year's table is one Query.
  partitionKey: S('pk'),
  sortKey: S('sk'),
  globalIndexes: [],
};

export const idempotencyTable: TableSpec = {
  id: 'IdempotencyTable',
  localName: 'asb-idempotency',
  envVar: 'IDEMPOTENCY_TABLE',
  // The layout Powertools' DynamoDBPersistenceLayer expects by default.
  partitionKey: S('id'),
  globalIndexes: [],
  ttlAttribute: 'expiration',
};

export const tables: readonly TableSpec[] = [casesTable, statisticsTable, idempotencyTable];

/** The CreateTable request for a spec (on-demand billing, as in AWS). */
export function createTableInput(spec: TableSpec, tableName = spec.localName): CreateTableCommandInput {
  const keys = (partitionKey: KeyAttribute, sortKey?: KeyAttribute) => [
    { AttributeName: partitionKey.name, KeyType: 'HASH' as const },
    ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
  ];
  const attributes = new Map<string, KeyAttribute>();
  for (const key of [
    spec.partitionKey,
    spec.sortKey,
    ...spec.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]) {
    if (key) attributes.set(key.name, key);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keys(spec.partitionKey, spec.sortKey),
    AttributeDefinitions: [...attributes.values()].map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    ...(spec.globalIndexes.length > 0 && {
      GlobalSecondaryIndexes: spec.globalIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keys(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' as const },
      })),
    }),
  };
}

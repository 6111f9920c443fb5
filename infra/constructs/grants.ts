// Least-privilege grants the stacks spell out themselves rather than take from CDK's helpers: the
// helpers grant wildcards (`table/index/*`, `kms:GenerateDataKey*`) that each need an exception, while
// every index and KMS action the functions use can simply be named.
import { Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { TableSpec } from '#data/table-specs.ts';

/** Reads, conditional writes and transactions (TransactWriteItems is authorised per item action). */
const READ_WRITE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

// What DynamoDB asks of a caller's KMS permissions for a table encrypted with a customer managed key,
// and only when DynamoDB itself makes the call.
const TABLE_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

export interface TableGrant {
  readonly table: ITableV2;
  readonly spec: TableSpec;
}

/**
 * Read and write on the tables and every one of their indexes (or only `actions` of them), and their
 * key through DynamoDB only.
 */
export function grantTablesReadWrite(
  role: IRole,
  tables: readonly TableGrant[],
  key: IKey,
  actions: readonly string[] = READ_WRITE_ACTIONS,
): void {
  if (tables.length === 0) return;
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ReadWriteCaseData',
      actions: [...actions],
      resources: tables.flatMap(({ table, spec }) => [
        table.tableArn,
        ...spec.globalIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
      ]),
    }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'UseTheDataKeyThroughDynamoDB',
      actions: TABLE_KEY_ACTIONS,
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(role).region}.amazonaws.com` } },
    }),
  );
}

/**
 * Reading one secret, and its key only through Secrets Manager. (CDK's `secret.grantRead` would add the
 * role to the key's policy, in the stateful stack, tying that stack to this one.)
 */
export function grantSecretRead(role: IRole, secret: ISecret, key: IKey): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secret.secretArn],
    }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(role).region}.amazonaws.com` },
      },
    }),
  );
}

// Least-privilege grants the stacks spell out themselves rather than take from CDK's helpers: the
// helpers grant wildcards (`table/index/*`, `kms:GenerateDataKey*`) that each need an exception, while
// every index and KMS action the functions use can simply be named.
import { Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { TableSpec } from '#data/table-specs.ts';
import type { TableAction } from '#infra/function-grants.ts';

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
 * Exactly the listed actions on each table and every one of its indexes (a statement per table), and
 * their key through DynamoDB only.
 */
export function grantTableActions(
  role: IRole,
  tables: readonly (TableGrant & { readonly actions: readonly TableAction[] })[],
  key: IKey,
): void {
  const used = tables.filter(({ actions }) => actions.length > 0);
  if (used.length === 0) return;
  for (const { table, spec, actions } of used) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: `Use${spec.id}`,
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [
          table.tableArn,
          ...spec.globalIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
        ],
      }),
    );
  }
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

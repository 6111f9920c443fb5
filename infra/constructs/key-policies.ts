// What the data key (stateful-stack.ts) and the edge key (edge-stack.ts) let AWS services do with
// them, written once: CloudWatch Logs only for this account's log groups that the stack names, and
// CloudWatch alarms (publishing to a topic the key encrypts) only for this account.
import type { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';

/**
 * CloudWatch Logs may use the key for the log group `logGroup` names in this account and region: one
 * group (`ArnEquals`), or a pattern such as `*` (`ArnLike`).
 */
export function keyUseByLogs(
  stack: Stack,
  options: { readonly sid: string; readonly logGroup: string; readonly match: 'ArnEquals' | 'ArnLike' },
): PolicyStatement {
  const { region, account, partition } = stack;
  return new PolicyStatement({
    sid: options.sid,
    principals: [new ServicePrincipal(`logs.${region}.amazonaws.com`)],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    resources: ['*'],
    conditions: {
      [options.match]: {
        'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:${options.logGroup}`,
      },
    },
  });
}

/** CloudWatch alarms of this account may use the key, to publish to a topic it encrypts. */
export function keyUseByAlarms(stack: Stack): PolicyStatement {
  return new PolicyStatement({
    sid: 'CloudWatchAlarmsOfThisAccount',
    principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  });
}

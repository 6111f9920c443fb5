// The service's KMS keys and their policies, written whole here: who may administer a key (and not use
// it), and who may use it (and not administer it). Three keys: the data key (stateful-stack.ts: tables,
// secrets, evidence, backups, the workflow's history), the logs key beside it (CloudWatch Logs and the
// alarm topic) and the edge key in us-east-1 (edge-stack.ts: the WAF's logs and the edge's alarm topic).
import { DefaultStackSynthesizer, Fn, Stack } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  type AddToResourcePolicyResult,
  AnyPrincipal,
  Effect,
  PolicyDocument,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key, type KeyProps } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** The tag every resource of a deployment carries (infra/deployment.ts), its roles among them. */
export const SERVICE_TAG = { key: 'service', value: 'asb-case-review' } as const;

/**
 * What a key administrator may do: everything CloudFormation needs to create, change, tag and delete a
 * key, and an operator to inspect it, rotate it, disable it or schedule its deletion. No cryptographic
 * operation, and no kms:CreateGrant, which would let an administrator hand themselves a use.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:ListGrants',
  'kms:PutKeyPolicy',
  'kms:UpdateKeyDescription',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:RevokeGrant',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
] as const;

/** What a key user may do: encrypt and decrypt, and let an AWS service hold a grant to do so for it. */
export const KEY_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
  'kms:CreateGrant',
] as const;

/**
 * Who administers the service's keys: by default this account's IAM principals that IAM allows to
 * (operators, CloudFormation's execution role), except the service's own roles; with `roleArn`
 * (`-c keyAdminRoleArn`), only that role and the CloudFormation execution role that deploys the stacks.
 */
export interface KeyAdministrators {
  readonly roleArn?: string;
}

/**
 * The administrators' statement. Its principal is always the account, so that IAM decides as well; the
 * condition narrows it: never a role of the service (tagged SERVICE_TAG), or only the named role and the
 * deploying role (which must stay an administrator: KMS refuses a policy that locks its caller out).
 */
function administration(scope: Construct, administrators: KeyAdministrators): PolicyStatement {
  const condition =
    administrators.roleArn === undefined
      ? { StringNotEquals: { [`aws:PrincipalTag/${SERVICE_TAG.key}`]: SERVICE_TAG.value } }
      : { ArnEquals: { 'aws:PrincipalArn': [administrators.roleArn, deployingRoleArn(scope)] } };
  return new PolicyStatement({
    sid: 'KeyAdministration',
    principals: [new AccountRootPrincipal()],
    actions: [...KEY_ADMINISTRATION_ACTIONS],
    resources: ['*'],
    conditions: condition,
  });
}

/** A named administrator role may use no key, not even through a service that it may call. */
function administratorsDoNotUse(roleArn: string): PolicyStatement {
  return new PolicyStatement({
    sid: 'KeyAdministratorsDoNotUseIt',
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: KEY_USE_ACTIONS.filter((action) => action !== 'kms:DescribeKey'),
    resources: ['*'],
    conditions: { ArnEquals: { 'aws:PrincipalArn': roleArn } },
  });
}

/** The role CloudFormation deploys the stack with (CDK's bootstrap `cfn-exec-role`). */
function deployingRoleArn(scope: Construct): string {
  const { synthesizer } = Stack.of(scope);
  if (!(synthesizer instanceof DefaultStackSynthesizer)) throw new KeyAdministrationError();
  return Fn.sub(synthesizer.cloudFormationExecutionRoleArn);
}

export class KeyAdministrationError extends Error {
  constructor() {
    super(
      "keyAdminRoleArn needs CDK's default stack synthesizer, whose CloudFormation execution role must stay a key administrator",
    );
    this.name = 'KeyAdministrationError';
  }
}

/**
 * A key whose policy is complete as written: the administrators' statement and the users' statements
 * given. Statements that CDK's constructs would add on their own are not taken (an unconditioned grant
 * to log delivery from the state machine, account-wide grants from each secret): what they need is in
 * the users' statements, with conditions.
 */
class WrittenPolicyKey extends Key {
  override addToResourcePolicy(): AddToResourcePolicyResult {
    return { statementAdded: false };
  }
}

export function serviceKey(
  scope: Construct,
  id: string,
  props: Pick<KeyProps, 'description' | 'removalPolicy'> & {
    readonly administrators: KeyAdministrators;
    readonly users: readonly PolicyStatement[];
  },
): Key {
  const { roleArn } = props.administrators;
  return new WrittenPolicyKey(scope, id, {
    description: props.description,
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy,
    policy: new PolicyDocument({
      statements: [
        administration(scope, props.administrators),
        ...(roleArn === undefined ? [] : [administratorsDoNotUse(roleArn)]),
        ...props.users,
      ],
    }),
  });
}

/**
 * This account's principals may use the key only through these services (`dynamodb`, `s3`, …) of the
 * stack's region, and only as IAM allows them: the functions' roles (infra/constructs/grants.ts), the
 * deploying role creating tables and secrets, AWS Backup's role, an operator reading a table.
 */
export function keyUseThroughServices(stack: Stack, services: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    sid: 'UseThroughTheServicesOfThisAccount',
    principals: [new AccountRootPrincipal()],
    actions: [...KEY_USE_ACTIONS],
    resources: ['*'],
    conditions: {
      StringEquals: {
        'kms:ViaService': services.map((service) => `${service}.${stack.region}.amazonaws.com`),
      },
    },
  });
}

/**
 * Step Functions encrypts a state machine's definition and history as the state machine's role, with
 * the state machine's ARN in the encryption context: the role's grant (infra/constructs/case-workflow.ts)
 * works for this account's state machines only. Its log delivery encrypts what it passes to CloudWatch
 * Logs the same way, with the account's logs as the source.
 */
export function keyUseByStateMachines(stack: Stack): PolicyStatement[] {
  const { region, account, partition } = stack;
  return [
    new PolicyStatement({
      sid: 'StateMachinesOfThisAccount',
      principals: [new AccountRootPrincipal()],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: {
        StringLike: {
          'kms:EncryptionContext:aws:states:stateMachineArn': `arn:${partition}:states:${region}:${account}:stateMachine:*`,
        },
      },
    }),
    new PolicyStatement({
      sid: 'StateMachineLogsOfThisAccount',
      principals: [new AccountRootPrincipal()],
      actions: ['kms:GenerateDataKey'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:EncryptionContext:SourceArn': `arn:${partition}:logs:${region}:${account}:*` },
      },
    }),
    // CloudWatch's log delivery decrypts what the state machine passes it, for this account's logs only.
    new PolicyStatement({
      sid: 'LogDeliveryOfThisAccount',
      principals: [new ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': account },
        ArnLike: { 'aws:SourceArn': `arn:${partition}:logs:${region}:${account}:*` },
      },
    }),
  ];
}

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

// The case review workflow: the ASL file, deployed as a Standard state machine that logs every event
// without execution data (no case details in logs) to a log group under the logs key, traces with X-Ray
// and encrypts its definition and history with the data key. Its role may invoke the workflow functions and nothing else of the service.
import { readFileSync } from 'node:fs';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  CfnStateMachineAlias,
  CfnStateMachineVersion,
  CustomerManagedEncryptionConfiguration,
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ServiceFunction } from '#infra/constructs/service-function.ts';
import { definitionSubstitutions, LIVE_ALIAS } from '#infra/functions.ts';
import { placeholdersOf } from '#infra/workflow-definition.ts';

export interface CaseWorkflowProps {
  readonly definitionFile: string;
  /** Every workflow function, by spec id: the definition's `${<id>FunctionArn}` placeholders. */
  readonly functions: ReadonlyMap<string, ServiceFunction>;
  /** Encrypts the definition and the executions' history. */
  readonly key: IKey;
  /** Encrypts the log group. */
  readonly logsKey: IKey;
  readonly logRetention: RetentionDays;
  /** Names the log group `/aws/vendedlogs/states/<name>` (the prefix keeps CloudWatch's policy small). */
  readonly name: string;
}

export class CaseWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  /** The version this deployment published, which the alias routes every new execution to. */
  readonly version: CfnStateMachineVersion;
  /** The alias every execution starts on (`<state machine ARN>:live`). */
  readonly alias: CfnStateMachineAlias;

  constructor(scope: Construct, id: string, props: CaseWorkflowProps) {
    super(scope, id);
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Runs the ASB case review state machine',
    });
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.name}`,
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The definition calls each function's `live` alias: a deployment moves it to the new code, and an
    // execution in flight on an older version of the state machine calls that code too (so a release
    // must accept the payloads of the one before: test/workflow/case-review-previous-release.test.ts).
    const substitutions = definitionSubstitutions((spec) => {
      const fn = props.functions.get(spec.id);
      if (!fn?.alias) throw new MissingWorkflowFunctionError(spec.id);
      return fn.alias.functionArn;
    });
    // CloudFormation would only fail at deploy time on a placeholder nobody fills: fail at synth instead.
    const unfilled = [...placeholdersOf(readFileSync(props.definitionFile, 'utf8'))].filter(
      (name) => !(name in substitutions),
    );
    if (unfilled.length > 0) throw new UnfilledPlaceholderError(unfilled);
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromFile(props.definitionFile),
      definitionSubstitutions: substitutions,
      stateMachineType: StateMachineType.STANDARD,
      role: role.withoutPolicyUpdates(),
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
      encryptionConfiguration: new CustomerManagedEncryptionConfiguration(props.key, Duration.minutes(5)),
      // Each case's execution runs for months: deleting the stack must not stop the cases in progress,
      // so the state machine is retained, and with it the role it runs as and that role's policies.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // A new version whenever the definition or its settings change (the revision id changes), and the
    // alias moved to it: executions started before run on to the end on the version they started on.
    // Replaced versions are retained, as executions may run on them for a year.
    this.version = new CfnStateMachineVersion(this, 'Version', {
      stateMachineArn: this.stateMachine.stateMachineArn,
      stateMachineRevisionId: this.stateMachine.stateMachineRevisionId,
      description: 'The case review as this deployment released it',
    });
    this.version.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.alias = new CfnStateMachineAlias(this, 'Alias', {
      name: LIVE_ALIAS,
      description: 'Where every case review execution starts',
      routingConfiguration: [{ stateMachineVersionArn: this.version.attrArn, weight: 100 }],
    });
    this.grant(role, props);
  }

  /** The alias's ARN: what STATE_MACHINE_ARN names for the functions that start executions. */
  get aliasArn(): string {
    return this.alias.ref;
  }

  /**
   * Starting executions on the alias, and only there: Step Functions authorises a version or alias on
   * the state machine's ARN, its qualifier in `states:StateMachineQualifier` (a multivalued key, so
   * ForAnyValue; absent, on a start without the alias, it matches nothing).
   */
  startOnAliasStatement(): PolicyStatement {
    return new PolicyStatement({
      sid: 'StartCaseReviewsOnTheAlias',
      actions: ['states:StartExecution'],
      resources: [this.stateMachine.stateMachineArn],
      conditions: { 'ForAnyValue:StringEquals': { 'states:StateMachineQualifier': LIVE_ALIAS } },
    });
  }

  private grant(role: Role, props: CaseWorkflowProps): void {
    const stack = Stack.of(this);
    const { stateMachineArn } = this.stateMachine;
    const invokeAndEncrypt = new Policy(this, 'InvokeAndEncrypt', {
      roles: [role],
      statements: [
        new PolicyStatement({
          sid: 'InvokeWorkflowFunctions',
          actions: ['lambda:InvokeFunction'],
          // The aliases the definition calls: a grant on a function's ARN covers no alias of it.
          resources: [...props.functions.values()].flatMap((fn) => (fn.alias ? [fn.alias.functionArn] : [])),
        }),
        new PolicyStatement({
          sid: 'EncryptExecutionData',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.key.keyArn],
          conditions: {
            StringEquals: { 'kms:EncryptionContext:aws:states:stateMachineArn': stateMachineArn },
          },
        }),
        new PolicyStatement({
          sid: 'EncryptLogDelivery',
          actions: ['kms:GenerateDataKey'],
          resources: [props.key.keyArn],
          conditions: {
            StringEquals: {
              'kms:EncryptionContext:SourceArn': stack.formatArn({
                service: 'logs',
                resource: '*',
                arnFormat: ArnFormat.NO_RESOURCE_NAME,
              }),
            },
          },
        }),
      ],
    });
    const unscoped = new Policy(this, 'DeliveryAndTracing', {
      roles: [role],
      statements: [
        new PolicyStatement({
          sid: 'VendedLogDelivery',
          actions: [
            'logs:CreateLogDelivery',
            'logs:GetLogDelivery',
            'logs:UpdateLogDelivery',
            'logs:DeleteLogDelivery',
            'logs:ListLogDeliveries',
            'logs:PutResourcePolicy',
            'logs:DescribeResourcePolicies',
            'logs:DescribeLogGroups',
          ],
          resources: ['*'],
        }),
        new PolicyStatement({
          sid: 'Tracing',
          actions: [
            'xray:PutTraceSegments',
            'xray:PutTelemetryRecords',
            'xray:GetSamplingRules',
            'xray:GetSamplingTargets',
          ],
          resources: ['*'],
        }),
      ],
    });
    for (const policy of [invokeAndEncrypt, unscoped]) policy.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(unscoped).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions delivers its logs through the CloudWatch Logs vended-log API (CreateLogDelivery and ' +
        'related actions) and X-Ray, neither of which supports resource-level permissions; AWS documents ' +
        'Resource "*" for exactly these actions. This policy holds nothing else.',
    });
  }
}

export class MissingWorkflowFunctionError extends Error {
  constructor(id: string) {
    super(
      `The state machine refers to \${${id}FunctionArn} but no workflow function ${id} with an alias was built`,
    );
    this.name = 'MissingWorkflowFunctionError';
  }
}

export class UnfilledPlaceholderError extends Error {
  readonly placeholders: readonly string[];

  constructor(placeholders: readonly string[]) {
    super(`The state machine definition has placeholders no function fills: ${placeholders.join(', ')}`);
    this.name = 'UnfilledPlaceholderError';
    this.placeholders = placeholders;
  }
}

// Everything that can be rebuilt from the repository: the functions (one per entry of
// infra/functions.ts), the HTTP API, the case review workflow, staff sign-in, CloudFront and the
// monitoring. The data it works on lives in the stateful stack.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { CfnUserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { AreaConfig } from '#core/area-config.ts';
import { evidenceBucket } from '#data/bucket-specs.ts';
import { casesTable, idempotencyTable, statisticsTable, type TableSpec } from '#data/table-specs.ts';
import { CaseReviewApi } from '#infra/constructs/case-review-api.ts';
import { CaseWorkflow } from '#infra/constructs/case-workflow.ts';
import { grantSecretRead, grantTableActions, type TableGrant } from '#infra/constructs/grants.ts';
import { Monitoring } from '#infra/constructs/monitoring.ts';
import { type BundledFile, ServiceFunction } from '#infra/constructs/service-function.ts';
import { StaffIdentity } from '#infra/constructs/staff-identity.ts';
import { WebDistribution } from '#infra/constructs/web-distribution.ts';
import type { DeploymentConfig } from '#infra/deployment-config.ts';
import { scanResults, uploadsArriving } from '#infra/evidence-events.ts';
import { grantsOf } from '#infra/function-grants.ts';
import {
  EVIDENCE_EVENT_FUNCTIONS,
  EVIDENCE_RETENTION_FUNCTION,
  type FunctionSpec,
  functionSpecs,
  LIVE_ALIAS,
  PROCESS_UPLOAD_FUNCTION,
  RECONCILER_FUNCTION,
  SCAN_RESULT_FUNCTION,
} from '#infra/functions.ts';
import { checkReservedTotal, reservedConcurrencyOf } from '#infra/reserved-concurrency.ts';
import { isInfrastructureRoute } from '#infra/routes.ts';
import { DAILY_EVIDENCE_RETENTION, DAILY_RECONCILIATION, type ServiceSchedule } from '#infra/schedules.ts';
import type { StatefulStack } from '#infra/stacks/stateful-stack.ts';
import { CASE_REVIEW_DEFINITION, functionsHoldingTaskTokens } from '#infra/workflow-definition.ts';
import type { NotificationSettings } from '#shared/notification-settings.ts';

/** Application logs carry no personal data and are kept a year, for investigating a case's history. */
const LOG_RETENTION = RetentionDays.ONE_YEAR;
/** Access logs hold IP addresses: three months covers an investigation of abuse. */
const ACCESS_LOG_RETENTION = RetentionDays.THREE_MONTHS;

/** Cognito's pre-token-generation trigger: part of staff sign-in, not of the service's routes. */
export const STAFF_CLAIMS_FUNCTION: FunctionSpec = {
  id: 'StaffTokenClaims',
  entry: 'functions/auth/pre-token.ts',
  routes: [],
  workflow: false,
};

export interface StatelessStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly stateful: StatefulStack;
  /** The WAF web ACL of the edge stack (us-east-1). */
  readonly webAclArn: string;
}

function writeAreaConfig(area: AreaConfig): string {
  const file = join(mkdtempSync(join(tmpdir(), 'asb-area-')), 'area-config.json');
  writeFileSync(file, JSON.stringify(area));
  return file;
}

/** Whether a function reads and writes case data: workflow functions and every non-infrastructure route. */
const usesCaseData = (spec: FunctionSpec) =>
  spec.workflow || spec.routes.some((route) => !isInfrastructureRoute(route));

const isPageFunction = (spec: FunctionSpec) => spec.entry.startsWith('functions/web/');

export class StatelessStack extends Stack {
  readonly api: CaseReviewApi;
  readonly web: WebDistribution;
  readonly identity: StaffIdentity;
  readonly workflow: CaseWorkflow;
  /** Every function of infra/functions.ts, by spec id. */
  readonly functions: ReadonlyMap<string, ServiceFunction>;
  readonly monitoring: Monitoring;
  /** The value CloudFront adds to every request it passes to the API, which every HTTP function checks. */
  readonly originSecret: Secret;
  /** Matches the state machine's failed, timed-out and aborted executions and starts the reconciler. */
  readonly executionFailures: Rule;
  /** Sends each object created under the evidence bucket's uploads/ to its processing. */
  readonly uploadsArriving: Rule;
  /** Sends GuardDuty's scan result for each cleaned evidence object to the function that records it. */
  readonly scanResults: Rule;

  private readonly props: StatelessStackProps;
  private readonly reservations: (number | undefined)[] = [];
  private readonly areaFile: BundledFile;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    this.props = props;
    const { config, stateful } = props;
    this.areaFile = {
      source: writeAreaConfig(config.area),
      name: 'area-config.json',
      envVar: 'AREA_CONFIG_FILE',
    };

    this.api = new CaseReviewApi(this, 'Api', {
      logsKey: stateful.logsKey,
      accessLogRetention: ACCESS_LOG_RETENTION,
      ...(config.customDomain?.origin && { originDomain: config.customDomain.origin }),
    });
    this.originSecret = new Secret(this, 'OriginSecret', {
      description:
        'Sent by CloudFront to the HTTP API in a header that every function checks: the API is reached through the WAF only',
      encryptionKey: stateful.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'CloudFront takes the value at deployment, so a rotation is a new value (the functions accept it and ' +
        'the previous one) followed by a deployment naming its version, in that order, as the README ' +
        'describes; a scheduled rotation would refuse requests until that deployment.',
    });
    this.web = new WebDistribution(this, 'Web', {
      originDomainName: this.api.domainName,
      webAclArn: props.webAclArn,
      originSecret: this.originSecret,
      logsKey: props.stateful.logsKey,
      logRetention: LOG_RETENTION,
      ...(config.originSecretVersion && { originSecretVersion: config.originSecretVersion }),
      ...(config.customDomain && { customDomain: config.customDomain }),
    });
    const claimsTrigger = this.serviceFunction(this, STAFF_CLAIMS_FUNCTION, 'auth', {
      memorySize: 512,
      timeout: Duration.seconds(5),
    });
    this.identity = new StaffIdentity(this, 'Identity', {
      claimsTrigger,
      siteUrl: this.web.siteUrl,
      domainPrefix: config.authDomainPrefix,
      ...(config.authCustomDomain && { customDomain: config.authCustomDomain }),
      ...(config.notifications.ses && { sesFromAddress: config.notifications.ses.fromAddress }),
    });

    const scopeOfFunctions = new Construct(this, 'Functions');
    const functions = new Map<string, ServiceFunction>();
    const workflowFunctions = new Map<string, ServiceFunction>();
    for (const spec of functionSpecs.filter((candidate) => candidate.workflow)) {
      const fn = this.workflowFunction(scopeOfFunctions, spec);
      workflowFunctions.set(spec.id, fn);
      functions.set(spec.id, fn);
    }
    this.workflow = new CaseWorkflow(this, 'Workflow', {
      definitionFile: CASE_REVIEW_DEFINITION,
      functions: workflowFunctions,
      key: stateful.key,
      logsKey: stateful.logsKey,
      logRetention: LOG_RETENTION,
      name: `asb-case-review-${config.area.id}`,
    });
    // A workflow function invoked with a task token answers that token: only those may send responses.
    // The grant (grantTaskResponse's actions) is a policy of its own: the function waits for its role's
    // default policy, so naming the state machine there would make it wait for the state machine,
    // which itself names the function (a cycle CloudFormation refuses).
    for (const spec of functionsHoldingTaskTokens(readFileSync(CASE_REVIEW_DEFINITION, 'utf8'))) {
      const fn = workflowFunctions.get(spec.id);
      if (!fn) continue;
      new Policy(fn, 'AnswerTaskTokens', {
        roles: [fn.role],
        statements: [
          new PolicyStatement({
            actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
            resources: [this.workflow.stateMachine.stateMachineArn],
          }),
        ],
      });
    }

    // HandOver starts the execution that goes on with a long case (functions/workflow/hand-over.ts): a
    // policy of its own, for the same reason.
    const handOver = workflowFunctions.get('HandOver');
    if (handOver) {
      new Policy(handOver, 'StartNextExecution', {
        roles: [handOver.role],
        statements: [this.workflow.startOnAliasStatement()],
      });
    }

    const authorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', this.identity.userPool, {
      userPoolClients: [this.identity.client],
    });
    const reconciler = this.reconcilerFunction(scopeOfFunctions);
    functions.set(RECONCILER_FUNCTION.id, reconciler);
    this.executionFailures = this.recoverFailedExecutions(reconciler);
    const evidenceFunctions = new Map(
      [...EVIDENCE_EVENT_FUNCTIONS, EVIDENCE_RETENTION_FUNCTION].map((spec) => [
        spec.id,
        this.evidenceFunction(scopeOfFunctions, spec),
      ]),
    );
    for (const [id, fn] of evidenceFunctions) functions.set(id, fn);
    this.uploadsArriving = this.processUploads(evidenceFunctions.get(PROCESS_UPLOAD_FUNCTION.id));
    this.scanResults = this.recordScanResults(evidenceFunctions.get(SCAN_RESULT_FUNCTION.id));
    this.scheduleEvidenceRetention(evidenceFunctions.get(EVIDENCE_RETENTION_FUNCTION.id));
    for (const spec of functionSpecs.filter(
      (candidate) =>
        !candidate.workflow &&
        candidate !== RECONCILER_FUNCTION &&
        candidate !== EVIDENCE_RETENTION_FUNCTION &&
        !EVIDENCE_EVENT_FUNCTIONS.includes(candidate),
    )) {
      const fn = this.httpFunction(scopeOfFunctions, spec);
      functions.set(spec.id, fn);
      this.api.route(fn, authorizer);
    }
    this.functions = functions;

    this.monitoring = new Monitoring(this, 'Monitoring', {
      name: config.area.id,
      logsKey: stateful.logsKey,
      ...(config.alarmEmail && { alarmEmail: config.alarmEmail }),
      workflowServiceName: this.serviceName('workflow'),
      areaId: config.area.id,
      stateMachine: this.workflow.stateMachine,
      httpApi: this.api.httpApi,
      functions: [...functions.values()],
      signInTrigger: claimsTrigger,
      tables: [...stateful.tables.values()],
      executionFailures: this.executionFailures,
    });
    checkReservedTotal(this.reservations);
    if (config.exampleNotifications) {
      Annotations.of(this).addWarningV2(
        'asb:example-notifications',
        'Notifications use example settings (mailboxes under .example, the placeholder Notify templates of ' +
          'infra/config/notifications.example.json). Pass -c notifications=<file> before deploying for real.',
      );
    }
    this.allowUploadsFromSite();
    this.outputs();
  }

  private serviceFunction(
    scope: Construct,
    spec: FunctionSpec,
    kind: 'api' | 'web' | 'workflow' | 'auth',
    options: {
      alias?: string;
      environment?: Record<string, string>;
      memorySize?: number;
      timeout?: Duration;
      files?: BundledFile[];
    },
  ): ServiceFunction {
    const reservedConcurrency = reservedConcurrencyOf(spec, this.props.config.reservedConcurrency);
    this.reservations.push(reservedConcurrency);
    return new ServiceFunction(scope, spec.id, {
      spec,
      ...(reservedConcurrency !== undefined && { reservedConcurrency }),
      logsKey: this.props.stateful.logsKey,
      logRetention: LOG_RETENTION,
      serviceName: this.serviceName(kind),
      files: [this.areaFile, ...(options.files ?? [])],
      ...(options.environment && { environment: options.environment }),
      ...(options.memorySize && { memorySize: options.memorySize }),
      ...(options.timeout && { timeout: options.timeout }),
      ...(options.alias && { alias: options.alias }),
    });
  }

  // Per area, so that areas sharing an account keep their logs and metrics (and alarms) apart.
  private serviceName(kind: 'api' | 'web' | 'workflow' | 'auth'): string {
    return `asb-case-review-${this.props.config.area.id}-${kind}`;
  }

  private tableGrants(specs: readonly TableSpec[]): TableGrant[] {
    return specs.map((spec) => {
      const table = this.props.stateful.tables.get(spec.id);
      if (!table) throw new MissingTableError(spec.id);
      return { table, spec };
    });
  }

  /** What infra/function-grants.ts lists for the function on the tables, and nothing more. */
  private grantData(fn: ServiceFunction, tables: readonly TableGrant[]): void {
    const listed = grantsOf(fn.spec.id).tables;
    grantTableActions(
      fn.role,
      tables.map((grant) => ({ ...grant, actions: listed.get(grant.spec) ?? [] })),
      this.props.stateful.key,
    );
  }

  /**
   * The evidence objects the function reads and writes (infra/function-grants.ts), by prefix, and the
   * key for them through S3 only.
   */
  private grantEvidence(fn: ServiceFunction): void {
    const listed = grantsOf(fn.spec.id).evidence;
    if (!listed) return;
    const { evidenceBucketName: bucketName, key } = this.props.stateful;
    const objects = (prefixes: readonly string[]) =>
      prefixes.map((prefix) => `arn:${this.partition}:s3:::${bucketName.value}/${prefix}*`);
    const throughS3 = { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } };
    const statements: PolicyStatement[] = [];
    const deleted = listed.deleteVersions ?? [];
    if (deleted.length > 0) {
      statements.push(
        new PolicyStatement({
          actions: ['s3:ListBucketVersions'],
          resources: [`arn:${this.partition}:s3:::${bucketName.value}`],
        }),
        new PolicyStatement({
          actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          resources: objects(deleted),
        }),
      );
    }
    if (listed.read.length > 0) {
      statements.push(
        new PolicyStatement({ actions: ['s3:GetObject'], resources: objects(listed.read) }),
        new PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn], conditions: throughS3 }),
      );
    }
    if (listed.write.length > 0) {
      statements.push(
        new PolicyStatement({ actions: ['s3:PutObject'], resources: objects(listed.write) }),
        new PolicyStatement({
          actions: ['kms:GenerateDataKey'],
          resources: [key.keyArn],
          conditions: throughS3,
        }),
      );
    }
    const policy = new Policy(fn, 'EvidenceObjects', { roles: [fn.role], statements });
    for (const prefix of new Set([...listed.read, ...listed.write, ...deleted])) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${bucketName.asNagPrintsIt}/${prefix}*]`,
        reason:
          'Evidence objects are keyed by case and file (uploads/<reference>/<id>, clean/<reference>/<id>): ' +
          'this policy holds only the object actions each prefix is needed for, and the key through S3.',
      });
    }
  }

  private workflowFunction(scope: Construct, spec: FunctionSpec): ServiceFunction {
    const tables = this.tableGrants([casesTable, statisticsTable]);
    const notifier = this.notifierSettings();
    const fn = this.serviceFunction(scope, spec, 'workflow', {
      alias: LIVE_ALIAS,
      memorySize: 512,
      timeout: Duration.seconds(30),
      files: notifier.files,
      environment: {
        ...tableEnvironment(tables),
        ...notifier.environment,
        // HandOver starts a long case's next execution on the alias (by name: the ARN would be a cycle).
        STATE_MACHINE_ALIAS: LIVE_ALIAS,
      },
    });
    this.grantData(fn, tables);
    this.grantNotifying(fn);
    return fn;
  }

  /** What a function that sends messages is given: the settings file and the provider's environment. */
  private notifierSettings(): { files: BundledFile[]; environment: Record<string, string> } {
    const { config, stateful } = this.props;
    return {
      files: [
        {
          source: config.notificationsFile,
          name: 'notification-settings.json',
          envVar: 'NOTIFICATION_SETTINGS_FILE',
        },
      ],
      environment: {
        NOTIFIER: config.notifications.provider,
        ...(stateful.notifyApiKey && { NOTIFY_API_KEY_SECRET_ARN: stateful.notifyApiKey.secretArn }),
      },
    };
  }

  private grantNotifying(fn: ServiceFunction): void {
    const { config, stateful } = this.props;
    if (stateful.notifyApiKey) grantSecretRead(fn.role, stateful.notifyApiKey, stateful.key);
    if (config.notifications.ses) this.grantSendEmail(fn, config.notifications.ses);
  }

  // SES authorises a send against the verified identity (the address itself or its domain) and the
  // configuration set, if one is used.
  private grantSendEmail(fn: ServiceFunction, ses: NonNullable<NotificationSettings['ses']>): void {
    const identity = (name: string) =>
      this.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    const domain = ses.fromAddress.slice(ses.fromAddress.indexOf('@') + 1);
    const resources = [identity(ses.fromAddress), identity(domain)];
    if (ses.configurationSet) {
      resources.push(
        this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: ses.configurationSet }),
      );
    }
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'SendEmailAsTheService', actions: ['ses:SendEmail'], resources }),
    );
  }

  // Each day, every open case whose execution is not running is marked and resumed at its wait
  // (functions/workflow/reconcile.ts): it reads the worklist index and the case, writes the mark, and
  // lists and starts the case's executions; nothing else.
  private reconcilerFunction(scope: Construct): ServiceFunction {
    const tables = this.tableGrants([casesTable, statisticsTable]);
    const { stateMachine } = this.workflow;
    const fn = this.serviceFunction(scope, RECONCILER_FUNCTION, 'workflow', {
      memorySize: 512,
      timeout: Duration.minutes(15),
      environment: { ...tableEnvironment(tables), STATE_MACHINE_ARN: this.workflow.aliasArn },
    });
    this.grantData(fn, tables);
    fn.role.addToPrincipalPolicy(this.workflow.startOnAliasStatement());
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ListCaseExecutions',
        actions: ['states:ListExecutions'],
        resources: [stateMachine.stateMachineArn],
      }),
    );
    // Scheduler's own Lambda target would grant `<function ARN>:*` too: this role may invoke the function only.
    const schedulerRole = new Role(this, 'ReconcilerSchedule', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'Lets EventBridge Scheduler run the daily reconciliation',
    });
    schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.function.functionArn] }),
    );
    this.schedule(DAILY_RECONCILIATION, fn, schedulerRole);
    return fn;
  }

  // A case's execution that failed, timed out or was aborted leaves the case stranded until the daily
  // run: the reconciler starts at once instead (it is idempotent, so a burst of failures or a retried
  // event resumes each case once), and the alarm on the rule's matches tells a person.
  private recoverFailedExecutions(reconciler: ServiceFunction): Rule {
    return new Rule(this, 'ExecutionFailures', {
      description: 'A case review execution failed, timed out or was aborted: resume the stranded case',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [this.workflow.stateMachine.stateMachineArn],
        },
      },
      targets: [
        new LambdaFunction(reconciler.function, { retryAttempts: 4, maxEventAge: Duration.hours(6) }),
      ],
    });
  }

  /**
   * A function the evidence bucket's events call: the cases table as infra/function-grants.ts lists, the
   * evidence objects by prefix, and the notifier (a threat found is told to the case's officer).
   */
  private evidenceFunction(scope: Construct, spec: FunctionSpec): ServiceFunction {
    // Both tables are named (a data context has both), the statistics table with no grant on it.
    const tables = this.tableGrants([casesTable, statisticsTable]);
    const { notifies } = grantsOf(spec.id);
    const notifier = notifies ? this.notifierSettings() : { files: [], environment: {} };
    const fn = this.serviceFunction(scope, spec, 'workflow', {
      // A 10 MB photo of up to 100 megapixels is decoded whole: memory is also Lambda's CPU share.
      memorySize: spec.nativePackages ? 2048 : 512,
      timeout: spec === EVIDENCE_RETENTION_FUNCTION ? Duration.minutes(15) : Duration.minutes(1),
      files: notifier.files,
      environment: {
        ...tableEnvironment(tables),
        ...notifier.environment,
        [evidenceBucket.envVar]: this.props.stateful.evidenceBucketName.value,
      },
    });
    this.grantData(fn, tables);
    this.grantEvidence(fn);
    if (notifies) this.grantNotifying(fn);
    return fn;
  }

  // Each night, the files of every case whose retention has ended are deleted, every version of them
  // (functions/evidence/retention.ts); its schedule's role may invoke that function only.
  private scheduleEvidenceRetention(fn: ServiceFunction | undefined): void {
    if (!fn) throw new MissingFunctionError(EVIDENCE_RETENTION_FUNCTION.id);
    const role = new Role(this, 'EvidenceRetentionSchedule', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'Lets EventBridge Scheduler delete the files of cases whose retention ended',
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.function.functionArn] }),
    );
    this.schedule(DAILY_EVIDENCE_RETENTION, fn, role);
  }

  private schedule(schedule: ServiceSchedule, fn: ServiceFunction, role: Role): CfnSchedule {
    return new CfnSchedule(this, schedule.id, {
      description: schedule.description,
      scheduleExpression: schedule.expression,
      scheduleExpressionTimezone: schedule.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: fn.function.functionArn,
        roleArn: role.roleArn,
        retryPolicy: { maximumRetryAttempts: schedule.maximumRetryAttempts },
      },
    });
  }

  // Every object created under uploads/ (a presigned POST's file) goes to its checks and cleaning; the
  // cleaned copies the function writes under clean/ do not match, so it never calls itself. EventBridge
  // retries a failed invocation for up to a day, within the one day uploads/ keeps the file.
  private processUploads(fn: ServiceFunction | undefined): Rule {
    if (!fn) throw new MissingFunctionError(PROCESS_UPLOAD_FUNCTION.id);
    return new Rule(this, 'UploadsArriving', {
      description: 'An evidence file arrived under uploads/: check, clean and record it',
      eventPattern: uploadsArriving(this.props.stateful.evidenceBucketName.value),
      targets: [new LambdaFunction(fn.function, { retryAttempts: 8, maxEventAge: Duration.hours(12) })],
    });
  }

  // GuardDuty Malware Protection scans each cleaned object (the stateful stack's plan, on clean/) and
  // sends its result here; the function records the verdict, a threat rejecting the file.
  private recordScanResults(fn: ServiceFunction | undefined): Rule {
    if (!fn) throw new MissingFunctionError(SCAN_RESULT_FUNCTION.id);
    return new Rule(this, 'ScanResults', {
      description: "GuardDuty scanned a cleaned evidence file: record its verdict on the file's case",
      eventPattern: scanResults(this.props.stateful.evidenceBucketName.value),
      targets: [new LambdaFunction(fn.function, { retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });
  }

  private httpFunction(scope: Construct, spec: FunctionSpec): ServiceFunction {
    const { stateful } = this.props;
    const page = isPageFunction(spec);
    // Every HTTP function refuses a request that did not come through CloudFront (shared/origin-secret.ts).
    const edge = { ORIGIN_SECRET_ARN: this.originSecret.secretArn };
    if (!usesCaseData(spec)) {
      const fn = this.serviceFunction(scope, spec, 'api', { environment: edge });
      grantSecretRead(fn.role, this.originSecret, stateful.key);
      return fn;
    }
    const tables = this.tableGrants([casesTable, statisticsTable, idempotencyTable]);
    const { stateMachine } = this.workflow;
    const { startsExecutions, answersWaitingSteps, notifies, signsStaffOut } = grantsOf(spec.id);
    const notifier = notifies ? this.notifierSettings() : undefined;
    const fn = this.serviceFunction(scope, spec, page ? 'web' : 'api', {
      ...(notifier && { files: notifier.files }),
      environment: {
        ...edge,
        ...tableEnvironment(tables),
        ...notifier?.environment,
        ...this.identity.tokenEnvironment(),
        STATE_MACHINE_ARN: this.workflow.aliasArn,
        ...(grantsOf(spec.id).evidence && { [evidenceBucket.envVar]: stateful.evidenceBucketName.value }),
        ...(page && {
          WEB_SESSION_SECRET_ARN: stateful.webSessionSecret.secretArn,
          // The address the public uses, which the sign-in client returns staff to. Known here without
          // a cycle: CloudFront depends only on the HTTP API itself (its origin host), never on the
          // routes or the functions behind them. So it is set, not read from each request's Host, which
          // would need an allow-list to keep a forged header from choosing where a sign-in code goes.
          SITE_URL: this.web.siteUrl,
          ...this.identity.signInEnvironment(),
        }),
      },
    });
    this.grantData(fn, tables);
    this.grantEvidence(fn);
    grantSecretRead(fn.role, this.originSecret, stateful.key);
    // A request about a case may start its execution if it is not running yet (StartExecution is
    // idempotent by name), and a decision is delivered to the step waiting for it: each only where
    // the function's code does so.
    if (startsExecutions) fn.role.addToPrincipalPolicy(this.workflow.startOnAliasStatement());
    if (answersWaitingSteps) stateMachine.grantTaskResponse(fn.role);
    if (notifies) this.grantNotifying(fn);
    if (page) grantSecretRead(fn.role, stateful.webSessionSecret, stateful.key);
    // Signing out ends the staff member's sessions in the user pool too (functions/shared/staff-sign-out.ts).
    if (signsStaffOut) this.identity.userPool.grant(fn.role, 'cognito-idp:AdminUserGlobalSignOut');
    return fn;
  }

  /**
   * The evidence bucket takes a POST from the site's own pages' scripts (several files at once,
   * functions/web/assets/upload.mjs): a CORS rule for the site's address, POST only; the presigned POST
   * stays the permission. The address is the distribution's, made in this stack after the stateful
   * stack's bucket, so the rule is put by S3's PutBucketCors at deployment rather than on the bucket's
   * properties (the bucket's template never names CORS, so its own updates leave the rule alone).
   */
  private allowUploadsFromSite(): void {
    const bucket = this.props.stateful.evidenceBucketName;
    new AwsCustomResource(this, 'EvidenceUploadsCors', {
      onUpdate: {
        service: 'S3',
        action: 'putBucketCors',
        parameters: {
          Bucket: bucket.value,
          CORSConfiguration: {
            CORSRules: [
              { AllowedOrigins: [this.web.siteUrl], AllowedMethods: ['POST'], MaxAgeSeconds: 3000 },
            ],
          },
        },
        physicalResourceId: PhysicalResourceId.of(`${bucket.value}-cors`),
      },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          actions: ['s3:PutBucketCORS'],
          resources: [`arn:${this.partition}:s3:::${bucket.value}`],
        }),
      ]),
      installLatestAwsSdk: false,
    });
    // The function CDK runs for it (one per stack, at deployment only) writes its own logs with this policy.
    const provider = this.node.children.find((child) =>
      child.node.id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'),
    );
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's own deployment-time function behind AwsCustomResource, which puts the evidence bucket's CORS " +
          'rule; it runs only during a deployment and writes only its own logs with this policy.',
      });
    }
  }

  private outputs(): void {
    const { stateful, config } = this.props;
    new CfnOutput(this, 'SiteUrl', { value: this.web.siteUrl });
    if (config.customDomain) {
      // The CNAME target of domainName, which SiteUrl then names: the distribution's own name.
      new CfnOutput(this, 'SiteDnsTarget', { value: this.web.distribution.distributionDomainName });
    }
    if (this.api.originDomain) {
      // The CNAME target of origin.<domainName>, which CloudFront reaches the API at.
      new CfnOutput(this, 'OriginDomainTarget', { value: this.api.originDomain.regionalDomainName });
    }
    new CfnOutput(this, 'StaffSignInUrl', { value: this.identity.domain.baseUrl() });
    if (config.authCustomDomain) {
      // The CNAME target of the custom sign-in domain (Cognito's own CloudFront distribution).
      new CfnOutput(this, 'StaffSignInDnsTarget', {
        value: (this.identity.domain.node.defaultChild as CfnUserPoolDomain).attrCloudFrontDistribution,
      });
    }
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    // Where executions start: STATE_MACHINE_ARN for `npm run reconcile -- --aws`.
    new CfnOutput(this, 'StateMachineAliasArn', { value: this.workflow.aliasArn });
    // CASES_TABLE and STATISTICS_TABLE for the operators' scripts with --aws (recount, backfill, reconcile).
    const [cases, statistics] = this.tableGrants([casesTable, statisticsTable]);
    if (cases) new CfnOutput(this, 'CasesTable', { value: cases.table.tableName });
    if (statistics) new CfnOutput(this, 'StatisticsTable', { value: statistics.table.tableName });
    // The key a restored table is given (README, "Backups and restore").
    new CfnOutput(this, 'DataKeyArn', { value: stateful.key.keyArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'OriginSecretArn', { value: this.originSecret.secretArn });
    // The secret the README's rotation of the pages' session secret puts values in.
    new CfnOutput(this, 'WebSessionSecretArn', { value: stateful.webSessionSecret.secretArn });
    if (stateful.notifyApiKey) {
      new CfnOutput(this, 'NotifyApiKeySecretArn', { value: stateful.notifyApiKey.secretArn });
    }
  }
}

function tableEnvironment(tables: readonly TableGrant[]): Record<string, string> {
  return Object.fromEntries(tables.map(({ table, spec }) => [spec.envVar, table.tableName]));
}

export class MissingFunctionError extends Error {
  constructor(id: string) {
    super(`The stateless stack has no function ${id}`);
    this.name = 'MissingFunctionError';
  }
}

export class MissingTableError extends Error {
  constructor(id: string) {
    super(`The stateful stack has no table ${id}`);
    this.name = 'MissingTableError';
  }
}

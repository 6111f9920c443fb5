// One Lambda function of the service, built the same way for every entry in infra/functions.ts: Node 24
// on ARM, bundled by esbuild with the AWS SDK inside (the version package-lock.json pins, not the
// runtime's), source maps, Powertools settings, its own log group and its own role.
//
// The role starts empty and the function only sees it read-only, so nothing CDK would add on its own
// (the AWS managed basic-execution policy, tracing statements) lands in it: every permission the function
// has is one the stacks grant explicitly on `role`.
import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { DataIdentifier, DataProtectionPolicy, LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '#infra/functions.ts';
import { METRICS_NAMESPACE } from '#shared/metrics.ts';

const PROJECT_ROOT = join(import.meta.dirname, '../..');

/** Where the Lambda runtime unpacks the bundle. */
const TASK_ROOT = '/var/task';

// The pages read their templates and GOV.UK Frontend's files from disk (functions/web/web-paths.ts), so
// their bundles carry those folders at the same paths under the bundle's root.
const WEB_FILES = ['functions/web/views', 'functions/web/assets', 'node_modules/govuk-frontend/dist/govuk'];

// esbuild's ESM output cannot `require` Node's built-ins from the CommonJS packages it bundles
// (nunjucks, notifications-node-client) without a real `require` in scope.
const REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** A file the bundle carries at its root, named to the function by an environment variable. */
export interface BundledFile {
  readonly source: string;
  readonly name: string;
  readonly envVar: string;
}

export interface ServiceFunctionProps {
  readonly spec: FunctionSpec;
  /** Encrypts the log group. */
  readonly key: IKey;
  readonly logRetention: RetentionDays;
  /** Names the function's logs and metrics (Powertools `service`); it carries the area's id. */
  readonly serviceName: string;
  /** Validated configuration the bundle carries (the area, the notification settings). */
  readonly files: readonly BundledFile[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
}

export class ServiceFunction extends Construct {
  readonly spec: FunctionSpec;
  readonly function: NodejsFunction;
  /** The role to grant on: the function itself holds a read-only view of it. */
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${spec.id} function of the ASB case review`,
    });
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
      // A safety net under "no personal data in logs": CloudWatch masks these if code ever logs them.
      dataProtectionPolicy: new DataProtectionPolicy({
        name: 'mask-personal-data',
        identifiers: [
          DataIdentifier.EMAILADDRESS,
          DataIdentifier.PHONENUMBER_GB,
          DataIdentifier.ADDRESS,
          DataIdentifier.NATIONALINSURANCENUMBER_GB,
          DataIdentifier.NHSNUMBER_GB,
        ],
      }),
    });
    this.logGroup.grantWrite(this.role);
    this.grantTracing();

    const isPage = spec.entry.startsWith('functions/web/');
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      description: `ASB case review: ${spec.id}`,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Events, responses and errors can carry applicants' details: none of them is recorded.
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
        ...Object.fromEntries(props.files.map((file) => [file.envVar, `${TASK_ROOT}/${file.name}`])),
        ...(isPage && { WEB_ROOT: TASK_ROOT }),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        bundleAwsSDK: true,
        banner: REQUIRE_SHIM,
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => [
            ...props.files.map((file) => copy(file.source, join(outputDir, file.name))),
            ...(isPage ? WEB_FILES.map((path) => copyTree(join(inputDir, path), join(outputDir, path))) : []),
          ],
        },
      },
    });
  }

  // X-Ray's write actions have no resource-level permissions, so they get a policy of their own and the
  // wildcard is acknowledged there alone, never on the policy that holds the function's real grants.
  private grantTracing(): void {
    const tracing = new Policy(this, 'Tracing', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
      ],
    });
    Validations.of(tracing).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (Service ' +
        'Authorization Reference: resource type "*"); this policy holds only those two write actions.',
    });
  }
}

const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;

function copy(from: string, to: string): string {
  return `cp ${quote(from)} ${quote(to)}`;
}

function copyTree(from: string, to: string): string {
  return `mkdir -p ${quote(join(to, '..'))} && cp -R ${quote(from)} ${quote(to)}`;
}

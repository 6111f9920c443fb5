// One Lambda function of the service, built the same way for every entry in infra/functions.ts: Node 24
// on ARM (x86_64 for one carrying native packages, as their build is), bundled by esbuild as infra/bundling.ts says (the AWS SDK inside), source maps,
// Powertools settings, its own log group and its own role.
//
// The role starts empty and the function only sees it read-only, so nothing CDK would add on its own
// (the AWS managed basic-execution policy, tracing statements) lands in it: every permission the function
// has is one the stacks grant explicitly on `role`.

import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AssetHashType, Duration, type ILocalBundling, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Alias,
  ApplicationLogLevel,
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { DataIdentifier, DataProtectionPolicy, LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundleFunctionsSync, type FunctionBuild, HANDLER, PROJECT_ROOT } from '#infra/bundling.ts';
import { type FunctionSpec, functionSpecs } from '#infra/functions.ts';
import { buildWeb } from '#infra/web-build.ts';
import { METRICS_NAMESPACE } from '#shared/metrics.ts';
import { ASSET_MANIFEST, builtTemplates, type Door, WEB_BUILD } from '#web/web-paths.ts';

/** Where the Lambda runtime unpacks the bundle. */
const TASK_ROOT = '/var/task';

// The pages read what infra/web-build.ts built for them (functions/web/web-paths.ts): their bundle carries
// its door's compiled templates and the manifest of the static files' names at the same paths under its
// root. The static files themselves are not the function's (CloudFront serves them from S3).
const pageFiles = (door: Door) => [builtTemplates(door), ASSET_MANIFEST];

/** Builds what the pages read and copies what `door`'s read into their bundle's folder `outputDir`. */
export function copyPageFiles(outputDir: string, door: Door): void {
  buildWeb();
  mkdirSync(join(outputDir, WEB_BUILD), { recursive: true });
  for (const file of pageFiles(door))
    cpSync(join(PROJECT_ROOT, WEB_BUILD, file), join(outputDir, WEB_BUILD, file));
}

/** A file the bundle carries at its root, named to the function by an environment variable. */
export interface BundledFile {
  readonly source: string;
  readonly name: string;
  readonly envVar: string;
}

export interface ServiceFunctionProps {
  readonly spec: FunctionSpec;
  /** Encrypts the log group. */
  readonly logsKey: IKey;
  readonly logRetention: RetentionDays;
  /** Names the function's logs and metrics (Powertools `service`); it carries the area's id. */
  readonly serviceName: string;
  /** Validated configuration the bundle carries (the area, the notification settings). */
  readonly files: readonly BundledFile[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Instances reserved for this function alone (infra/reserved-concurrency.ts); none when undefined. */
  readonly reservedConcurrency?: number;
  /** Publishes a version on each change of the function and points this alias at it. */
  readonly alias?: string;
}

export class ServiceFunction extends Construct {
  readonly spec: FunctionSpec;
  readonly function: LambdaFunction;
  /** The role to grant on: the function itself holds a read-only view of it. */
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** The alias of `props.alias`, on the version this deployment published. */
  readonly alias?: Alias;

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
      encryptionKey: props.logsKey,
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

    this.function = new LambdaFunction(this, 'Function', {
      code: bundledCode(spec, props.files),
      handler: HANDLER,
      runtime: Runtime.NODEJS_24_X,
      // ARM costs less; a function carrying native packages runs where their build does (infra/bundling.ts).
      architecture: spec.nativePackages ? Architecture.X86_64 : Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.reservedConcurrency !== undefined && {
        reservedConcurrentExecutions: props.reservedConcurrency,
      }),
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
        ...(spec.door && { WEB_ROOT: TASK_ROOT }),
        ...props.environment,
      },
    });
    // Earlier versions are kept (CDK retains them) for a roll back to move the alias to.
    if (props.alias)
      this.alias = new Alias(this, 'Alias', {
        aliasName: props.alias,
        version: this.function.currentVersion,
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

// Bundled on this machine (the bundling image is there only because CDK asks for one), and named by a
// hash of what the bundle holds, so an unchanged function is not uploaded again. CDK tells bundles of
// one source folder apart by their bundling options as JSON: the bundler's fields are what differ.
class FunctionBundler implements ILocalBundling {
  readonly entry: string;
  readonly files: readonly BundledFile[];
  readonly door: Door | undefined;

  constructor(entry: string, files: readonly BundledFile[], door: Door | undefined) {
    this.entry = entry;
    this.files = files;
    this.door = door;
  }

  tryBundle(outputDir: string): boolean {
    cpSync(prebuiltBundle(this.entry), outputDir, { recursive: true });
    for (const file of this.files) cpSync(file.source, join(outputDir, file.name));
    if (this.door) copyPageFiles(outputDir, this.door);
    return true;
  }
}

// CDK asks for one bundle at a time, as it creates each function. The first time it asks, the function
// asked for and every function of infra/functions.ts are bundled at once, by one esbuild process, into a
// folder of this process's; each bundle is then copied from there. A process per function spent most
// of a synthesis starting processes one after the other.
//
// A test run synthesises the same sources several times, in processes of their own (the deployed mode's
// assembly for each area, the infra tests' synths), and the bundling was most of each synthesis's CPU.
// With ASB_BUNDLE_DIR set (vitest.config.ts gives each run a folder), the first process to ask for a set
// of bundles makes them there, and the others wait for it and copy from it.
const prebuilt = new Map<string, string>();

function prebuiltBundle(entry: string): string {
  if (!prebuilt.has(entry)) {
    const specOf = new Map(functionSpecs.map((spec) => [spec.entry, spec]));
    const entries = [...new Set([entry, ...specOf.keys()])].filter((e) => !prebuilt.has(e));
    const shared = process.env.ASB_BUNDLE_DIR;
    const root = shared
      ? join(shared, createHash('sha256').update(entries.join('\0')).digest('hex').slice(0, 16))
      : mkdtempSync(join(tmpdir(), 'asb-bundles-'));
    const builds = entries.map((e, index) => {
      const { nativePackages, sourceMap } = specOf.get(e) ?? {};
      return {
        entry: e,
        outdir: join(root, String(index)),
        ...(nativePackages && { nativePackages }),
        ...(sourceMap !== undefined && { sourceMap }),
      };
    });
    if (shared) bundleOnce(root, builds);
    else {
      process.once('exit', () => rmSync(root, { recursive: true, force: true }));
      bundleFunctionsSync(builds);
    }
    for (const build of builds) prebuilt.set(build.entry, build.outdir);
  }
  return prebuilt.get(entry) as string;
}

const STALE_BUNDLING_MS = 5 * 60_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Bundles `builds` into `root` unless another process has, or waits while another does. */
function bundleOnce(root: string, builds: readonly FunctionBuild[]): void {
  const bundled = join(root, 'bundled');
  const lock = `${root}.lock`;
  mkdirSync(dirname(root), { recursive: true });
  while (!existsSync(bundled)) {
    try {
      mkdirSync(lock);
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_BUNDLING_MS) {
        rmSync(lock, { recursive: true, force: true });
      }
      // CDK asks for a bundle synchronously: the process has nothing else to do meanwhile.
      Atomics.wait(pause, 0, 0, 250);
      continue;
    }
    try {
      bundleFunctionsSync(builds);
      writeFileSync(bundled, '');
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

function bundledCode(spec: FunctionSpec, files: readonly BundledFile[]): Code {
  return Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: Runtime.NODEJS_24_X.bundlingImage,
      local: new FunctionBundler(spec.entry, files, spec.door),
    },
  });
}

// The whole service on one machine: DynamoDB Local, the local S3 server, the local Step Functions engine
// and its API endpoint, and the HTTP gateway in front of the same handlers AWS runs: their TypeScript sources
// (`npm start`), or the bundles, settings, routes, state machine and IAM policies of the cloud
// assembly CDK synthesised (`npm run start:deployed`), with each function's AWS calls checked against
// its role and its metrics captured.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { documentClientOf } from '#clients/dynamodb.ts';
import { evidenceBucket } from '#data/bucket-specs.ts';
import { otherAreasCounted } from '#data/statistics-counters.ts';
import { casesTable, statisticsTable, type TableSpec, tables } from '#data/table-specs.ts';
import { clamscan } from '#evidence/scanner.ts';
import { eventPatternJson, uploadsArriving } from '#infra/evidence-events.ts';
import {
  definitionSubstitutions,
  type FunctionSpec,
  functionSpecs,
  LIVE_ALIAS,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  LOCAL_STATE_MACHINE_ALIAS_ARN,
  localFunctionArn,
  PROCESS_UPLOAD_FUNCTION,
} from '#infra/functions.ts';
import { SERVICE_SCHEDULES } from '#infra/schedules.ts';
import { ASSETS, assetsFolder, buildWeb } from '#infra/web-build.ts';
import { DEFAULT_TTL_INTERVAL_SECONDS, type LocalConfig } from '#local/config.ts';
import { ensureTables } from '#local/create-tables.ts';
import type { DeployedApp } from '#local/deployed/cloud-assembly.ts';
import type { Caller, LocalIam } from '#local/deployed/iam.ts';
import type { LambdaHost } from '#local/deployed/lambda-host.ts';
import { freePort, startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { createEventBus, objectCreatedEvents } from '#local/event-bus.ts';
import {
  createGateway,
  type HttpHandler,
  lambdaContext,
  type Route,
  type StaticFiles,
  staticFilesIn,
} from '#local/gateway.ts';
import { protectWithScans } from '#local/malware-scan.ts';
import { startLocalS3 } from '#local/s3-local.ts';
import { handleSchedulesRequest, SCHEDULER_DEFAULTS, startScheduler } from '#local/schedules.ts';
import { loadStateMachines } from '#local/stepfunctions/definitions.ts';
import { compileDefinition } from '#local/stepfunctions/interpreter.ts';
import type { CompiledStateMachine } from '#local/stepfunctions/model.ts';
import { createStepFunctionsRuntime } from '#local/stepfunctions/runtime.ts';
import { createStepFunctionsServer } from '#local/stepfunctions/server.ts';
import { startTimeToLive } from '#local/time-to-live.ts';
import { handleTokenRequest } from '#local/token-endpoint.ts';
import { createLocalTokenIssuer } from '#local/token-issuer.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';
import { ORIGIN_SECRET_HEADER } from '#shared/origin-secret.ts';
import { listOutbox, outboxDirectory } from '#shared/outbox-notifier.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const AUDIENCE = 'asb-case-review-local';
const ENGINE_TABLE = 'local-stepfunctions';

export interface LocalCloud {
  urls: {
    api: string;
    dynamodb: string;
    stepFunctions: string;
    s3: string;
    secretsManager?: string;
    lambda?: string;
  };
  /** What runs: the TypeScript sources (`npm start`) or a cloud assembly (`npm run start:deployed`). */
  mode: 'source' | 'deployed';
  /** The ARNs of the state machines the engine runs. */
  stateMachineArns: readonly string[];
  /** The evidence bucket on the local S3 server (in the deployed mode, as the template names it). */
  evidenceBucket: string;
  /** In the deployed mode, the IAM checks made so far (each deployed function's AWS calls). */
  iam?: LocalIam;
  stop(): Promise<void>;
}

export interface LocalCloudOptions {
  /** Runs the cloud assembly in this folder (what `cdk synth` wrote) instead of the TypeScript sources. */
  cloudAssembly?: string;
}

/**
 * The deployed mode's parts (the cloud assembly's reader and its template resolver, IAM and its
 * simulator, the gates, the sandboxes), loaded only by `npm run start:deployed`: `npm start` never uses
 * them, and loading them was about a tenth of its start's CPU.
 */
async function deployedModeParts() {
  const [requests, assembly, functions, gate, iam, lambdaApi, metrics, secrets] = await Promise.all([
    import('#local/deployed/aws-requests.ts'),
    import('#local/deployed/cloud-assembly.ts'),
    import('#local/deployed/deployed-functions.ts'),
    import('#local/deployed/dynamodb-gate.ts'),
    import('#local/deployed/iam.ts'),
    import('#local/deployed/lambda-api.ts'),
    import('#local/deployed/metrics.ts'),
    import('#local/deployed/secrets-manager.ts'),
  ]);
  return { ...requests, ...assembly, ...functions, ...gate, ...iam, ...lambdaApi, ...metrics, ...secrets };
}

/** What the cloud runs: the functions by name (and their aliases), the routes to them and the state machines. */
interface Workload {
  handlers: ReadonlyMap<string, HttpHandler>;
  aliases: ReadonlyMap<string, readonly string[]>;
  routes: readonly Route[];
  machines: readonly { machine: CompiledStateMachine; aliases: readonly string[] }[];
}

export async function startLocalCloud(
  config: LocalConfig,
  log: (message: string) => void = () => undefined,
  options: LocalCloudOptions = {},
): Promise<LocalCloud> {
  const api = `http://${config.host}:${config.port}`;
  const stepFunctionsEndpoint = `http://${config.host}:${config.stepFunctionsPort}`;
  const dynamodbEndpoint = `http://${config.host}:${config.dynamodbPort}`;
  const secretsManagerEndpoint = `http://${config.host}:${config.secretsManagerPort}`;
  const deployed = options.cloudAssembly ? await deployedModeParts() : undefined;
  const app =
    options.cloudAssembly && deployed
      ? deployed.readCloudAssembly(options.cloudAssembly, {
          region: LOCAL_REGION,
          accountId: LOCAL_ACCOUNT,
          apiUrl: api,
          staffTokenAudience: AUDIENCE,
          tablePrefix: config.tablePrefix ?? '',
        })
      : undefined;
  // Before anything starts: a file that cannot be read or breaks the domain rules stops the start,
  // named in the DeployedAreaConfigError. The sources read the same file, in this same process; the
  // deployed functions read the one their bundles carry.
  const area = areaConfigFromEnv({ AREA_CONFIG_FILE: app ? bundledAreaFile(app) : config.areaConfigFile });
  if (!app && config.areaConfigFile) process.env.AREA_CONFIG_FILE = config.areaConfigFile;
  else delete process.env.AREA_CONFIG_FILE;
  mkdirSync(config.dataDir, { recursive: true });
  // The pages' templates and static files as this checkout has them, for the sources; the gateway serves
  // the static files as the edge would. The deployed functions carry their own templates.
  if (!app) buildWeb(projectRoot);

  // In the deployed mode the IAM gate takes DynamoDB's port, in front of DynamoDB Local on a port of
  // its own (or of the DynamoDB at DYNAMODB_ENDPOINT).
  const dynamodb = config.dynamodbEndpoint
    ? { endpoint: config.dynamodbEndpoint, warning: undefined, stop: async () => undefined }
    : await startDynamoDbLocal({
        port: app ? await freePort() : config.dynamodbPort,
        dbPath: join(config.dataDir, 'dynamodb'),
      });
  if (dynamodb.warning) log(dynamodb.warning);
  const prefix = config.tablePrefix ?? '';
  const serviceTables = tables.map((spec) => ({ ...spec, localName: `${prefix}${spec.localName}` }));
  const stoppers: (() => Promise<void>)[] = [() => dynamodb.stop()];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne();
  };
  const iam = deployed && new deployed.LocalIam(LOCAL_ACCOUNT);
  // The evidence bucket: its own name here, or the name the template gives the functions.
  const evidenceBucketName = (app && deployedEvidenceBucket(app)) ?? evidenceBucket.localName;
  // EventBridge here: the evidence bucket's events go to the rules' targets once the functions are loaded.
  const bus = createEventBus((rule, error) =>
    log(`error in ${rule}: ${error instanceof Error ? error.name : 'unknown'}`),
  );
  const where = { region: LOCAL_REGION, account: LOCAL_ACCOUNT };
  try {
    const s3 = await startLocalS3({
      host: config.host,
      port: config.s3Port,
      directory: join(config.dataDir, 's3'),
      buckets: [evidenceBucketName],
      // The pages' scripts send several files at once straight to storage from the site's address.
      allowedOrigins: [`http://${config.host}:${config.port}`],
      ...(iam && {
        // The deployed functions sign with keys of their own, and their roles decide what they may do.
        signers: {
          secretOf: (accessKeyId: string) => iam.callerOf(accessKeyId)?.secretAccessKey,
          authorise: async (accessKeyId, action, resource, context) => {
            // The template's bucket policy binds every caller; a function's role must allow the call too.
            const bucket = resource.slice('arn:aws:s3:::'.length).split('/')[0];
            const policy = app?.bucketPolicies.find((each) => each.bucketName === bucket)?.document;
            const request = { action, resource, ...(Object.keys(context).length > 0 && { context }) };
            const caller = iam.callerOf(accessKeyId);
            if (caller) return (await iam.authorise(caller, [request], policy))?.message;
            return policy && iam.deniedByResourcePolicy(request, policy);
          },
        },
      }),
      // The bucket sends its object events to EventBridge, as the stack configures it in AWS.
      onEvent: (notification) => {
        for (const event of objectCreatedEvents(notification, where)) bus.put(event);
      },
    });
    stoppers.push(() => s3.stop());
    const client = new DynamoDBClient({
      endpoint: dynamodb.endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    stoppers.push(async () => client.destroy());
    await ensureTables(client, serviceTables);
    await refuseAnotherArea(client, serviceTables, area.id, config);
    const timeToLive = startTimeToLive({
      client,
      tables: serviceTables,
      intervalMs: (config.timeToLiveIntervalSeconds ?? DEFAULT_TTL_INTERVAL_SECONDS) * 1000,
      onError: (error) => log(`error in the tables' TTL: ${error instanceof Error ? error.name : 'unknown'}`),
    });
    stoppers.push(() => timeToLive.stop());

    let workload: Workload;
    let stateMachineCaller: Caller | undefined;
    // The schedules, and how each runs its target: the template's, or the service's own for the sources.
    let scheduled: Pick<Parameters<typeof startScheduler>[0], 'schedules' | 'invoke'>;
    // What CloudFront adds to each request in AWS (the origin secret), the gateway adds here.
    let originHeaders: Record<string, string>;
    if (app && iam && deployed) {
      const gate = deployed.createDynamoDbGate({
        upstream: dynamodb.endpoint,
        iam,
        arns: { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT },
        onError: (error) => log(`DynamoDB gate: ${error instanceof Error ? error.message : String(error)}`),
      });
      await listen(gate, config.dynamodbPort, config.host);
      stoppers.push(() => close(gate));
      const valuesFile = join(config.dataDir, 'secrets.json');
      const secrets = deployed.createSecretsManagerServer({ secrets: app.secrets, valuesFile, iam });
      const secretValues = deployed.localSecretValues(valuesFile, app.secrets);
      originHeaders = Object.fromEntries(
        Object.entries(app.originHeaders).map(([name, value]) => [
          name,
          deployed.resolveSecretReferences(value, secretValues),
        ]),
      );
      await listen(secrets, config.secretsManagerPort, config.host);
      stoppers.push(() => close(secrets));
      const callers = new Map(app.functions.map((fn) => [fn.name, iam.addCaller(fn.name, fn.role)]));
      const [machine] = app.stateMachines;
      if (machine) stateMachineCaller = iam.addCaller(machine.name, machine.role);
      const hosts = deployed.createDeployedFunctions(
        app.functions,
        callers,
        {
          region: LOCAL_REGION,
          apiUrl: api,
          dataDir: config.dataDir,
          dynamodbEndpoint,
          stepFunctionsEndpoint,
          secretsManagerEndpoint,
          s3Endpoint: s3.endpoint,
        },
        (name) =>
          deployed.functionOutput(name, deployed.metricsFile(config.dataDir), (line) =>
            process.stdout.write(`${line}\n`),
          ),
      );
      stoppers.push(async () => {
        await Promise.all([...hosts.values()].map((host) => host.stop()));
      });
      // The template's EventBridge rules, each to its functions, and GuardDuty's scans of what its plans
      // protect, whose results the rules take on.
      for (const rule of app.rules) {
        for (const name of rule.functionNames) {
          const host = hosts.get(name) as LambdaHost;
          bus.addRule(rule.logicalId, rule.eventPattern, (event) => host.invoke(event));
        }
      }
      // GuardDuty reads and tags the objects as each plan's role.
      const plans = app.malwareProtectionPlans.map((plan) => {
        const caller = iam.addCaller(`GuardDuty Malware Protection of ${plan.bucketName}`, plan.role);
        const client = new S3Client({
          endpoint: s3.endpoint,
          region: LOCAL_REGION,
          forcePathStyle: true,
          credentials: { accessKeyId: caller.accessKeyId, secretAccessKey: caller.secretAccessKey },
        });
        stoppers.push(async () => client.destroy());
        return { ...plan, s3: client };
      });
      protectWithScans({ bus, plans, scan: clamscan(), where });
      // The template's schedules, each invoking its function as the schedule's role.
      const scheduleCallers = new Map(
        app.schedules.map((each) => [each.name, iam.addCaller(each.name, each.role)]),
      );
      scheduled = {
        schedules: app.schedules,
        invoke: async (schedule, event) => {
          const denied = await iam.authorise(scheduleCallers.get(schedule.name) as Caller, [
            { action: 'lambda:InvokeFunction', resource: schedule.targetArn },
          ]);
          if (denied) throw new ScheduleAccessDeniedError(denied.message);
          return (hosts.get(schedule.functionName) as LambdaHost).invoke(event);
        },
      };
      const lambdaApi = deployed.createLambdaApi({ functions: hosts, arnOf: localFunctionArn, iam });
      await listen(lambdaApi, config.lambdaPort, config.host);
      stoppers.push(() => close(lambdaApi));
      workload = {
        handlers: new Map(
          [...hosts].map(([name, host]) => [
            name,
            (event: unknown, context: { awsRequestId: string }) => host.invoke(event, context.awsRequestId),
          ]),
        ),
        aliases: new Map(app.functions.map((fn) => [fn.name, fn.aliases])),
        routes: app.routes.map((route) => ({
          routeKey: route.routeKey,
          functionName: route.functionName,
          handler: (event, context) =>
            (hosts.get(route.functionName) as LambdaHost).invoke(event, context.awsRequestId),
        })),
        machines: app.stateMachines.map((deployed) => ({
          machine: compileDefinition(deployed.name, deployed.arn, deployed.definition),
          aliases: deployed.aliases,
        })),
      };
    } else {
      // One value per process: the handlers read it once, when first loaded.
      const originSecret = process.env.ORIGIN_SECRET || randomBytes(32).toString('base64url');
      originHeaders = { [ORIGIN_SECRET_HEADER]: originSecret };
      workload = await sourceWorkload(config, serviceTables, originSecret, {
        api,
        dynamodb: dynamodb.endpoint,
        stepFunctionsEndpoint,
        s3: s3.endpoint,
      });
      // The stack's rule for uploads/, to the sources' upload processing (which scans here itself).
      const processUpload = await sourceHandler(PROCESS_UPLOAD_FUNCTION);
      bus.addRule('UploadsArriving', eventPatternJson(uploadsArriving(evidenceBucketName)), processUpload);
      const { handlers } = workload;
      scheduled = {
        schedules: SERVICE_SCHEDULES.map((each) => ({
          name: each.id,
          arn: `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}:schedule/default/${each.id}`,
          expression: each.expression,
          timeZone: each.timeZone,
          enabled: true,
          targetArn: localFunctionArn(each.target.id),
          functionName: each.target.id,
          maximumRetryAttempts: each.maximumRetryAttempts,
          maximumEventAgeSeconds: SCHEDULER_DEFAULTS.maximumEventAgeSeconds,
        })),
        invoke: (schedule, event) =>
          (handlers.get(schedule.functionName) as HttpHandler)(
            event as never,
            lambdaContext(schedule.functionName, randomUUID()),
          ),
      };
    }
    const scheduler = startScheduler({
      ...scheduled,
      onError: (name, error) =>
        log(`error in schedule ${name}: ${error instanceof Error ? error.name : 'unknown'}`),
    });
    stoppers.push(() => scheduler.stop());

    const runtime = await createStepFunctionsRuntime({
      dynamodb: client,
      tableName: `${prefix}${ENGINE_TABLE}`,
      resolveFunction: async (name: string, qualifier?: string) => {
        const handler = workload.handlers.get(name);
        if (!handler || (qualifier !== undefined && !workload.aliases.get(name)?.includes(qualifier))) {
          return undefined;
        }
        if (!iam || !stateMachineCaller) return handler;
        // The state machine's role must allow invoking the function (the alias it names), as in AWS.
        const denied = await iam.authorise(stateMachineCaller, [
          { action: 'lambda:InvokeFunction', resource: localFunctionArn(name, qualifier) },
        ]);
        if (denied) throw new LambdaAccessDeniedError(denied.message);
        return handler;
      },
    });
    stoppers.push(() => runtime.close());
    for (const { machine, aliases } of workload.machines) runtime.registerStateMachine(machine, aliases);
    await runtime.resume();
    const stepFunctions = createStepFunctionsServer(runtime, {
      ...(iam &&
        deployed && {
          authorise: async (request, operation, body) => {
            const caller = iam.callerOf(deployed.accessKeyOf(request.headers.authorization));
            if (!caller) return undefined;
            const requests = await deployed.stepFunctionsRequests(operation, body, async (token) => {
              const found = await runtime.taskToken(token);
              return found && deployed.stateMachineOfExecution(found.executionArn);
            });
            return iam.authorise(caller, requests);
          },
        }),
    });
    await listen(stepFunctions, config.stepFunctionsPort, config.host);
    stoppers.push(() => close(stepFunctions));

    const issuer = await createLocalTokenIssuer({
      dataDir: config.dataDir,
      issuer: `${api}/local`,
      audience: AUDIENCE,
    });
    const gateway = createGateway({
      routes: workload.routes,
      originHeaders,
      // What the stack's uploads put in the static files' bucket, or the build of this checkout.
      staticFiles: app ? deployedStaticFiles(app) : staticFilesIn(assetsFolder(projectRoot)),
      localEndpoints: {
        '/local/jwks.json': async () => ({ statusCode: 200, body: issuer.jwks }),
        '/local/token': (request) => handleTokenRequest(issuer, area, request),
        // The letters, emails and texts the service would have sent, newest last.
        '/local/outbox': async () => ({
          statusCode: 200,
          body: { messages: await listOutbox(outboxDirectory(config.dataDir)) },
        }),
        ...(deployed && {
          // The deployed functions' metrics, as CloudWatch would have received them, newest last.
          '/local/metrics': async () => ({
            statusCode: 200,
            body: { metrics: deployed.readMetrics(deployed.metricsFile(config.dataDir)) },
          }),
        }),
        // The schedules (GET), and running one now (POST {"schedule": "<name>"}).
        '/local/schedules': (request) => handleSchedulesRequest(scheduler, request),
        ...(iam && {
          // Per deployed function: the actions its role allows and the AWS calls it made.
          '/local/aws-calls': async () => ({ statusCode: 200, body: { functions: iam.report() } }),
        }),
      },
      onError: (error, routeKey) =>
        log(`error in ${routeKey}: ${error instanceof Error ? error.name : 'unknown'}`),
    });
    await listen(gateway, config.port, config.host);
    stoppers.push(() => close(gateway));

    return {
      urls: {
        api,
        dynamodb: app ? dynamodbEndpoint : dynamodb.endpoint,
        stepFunctions: stepFunctionsEndpoint,
        s3: s3.endpoint,
        ...(app && {
          secretsManager: secretsManagerEndpoint,
          lambda: `http://${config.host}:${config.lambdaPort}`,
        }),
      },
      mode: app ? 'deployed' : 'source',
      stateMachineArns: workload.machines.map(({ machine }) => machine.arn),
      evidenceBucket: evidenceBucketName,
      ...(iam && { iam }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `npm start`: the handlers' TypeScript modules in this process, set up through process.env. */
async function sourceWorkload(
  config: LocalConfig,
  serviceTables: readonly TableSpec[],
  originSecret: string,
  endpoints: { api: string; dynamodb: string; stepFunctionsEndpoint: string; s3: string },
): Promise<Workload> {
  const { api } = endpoints;
  // The environment the handlers read, in AWS set per function by CDK.
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    STEPFUNCTIONS_ENDPOINT: endpoints.stepFunctionsEndpoint,
    S3_ENDPOINT: endpoints.s3,
    [evidenceBucket.envVar]: evidenceBucket.localName,
    // No GuardDuty here: the evidence processing scans with the machine's own scanner, if it has one.
    EVIDENCE_SCANNER: 'local',
    // The pages' own address, where storage sends a browser back after an upload.
    SITE_URL: api,
    STAFF_TOKEN_ISSUER: `${api}/local`,
    STAFF_TOKEN_AUDIENCE: AUDIENCE,
    STAFF_TOKEN_JWKS_URL: `${api}/local/jwks.json`,
    DATA_DIR: config.dataDir,
    NOTIFIER: 'outbox',
    // Staff sign in through the local role picker, standing in for the user pool's hosted sign-in.
    STAFF_SIGN_IN: 'local',
    // Powertools writes metrics to stdout as CloudWatch's embedded format: noise on one machine.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    // Executions start on the state machine's alias, which calls the functions' aliases, as in AWS.
    STATE_MACHINE_ARN: LOCAL_STATE_MACHINE_ALIAS_ARN,
    STATE_MACHINE_ALIAS: LIVE_ALIAS,
    // The value the gateway adds to each request, as CloudFront adds the one in Secrets Manager.
    ORIGIN_SECRET: originSecret,
    ...Object.fromEntries(serviceTables.map((spec) => [spec.envVar, spec.localName])),
  });
  const handlers = new Map<string, HttpHandler>();
  for (const spec of functionSpecs) handlers.set(spec.id, await sourceHandler<HttpHandler>(spec));
  return {
    handlers,
    aliases: new Map(functionSpecs.filter((spec) => spec.workflow).map((spec) => [spec.id, [LIVE_ALIAS]])),
    routes: functionSpecs.flatMap((spec) =>
      spec.routes.map((routeKey) => ({
        routeKey,
        functionName: spec.id,
        handler: handlers.get(spec.id) as HttpHandler,
      })),
    ),
    machines: loadStateMachines(
      join(projectRoot, 'statemachines'),
      definitionSubstitutions((spec) => localFunctionArn(spec.id, LIVE_ALIAS)),
    ).map((machine) => ({ machine, aliases: [LIVE_ALIAS] })),
  };
}

async function sourceHandler<T = (event: unknown) => Promise<unknown>>(spec: FunctionSpec): Promise<T> {
  const module = (await import(pathToFileURL(join(projectRoot, spec.entry)).href)) as { handler: T };
  return module.handler;
}

/** The files the assembly's uploads put under assets/ (each upload's folder holds one kind of file). */
function deployedStaticFiles(app: DeployedApp): StaticFiles {
  const uploads = app.staticFiles.filter((upload) => upload.keyPrefix === `${ASSETS}/`);
  return (name) =>
    uploads.flatMap((upload) =>
      upload.directories.map((directory) => ({
        path: join(directory, name),
        contentType: upload.contentType ?? 'application/octet-stream',
        cacheControl: upload.cacheControl ?? '',
      })),
    );
}

/** The evidence bucket the deployed functions are given (EVIDENCE_BUCKET, as the template names it). */
function deployedEvidenceBucket(app: DeployedApp): string | undefined {
  return app.functions.map((fn) => fn.environment[evidenceBucket.envVar]).find(Boolean);
}

/** The area configuration the deployed functions' bundles carry (the CDK app puts the same in each). */
function bundledAreaFile(app: DeployedApp): string | undefined {
  for (const fn of app.functions) {
    const file = fn.environment.AREA_CONFIG_FILE;
    if (file?.startsWith('/var/task/')) return join(fn.codeDirectory, file.slice('/var/task/'.length));
  }
  return undefined;
}

/** A schedule's role does not allow invoking its target: the run fails, as Scheduler's would. */
export class ScheduleAccessDeniedError extends Error {
  override name = 'AccessDeniedException';
}

/** The state machine's role does not allow invoking the function: the task fails as it would in AWS. */
export class LambdaAccessDeniedError extends Error {
  override name = 'Lambda.AWSLambdaException';
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise());
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise());
    server.closeAllConnections();
  });
}

/**
 * One data folder (or table prefix) holds one area's cases: started for another area, the service would
 * serve none of them and count new ones beside them, so it refuses, naming both.
 */
async function refuseAnotherArea(
  client: DynamoDBClient,
  serviceTables: readonly TableSpec[],
  areaId: string,
  config: LocalConfig,
): Promise<void> {
  const nameOf = (spec: TableSpec) => serviceTables.find((table) => table.id === spec.id)?.localName ?? '';
  const others = await otherAreasCounted(
    {
      db: documentClientOf(client),
      tables: { cases: nameOf(casesTable), statistics: nameOf(statisticsTable) },
    },
    areaId,
  );
  if (others.length === 0) return;
  const where = config.tablePrefix
    ? `TABLE_PREFIX ${config.tablePrefix}`
    : config.dynamodbEndpoint
      ? config.dynamodbEndpoint
      : `DATA_DIR ${config.dataDir}`;
  throw new Error(
    `the tables of ${where} hold the counts of area ${others.map((id) => `'${id}'`).join(', ')}, ` +
      `not of '${areaId}' (AREA_CONFIG_FILE): give each area its own DATA_DIR (or TABLE_PREFIX)`,
  );
}

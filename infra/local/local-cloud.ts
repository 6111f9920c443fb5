// The whole service on one machine: DynamoDB Local, the local Step Functions engine and its API
// endpoint, and the HTTP gateway in front of the same handlers AWS runs.
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  definitionSubstitutions,
  functionSpecs,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  localFunctionArn,
} from '#infra/functions.ts';
import { tables } from '#infra/tables.ts';
import type { LocalConfig } from '#local/config.ts';
import { ensureTables } from '#local/create-tables.ts';
import { startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { createGateway, type HttpHandler, type Route } from '#local/gateway.ts';
import { loadStateMachines } from '#local/stepfunctions/definitions.ts';
import { createStepFunctionsRuntime } from '#local/stepfunctions/runtime.ts';
import { createStepFunctionsServer } from '#local/stepfunctions/server.ts';
import { handleTokenRequest } from '#local/token-endpoint.ts';
import { createLocalTokenIssuer } from '#local/token-issuer.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';
import { listOutbox, outboxDirectory } from '#shared/outbox-notifier.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const AUDIENCE = 'asb-case-review-local';
const ENGINE_TABLE = 'local-stepfunctions';

export interface LocalCloud {
  urls: { api: string; dynamodb: string; stepFunctions: string };
  stop(): Promise<void>;
}

export async function startLocalCloud(
  config: LocalConfig,
  log: (message: string) => void = () => undefined,
): Promise<LocalCloud> {
  // Before anything starts: a file that cannot be read or breaks the domain rules stops the start,
  // named in the DeployedAreaConfigError. The handlers read the same file, in this same process.
  const area = areaConfigFromEnv({ AREA_CONFIG_FILE: config.areaConfigFile });
  if (config.areaConfigFile) process.env.AREA_CONFIG_FILE = config.areaConfigFile;
  else delete process.env.AREA_CONFIG_FILE;
  mkdirSync(config.dataDir, { recursive: true });
  const api = `http://${config.host}:${config.port}`;
  const stepFunctionsEndpoint = `http://${config.host}:${config.stepFunctionsPort}`;

  const dynamodb = config.dynamodbEndpoint
    ? { endpoint: config.dynamodbEndpoint, warning: undefined, stop: async () => undefined }
    : await startDynamoDbLocal({ port: config.dynamodbPort, dbPath: join(config.dataDir, 'dynamodb') });
  if (dynamodb.warning) log(dynamodb.warning);
  const prefix = config.tablePrefix ?? '';
  const serviceTables = tables.map((spec) => ({ ...spec, localName: `${prefix}${spec.localName}` }));
  const stoppers: (() => Promise<void>)[] = [() => dynamodb.stop()];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne();
  };
  try {
    const client = new DynamoDBClient({
      endpoint: dynamodb.endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    stoppers.push(async () => client.destroy());
    await ensureTables(client, serviceTables);

    // The environment the handlers read, in AWS set per function by CDK.
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      DYNAMODB_ENDPOINT: dynamodb.endpoint,
      STEPFUNCTIONS_ENDPOINT: stepFunctionsEndpoint,
      STAFF_TOKEN_ISSUER: `${api}/local`,
      STAFF_TOKEN_AUDIENCE: AUDIENCE,
      STAFF_TOKEN_JWKS_URL: `${api}/local/jwks.json`,
      DATA_DIR: config.dataDir,
      NOTIFIER: 'outbox',
      // Staff sign in through the local role picker, standing in for the user pool's hosted sign-in.
      STAFF_SIGN_IN: 'local',
      // Powertools writes metrics to stdout as CloudWatch's embedded format: noise on one machine.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      STATE_MACHINE_ARN: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:case-review`,
      ...Object.fromEntries(serviceTables.map((spec) => [spec.envVar, spec.localName])),
    });
    const handlers = new Map<string, HttpHandler>();
    for (const spec of functionSpecs) {
      const module = (await import(pathToFileURL(join(projectRoot, spec.entry)).href)) as {
        handler: HttpHandler;
      };
      handlers.set(spec.id, module.handler);
    }

    const runtime = await createStepFunctionsRuntime({
      dynamodb: client,
      tableName: `${prefix}${ENGINE_TABLE}`,
      resolveFunction: (nameOrArn: string) => handlers.get(nameOrArn.split(':').pop() ?? ''),
    });
    stoppers.push(() => runtime.close());
    const machines = loadStateMachines(
      join(projectRoot, 'statemachines'),
      definitionSubstitutions((spec) => localFunctionArn(spec.id)),
    );
    for (const machine of machines) await runtime.registerStateMachine(machine);
    await runtime.resume();
    const stepFunctions = createStepFunctionsServer(runtime);
    await listen(stepFunctions, config.stepFunctionsPort, config.host);
    stoppers.push(() => close(stepFunctions));

    const issuer = await createLocalTokenIssuer({
      dataDir: config.dataDir,
      issuer: `${api}/local`,
      audience: AUDIENCE,
    });
    const routes: Route[] = functionSpecs.flatMap((spec) =>
      spec.routes.map((routeKey) => ({
        routeKey,
        functionName: spec.id,
        handler: handlers.get(spec.id) as HttpHandler,
      })),
    );
    const gateway = createGateway({
      routes,
      localEndpoints: {
        '/local/jwks.json': async () => ({ statusCode: 200, body: issuer.jwks }),
        '/local/token': (request) => handleTokenRequest(issuer, area, request),
        // The letters, emails and texts the service would have sent, newest last.
        '/local/outbox': async () => ({
          statusCode: 200,
          body: { messages: await listOutbox(outboxDirectory(config.dataDir)) },
        }),
      },
      onError: (error, routeKey) =>
        log(`error in ${routeKey}: ${error instanceof Error ? error.name : 'unknown'}`),
    });
    await listen(gateway, config.port, config.host);
    stoppers.push(() => close(gateway));

    return { urls: { api, dynamodb: dynamodb.endpoint, stepFunctions: stepFunctionsEndpoint }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
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

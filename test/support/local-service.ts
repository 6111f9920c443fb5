// The whole service as `npm start` runs it, in a child process on free ports and a temporary DATA_DIR,
// for tests and benchmarks that drive it over HTTP. It can be killed outright (SIGKILL, as a crash or a
// power cut would) and started again on the same data. By default it keeps its tables, under a prefix of
// its own, in the test run's DynamoDB Local (no JVM of its own to start); `ownDynamoDb` gives it its own
// DynamoDB Local under DATA_DIR, as `npm start` runs by default.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { tables } from '#data/table-specs.ts';
import { freePort, isPortFree } from '#local/dynamodb-local.ts';
import { cloudAssembly } from '#test/support/cloud-assembly.ts';

const projectRoot = resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 180_000;
// The last line `npm start` prints once it is running.
const STARTED = 'Press Ctrl+C to stop.';

export interface StaffClaims {
  readonly role: 'officer' | 'agency' | 'pcc';
  readonly name: string;
  readonly csp?: string;
  readonly agency?: string;
}

export interface LocalService {
  readonly url: string;
  readonly dynamodbEndpoint: string;
  readonly stepFunctionsEndpoint: string;
  readonly s3Endpoint: string;
  /** The Lambda API's Invoke for the deployed functions, in the deployed mode. */
  readonly lambdaEndpoint?: string;
  readonly dataDir: string;
  readonly mode: ServiceMode;
  /** The cloud assembly it runs, in the deployed mode. */
  readonly cloudAssembly?: string;
  /**
   * The settings it was started with besides its ports and data folder (such as AREA_CONFIG_FILE), and
   * its tables' names (CASES_TABLE, STATISTICS_TABLE, IDEMPOTENCY_TABLE) for a script to find them.
   */
  readonly env: Readonly<Record<string, string>>;
  /** The end of what the service printed (for a failing test to show). */
  output(): string;
  /** Its process id while it runs (the benchmark reads its CPU time, and its DynamoDB Local's). */
  pid(): number | undefined;
  /** A staff token from POST /local/token. */
  token(claims: StaffClaims): Promise<string>;
  /** Kills the whole service at once (SIGKILL), as a crash would, and waits until its ports are free. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and DATA_DIR, and waits until it answers. */
  restart(): Promise<void>;
  /**
   * Stops it (SIGTERM, then SIGKILL after 15 s), waits until its ports are free, and deletes its DATA_DIR
   * unless it was given one. Its exit code (null when it had to be killed or was not running).
   */
  stop(): Promise<number | null>;
}

export class LocalServiceStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalServiceStartError';
  }
}

/**
 * `source` runs the TypeScript sources (`npm start`); `deployed` runs the cloud assembly CDK synthesises
 * from them (`npm run start:deployed`: the bundles, the template's settings and IAM policies).
 */
export type ServiceMode = 'source' | 'deployed';

/** The modes every test of the API journey, the authorisation matrix and the pages runs in. */
export const SERVICE_MODES: readonly ServiceMode[] = ['source', 'deployed'];

// Node 24 runs the TypeScript entry point natively; under an older node, npx finds the project's.
function command(mode: ServiceMode): [string, string[]] {
  const major = Number(process.versions.node.split('.')[0]);
  const args = ['infra/local/start.ts', ...(mode === 'deployed' ? ['--deployed'] : [])];
  return major >= 24 ? [process.execPath, args] : ['npx', ['node', ...args]];
}

export interface LocalServiceOptions {
  readonly dataDir?: string;
  readonly env?: Record<string, string>;
  /**
   * Its own DynamoDB Local under DATA_DIR, killed and restarted with the service: for tests of
   * `npm start` itself, and outside vitest (benchmarks). Otherwise the test run's DynamoDB Local, where
   * its tables (under its prefix) outlive a kill and a restart.
   */
  readonly ownDynamoDb?: boolean;
  readonly mode?: ServiceMode;
  /** In the deployed mode, this cloud assembly rather than one synthesised from the sources. */
  readonly cloudAssembly?: string;
}

// A port found free can be taken by another process before the service binds it (on a machine whose
// tests run side by side): the service then exits saying so, and starts again on other free ports.
const PORT_ATTEMPTS = 3;
const PORT_TAKEN = /EADDRINUSE|is in use/;

class PortTakenError extends LocalServiceStartError {}

export async function startLocalService(options: LocalServiceOptions = {}): Promise<LocalService> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreePorts(options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOnFreePorts(options: LocalServiceOptions): Promise<LocalService> {
  const mode = options.mode ?? 'source';
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'asb-service-'));
  const [port, stepFunctionsPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const own = options.ownDynamoDb === true;
  // The deployed mode's IAM gate takes DynamoDB's port, in front of the DynamoDB it uses.
  const dynamodbPort = own || mode === 'deployed' ? await freePort() : undefined;
  const secretsManagerPort = mode === 'deployed' ? await freePort() : undefined;
  const lambdaPort = mode === 'deployed' ? await freePort() : undefined;
  const s3Port = await freePort();
  const dynamodbEndpoint = own ? `http://127.0.0.1:${dynamodbPort}` : inject('dynamodbEndpoint');
  // Kept across restarts, so a restarted service finds its data again.
  const tablePrefix = own ? '' : `s${randomUUID().slice(0, 8)}-`;
  const ports = [port, stepFunctionsPort, dynamodbPort, secretsManagerPort, lambdaPort, s3Port].filter(
    (taken): taken is number => taken !== undefined,
  );
  const dynamodbSettings = own
    ? { DYNAMODB_PORT: String(dynamodbPort), DYNAMODB_ENDPOINT: '', TABLE_PREFIX: '' }
    : {
        DYNAMODB_ENDPOINT: dynamodbEndpoint,
        TABLE_PREFIX: tablePrefix,
        ...(dynamodbPort !== undefined && { DYNAMODB_PORT: String(dynamodbPort) }),
      };
  const assembly =
    mode === 'deployed'
      ? (options.cloudAssembly ?? (await cloudAssembly(options.env?.AREA_CONFIG_FILE)))
      : undefined;
  const tableNames = Object.fromEntries(
    tables.map((spec) => [spec.envVar, `${tablePrefix}${spec.localName}`]),
  );
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async () => {
    const [executable, args] = command(mode);
    output = '';
    const started = spawn(executable, args, {
      cwd: projectRoot,
      env: {
        ...process.env,
        PORT: String(port),
        ...dynamodbSettings,
        STEPFUNCTIONS_PORT: String(stepFunctionsPort),
        S3_PORT: String(s3Port),
        ...(secretsManagerPort !== undefined && { SECRETSMANAGER_PORT: String(secretsManagerPort) }),
        ...(lambdaPort !== undefined && { LAMBDA_PORT: String(lambdaPort) }),
        ...(assembly && { CLOUD_ASSEMBLY: assembly }),
        DATA_DIR: dataDir,
        POWERTOOLS_METRICS_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'WARN',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    await waitForStart(url, started, () => output);
  };

  const exited = (running: ChildProcess) =>
    running.exitCode !== null || running.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolveExit) => running.once('exit', () => resolveExit()));

  const kill = async () => {
    if (child === undefined) return;
    const running = child;
    child = undefined;
    running.kill('SIGKILL');
    await exited(running);
    await waitForPorts(ports);
  };

  try {
    await launch();
  } catch (error) {
    if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    if (error instanceof LocalServiceStartError && PORT_TAKEN.test(output)) {
      throw new PortTakenError(error.message, { cause: error });
    }
    throw error;
  }
  return {
    url,
    dynamodbEndpoint,
    stepFunctionsEndpoint: `http://127.0.0.1:${stepFunctionsPort}`,
    s3Endpoint: `http://127.0.0.1:${s3Port}`,
    dataDir,
    mode,
    ...(assembly && { cloudAssembly: assembly }),
    ...(lambdaPort !== undefined && { lambdaEndpoint: `http://127.0.0.1:${lambdaPort}` }),
    env: { ...options.env, ...tableNames },
    output: () => output,
    pid: () => child?.pid,
    async token(claims) {
      const response = await fetch(`${url}/local/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(claims),
      });
      const body = (await response.json()) as { token?: string };
      if (!response.ok || body.token === undefined) {
        throw new LocalServiceStartError(
          `POST /local/token failed: ${response.status} ${JSON.stringify(body)}`,
        );
      }
      return body.token;
    },
    kill,
    async restart() {
      await kill();
      await launch();
    },
    async stop() {
      let code: number | null = null;
      if (child !== undefined) {
        const running = child;
        child = undefined;
        running.kill('SIGTERM');
        // Unreferenced: the fallback's timer must not keep the worker alive once the service has gone.
        await Promise.race([exited(running), sleep(15_000, undefined, { ref: false })]);
        if (running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
        await exited(running);
        code = running.exitCode;
        await waitForPorts(ports);
      }
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/**
 * Waits until the service says it is running (its last line at start-up, printed once every part
 * listens), then asks its /health: what answers is this service, not whatever else took its port.
 */
async function waitForStart(url: string, child: ChildProcess, output: () => string): Promise<void> {
  await new Promise<void>((resolveStart, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', exit);
      if (error) reject(error);
      else resolveStart();
    };
    const check = () => {
      if (output().includes(STARTED)) settle();
    };
    const exit = () => settle(new LocalServiceStartError(`The service exited while starting:\n${output()}`));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(new LocalServiceStartError(`The service did not start in time:\n${output()}`));
    }, START_TIMEOUT_MS);
    child.stdout?.on('data', check);
    child.once('exit', exit);
    check();
  });
  const response = await fetch(`${url}/health`);
  if (!response.ok) throw new LocalServiceStartError(`GET /health answered ${response.status}:\n${output()}`);
}

/** DynamoDB Local's Java process ends just after ours (its guard sees stdin close): wait for the ports. */
async function waitForPorts(ports: readonly number[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const port of ports) {
    while (!(await isPortFree(port))) {
      if (Date.now() > deadline) throw new LocalServiceStartError(`Port ${port} stayed in use after a stop`);
      await sleep(100);
    }
  }
}

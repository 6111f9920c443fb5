// Inside one function's worker thread: what the Lambda runtime does in its sandbox. The worker was
// started with the function's own environment (process.env is the worker's copy), loads the bundle's
// handler once, as an init phase, and then runs each invocation it is sent. The bundle carries its own
// AWS SDK (infra/bundling.ts), as in AWS.
import { flushCompileCache } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import type { InvocationRequest, InvocationResult, WorkerSettings } from '#local/deployed/lambda-host.ts';

type Handler = (event: unknown, context: Context) => unknown;

const settings = workerData as WorkerSettings;
if (settings.sourceMaps) process.setSourceMapsEnabled(true);
const port = parentPort;
if (!port) throw new Error('lambda-worker.ts runs as a worker thread');

const module = (await import(pathToFileURL(settings.handlerFile).href)) as Record<string, unknown>;
const handler = module[settings.handlerExport];
if (typeof handler !== 'function') {
  throw new TypeError(`${settings.handlerFile} exports no function named ${settings.handlerExport}`);
}

// What the init phase compiled is kept for the next sandbox of this bundle (this one may be terminated).
flushCompileCache();

port.on('message', (request: InvocationRequest) => {
  void invoke(handler as Handler, request).then((result) => port.postMessage(result));
});
port.postMessage({ ready: true });

async function invoke(run: Handler, request: InvocationRequest): Promise<InvocationResult> {
  const context: Context = {
    ...request.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const value = await run(request.event, context);
    return {
      id: request.id,
      ok: true,
      value: value === undefined ? null : JSON.parse(JSON.stringify(value)),
    };
  } catch (error) {
    const { name, message, stack } =
      error instanceof Error ? error : { name: 'Error', message: String(error), stack: undefined };
    return { id: request.id, ok: false, error: { name, message, ...(stack && { stack }) } };
  }
}

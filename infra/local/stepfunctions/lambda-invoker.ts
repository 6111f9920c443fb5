// Runs a Task's Lambda function in-process, the way `arn:aws:states:::lambda:invoke` sees it: the
// handler gets a Lambda-style context, a return value becomes the integration's response
// ({ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode}), a thrown error
// becomes (errorType, {errorType, errorMessage, trace}) as Lambda's Node runtime reports it, an unknown
// function Lambda.ResourceNotFoundException.

import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { Clock } from './clock.ts';
import type { Json } from './model.ts';

/**
 * A Lambda handler as the functions export it. The event is `never` here so that handlers typed for
 * their own event shape fit; the engine passes whatever JSON the state machine built.
 */
export type LambdaHandler = (event: never, context: Context) => unknown;

/**
 * Maps a function name (never an ARN: the engine strips it to the name) and the version or alias the
 * task names, if any, to its handler; undefined when there is no such function (or alias).
 */
export type FunctionResolver = (
  functionName: string,
  qualifier?: string,
) => LambdaHandler | undefined | Promise<LambdaHandler | undefined>;

export type InvocationOutcome = { ok: true; output: Json } | { ok: false; error: string; cause: string };

export interface InvokeTarget {
  /** A name, `name:qualifier`, or a full or partial function ARN, as the state machine gives it. */
  functionName: string;
  payload: Json;
  /** The task's deadline, which `getRemainingTimeInMillis` counts down to. */
  timeoutAt?: string;
}

export interface InvokerOptions {
  resolve: FunctionResolver;
  clock: Clock;
  region: string;
  accountId: string;
}

// Lambda's longest timeout: what a handler sees when the Task sets none.
const MAX_LAMBDA_MS = 900_000;

export async function invokeFunction(
  target: InvokeTarget,
  options: InvokerOptions,
): Promise<InvocationOutcome> {
  const name = functionNameOf(target.functionName);
  const qualifier = qualifierOf(target.functionName);
  const functionArn = `arn:aws:lambda:${options.region}:${options.accountId}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;
  const requestId = randomUUID();
  let handler: LambdaHandler | undefined;
  try {
    handler = await options.resolve(name, qualifier);
  } catch (error) {
    return { ok: false, ...lambdaError(error) };
  }
  if (!handler) {
    return {
      ok: false,
      error: 'Lambda.ResourceNotFoundException',
      cause:
        `Function not found: ${functionArn} (Service: AWSLambda; Status Code: 404; ` +
        `Error Code: ResourceNotFoundException; Request ID: ${randomUUID()}; Proxy: null)`,
    };
  }
  const startedAt = options.clock.now();
  const deadline = target.timeoutAt ? Date.parse(target.timeoutAt) : startedAt.getTime() + MAX_LAMBDA_MS;
  try {
    const result = await runHandler(handler, structuredClone(target.payload), {
      callbackWaitsForEmptyEventLoop: true,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: functionArn,
      memoryLimitInMB: '128',
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: `${startedAt.toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - options.clock.now().getTime()),
    });
    const body = JSON.stringify(result) ?? 'null';
    return {
      ok: true,
      output: invokeResponse(JSON.parse(body) as Json, body, requestId, options.clock.now()),
    };
  } catch (error) {
    return { ok: false, ...lambdaError(error) };
  }
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`, `<account>:function:<name>`, `<name>[:<qualifier>]`. */
export function functionNameOf(functionName: string): string {
  const parts = functionName.split(':');
  const marker = parts.indexOf('function');
  return (marker >= 0 ? parts[marker + 1] : parts[0]) ?? functionName;
}

/** The version or alias after the function's name, if the task names one. */
export function qualifierOf(functionName: string): string | undefined {
  const parts = functionName.split(':');
  const marker = parts.indexOf('function');
  return marker >= 0 ? parts[marker + 2] : parts[1];
}

type ContextWithoutCompletions = Omit<Context, 'done' | 'fail' | 'succeed'>;

/** Calls the handler; the legacy `context.done/fail/succeed` complete the invocation as Lambda's do. */
function runHandler(handler: LambdaHandler, event: Json, base: ContextWithoutCompletions): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const context: Context = {
      ...base,
      done: (error, result) => (error ? reject(error) : resolve(result)),
      fail: (error) => reject(typeof error === 'string' ? new Error(error) : error),
      succeed: (result: unknown) => resolve(result),
    };
    try {
      Promise.resolve((handler as (event: Json, context: Context) => unknown)(event, context)).then(
        resolve,
        reject,
      );
    } catch (error) {
      reject(error);
    }
  });
}

function invokeResponse(payload: Json, body: string, requestId: string, now: Date): Json {
  const headers: { [name: string]: string } = {
    Connection: 'keep-alive',
    'Content-Length': String(Buffer.byteLength(body)),
    'Content-Type': 'application/json',
    Date: now.toUTCString(),
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': requestId,
  };
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/**
 * The error as Lambda's Node runtime (its interface client's toRapidResponse) reports it: an Error's
 * name, message and every line of its stack; anything else thrown as its type and text, with no trace.
 * Step Functions keeps this JSON as the task failure's cause.
 */
function lambdaError(error: unknown): { error: string; cause: string } {
  const report =
    error instanceof Error && typeof error.stack === 'string'
      ? { errorType: error.name, errorMessage: error.message, trace: error.stack.split('\n') }
      : { errorType: typeof error, errorMessage: String(error), trace: [] };
  return { error: report.errorType, cause: JSON.stringify(report) };
}

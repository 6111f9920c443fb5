// The local Step Functions endpoint: the AWS JSON 1.0 protocol (POST, `X-Amz-Target:
// AWSStepFunctions.<Operation>`, JSON bodies with timestamps as epoch seconds), so
// `@aws-sdk/client-sfn` and the AWS CLI work against the local runtime unchanged. Signatures are
// not checked: any credentials do. Errors go out as AWS sends them, `{"__type": "…#<Name>",
// "message": …}`, which the SDK turns into the exception of that name.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  RequestEntityTooLargeException,
  SerializationException,
  StepFunctionsApiError,
  UnknownOperationException,
  ValidationException,
} from './errors.ts';
import type { ExecutionStatus, HistoryEvent } from './model.ts';
import type { StepFunctionsRuntime } from './runtime.ts';

const TARGET_PREFIX = 'AWSStepFunctions.';
const ERROR_NAMESPACE = 'com.amazonaws.swf.service.v2.model#';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
// The largest payload (256 KiB) written as JSON escapes, with room for the other members.
const MAX_BODY_BYTES = 2 * 1024 * 1024;

type Body = Record<string, unknown>;
type Operation = (runtime: StepFunctionsRuntime, body: Body) => Promise<Body> | Body;

/** A call the caller's IAM policies do not allow: answered as AWS answers it. */
export interface AccessDenied {
  readonly message: string;
}

export interface StepFunctionsServerOptions {
  /** Failures that are not the caller's fault (the caller only sees a 500). Default: a process warning. */
  onError?: (error: unknown) => void;
  /** Checks each call before it runs (the deployed mode's IAM); without it every call is allowed. */
  authorise?: (request: IncomingMessage, operation: string, body: Body) => Promise<AccessDenied | undefined>;
}

/** An HTTP server (not yet listening) answering the Step Functions API from `runtime`. */
export function createStepFunctionsServer(
  runtime: StepFunctionsRuntime,
  options: StepFunctionsServerOptions = {},
): Server {
  return createServer((request, response) => {
    void handle(runtime, request, response, options);
  });
}

async function handle(
  runtime: StepFunctionsRuntime,
  request: IncomingMessage,
  response: ServerResponse,
  options: StepFunctionsServerOptions,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const target = request.headers['x-amz-target'];
    const operationName =
      request.method === 'POST' && typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : undefined;
    const operation = operationName === undefined ? undefined : operations.get(operationName);
    if (!operation) {
      request.resume();
      throw new UnknownOperationException(`Unknown operation: ${String(target)}`);
    }
    const body = parseBody(await readBody(request));
    const denied = await options.authorise?.(request, operationName as string, body);
    if (denied) {
      send(response, 400, requestId, {
        __type: 'com.amazon.coral.service#AccessDeniedException',
        Message: denied.message,
      });
      return;
    }
    send(response, 200, requestId, await operation(runtime, body));
  } catch (error) {
    if (error instanceof StepFunctionsApiError) {
      send(response, error.statusCode, requestId, {
        __type: ERROR_NAMESPACE + error.name,
        message: error.message,
      });
      return;
    }
    (options.onError ?? warn)(error);
    send(response, 500, requestId, {
      __type: 'InternalFailure',
      message: 'The request failed for an internal reason.',
    });
  }
}

function warn(error: unknown): void {
  process.emitWarning(error instanceof Error ? error : new Error(String(error)));
}

function send(response: ServerResponse, status: number, requestId: string, body: Body): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RequestEntityTooLargeException('The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): Body {
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new SerializationException('The request body is not valid JSON.', { cause: error });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SerializationException('The request body must be a JSON object.');
  }
  return body as Body;
}

const operations = new Map<string, Operation>([
  [
    'StartExecution',
    async (runtime, body) => {
      const started = await runtime.startExecution({
        stateMachineArn: required(body, 'stateMachineArn'),
        ...optionalMember(body, 'name'),
        ...optionalMember(body, 'input'),
      });
      return { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) };
    },
  ],
  [
    'DescribeExecution',
    async (runtime, body) => {
      const { startDate, stopDate, ...rest } = await runtime.describeExecution(
        required(body, 'executionArn'),
      );
      return {
        ...rest,
        startDate: epochSeconds(startDate),
        ...(stopDate ? { stopDate: epochSeconds(stopDate) } : {}),
      };
    },
  ],
  [
    'StopExecution',
    async (runtime, body) => {
      const stopped = await runtime.stopExecution({
        executionArn: required(body, 'executionArn'),
        ...optionalMember(body, 'error'),
        ...optionalMember(body, 'cause'),
      });
      return { stopDate: epochSeconds(stopped.stopDate) };
    },
  ],
  [
    'ListStateMachines',
    (runtime, body) => {
      const page = runtime.listStateMachines({
        ...optionalInteger(body, 'maxResults'),
        ...optionalMember(body, 'nextToken'),
      });
      return {
        stateMachines: page.stateMachines.map(({ creationDate, ...rest }) => ({
          ...rest,
          creationDate: epochSeconds(creationDate),
        })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
  ],
  [
    'DescribeStateMachine',
    (runtime, body) => {
      const { creationDate, ...rest } = runtime.describeStateMachine(required(body, 'stateMachineArn'));
      return { ...rest, creationDate: epochSeconds(creationDate) };
    },
  ],
  [
    'ListExecutions',
    async (runtime, body) => {
      const page = await runtime.listExecutions({
        stateMachineArn: required(body, 'stateMachineArn'),
        ...(optionalMember(body, 'statusFilter') as { statusFilter?: ExecutionStatus }),
        ...optionalInteger(body, 'maxResults'),
        ...optionalMember(body, 'nextToken'),
      });
      return {
        executions: page.executions.map(({ startDate, stopDate, ...rest }) => ({
          ...rest,
          startDate: epochSeconds(startDate),
          ...(stopDate ? { stopDate: epochSeconds(stopDate) } : {}),
        })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
  ],
  [
    'GetExecutionHistory',
    async (runtime, body) => {
      const page = await runtime.getExecutionHistory({
        executionArn: required(body, 'executionArn'),
        ...optionalInteger(body, 'maxResults'),
        ...optionalMember(body, 'nextToken'),
        ...optionalBoolean(body, 'reverseOrder'),
        ...optionalBoolean(body, 'includeExecutionData'),
      });
      return {
        events: page.events.map((event: HistoryEvent) => ({
          ...event,
          timestamp: epochSeconds(event.timestamp),
        })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    },
  ],
  [
    'SendTaskSuccess',
    async (runtime, body) => {
      await runtime.sendTaskSuccess({
        taskToken: required(body, 'taskToken'),
        output: required(body, 'output'),
      });
      return {};
    },
  ],
  [
    'SendTaskFailure',
    async (runtime, body) => {
      await runtime.sendTaskFailure({
        taskToken: required(body, 'taskToken'),
        ...optionalMember(body, 'error'),
        ...optionalMember(body, 'cause'),
      });
      return {};
    },
  ],
  [
    'SendTaskHeartbeat',
    async (runtime, body) => {
      await runtime.sendTaskHeartbeat({ taskToken: required(body, 'taskToken') });
      return {};
    },
  ],
]);

function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

function required(body: Body, member: string): string {
  const value = body[member];
  if (typeof value !== 'string') {
    throw new ValidationException(
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optionalMember<K extends string>(body: Body, member: K): { [P in K]?: string } {
  const value = body[member];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') throw new SerializationException(`'${member}' must be a string.`);
  return { [member]: value } as { [P in K]?: string };
}

function optionalInteger<K extends string>(body: Body, member: K): { [P in K]?: number } {
  const value = body[member];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new SerializationException(`'${member}' must be an integer.`);
  }
  return { [member]: value } as { [P in K]?: number };
}

function optionalBoolean<K extends string>(body: Body, member: K): { [P in K]?: boolean } {
  const value = body[member];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'boolean') throw new SerializationException(`'${member}' must be a boolean.`);
  return { [member]: value } as { [P in K]?: boolean };
}

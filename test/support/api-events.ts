// API Gateway HTTP API (payload 2.0) events and Lambda contexts, for calling handlers directly.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

export interface EventOptions {
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /** Sent as JSON with content-type application/json, unless `rawBody` is given. */
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly isBase64Encoded?: boolean;
  readonly sourceIp?: string;
}

export function apiEvent(routeKey: string, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => options.pathParameters?.[name] ?? '');
  const jsonBody = options.rawBody === undefined && options.body !== undefined;
  const body = options.rawBody ?? (jsonBody ? JSON.stringify(options.body) : undefined);
  const query = new URLSearchParams(options.query ?? {}).toString();
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: query,
    headers: { ...(jsonBody && { 'content-type': 'application/json' }), ...options.headers },
    ...(options.query && { queryStringParameters: options.query }),
    ...(options.pathParameters && { pathParameters: options.pathParameters }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp ?? '127.0.0.1',
        userAgent: 'vitest',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body !== undefined && { body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

export function lambdaContext(functionName = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

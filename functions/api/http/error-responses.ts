// The one place errors become HTTP responses. A typed HttpError says what the client did wrong; any
// other error is a fault of ours: logged (its type and where, never request data) and answered with a
// 500 that shows nothing of it.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpError } from '#api/http/errors.ts';
import { logger, metrics } from '#api/http/powertools.ts';
import { type HttpResult, json } from '#api/http/responses.ts';

const INTERNAL_ERROR = {
  error: 'internal',
  message: 'Something went wrong on our side. Try again later.',
};

export function errorResponse(error: unknown): HttpResult {
  if (error instanceof HttpError) {
    return json(
      error.status,
      { error: error.kind, message: error.message, ...error.details() },
      'private',
      error.headers(),
    );
  }
  logger.error('Request failed', {
    errorName: error instanceof Error ? error.name : typeof error,
    // The stack without its first line, which repeats the message (that may quote input).
    stack: error instanceof Error ? error.stack?.split('\n').slice(1).join('\n') : undefined,
  });
  return json(500, INTERNAL_ERROR);
}

function countResponse(statusCode: number | undefined): void {
  metrics.addMetric(`Http${String(statusCode ?? 500).charAt(0)}xx`, MetricUnit.Count, 1);
}

export function errorResponses(): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  return {
    after: (request) => {
      countResponse(request.response?.statusCode);
    },
    onError: (request) => {
      request.response = errorResponse(request.error);
      countResponse(request.response.statusCode);
    },
  };
}

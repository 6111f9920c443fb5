// The one place errors become HTTP responses (middy's http-error-handler, with the contract's bodies). A
// domain error says what the client did wrong, and its kind picks the status; any other error is a fault
// of ours: logged (its type and where, never request data) and answered with a 500 that shows nothing.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpResult, json } from '#api/http/responses.ts';
import {
  ConflictError,
  DomainError,
  type FailureKind,
  InvalidInputError,
  NotSignedInError,
  RateLimitedError,
} from '#core/errors.ts';
import { powertools } from '#shared/powertools.ts';

const { logger, metrics } = powertools('api');

export const HTTP_STATUS: Readonly<Record<FailureKind, number>> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'too-many-requests': 429,
};

/**
 * A validation error lists at most this many issues: a large body can hold tens of thousands of them,
 * and every issue listed would make the response past Lambda's 6 MB limit (a 500 in AWS).
 */
export const MAX_LISTED_ISSUES = 100;

const INTERNAL_ERROR = {
  error: 'internal',
  message: 'Something went wrong on our side. Try again later.',
};

/** Fields of the error's JSON beside `error` and `message`. */
function details(error: DomainError): Record<string, unknown> {
  if (error instanceof InvalidInputError) {
    if (error.issues.length <= MAX_LISTED_ISSUES) return { issues: error.issues };
    return {
      issues: error.issues.slice(0, MAX_LISTED_ISSUES),
      moreIssues: true,
      issueCount: error.issues.length,
    };
  }
  if (error instanceof ConflictError && error.stage !== undefined) return { stage: error.stage };
  return {};
}

/** Headers the response needs beside the usual ones. */
function headers(error: DomainError): Record<string, string> {
  if (error instanceof NotSignedInError) return { 'www-authenticate': 'Bearer' };
  if (error instanceof RateLimitedError) return { 'retry-after': String(error.retryAfterSeconds) };
  return {};
}

export function errorResponse(error: unknown): HttpResult {
  if (error instanceof DomainError) {
    return json(
      HTTP_STATUS[error.kind],
      { error: error.kind, message: error.message, ...details(error) },
      'private',
      headers(error),
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

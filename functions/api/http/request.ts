// Reading the parts of an API Gateway (payload 2.0) event a handler needs.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** A request header by its lower-case name. Payload 2.0 lower-cases names; a direct invocation might not. */
export function requestHeader(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  if (headers[name] !== undefined) return headers[name];
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

export function queryParameter(event: APIGatewayProxyEventV2, name: string): string | undefined {
  return event.queryStringParameters?.[name];
}

export function pathParameter(event: APIGatewayProxyEventV2, name: string): string {
  return event.pathParameters?.[name] ?? '';
}

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseCaseReference } from '#api/case-identifiers.ts';
import { pathParameter } from '#api/http/request.ts';
import { NotFoundError } from '#core/errors.ts';

/** The case reference in the path; one that cannot be a reference is simply not found. */
export function requestedReference(event: APIGatewayProxyEventV2): string {
  const reference = parseCaseReference(pathParameter(event, 'reference'));
  if (reference === undefined) throw new NotFoundError('There is no case with this reference.');
  return reference;
}

// What the CDK app needs to know about a route key ("METHOD /path", as infra/functions.ts and API Gateway
// HTTP APIs write them), taken from the contract (../shared/spec/contract.md) rather than from any one
// function, so the list of functions can grow without touching the stacks.

export interface RouteKey {
  readonly method: string;
  readonly path: string;
}

export class InvalidRouteKeyError extends Error {
  constructor(key: string) {
    super(`Route key "${key}" is not "METHOD /path"`);
    this.name = 'InvalidRouteKeyError';
  }
}

const ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (\/\S*)$/;

export function parseRouteKey(key: string): RouteKey {
  const match = ROUTE_KEY.exec(key);
  if (!match?.[1] || !match[2]) throw new InvalidRouteKeyError(key);
  return { method: match[1], path: match[2] };
}

// Path parameters are compared by position, whatever a handler names them ({ref}, {reference}).
const shape = (key: string) => key.replace(/\{[^}]+\}/g, '{}');

// The API routes the contract opens to staff alone. API Gateway's JWT authorizer guards exactly these;
// the others serve applicants (access code), the public, or pages that carry the staff session in a
// cookie, and their handlers check the caller with the same token code.
const STAFF_ONLY_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/cases',
  'POST /api/cases/{}/threshold-decision',
  'POST /api/cases/{}/agency-responses',
  'POST /api/cases/{}/review-outcome',
  'POST /api/cases/{}/action-plan',
  'POST /api/cases/{}/pcc-decision',
  'POST /api/cases/{}/contact',
  'POST /api/cases/{}/information-requests',
  'POST /api/cases/{}/actions/{}/progress',
  'POST /api/cases/{}/review-meeting',
  'GET /api/cases/{}/link-suggestions',
  'POST /api/cases/{}/links',
  'POST /api/statistics/returns',
]);

// Routes that touch no case data: their functions get no table, key or workflow permission.
const INFRASTRUCTURE_ROUTES: ReadonlySet<string> = new Set(['GET /health']);

export function isStaffOnlyRoute(key: string): boolean {
  return STAFF_ONLY_ROUTES.has(shape(key));
}

export function isInfrastructureRoute(key: string): boolean {
  return INFRASTRUCTURE_ROUTES.has(shape(key));
}

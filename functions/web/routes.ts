// What the two doors' route tables have in common. The pages are two functions, one per door
// (spec/architecture.md, "two doors, one domain"): the resident's (resident-routes.ts) and the staff's
// (staff-routes.ts), each reached by the API Gateway route keys infra/functions.ts lists for it (a test
// keeps the lists equal), each bundling only its own pages. The static files under /assets/ are neither's:
// CloudFront serves them from S3 (infra/web-build.ts builds them).
import type { Page, PageDeps } from './page-context.ts';

/** A door's pages, by the API Gateway route key that reaches each. */
export type PageRoutes<Deps extends PageDeps = PageDeps> = Readonly<Record<string, Page<Deps>>>;

/**
 * Whatever no other route matches, with any method (API Gateway takes every other route before a
 * greedy one, as the local gateway does): a GOV.UK "Page not found", and under /api/ the API's own JSON
 * error (app.ts), as contract.md's Pages ask. The resident's door answers it.
 */
export const UNMATCHED_ROUTE = 'ANY /{proxy+}';

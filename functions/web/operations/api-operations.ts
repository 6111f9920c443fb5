// The pages' operations, run by the JSON API's own route handlers, in this process: the same validation,
// authorisation, audit trail, idempotency and workflow hand-over as POST /api/…, with no second copy of
// any of it. Each call is the request the API would get (the staff member's token as a bearer token,
// the applicant's access code as X-Access-Code); the API's refusals reach the pages as
// the domain errors they are.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { apiContextFromEnv, idempotencyStoreFromEnv, workflowContextFromEnv } from '#api/dependencies.ts';
import type { Routes } from '#api/http/http-handler.ts';
import { applicationRoutes } from '#api/routes/applications.ts';
import { caseActionRoutes } from '#api/routes/case-actions.ts';
import { caseLinkRoutes } from '#api/routes/case-links.ts';
import { caseRoutes } from '#api/routes/cases.ts';
import { statisticsRoutes } from '#api/routes/statistics.ts';
import type {
  Caller,
  CaseOperations,
  CaseView,
  LinkedCase,
  LinkSuggestions,
  StatisticsRow,
  StatisticsTable,
  Submitted,
  Worklist,
} from './case-operations.ts';

/** The API's route groups the pages use, built from the environment as the API's own handlers build them. */
export function apiRoutesFromEnv(): Routes {
  const context = apiContextFromEnv();
  const workflow = workflowContextFromEnv();
  return {
    ...applicationRoutes({ ...context, idempotencyStore: idempotencyStoreFromEnv() }, workflow),
    ...caseRoutes(context, workflow),
    ...caseActionRoutes(context, workflow),
    ...caseLinkRoutes(context),
    ...statisticsRoutes(context),
  };
}

interface Call {
  readonly caller?: Caller;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

function callerHeaders(caller: Caller | undefined): Record<string, string> {
  if (caller?.kind === 'staff') return { authorization: `Bearer ${caller.token}` };
  if (caller?.kind === 'applicant') return { 'x-access-code': caller.accessCode };
  return {};
}

function eventFor(routeKey: string, call: Call): APIGatewayProxyEventV2 {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const rawPath = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(call.pathParameters?.[name] ?? ''),
  );
  const rawQueryString = new URLSearchParams(call.query).toString();
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers: {
      ...callerHeaders(call.caller),
      ...(call.body !== undefined && { 'content-type': 'application/json' }),
      ...call.headers,
    },
    ...(call.query && { queryStringParameters: call.query }),
    ...(call.pathParameters && { pathParameters: call.pathParameters }),
    requestContext: {
      accountId: 'web',
      apiId: 'web',
      domainName: 'web',
      domainPrefix: 'web',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'pages' },
      requestId: crypto.randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
    isBase64Encoded: false,
  };
}

// Powertools' idempotency reads the time left from the Lambda context to expire an in-progress record.
const CALL_BUDGET_MS = 25_000;

function contextFor(routeKey: string): Context {
  const deadline = Date.now() + CALL_BUDGET_MS;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `web ${routeKey}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: 'web',
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: 'web',
    logStreamName: 'web',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export class UnexpectedApiResponseError extends Error {
  constructor(routeKey: string, status: number) {
    super(`${routeKey} answered ${status}`);
    this.name = 'UnexpectedApiResponseError';
  }
}

type Json = Record<string, unknown>;

/** A staff view's application details, lifted to where the pages read them. */
function fromStaffView(view: Json): CaseView {
  const application = (view.application ?? {}) as Json;
  const by = (entry: Json) => ({ ...entry, ...(entry.by !== undefined && { actor: entry.by }) });
  return {
    ...(view as unknown as CaseView),
    applicant: application.applicant as CaseView['applicant'],
    onBehalfOf: (application.onBehalfOf ?? null) as CaseView['onBehalfOf'],
    description: application.description as string | undefined,
    impact: application.impact as string | undefined,
    incidents: application.incidents as CaseView['incidents'],
    agencyResponses: ((view.agencyResponses ?? []) as Json[]).map(
      by,
    ) as unknown as CaseView['agencyResponses'],
  };
}

export function apiCaseOperations(routes: Routes): CaseOperations {
  const call = async <T>(routeKey: string, request: Call): Promise<T> => {
    const route = routes[routeKey];
    if (!route) throw new UnexpectedApiResponseError(routeKey, 404);
    // The API's refusals are domain errors (core/errors.ts), which the pages map as they are.
    const result = await route(eventFor(routeKey, request), contextFor(routeKey));
    if (result.statusCode < 200 || result.statusCode >= 300) {
      throw new UnexpectedApiResponseError(routeKey, result.statusCode);
    }
    return JSON.parse(result.body) as T;
  };

  return {
    submitApplication: (body, caller, { idempotencyKey }) =>
      call<Submitted>('POST /api/applications', {
        caller,
        body,
        headers: { 'idempotency-key': idempotencyKey },
      }),

    async getCase(reference, caller) {
      const view = await call<Json>('GET /api/cases/{reference}', { caller, pathParameters: { reference } });
      return 'application' in view ? fromStaffView(view) : (view as unknown as CaseView);
    },

    listCases: (caller, query) =>
      call<Worklist>('GET /api/cases', {
        caller,
        query: { ...(query.stage && { stage: query.stage }), ...(query.cursor && { cursor: query.cursor }) },
      }),

    act: (reference, action, body, caller) =>
      call<{ stage: CaseView['stage'] }>(`POST /api/cases/{reference}/${action}`, {
        caller,
        pathParameters: { reference },
        body,
      }),

    linkSuggestions: (reference, caller) =>
      call<LinkSuggestions>('GET /api/cases/{reference}/link-suggestions', {
        caller,
        pathParameters: { reference },
      }),

    changeLinks: (reference, body, caller) =>
      call<{ links: LinkedCase[] }>('POST /api/cases/{reference}/links', {
        caller,
        pathParameters: { reference },
        body,
      }),

    statistics: (year) => call<StatisticsTable>('GET /api/statistics', year ? { query: { year } } : {}),

    async statisticsYears() {
      const { years } = await call<{ years: string[] }>('GET /api/statistics/years', {});
      return years;
    },

    signOffReturn: (body, caller) => call<StatisticsRow>('POST /api/statistics/returns', { caller, body }),
  };
}

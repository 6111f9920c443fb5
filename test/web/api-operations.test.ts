import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Routes } from '#api/http/http-handler.ts';
import { json } from '#api/http/responses.ts';
import {
  ConflictError,
  InvalidInputError,
  NotAllowedError,
  NotFoundError,
  NotSignedInError,
  StillProcessingError,
} from '#core/errors.ts';
import { apiCaseOperations } from '#web/operations/api-operations.ts';

const STAFF = {
  kind: 'staff' as const,
  staff: { sub: 's', name: 'Olivia', role: 'officer' as const, csp: 'sefton' },
  token: 'the-token',
};

function routesThat(handle: (event: APIGatewayProxyEventV2) => unknown): {
  routes: Routes;
  events: APIGatewayProxyEventV2[];
} {
  const events: APIGatewayProxyEventV2[] = [];
  const route = async (event: APIGatewayProxyEventV2) => {
    events.push(event);
    const result = handle(event);
    if (result instanceof Error) throw result;
    return json(200, result);
  };
  const keys = [
    'POST /api/applications',
    'GET /api/cases/{reference}',
    'GET /api/cases',
    'POST /api/cases/{reference}/withdraw',
    'GET /api/statistics',
    'GET /api/statistics/years',
  ];
  return { routes: Object.fromEntries(keys.map((key) => [key, route])), events };
}

describe('the pages’ operations over the API’s routes', () => {
  it('send the request the API would get: the caller’s credentials, the body as JSON, the idempotency key', async () => {
    // Prepare
    const { routes, events } = routesThat(() => ({ reference: 'SEF-1', accessCode: 'C', stage: 'received' }));
    const operations = apiCaseOperations(routes);

    // Act
    await operations.submitApplication({ csp: 'sefton' }, { kind: 'public' }, { idempotencyKey: 'key-1' });
    await operations.act('SEF-1', 'withdraw', { reason: 'r' }, { kind: 'applicant', accessCode: 'CODE' });
    await operations.listCases(STAFF, { stage: 'closed' });

    // Assess
    expect(events[0]?.headers).toMatchObject({
      'idempotency-key': 'key-1',
      'content-type': 'application/json',
    });
    expect(events[0]?.headers.authorization).toBeUndefined();
    expect(JSON.parse(events[0]?.body ?? '')).toEqual({ csp: 'sefton' });
    expect(events[1]?.routeKey).toBe('POST /api/cases/{reference}/withdraw');
    expect(events[1]?.pathParameters).toEqual({ reference: 'SEF-1' });
    expect(events[1]?.headers['x-access-code']).toBe('CODE');
    expect(events[2]?.headers.authorization).toBe('Bearer the-token');
    expect(events[2]?.queryStringParameters).toEqual({ stage: 'closed' });
  });

  it.each([
    [new InvalidInputError([{ path: 'reason', message: 'Enter a reason' }]), InvalidInputError],
    [new NotSignedInError(), NotSignedInError],
    [new NotAllowedError(), NotAllowedError],
    [new NotFoundError(), NotFoundError],
    [new ConflictError('moved on', 'closed'), ConflictError],
  ])('give the pages the API’s %s as it is', async (error, expected) => {
    // Prepare
    const operations = apiCaseOperations(routesThat(() => error).routes);

    // Act
    const failure = await operations.act('SEF-1', 'withdraw', {}, STAFF).catch((caught: unknown) => caught);

    // Assess
    expect(failure).toBeInstanceOf(expected);
  });

  it('tell a submission still in progress from any other conflict', async () => {
    // Prepare
    const operations = apiCaseOperations(routesThat(() => new StillProcessingError('wait')).routes);

    // Act
    const failure = await operations
      .submitApplication({}, { kind: 'public' }, { idempotencyKey: 'k' })
      .catch((caught: unknown) => caught);

    // Assess
    expect(failure).toBeInstanceOf(StillProcessingError);
  });

  it('lift a staff view’s application to where the pages read it', async () => {
    // Prepare
    const staffView = {
      reference: 'SEF-1',
      stage: 'awaiting-review',
      timeline: [],
      application: {
        applicant: { name: 'Jo' },
        onBehalfOf: null,
        description: 'd',
        impact: 'i',
        incidents: [],
      },
      agencyResponses: [{ agency: 'police', summary: 's', at: 't', by: { role: 'agency', name: 'Pat' } }],
    };
    const operations = apiCaseOperations(routesThat(() => staffView).routes);

    // Act
    const view = await operations.getCase('SEF-1', STAFF);

    // Assess
    expect(view.applicant?.name).toBe('Jo');
    expect(view.description).toBe('d');
    expect(view.agencyResponses?.[0]?.actor).toEqual({ role: 'agency', name: 'Pat' });
  });
});

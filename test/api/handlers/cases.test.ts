import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

import { httpHandler } from '#api/http/http-handler.ts';
import { applicationRoutes } from '#api/routes/applications.ts';
import { caseActionRoutes } from '#api/routes/case-actions.ts';
import { caseRoutes } from '#api/routes/cases.ts';
import { submitApplication } from '#cases/submit-application.ts';
import { readYearCounters } from '#data/statistics-counters.ts';
import { apiEvent, lambdaContext } from '#test/support/api-events.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { applicationBody } from '#test/support/applications.ts';
import { testCaseContext } from '#test/support/case-context.ts';
import { FINDINGS } from '#test/support/case-fixtures.ts';
import { startTestStaffTokens, type TestStaffTokens } from '#test/support/staff-tokens.ts';

/** Step Functions as far as the API uses it: records each call, and can be made to fail. */
function fakeStepFunctions() {
  const started: { name: string; input: string }[] = [];
  const state = { failing: false };
  const client = {
    send: async (command: StartExecutionCommand) => {
      if (state.failing)
        throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
      if ('name' in command.input)
        started.push({ name: command.input.name ?? '', input: command.input.input ?? '' });
      return { executionArn: `arn:execution:${command.input.name}`, startDate: new Date() };
    },
  } as unknown as SFNClient;
  return { client, started, state };
}

let tables: TestTables;
let tokens: TestStaffTokens;
let sfn: ReturnType<typeof fakeStepFunctions>;
let handler: ReturnType<typeof httpHandler>;
let caseContext: ReturnType<typeof testCaseContext>;
const now = new Date('2016-01-20T10:00:00Z');
/** The handlers' clock: `now`, unless a test moves it. */
let clockAt = now;

beforeAll(async () => {
  [tables, tokens] = await Promise.all([startTestTables(), startTestStaffTokens()]);
  sfn = fakeStepFunctions();
  const workflow = {
    stepFunctions: sfn.client,
    stateMachineArn: 'arn:aws:states:eu-west-2:0:stateMachine:case-review',
  };
  caseContext = testCaseContext(tables, { clock: () => clockAt, workflow });
  const context = { ...caseContext, identify: tokens.identify };
  handler = httpHandler({
    ...applicationRoutes(context),
    ...caseRoutes(context),
    ...caseActionRoutes(context),
  });
});

afterAll(async () => {
  await tokens?.close();
  await tables?.stop();
});

beforeEach(() => {
  sfn.state.failing = false;
  clockAt = now;
});

async function call(routeKey: string, options: Parameters<typeof apiEvent>[1] = {}) {
  const result = await handler(apiEvent(routeKey, options), lambdaContext());
  return { status: result.statusCode, body: JSON.parse(result.body), headers: result.headers ?? {} };
}

const bearer = async (claims: Record<string, string>) => ({
  authorization: `Bearer ${await tokens.token(claims)}`,
});
const officer = (csp = 'sefton') => bearer({ role: 'officer', name: 'A Officer', csp });
const TODAY = '2016-01-20';

async function received(year = '2015-16', csp = 'sefton') {
  const counters = await readYearCounters(tables.data, 'merseyside', year);
  return counters.tallies.get(csp)?.counts.applicationsReceived ?? 0;
}

async function submit(options: Parameters<typeof applicationBody>[0] = {}) {
  const result = await call('POST /api/applications', {
    body: applicationBody({ today: TODAY, ...options }),
  });
  expect(result.status).toBe(201);
  return result.body as { reference: string; accessCode: string; stage: string };
}

describe('POST /api/applications', () => {
  it('stores and counts an online application, and starts its review with the reference only', async () => {
    // Prepare
    const before = await received();
    // Act
    const { status, body, headers } = await call('POST /api/applications', {
      body: applicationBody({ today: TODAY }),
    });
    // Assess
    expect(status).toBe(201);
    expect(headers['cache-control']).toBe('no-store');
    expect(body).toEqual({
      reference: expect.stringMatching(/^SEF-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      accessCode: expect.any(String),
      stage: 'received',
    });
    expect(body.accessCode.replace(/-/g, '')).toHaveLength(28);
    expect(sfn.started).toContainEqual({
      name: body.reference,
      input: JSON.stringify({ reference: body.reference }),
    });
    expect(await received()).toBe(before + 1);
  });

  it('keeps the case when its review cannot be started, and the next look at it starts it', async () => {
    // Prepare
    sfn.state.failing = true;
    // Act
    const submitted = await call('POST /api/applications', { body: applicationBody({ today: TODAY }) });
    sfn.state.failing = false;
    const read = await call('GET /api/cases/{reference}', {
      pathParameters: { reference: submitted.body.reference },
      headers: { 'x-access-code': submitted.body.accessCode },
    });
    // Assess
    expect(submitted.status).toBe(201);
    expect(read.status).toBe(200);
    expect(sfn.started.map((start) => start.name)).toContain(submitted.body.reference);
  });

  it('lets an officer enter a backdated letter for their CSP, counted in the year it was received', async () => {
    const before = await received('2014-15');
    const { status, body } = await call('POST /api/applications', {
      headers: await officer(),
      body: {
        ...applicationBody({ today: '2015-03-01' }),
        channel: 'letter',
        receivedAt: '2015-03-02T10:00:00Z',
      },
    });
    expect(status).toBe(201);
    expect(await received('2014-15')).toBe(before + 1);
    const read = await call('GET /api/cases/{reference}', {
      pathParameters: { reference: body.reference },
      headers: await officer(),
    });
    expect(read.body).toMatchObject({ channel: 'letter', receivedAt: '2015-03-02T10:00:00.000Z' });
  });

  it('refuses officers entering for another CSP, and other staff (403)', async () => {
    const otherCsp = await call('POST /api/applications', {
      headers: await officer('wirral'),
      body: { ...applicationBody({ today: TODAY }), channel: 'phone' },
    });
    const agency = await call('POST /api/applications', {
      headers: await bearer({ role: 'agency', name: 'A', csp: 'sefton', agency: 'police' }),
      body: applicationBody({ today: TODAY }),
    });
    expect([otherCsp.status, agency.status]).toEqual([403, 403]);
  });

  it.each([
    ['channel', { channel: 'phone' }],
    ['receivedAt', { receivedAt: '2015-06-01T10:00:00Z' }],
    ['csp', { csp: 'manchester' }],
    ['victimType', { victimType: 'alien' }],
    ['consentToShare', { consentToShare: false }],
    ['incidents', { incidents: [] }],
    ['description', { description: 'x'.repeat(10_001) }],
    ['applicant.name', { applicant: { ...(applicationBody().applicant as object), name: 'x'.repeat(201) } }],
    ['onBehalfOf.consentGiven', { onBehalfOf: { name: 'Sam', relationship: 'son', consentGiven: false } }],
  ])('refuses a bad %s with a 400 naming it, storing and counting nothing', async (path, change) => {
    // Prepare
    const before = await received();
    // Act
    const { status, body } = await call('POST /api/applications', {
      body: { ...applicationBody({ today: TODAY }), ...change },
    });
    // Assess
    expect(status).toBe(400);
    expect(body.error).toBe('validation');
    expect(body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(await received()).toBe(before);
  });

  it('refuses an incident in the future or reported before it happened, naming the field', async () => {
    const body = applicationBody({ today: TODAY });
    const incidents = body.incidents as Record<string, unknown>[];
    const future = {
      ...body,
      incidents: [{ ...incidents[0], occurredOn: '2016-01-21', reportedOn: '2016-01-21' }],
    };
    const backwards = {
      ...body,
      incidents: [{ ...incidents[0], occurredOn: '2016-01-10', reportedOn: '2016-01-09' }],
    };
    const [a, b] = [
      await call('POST /api/applications', { body: future }),
      await call('POST /api/applications', { body: backwards }),
    ];
    expect(a.body.issues.map((issue: { path: string }) => issue.path)).toContain('incidents.0.occurredOn');
    expect(b.body.issues.map((issue: { path: string }) => issue.path)).toContain('incidents.0.reportedOn');
  });

  describe('with an Idempotency-Key', () => {
    it('answers a retry with the first response and creates nothing', async () => {
      // Prepare
      const headers = { 'idempotency-key': 'retry-test-0001' };
      const body = applicationBody({ today: TODAY });
      const before = await received();
      // Act
      const first = await call('POST /api/applications', { headers, body });
      const second = await call('POST /api/applications', { headers, body });
      // Assess
      expect(first.status).toBe(201);
      expect(second).toMatchObject({ status: 201, body: first.body });
      expect(await received()).toBe(before + 1);
    });

    it('never keeps the access code in the idempotency table as plain text', async () => {
      const { body } = await call('POST /api/applications', {
        headers: { 'idempotency-key': 'sealed-test-0001' },
        body: applicationBody({ today: TODAY }),
      });
      const scan = await tables.client.send(new ScanCommand({ TableName: tables.idempotencyTable }));
      const stored = JSON.stringify(scan.Items);
      expect(stored).toContain(body.reference);
      expect(stored).not.toContain(body.accessCode);
      expect(stored).not.toContain(body.accessCode.replace(/-/g, ''));
    });

    it('stores a new case for the key once its record has expired (a day on)', async () => {
      // Prepare
      const headers = { 'idempotency-key': 'expiry-test-0001' };
      const body = applicationBody({ today: TODAY });
      const first = await call('POST /api/applications', { headers, body });
      const before = await received();
      // Act
      clockAt = new Date(now.getTime() + 24 * 60 * 60 * 1000 + 1000);
      const later = await call('POST /api/applications', { headers, body });
      const repeat = await call('POST /api/applications', { headers, body });
      // Assess
      expect(later.status).toBe(201);
      expect(later.body.reference).not.toBe(first.body.reference);
      expect(repeat.body).toEqual(later.body);
      expect(await received()).toBe(before + 1);
    });

    it('refuses the key for a different application (409)', async () => {
      const headers = { 'idempotency-key': 'reuse-test-0001' };
      const first = await call('POST /api/applications', {
        headers,
        body: applicationBody({ today: TODAY }),
      });
      const otherBody = applicationBody({ today: TODAY, incidents: 2 });
      const other = await call('POST /api/applications', { headers, body: otherBody });
      expect(other.status).toBe(409);
      expect(other.body.error).toBe('conflict');
      // The API answers as before, with nothing of the first case; the pages are told its reference.
      expect(Object.keys(other.body)).toEqual(['error', 'message']);
      expect(JSON.stringify(other.body)).not.toContain(first.body.reference);
      await expect(
        submitApplication(
          caseContext,
          () => otherBody,
          { kind: 'anonymous' },
          { idempotencyKey: 'reuse-test-0001' },
        ),
      ).rejects.toMatchObject({ name: 'AlreadySubmittedError', reference: first.body.reference });
    });

    it('creates one case for concurrent duplicates', async () => {
      // Prepare
      const headers = { 'idempotency-key': 'concurrent-test-0001' };
      const body = applicationBody({ today: TODAY });
      const before = await received();
      // Act
      const results = await Promise.all(
        Array.from({ length: 5 }, () => call('POST /api/applications', { headers, body })),
      );
      // Assess
      const created = results.filter((result) => result.status === 201);
      expect(results.every((result) => result.status === 201 || result.status === 409)).toBe(true);
      expect(new Set(created.map((result) => result.body.reference)).size).toBe(1);
      expect(await received()).toBe(before + 1);
    });

    it('refuses a key that is not one (400)', async () => {
      const { status, body } = await call('POST /api/applications', {
        headers: { 'idempotency-key': 'x'.repeat(256) },
        body: applicationBody({ today: TODAY }),
      });
      expect(status).toBe(400);
      expect(body.issues[0].path).toBe('Idempotency-Key');
    });
  });
});

describe('GET /api/cases/{reference}', () => {
  let submitted: { reference: string; accessCode: string };
  beforeAll(async () => {
    submitted = await submit();
  });
  const read = (headers: Record<string, string>, reference = submitted.reference) =>
    call('GET /api/cases/{reference}', { pathParameters: { reference }, headers });

  it('shows the applicant their case without other people’s data or internal notes', async () => {
    // Act
    const { status, body, headers } = await read({ 'x-access-code': submitted.accessCode.toLowerCase() });
    // Assess
    expect(status).toBe(200);
    expect(headers['cache-control']).toBe('no-store');
    expect(body).toMatchObject({
      reference: submitted.reference,
      csp: 'sefton',
      stage: 'received',
      overdue: false,
    });
    for (const field of [
      'thresholdAssessment',
      'thresholdDecision',
      'reviewOutcome',
      'referral',
      'pccDecision',
      'deadlines',
      'timeline',
    ]) {
      expect(body).toHaveProperty(field);
    }
    expect(body).not.toHaveProperty('audit');
    expect(body).not.toHaveProperty('application');
    expect(body).not.toHaveProperty('agencyResponses');
    expect(JSON.stringify(body)).not.toContain('Jane');
    expect(body.timeline[0]).toEqual({
      at: expect.any(String),
      type: 'application-received',
      summary: expect.any(String),
      actor: { role: 'applicant' },
    });
  });

  it('shows an officer of the CSP the whole case, and audits the read', async () => {
    const first = await read(await officer());
    const second = await read(await officer());
    expect(first.status).toBe(200);
    expect(first.body.application.applicant.name).toBe('Jane Example');
    expect(second.body.audit.filter((entry: { what: string }) => entry.what === 'read')).toHaveLength(2);
    expect(second.body.audit[0].actor).toEqual({ role: 'officer', name: 'A Officer' });
  });

  it.each([
    ['a wrong access code', { 'x-access-code': 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG' }],
    ['an officer of another CSP', { role: 'officer', name: 'B', csp: 'wirral' }],
    ['an agency the case is not shared with', { role: 'agency', name: 'C', csp: 'sefton', agency: 'police' }],
    ['the PCC before any referral', { role: 'pcc', name: 'D' }],
  ])('refuses %s (403)', async (_who, claims) => {
    const headers = 'x-access-code' in claims ? claims : await bearer(claims as Record<string, string>);
    const { status, body } = await read(headers as Record<string, string>);
    expect(status).toBe(403);
    expect(body.error).toBe('forbidden');
  });

  it('asks for credentials (401), and refuses a tampered token (401)', async () => {
    const token = (await officer()).authorization;
    const tampered = `${token.slice(0, -4)}${token.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const [anonymous, forged] = [await read({}), await read({ authorization: tampered })];
    expect([anonymous.status, forged.status]).toEqual([401, 401]);
  });

  it('does not find unknown or impossible references (404)', async () => {
    const unknown = await read(await officer(), 'SEF-0000-0000');
    const impossible = await read(await officer(), 'x'.repeat(3000));
    expect([unknown.status, impossible.status]).toEqual([404, 404]);
    expect(unknown.body.error).toBe('not-found');
  });
});

describe('GET /api/cases', () => {
  it('lists the officer’s own CSP, oldest deadline first, page by page', async () => {
    // Prepare
    await submit({ csp: 'knowsley' });
    await submit({ csp: 'knowsley' });
    await submit({ csp: 'liverpool' });
    const headers = await officer('knowsley');
    // Act
    const first = await call('GET /api/cases', { headers, query: { limit: '1' } });
    const second = await call('GET /api/cases', { headers, query: { limit: '1', cursor: first.body.next } });
    const all = await call('GET /api/cases', { headers, query: { stage: 'received' } });
    // Assess
    expect(first.body.cases).toHaveLength(1);
    expect(first.body.next).toEqual(expect.any(String));
    expect(second.body.cases[0].reference).not.toBe(first.body.cases[0].reference);
    expect(all.body.cases.map((entry: { csp: string }) => entry.csp)).toEqual(['knowsley', 'knowsley']);
    expect(all.body.next).toBeNull();
    const deadlines = all.body.cases.map((entry: { nextDeadline: string }) => entry.nextDeadline);
    expect(deadlines).toEqual([...deadlines].sort());
    expect(all.body.cases[0]).toEqual({
      reference: expect.any(String),
      csp: 'knowsley',
      stage: 'received',
      receivedAt: expect.any(String),
      nextDeadline: expect.any(String),
      overdue: false,
      needsAttention: false,
      channel: 'online',
      applicantName: 'Jane Example',
      postcode: 'L20 1AA',
      assignedTo: null,
    });
  });

  it('answers from its one Query: a case whose review could not be started is not started by a list', async () => {
    // Prepare
    sfn.state.failing = true;
    const submitted = await call('POST /api/applications', {
      body: applicationBody({ today: TODAY, csp: 'wirral' }),
    });
    sfn.state.failing = false;
    const startsBefore = sfn.started.length;
    // Act
    const list = await call('GET /api/cases', {
      headers: await officer('wirral'),
      query: { stage: 'received' },
    });
    // Assess
    expect(list.body.cases.map((entry: { reference: string }) => entry.reference)).toContain(
      submitted.body.reference,
    );
    expect(sfn.started).toHaveLength(startsBefore);
  });

  it('lists only the overdue cases, or those shared with an agency, in one Query', async () => {
    // Prepare: a letter received in 2015 is long past its threshold decision's deadline.
    const headers = await officer('st-helens');
    const late = await call('POST /api/applications', {
      headers,
      body: {
        ...applicationBody({ today: '2015-03-01', csp: 'st-helens' }),
        channel: 'letter',
        receivedAt: '2015-03-02T10:00:00Z',
      },
    });
    const onTime = await submit({ csp: 'st-helens' });
    const send = vi.spyOn(tables.data.db, 'send');

    // Act
    const overdue = await call('GET /api/cases', { headers, query: { overdue: 'true' } });
    const asked = await call('GET /api/cases', { headers, query: { asked: 'police' } });
    const commands = send.mock.calls.map(([command]) => command.constructor.name);
    send.mockRestore();

    // Assess
    const references = (list: { body: { cases: { reference: string }[] } }) =>
      list.body.cases.map((entry) => entry.reference);
    expect(references(overdue)).toEqual([late.body.reference]);
    expect(overdue.body.cases[0]).toMatchObject({ overdue: true, channel: 'letter' });
    expect(references(overdue)).not.toContain(onTime.reference);
    expect(references(asked)).toEqual([]);
    expect(commands.filter((name) => name === 'QueryCommand')).toHaveLength(2);
    expect(commands).not.toContain('ScanCommand');
  });

  it('refuses a bad stage, limit or cursor (400), and anyone not signed in (401)', async () => {
    const headers = await officer();
    const results = await Promise.all([
      call('GET /api/cases', { headers, query: { stage: 'pending' } }),
      call('GET /api/cases', { headers, query: { limit: '0' } }),
      call('GET /api/cases', { headers, query: { cursor: 'not-a-cursor' } }),
      call('GET /api/cases'),
      call('GET /api/cases', { headers: { 'x-access-code': 'ABCD' } }),
    ]);
    expect(results.map((result) => result.status)).toEqual([400, 400, 400, 401, 401]);
    expect(results.slice(0, 3).map((result) => result.body.issues[0].path)).toEqual([
      'stage',
      'limit',
      'cursor',
    ]);
  });

  it('refuses filters that are not known, or not the caller’s (400)', async () => {
    const headers = await officer();
    const agency = await bearer({ role: 'agency', name: 'A Agency', csp: 'sefton', agency: 'police' });
    const results = await Promise.all([
      call('GET /api/cases', { headers, query: { assigned: 'someone' } }),
      call('GET /api/cases', { headers, query: { overdue: 'yes' } }),
      call('GET /api/cases', { headers, query: { asked: 'fire-service' } }),
      call('GET /api/cases', { headers, query: { csp: 'knowsley' } }),
      call('GET /api/cases', { headers: agency, query: { assigned: 'me' } }),
    ]);
    expect(results.map((result) => result.status)).toEqual([400, 400, 400, 400, 400]);
    expect(results.map((result) => result.body.issues[0].path)).toEqual([
      'assigned',
      'overdue',
      'asked',
      'csp',
      'assigned',
    ]);
    expect(results[2]?.body.issues[0].message).toBe(
      'Choose the agency asked: Police, Council, Housing provider, Health services',
    );
  });
});

describe('assignment and notes', () => {
  const take = async (reference: string, to: unknown, headers: Record<string, string>) =>
    call('POST /api/cases/{reference}/assignment', { pathParameters: { reference }, headers, body: { to } });
  const staffRead = async (reference: string, headers: Record<string, string>) =>
    (await call('GET /api/cases/{reference}', { pathParameters: { reference }, headers })).body;
  const references = (list: { body: { cases: { reference: string }[] } }) =>
    list.body.cases.map((entry) => entry.reference);

  it('lets an officer take a case, once, and hand it back, each listed and audited', async () => {
    // Prepare
    const alex = await bearer({ role: 'officer', name: 'Alex Officer', csp: 'sefton', sub: 'alex' });
    const sam = await bearer({ role: 'officer', name: 'Sam Officer', csp: 'sefton', sub: 'sam' });
    const submitted = await submit();
    const unassignedBefore = references(
      await call('GET /api/cases', { headers: alex, query: { assigned: 'unassigned', limit: '100' } }),
    );

    // Act
    const taken = await take(submitted.reference, 'me', alex);
    const again = await take(submitted.reference, 'me', alex);
    const mine = await call('GET /api/cases', { headers: alex, query: { assigned: 'me' } });
    const samsBefore = await call('GET /api/cases', { headers: sam, query: { assigned: 'me' } });
    const takenOver = await take(submitted.reference, 'me', sam);
    const samsAfter = await call('GET /api/cases', { headers: sam, query: { assigned: 'me' } });
    const alexAfter = await call('GET /api/cases', { headers: alex, query: { assigned: 'me' } });
    const handedBack = await take(submitted.reference, 'nobody', sam);
    const unassigned = await call('GET /api/cases', {
      headers: alex,
      query: { assigned: 'unassigned', limit: '100' },
    });
    const view = await staffRead(submitted.reference, alex);

    // Assess
    expect(unassignedBefore).toContain(submitted.reference);
    expect(taken.status).toBe(200);
    expect(taken.body).toEqual({
      reference: submitted.reference,
      assignedTo: { sub: expect.any(String), name: 'Alex Officer' },
    });
    expect(again.status).toBe(200);
    expect(references(mine)).toEqual([submitted.reference]);
    expect(mine.body.cases[0].assignedTo).toEqual({ sub: expect.any(String), name: 'Alex Officer' });
    expect(references(samsBefore)).toEqual([]);
    expect(takenOver.body.assignedTo).toEqual({ sub: expect.any(String), name: 'Sam Officer' });
    expect(references(samsAfter)).toEqual([submitted.reference]);
    expect(references(alexAfter)).toEqual([]);
    expect(handedBack.body).toEqual({ reference: submitted.reference, assignedTo: null });
    expect(references(unassigned)).toContain(submitted.reference);
    expect(view.assignedTo).toBeNull();
    // Taken by Alex (once: the repeat wrote nothing), by Sam, handed back: all at the test's one instant.
    const work = view.audit
      .map((entry: { what: string }) => entry.what)
      .filter((what: string) => what !== 'read');
    expect(work.sort()).toEqual(['assigned', 'assigned', 'unassigned']);
  });

  it('keeps the assignment when the workflow moves the case on', async () => {
    // Prepare
    const alex = await bearer({ role: 'officer', name: 'Alex Officer', csp: 'sefton', sub: 'alex-2' });
    const submitted = await submit();
    await take(submitted.reference, 'me', alex);

    // Act: a withdrawal replaces the case item through the transition's write.
    await call('POST /api/cases/{reference}/withdraw', {
      pathParameters: { reference: submitted.reference },
      headers: alex,
      body: { reason: 'Moved away.' },
    });
    const view = await staffRead(submitted.reference, alex);

    // Assess
    expect(view.assignedTo).toEqual({ sub: expect.any(String), name: 'Alex Officer' });
  });

  it('refuses other staff, other CSPs, bad bodies and unknown cases, changing nothing', async () => {
    // Prepare
    const submitted = await submit();
    const agency = await bearer({ role: 'agency', name: 'A Agency', csp: 'sefton', agency: 'police' });

    // Act
    const results = [
      await take(submitted.reference, 'me', await officer('knowsley')),
      await take(submitted.reference, 'me', agency),
      await take(submitted.reference, 'someone', await officer()),
      await take('SEF-0000-0000', 'me', await officer()),
      await take(submitted.reference, 'me', {}),
    ];
    const view = await staffRead(submitted.reference, await officer());

    // Assess
    expect(results.map((result) => result.status)).toEqual([403, 403, 400, 404, 401]);
    expect(results[2]?.body.issues[0]).toEqual({
      path: 'to',
      message: 'Choose me to take the case, or nobody to hand it back to the unassigned cases',
    });
    expect(view.assignedTo).toBeNull();
  });

  it('keeps internal notes for staff, audited, once per note, never in the applicant’s view', async () => {
    // Prepare
    const submitted = await submit();
    const headers = await officer();
    const note = (text: unknown, by = headers) =>
      call('POST /api/cases/{reference}/notes', {
        pathParameters: { reference: submitted.reference },
        headers: by,
        body: { text },
      });

    // Act
    const added = await note('Spoke to the housing officer: they know the flat.');
    const repeat = await note('Spoke to the housing officer: they know the flat.');
    const empty = await note('  ');
    const stranger = await note('Not mine.', await officer('knowsley'));
    const view = await staffRead(submitted.reference, headers);
    const applicant = await call('GET /api/cases/{reference}', {
      pathParameters: { reference: submitted.reference },
      headers: { 'x-access-code': submitted.accessCode },
    });

    // Assess
    expect(added.status).toBe(200);
    expect(repeat.status).toBe(200);
    expect([empty.status, stranger.status]).toEqual([400, 403]);
    expect(view.caseNotes).toEqual([
      {
        at: expect.any(String),
        text: 'Spoke to the housing officer: they know the flat.',
        by: { role: 'officer', name: 'A Officer' },
      },
    ]);
    expect(view.audit.filter((entry: { what: string }) => entry.what === 'note')).toHaveLength(1);
    expect(JSON.stringify(applicant.body)).not.toContain('housing officer');
  });
});

describe('POST /api/cases/search', () => {
  const person = (name: string, postcode: string) => ({
    name,
    email: 'someone@example.com',
    address: '2 Search Road, Wirral',
    postcode,
    contactPreference: 'email',
  });
  let sean: string;
  let other: string;
  let elsewhere: string;

  beforeAll(async () => {
    const apply = async (
      csp: string,
      applicant: Record<string, unknown>,
      onBehalfOf?: Record<string, unknown>,
    ) => {
      const result = await call('POST /api/applications', {
        body: { ...applicationBody({ today: TODAY, csp }), applicant, ...(onBehalfOf && { onBehalfOf }) },
      });
      expect(result.status).toBe(201);
      return result.body.reference as string;
    };
    sean = await apply('wirral', person('Seán O’Brien-Smith', 'CH41 5AA'));
    other = await apply('wirral', person('Mary Smith', 'CH41 6BB'), {
      name: 'Tom Victim',
      relationship: 'Son',
      consentGiven: true,
      postcode: 'CH45 1ZZ',
    });
    elsewhere = await apply('knowsley', person('Sean Obrien', 'L34 1AA'));
  });

  async function search(q: unknown, headers?: Record<string, string>) {
    return call('POST /api/cases/search', { headers: headers ?? (await officer('wirral')), body: { q } });
  }
  const found = (result: { body: { cases: { reference: string }[] } }) =>
    result.body.cases.map((entry) => entry.reference).sort();

  it('finds the caller’s cases by name, however it is typed, by any word of it', async () => {
    const results = await Promise.all([search('sean obrien'), search('O’BRIEN'), search('smith')]);
    expect(found(results[0] as never)).toEqual([sean]);
    expect(found(results[1] as never)).toEqual([sean]);
    expect(found(results[2] as never)).toEqual([sean, other].sort());
  });

  it('finds by postcode with or without its space, by district with a name, and by the victim’s details', async () => {
    const results = await Promise.all([
      search('ch415aa'),
      search('CH41 smith'),
      search('victim'),
      search('CH45 1ZZ'),
    ]);
    expect(results.map((result) => found(result as never))).toEqual([
      [sean],
      [sean, other].sort(),
      [other],
      [other],
    ]);
  });

  it('finds by reference as people type it, with the worklist’s answer', async () => {
    const typed = sean.toLowerCase().replaceAll('-', ' ');
    const result = await search(typed);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      cases: [
        {
          reference: sean,
          csp: 'wirral',
          stage: expect.any(String),
          receivedAt: expect.any(String),
          nextDeadline: expect.any(String),
          overdue: false,
          needsAttention: false,
          channel: 'online',
          applicantName: 'Seán O’Brien-Smith',
          postcode: 'CH41 5AA',
          assignedTo: null,
        },
      ],
      next: null,
    });
  });

  it('never finds another CSP’s case, nor a case the agency was not asked about', async () => {
    const agency = await bearer({ role: 'agency', name: 'A Agency', csp: 'wirral', agency: 'police' });
    const results = await Promise.all([
      search('sean obrien', await officer('knowsley')),
      search(sean, await officer('knowsley')),
      search('smith', agency),
    ]);
    expect(results.map((result) => found(result as never))).toEqual([[elsewhere], [], []]);
  });

  it('reads one Query per term and the matches by key, never a scan', async () => {
    const headers = await officer('wirral');
    const send = vi.spyOn(tables.data.db, 'send');
    const result = await search('mary smith', headers);
    const commands = send.mock.calls.map(([command]) => command.constructor.name);
    send.mockRestore();
    expect(found(result as never)).toEqual([other]);
    expect(commands).toEqual(['QueryCommand', 'QueryCommand', 'BatchGetCommand']);
  });

  it('refuses an empty or unsearchable search, or too many words (400), and anyone not signed in (401)', async () => {
    const results = await Promise.all([
      search(''),
      search('  '),
      search('12 --'),
      search('a b c d e f g h i j'.replaceAll(' ', 'x ')),
      search(42),
      call('POST /api/cases/search', { body: { q: 'smith' } }),
    ]);
    expect(results.map((result) => result.status)).toEqual([400, 400, 400, 400, 400, 401]);
    expect(results.slice(0, 5).map((result) => result.body.issues[0].path)).toEqual([
      'q',
      'q',
      'q',
      'q',
      'q',
    ]);
  });
});

describe('case actions', () => {
  let submitted: { reference: string; accessCode: string };
  beforeAll(async () => {
    submitted = await submit();
  });
  const act = (
    action: string,
    headers: Record<string, string>,
    body: unknown,
    reference = submitted.reference,
  ) => call(`POST /api/cases/{reference}/${action}`, { pathParameters: { reference }, headers, body });

  it('refuses an action at the wrong stage with 409 naming the stage', async () => {
    const { status, body } = await act('threshold-decision', await officer(), {
      met: true,
      route: 'A',
      reason: 'Three complaints',
    });
    expect(status).toBe(409);
    expect(body).toMatchObject({ error: 'conflict', stage: 'received' });
    expect(body.message).toContain('received');
  });

  it('checks who acts before what they send', async () => {
    const results = [
      await act('threshold-decision', { 'x-access-code': submitted.accessCode }, { met: true }),
      await act('threshold-decision', {}, { met: true }),
      await act('threshold-decision', await officer('wirral'), { met: true }),
      await act('pcc-decision', await officer(), { outcome: 'review-stands', reason: 'x' }),
      await act(
        'agency-responses',
        await bearer({ role: 'agency', name: 'A', csp: 'sefton', agency: 'police' }),
        {},
      ),
    ];
    expect(results.map((result) => result.status)).toEqual([403, 401, 403, 403, 403]);
  });

  it.each([
    ['threshold-decision', { met: false, route: 'A', reason: 'x' }, 'route'],
    ['threshold-decision', { met: true, reason: 'x' }, 'route'],
    ['threshold-decision', { met: 'yes', reason: 'x' }, 'met'],
    ['review-outcome', { heldOn: '2016-02-30', summary: 'x', findings: FINDINGS }, 'heldOn'],
    [
      'review-outcome',
      {
        heldOn: '2016-01-10',
        summary: 'x',
        findings: FINDINGS,
        recommendations: [{ action: 'a', owner: 'army', dueBy: '2016-02-01' }],
      },
      'recommendations.0.owner',
    ],
    ['withdraw', { fearOfReprisal: 'yes' }, 'fearOfReprisal'],
    ['withdraw', { reason: 'x', extra: 1 }, 'extra'],
  ])('refuses a bad %s body with a 400 naming the field', async (action, body, path) => {
    const result = await act(action, await officer(), body);
    expect(result.status).toBe(400);
    expect(result.body.issues.map((issue: { path: string }) => issue.path)).toContain(path);
  });

  it('refuses a body that is not JSON (415) or too large (413)', async () => {
    const headers = await officer();
    const event = (raw: string, type: string) =>
      handler(
        apiEvent('POST /api/cases/{reference}/withdraw', {
          pathParameters: { reference: submitted.reference },
          headers: { ...headers, 'content-type': type },
          rawBody: raw,
        }),
        lambdaContext(),
      );
    const [text, huge] = [
      await event('reason=x', 'text/plain'),
      await event(JSON.stringify({ reason: 'x'.repeat(1_100_000) }), 'application/json'),
    ];
    expect([text.statusCode, huge.statusCode]).toEqual([415, 413]);
  });

  it('accepts a withdrawal with an empty reason as one without a reason', async () => {
    // Prepare
    const other = await submit();
    // Act
    const result = await act(
      'withdraw',
      { 'x-access-code': other.accessCode },
      { reason: '' },
      other.reference,
    );
    const view = await call('GET /api/cases/{reference}', {
      pathParameters: { reference: other.reference },
      headers: await officer(),
    });
    // Assess
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ changed: true, stage: 'closed' });
    expect(view.body.recordedDecisions).toMatchObject([{ kind: 'withdraw', body: {} }]);
  });

  it('shows the officer the reason and a fear of reprisal, not the applicant’s view', async () => {
    // Prepare
    const other = await submit();
    const applicant = { 'x-access-code': other.accessCode };
    // Act
    await act('withdraw', applicant, { reason: 'Moved away', fearOfReprisal: true }, other.reference);
    const read = (headers: Record<string, string>) =>
      call('GET /api/cases/{reference}', { pathParameters: { reference: other.reference }, headers });
    const [staff, own] = [await read(await officer()), await read(applicant)];
    // Assess
    expect(staff.body.recordedDecisions).toMatchObject([
      { kind: 'withdraw', body: { reason: 'Moved away', fearOfReprisal: true } },
    ]);
    expect(own.status).toBe(200);
    expect(own.body).not.toHaveProperty('withdrawal');
  });

  it('records a withdrawal once: a repeat changes nothing and answers the same stage, another body conflicts', async () => {
    // Prepare
    const other = await submit();
    const applicant = { 'x-access-code': other.accessCode };
    // Act
    const results = await Promise.all(
      Array.from({ length: 4 }, () => act('withdraw', applicant, { reason: 'Moved away' }, other.reference)),
    );
    const different = await act('withdraw', await officer(), { reason: 'Another reason' }, other.reference);
    // Assess
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200]);
    expect(results.filter((result) => result.body.changed)).toHaveLength(1);
    expect(results.find((result) => result.body.changed)?.body).toEqual({
      reference: other.reference,
      action: 'withdraw',
      changed: true,
      stage: 'closed',
    });
    // The workflow has not applied it yet (nothing runs it here): a retry still answers where it goes.
    expect(results.map((result) => result.body.stage)).toEqual(['closed', 'closed', 'closed', 'closed']);
    expect(different.status).toBe(409);
  });

  it('refuses any other step once the withdrawal is recorded, before the workflow has closed the case', async () => {
    // Prepare
    const other = await submit();
    await act('withdraw', { 'x-access-code': other.accessCode }, { reason: 'Moved away' }, other.reference);
    const contact = { name: 'Sam Contact', phone: '0151 934 2000', email: 'sam@example.org' };

    // Act
    const named = await act('contact', await officer(), contact, other.reference);
    const involved = await act(
      'involvement',
      { 'x-access-code': other.accessCode },
      { level: 'updates-only', consultOnPlan: false },
      other.reference,
    );
    const view = await call('GET /api/cases/{reference}', {
      pathParameters: { reference: other.reference },
      headers: await officer(),
    });

    // Assess
    expect([named.status, involved.status]).toEqual([409, 409]);
    expect(named.body).toMatchObject({ error: 'conflict', stage: 'received' });
    expect(named.body.message).toContain('withdrawn');
    expect(view.body.timeline.map((event: { type: string }) => event.type)).not.toContain('contact');
  });
});

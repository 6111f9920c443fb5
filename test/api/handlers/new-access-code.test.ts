// POST /api/cases/{reference}/new-access-code (contract.md): always 202 without a sign-in, a new code sent
// to the contact details on an open case, the old code working until the new one is first used, a rate
// limit, every request about a case audited; and the access code in the acknowledgement.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

import type { SFNClient } from '@aws-sdk/client-sfn';
import { httpHandler } from '#api/http/http-handler.ts';
import { applicationRoutes } from '#api/routes/applications.ts';
import { caseActionRoutes } from '#api/routes/case-actions.ts';
import { caseRoutes } from '#api/routes/cases.ts';
import { caseKey } from '#data/case-items.ts';
import type { Notification, Notifier } from '#shared/notifier.ts';
import { createOutboxNotifier, listOutbox } from '#shared/outbox-notifier.ts';
import { apiEvent, lambdaContext } from '#test/support/api-events.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { applicationBody } from '#test/support/applications.ts';
import { testCaseContext } from '#test/support/case-context.ts';
import { startTestStaffTokens, type TestStaffTokens } from '#test/support/staff-tokens.ts';

const HOUR = 60 * 60 * 1000;
let tables: TestTables;
let tokens: TestStaffTokens;
let handler: ReturnType<typeof httpHandler>;
let outbox: string;
let now = new Date('2016-01-20T10:00:00Z');
/** The outbox, or a delivery that fails while `failing` is set. */
const delivery = { failing: false };

beforeAll(async () => {
  [tables, tokens] = await Promise.all([startTestTables(), startTestStaffTokens()]);
  outbox = mkdtempSync(join(tmpdir(), 'new-access-code-'));
  const written = createOutboxNotifier({ directory: outbox, clock: () => now });
  const notifier: Notifier = {
    notify: async (notification) => {
      if (delivery.failing) throw Object.assign(new Error('Notify is down'), { name: 'NotifyDeliveryError' });
      await written.notify(notification);
    },
  };
  // Starting an execution is not what these tests are about: every start succeeds.
  const stepFunctions = { send: async () => ({}) } as unknown as SFNClient;
  const workflow = { stepFunctions, stateMachineArn: 'arn:aws:states:eu-west-2:0:stateMachine:case-review' };
  const context = {
    ...testCaseContext(tables, { clock: () => now, workflow, notifier }),
    identify: tokens.identify,
  };
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
  delivery.failing = false;
  now = new Date(now.getTime() + 48 * HOUR);
});

async function call(routeKey: string, options: Parameters<typeof apiEvent>[1] = {}) {
  const result = await handler(apiEvent(routeKey, options), lambdaContext());
  return { status: result.statusCode, body: JSON.parse(result.body) };
}

async function submit(options: Parameters<typeof applicationBody>[0] = {}) {
  const result = await call('POST /api/applications', {
    body: applicationBody({ today: '2016-01-20', ...options }),
  });
  expect(result.status).toBe(201);
  return result.body as { reference: string; accessCode: string };
}

const askForNewCode = (reference: string, body: unknown = {}) =>
  call('POST /api/cases/{reference}/new-access-code', { pathParameters: { reference }, body });

const readAs = (reference: string, accessCode: string) =>
  call('GET /api/cases/{reference}', {
    pathParameters: { reference },
    headers: { 'x-access-code': accessCode },
  });

async function messages(reference: string, template: Notification['template']) {
  return (await listOutbox(outbox)).filter(
    (message) => message.to.reference === reference && message.template === template,
  );
}

/** The code in the newest new-access-code message for the case. */
async function newestCode(reference: string): Promise<string> {
  const sent = await messages(reference, 'new-access-code');
  const code = sent.at(-1)?.body.match(/Your new access code is ([0-9A-Z-]+)\./)?.[1];
  if (code === undefined) throw new Error(`no new code was sent for ${reference}`);
  return code;
}

async function auditOf(reference: string): Promise<string[]> {
  const token = await tokens.token({ role: 'officer', name: 'A Officer', csp: 'sefton' });
  const { body } = await call('GET /api/cases/{reference}', {
    pathParameters: { reference },
    headers: { authorization: `Bearer ${token}` },
  });
  return (body.audit as { what: string }[]).map((entry) => entry.what).filter((what) => what !== 'read');
}

describe('the acknowledgement', () => {
  it('gives the applicant their reference and access code, and says how to get a new code', async () => {
    // Act
    const { reference, accessCode } = await submit();
    // Assess
    const [acknowledgement] = await messages(reference, 'application-acknowledged');
    expect(acknowledgement?.body).toContain(reference);
    expect(acknowledgement?.body).toContain(`Your access code is ${accessCode}.`);
    expect(acknowledgement?.body).toContain('I have lost my access code');
  });

  it('is left to the workflow when it cannot be sent: the application is still received', async () => {
    // Prepare
    delivery.failing = true;
    // Act
    const result = await call('POST /api/applications', { body: applicationBody({ today: '2016-01-20' }) });
    // Assess
    expect(result.status).toBe(201);
    expect(await messages(result.body.reference, 'application-acknowledged')).toEqual([]);
    expect((await readAs(result.body.reference, result.body.accessCode)).status).toBe(200);
  });
});

describe('POST /api/cases/{reference}/new-access-code', () => {
  it('answers 202 and sends a new code, grouped for reading aloud, to the contact details on the case', async () => {
    // Prepare
    const { reference } = await submit();
    // Act
    const { status, body } = await askForNewCode(reference);
    // Assess
    expect(status).toBe(202);
    expect(body.message).toEqual(expect.any(String));
    const [sent] = await messages(reference, 'new-access-code');
    expect(sent?.to).toMatchObject({ kind: 'applicant', contact: { email: expect.any(String) } });
    expect(await newestCode(reference)).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$/);
    expect(await auditOf(reference)).toEqual(['new-access-code-sent']);
  });

  it('keeps the old code working until the new one is first used, then retires the old one', async () => {
    // Prepare
    const { reference, accessCode } = await submit();
    await askForNewCode(reference);
    const newCode = await newestCode(reference);
    now = new Date(now.getTime() + 60_000);
    // Act
    const oldBeforeUse = await readAs(reference, accessCode);
    const firstUse = await readAs(reference, newCode.toLowerCase().replace(/-/g, ' '));
    const oldAfterUse = await readAs(reference, accessCode);
    const newAgain = await readAs(reference, newCode);
    // Assess
    expect(oldBeforeUse.status).toBe(200);
    expect(firstUse.status).toBe(200);
    expect(oldAfterUse.status).toBe(403);
    expect(newAgain.status).toBe(200);
    expect(await auditOf(reference)).toEqual(['new-access-code-sent', 'new-access-code-used']);
  });

  it('retires the old code when the new one is first used for an action, not only a read', async () => {
    // Prepare
    const { reference, accessCode } = await submit();
    await askForNewCode(reference);
    const newCode = await newestCode(reference);
    // Act
    const withdrawn = await call('POST /api/cases/{reference}/withdraw', {
      pathParameters: { reference },
      headers: { 'x-access-code': newCode },
      body: { reason: 'Things are better now' },
    });
    // Assess
    expect(withdrawn.status).toBe(200);
    expect((await readAs(reference, accessCode)).status).toBe(403);
  });

  it('makes only the newest code work when several were asked for before any was used', async () => {
    // Prepare
    const { reference, accessCode } = await submit();
    await askForNewCode(reference);
    const first = await newestCode(reference);
    now = new Date(now.getTime() + 1000);
    await askForNewCode(reference);
    const second = await newestCode(reference);
    // Act
    const firstTried = await readAs(reference, first);
    const secondTried = await readAs(reference, second);
    // Assess
    expect(firstTried.status).toBe(403);
    expect(secondTried.status).toBe(200);
    expect((await readAs(reference, accessCode)).status).toBe(403);
  });

  it('accepts the reference in lower case and with spaces for the hyphens', async () => {
    // Prepare
    const { reference } = await submit();
    // Act
    const { status } = await askForNewCode(reference.toLowerCase().replace(/-/g, ' '));
    // Assess
    expect(status).toBe(202);
    expect(await messages(reference, 'new-access-code')).toHaveLength(1);
  });

  it('sends at most three codes a day for a case, answering 202 all the same, and audits the held-back ones', async () => {
    // Prepare
    const { reference, accessCode } = await submit();
    // Act
    const statuses: number[] = [];
    for (let request = 0; request < 5; request += 1) {
      now = new Date(now.getTime() + 60_000);
      statuses.push((await askForNewCode(reference)).status);
    }
    const dayLater = new Date(now.getTime() + 24 * HOUR);
    now = dayLater;
    const nextDay = await askForNewCode(reference);
    // Assess
    expect(statuses).toEqual([202, 202, 202, 202, 202]);
    expect(nextDay.status).toBe(202);
    expect(await messages(reference, 'new-access-code')).toHaveLength(4);
    expect(await auditOf(reference)).toEqual([
      'new-access-code-sent',
      'new-access-code-sent',
      'new-access-code-sent',
      'new-access-code-held-back',
      'new-access-code-held-back',
      'new-access-code-sent',
    ]);
    expect((await readAs(reference, accessCode)).status).toBe(200);
  });

  it('never lets concurrent requests send more codes than the limit', async () => {
    // Prepare
    const { reference } = await submit();
    // Act
    const answers = await Promise.all(Array.from({ length: 6 }, () => askForNewCode(reference)));
    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202, 202]);
    const audit = await auditOf(reference);
    expect(audit.filter((what) => what === 'new-access-code-sent')).toHaveLength(3);
    expect(audit.filter((what) => what === 'new-access-code-held-back')).toHaveLength(3);
  });

  it.each([
    ['a case that does not exist', 'SEF-0000-0000'],
    ['text that cannot be a reference', 'not-a-reference'],
  ])('answers 202 for %s, sending nothing', async (_, reference) => {
    // Prepare
    const before = (await listOutbox(outbox)).length;
    // Act
    const { status } = await askForNewCode(reference);
    // Assess
    expect(status).toBe(202);
    expect(await listOutbox(outbox)).toHaveLength(before);
  });

  it('answers 202 for a closed case, sending nothing, and audits the request', async () => {
    // Prepare
    const { reference } = await submit();
    await tables.data.db.send(
      new UpdateCommand({
        TableName: tables.data.tables.cases,
        Key: caseKey(reference),
        UpdateExpression: 'SET stage = :closed',
        ExpressionAttributeValues: { ':closed': 'closed' },
      }),
    );
    // Act
    const { status } = await askForNewCode(reference);
    // Assess
    expect(status).toBe(202);
    expect(await messages(reference, 'new-access-code')).toEqual([]);
    expect(await auditOf(reference)).toEqual(['new-access-code-case-closed']);
  });

  it('answers 202 when the code cannot be sent, and the old code goes on working', async () => {
    // Prepare
    const { reference, accessCode } = await submit();
    delivery.failing = true;
    // Act
    const { status } = await askForNewCode(reference);
    // Assess
    expect(status).toBe(202);
    expect(await auditOf(reference)).toEqual(['new-access-code-not-sent']);
    expect((await readAs(reference, accessCode)).status).toBe(200);
  });

  it.each([
    ['a field', { email: 'someone@example.com' }],
    ['an array', []],
    ['a string', 'new code please'],
  ])('refuses a body with %s (400), sending and recording nothing', async (_, body) => {
    // Prepare
    const { reference } = await submit();
    // Act
    const { status, body: answer } = await askForNewCode(reference, body);
    // Assess
    expect(status).toBe(400);
    expect(answer).toMatchObject({ error: 'validation', message: expect.any(String) });
    expect(await messages(reference, 'new-access-code')).toEqual([]);
    expect(await auditOf(reference)).toEqual([]);
  });

  it('takes a request without a body as {}', async () => {
    // Prepare
    const { reference } = await submit();
    // Act
    const { status } = await call('POST /api/cases/{reference}/new-access-code', {
      pathParameters: { reference },
    });
    // Assess
    expect(status).toBe(202);
    expect(await messages(reference, 'new-access-code')).toHaveLength(1);
  });
});

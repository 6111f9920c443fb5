// DynamoDB writes and state transitions per case for each path, counted in-process (the service started
// in this process, its SDK clients' sends counted by table), for `npm run bench` (test/bench/bench.ts).
// Up to the first wait, the service's writes stand beside their floor: one transaction of the case and
// its counter.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ukDateOf } from '#core/local-date.ts';
import { tables } from '#data/table-specs.ts';
import { freePort } from '#local/dynamodb-local.ts';
import { startLocalCloud } from '#local/local-cloud.ts';
import { write } from '#test/bench/figures.ts';
import { applicationBody } from '#test/support/applications.ts';
import { FINDINGS } from '#test/support/case-fixtures.ts';
import { localCredentials } from '#test/support/dynamodb.ts';

const STATE_MACHINE = 'arn:aws:states:eu-west-2:000000000000:stateMachine:case-review';
const REGION = 'eu-west-2';
/** How long a path waits for a case to reach a stage before it reports where the case stopped. */
const STAGE_TIMEOUT_MS = 120_000;
/** What a submission must write at the least: one transaction of the case and its counter. */
const SUBMISSION_FLOOR = 1;

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return response;
}

function sfnClient(endpoint: string): SFNClient {
  return new SFNClient({ endpoint, region: REGION, credentials: localCredentials });
}

async function history(sfn: SFNClient, reference: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${reference}`,
        nextToken,
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

interface WriteCount {
  requests: number;
  items: number;
}

/**
 * Items written, by table (with the requests that wrote to each), and write requests by whose tables
 * they wrote: a transaction over the case's, the counter's and the idempotency record's tables is one
 * request.
 */
interface Tally {
  readonly tables: Map<string, WriteCount>;
  readonly requests: { service: number; engine: number };
}

const serviceTables: ReadonlySet<string> = new Set(tables.map((spec) => spec.localName));

function clearTally(tally: Tally): void {
  tally.tables.clear();
  tally.requests.service = 0;
  tally.requests.engine = 0;
}

const ITEM_WRITES: Readonly<Record<string, (input: Record<string, unknown>) => [string, number][]>> = (() => {
  const single = (input: Record<string, unknown>): [string, number][] => [[String(input.TableName), 1]];
  const transact = (input: Record<string, unknown>): [string, number][] =>
    (input.TransactItems as Record<string, { TableName: string } | undefined>[]).flatMap((item) => {
      const change = item.Put ?? item.Update ?? item.Delete;
      return change === undefined ? [] : [[change.TableName, 1] as [string, number]];
    });
  const batch = (input: Record<string, unknown>): [string, number][] =>
    Object.entries(input.RequestItems as Record<string, unknown[]>).map(([table, requests]) => [
      table,
      requests.length,
    ]);
  return {
    PutItemCommand: single,
    PutCommand: single,
    UpdateItemCommand: single,
    UpdateCommand: single,
    DeleteItemCommand: single,
    DeleteCommand: single,
    TransactWriteItemsCommand: transact,
    TransactWriteCommand: transact,
    BatchWriteItemCommand: batch,
    BatchWriteCommand: batch,
  };
})();

/** Counts every DynamoDB write request any SDK client in this process sends, by table. */
function countWrites(tally: Tally): void {
  type Sender = {
    send: (command: { input: Record<string, unknown> }, ...rest: unknown[]) => Promise<unknown>;
  };
  const prototypes: unknown[] = [DynamoDBClient.prototype, DynamoDBDocumentClient.prototype];
  for (const prototype of prototypes as Sender[]) {
    const send = prototype.send;
    prototype.send = function (this: unknown, command, ...rest) {
      const writes = ITEM_WRITES[command.constructor.name]?.(command.input) ?? [];
      const seen = new Set<string>();
      for (const [table, items] of writes) {
        const count = tally.tables.get(table) ?? { requests: 0, items: 0 };
        count.items += items;
        if (!seen.has(table)) count.requests += 1;
        seen.add(table);
        tally.tables.set(table, count);
      }
      if (writes.length > 0) {
        if (writes.some(([table]) => serviceTables.has(table))) tally.requests.service += 1;
        else tally.requests.engine += 1;
      }
      return send.call(this, command, ...rest);
    };
  }
}

interface Path {
  readonly name: string;
  /** Takes a submitted case along the path; resolves when the case is where the path ends. */
  run(step: Steps, reference: string, accessCode: string): Promise<void>;
}

interface Steps {
  act(reference: string, action: string, body: unknown, headers: Record<string, string>): Promise<void>;
  waitFor(reference: string, accessCode: string, stage: string): Promise<void>;
  officer: Record<string, string>;
  pcc: Record<string, string>;
}

const today = ukDateOf(new Date());

const PATHS: readonly Path[] = [
  {
    name: 'submitted, waiting for the threshold decision',
    run: (s, ref, code) => s.waitFor(ref, code, 'awaiting-threshold-decision'),
  },
  {
    name: 'threshold not met, then withdrawn',
    async run(s, ref, code) {
      await s.waitFor(ref, code, 'awaiting-threshold-decision');
      await s.act(ref, 'threshold-decision', { met: false, reason: 'Not met.' }, s.officer);
      await s.waitFor(ref, code, 'threshold-not-met');
      await s.act(ref, 'withdraw', { reason: 'Resolved.' }, { 'x-access-code': code });
      await s.waitFor(ref, code, 'closed');
    },
  },
  {
    name: 'met, reviewed with a recommendation, the plan consulted on, then withdrawn',
    async run(s, ref, code) {
      await s.waitFor(ref, code, 'awaiting-threshold-decision');
      await s.act(ref, 'threshold-decision', { met: true, route: 'A', reason: 'Met.' }, s.officer);
      await s.waitFor(ref, code, 'awaiting-review');
      const recommendations = [{ action: 'Mediation', owner: 'council', dueBy: today }];
      await s.act(
        ref,
        'review-outcome',
        { heldOn: today, summary: 'Reviewed.', findings: FINDINGS, recommendations },
        s.officer,
      );
      await s.waitFor(ref, code, 'action-plan-consultation');
      await s.act(ref, 'action-plan', { recommendations, changes: 'None.' }, s.officer);
      await s.waitFor(ref, code, 'review-complete');
      await s.act(ref, 'withdraw', { reason: 'Resolved.' }, { 'x-access-code': code });
      await s.waitFor(ref, code, 'closed');
    },
  },
  {
    name: 'met, reviewed, referred, PCC: review stands (closed)',
    async run(s, ref, code) {
      await s.waitFor(ref, code, 'awaiting-threshold-decision');
      await s.act(ref, 'threshold-decision', { met: true, route: 'A', reason: 'Met.' }, s.officer);
      await s.waitFor(ref, code, 'awaiting-review');
      await s.act(
        ref,
        'review-outcome',
        { heldOn: today, summary: 'Reviewed.', findings: FINDINGS },
        s.officer,
      );
      await s.waitFor(ref, code, 'review-complete');
      await s.act(ref, 'referral', { reason: 'Not satisfied.' }, { 'x-access-code': code });
      await s.waitFor(ref, code, 'awaiting-pcc-decision');
      await s.act(ref, 'pcc-decision', { outcome: 'review-stands', reason: 'Fine.' }, s.pcc);
      await s.waitFor(ref, code, 'closed');
    },
  },
];

/** The execution has nothing in progress: it waits on a person, or has finished. */
async function settled(sfn: SFNClient, reference: string): Promise<HistoryEvent[]> {
  for (;;) {
    const events = await history(sfn, reference);
    const last = events.at(-1)?.type ?? '';
    if (last === 'TaskSubmitted' || last === 'ExecutionSucceeded' || last === 'ExecutionFailed')
      return events;
    await sleep(20);
  }
}

export async function writesPerPath(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'asb-bench-'));
  const tally: Tally = { tables: new Map(), requests: { service: 0, engine: 0 } };
  countWrites(tally);
  const cloud = await startLocalCloud({
    host: '127.0.0.1',
    port: await freePort(),
    dynamodbPort: await freePort(),
    stepFunctionsPort: await freePort(),
    secretsManagerPort: await freePort(),
    lambdaPort: await freePort(),
    s3Port: await freePort(),
    dataDir,
  });
  const sfn = sfnClient(cloud.urls.stepFunctions);
  try {
    const token = async (claims: Record<string, string>) => {
      const response = await post(`${cloud.urls.api}/local/token`, claims);
      return { authorization: `Bearer ${((await response.json()) as { token: string }).token}` };
    };
    const steps: Steps = {
      officer: await token({ role: 'officer', csp: 'sefton', name: 'Bench Officer' }),
      pcc: await token({ role: 'pcc', name: 'Bench PCC' }),
      act: async (reference, action, body, headers) => {
        await post(`${cloud.urls.api}/api/cases/${reference}/${action}`, body, headers);
      },
      // Polled as the applicant: a staff read is audited, which would add writes of its own.
      waitFor: async (reference, accessCode, stage) => {
        const deadline = Date.now() + STAGE_TIMEOUT_MS;
        let reached = '';
        while (Date.now() < deadline) {
          const response = await fetch(`${cloud.urls.api}/api/cases/${reference}`, {
            headers: { 'x-access-code': accessCode },
          });
          reached = ((await response.json()) as { stage: string }).stage;
          if (reached === stage) return;
          await sleep(20);
        }
        throw new Error(`The case did not reach ${stage} in ${STAGE_TIMEOUT_MS / 1000} s: it is ${reached}`);
      },
    };
    write('DynamoDB writes and state transitions per case, by path (in-process, one case at a time, each');
    write('   submitted with an Idempotency-Key, as the submissions above are)');
    write('   writes: requests / items written, to the service tables (cases, statistics, idempotency);');
    write("   the local engine's own store (standing in for Step Functions) separately.");
    for (const path of PATHS) {
      // One warm-up case per path, then the measured one.
      for (const measured of [false, true]) {
        clearTally(tally);
        const { reference, accessCode } = (await (
          await post(`${cloud.urls.api}/api/applications`, applicationBody({ csp: 'sefton' }), {
            'idempotency-key': randomUUID(),
          })
        ).json()) as { reference: string; accessCode: string };
        await path.run(steps, reference, accessCode);
        const events = await settled(sfn, reference);
        if (!measured) continue;
        const service = [...tally.tables].filter(([table]) => serviceTables.has(table));
        const engine = [...tally.tables].filter(([table]) => !serviceTables.has(table));
        const items = (entries: [string, WriteCount][]) =>
          entries.reduce((total, [, count]) => total + count.items, 0);
        const byTable = service
          .map(([table, count]) => `${table} ${count.requests}/${count.items}`)
          .join(', ');
        const transitions = events.filter((event) => event.type?.endsWith('StateEntered')).length;
        write(`   - ${path.name}`);
        write(
          `       service writes ${tally.requests.service}/${items(service)}  (by table, requests that wrote to it/items: ${byTable})`,
        );
        write(`       engine store writes ${tally.requests.engine}/${items(engine)}`);
        write(`       state transitions ${transitions}  (history events ${events.length})`);
        if (path === PATHS[0]) {
          write(
            `       the floor: ${SUBMISSION_FLOOR} write request (one transaction of the case and its counter)`,
          );
        }
      }
    }
  } finally {
    sfn.destroy();
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

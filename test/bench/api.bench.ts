// DynamoDB writes and state transitions per case for each path, counted in-process (the service started
// in this process, its SDK clients' sends counted by table), for `npm run bench` (test/bench/bench.ts).
// Up to the first wait, the service's writes stand beside their floor (one transaction of the case and
// its counter), split into the submission request's and the workflow steps', with the engine's apart;
// the targets: the engine stores once at the start and once at the first wait, and the submission
// request writes each item once.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ukDateOf } from '#core/local-date.ts';
import { type TableSpec, tables } from '#data/table-specs.ts';
import { freePort } from '#local/dynamodb-local.ts';
import { startLocalCloud } from '#local/local-cloud.ts';
import { target, write } from '#test/bench/figures.ts';
import { applicationBody } from '#test/support/applications.ts';
import { FINDINGS } from '#test/support/case-fixtures.ts';
import { localCredentials } from '#test/support/dynamodb.ts';

const STATE_MACHINE = 'arn:aws:states:eu-west-2:000000000000:stateMachine:case-review';
const REGION = 'eu-west-2';
/** How long a path waits for a case to reach a stage before it reports where the case stopped. */
const STAGE_TIMEOUT_MS = 120_000;
/** What a submission must write at the least: one transaction of the case and its counter. */
const SUBMISSION_FLOOR = 1;
/** The engine's writes up to the first wait: the start (stored before StartExecution answers) and the wait. */
const ENGINE_WRITES_TO_FIRST_WAIT = 2;

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
 * Who sent a write: the HTTP request the API answered, a workflow step (a Lambda function the engine
 * invoked), or the engine's own store.
 */
type Writer = 'request' | 'workflow' | 'engine';

/**
 * Items written, by table (with the requests that wrote to each), write requests by who sent them (a
 * transaction over the case's, the counter's and the idempotency record's tables is one request), and
 * how often each service item was written, by writer.
 */
interface Tally {
  readonly tables: Map<string, WriteCount>;
  readonly requests: Record<Writer, number>;
  /**
   * Read requests to the service tables by the submission request and by the workflow's steps (not
   * the bench's own polls of the case, which the pages' and the API's case views answer).
   */
  readonly reads: Record<'request' | 'workflow', number>;
  /** `<writer> <table> <item key>` to the times it was written. */
  readonly items: Map<string, number>;
}

const serviceTables: ReadonlySet<string> = new Set(tables.map((spec) => spec.localName));
const specs: ReadonlyMap<string, TableSpec> = new Map(tables.map((spec) => [spec.localName, spec]));

function clearTally(tally: Tally): void {
  tally.tables.clear();
  tally.items.clear();
  tally.requests.request = 0;
  tally.requests.workflow = 0;
  tally.requests.engine = 0;
  tally.reads.request = 0;
  tally.reads.workflow = 0;
}

/** A key attribute as written, whether the document client's plain value or the low-level `{S: …}`. */
function keyValue(value: unknown): string {
  return typeof value === 'object' && value !== null && 'S' in value ? String(value.S) : String(value);
}

/** The key of the item a Put, Update or Delete writes, in a service table. */
function itemKey(table: string, change: Record<string, unknown>): string | undefined {
  const spec = specs.get(table);
  const fields = (change.Item ?? change.Key) as Record<string, unknown> | undefined;
  if (spec === undefined || fields === undefined) return undefined;
  const names = [spec.partitionKey.name, ...(spec.sortKey ? [spec.sortKey.name] : [])];
  return names.map((name) => keyValue(fields[name])).join(' ');
}

/** The service items a write request changes, each as `<table> <key>`. */
function writtenItems(command: string, input: Record<string, unknown>): string[] {
  const one = (table: unknown, change: Record<string, unknown>) => {
    const key = itemKey(String(table), change);
    return key === undefined ? [] : [`${String(table)} ${key}`];
  };
  if (command.startsWith('TransactWrite')) {
    return (input.TransactItems as Record<string, Record<string, unknown> | undefined>[]).flatMap((item) => {
      const change = item.Put ?? item.Update ?? item.Delete;
      return change === undefined ? [] : one(change.TableName, change);
    });
  }
  if (command.startsWith('BatchWrite')) {
    return Object.entries(
      input.RequestItems as Record<string, Record<string, Record<string, unknown>>[]>,
    ).flatMap(([table, requests]) =>
      requests.flatMap((request) => one(table, request.PutRequest ?? request.DeleteRequest ?? {})),
    );
  }
  return one(input.TableName, input);
}

/** The calls that led here. */
function callers(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return stack;
}

/** Whose write this is, from the calls that led to it (a workflow step runs inside the engine's invoke). */
function writerOf(serviceTable: boolean): Writer {
  if (!serviceTable) return 'engine';
  return callers().includes('/functions/workflow/') ? 'workflow' : 'request';
}

const READS: Readonly<Record<string, (input: Record<string, unknown>) => string[]>> = (() => {
  const single = (input: Record<string, unknown>) => [String(input.TableName)];
  const batch = (input: Record<string, unknown>) => Object.keys(input.RequestItems as object);
  return {
    GetItemCommand: single,
    GetCommand: single,
    QueryCommand: single,
    BatchGetItemCommand: batch,
    BatchGetCommand: batch,
  };
})();

/** Who sent a read of the service tables: the submission request, a workflow step, or neither. */
function readerOf(): 'request' | 'workflow' | undefined {
  const stack = callers();
  if (stack.includes('/functions/workflow/')) return 'workflow';
  return stack.includes('/functions/cases/submit-application.ts') ? 'request' : undefined;
}

/** The kind of a service item, for printing: its table and the sort key's prefix (never the key itself). */
function itemKind(item: string): string {
  const [table = '', , sort] = item.split(' ');
  return sort === undefined ? `${table} item` : `${table} ${sort.split('#')[0]}`;
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

/**
 * Counts every DynamoDB write request any SDK client in this process sends, by table, and the reads of
 * the service tables by the submission request and the workflow's steps.
 */
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
      const read = READS[command.constructor.name]?.(command.input) ?? [];
      if (read.some((table) => serviceTables.has(table))) {
        const reader = readerOf();
        if (reader !== undefined) tally.reads[reader] += 1;
      }
      if (writes.length > 0) {
        const writer = writerOf(writes.some(([table]) => serviceTables.has(table)));
        tally.requests[writer] += 1;
        for (const item of writtenItems(command.constructor.name, command.input)) {
          const key = `${writer} ${item}`;
          tally.items.set(key, (tally.items.get(key) ?? 0) + 1);
        }
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
  const tally: Tally = {
    tables: new Map(),
    requests: { request: 0, workflow: 0, engine: 0 },
    reads: { request: 0, workflow: 0 },
    items: new Map(),
  };
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
        const serviceRequests = tally.requests.request + tally.requests.workflow;
        write(`   - ${path.name}`);
        write(
          `       service writes ${serviceRequests}/${items(service)}  (by table, requests that wrote to it/items: ${byTable})`,
        );
        write(
          `         by the HTTP requests ${tally.requests.request}/${itemsBy(tally, 'request')}, by the workflow's steps ${tally.requests.workflow}/${itemsBy(tally, 'workflow')}`,
        );
        write(`       engine store writes ${tally.requests.engine}/${items(engine)}`);
        write(`       state transitions ${transitions}  (history events ${events.length})`);
        if (path === PATHS[0]) firstWaitTargets(tally);
      }
    }
  } finally {
    sfn.destroy();
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function itemsBy(tally: Tally, writer: Writer): number {
  let total = 0;
  for (const [key, times] of tally.items) if (key.startsWith(`${writer} `)) total += times;
  return total;
}

/** Items a writer wrote more than once, by kind, e.g. `asb-cases CASE x3`. */
function writtenAgain(tally: Tally, writer: Writer | 'service'): string[] {
  const kinds = new Map<string, number>();
  const byItem = new Map<string, number>();
  for (const [key, times] of tally.items) {
    const [who = '', ...rest] = key.split(' ');
    if (writer === 'service' ? who === 'engine' : who !== writer) continue;
    const item = rest.join(' ');
    byItem.set(item, (byItem.get(item) ?? 0) + times);
  }
  for (const [item, times] of byItem) if (times > 1) kinds.set(`${itemKind(item)} x${times}`, 1);
  return [...kinds.keys()];
}

/** Up to the first wait: the floor, the engine's writes and whether the submission wrote anything twice. */
function firstWaitTargets(tally: Tally): void {
  write(`       the floor: ${SUBMISSION_FLOOR} write request (one transaction of the case and its counter)`);
  write(
    `       service reads ${tally.reads.request + tally.reads.workflow}  (by the submission request ${tally.reads.request}, by the workflow's steps ${tally.reads.workflow})`,
  );
  const again = writtenAgain(tally, 'service');
  if (again.length > 0) {
    write(
      `       items written more than once up to the first wait (request and steps): ${again.join(', ')}`,
    );
  }
  target({
    name: 'engine writes from the start to the first wait',
    figure: `${tally.requests.engine} write requests`,
    target: `${ENGINE_WRITES_TO_FIRST_WAIT}, one at the start and one at the first wait`,
    met: tally.requests.engine <= ENGINE_WRITES_TO_FIRST_WAIT,
  });
  const twice = writtenAgain(tally, 'request');
  target({
    name: 'the submission request writes each item once',
    figure: `${tally.requests.request} write requests, ${itemsBy(tally, 'request')} items${twice.length > 0 ? `, again: ${twice.join(', ')}` : ''}`,
    target: 'no item written twice',
    met: twice.length === 0,
  });
}

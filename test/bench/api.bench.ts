// Figures for the API on the local runtime (no assertions; `npm run bench`):
//   1. submit latency (p50/p95) beside one raw DynamoDB Local PutItem, measured in the same run against
//      the same DynamoDB Local, and submissions/s beside raw PutItems/s, both at concurrency 10 —
//      against the service as `npm start` runs it (a child process);
//   2. submit → decision-wait latency: from sending the application to the workflow waiting for the
//      officer's threshold decision (the first waitForTaskToken task submitted, from its history);
//   3. DynamoDB writes and state transitions per case for each path, counted in-process (the service
//      started in this process, its SDK clients' sends counted by table).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ukDateOf } from '#core/local-date.ts';
import { tables } from '#data/table-specs.ts';
import { freePort } from '#local/dynamodb-local.ts';
import { startLocalCloud } from '#local/local-cloud.ts';
import { applicationBody } from '#test/support/applications.ts';
import { localCredentials } from '#test/support/dynamodb.ts';
import { startLocalService } from '#test/support/local-service.ts';

const SEQUENTIAL = 100;
const WARM_UP = 10;
const CONCURRENCY = 10;
const CONCURRENT_SUBMISSIONS = 200;
const CONCURRENT_PUTS = 300;
const DECISION_WAIT_SAMPLES = 20;
const STATE_MACHINE = 'arn:aws:states:eu-west-2:000000000000:stateMachine:case-review';
const REGION = 'eu-west-2';

const write = (line = '') => process.stdout.write(`${line}\n`);
const ms = (value: number) => `${value.toFixed(1)} ms`;

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** `total` calls of `run` by `workers` callers at once; the calls per second. */
async function throughput(total: number, workers: number, run: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        next += 1;
        await run();
      }
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

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

// ---- 1 and 2: latency and throughput against `npm start` -----------------------------------------

async function latencyAndThroughput(): Promise<void> {
  const service = await startLocalService({ ownDynamoDb: true });
  const raw = new DynamoDBClient({
    endpoint: service.dynamodbEndpoint,
    region: REGION,
    credentials: localCredentials,
  });
  const sfn = sfnClient(service.stepFunctionsEndpoint);
  try {
    await raw.send(
      new CreateTableCommand({
        TableName: 'bench-raw',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
    const putItem = () =>
      raw.send(
        new PutItemCommand({
          TableName: 'bench-raw',
          Item: { pk: { S: crypto.randomUUID() }, payload: { S: 'x'.repeat(800) } },
        }),
      );
    const submit = () => post(`${service.url}/api/applications`, applicationBody({ csp: 'sefton' }));

    for (let i = 0; i < WARM_UP; i += 1) {
      await putItem();
      await submit();
    }
    // Interleaved, so both see the same machine at the same moments.
    const puts: number[] = [];
    const submits: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i += 1) {
      puts.push(await timed(putItem));
      submits.push(await timed(submit));
    }
    const putsPerSecond = await throughput(CONCURRENT_PUTS, CONCURRENCY, putItem);
    const submitsPerSecond = await throughput(CONCURRENT_SUBMISSIONS, CONCURRENCY, submit);

    // Let the workflow finish the backlog before timing single cases.
    await sleep(5_000);
    const waits: number[] = [];
    for (let i = 0; i < DECISION_WAIT_SAMPLES; i += 1) {
      const sent = Date.now();
      const { reference } = (await (await submit()).json()) as { reference: string };
      for (;;) {
        const waiting = (await history(sfn, reference)).find((event) => event.type === 'TaskSubmitted');
        if (waiting?.timestamp !== undefined) {
          waits.push(waiting.timestamp.getTime() - sent);
          break;
        }
        await sleep(20);
      }
    }

    write('1. Submission (POST /api/applications) against `npm start`, beside raw DynamoDB Local PutItem');
    write(`   sequential, ${SEQUENTIAL} each, interleaved:`);
    write(`     submit   p50 ${ms(percentile(submits, 50))}   p95 ${ms(percentile(submits, 95))}`);
    write(`     PutItem  p50 ${ms(percentile(puts, 50))}   p95 ${ms(percentile(puts, 95))}`);
    write(`     submit p50 / PutItem p50 = ${(percentile(submits, 50) / percentile(puts, 50)).toFixed(1)}×`);
    write(`   concurrency ${CONCURRENCY}:`);
    write(`     submissions/s ${submitsPerSecond.toFixed(0)}  (${CONCURRENT_SUBMISSIONS} submissions)`);
    write(`     PutItems/s    ${putsPerSecond.toFixed(0)}  (${CONCURRENT_PUTS} PutItems)`);
    write(`     submissions/s ÷ PutItems/s = ${(submitsPerSecond / putsPerSecond).toFixed(2)}`);
    write();
    write(`2. Submit → waiting for the threshold decision (${DECISION_WAIT_SAMPLES} cases, one at a time)`);
    write(`     p50 ${ms(percentile(waits, 50))}   p95 ${ms(percentile(waits, 95))}`);
    write();
  } finally {
    raw.destroy();
    sfn.destroy();
    await service.stop();
  }
}

// ---- 3: writes and state transitions per path, in-process ----------------------------------------

interface WriteCount {
  requests: number;
  items: number;
}

type Tally = Map<string, WriteCount>;

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
        const count = tally.get(table) ?? { requests: 0, items: 0 };
        count.items += items;
        if (!seen.has(table)) count.requests += 1;
        seen.add(table);
        tally.set(table, count);
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
    name: 'met, reviewed with a recommendation, then withdrawn',
    async run(s, ref, code) {
      await s.waitFor(ref, code, 'awaiting-threshold-decision');
      await s.act(ref, 'threshold-decision', { met: true, route: 'A', reason: 'Met.' }, s.officer);
      await s.waitFor(ref, code, 'awaiting-review');
      const recommendations = [{ action: 'Mediation', owner: 'council', dueBy: today }];
      await s.act(ref, 'review-outcome', { heldOn: today, summary: 'Reviewed.', recommendations }, s.officer);
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
      await s.act(ref, 'review-outcome', { heldOn: today, summary: 'Reviewed.' }, s.officer);
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

async function writesPerPath(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'asb-bench-'));
  const tally: Tally = new Map();
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
        for (;;) {
          const response = await fetch(`${cloud.urls.api}/api/cases/${reference}`, {
            headers: { 'x-access-code': accessCode },
          });
          if (((await response.json()) as { stage: string }).stage === stage) return;
          await sleep(20);
        }
      },
    };
    const caseTables = new Set(tables.map((spec) => spec.localName));
    write('3. DynamoDB writes and state transitions per case, by path (in-process, one case at a time)');
    write('   writes: requests / items written, to the service tables (cases, statistics, idempotency);');
    write("   the local engine's own store (standing in for Step Functions) separately.");
    for (const path of PATHS) {
      // One warm-up case per path, then the measured one.
      for (const measured of [false, true]) {
        tally.clear();
        const { reference, accessCode } = (await (
          await post(`${cloud.urls.api}/api/applications`, applicationBody({ csp: 'sefton' }))
        ).json()) as { reference: string; accessCode: string };
        await path.run(steps, reference, accessCode);
        const events = await settled(sfn, reference);
        if (!measured) continue;
        const service = [...tally].filter(([table]) => caseTables.has(table));
        const engine = [...tally].filter(([table]) => !caseTables.has(table));
        const sum = (entries: [string, WriteCount][]) =>
          entries.reduce(
            (total, [, count]) => ({
              requests: total.requests + count.requests,
              items: total.items + count.items,
            }),
            {
              requests: 0,
              items: 0,
            },
          );
        const byTable = service
          .map(([table, count]) => `${table} ${count.requests}/${count.items}`)
          .join(', ');
        const transitions = events.filter((event) => event.type?.endsWith('StateEntered')).length;
        write(`   - ${path.name}`);
        write(`       service writes ${sum(service).requests}/${sum(service).items}  (${byTable})`);
        write(`       engine store writes ${sum(engine).requests}/${sum(engine).items}`);
        write(`       state transitions ${transitions}  (history events ${events.length})`);
      }
    }
  } finally {
    sfn.destroy();
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
write(`API benchmark (${new Date().toISOString()}, Node ${process.versions.node})`);
write();
await latencyAndThroughput();
await writesPerPath();

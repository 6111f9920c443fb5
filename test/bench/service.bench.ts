// Figures of issue 15 against the service as `npm start` runs it (a child process with its own
// DynamoDB Local), each beside a floor measured in the same run:
//   - submissions at concurrency 10 (completed 201s per second, each with an Idempotency-Key, over a
//     fixed count, the engine's work up to the first wait finished inside the window) beside raw
//     DynamoDB Local PutItems per second, and the floor's one transaction (a case as a submission
//     stores it, without its workflow) per second, to show how near the target the floor itself is;
//     and the CPU each costs the service's one process, its DynamoDB Local's JVM and this client (from
//     /proc, Linux): on a machine of two cores, CPU is what bounds both rates, so these show where
//     the ceiling is;
//   - the pages' p50/p95 at concurrency 10 beside the gateway's /health, and each request's CPU by
//     process beside /health's (what sets the ratio on two cores);
//   - Lighthouse's mobile figures for the start page and an /apply step;
//   - the worklist's first page with 10,000 cases in a CSP beside a raw Query of the same index.
// Cases beyond the submitted ones are copies of a submitted case's item (data/case-items.ts builds
// them), written straight to the table, so the worklist sees real items without 10,000 workflows.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { newCaseReference } from '#cases/case-identifiers.ts';
import { statisticsOverview } from '#cases/statistics.ts';
import { readCaseFor } from '#cases/view-case.ts';
import { listCases } from '#cases/worklist.ts';
import { documentClientOf } from '#clients/dynamodb.ts';
import type { StaffMember } from '#core/case-access.ts';
import { CLOSED_SORT, caseInternalsOf, caseItem, caseKey, caseRecordOf } from '#data/case-items.ts';
import type { DataContext } from '#data/data-context.ts';
import { tableNamesFrom } from '#data/data-context.ts';
import { INDEX_BY_CSP } from '#data/table-specs.ts';
import { areaConfigFromEnv } from '#shared/deployed-area.ts';
import { concurrently, ms, percentile, target, write } from '#test/bench/figures.ts';
import { lighthouseFigures } from '#test/bench/lighthouse.bench.ts';
import { applicationBody } from '#test/support/applications.ts';
import { submit as storeCase } from '#test/support/case-fixtures.ts';
import { localCredentials } from '#test/support/dynamodb.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';

const REGION = 'eu-west-2';
const CONCURRENCY = 10;
const SUBMISSIONS = 100;
/** Cases stored by the floor's transaction alone, in a CSP no other section reads. */
const FLOOR_CASES = 100;
const FLOOR_CSP = 'wirral';
const PUTS = 300;
// A p95 of 100 requests of a 2 ms /health is its fifth-slowest: one pause of the machine moved the floor
// 3 to 30 ms from run to run, and every page's ratio with it. 500 each keep the floor steady.
const PAGE_REQUESTS = 500;
/** Untimed requests of each kind before its timed ones. */
const WARM_UP = 2 * CONCURRENCY;
const WORKLIST_REQUESTS = 100;
const STAFF_CASES = 500;
/** The unassigned cases an officer's own list shows beside it (pages/worklist.ts). */
const UNASSIGNED_BESIDE = 10;
const WORKLIST_CASES = 10_000;
const WORKLIST_PAGE = 25;
const FIRST_WAIT_TIMEOUT_MS = 300_000;
const SUBMISSION_RATIO = 0.33;
const PAGE_RATIO = 5;
const WORKLIST_RATIO = 3;

interface Submitted {
  readonly reference: string;
  readonly accessCode: string;
}

async function submit(service: LocalService, csp: string): Promise<Submitted> {
  const response = await fetch(`${service.url}/api/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(applicationBody({ csp })),
  });
  if (response.status !== 201) throw new Error(`POST /api/applications: ${response.status}`);
  return (await response.json()) as Submitted;
}

/** Linux's clock ticks per second, in which /proc/<pid>/stat counts CPU time. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces): the state first. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds (user and system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** The service's own DynamoDB Local: the Java process among its descendants. */
function dynamoDbLocalOf(servicePid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let parent: number;
    try {
      parent = Number(statFields(Number(entry))[1]);
    } catch {
      continue; // It ended after the listing.
    }
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const pending = [...(children.get(servicePid) ?? [])];
  for (let pid = pending.shift(); pid !== undefined; pid = pending.shift()) {
    if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'java') return pid;
    pending.push(...(children.get(pid) ?? []));
  }
  throw new Error(`The service (process ${servicePid}) has no DynamoDB Local of its own`);
}

/** CPU seconds used so far by the service's process, its DynamoDB Local and this process (the client). */
type CpuReading = Readonly<Record<'service' | 'dynamodb' | 'client', number>>;

function cpuMeter(service: LocalService): () => CpuReading {
  const servicePid = service.pid();
  if (servicePid === undefined) throw new Error('The service is not running');
  const dynamodbPid = dynamoDbLocalOf(servicePid);
  return () => {
    const { user, system } = process.cpuUsage();
    return {
      service: cpuSeconds(servicePid),
      dynamodb: cpuSeconds(dynamodbPid),
      client: (user + system) / 1e6,
    };
  };
}

/** A page's CPU, finer than ms(): /health's is a tenth of a millisecond. */
const cpuMs = (value: number) => `${value.toFixed(2)} ms`;

/** Milliseconds of CPU per operation between two readings, by process. */
function cpuPer(before: CpuReading, after: CpuReading, operations: number): CpuReading {
  const per = (key: keyof CpuReading) => ((after[key] - before[key]) * 1000) / operations;
  return { service: per('service'), dynamodb: per('dynamodb'), client: per('client') };
}

/**
 * When the execution of `reference` submitted its first waitForTaskToken task (the first wait), and how
 * many reads of its history that took.
 */
async function firstWaitAt(
  sfn: SFNClient,
  reference: string,
  deadline: number,
): Promise<{ readonly at: number; readonly reads: number }> {
  const executionArn = `arn:aws:states:${REGION}:000000000000:execution:case-review:${reference}`;
  for (let reads = 1; Date.now() < deadline; reads += 1) {
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 100 }));
    const waiting = events.find((event) => event.type === 'TaskSubmitted');
    if (waiting?.timestamp) return { at: waiting.timestamp.getTime(), reads };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${reference} did not reach its first wait in ${FIRST_WAIT_TIMEOUT_MS / 1000} s`);
}

async function submissions(service: LocalService, raw: DynamoDBClient, sfn: SFNClient): Promise<void> {
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
        Item: { pk: { S: randomUUID() }, payload: { S: 'x'.repeat(800) } },
      }),
    );
  for (let i = 0; i < CONCURRENCY; i += 1) await Promise.all([putItem(), submit(service, 'sefton')]);
  const cpu = cpuMeter(service);
  const beforePuts = cpu();
  const puts = await concurrently(PUTS, CONCURRENCY, putItem);
  const perPut = cpuPer(beforePuts, cpu(), PUTS);
  const data = {
    db: documentClientOf(raw),
    tables: {
      cases: service.env.CASES_TABLE ?? 'asb-cases',
      statistics: service.env.STATISTICS_TABLE ?? 'asb-statistics',
    },
  };
  const beforeFloor = cpu();
  const floor = await concurrently(FLOOR_CASES, CONCURRENCY, () =>
    storeCase(data, new Date(), { csp: FLOOR_CSP }),
  );
  const perFloor = cpuPer(beforeFloor, cpu(), FLOOR_CASES);

  const beforeSubmissions = cpu();
  const start = Date.now();
  const references: string[] = [];
  const posts = await concurrently(SUBMISSIONS, CONCURRENCY, async () => {
    references.push((await submit(service, 'sefton')).reference);
  });
  const deadline = Date.now() + FIRST_WAIT_TIMEOUT_MS;
  let end = 0;
  let historyReads = 0;
  for (const reference of references) {
    const { at, reads } = await firstWaitAt(sfn, reference, deadline);
    end = Math.max(end, at);
    historyReads += reads;
  }
  const perSecond = SUBMISSIONS / ((end - start) / 1000);
  const window = cpuPer(beforeSubmissions, cpu(), SUBMISSIONS);
  // The reads of the histories that found the first waits cost the service and DynamoDB Local too:
  // each history read once more, now that every one is at its wait, is the cost taken off per read.
  const beforeReads = cpu();
  for (const reference of references) await firstWaitAt(sfn, reference, deadline);
  const perRead = cpuPer(beforeReads, cpu(), SUBMISSIONS);
  const readsEach = historyReads / SUBMISSIONS;
  const perSubmission = {
    service: window.service - readsEach * perRead.service,
    dynamodb: window.dynamodb - readsEach * perRead.dynamodb,
    client: window.client - readsEach * perRead.client,
  };
  const asPuts = (dynamodb: number) => `${(dynamodb / perPut.dynamodb).toFixed(1)} raw PutItems'`;
  const sum = (reading: CpuReading) => reading.service + reading.dynamodb + reading.client;
  const total = (reading: CpuReading) => ms(sum(reading));

  write(`Submissions at concurrency ${CONCURRENCY} (npm start, its own DynamoDB Local)`);
  write(`   raw PutItems/s ${puts.perSecond.toFixed(0)} (${PUTS}, the floor)`);
  write(
    `   the floor's transaction alone (a case, its applicant, counter, event and search items) ${floor.perSecond.toFixed(1)}/s = ${(floor.perSecond / puts.perSecond).toFixed(2)}x raw PutItems/s (${FLOOR_CASES})`,
  );
  write(`   201s/s ${posts.perSecond.toFixed(1)} (${SUBMISSIONS}, each with an Idempotency-Key)`);
  write(`   submit p50 ${ms(percentile(posts.times, 50))}  p95 ${ms(percentile(posts.times, 95))}`);
  write(
    '   CPU (from /proc): the service (one process: gateway, functions, engine), its DynamoDB Local, this client',
  );
  write(
    `     per raw PutItem: DynamoDB Local ${ms(perPut.dynamodb)}, client ${ms(perPut.client)}, the service ${ms(perPut.service)} (idle); in all ${total(perPut)}`,
  );
  write(
    `     per floor transaction: DynamoDB Local ${ms(perFloor.dynamodb)} (${asPuts(perFloor.dynamodb)}), client ${ms(perFloor.client)}; in all ${total(perFloor)}`,
  );
  write(
    `     per submission to its first wait (less ${readsEach.toFixed(1)} reads of its history, each: the service ${ms(perRead.service)}, DynamoDB Local ${ms(perRead.dynamodb)}): the service ${ms(perSubmission.service)}, DynamoDB Local ${ms(perSubmission.dynamodb)} (${asPuts(perSubmission.dynamodb)}), client ${ms(perSubmission.client)}; in all ${total(perSubmission)}`,
  );
  write(
    `     where CPU bounds both rates, CPU allows ${(sum(perPut) / sum(perSubmission)).toFixed(2)}x raw PutItems/s (the floor's transaction alone ${(sum(perPut) / sum(perFloor)).toFixed(2)}x); ${SUBMISSION_RATIO}x needs a submission of at most ${ms(sum(perPut) / SUBMISSION_RATIO)} in all`,
  );
  target({
    name: 'submissions/s, the engine at its first wait inside the window',
    figure: `${perSecond.toFixed(1)}/s = ${(perSecond / puts.perSecond).toFixed(2)}x raw PutItems/s (${puts.perSecond.toFixed(0)}/s)`,
    target: `>= ${SUBMISSION_RATIO}x`,
    met: perSecond / puts.perSecond >= SUBMISSION_RATIO,
  });
  write();
}

/** Copies of a submitted case of `csp` until the CSP holds `count` cases, written 25 at a time. */
async function seedCases(service: LocalService, db: DynamoDBDocumentClient, csp: string, count: number) {
  const table = service.env.CASES_TABLE ?? 'cases';
  const { reference } = await submit(service, csp);
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: caseKey(reference) }));
  if (!Item) throw new Error(`${reference} was not stored`);
  const record = caseRecordOf(Item);
  const internals = caseInternalsOf(Item);
  const batches = Math.ceil((count - 1) / 25);
  await concurrently(batches, CONCURRENCY, async (batch) => {
    const items = Array.from({ length: Math.min(25, count - 1 - batch * 25) }, (_, i) => {
      const copy = newCaseReference(csp);
      const nextDeadline = new Date(Date.parse(record.receivedAt) + (batch * 25 + i) * 60_000).toISOString();
      return caseItem({ ...record, reference: copy, nextDeadline }, internals);
    });
    let requests: Record<string, unknown>[] = items.map((item) => ({ PutRequest: { Item: item } }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await db.send(
        new BatchWriteCommand({ RequestItems: { [table]: requests as never } }),
      );
      requests = (UnprocessedItems?.[table] as Record<string, unknown>[] | undefined) ?? [];
    }
  });
}

type Request = () => Promise<Response>;

/**
 * The times of `total` requests at CONCURRENCY, after WARM_UP untimed ones: the first requests of a kind
 * pay once what every later one is spared (connections opened, the JWKS fetched, code compiled by V8 and
 * by DynamoDB Local's JIT), a cold start's cost, which the module-load figures show; these figures are
 * the steady state a page answers in, as the floor's are.
 */
async function latencies(request: Request, total: number): Promise<number[]> {
  const answer = async () => {
    const response = await request();
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${response.url}: ${response.status}`);
  };
  await concurrently(WARM_UP, CONCURRENCY, answer);
  const { times } = await concurrently(total, CONCURRENCY, answer);
  return times;
}

/** The applicant's /track session (signed in with the reference and access code, as the form does). */
async function trackCookies(service: LocalService, submitted: Submitted): Promise<string> {
  const form = await fetch(`${service.url}/track`);
  const csrf = form.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const signIn = await fetch(`${service.url}/track`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.join('; ') },
    body: new URLSearchParams({ ...submitted, csrfToken }).toString(),
  });
  if (signIn.status !== 302 && signIn.status !== 303) throw new Error(`POST /track: ${signIn.status}`);
  return signIn.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

async function pages(service: LocalService, db: DynamoDBDocumentClient): Promise<void> {
  await seedCases(service, db, 'sefton', STAFF_CASES);
  const officer = `Bearer ${await service.token({ role: 'officer', csp: 'sefton', name: 'Bench Officer' })}`;
  const applicant = await submit(service, 'sefton');
  const track = await trackCookies(service, applicant);
  const get =
    (path: string, headers: Record<string, string> = {}) =>
    () =>
      fetch(`${service.url}${path}`, { headers, redirect: 'manual' });
  write(
    `Pages at concurrency ${CONCURRENCY}, ${PAGE_REQUESTS} requests each after a round of each untimed (npm start, through the local gateway),`,
  );
  write(
    `   each beside the gateway's /health measured just before it (the floor: the machine's load moves both)`,
  );
  // A reading page's case reads alone: the same functions of cases/ its page calls, with their reads of
  // the same items, called from this client (no gateway, function, session check or template): what a
  // page costs at least. Its p95 beside /health's says how much of the ratio the reads alone take.
  const data: DataContext = { db, tables: tableNamesFrom(service.env) };
  const context = { data, area: areaConfigFromEnv(service.env), clock: () => new Date() };
  const bench: StaffMember = { sub: 'bench-officer', name: 'Bench Officer', role: 'officer', csp: 'sefton' };
  const staff = { kind: 'staff', staff: bench } as const;
  const reads = (read: () => Promise<unknown>) => async () => {
    await read();
    return new Response(null, { status: 200 });
  };
  const list: [string, Request, Request?][] = [
    ['/', get('/')],
    ['/apply/area (an /apply step)', get('/apply/area')],
    [
      '/track (the status)',
      get('/track', { cookie: track }),
      reads(() =>
        readCaseFor(context, applicant.reference, { kind: 'applicant', accessCode: applicant.accessCode }),
      ),
    ],
    [
      `/staff/cases (${STAFF_CASES} cases)`,
      get('/staff/cases', { authorization: officer }),
      // The officer's own cases, with the first unassigned ones beside them (pages/worklist.ts).
      reads(() =>
        Promise.all([
          listCases(context, staff, { assigned: 'me' }),
          listCases(context, staff, { assigned: 'unassigned', limit: String(UNASSIGNED_BESIDE) }),
        ]),
      ),
    ],
    ['/statistics', get('/statistics'), reads(() => statisticsOverview(context, {}))],
  ];
  // One untimed round of each first, so that the gateway's, the pages' and the SDK's shared paths are as
  // hot for the first floor and page as for the last (the floor before the first page read 9-11 ms where
  // the others read 2.5-5).
  for (const request of [get('/health'), ...list.flatMap(([, ...requests]) => requests)]) {
    if (request) await latencies(request, PAGE_REQUESTS);
  }
  const cpu = cpuMeter(service);
  for (const [name, request, itsReads] of list) {
    const beforeFloor = cpu();
    const floor = await latencies(get('/health'), PAGE_REQUESTS);
    const perFloor = cpuPer(beforeFloor, cpu(), WARM_UP + PAGE_REQUESTS);
    const floorP95 = percentile(floor, 95);
    const before = cpu();
    const times = await latencies(request, PAGE_REQUESTS);
    const perPage = cpuPer(before, cpu(), WARM_UP + PAGE_REQUESTS);
    const p95 = percentile(times, 95);
    write(
      `   ${name}: CPU per request (from /proc) the service ${cpuMs(perPage.service)}, DynamoDB Local ${cpuMs(perPage.dynamodb)}, this client ${cpuMs(perPage.client)}; /health's ${cpuMs(perFloor.service)}, ${cpuMs(perFloor.dynamodb)}, ${cpuMs(perFloor.client)}`,
    );
    if (itsReads) {
      const alone = percentile(await latencies(itsReads, PAGE_REQUESTS), 95);
      write(
        `   ${name}: its case reads alone, from this client: p95 ${ms(alone)} = ${(alone / floorP95).toFixed(1)}x /health's p95, what the page costs at least`,
      );
    }
    target({
      name: `page ${name}`,
      figure: `p50 ${ms(percentile(times, 50))}, p95 ${ms(p95)} = ${(p95 / floorP95).toFixed(1)}x /health's p95 (${ms(floorP95)}; p50 ${ms(percentile(floor, 50))})`,
      target: `p95 <= ${PAGE_RATIO}x`,
      met: p95 <= PAGE_RATIO * floorP95,
    });
  }
  write();
}

async function worklist(service: LocalService, db: DynamoDBDocumentClient): Promise<void> {
  const csp = 'knowsley';
  await seedCases(service, db, csp, WORKLIST_CASES);
  const officer = `Bearer ${await service.token({ role: 'officer', csp, name: 'Bench Officer' })}`;
  const firstPage = () =>
    fetch(`${service.url}/api/cases?limit=${WORKLIST_PAGE}`, { headers: { authorization: officer } });
  const rawQuery = async () => {
    await db.send(
      new QueryCommand({
        TableName: service.env.CASES_TABLE,
        IndexName: INDEX_BY_CSP,
        KeyConditionExpression: '#csp = :csp AND deadlineKey < :closed',
        ExpressionAttributeNames: { '#csp': 'csp' },
        ExpressionAttributeValues: { ':csp': csp, ':closed': CLOSED_SORT },
        Limit: WORKLIST_PAGE,
      }),
    );
    return new Response(null, { status: 200 });
  };
  const raw = await latencies(rawQuery, WORKLIST_REQUESTS);
  const api = await latencies(firstPage, WORKLIST_REQUESTS);
  write(
    `Worklist: the first page of ${WORKLIST_PAGE} with ${WORKLIST_CASES} cases in a CSP, concurrency ${CONCURRENCY}`,
  );
  write(
    `   raw Query of ${INDEX_BY_CSP} p50 ${ms(percentile(raw, 50))}  p95 ${ms(percentile(raw, 95))} (the floor)`,
  );
  target({
    name: `worklist first page (${WORKLIST_CASES} cases)`,
    figure: `p50 ${ms(percentile(api, 50))}, p95 ${ms(percentile(api, 95))} = ${(percentile(api, 95) / percentile(raw, 95)).toFixed(1)}x the raw Query's p95`,
    target: `p95 <= ${WORKLIST_RATIO}x`,
    met: percentile(api, 95) <= WORKLIST_RATIO * percentile(raw, 95),
  });
  write();
}

export const SERVICE_SECTIONS = ['submissions', 'pages', 'lighthouse', 'worklist'] as const;
export type ServiceSection = (typeof SERVICE_SECTIONS)[number];

export async function againstTheService(
  sections: readonly ServiceSection[] = SERVICE_SECTIONS,
): Promise<void> {
  const service = await startLocalService({ ownDynamoDb: true });
  const client = { endpoint: service.dynamodbEndpoint, region: REGION, credentials: localCredentials };
  const raw = new DynamoDBClient(client);
  const db = documentClientOf(raw);
  const sfn = new SFNClient({
    endpoint: service.stepFunctionsEndpoint,
    region: REGION,
    credentials: localCredentials,
  });
  try {
    if (sections.includes('submissions')) await submissions(service, raw, sfn);
    if (sections.includes('pages')) await pages(service, db);
    if (sections.includes('lighthouse')) await lighthouseFigures(service.url, ['/', '/apply/area']);
    if (sections.includes('worklist')) await worklist(service, db);
  } catch (error) {
    write(`The service printed:\n${service.output().slice(-4000)}`);
    throw error;
  } finally {
    raw.destroy();
    sfn.destroy();
    await service.stop();
  }
}

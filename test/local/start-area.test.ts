// `npm start` with an area file it cannot use refuses to start, before anything listens, and says which
// file and what is wrong with it (contract.md, AREA_CONFIG_FILE).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { shardKey } from '#data/statistics-keys.ts';
import { startTestTables } from '#test/support/api-tables.ts';
import { EXAMPLE_AREA, EXAMPLE_AREA_FILE } from '#test/support/example-area.ts';
import { LocalServiceStartError, startLocalService } from '#test/support/local-service.ts';

const directory = mkdtempSync(join(tmpdir(), 'bad-area-'));

function areaFile(name: string, text: string): string {
  const file = join(directory, name);
  writeFileSync(file, text);
  return file;
}

async function startFailure(file: string, env: Record<string, string> = {}): Promise<string> {
  const started = startLocalService({ env: { AREA_CONFIG_FILE: file, ...env } });
  const error = await started.then(
    async (service) => {
      await service.stop();
      throw new Error('the service started');
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(LocalServiceStartError);
  return (error as Error).message;
}

describe('npm start with an unusable AREA_CONFIG_FILE', { timeout: 60_000 }, () => {
  it('refuses an area the domain rules reject, naming the file, the field and the rule', async () => {
    // Prepare
    const [first, ...others] = EXAMPLE_AREA.csps;
    const fourComplaints = {
      ...EXAMPLE_AREA,
      csps: [
        { ...first, threshold: { ...first?.threshold, routeA: { complaints: 4, withinMonths: 6 } } },
        ...others,
      ],
    };
    const file = areaFile('four-complaints.json', JSON.stringify(fourComplaints));

    // Act
    const message = await startFailure(file);

    // Assess
    expect(message).toContain(`Could not start: Cannot use the area configuration in ${file}`);
    expect(message).toContain('csps.0.threshold.routeA.complaints: must be at most 3');
  });

  it('refuses a file that is not JSON or is not there, naming it', async () => {
    // Prepare
    const broken = areaFile('broken.json', '{"id": "exampleshire",');
    const absent = join(directory, 'absent.json');

    // Act
    const [notJson, missing] = [await startFailure(broken), await startFailure(absent)];

    // Assess
    expect(notJson).toContain(`Cannot use the area configuration in ${broken}: `);
    expect(notJson).toMatch(/JSON/);
    expect(missing).toContain(`Cannot use the area configuration in ${absent}: ENOENT`);
  });

  it("refuses tables that hold another area's counts, naming both areas", async () => {
    // Prepare: Merseyside's tables, with a count, under a prefix of their own.
    const tables = await startTestTables();
    await tables.data.db.send(
      new PutCommand({
        TableName: tables.data.tables.statistics,
        Item: { ...shardKey('merseyside', '2015-16', 'sefton', 0), applicationsReceived: 1 },
      }),
    );
    const prefix = tables.data.tables.statistics.replace(/asb-statistics$/, '');

    // Act
    const message = await startFailure(EXAMPLE_AREA_FILE, { TABLE_PREFIX: prefix });
    await tables.stop();

    // Assess
    expect(message).toContain(
      `Could not start: the tables of TABLE_PREFIX ${prefix} hold the counts of area 'merseyside', not of '${EXAMPLE_AREA.id}'`,
    );
  });
});

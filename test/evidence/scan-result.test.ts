// GuardDuty's scan results recorded on the case, against DynamoDB Local.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEvidence, cleanObjectKey, readEvidence } from '#data/case-evidence.ts';
import { loadCaseView } from '#data/case-store.ts';
import { handler, recordScanResult, verdictOfScan } from '#evidence/scan-result.ts';
import type { ThreatDependencies } from '#evidence/threat-found.ts';
import { createOutboxNotifier, listOutbox } from '#shared/outbox-notifier.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { submit } from '#test/support/case-fixtures.ts';

const BUCKET = 'asb-evidence-123456789012';
let tables: TestTables;
let deps: ThreatDependencies;
let outbox: string;

beforeAll(async () => {
  tables = await startTestTables();
  outbox = mkdtempSync(join(tmpdir(), 'asb-outbox-'));
  const clock = () => new Date();
  deps = { data: tables.data, notifier: createOutboxNotifier({ directory: outbox, clock }), clock };
});

afterAll(async () => {
  await tables?.stop();
});

const result = (objectKey: string, scanResultStatus: string, scanStatus = 'COMPLETED') => ({
  scanStatus,
  resourceType: 'S3_OBJECT',
  s3ObjectDetails: { bucketName: BUCKET, objectKey, eTag: 'e', versionId: 'v1' },
  scanResultDetails: { scanResultStatus, threats: null },
});

async function pendingFile(reference: string) {
  const id = randomUUID();
  await addEvidence(tables.data, reference, [
    {
      id,
      name: 'n',
      type: 'application/pdf',
      size: 10,
      addedBy: { role: 'officer' },
      addedAt: new Date().toISOString(),
    },
  ]);
  return id;
}

describe('verdictOfScan', () => {
  it('is clean for no threat, rejected for a threat, and not-scanned when the scan could not look', () => {
    expect(verdictOfScan(result('k', 'NO_THREATS_FOUND'))).toBe('clean');
    expect(verdictOfScan(result('k', 'THREATS_FOUND'))).toBe('rejected');
    for (const status of ['UNSUPPORTED', 'ACCESS_DENIED', 'FAILED']) {
      expect(verdictOfScan(result('k', status))).toBe('not-scanned');
    }
    expect(verdictOfScan(result('k', 'NO_THREATS_FOUND', 'SKIPPED'))).toBe('not-scanned');
  });
});

describe('recordScanResult', () => {
  it('records a clean result, and a threat found rejects the file with the reason', async () => {
    const clean = await pendingFile('SEF-CCCC-0001');
    const threat = await pendingFile('SEF-CCCC-0001');

    expect(
      await recordScanResult(
        deps,
        BUCKET,
        result(cleanObjectKey('SEF-CCCC-0001', clean), 'NO_THREATS_FOUND'),
      ),
    ).toBe('recorded');
    expect(
      await recordScanResult(deps, BUCKET, result(cleanObjectKey('SEF-CCCC-0001', threat), 'THREATS_FOUND')),
    ).toBe('recorded');

    expect(await readEvidence(tables.data, 'SEF-CCCC-0001', clean)).toMatchObject({ verdict: 'clean' });
    expect(await readEvidence(tables.data, 'SEF-CCCC-0001', threat)).toMatchObject({
      verdict: 'rejected',
      reason: 'The file was found to contain malware.',
    });
  });

  it('ignores the uploads as sent, another bucket and a file no case has', async () => {
    const id = await pendingFile('SEF-CCCC-0002');

    expect(await recordScanResult(deps, BUCKET, result(`uploads/SEF-CCCC-0002/${id}`, 'THREATS_FOUND'))).toBe(
      'ignored',
    );
    expect(
      await recordScanResult(deps, BUCKET, {
        ...result(cleanObjectKey('SEF-CCCC-0002', id), 'THREATS_FOUND'),
        s3ObjectDetails: { bucketName: 'another', objectKey: cleanObjectKey('SEF-CCCC-0002', id) },
      }),
    ).toBe('ignored');
    expect(
      await recordScanResult(
        deps,
        BUCKET,
        result(cleanObjectKey('SEF-CCCC-0002', randomUUID()), 'NO_THREATS_FOUND'),
      ),
    ).toBe('ignored');

    expect(await readEvidence(tables.data, 'SEF-CCCC-0002', id)).toMatchObject({ verdict: 'pending' });
  });

  it("quarantines a threat in a case's file: rejected, on the staff timeline and told to the officer, once however often the result comes", async () => {
    const record = await submit(tables.data, new Date());
    const id = await pendingFile(record.reference);
    const found = result(cleanObjectKey(record.reference, id), 'THREATS_FOUND');

    expect(await recordScanResult(deps, BUCKET, found)).toBe('recorded');
    expect(await recordScanResult(deps, BUCKET, found)).toBe('recorded');

    const view = await loadCaseView(tables.data, record.reference);
    expect(view?.evidence.find((file) => file.id === id)).toMatchObject({ verdict: 'rejected' });
    const threats = view?.timeline.filter((event) => event.type === 'evidence-threat') ?? [];
    expect(threats).toEqual([expect.objectContaining({ audience: 'staff', actor: { role: 'system' } })]);
    const told = (await listOutbox(outbox)).filter((message) => message.to.reference === record.reference);
    expect(told.map((message) => [message.to.kind, message.template])).toEqual([
      ['officer', 'evidence-threat'],
    ]);
    expect(told[0]?.body).not.toContain('"n"');
  });
});

describe('handler', () => {
  it('takes the event as the EventBridge rule delivers it', async () => {
    const id = await pendingFile('SEF-CCCC-0003');
    Object.assign(process.env, {
      ...tables.env,
      EVIDENCE_BUCKET: BUCKET,
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      DYNAMODB_ENDPOINT: tables.endpoint,
      NOTIFIER: 'outbox',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'asb-data-')),
    });

    const outcome = await handler({
      version: '0',
      id: randomUUID(),
      'detail-type': 'GuardDuty Malware Protection Object Scan Result',
      source: 'aws.guardduty',
      account: '123456789012',
      time: new Date().toISOString(),
      region: 'eu-west-2',
      resources: [`arn:aws:guardduty:eu-west-2:123456789012:malware-protection-plan/${randomUUID()}`],
      detail: result(cleanObjectKey('SEF-CCCC-0003', id), 'NO_THREATS_FOUND'),
    });

    expect(outcome).toBe('recorded');
    expect(await readEvidence(tables.data, 'SEF-CCCC-0003', id)).toMatchObject({ verdict: 'clean' });
  });

  it('fails an event without a scan result with a safe error', async () => {
    await expect(handler({ source: 'aws.guardduty' })).rejects.toThrow('The event has no scan result detail');
  });
});

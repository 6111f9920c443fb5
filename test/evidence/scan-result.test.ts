// GuardDuty's scan results recorded on the case, against DynamoDB Local.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEvidence, cleanObjectKey, readEvidence } from '#data/case-evidence.ts';
import { recordScanResult, verdictOfScan } from '#evidence/scan-result.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';

const BUCKET = 'asb-evidence-123456789012';
let tables: TestTables;

beforeAll(async () => {
  tables = await startTestTables();
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
        tables.data,
        BUCKET,
        result(cleanObjectKey('SEF-CCCC-0001', clean), 'NO_THREATS_FOUND'),
      ),
    ).toBe('recorded');
    expect(
      await recordScanResult(
        tables.data,
        BUCKET,
        result(cleanObjectKey('SEF-CCCC-0001', threat), 'THREATS_FOUND'),
      ),
    ).toBe('recorded');

    expect(await readEvidence(tables.data, 'SEF-CCCC-0001', clean)).toMatchObject({ verdict: 'clean' });
    expect(await readEvidence(tables.data, 'SEF-CCCC-0001', threat)).toMatchObject({
      verdict: 'rejected',
      reason: 'The file was found to contain malware.',
    });
  });

  it('ignores the uploads as sent, another bucket and a file no case has', async () => {
    const id = await pendingFile('SEF-CCCC-0002');

    expect(
      await recordScanResult(tables.data, BUCKET, result(`uploads/SEF-CCCC-0002/${id}`, 'THREATS_FOUND')),
    ).toBe('ignored');
    expect(
      await recordScanResult(tables.data, BUCKET, {
        ...result(cleanObjectKey('SEF-CCCC-0002', id), 'THREATS_FOUND'),
        s3ObjectDetails: { bucketName: 'another', objectKey: cleanObjectKey('SEF-CCCC-0002', id) },
      }),
    ).toBe('ignored');
    expect(
      await recordScanResult(
        tables.data,
        BUCKET,
        result(cleanObjectKey('SEF-CCCC-0002', randomUUID()), 'NO_THREATS_FOUND'),
      ),
    ).toBe('ignored');

    expect(await readEvidence(tables.data, 'SEF-CCCC-0002', id)).toMatchObject({ verdict: 'pending' });
  });
});

// A case's evidence files against DynamoDB Local: added against the limit of 30 in one transaction,
// listed, and their verdicts recorded once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addEvidence,
  evidenceCount,
  listEvidence,
  readEvidence,
  recordVerdict,
  TooManyEvidenceFilesError,
} from '#data/case-evidence.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';

let tables: TestTables;

beforeAll(async () => {
  tables = await startTestTables();
});

afterAll(async () => {
  await tables?.stop();
});

const file = (addedAt = '2026-11-02T10:00:00.000Z') => ({
  id: randomUUID(),
  name: 'diary.pdf',
  type: 'application/pdf' as const,
  size: 20_480,
  addedBy: { role: 'applicant' as const },
  addedAt,
});

describe('addEvidence', () => {
  it('adds files as pending, listed oldest first, and counts them', async () => {
    const [first, second] = [file('2026-11-02T10:00:00.000Z'), file('2026-11-01T09:00:00.000Z')];

    expect(await addEvidence(tables.data, 'SEF-AAAA-0001', [first, second])).toBe('added');

    expect(await listEvidence(tables.data, 'SEF-AAAA-0001')).toEqual([
      { ...second, verdict: 'pending' },
      { ...first, verdict: 'pending' },
    ]);
    expect(await evidenceCount(tables.data, 'SEF-AAAA-0001')).toBe(2);
  });

  it('adds nothing more and counts nothing twice when the same request comes again', async () => {
    const files = [file(), file()];
    await addEvidence(tables.data, 'SEF-AAAA-0002', files);

    expect(await addEvidence(tables.data, 'SEF-AAAA-0002', files)).toBe('exists');

    expect(await evidenceCount(tables.data, 'SEF-AAAA-0002')).toBe(2);
    expect(await listEvidence(tables.data, 'SEF-AAAA-0002')).toHaveLength(2);
  });

  it('refuses files past 30 on a case, changing nothing, also when requests race', async () => {
    await addEvidence(
      tables.data,
      'SEF-AAAA-0003',
      Array.from({ length: 9 }, () => file()),
    );
    await addEvidence(
      tables.data,
      'SEF-AAAA-0003',
      Array.from({ length: 9 }, () => file()),
    );

    const racing = await Promise.allSettled(
      [0, 1, 2].map(() =>
        addEvidence(
          tables.data,
          'SEF-AAAA-0003',
          Array.from({ length: 6 }, () => file()),
        ),
      ),
    );

    expect(racing.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    const refused = racing.find((result) => result.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(TooManyEvidenceFilesError);
    expect(await evidenceCount(tables.data, 'SEF-AAAA-0003')).toBe(30);
    expect(await listEvidence(tables.data, 'SEF-AAAA-0003')).toHaveLength(30);
    await expect(addEvidence(tables.data, 'SEF-AAAA-0003', [file()])).rejects.toThrow(
      TooManyEvidenceFilesError,
    );
  });
});

describe('recordVerdict', () => {
  it('records a pending file’s verdict once, and a repeat changes nothing', async () => {
    const one = file();
    await addEvidence(tables.data, 'SEF-AAAA-0004', [one]);

    expect(await recordVerdict(tables.data, 'SEF-AAAA-0004', one.id, 'clean')).toBe(true);
    expect(await recordVerdict(tables.data, 'SEF-AAAA-0004', one.id, 'clean')).toBe(true);
    expect(await recordVerdict(tables.data, 'SEF-AAAA-0004', one.id, 'not-scanned')).toBe(false);

    expect(await readEvidence(tables.data, 'SEF-AAAA-0004', one.id)).toMatchObject({ verdict: 'clean' });
  });

  it('lets a threat found later reject a file, with its reason, and nothing undo that', async () => {
    const one = file();
    await addEvidence(tables.data, 'SEF-AAAA-0005', [one]);
    await recordVerdict(tables.data, 'SEF-AAAA-0005', one.id, 'not-scanned');

    expect(await recordVerdict(tables.data, 'SEF-AAAA-0005', one.id, 'rejected', 'Malware found.')).toBe(
      true,
    );
    expect(await recordVerdict(tables.data, 'SEF-AAAA-0005', one.id, 'clean')).toBe(false);

    expect(await readEvidence(tables.data, 'SEF-AAAA-0005', one.id)).toMatchObject({
      verdict: 'rejected',
      reason: 'Malware found.',
    });
  });

  it('records nothing for a file that is not on the case', async () => {
    expect(await recordVerdict(tables.data, 'SEF-AAAA-0006', randomUUID(), 'clean')).toBe(false);

    expect(await listEvidence(tables.data, 'SEF-AAAA-0006')).toEqual([]);
  });
});

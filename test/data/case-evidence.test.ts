// A case's evidence files against DynamoDB Local: added against the limit of 30 in one transaction,
// listed, and their verdicts recorded once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPLOAD_GRACE_SECONDS } from '#core/evidence-files.ts';
import {
  addEvidence,
  evidenceCount,
  evidenceOnCase,
  markReceived,
  readEvidence,
  reclaimAbandonedUploads,
  recordVerdict,
  TooManyEvidenceFilesError,
} from '#data/case-evidence.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';

// When the files are read: no test's place for a file has expired by then unless it says so.
const NOW = new Date('2026-11-02T12:00:00.000Z');
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

    expect((await evidenceOnCase(tables.data, 'SEF-AAAA-0001', NOW)).files).toEqual([
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
    expect((await evidenceOnCase(tables.data, 'SEF-AAAA-0002', NOW)).files).toHaveLength(2);
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
    expect((await evidenceOnCase(tables.data, 'SEF-AAAA-0003', NOW)).files).toHaveLength(30);
    await expect(addEvidence(tables.data, 'SEF-AAAA-0003', [file()])).rejects.toThrow(
      TooManyEvidenceFilesError,
    );
  });
});

describe('abandoned uploads', () => {
  const uploadBy = '2026-11-02T10:15:00.000Z';
  const abandonedAt = new Date(Date.parse(uploadBy) + (UPLOAD_GRACE_SECONDS + 1) * 1000);
  const slot = () => ({ ...file('2026-11-02T10:00:00.000Z'), uploadBy });

  it('frees the room of 30 places whose files never came, once each when reclaimed at once, for a new file', async () => {
    const reference = 'SEF-AAAA-0007';
    for (let added = 0; added < 30; added += 10) {
      await addEvidence(
        tables.data,
        reference,
        Array.from({ length: 10 }, () => slot()),
      );
    }
    const onCase = await evidenceOnCase(tables.data, reference, abandonedAt);
    expect(onCase).toMatchObject({ counted: 0 });
    await expect(addEvidence(tables.data, reference, [file()])).rejects.toThrow(TooManyEvidenceFilesError);

    const reclaimed = await Promise.all([
      reclaimAbandonedUploads(tables.data, reference, onCase.files, abandonedAt),
      reclaimAbandonedUploads(tables.data, reference, onCase.files, abandonedAt),
    ]);

    expect(reclaimed[0] + reclaimed[1]).toBe(30);
    expect(await evidenceCount(tables.data, reference)).toBe(0);
    const fresh = file();
    expect(await addEvidence(tables.data, reference, [fresh])).toBe('added');
    expect(await evidenceCount(tables.data, reference)).toBe(1);
    expect((await evidenceOnCase(tables.data, reference, NOW)).files).toEqual([
      { ...fresh, verdict: 'pending' },
    ]);
  });

  it('refuses a late arrival for an abandoned place, and brings back none reclaimed', async () => {
    const reference = 'SEF-AAAA-0008';
    const [late, gone] = [slot(), slot()];
    await addEvidence(tables.data, reference, [late, gone]);
    await reclaimAbandonedUploads(tables.data, reference, [{ ...gone, verdict: 'pending' }], abandonedAt);

    expect(await markReceived(tables.data, reference, late.id, abandonedAt)).toBe(false);
    expect(await markReceived(tables.data, reference, gone.id, abandonedAt)).toBe(false);

    expect((await evidenceOnCase(tables.data, reference, NOW)).files).toEqual([
      { ...late, verdict: 'pending' },
    ]);
    expect(await evidenceCount(tables.data, reference)).toBe(1);
  });

  it('keeps the places of a request sent again until its new forms expire', async () => {
    const reference = 'SEF-AAAA-0010';
    const place = slot();
    await addEvidence(tables.data, reference, [place]);
    const later = new Date(Date.parse(uploadBy) + 2 * UPLOAD_GRACE_SECONDS * 1000).toISOString();

    expect(await addEvidence(tables.data, reference, [{ ...place, uploadBy: later }])).toBe('exists');

    expect(await readEvidence(tables.data, reference, place.id)).toMatchObject({ uploadBy: later });
    expect(await evidenceOnCase(tables.data, reference, abandonedAt)).toMatchObject({ counted: 1 });
  });

  it('adds again, counted once, the places a request sent again had lost, keeping the file that arrived', async () => {
    const reference = 'SEF-AAAA-0011';
    const [arrived, lost] = [slot(), slot()];
    await addEvidence(tables.data, reference, [arrived, lost]);
    await markReceived(tables.data, reference, arrived.id, new Date(uploadBy));
    const { files } = await evidenceOnCase(tables.data, reference, abandonedAt);
    expect(await reclaimAbandonedUploads(tables.data, reference, files, abandonedAt)).toBe(1);
    const later = abandonedAt.toISOString();

    expect(
      await addEvidence(
        tables.data,
        reference,
        [arrived, lost].map((each) => ({ ...each, uploadBy: later })),
      ),
    ).toBe('added');

    expect(await evidenceCount(tables.data, reference)).toBe(2);
    expect(await evidenceOnCase(tables.data, reference, abandonedAt)).toMatchObject({ counted: 2 });
    expect(await readEvidence(tables.data, reference, arrived.id)).toMatchObject({
      receivedAt: uploadBy,
      uploadBy,
    });
    expect(await readEvidence(tables.data, reference, lost.id)).toMatchObject({ uploadBy: later });
  });

  it('never reclaims a place whose file arrived in time, however late its verdict', async () => {
    const reference = 'SEF-AAAA-0009';
    const arrived = slot();
    await addEvidence(tables.data, reference, [arrived]);
    expect(await markReceived(tables.data, reference, arrived.id, new Date(uploadBy))).toBe(true);

    const { files, counted } = await evidenceOnCase(tables.data, reference, abandonedAt);

    expect(counted).toBe(1);
    expect(await reclaimAbandonedUploads(tables.data, reference, files, abandonedAt)).toBe(0);
    expect(await readEvidence(tables.data, reference, arrived.id)).toMatchObject({
      verdict: 'pending',
      receivedAt: uploadBy,
    });
    expect(await evidenceCount(tables.data, reference)).toBe(1);
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

    expect((await evidenceOnCase(tables.data, 'SEF-AAAA-0006', NOW)).files).toEqual([]);
  });
});

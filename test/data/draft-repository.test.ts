// The pages' drafts against DynamoDB Local: saved over the version read, gone once expired, kept out of
// every worklist index.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DraftChangedError, deleteDraft, getDraft, saveDraft } from '#data/draft-repository.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const IN_AN_HOUR = Math.floor(NOW.getTime() / 1000) + 3600;
let tables: TestTables;

beforeAll(async () => {
  tables = await startTestTables();
});

afterAll(async () => {
  await tables?.stop();
});

describe('the draft repository', () => {
  it('saves a new draft, then each change over the version it read', async () => {
    // Prepare
    const ctx = tables.data;

    // Act
    const first = await saveDraft(ctx, {
      id: 'd1',
      previousVersion: 0,
      content: { a: 1 },
      expiresAt: IN_AN_HOUR,
    });
    const second = await saveDraft(ctx, {
      id: 'd1',
      previousVersion: 1,
      content: { a: 2 },
      expiresAt: IN_AN_HOUR,
    });

    // Assess
    expect(first.version).toBe(1);
    expect(second.version).toBe(2);
    expect(await getDraft(ctx, 'd1', NOW)).toEqual({
      id: 'd1',
      version: 2,
      content: { a: 2 },
      expiresAt: IN_AN_HOUR,
    });
  });

  it('refuses a save over a version someone else has saved since, and a second new draft with one id', async () => {
    // Prepare
    const ctx = tables.data;
    await saveDraft(ctx, { id: 'd2', previousVersion: 0, content: {}, expiresAt: IN_AN_HOUR });
    await saveDraft(ctx, { id: 'd2', previousVersion: 1, content: {}, expiresAt: IN_AN_HOUR });

    // Act
    const stale = saveDraft(ctx, {
      id: 'd2',
      previousVersion: 1,
      content: {},
      expiresAt: IN_AN_HOUR,
    });
    // Assess
    await expect(stale).rejects.toBeInstanceOf(DraftChangedError);

    // Act
    const again = saveDraft(ctx, {
      id: 'd2',
      previousVersion: 0,
      content: {},
      expiresAt: IN_AN_HOUR,
    });
    // Assess
    await expect(again).rejects.toBeInstanceOf(DraftChangedError);
  });

  it('treats an expired draft as gone before the TTL deletes it, and deletes on request', async () => {
    // Prepare
    const ctx = tables.data;
    await saveDraft(ctx, { id: 'd3', previousVersion: 0, content: {}, expiresAt: IN_AN_HOUR });
    await saveDraft(ctx, { id: 'd4', previousVersion: 0, content: {}, expiresAt: IN_AN_HOUR });

    // Act
    const later = await getDraft(ctx, 'd3', new Date((IN_AN_HOUR + 1) * 1000));
    await deleteDraft(ctx, 'd4');

    // Assess
    expect(later).toBeUndefined();
    expect(await getDraft(ctx, 'd4', NOW)).toBeUndefined();
  });

  it('keeps drafts apart from cases: own partition, no worklist attributes', async () => {
    // Prepare
    const { db, tables: names } = tables.data;
    await saveDraft(tables.data, {
      id: 'd5',
      previousVersion: 0,
      content: { secret: 'x' },
      expiresAt: IN_AN_HOUR,
    });

    // Act
    const { Items = [] } = await db.send(new ScanCommand({ TableName: names.cases }));

    // Assess
    const draft = Items.find((item) => item.pk === 'DRAFT#d5');
    expect(draft).toMatchObject({ sk: 'DRAFT', expiresAt: IN_AN_HOUR });
    expect(Object.keys(draft ?? {}).sort()).toEqual(['content', 'expiresAt', 'pk', 'sk', 'version']);
  });
});

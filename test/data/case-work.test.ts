// Assignment against the case's own writes: taking a case writes its next version, so a workflow step that
// read the case before cannot write its old item over the assignment; the step reads again and keeps it.
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseRecord } from '#core/case-record.ts';
import { readCase, transitionItems } from '#data/case-store.ts';
import { assignCase } from '#data/case-work.ts';
import type { DataContext } from '#data/data-context.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { AREA, OFFICER, submit } from '#test/support/case-fixtures.ts';

const NOW = new Date('2026-03-02T09:00:00.000Z');
let tables: TestTables;
let ctx: DataContext;

beforeAll(async () => {
  tables = await startTestTables();
  ctx = tables.data;
});

afterAll(async () => {
  await tables?.stop();
});

/** A change of the case's item as a workflow step writes it: the whole item, conditional on the version read. */
function stepWrite(read: Awaited<ReturnType<typeof readCase>>) {
  const after: CaseRecord = { ...read.record, waitingFor: null, version: read.record.version + 1 };
  const event = {
    at: NOW.toISOString(),
    type: 'received',
    summary: 'A step',
    actor: OFFICER,
    audience: 'staff',
  };
  return new TransactWriteCommand({
    TransactItems: transitionItems(ctx, AREA, {
      after,
      event: event as never,
      before: read.record,
      internals: read.internals,
    }),
  });
}

describe('assignCase', () => {
  it('is never lost to a step that read the case before it, and is kept by the step that reads again', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    const stale = await readCase(ctx, reference);
    const assignee = { sub: 'officer-9', name: 'Nia Officer' };

    // Act
    const change = await assignCase(ctx, {
      reference,
      assignee,
      audit: { at: NOW.toISOString(), actor: OFFICER, what: 'assigned' },
    });
    const staleStep = ctx.db.send(stepWrite(stale));
    await expect(staleStep).rejects.toThrow();
    await ctx.db.send(stepWrite(await readCase(ctx, reference)));
    const after = await readCase(ctx, reference);

    // Assess
    expect(change).toBe('changed');
    expect(after.internals.assignee).toEqual(assignee);
    expect(after.internals.listing).toEqual({ applicantName: 'Sam Resident', postcode: 'L20 1AA' });
    expect(after.record.version).toBe(stale.record.version + 2);
  });

  it('writes nothing when the case is so already', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    const take = () =>
      assignCase(ctx, {
        reference,
        assignee: { sub: 'officer-9', name: 'Nia Officer' },
        audit: { at: NOW.toISOString(), actor: OFFICER, what: 'assigned' },
      });

    // Act
    const first = await take();
    const version = (await readCase(ctx, reference)).record.version;
    const second = await take();

    // Assess
    expect([first, second]).toEqual(['changed', 'unchanged']);
    expect((await readCase(ctx, reference)).record.version).toBe(version);
  });
});

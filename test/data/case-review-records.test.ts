// The case review's records (the REVIEW item) against DynamoDB Local: the application's involvement
// until the first change, and changes that each see the last (none lost when two are made at once).
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '#core/case-record.ts';
import { type CaseReviewState, withContact, withInvolvement } from '#core/case-review-state.ts';
import { applyDecision, recordAction } from '#data/case-decisions.ts';
import { caseKey, reviewKey } from '#data/case-items.ts';
import { changeReview, type ReviewChange, readReview } from '#data/case-review-records.ts';
import { loadCaseView } from '#data/case-store.ts';
import { registerTask } from '#data/case-tasks.ts';
import type { DataContext } from '#data/data-context.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { APPLICANT, AREA, decisions, OFFICER, submit } from '#test/support/case-fixtures.ts';

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

const at = NOW.toISOString();
const told = (state: CaseReviewState, what: string, by: Actor = OFFICER): ReviewChange => ({
  changed: true,
  state,
  event: { at, type: what, summary: `${what} changed`, actor: by, audience: 'all' },
  audit: { at, actor: by, what },
});

describe('the review records', () => {
  it("start as the application's involvement, and the first change stores them apart from the case item", async () => {
    const chosen = { level: 'attend', attendance: 'online', consultOnPlan: true };
    const { reference } = await submit(ctx, NOW, { involvement: { level: 'attend', attendance: 'online' } });
    expect((await readReview(ctx, reference)).state.involvement).toEqual(chosen);

    const named = { name: 'Sam Contact', phone: '0151 934 2000', email: 'sam@example.org' };
    const result = await changeReview(ctx, reference, ({ review }) =>
      told(withContact(review, named, { cycle: 1, now: NOW, by: OFFICER }), 'contact'),
    );
    expect(result.changed).toBe(true);
    const stored = await readReview(ctx, reference);
    expect(stored.version).toBe(1);
    expect(stored.state.contact).toMatchObject(named);
    expect(stored.state.involvement).toEqual(chosen);
    const { Item: caseItem } = await ctx.db.send(
      new GetCommand({ TableName: ctx.tables.cases, Key: caseKey(reference) }),
    );
    expect(JSON.stringify(caseItem)).not.toContain('Sam Contact');
    const view = await loadCaseView(ctx, reference);
    expect(view?.review.state.contact?.name).toBe('Sam Contact');
    expect(view?.timeline.map((event) => event.type)).toContain('contact');
    expect(view?.audit.map((entry) => entry.what)).toEqual(['contact']);
  });

  it('writes nothing for an unchanged decision', async () => {
    const { reference } = await submit(ctx, NOW);
    const result = await changeReview(ctx, reference, () => ({ changed: false }));
    expect(result.changed).toBe(false);
    const { Item } = await ctx.db.send(
      new GetCommand({ TableName: ctx.tables.cases, Key: reviewKey(reference) }),
    );
    expect(Item).toBeUndefined();
  });

  it('loses no change when two are made at once: each is decided on the other', async () => {
    const { reference } = await submit(ctx, NOW);
    const named = { name: 'Sam Contact', phone: '0151 934 2000', email: 'sam@example.org' };
    await Promise.all([
      changeReview(ctx, reference, ({ review }) =>
        told(withContact(review, named, { cycle: 1, now: NOW, by: OFFICER }), 'contact'),
      ),
      changeReview(ctx, reference, ({ review }) =>
        told(
          withInvolvement(review, { level: 'updates-only', attendance: null, consultOnPlan: false }),
          'involvement',
        ),
      ),
    ]);
    const stored = await readReview(ctx, reference);
    expect(stored.version).toBe(2);
    expect(stored.state.contact?.name).toBe('Sam Contact');
    expect(stored.state.involvement?.level).toBe('updates-only');
    expect((await loadCaseView(ctx, reference))?.audit).toHaveLength(2);
  });

  it("tells each step whether this cycle's outcome is recorded, before the workflow has applied it", async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    await registerTask(ctx, reference, 'threshold-decision', `token-${reference}`, at);
    await recordAction(ctx, reference, decisions.met, OFFICER, NOW);
    await applyDecision(ctx, AREA, reference, 'threshold-decision', NOW);
    const seen: boolean[] = [];
    const look = () =>
      changeReview(ctx, reference, ({ outcomeRecorded }) => {
        seen.push(outcomeRecorded);
        return { changed: false };
      });

    // Act
    await look();
    const outcome = await recordAction(ctx, reference, decisions.reviewWithout('2026-03-02'), OFFICER, NOW);
    await look();

    // Assess
    expect(outcome.outcome).toBe('recorded');
    expect(seen).toEqual([false, true]);
    expect((await loadCaseView(ctx, reference))?.case.stage).toBe('awaiting-review');
  });
  it('tells each step once the withdrawal is recorded, before the workflow has closed the case', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    const named = { name: 'Sam Contact', phone: '0151 934 2000', email: 'sam@example.org' };
    const seen: boolean[] = [];

    // Act
    const before = await changeReview(ctx, reference, ({ review, withdrawn }) => {
      seen.push(withdrawn);
      if (withdrawn) return { changed: false };
      return told(withContact(review, named, { cycle: 1, now: NOW, by: OFFICER }), 'contact');
    });
    const withdrawal = await recordAction(ctx, reference, decisions.withdraw, APPLICANT, NOW);
    const after = await changeReview(ctx, reference, ({ review, withdrawn }) => {
      seen.push(withdrawn);
      if (withdrawn) return { changed: false };
      return told(withContact(review, named, { cycle: 1, now: NOW, by: OFFICER }), 'contact');
    });

    // Assess
    expect(before.changed).toBe(true);
    expect(withdrawal.outcome).toBe('recorded');
    expect(after.changed).toBe(false);
    expect(seen).toEqual([false, true]);
    expect((await loadCaseView(ctx, reference))?.case.stage).toBe('received');
  });
});

// The case repository against DynamoDB Local: submission with its count, decisions recorded once,
// worklists, agency responses and the hand-over of decisions to a waiting workflow.
import { GetCommand, PutCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { DecisionStep } from '#core/case-record.ts';
import { closeCase } from '#data/case-closure.ts';
import { applyDecision, recordAction, recordAgencyResponse } from '#data/case-decisions.ts';
import { AUDIT_PREFIX, casePk, EARLIER_AUDIT_PREFIX } from '#data/case-items.ts';
import { changeReview } from '#data/case-review-records.ts';
import { createCase, getCase, loadCaseView, ReferenceTakenError } from '#data/case-store.ts';
import { deliverPendingAction, getWaitingTask, registerTask, type TaskCallbacks } from '#data/case-tasks.ts';
import { recordAudit } from '#data/case-timeline.ts';
import { queryWorklist } from '#data/case-worklists.ts';
import type { DataContext } from '#data/data-context.ts';
import { CaseNotFoundError, InvalidCursorError } from '#data/errors.ts';
import { queryAll } from '#data/paginated-reads.ts';
import { readYearCounters } from '#data/statistics-counters.ts';
import { yearMarkerKey } from '#data/statistics-keys.ts';
import { recountYear } from '#data/statistics-recount.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import {
  APPLICANT,
  AREA,
  application,
  decisions,
  NOT_CONSULTED,
  OFFICER,
  PCC,
  submit,
  TEST_ACCESS_CODE_HASH,
} from '#test/support/case-fixtures.ts';

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

/** What the workflow would do: register the wait, then apply the decision once it arrives. */
async function waitAndApply(reference: string, step: DecisionStep, decide: () => Promise<unknown>, at = NOW) {
  await registerTask(ctx, reference, step, `token-${reference}-${step}`, NOW.toISOString());
  await decide();
  return applyDecision(ctx, AREA, reference, step, at);
}

/** The CSP's `applicationsReceived` counter of 2025-26, as stored. */
async function receivedIn2025(csp: string): Promise<number | undefined> {
  return (await readYearCounters(ctx, AREA.id, '2025-26')).tallies.get(csp)?.counts.applicationsReceived;
}

describe('createCase', () => {
  it('stores the case as received, with its deadlines, and counts it in the year of receipt', async () => {
    // Prepare
    const before = (await receivedIn2025('knowsley')) ?? 0;

    // Act
    const created = await submit(ctx, NOW, { csp: 'knowsley' });

    // Assess
    const stored = await getCase(ctx, created.reference);
    expect(stored).toMatchObject({
      stage: 'received',
      csp: 'knowsley',
      reportingYear: '2025-26',
      version: 1,
    });
    expect(stored?.counted).toEqual(['applicationsReceived']);
    expect(stored?.deadlines.thresholdDecision).toBe('2026-03-16T23:59:59.999Z');
    expect(stored?.nextDeadline).toBe(stored?.deadlines.acknowledge);
    const after = await receivedIn2025('knowsley');
    expect(after).toBe(before + 1);
    const marker = await ctx.db.send(
      new GetCommand({ TableName: ctx.tables.statistics, Key: yearMarkerKey(AREA.id, '2025-26') }),
    );
    expect(marker.Item?.year).toBe('2025-26');
    const view = await loadCaseView(ctx, created.reference);
    expect(view?.applicant.applicant.name).toBe('Sam Resident');
    expect(view?.timeline.map((event) => event.type)).toEqual(['application-received']);
    expect(view?.accessCodeHash).toBe(TEST_ACCESS_CODE_HASH);
  });

  it('refuses a reference that is taken, and counts nothing', async () => {
    // Prepare
    const first = await submit(ctx, NOW, { csp: 'wirral' });
    const counted = await receivedIn2025('wirral');

    // Act
    const again = createCase(ctx, AREA, {
      reference: first.reference,
      accessCodeHash: TEST_ACCESS_CODE_HASH,
      application: application(NOW, { csp: 'wirral' }),
      enteredBy: APPLICANT,
      now: NOW,
    });

    // Assess
    await expect(again).rejects.toBeInstanceOf(ReferenceTakenError);
    const after = await receivedIn2025('wirral');
    expect(after).toBe(counted);
  });

  it('counts each of twenty concurrent submissions to one CSP exactly once', async () => {
    // Prepare
    const before = (await receivedIn2025('liverpool')) ?? 0;

    // Act
    const created = await Promise.all(
      Array.from({ length: 20 }, () => submit(ctx, NOW, { csp: 'liverpool' })),
    );

    // Assess
    expect(new Set(created.map((record) => record.reference)).size).toBe(20);
    const after = await receivedIn2025('liverpool');
    expect(after).toBe(before + 20);
  });

  it('counts an officer-entered letter from 2015 in 2015-16', async () => {
    // Act
    const created = await submit(ctx, NOW, { csp: 'st-helens', receivedAt: '2015-06-01T10:00:00Z' });

    // Assess
    expect(created).toMatchObject({
      reportingYear: '2015-16',
      recordedAt: NOW.toISOString(),
      channel: 'letter',
    });
    const recount = await recountYear(ctx, AREA, '2015-16');
    expect(recount.rows.find((row) => row.csp === 'st-helens')?.stored.applicationsReceived).toBe(1);
    expect(recount.differences).toBe(0);
  });
});

describe('loadCaseView', () => {
  it("reads none of the case's audit items unless asked, however many staff reads added", async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        recordAudit(ctx, reference, {
          at: `2026-03-02T10:00:${String(index).padStart(2, '0')}.000Z`,
          actor: OFFICER,
          what: 'read',
        }),
      ),
    );
    const stored = await queryAll(ctx, {
      TableName: ctx.tables.cases,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': casePk(reference) },
    });
    const auditItems = stored.filter((item) => String(item.sk).startsWith(AUDIT_PREFIX)).length;
    const send = vi.spyOn(ctx.db, 'send') as unknown as MockInstance<
      (command: unknown) => Promise<QueryCommandOutput>
    >;

    // Act
    const view = await loadCaseView(ctx, reference, { audit: false });
    const outputs = await Promise.all(send.mock.results.map((result) => result.value));
    send.mockRestore();
    const scanned = outputs.reduce((sum, output) => sum + (output.ScannedCount ?? 0), 0);
    const withAudit = await loadCaseView(ctx, reference);

    // Assess
    expect(auditItems).toBeGreaterThanOrEqual(40);
    expect(scanned).toBe(stored.length - auditItems);
    // One Query: the audit items sort before the rest of the partition.
    expect(outputs).toHaveLength(1);
    expect(view?.audit).toEqual([]);
    expect(view?.timeline.map((event) => event.type)).toEqual(['application-received']);
    expect(view?.applicant.applicant.name).toBe('Sam Resident');
    expect(withAudit?.audit).toHaveLength(auditItems);
    expect({ ...view, audit: [] }).toEqual({ ...withAudit, audit: [] });
  });

  it('gives staff the audit items written before they sorted first, oldest first, and the others none', async () => {
    // Prepare: as an earlier version stored them, between the applicant's item and the case's.
    const { reference } = await submit(ctx, NOW);
    const earlier = [
      { at: '2026-03-02T09:30:00.000Z', actor: OFFICER, what: 'read' },
      { at: '2026-03-02T09:45:00.000Z', actor: OFFICER, what: 'threshold-decision' },
    ];
    for (const [index, entry] of earlier.entries()) {
      await ctx.db.send(
        new PutCommand({
          TableName: ctx.tables.cases,
          Item: { pk: casePk(reference), sk: `${EARLIER_AUDIT_PREFIX}${entry.at}#earlier${index}`, ...entry },
        }),
      );
    }
    const later = { at: '2026-03-02T10:00:00.000Z', actor: OFFICER, what: 'read' };
    await recordAudit(ctx, reference, later);

    // Act
    const withAudit = await loadCaseView(ctx, reference);
    const without = await loadCaseView(ctx, reference, { audit: false });

    // Assess
    expect(withAudit?.audit).toEqual([...earlier, later]);
    expect(without?.audit).toEqual([]);
    expect({ ...without, audit: [] }).toEqual({ ...withAudit, audit: [] });
  });
});

describe('recordAction', () => {
  it('records a decision once: the same body again is a repeat, another body is different', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    await registerTask(ctx, reference, 'threshold-decision', 'token-1', NOW.toISOString());

    // Act
    const first = await recordAction(ctx, reference, decisions.met, OFFICER, NOW);
    const repeat = await recordAction(
      ctx,
      reference,
      { kind: 'threshold-decision', body: { reason: decisions.met.body.reason, route: 'A', met: true } },
      OFFICER,
      NOW,
    );
    const different = await recordAction(ctx, reference, decisions.notMet, OFFICER, NOW);

    // Assess
    expect(first).toEqual({ outcome: 'recorded', stage: 'awaiting-threshold-decision' });
    expect(repeat.outcome).toBe('repeat');
    expect(different.outcome).toBe('different');
    const view = await loadCaseView(ctx, reference);
    expect(view?.actions).toHaveLength(1);
    expect(view?.audit).toEqual([{ at: NOW.toISOString(), actor: OFFICER, what: 'threshold-decision' }]);
  });

  it('refuses an action the stage does not allow, naming the stage', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);

    // Act
    const result = await recordAction(ctx, reference, decisions.referral, APPLICANT, NOW);

    // Assess
    expect(result).toEqual({ outcome: 'wrong-stage', stage: 'received' });
  });

  it('records exactly one of ten concurrent identical requests', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);

    // Act
    const results = await Promise.all(
      Array.from({ length: 10 }, () => recordAction(ctx, reference, decisions.withdraw, APPLICANT, NOW)),
    );

    // Assess
    expect(results.filter((result) => result.outcome === 'recorded')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'repeat')).toHaveLength(9);
    const view = await loadCaseView(ctx, reference);
    expect(view?.actions).toHaveLength(1);
    expect(view?.audit).toHaveLength(1);
  });

  it('refuses a decision taken after the withdrawal it has not yet applied, however the two race', async () => {
    // Prepare
    const before = (await submit(ctx, NOW)).reference;
    const racing = (await submit(ctx, NOW)).reference;
    for (const reference of [before, racing]) {
      await registerTask(ctx, reference, 'threshold-decision', 'token-1', NOW.toISOString());
    }
    await recordAction(ctx, before, decisions.withdraw, APPLICANT, NOW);

    // Act
    const after = await recordAction(ctx, before, decisions.met, OFFICER, NOW);
    const [decided, withdrawn] = await Promise.all([
      recordAction(ctx, racing, decisions.met, OFFICER, NOW),
      recordAction(ctx, racing, decisions.withdraw, APPLICANT, NOW),
    ]);

    // Assess: the withdrawal always stands; the decision is either recorded before it or refused
    expect(after).toEqual({ outcome: 'withdrawn', stage: 'awaiting-threshold-decision' });
    expect((await loadCaseView(ctx, before))?.actions.map((action) => action.kind)).toEqual(['withdraw']);
    expect(withdrawn.outcome).toBe('recorded');
    expect(['recorded', 'withdrawn']).toContain(decided.outcome);
    const kinds = (await loadCaseView(ctx, racing))?.actions.map((action) => action.kind);
    expect(kinds?.length).toBe(decided.outcome === 'recorded' ? 2 : 1);
  });

  it('says when the case does not exist', async () => {
    await expect(
      recordAction(ctx, 'SEF-0000-0000', decisions.withdraw, APPLICANT, NOW),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
  });
});

describe('applyDecision', () => {
  it('counts a threshold-not-met decision exactly once when five runs of the step race', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW, { csp: 'liverpool' });
    await registerTask(ctx, reference, 'threshold-decision', 'token-1', NOW.toISOString());
    await recordAction(ctx, reference, decisions.notMet, OFFICER, NOW);

    // Act
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => applyDecision(ctx, AREA, reference, 'threshold-decision', NOW)),
    );

    // Assess
    expect(runs.filter((run) => !run.alreadyApplied)).toHaveLength(1);
    const stored = await getCase(ctx, reference);
    expect(stored).toMatchObject({
      stage: 'threshold-not-met',
      counted: ['applicationsReceived', 'thresholdNotMet'],
    });
    expect(stored?.deadlines.referralWindow).toBeDefined();
    expect((await recountYear(ctx, AREA, '2025-26')).differences).toBe(0);
  });

  it('moves a not-met case that the PCC referred back and that was then reviewed from "not met" to "reviews"', async () => {
    // Prepare: a victim who chose not to be consulted, so the outcome's plan is final at once
    const { reference } = await submit(ctx, NOW, { csp: 'sefton', involvement: NOT_CONSULTED });
    const record =
      (decision: Parameters<typeof recordAction>[2], actor = OFFICER) =>
      () =>
        recordAction(ctx, reference, decision, actor, NOW);
    await waitAndApply(reference, 'threshold-decision', record(decisions.notMet));
    await waitAndApply(reference, 'referral', record(decisions.referral, APPLICANT));
    const referredBack = await waitAndApply(reference, 'pcc-decision', record(decisions.referBack, PCC));

    // Act
    const reviewed = await waitAndApply(
      reference,
      'review-outcome',
      record(decisions.reviewWithRecommendations('2026-03-02')),
    );

    // Assess
    expect(referredBack.case).toMatchObject({ stage: 'awaiting-review', cycle: 2 });
    expect(reviewed.case.stage).toBe('review-complete');
    expect(reviewed.case.counted).toEqual([
      'applicationsReceived',
      'caseReviewsCarriedOut',
      'reviewsWithRecommendations',
      'referralsToPcc',
    ]);
    expect((await recountYear(ctx, AREA, '2025-26')).differences).toBe(0);
  });
});

describe('queryWorklist', () => {
  it("lists a CSP's open cases, oldest deadline first, a page at a time", async () => {
    // Prepare
    const days = ['2026-02-02T09:00:00Z', '2026-02-09T09:00:00Z', '2026-02-16T09:00:00Z'];
    const created = [];
    for (const receivedAt of days.reverse())
      created.push(await submit(ctx, NOW, { csp: 'knowsley', receivedAt }));

    // Act
    const pages = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await queryWorklist(ctx, { scope: { kind: 'csp', csp: 'knowsley' }, limit: 2, startKey });
      pages.push(page.cases);
      startKey = page.lastEvaluatedKey;
    } while (startKey !== undefined);

    // Assess
    const listed = pages.flat();
    const deadlines = listed.map((entry) => entry.nextDeadline ?? '');
    expect(deadlines).toEqual([...deadlines].sort());
    expect(listed.map((entry) => entry.reference)).toEqual(
      expect.arrayContaining(created.map((record) => record.reference)),
    );
    expect(pages[0]).toHaveLength(2);
    expect(listed.every((entry) => entry.csp === 'knowsley')).toBe(true);
  });

  it('lists one stage only when asked, and only the cases shared with an agency', async () => {
    // Prepare
    const shared = await submit(ctx, NOW, { csp: 'wirral' });
    const notShared = await submit(ctx, NOW, { csp: 'wirral' });
    await waitAndApply(shared.reference, 'threshold-decision', () =>
      recordAction(ctx, shared.reference, decisions.met, OFFICER, NOW),
    );
    // The police are asked for what they knew and did: the case is shared with them.
    await changeReview(ctx, shared.reference, ({ review }) => ({
      changed: true,
      state: review,
      event: {
        at: NOW.toISOString(),
        type: 'information-requests',
        summary: 'The police were asked.',
        actor: OFFICER,
        audience: 'all',
      },
      audit: { at: NOW.toISOString(), actor: OFFICER, what: 'information-requests' },
      shareWith: ['police'],
    }));
    await registerTask(ctx, notShared.reference, 'threshold-decision', 'token-x', NOW.toISOString());

    // Act
    const reviews = await queryWorklist(ctx, {
      scope: { kind: 'csp', csp: 'wirral' },
      stage: 'awaiting-review',
      limit: 50,
    });
    const police = await queryWorklist(ctx, {
      scope: { kind: 'agency', csp: 'wirral', agency: 'police' },
      limit: 50,
    });

    // Assess
    expect(reviews.cases.map((entry) => entry.reference)).toEqual([shared.reference]);
    expect(police.cases.map((entry) => entry.reference)).toEqual([shared.reference]);
  });

  it('fills an agency’s page from the cases shared with it, reading past the others, and goes on after the last one listed', async () => {
    // Prepare: a case not shared with health first by deadline, then three shared with it
    await submit(ctx, NOW, { csp: 'st-helens' });
    const shared = [];
    for (let index = 0; index < 3; index += 1) {
      const { reference } = await submit(ctx, NOW, { csp: 'st-helens' });
      await waitAndApply(reference, 'threshold-decision', () =>
        recordAction(ctx, reference, decisions.met, OFFICER, NOW),
      );
      await changeReview(ctx, reference, ({ review }) => ({
        changed: true,
        state: review,
        event: {
          at: NOW.toISOString(),
          type: 'information-requests',
          summary: 'Health was asked.',
          actor: OFFICER,
          audience: 'all',
        },
        audit: { at: NOW.toISOString(), actor: OFFICER, what: 'information-requests' },
        shareWith: ['health'],
      }));
      shared.push(reference);
    }

    // Act
    const pages = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await queryWorklist(ctx, {
        scope: { kind: 'agency', csp: 'st-helens', agency: 'health' },
        limit: 2,
        startKey,
      });
      pages.push(page.cases.map((entry) => entry.reference));
      startKey = page.lastEvaluatedKey;
    } while (startKey !== undefined);

    // Assess
    expect(pages[0]).toHaveLength(2);
    expect(pages.flat().sort()).toEqual([...shared].sort());
  });

  it('fills each page from the cases it is asked to keep (the overdue ones), and lists each kept case once across the pages', async () => {
    // Prepare: seven cases of one CSP, every other one kept, the first not
    const created = [];
    for (let index = 0; index < 7; index += 1)
      created.push((await submit(ctx, NOW, { csp: 'sefton' })).reference);
    const wanted = created.filter((_, index) => index % 2 === 1);

    // Act
    const pages = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await queryWorklist(ctx, {
        scope: { kind: 'csp', csp: 'sefton' },
        keep: (entry) => wanted.includes(entry.reference),
        limit: 2,
        startKey,
      });
      pages.push(page.cases.map((entry) => entry.reference));
      startKey = page.lastEvaluatedKey;
    } while (startKey !== undefined);

    // Assess
    expect(pages[0]).toHaveLength(2);
    expect(pages[1]).toHaveLength(1);
    expect(pages.flat().sort()).toEqual([...wanted].sort());
  });

  it("lists referred cases in the PCC's queue", async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW, { csp: 'knowsley' });
    await waitAndApply(reference, 'threshold-decision', () =>
      recordAction(ctx, reference, decisions.notMet, OFFICER, NOW),
    );
    await waitAndApply(reference, 'referral', () =>
      recordAction(ctx, reference, decisions.referral, APPLICANT, NOW),
    );

    // Act
    const queue = await queryWorklist(ctx, { scope: { kind: 'pcc', pccArea: AREA.id }, limit: 50 });

    // Assess
    expect(queue.cases).toContainEqual(
      expect.objectContaining({ reference, stage: 'awaiting-pcc-decision', csp: 'knowsley' }),
    );
  });

  it('refuses a cursor that another query issued', async () => {
    // Prepare
    const page = await queryWorklist(ctx, { scope: { kind: 'csp', csp: 'knowsley' }, limit: 1 });

    // Act
    const other = queryWorklist(ctx, {
      scope: { kind: 'pcc', pccArea: AREA.id },
      limit: 1,
      startKey: page.lastEvaluatedKey ?? { pk: 'x' },
    });

    // Assess
    await expect(other).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

describe('recordAgencyResponse', () => {
  it('takes one response per agency while the review is pending, which a new body amends', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    const response = { agency: 'police', summary: 'Three call-outs; one warning given.' } as const;
    const early = await recordAgencyResponse(ctx, reference, response, OFFICER, NOW);
    await waitAndApply(reference, 'threshold-decision', () =>
      recordAction(ctx, reference, decisions.met, OFFICER, NOW),
    );

    // Act
    const first = await recordAgencyResponse(ctx, reference, response, OFFICER, NOW);
    const repeat = await recordAgencyResponse(ctx, reference, response, OFFICER, NOW);
    const amended = await recordAgencyResponse(
      ctx,
      reference,
      { ...response, summary: 'Other' },
      OFFICER,
      NOW,
    );

    // Assess
    expect(early).toEqual({ outcome: 'wrong-stage', stage: 'received' });
    // The contract (contract.md, "Actions") now takes a new body of an agency's response as an update.
    expect([first.outcome, repeat.outcome, amended.outcome]).toEqual(['recorded', 'repeat', 'recorded']);
    const view = await loadCaseView(ctx, reference);
    expect(view?.responses).toEqual([expect.objectContaining({ agency: 'police', cycle: 1 })]);
    expect(view?.timeline.find((event) => event.type === 'agency-response')?.audience).toBe('staff');
  });

  it("takes no response and no amendment once the review's outcome is recorded, before the workflow applies it", async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    const response = { agency: 'police', summary: 'Three call-outs; one warning given.' } as const;
    await waitAndApply(reference, 'threshold-decision', () =>
      recordAction(ctx, reference, decisions.met, OFFICER, NOW),
    );
    await recordAgencyResponse(ctx, reference, response, OFFICER, NOW);
    await recordAction(ctx, reference, decisions.reviewWithout('2026-03-02'), OFFICER, NOW);

    // Act
    const amended = await recordAgencyResponse(
      ctx,
      reference,
      { ...response, summary: 'Other' },
      OFFICER,
      NOW,
    );
    const added = await recordAgencyResponse(
      ctx,
      reference,
      { agency: 'council', summary: 'Late' },
      OFFICER,
      NOW,
    );

    // Assess
    expect([amended.outcome, added.outcome]).toEqual(['review-recorded', 'review-recorded']);
    const view = await loadCaseView(ctx, reference);
    expect(view?.case.stage).toBe('awaiting-review');
    expect(view?.responses).toEqual([
      expect.objectContaining({ agency: 'police', summary: response.summary }),
    ]);
  });

  it("takes no response once the applicant's withdrawal is recorded, before the workflow closes the case", async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    await waitAndApply(reference, 'threshold-decision', () =>
      recordAction(ctx, reference, decisions.met, OFFICER, NOW),
    );
    await recordAction(ctx, reference, decisions.withdraw, APPLICANT, NOW);

    // Act
    const late = await recordAgencyResponse(
      ctx,
      reference,
      { agency: 'police', summary: 'Late' },
      OFFICER,
      NOW,
    );

    // Assess
    expect(late).toEqual({ outcome: 'withdrawn', stage: 'awaiting-review' });
    expect((await loadCaseView(ctx, reference))?.responses).toEqual([]);
  });
});

describe('deliverPendingAction', () => {
  function recordingCallbacks(tokenValid = true) {
    const sent: unknown[][] = [];
    const callbacks: TaskCallbacks = {
      succeed: async (...args) => {
        sent.push(['succeed', ...args]);
        return tokenValid;
      },
      fail: async (...args) => {
        sent.push(['fail', ...args]);
        return tokenValid;
      },
    };
    return { sent, callbacks };
  }

  it('completes the waiting task with the decision recorded for it, and no personal data', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    await registerTask(ctx, reference, 'threshold-decision', 'token-42', NOW.toISOString());
    await recordAction(ctx, reference, decisions.met, OFFICER, NOW);
    const { sent, callbacks } = recordingCallbacks();

    // Act
    const delivery = await deliverPendingAction(ctx, callbacks, reference);

    // Assess
    expect(delivery).toBe('delivered');
    expect(sent).toEqual([['succeed', 'token-42', { action: 'threshold-decision' }]]);
  });

  it('delivers a withdrawal as the task failure Withdrawn', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    await registerTask(ctx, reference, 'threshold-decision', 'token-7', NOW.toISOString());
    await recordAction(ctx, reference, decisions.withdraw, APPLICANT, NOW);
    const { sent, callbacks } = recordingCallbacks();

    // Act
    const delivery = await deliverPendingAction(ctx, callbacks, reference);

    // Assess
    expect(delivery).toBe('delivered');
    expect(sent).toEqual([['fail', 'token-7', 'Withdrawn', 'withdrawn by applicant']]);
  });

  it('delivers the decision recorded before a withdrawal first, the withdrawal at the next wait', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    await registerTask(ctx, reference, 'threshold-decision', 'token-8', NOW.toISOString());
    await recordAction(ctx, reference, decisions.met, OFFICER, NOW);
    await recordAction(ctx, reference, decisions.withdraw, APPLICANT, NOW);
    const { sent, callbacks } = recordingCallbacks();

    // Act
    const delivery = await deliverPendingAction(ctx, callbacks, reference);

    // Assess
    expect(delivery).toBe('delivered');
    expect(sent).toEqual([['succeed', 'token-8', { action: 'threshold-decision' }]]);
  });

  it('leaves the decision to the workflow when nothing waits or the token has gone', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    await recordAction(ctx, reference, decisions.withdraw, APPLICANT, NOW);
    const { callbacks: gone } = recordingCallbacks(false);
    const notWaiting = await deliverPendingAction(ctx, gone, reference);
    await registerTask(ctx, reference, 'threshold-decision', 'token-old', NOW.toISOString());

    // Act
    const delivery = await deliverPendingAction(ctx, gone, reference);

    // Assess
    expect(notWaiting).toBe('not-waiting');
    expect(delivery).toBe('left-to-workflow');
  });
});

describe('registerTask', () => {
  it('keeps the token of the later wait when an earlier wait registers late', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    const later = new Date(NOW.getTime() + 1000).toISOString();
    await registerTask(ctx, reference, 'threshold-decision', 'token-new', later);

    // Act
    const stale = await registerTask(ctx, reference, 'threshold-decision', 'token-old', NOW.toISOString());
    const retried = await registerTask(ctx, reference, 'threshold-decision', 'token-retry', later);

    // Assess
    expect(stale).toBeUndefined();
    expect(retried?.waitingFor).toBe('threshold-decision');
    expect((await getWaitingTask(ctx, reference))?.taskToken).toBe('token-retry');
  });
});

describe('closeCase', () => {
  it('closes when the referral window ends and sets the retention time on every item', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    await waitAndApply(reference, 'threshold-decision', () =>
      recordAction(ctx, reference, decisions.notMet, OFFICER, NOW),
    );
    await registerTask(ctx, reference, 'referral', 'token-r', NOW.toISOString());

    // Act
    const closed = await closeCase(ctx, AREA, reference, 'referral-window-ended', {
      now: NOW,
      retentionYears: 6,
    });

    // Assess
    expect(closed.closure).toEqual({ reason: 'threshold-not-met', at: NOW.toISOString() });
    expect(closed.expiresAt).toBe(Date.parse('2032-03-02T09:00:00.000Z') / 1000);
    const { Items = [] } = await ctx.db.send(
      new QueryCommand({
        TableName: ctx.tables.cases,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CASE#${reference}` },
      }),
    );
    expect(Items.length).toBeGreaterThan(3);
    expect(Items.every((item) => item.expiresAt === closed.expiresAt)).toBe(true);
    const worklist = await queryWorklist(ctx, { scope: { kind: 'csp', csp: 'sefton' }, limit: 100 });
    expect(worklist.cases.map((entry) => entry.reference)).not.toContain(reference);
  });

  it('closes as withdrawn when a withdrawal was recorded before the window ended', async () => {
    // Prepare
    const { reference } = await submit(ctx, NOW);
    await waitAndApply(reference, 'threshold-decision', () =>
      recordAction(ctx, reference, decisions.notMet, OFFICER, NOW),
    );
    await recordAction(ctx, reference, decisions.withdraw, APPLICANT, NOW);

    // Act
    const closed = await closeCase(ctx, AREA, reference, 'referral-window-ended', {
      now: NOW,
      retentionYears: 6,
    });

    // Assess
    expect(closed.closure?.reason).toBe('withdrawn');
    expect(closed.history.withdrawnAt).toBe(NOW.toISOString());
    expect(closed.counted).toEqual(['applicationsReceived', 'thresholdNotMet']);
  });
});

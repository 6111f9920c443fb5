// A decision recorded while a wait times out: the wait's RegisterTask may still be running (a slow or
// retried Lambda) when the timeout, the reminder and the next wait's RegisterTask have all happened.
// The late one must not put its dead token back on the case, or the decision is never delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getWaitingTask, startCaseReview } from '#data/case-tasks.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { decisions, OFFICER, submit } from '#test/support/case-fixtures.ts';
import { CaseWorkflow } from '#test/support/case-workflow.ts';
import { deferred } from '#test/support/stepfunctions-runtime.ts';

const START = '2026-04-13T09:00:00.000Z';
const PAST_FIRST_DEADLINE = '2026-06-15T09:00:00.000Z';
let tables: TestTables;
let workflow: CaseWorkflow;

beforeAll(async () => {
  tables = await startTestTables();
  workflow = await CaseWorkflow.open(tables, START);
});

afterAll(async () => {
  await workflow?.stop();
  await tables?.stop();
});

describe('a decision recorded as the first wait times out', () => {
  it('is delivered when the timed-out wait registers its token after the next wait did', async () => {
    // Prepare: the first RegisterTask is held until the timeout, the reminder and the second wait's
    // RegisterTask are over.
    const calls: Array<{ done: Promise<void> }> = [];
    const release = deferred<void>();
    const firstStarted = deferred<void>();
    const secondDone = deferred<void>();
    workflow.wrapHandlers((name, handler) => async (event, context) => {
      if (name !== 'RegisterTask') return handler(event, context);
      const call = calls.length;
      const finished = deferred<void>();
      calls.push({ done: finished.promise });
      if (call === 0) {
        firstStarted.resolve();
        await release.promise;
      }
      try {
        return await handler(event, context);
      } finally {
        finished.resolve();
        if (call === 1) secondDone.resolve();
      }
    });
    const { reference } = await submit(tables.data, workflow.clock.now());
    await startCaseReview(workflow.sfn, workflow.machine.arn, reference);
    await firstStarted.promise;
    workflow.clock.set(PAST_FIRST_DEADLINE);
    await workflow.harness.runtime.checkTimers();
    await secondDone.promise;
    const current = (await getWaitingTask(tables.data, reference))?.taskToken;
    release.resolve();
    await calls[0]?.done;
    await workflow.settle();
    workflow.wrapHandlers((_name, handler) => handler);

    // Act
    await workflow.decide(reference, decisions.notMet, OFFICER);

    // Assess
    expect(calls).toHaveLength(2);
    expect(current).not.toBeNull();
    expect(await workflow.stage(reference)).toBe('threshold-not-met');
  });
});

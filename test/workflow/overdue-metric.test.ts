// The OverdueTasks metric the operators' alarm watches (infra/constructs/monitoring.ts): the reminder
// step writes it, in CloudWatch's embedded metric format on standard output as Lambda forwards it,
// once per reminder of a human step past its deadline, and a retried reminder is not counted again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCase } from '#data/case-store.ts';
import { METRICS_NAMESPACE, OVERDUE_TASKS_METRIC } from '#shared/metrics.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { submit } from '#test/support/case-fixtures.ts';
import { CaseWorkflow, WORKFLOW_SERVICE_NAME } from '#test/support/case-workflow.ts';
import { emfWrittenDuring, metricValues } from '#test/support/emf.ts';

const START = '2026-03-02T09:00:00.000Z';
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

describe('the OverdueTasks metric', () => {
  it('counts 1 in the service namespace, under the workflow service, for each reminder of an overdue step', async () => {
    // Prepare
    const { reference } = await submit(tables.data, workflow.clock.now());
    await workflow.start(reference);
    const due = (await getCase(tables.data, reference))?.deadlines.thresholdDecision ?? '';

    // Act: past the deadline (the first reminder), then past the next reminder's time too
    const documents = await emfWrittenDuring(async () => {
      await workflow.advanceTo(new Date(Date.parse(due) + 1000).toISOString());
      await workflow.advance(3 * 24 * 60 * 60 * 1000);
    });

    // Assess
    expect(metricValues(documents, OVERDUE_TASKS_METRIC)).toEqual([1, 1]);
    for (const document of documents) {
      expect(document._aws.CloudWatchMetrics).toEqual([
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['service']],
          Metrics: [{ Name: OVERDUE_TASKS_METRIC, Unit: 'Count' }],
        },
      ]);
      expect(document.service).toBe(WORKFLOW_SERVICE_NAME);
      expect(JSON.stringify(document)).not.toContain(reference);
    }
  });

  it('does not count a reminder again when the step is retried', async () => {
    // Prepare
    const { reference } = await submit(tables.data, workflow.clock.now());
    await workflow.start(reference);
    const due = (await getCase(tables.data, reference))?.deadlines.thresholdDecision ?? '';
    await workflow.advanceTo(new Date(Date.parse(due) + 1000).toISOString());
    const remind = workflow.handlers().Remind;

    // Act: the same reminder delivered again, as a retry after a lost response would
    const documents = await emfWrittenDuring(async () => {
      await remind({ reference, step: 'threshold-decision', due } as never, {} as never);
    });

    // Assess
    expect(metricValues(documents, OVERDUE_TASKS_METRIC)).toEqual([]);
  });
});

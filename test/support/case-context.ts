// The case operations' context over the test tables, as a function's bootstrap builds it from the
// environment, with the test's own clock, workflow client and notifier (an outbox of its own unless given).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NotifyingCaseContext, WorkflowClient } from '#cases/context.ts';
import { createStepFunctionsClient } from '#clients/stepfunctions.ts';
import { MERSEYSIDE } from '#core/area-config.ts';
import type { Clock } from '#core/clock.ts';
import { idempotencyStoreOf } from '#data/idempotency.ts';
import type { Notifier } from '#shared/notifier.ts';
import { createOutboxNotifier } from '#shared/outbox-notifier.ts';
import { powertools } from '#shared/powertools.ts';
import type { TestTables } from '#test/support/api-tables.ts';

/** For tests whose operations never start or signal an execution (the statistics): a client never called. */
const idleWorkflow = (): WorkflowClient => ({
  stepFunctions: createStepFunctionsClient({}),
  stateMachineArn: 'arn:aws:states:eu-west-2:000000000000:stateMachine:case-review',
});

export function testCaseContext(
  tables: TestTables,
  options: { readonly clock: Clock; readonly workflow?: WorkflowClient; readonly notifier?: Notifier },
): NotifyingCaseContext {
  return {
    data: tables.data,
    area: MERSEYSIDE,
    clock: options.clock,
    workflow: options.workflow ?? idleWorkflow(),
    idempotencyStore: idempotencyStoreOf(tables.client, tables.idempotencyTable),
    logger: powertools('api').logger,
    metrics: powertools('api').metrics,
    notifier:
      options.notifier ??
      createOutboxNotifier({ directory: mkdtempSync(join(tmpdir(), 'outbox-')), clock: options.clock }),
  };
}

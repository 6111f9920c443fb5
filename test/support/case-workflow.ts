// The case review state machine (statemachines/case-review.asl.json, as deployed) on the local Step
// Functions engine, in-process, with the real workflow handlers, the service's tables in DynamoDB
// Local, an outbox in a temporary directory and one hand-moved clock shared by the engine and the
// handlers. Decisions go in as the API sends them: recorded, then delivered through the Step
// Functions endpoint with @aws-sdk/client-sfn. `restart()` drops the engine and starts another on
// the same store, as a crash and a new process would.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ProgressDone, recordProgressNote } from '#cases/action-progress.ts';
import { type ActionDone, act } from '#cases/case-actions.ts';
import { type ReviewStepDone, takeReviewStep } from '#cases/case-review-steps.ts';
import type { StaffMember } from '#core/case-access.ts';
import type { Actor, DecisionBody } from '#core/case-record.ts';
import { type ActionResult, recordAction } from '#data/case-decisions.ts';
import { getCase, loadCaseView } from '#data/case-store.ts';
import {
  deliverPendingAction,
  startCaseReview,
  stepFunctionsCallbacks,
  type TaskCallbacks,
} from '#data/case-tasks.ts';
import { type Recount, recountYear } from '#data/statistics-recount.ts';
import { definitionSubstitutions, LIVE_ALIAS, localFunctionArn } from '#infra/functions.ts';
import { freePort } from '#local/dynamodb-local.ts';
import { loadStateMachines } from '#local/stepfunctions/definitions.ts';
import type { LambdaHandler } from '#local/stepfunctions/lambda-invoker.ts';
import type { CompiledStateMachine } from '#local/stepfunctions/model.ts';
import { executionArnOf } from '#local/stepfunctions/names.ts';
import { createStepFunctionsServer } from '#local/stepfunctions/server.ts';
import { createOutboxNotifier, listOutbox, type OutboxMessage } from '#shared/outbox-notifier.ts';
import { powertoolsFrom } from '#shared/powertools.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { AREA } from '#test/support/case-fixtures.ts';
import { localCredentials } from '#test/support/dynamodb.ts';
import { type Harness, ManualClock, openRuntime } from '#test/support/stepfunctions-runtime.ts';
import { createApplyDecisionHandler } from '#workflow/apply-decision.ts';
import { createAssessThresholdHandler } from '#workflow/assess-threshold.ts';
import { createCloseCaseHandler } from '#workflow/close-case.ts';
import type { WorkflowDependencies } from '#workflow/dependencies.ts';
import { createHandOverHandler } from '#workflow/hand-over.ts';
import { createNeedsAttentionHandler } from '#workflow/needs-attention.ts';
import { createRegisterTaskHandler } from '#workflow/register-task.ts';
import { createRemindHandler } from '#workflow/remind.ts';

const STATE_MACHINES = join(import.meta.dirname, '../../statemachines');

/** The officer of the case's CSP, signed in (case-fixtures.ts OFFICER). */
const OFFICER_STAFF: StaffMember = {
  sub: 'officer-sefton-1',
  name: 'Alex Officer',
  role: 'officer',
  csp: 'sefton',
};

/** The Powertools service name of the handlers' metrics, as the stacks name a workflow function's. */
export const WORKFLOW_SERVICE_NAME = 'asb-case-review-test-workflow';

export type WorkflowFunction =
  | 'AssessThreshold'
  | 'RegisterTask'
  | 'ApplyDecision'
  | 'Remind'
  | 'CloseCase'
  | 'NeedsAttention'
  | 'HandOver';

/** Wraps a real handler: lets a test fail, delay or count its calls. */
export type HandlerWrapper = (name: WorkflowFunction, handler: LambdaHandler) => LambdaHandler;

/** The case review state machine of `directory` (statemachines/ by default), named `name`. */
export function caseReviewMachine(directory = STATE_MACHINES, name = 'case-review'): CompiledStateMachine {
  const [machine] = loadStateMachines(
    directory,
    // As deployed: the tasks call each function's alias.
    definitionSubstitutions((spec) => localFunctionArn(spec.id, LIVE_ALIAS)),
  ).filter((compiled) => compiled.name === name);
  if (machine === undefined) throw new Error(`${directory}/${name}.asl.json is missing`);
  return machine;
}

/** The previous release's definition (test/fixtures/asl/), which executions in flight still run on. */
export const PREVIOUS_RELEASE_DIRECTORY = join(import.meta.dirname, '../fixtures/asl');

export function previousReleaseMachine(): CompiledStateMachine {
  return caseReviewMachine(PREVIOUS_RELEASE_DIRECTORY, 'case-review-previous');
}

export class CaseWorkflow {
  readonly clock: ManualClock;
  readonly machine = caseReviewMachine();
  /** Loaded beside `machine` when opened with `previousRelease`. */
  readonly previous: CompiledStateMachine | undefined;
  readonly tables: TestTables;
  readonly deps: WorkflowDependencies;
  readonly outbox: string;
  readonly #engineTable = `engine-${randomUUID()}`;
  #wrap: HandlerWrapper = (_name, handler) => handler;
  #harness: Harness | undefined;
  #server: Server | undefined;
  #sfn: SFNClient | undefined;
  #callbacks: TaskCallbacks | undefined;

  private constructor(tables: TestTables, outbox: string, clock: ManualClock, previousRelease: boolean) {
    this.tables = tables;
    this.previous = previousRelease ? previousReleaseMachine() : undefined;
    this.outbox = outbox;
    this.clock = clock;
    // The handlers hold this object: it follows the engine across restarts.
    const callbacks: TaskCallbacks = {
      succeed: (token, output) => this.callbacks.succeed(token, output),
      fail: (token, error, cause) => this.callbacks.fail(token, error, cause),
    };
    // The workflow's clock is the engine's fake time, which tests move.
    const now = () => clock.now();
    const { logger, metrics } = powertoolsFrom('workflow', {
      POWERTOOLS_SERVICE_NAME: WORKFLOW_SERVICE_NAME,
    });
    this.deps = {
      data: tables.data,
      area: AREA,
      notifier: createOutboxNotifier({ directory: outbox, clock: now }),
      callbacks,
      // Step Functions as the handlers call it: whichever engine runs now.
      stepFunctions: { send: (command: never) => this.sfn.send(command) } as unknown as SFNClient,
      stateMachineAlias: LIVE_ALIAS,
      clock: now,
      logger,
      metrics,
      retentionYears: 6,
    };
  }

  /** `previousRelease`: the engine runs the previous release's definition too (`previous`). */
  static async open(
    tables: TestTables,
    start: string,
    options: { readonly previousRelease?: boolean } = {},
  ): Promise<CaseWorkflow> {
    const outbox = await mkdtemp(join(tmpdir(), 'outbox-'));
    const workflow = new CaseWorkflow(
      tables,
      outbox,
      new ManualClock(start),
      options.previousRelease ?? false,
    );
    await workflow.#startEngine();
    return workflow;
  }

  get callbacks(): TaskCallbacks {
    if (this.#callbacks === undefined) throw new Error('the engine is not running');
    return this.#callbacks;
  }

  get sfn(): SFNClient {
    if (this.#sfn === undefined) throw new Error('the engine is not running');
    return this.#sfn;
  }

  get harness(): Harness {
    if (this.#harness === undefined) throw new Error('the engine is not running');
    return this.#harness;
  }

  /** Changes how the handlers are wrapped from the next engine start (see `restart`) or now. */
  wrapHandlers(wrap: HandlerWrapper): void {
    this.#wrap = wrap;
  }

  handlers(): Record<WorkflowFunction, LambdaHandler> {
    const real: Record<WorkflowFunction, (event: unknown) => Promise<unknown>> = {
      AssessThreshold: createAssessThresholdHandler(this.deps),
      RegisterTask: createRegisterTaskHandler(this.deps),
      ApplyDecision: createApplyDecisionHandler(this.deps),
      Remind: createRemindHandler(this.deps),
      CloseCase: createCloseCaseHandler(this.deps),
      NeedsAttention: createNeedsAttentionHandler(this.deps),
      HandOver: createHandOverHandler(this.deps),
    };
    return Object.fromEntries(
      Object.entries(real).map(([name, handler]) => [
        name,
        // The wrapper is looked up at each call, so a test may change it while the engine runs.
        ((event: never, context) =>
          this.#wrap(name as WorkflowFunction, handler as LambdaHandler)(event, context)) as LambdaHandler,
      ]),
    ) as Record<WorkflowFunction, LambdaHandler>;
  }

  async #startEngine(): Promise<void> {
    this.#harness = await openRuntime({
      // The engine keeps its executions in the same DynamoDB Local, on the tables' client.
      endpoint: '',
      client: this.tables.client,
      machines: this.previous === undefined ? [this.machine] : [this.machine, this.previous],
      aliases: [LIVE_ALIAS],
      handlers: this.handlers(),
      clock: this.clock,
      tableName: this.#engineTable,
    });
    const server = createStepFunctionsServer(this.#harness.runtime);
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.#server = server;
    this.#sfn = new SFNClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'eu-west-2',
      credentials: localCredentials,
    });
    this.#callbacks = stepFunctionsCallbacks(this.#sfn);
  }

  async #stopEngine(): Promise<void> {
    this.#sfn?.destroy();
    const server = this.#server;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    await this.#harness?.runtime.close();
    this.#harness = undefined;
    this.#server = undefined;
    this.#sfn = undefined;
    this.#callbacks = undefined;
  }

  /** The engine stops (handler invocations in flight are abandoned) and a new one resumes from the store. */
  async restart(): Promise<void> {
    await this.#stopEngine();
    await this.#startEngine();
  }

  async stop(): Promise<void> {
    await this.#stopEngine();
    await rm(this.outbox, { recursive: true, force: true });
  }

  /** Waits until nothing is running: every step taken, every handler returned. */
  async settle(): Promise<void> {
    await this.harness.runtime.idle();
  }

  async start(reference: string, machine: CompiledStateMachine = this.machine): Promise<void> {
    await startCaseReview(this.sfn, machine.arn, reference);
    await this.settle();
  }

  /** What the API does for a decision: record it, then hand it to the waiting task. */
  async decide(reference: string, decision: DecisionBody, actor: Actor): Promise<ActionResult> {
    const result = await recordAction(this.tables.data, reference, decision, actor, this.clock.now());
    if (result.outcome === 'recorded' || result.outcome === 'repeat') {
      await deliverPendingAction(this.tables.data, this.callbacks, reference);
    }
    await this.settle();
    return result;
  }

  /**
   * A progress note on an action of the case's plan, through the operation the API and the pages call,
   * by `staff` (an officer of the case's CSP unless given); then whatever it set off runs.
   */
  async progress(
    reference: string,
    actionId: string,
    body: { readonly status: 'in-progress' | 'done' | 'cannot-be-done'; readonly note: string },
    staff: StaffMember = OFFICER_STAFF,
  ): Promise<ProgressDone> {
    const done = await recordProgressNote(this.#operations(), reference, actionId, () => body, {
      kind: 'staff',
      staff,
    });
    await this.settle();
    return done;
  }

  /** The context the API's operations are given, with this workflow's engine and handlers' notifier. */
  #operations() {
    return {
      data: this.tables.data,
      area: this.deps.area,
      clock: this.deps.clock,
      notifier: this.deps.notifier,
      logger: this.deps.logger,
      metrics: this.deps.metrics,
      workflow: { stepFunctions: this.deps.stepFunctions, stateMachineArn: this.machine.arn },
    };
  }

  /**
   * The officer asks agencies for information through the operation the API and the pages call. It does
   * not wait for what it set off, so that a wrapped handler may call it: `settle()` does.
   */
  async ask(
    reference: string,
    body: { readonly agencies: readonly string[]; readonly dueBy: string; readonly message: string },
  ): Promise<ReviewStepDone> {
    return takeReviewStep(this.#operations(), reference, 'information-requests', () => body, {
      kind: 'staff',
      staff: OFFICER_STAFF,
    });
  }

  /** An agency's response, recorded by `staff` (the officer unless given); then whatever it set off runs. */
  async respond(
    reference: string,
    body: { readonly agency: string; readonly summary: string },
    staff: StaffMember = OFFICER_STAFF,
  ): Promise<ActionDone> {
    const done = await act(this.#operations(), reference, 'agency-responses', () => body, {
      kind: 'staff',
      staff,
    });
    await this.settle();
    return done;
  }

  /** Every open action of the case's current plan recorded as done, by the officer. */
  async finishActions(reference: string): Promise<void> {
    const view = await loadCaseView(this.tables.data, reference);
    const plan = view?.review.state.plans.find((each) => each.cycle === view.case.cycle);
    for (const action of plan?.actions ?? []) {
      if (action.status === 'done' || action.status === 'cannot-be-done') continue;
      await this.progress(reference, action.id, { status: 'done', note: 'Done.' });
    }
  }

  /** Moves the clock (and the handlers' time) on, then lets whatever fell due run. */
  async advanceTo(instant: string): Promise<void> {
    this.clock.set(instant);
    await this.harness.runtime.checkTimers();
    await this.settle();
  }

  async advance(millis: number): Promise<void> {
    await this.advanceTo(new Date(this.clock.now().getTime() + millis).toISOString());
  }

  async stage(reference: string) {
    return (await getCase(this.tables.data, reference))?.stage;
  }

  async execution(reference: string, machine: CompiledStateMachine = this.machine) {
    return this.sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArnOf(machine.arn, reference) }),
    );
  }

  async messages(reference?: string): Promise<OutboxMessage[]> {
    const all = await listOutbox(this.outbox);
    return reference === undefined ? all : all.filter((message) => message.to.reference === reference);
  }

  recount(year: string): Promise<Recount> {
    return recountYear(this.tables.data, AREA, year);
  }
}

/**
 * One case workflow for the whole test file, on tables of its own: opened before the first test (`opened`
 * hands the file its tables and workflow), its handlers unwrapped after each test so that a test's
 * wrapping stays its own, stopped after the last test.
 */
export function caseWorkflowPerFile(
  start: string,
  opened: (tables: TestTables, workflow: CaseWorkflow) => void,
): void {
  let tables: TestTables | undefined;
  let workflow: CaseWorkflow | undefined;
  beforeAll(async () => {
    tables = await startTestTables();
    workflow = await CaseWorkflow.open(tables, start);
    opened(tables, workflow);
  });
  afterEach(() => {
    workflow?.wrapHandlers((_name, handler) => handler);
  });
  afterAll(async () => {
    await workflow?.stop();
    await tables?.stop();
  });
}

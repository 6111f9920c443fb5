// Cases as the API sees them: submission (with its count), reads, worklists, the recording of
// decisions and agency responses, audit, and handing a recorded decision to the waiting workflow.
// What the workflow itself writes as a case moves is in case-progress.ts.
import { randomUUID } from 'node:crypto';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AreaConfig } from '#core/area-config.ts';
import {
  type Actor,
  type AgencyResponseRecord,
  type ApplicantRecord,
  type AuditEntry,
  type CaseRecord,
  cycleOfAction,
  type DecisionBody,
  type RecordedAction,
  relationToRecorded,
  type TimelineEvent,
  type WaitStep,
} from '#core/case-record.ts';
import { receivedCase } from '#core/case-transitions.ts';
import { reviewDateIssues, thresholdDecisionIssues } from '#core/decision-checks.ts';
import type { AgencyResponse, Application, Issue } from '#core/schemas.ts';
import { type CaseStage, isActionAllowed } from '#core/stages.ts';
import { canonicalHash } from '#data/canonical-hash.ts';
import {
  ACTION_PREFIX,
  AUDIT_PREFIX,
  actionKey,
  applicantKey,
  auditKey,
  CASE_SK,
  CLOSED_SORT,
  caseInternalsOf,
  caseItem,
  caseKey,
  casePk,
  caseRecordOf,
  EVENT_PREFIX,
  eventKey,
  INDEX_BY_CSP,
  INDEX_BY_CSP_STAGE,
  INDEX_BY_PCC,
  RESPONSE_PREFIX,
  recordOf,
  responseKey,
} from '#data/case-records.ts';
import type { DataContext } from '#data/clients.ts';
import { CaseNotFoundError, InvalidCursorError } from '#data/errors.ts';
import { queryAll } from '#data/paginated-reads.ts';
import { counterKey, yearMarkerKey } from '#data/statistics-keys.ts';
import type { TaskCallbacks } from '#data/task-callbacks.ts';
import {
  backOff,
  caseKeptChanging,
  isConditionFailure,
  isTransactionConflict,
  LOST_RACE,
  retryOnLostRace,
  transact,
} from '#data/transactions.ts';

export type { Actor, ApplicantRecord, AuditEntry, CaseRecord, DecisionBody, RecordedAction, TimelineEvent };

// ---- Submission ---------------------------------------------------------------------------------

export interface NewCase {
  /** From the API (e.g. `SEF-7K3M-Q9XD`); a taken one raises ReferenceTakenError. */
  readonly reference: string;
  /** SHA-256 (hex) of the access code, which is never stored. */
  readonly accessCodeHash: string;
  /** The validated application: its `channel` and `receivedAt` are set (the server's time online). */
  readonly application: Application;
  /** The applicant online, or the officer who entered a phone call, letter, email or visit. */
  readonly enteredBy: Actor;
  /** The server's clock: when the case is entered in the service. */
  readonly now: Date;
}

export class ReferenceTakenError extends Error {
  readonly reference: string;

  constructor(reference: string, options?: ErrorOptions) {
    super(`The reference ${reference} is already taken`, options);
    this.name = 'ReferenceTakenError';
    this.reference = reference;
  }
}

/**
 * The year markers this process has stored, by client then `table#area#year`. A marker never changes or
 * goes, so once written it need not be written again; a cold cache only writes one more item.
 */
const storedYearMarkers = new WeakMap<DataContext['db'], Set<string>>();

/**
 * Stores a new application, stage `received`, and counts it in `applicationsReceived` of the year of
 * receipt: in ONE transaction (case item, APPLICANT item, the counter, the year marker unless this
 * process has stored it already, and the first timeline event), so a case is never stored uncounted
 * or counted twice.
 * Throws ReferenceTakenError when the reference exists (generate another and call again).
 */
export async function createCase(ctx: DataContext, area: AreaConfig, input: NewCase): Promise<CaseRecord> {
  const { record, applicant, event: received } = receivedCase(area, input);
  const { reference } = record;
  const at = received.at;
  const year = record.reportingYear;
  const markers = storedYearMarkers.get(ctx.db) ?? new Set<string>();
  storedYearMarkers.set(ctx.db, markers);
  const marker = `${ctx.tables.statistics}#${area.id}#${year}`;
  const submission = new TransactWriteCommand({
    TransactItems: [
      {
        Put: {
          TableName: ctx.tables.cases,
          Item: caseItem(record, { accessCodeHash: input.accessCodeHash }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: ctx.tables.cases,
          Item: { ...applicantKey(reference), ...applicant },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: ctx.tables.statistics,
          Key: counterKey(area.id, year, record.csp, reference),
          UpdateExpression: 'ADD #column :one SET #changedAt = :now',
          ExpressionAttributeNames: { '#column': 'applicationsReceived', '#changedAt': 'changedAt' },
          ExpressionAttributeValues: { ':one': 1, ':now': at },
        },
      },
      { Put: { TableName: ctx.tables.cases, Item: { ...eventKey(reference, at, 'v1'), ...received } } },
      ...(markers.has(marker)
        ? []
        : [{ Put: { TableName: ctx.tables.statistics, Item: { ...yearMarkerKey(area.id, year), year } } }]),
    ],
  });
  return retryOnLostRace(async () => {
    try {
      await ctx.db.send(submission);
      markers.add(marker);
      return record;
    } catch (error) {
      if (isConditionFailure(error, 0)) throw new ReferenceTakenError(reference, { cause: error });
      // Submissions of a CSP and year share a few counter shards: concurrent ones may still conflict.
      if (isTransactionConflict(error)) return LOST_RACE;
      throw error;
    }
  }, caseKeptChanging(reference));
}

// ---- Reads --------------------------------------------------------------------------------------

/** The case item (no personal data), or undefined. Strongly consistent unless asked otherwise. */
export async function getCase(
  ctx: DataContext,
  reference: string,
  options: { readonly consistent?: boolean } = {},
): Promise<CaseRecord | undefined> {
  const { Item } = await ctx.db.send(
    new GetCommand({
      TableName: ctx.tables.cases,
      Key: caseKey(reference),
      ConsistentRead: options.consistent ?? true,
    }),
  );
  return Item ? caseRecordOf(Item) : undefined;
}

/** The case item and the hash of its access code, from one read: for the applicant's actions. */
export async function getCaseForAccess(
  ctx: DataContext,
  reference: string,
): Promise<{ readonly case: CaseRecord; readonly accessCodeHash: string } | undefined> {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: caseKey(reference), ConsistentRead: true }),
  );
  return Item
    ? { case: caseRecordOf(Item), accessCodeHash: caseInternalsOf(Item).accessCodeHash }
    : undefined;
}

/** The application's personal data, or undefined. */
export async function getApplicant(
  ctx: DataContext,
  reference: string,
): Promise<ApplicantRecord | undefined> {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: applicantKey(reference), ConsistentRead: true }),
  );
  return Item ? recordOf<ApplicantRecord>(Item) : undefined;
}

// BatchGetItem's limit of keys per request.
const BATCH_GET_KEYS = 100;

/** The items of `keys` (strongly consistent), a BatchGetItem per 100 keys, unprocessed keys asked again. */
async function batchGet(ctx: DataContext, keys: readonly Record<string, unknown>[]) {
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_KEYS) {
    let batch = keys.slice(start, start + BATCH_GET_KEYS);
    for (let attempt = 0; batch.length > 0; attempt += 1) {
      if (attempt > 0) await backOff(attempt - 1);
      const { Responses, UnprocessedKeys } = await ctx.db.send(
        new BatchGetCommand({ RequestItems: { [ctx.tables.cases]: { Keys: batch, ConsistentRead: true } } }),
      );
      items.push(...(Responses?.[ctx.tables.cases] ?? []));
      batch = UnprocessedKeys?.[ctx.tables.cases]?.Keys ?? [];
    }
  }
  return items;
}

/**
 * The personal data of several applications, in the order asked, leaving out those not found: a
 * BatchGetItem per 100, not a read each (route B may link many cases).
 */
export async function getApplicants(
  ctx: DataContext,
  references: readonly string[],
): Promise<ApplicantRecord[]> {
  const items = await batchGet(
    ctx,
    references.map((reference) => applicantKey(reference)),
  );
  const found = new Map(items.map((item) => [item.pk as string, recordOf<ApplicantRecord>(item)]));
  return references.flatMap((reference) => found.get(applicantKey(reference).pk) ?? []);
}

/** Several case items, in the order asked, leaving out those not found. */
export async function getCases(ctx: DataContext, references: readonly string[]): Promise<CaseRecord[]> {
  const items = await batchGet(
    ctx,
    references.map((reference) => caseKey(reference)),
  );
  const found = new Map(items.map((item) => [item.pk as string, caseRecordOf(item)]));
  return references.flatMap((reference) => found.get(casePk(reference)) ?? []);
}

/** Everything stored about one case, from one Query. */
export interface CaseView {
  readonly case: CaseRecord;
  readonly applicant: ApplicantRecord;
  /** Oldest first. */
  readonly timeline: readonly TimelineEvent[];
  /** Oldest first. */
  readonly audit: readonly AuditEntry[];
  readonly responses: readonly AgencyResponseRecord[];
  readonly actions: readonly RecordedAction[];
  /** For `accessCodeMatches` (functions/api/case-identifiers.ts); never show it. */
  readonly accessCodeHash: string;
}

/** The case, its applicant, timeline, audit trail, agency responses and recorded actions; undefined when unknown. */
export async function loadCaseView(ctx: DataContext, reference: string): Promise<CaseView | undefined> {
  const items = await queryAll(ctx, {
    TableName: ctx.tables.cases,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': casePk(reference) },
    ConsistentRead: true,
  });
  const caseItemFound = items.find((item) => item.sk === CASE_SK);
  const applicantItem = items.find((item) => item.sk === 'APPLICANT');
  if (caseItemFound === undefined || applicantItem === undefined) return undefined;
  const withPrefix = <T>(prefix: string) =>
    items.filter((item) => String(item.sk).startsWith(prefix)).map((item) => recordOf<T>(item));
  return {
    case: caseRecordOf(caseItemFound),
    applicant: recordOf<ApplicantRecord>(applicantItem),
    timeline: withPrefix<TimelineEvent>(EVENT_PREFIX),
    audit: withPrefix<AuditEntry>(AUDIT_PREFIX),
    responses: withPrefix<AgencyResponseRecord>(RESPONSE_PREFIX),
    actions: withPrefix<RecordedAction>(ACTION_PREFIX),
    accessCodeHash: caseInternalsOf(caseItemFound).accessCodeHash,
  };
}

/** A case as the search for linkable cases reads it from the worklist index. */
export interface CaseSummary {
  readonly reference: string;
  readonly stage: CaseStage;
  readonly receivedAt: string;
  /** First and last day an incident happened. */
  readonly incidentDates: { readonly from: string; readonly to: string };
}

/**
 * The CSP's open cases and those closed since `closedSince` (an ISO instant): two Queries of the
 * worklist index, never a scan. The index is eventually consistent: a case entered a moment ago may
 * be missing.
 */
export async function cspCases(ctx: DataContext, csp: string, closedSince: string): Promise<CaseSummary[]> {
  const query = (condition: string, values: Record<string, string>) =>
    queryAll(ctx, {
      TableName: ctx.tables.cases,
      IndexName: INDEX_BY_CSP,
      KeyConditionExpression: `#csp = :csp AND ${condition}`,
      ProjectionExpression: '#reference, #stage, receivedAt, incidentDates',
      ExpressionAttributeNames: { '#csp': 'csp', '#reference': 'reference', '#stage': 'stage' },
      ExpressionAttributeValues: { ':csp': csp, ...values },
    });
  const items = [
    ...(await query('deadlineKey < :closed', { ':closed': CLOSED_SORT })),
    ...(await query('deadlineKey BETWEEN :from AND :to', {
      ':from': `${CLOSED_SORT}#${closedSince}`,
      ':to': `${CLOSED_SORT}#~`,
    })),
  ];
  return items.map((item) => ({
    reference: item.reference as string,
    stage: item.stage as CaseStage,
    receivedAt: item.receivedAt as string,
    incidentDates: item.incidentDates as CaseSummary['incidentDates'],
  }));
}

/** The human step the case's workflow waits on now, with its task token; undefined when the case is unknown. */
export interface WaitingTask {
  readonly stage: CaseStage;
  readonly cycle: number;
  readonly waitingFor: WaitStep | null;
  readonly taskToken: string | null;
}

export async function getWaitingTask(ctx: DataContext, reference: string): Promise<WaitingTask | undefined> {
  const { Item } = await ctx.db.send(
    new GetCommand({
      TableName: ctx.tables.cases,
      Key: caseKey(reference),
      ConsistentRead: true,
      ProjectionExpression: '#stage, #cycle, waitingFor, taskToken',
      ExpressionAttributeNames: { '#stage': 'stage', '#cycle': 'cycle' },
    }),
  );
  if (!Item) return undefined;
  return {
    stage: Item.stage as CaseStage,
    cycle: Item.cycle as number,
    waitingFor: (Item.waitingFor as WaitStep | undefined) ?? null,
    taskToken: (Item.taskToken as string | undefined) ?? null,
  };
}

// ---- Worklists ----------------------------------------------------------------------------------

/** Whose worklist: an officer's CSP, an agency's cases shared with it in its CSP, or the PCC's referrals. */
export type WorklistScope =
  | { readonly kind: 'csp'; readonly csp: string }
  | { readonly kind: 'agency'; readonly csp: string; readonly agency: string }
  | { readonly kind: 'pcc'; readonly pccArea: string };

export interface WorklistQuery {
  readonly scope: WorklistScope;
  /** Only cases at this stage; without it, every open case. `closed` lists closed cases, last closed last. */
  readonly stage?: CaseStage;
  readonly limit: number;
  /** The `lastEvaluatedKey` of the previous page. A key the query did not issue raises InvalidCursorError. */
  readonly startKey?: Record<string, unknown>;
}

export interface WorklistEntry {
  readonly reference: string;
  readonly csp: string;
  readonly stage: CaseStage;
  readonly receivedAt: string;
  /** Null for a closed case. */
  readonly nextDeadline: string | null;
  /** Its workflow stopped while it was open and the reconciler resumed it (data/case-attention.ts). */
  readonly needsAttention: boolean;
}

export interface WorklistPage {
  /** Oldest deadline first. An agency's page may hold fewer than `limit` even when more follow. */
  readonly cases: readonly WorklistEntry[];
  readonly lastEvaluatedKey?: Record<string, unknown>;
}

export async function queryWorklist(ctx: DataContext, query: WorklistQuery): Promise<WorklistPage> {
  const { scope, stage } = query;
  const names: Record<string, string> = {
    '#stage': 'stage',
    '#reference': 'reference',
    '#csp': 'csp',
    '#receivedAt': 'receivedAt',
    '#nextDeadline': 'nextDeadline',
    '#needsAttention': 'needsAttention',
  };
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  let index: string;
  let keyCondition: string;
  if (scope.kind === 'pcc') {
    index = INDEX_BY_PCC;
    keyCondition = 'pccQueue = :partition';
    values[':partition'] = scope.pccArea;
    if (stage === undefined) {
      keyCondition += ' AND deadlineKey < :closed';
      values[':closed'] = CLOSED_SORT;
    } else {
      filters.push('#stage = :stage');
      values[':stage'] = stage;
    }
  } else if (stage === undefined) {
    index = INDEX_BY_CSP;
    keyCondition = '#csp = :partition AND deadlineKey < :closed';
    values[':partition'] = scope.csp;
    values[':closed'] = CLOSED_SORT;
  } else {
    index = INDEX_BY_CSP_STAGE;
    keyCondition = 'cspStage = :partition';
    values[':partition'] = `${scope.csp}#${stage}`;
  }
  if (scope.kind === 'agency') {
    filters.push('contains(sharedWith, :agency)');
    values[':agency'] = scope.agency;
  }
  try {
    const page = await ctx.db.send(
      new QueryCommand({
        TableName: ctx.tables.cases,
        IndexName: index,
        KeyConditionExpression: keyCondition,
        ...(filters.length > 0 && { FilterExpression: filters.join(' AND ') }),
        ProjectionExpression: '#reference, #csp, #stage, #receivedAt, #nextDeadline, #needsAttention',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: query.limit,
        ExclusiveStartKey: query.startKey,
      }),
    );
    return {
      cases: (page.Items ?? []).map((item) => ({
        reference: item.reference as string,
        csp: item.csp as string,
        stage: item.stage as CaseStage,
        receivedAt: item.receivedAt as string,
        nextDeadline: (item.stage === 'closed' ? null : (item.nextDeadline as string | null)) ?? null,
        needsAttention: typeof item.needsAttention === 'object' && item.needsAttention !== null,
      })),
      ...(page.LastEvaluatedKey && { lastEvaluatedKey: page.LastEvaluatedKey }),
    };
  } catch (error) {
    if (query.startKey !== undefined && isValidationError(error))
      throw new InvalidCursorError({ cause: error });
    throw error;
  }
}

function isValidationError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationException';
}

// ---- Decisions and responses --------------------------------------------------------------------

/**
 * - `recorded`: stored, for the workflow to apply (deliver it: `deliverPendingAction`);
 * - `repeat`: the same body was already recorded (a harmless repeat: 200, nothing changes);
 * - `different`: another body was already recorded for this step (409);
 * - `wrong-stage`: the case is not at a stage where the action is possible (409);
 * - `invalid`: the decision does not fit the case (`issues`, a 400), e.g. a review held before the
 *   application was received.
 * `stage` is the case's stage as read.
 */
export type ActionResult =
  | { readonly outcome: 'recorded' | 'repeat' | 'different' | 'wrong-stage'; readonly stage: CaseStage }
  | { readonly outcome: 'invalid'; readonly stage: CaseStage; readonly issues: readonly Issue[] };

/** What a decision must agree with in the case as it stands (core/decision-checks.ts). */
function decisionIssues(decision: DecisionBody, current: CaseRecord): Issue[] {
  switch (decision.kind) {
    case 'threshold-decision':
      return thresholdDecisionIssues(decision.body, current.thresholdAssessment);
    case 'review-outcome':
      return reviewDateIssues(decision.body.heldOn, {
        receivedAt: current.receivedAt,
        ...(current.pccDecision?.outcome === 'refer-back' && { referredBackAt: current.pccDecision.at }),
      });
    default:
      return [];
  }
}

/**
 * Records a decision (threshold decision, review outcome, referral request, PCC decision) or a
 * withdrawal, with its audit entry, in one transaction conditional on the case's stage and review
 * cycle. The workflow applies it when its wait receives it. A repeat of one that took effect, in this
 * review cycle or the one before a refer-back, records nothing (`relationToRecorded`). Throws
 * CaseNotFoundError.
 */
export async function recordAction(
  ctx: DataContext,
  reference: string,
  decision: DecisionBody,
  actor: Actor,
  now: Date,
): Promise<ActionResult> {
  const hash = canonicalHash(decision.body);
  return retryOnLostRace(async (): Promise<ActionResult | typeof LOST_RACE> => {
    const current = await getCase(ctx, reference);
    if (current === undefined) throw new CaseNotFoundError(reference);
    const cycle = cycleOfAction(decision.kind, current.cycle);
    const relation = relationToRecorded(
      decision.kind,
      hash,
      current.cycle,
      await recordedActions(ctx, reference),
    );
    if (relation !== 'new') return { outcome: relation, stage: current.stage };
    if (!isActionAllowed(decision.kind, current.stage))
      return { outcome: 'wrong-stage', stage: current.stage };
    const issues = decisionIssues(decision, current);
    if (issues.length > 0) return { outcome: 'invalid', stage: current.stage, issues };
    const at = now.toISOString();
    const action: RecordedAction = { ...decision, cycle, bodyHash: hash, actor, recordedAt: at };
    const written = await transact(ctx, [
      stageCheck(ctx, reference, current),
      {
        Put: {
          TableName: ctx.tables.cases,
          Item: { ...actionKey(reference, decision.kind, cycle), ...action },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(ctx, reference, { at, actor, what: decision.kind }),
    ]);
    return written ? { outcome: 'recorded', stage: current.stage } : LOST_RACE;
  }, caseKeptChanging(reference));
}

/** Every action recorded on the case, in every cycle, read strongly consistently. */
async function recordedActions(ctx: DataContext, reference: string): Promise<RecordedAction[]> {
  const items = await queryAll(ctx, {
    TableName: ctx.tables.cases,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': casePk(reference), ':prefix': ACTION_PREFIX },
    ConsistentRead: true,
  });
  return items.map((item) => recordOf<RecordedAction>(item));
}

/** The case is still at the stage and cycle read: if it moved on in between, the write is refused and retried. */
function stageCheck(ctx: DataContext, reference: string, current: CaseRecord) {
  return {
    ConditionCheck: {
      TableName: ctx.tables.cases,
      Key: caseKey(reference),
      ConditionExpression: '#stage = :stage AND #cycle = :cycle',
      ExpressionAttributeNames: { '#stage': 'stage', '#cycle': 'cycle' },
      ExpressionAttributeValues: { ':stage': current.stage, ':cycle': current.cycle },
    },
  };
}

function auditPut(ctx: DataContext, reference: string, entry: AuditEntry, expiresAt?: number | null) {
  return {
    Put: {
      TableName: ctx.tables.cases,
      Item: {
        ...auditKey(reference, entry.at, randomUUID().slice(0, 8)),
        ...entry,
        ...(expiresAt != null && { expiresAt }),
      },
    },
  };
}

/**
 * Records what an agency knew and did, while the case awaits its review: one response per agency per
 * review cycle (the same body again is a `repeat`, another body `different`). Shown to staff only.
 */
export async function recordAgencyResponse(
  ctx: DataContext,
  reference: string,
  response: AgencyResponse,
  actor: Actor,
  now: Date,
): Promise<ActionResult> {
  const hash = canonicalHash(response);
  return retryOnLostRace(async (): Promise<ActionResult | typeof LOST_RACE> => {
    const current = await getCase(ctx, reference);
    if (current === undefined) throw new CaseNotFoundError(reference);
    const key = responseKey(reference, response.agency, current.cycle);
    const { Item: existing } = await ctx.db.send(
      new GetCommand({ TableName: ctx.tables.cases, Key: key, ConsistentRead: true }),
    );
    if (existing !== undefined) {
      return { outcome: existing.bodyHash === hash ? 'repeat' : 'different', stage: current.stage };
    }
    if (!isActionAllowed('agency-responses', current.stage)) {
      return { outcome: 'wrong-stage', stage: current.stage };
    }
    const at = now.toISOString();
    const record: AgencyResponseRecord = { ...response, at, cycle: current.cycle, by: actor };
    const event: TimelineEvent = {
      at,
      type: 'agency-response',
      summary: `${AGENCY_NAMES[response.agency] ?? response.agency} shared what they knew and did`,
      actor,
      audience: 'staff',
    };
    const written = await transact(ctx, [
      stageCheck(ctx, reference, current),
      {
        Put: {
          TableName: ctx.tables.cases,
          Item: { ...key, ...record, bodyHash: hash },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: ctx.tables.cases,
          Item: { ...eventKey(reference, at, `response-${response.agency}-${current.cycle}`), ...event },
        },
      },
      auditPut(ctx, reference, { at, actor, what: 'agency-responses' }),
    ]);
    return written ? { outcome: 'recorded', stage: current.stage } : LOST_RACE;
  }, caseKeptChanging(reference));
}

const AGENCY_NAMES: Readonly<Record<string, string>> = {
  police: 'The police',
  council: 'The council',
  'housing-provider': 'The housing provider',
  health: 'The health service',
};

/**
 * Adds an entry to the case's audit trail (every staff read of a case). Pass the case's `expiresAt`
 * so that an entry written after closure is deleted with the rest of the case.
 */
export async function recordAudit(
  ctx: DataContext,
  reference: string,
  entry: AuditEntry,
  expiresAt?: number | null,
): Promise<void> {
  await ctx.db.send(new PutCommand(auditPut(ctx, reference, entry, expiresAt).Put));
}

// ---- Handing a decision to the workflow ---------------------------------------------------------

export type Delivery = 'delivered' | 'nothing-to-deliver' | 'not-waiting' | 'left-to-workflow';

/**
 * Completes the case's current wait with the decision recorded for it, if any: a withdrawal as the
 * task failure `Withdrawn` (caught at every wait), otherwise the decision of the step waited on as
 * `{"action": "<step>"}` (no personal data enters the workflow). When the token has gone meanwhile
 * (the wait timed out and is being registered again), it re-reads a few times; the workflow's
 * RegisterTask delivers anyway, so `left-to-workflow` is not a failure.
 *
 * `wait` is for RegisterTask, which knows its own token and step before the case item shows them.
 */
export async function deliverPendingAction(
  ctx: DataContext,
  callbacks: TaskCallbacks,
  reference: string,
  wait?: { readonly token: string; readonly step: WaitStep; readonly cycle: number },
): Promise<Delivery> {
  return retryOnLostRace(
    async (): Promise<Delivery | typeof LOST_RACE> => {
      const task = wait ?? (await currentWait(ctx, reference));
      if (task === undefined) return 'not-waiting';
      const pending = await pendingActions(ctx, reference);
      const withdrawal = pending.find((action) => action.kind === 'withdraw');
      const decision = pending.find((action) => action.kind === task.step && action.cycle === task.cycle);
      let sent: boolean;
      if (withdrawal !== undefined) {
        sent = await callbacks.fail(task.token, 'Withdrawn', `withdrawn by ${withdrawal.actor.role}`);
      } else if (decision !== undefined) {
        sent = await callbacks.succeed(task.token, { action: decision.kind });
      } else {
        return 'nothing-to-deliver';
      }
      if (sent) return 'delivered';
      // The token has gone: read the case's wait again, unless it was given (RegisterTask's own).
      return wait === undefined ? LOST_RACE : 'left-to-workflow';
    },
    () => 'left-to-workflow',
  );
}

async function currentWait(
  ctx: DataContext,
  reference: string,
): Promise<{ token: string; step: WaitStep; cycle: number } | undefined> {
  const task = await getWaitingTask(ctx, reference);
  if (task === undefined) throw new CaseNotFoundError(reference);
  if (task.taskToken === null || task.waitingFor === null) return undefined;
  return { token: task.taskToken, step: task.waitingFor, cycle: task.cycle };
}

/** Recorded actions the workflow has not applied yet. */
export async function pendingActions(ctx: DataContext, reference: string): Promise<RecordedAction[]> {
  return (await recordedActions(ctx, reference)).filter((action) => action.appliedAt === undefined);
}

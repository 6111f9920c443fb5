// Where the local Step Functions engine keeps everything that must survive a restart: one
// DynamoDB table holding executions, their history (one chunk item per stored run) and task tokens.
// Each run (from the record stored last to its next wait, see runtime.ts) is written in ONE
// TransactWriteItems conditional on the record's version, so it is either wholly stored or not at
// all, and a stale writer cannot overwrite.
//
// Table layout (pk, sk are strings):
//   EXECUTION#<executionArn> / EXECUTION       the record (JSON), its version, and list attributes
//   EXECUTION#<executionArn> / HISTORY#<id>    events of one stored run (JSON), <id> = first event id,
//                                               runStart = the startDate of the execution they belong to
//   TOKEN#<taskToken>        / TOKEN           executionArn, pendingId, status OPEN | CLOSED
// Indexes, all fed by execution items only:
//   byStateMachine  stateMachineArn / listKey (startDate#name)  ListExecutions, newest first
//   byStatus        statusKey (stateMachineArn#status) / listKey ListExecutions by status; resume
//   byDue           dueShard (sparse, RUNNING only) / dueAt       the next timer to arm; due timers

import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  TransactionCanceledException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { documentClientOf } from '#clients/dynamodb.ts';
import { nextDeadline } from './deadlines.ts';
import { InvalidToken } from './errors.ts';
import type {
  Advance,
  CallbackPending,
  ExecutionRecord,
  ExecutionStatus,
  HistoryEvent,
  Pending,
} from './model.ts';

const EXECUTION_PREFIX = 'EXECUTION#';
const EXECUTION_SK = 'EXECUTION';
const HISTORY_PREFIX = 'HISTORY#';
// Sorts after every `HISTORY#<digits>` key.
const HISTORY_END = 'HISTORY#~';
const TOKEN_PREFIX = 'TOKEN#';
const TOKEN_SK = 'TOKEN';
const DUE_SHARD = 'DUE';
const BY_STATE_MACHINE = 'byStateMachine';
const BY_STATUS = 'byStatus';
const BY_DUE = 'byDue';
// DynamoDB's item limit is 400 KB; a chunk this size leaves room for keys and attribute names.
const MAX_CHUNK_BYTES = 300_000;
// DynamoDB's limit on a partition key value.
const MAX_PARTITION_KEY_BYTES = 2048;
const HISTORY_PAGE_CHUNKS = 25;

export interface StoredExecution {
  record: ExecutionRecord;
  /** Optimistic lock: the number of writes stored so far. */
  version: number;
}

export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
}

export interface TaskTokenItem {
  executionArn: string;
  pendingId: string;
  status: 'OPEN' | 'CLOSED';
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `after` for the next page. Absent on the last page. */
  next?: string;
}

export class StoreError extends Error {
  override name = 'StoreError';
}

/** Another writer stored this execution first (a second runtime on the table, or a stale cache). */
export class VersionConflict extends StoreError {
  override name = 'VersionConflict';
}

/** StartExecution's name is taken: an execution with this ARN is already stored. */
export class ExecutionExists extends StoreError {
  override name = 'ExecutionExists';
}

export class ExecutionStore {
  readonly tableName: string;
  readonly #client: DynamoDBClient;
  readonly #documents: DynamoDBDocumentClient;

  constructor(client: DynamoDBClient, tableName: string) {
    this.tableName = tableName;
    this.#client = client;
    this.#documents = documentClientOf(client);
  }

  /** Creates the table and its indexes unless they exist; safe to call from every start. */
  async ensureTable(): Promise<void> {
    const listAttributes = ['executionArn', 'name', 'status', 'startDate', 'stopDate'];
    try {
      await this.#client.send(
        new CreateTableCommand({
          TableName: this.tableName,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'stateMachineArn', AttributeType: 'S' },
            { AttributeName: 'statusKey', AttributeType: 'S' },
            { AttributeName: 'listKey', AttributeType: 'S' },
            { AttributeName: 'dueShard', AttributeType: 'S' },
            { AttributeName: 'dueAt', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: BY_STATE_MACHINE,
              KeySchema: [
                { AttributeName: 'stateMachineArn', KeyType: 'HASH' },
                { AttributeName: 'listKey', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: listAttributes },
            },
            {
              IndexName: BY_STATUS,
              KeySchema: [
                { AttributeName: 'statusKey', KeyType: 'HASH' },
                { AttributeName: 'listKey', KeyType: 'RANGE' },
              ],
              Projection: {
                ProjectionType: 'INCLUDE',
                NonKeyAttributes: [...listAttributes, 'stateMachineArn'],
              },
            },
            {
              IndexName: BY_DUE,
              KeySchema: [
                { AttributeName: 'dueShard', KeyType: 'HASH' },
                { AttributeName: 'dueAt', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client: this.#client, maxWaitTime: 60 }, { TableName: this.tableName });
  }

  async getExecution(executionArn: string): Promise<StoredExecution | undefined> {
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: EXECUTION_PREFIX + executionArn, sk: EXECUTION_SK },
        ProjectionExpression: 'version, #record',
        ExpressionAttributeNames: { '#record': 'record' },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return { record: JSON.parse(Item.record as string) as ExecutionRecord, version: Item.version as number };
  }

  /** Stores a new execution with its first advance; ExecutionExists if the ARN is taken. */
  async createExecution(advance: Advance): Promise<StoredExecution> {
    try {
      return await this.#write(undefined, advance);
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ExecutionExists(`${advance.execution.executionArn} exists`, { cause: error });
      }
      throw error;
    }
  }

  /**
   * Stores what `previous` became (the events since, in `advance`), with the tokens of the callback
   * tasks begun since; VersionConflict if someone else stored it first.
   */
  async saveAdvance(
    previous: StoredExecution,
    advance: Advance,
    callbacks: readonly CallbackPending[] = [],
  ): Promise<StoredExecution> {
    try {
      return await this.#write(previous, advance, callbacks);
    } catch (error) {
      if (isConditionFailure(error)) {
        const message = `${previous.record.executionArn} changed after version ${previous.version}`;
        throw new VersionConflict(message, { cause: error });
      }
      throw error;
    }
  }

  /**
   * Stores a new execution in the place of `previous`, a closed one whose name may be used again:
   * its history goes first, then the record is replaced; VersionConflict if `previous` changed.
   * A crash in between leaves `previous` without its history, which AWS no longer keeps either.
   */
  async replaceExecution(previous: StoredExecution, advance: Advance): Promise<StoredExecution> {
    const pk = EXECUTION_PREFIX + previous.record.executionArn;
    const chunks = await this.#queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
      ExpressionAttributeValues: { ':pk': pk, ':low': HISTORY_PREFIX, ':high': HISTORY_END },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    for (const { sk } of chunks) {
      try {
        // Only the previous execution's chunks: a writer that replaced it first keeps its own.
        await this.#documents.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk, sk },
            ConditionExpression: 'attribute_not_exists(runStart) OR runStart = :runStart',
            ExpressionAttributeValues: { ':runStart': previous.record.startDate },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return this.saveAdvance(previous, advance);
  }

  async #write(
    previous: StoredExecution | undefined,
    advance: Advance,
    callbacks: readonly CallbackPending[] = [],
  ): Promise<StoredExecution> {
    const record = advance.execution;
    const version = (previous?.version ?? 0) + 1;
    const pk = EXECUTION_PREFIX + record.executionArn;
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      {
        Put: {
          TableName: this.tableName,
          Item: executionItem(record, version),
          ...(previous
            ? {
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': previous.version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
    ];
    for (const chunk of historyChunks(advance.events)) {
      items.push({ Put: { TableName: this.tableName, Item: { pk, runStart: record.startDate, ...chunk } } });
    }
    const before = previous?.record.pending ?? null;
    for (const item of tokenItems(before, record.pending, callbacks, record.executionArn)) {
      items.push({ Put: { TableName: this.tableName, Item: item } });
    }
    await this.#documents.send(new TransactWriteCommand({ TransactItems: items }));
    return { record, version };
  }

  async getTaskToken(token: string): Promise<TaskTokenItem | undefined> {
    // No token issued here is this long (they have 43 characters); DynamoDB could not look it up.
    if (Buffer.byteLength(TOKEN_PREFIX + token) > MAX_PARTITION_KEY_BYTES) return undefined;
    const { Item } = await this.#documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: TOKEN_PREFIX + token, sk: TOKEN_SK },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      executionArn: Item.executionArn as string,
      pendingId: Item.pendingId as string,
      status: Item.status as TaskTokenItem['status'],
    };
  }

  /** Executions of a state machine, newest first. */
  async listExecutions(
    stateMachineArn: string,
    options: { status?: ExecutionStatus; limit: number; after?: string },
  ): Promise<Page<ExecutionSummary>> {
    const [indexName, hashName, hashValue] = options.status
      ? [BY_STATUS, 'statusKey', statusKey(stateMachineArn, options.status)]
      : [BY_STATE_MACHINE, 'stateMachineArn', stateMachineArn];
    const start = options.after === undefined ? undefined : decodeCursor(options.after);
    if (start && !isListCursor(start, hashName, hashValue)) {
      throw new InvalidToken('The nextToken does not belong to this listing.');
    }
    const found: Record<string, unknown>[] = [];
    let exclusiveStartKey = start;
    // One more than asked shows whether another page exists, so the last page never carries a token.
    while (found.length <= options.limit) {
      const { Items = [], LastEvaluatedKey } = await this.#documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: indexName,
          KeyConditionExpression: '#hash = :hash',
          ExpressionAttributeNames: { '#hash': hashName },
          ExpressionAttributeValues: { ':hash': hashValue },
          ScanIndexForward: false,
          Limit: options.limit + 1 - found.length,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      found.push(...Items);
      if (!LastEvaluatedKey) break;
      exclusiveStartKey = LastEvaluatedKey;
    }
    const items = found.slice(0, options.limit);
    const last = items.at(-1);
    const page: Page<ExecutionSummary> = {
      items: items.map((item) => ({
        executionArn: item.executionArn as string,
        stateMachineArn,
        name: item.name as string,
        status: item.status as ExecutionStatus,
        startDate: item.startDate as string,
        ...(item.stopDate ? { stopDate: item.stopDate as string } : {}),
      })),
    };
    if (found.length > options.limit && last) {
      page.next = encodeCursor({ pk: last.pk, sk: last.sk, [hashName]: hashValue, listKey: last.listKey });
    }
    return page;
  }

  /** ARNs of the state machine's RUNNING executions. */
  async runningExecutionArns(stateMachineArn: string): Promise<string[]> {
    const items = await this.#queryAll({
      TableName: this.tableName,
      IndexName: BY_STATUS,
      KeyConditionExpression: 'statusKey = :key',
      ExpressionAttributeValues: { ':key': statusKey(stateMachineArn, 'RUNNING') },
      ProjectionExpression: 'executionArn',
    });
    return items.map((item) => item.executionArn as string);
  }

  /** ARNs of RUNNING executions with a deadline at or before `now`. */
  async dueExecutionArns(now: Date): Promise<string[]> {
    const items = await this.#queryAll({
      TableName: this.tableName,
      IndexName: BY_DUE,
      KeyConditionExpression: 'dueShard = :shard AND dueAt <= :now',
      ExpressionAttributeValues: { ':shard': DUE_SHARD, ':now': now.toISOString() },
    });
    return items.map((item) => (item.pk as string).slice(EXECUTION_PREFIX.length));
  }

  /** The earliest deadline of any RUNNING execution after `now`. */
  async nextDeadlineAfter(now: Date): Promise<Date | undefined> {
    const { Items = [] } = await this.#documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_DUE,
        KeyConditionExpression: 'dueShard = :shard AND dueAt > :now',
        ExpressionAttributeValues: { ':shard': DUE_SHARD, ':now': now.toISOString() },
        Limit: 1,
      }),
    );
    const first = Items[0];
    return first ? new Date(first.dueAt as string) : undefined;
  }

  /** Up to `limit` history events in id order (or reversed), from where `after` left off. */
  async readHistory(
    executionArn: string,
    options: { reverse: boolean; limit: number; after?: string },
  ): Promise<Page<HistoryEvent>> {
    const cursor = options.after === undefined ? undefined : decodeCursor(options.after);
    if (cursor && (typeof cursor.chunk !== 'string' || typeof cursor.event !== 'number')) {
      throw new InvalidToken('The nextToken is not a history token.');
    }
    const from = cursor?.chunk as string | undefined;
    const resumeAt = cursor?.event as number | undefined;
    const events: HistoryEvent[] = [];
    let next: string | undefined;
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.#documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
          ExpressionAttributeValues: {
            ':pk': EXECUTION_PREFIX + executionArn,
            ':low': options.reverse ? HISTORY_PREFIX : (from ?? HISTORY_PREFIX),
            ':high': options.reverse ? (from ?? HISTORY_END) : HISTORY_END,
          },
          ScanIndexForward: !options.reverse,
          ConsistentRead: true,
          Limit: HISTORY_PAGE_CHUNKS,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      for (const chunk of Items) {
        const chunkEvents = JSON.parse(chunk.events as string) as HistoryEvent[];
        if (options.reverse) chunkEvents.reverse();
        for (const event of chunkEvents) {
          if (resumeAt !== undefined && (options.reverse ? event.id > resumeAt : event.id < resumeAt))
            continue;
          if (events.length === options.limit) {
            next = encodeCursor({ chunk: chunk.sk, event: event.id });
            return { items: events, next };
          }
          events.push(event);
        }
      }
      exclusiveStartKey = LastEvaluatedKey;
    } while (exclusiveStartKey);
    return { items: events };
  }

  async #queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.#documents.send(
        new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStartKey }),
      );
      items.push(...Items);
      exclusiveStartKey = LastEvaluatedKey;
    } while (exclusiveStartKey);
    return items;
  }
}

function executionItem(record: ExecutionRecord, version: number): Record<string, unknown> {
  const deadline = nextDeadline(record);
  return {
    pk: EXECUTION_PREFIX + record.executionArn,
    sk: EXECUTION_SK,
    version,
    record: JSON.stringify(record),
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: record.startDate,
    stopDate: record.stopDate,
    listKey: `${new Date(record.startDate).toISOString()}#${record.name}`,
    statusKey: statusKey(record.stateMachineArn, record.status),
    ...(deadline ? { dueShard: DUE_SHARD, dueAt: deadline.toISOString() } : {}),
  };
}

function statusKey(stateMachineArn: string, status: ExecutionStatus): string {
  return `${stateMachineArn}#${status}`;
}

/** The advance's events as chunk items, split only when one would outgrow a DynamoDB item. */
function historyChunks(events: HistoryEvent[]): Record<string, unknown>[] {
  const chunks: Record<string, unknown>[] = [];
  let current: HistoryEvent[] = [];
  let bytes = 0;
  const flush = () => {
    const first = current[0];
    const last = current.at(-1);
    if (!first || !last) return;
    chunks.push({
      sk: HISTORY_PREFIX + String(first.id).padStart(12, '0'),
      first: first.id,
      last: last.id,
      events: JSON.stringify(current),
    });
    current = [];
    bytes = 0;
  };
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event));
    if (current.length > 0 && bytes + size > MAX_CHUNK_BYTES) flush();
    current.push(event);
    bytes += size + 1;
  }
  flush();
  return chunks;
}

/**
 * Token items to write when the pending step changes: the new token OPEN, and CLOSED the one `before`
 * waited on and any other that a run began and ended before it was stored.
 */
function tokenItems(
  before: Pending | null,
  after: Pending | null,
  begun: readonly CallbackPending[],
  executionArn: string,
): Record<string, unknown>[] {
  const opened = after?.kind === 'callback' ? after : undefined;
  const closed = before?.kind === 'callback' ? before : undefined;
  if (opened?.token === closed?.token && begun.every((callback) => callback.token === opened?.token))
    return [];
  const items = new Map<string, Record<string, unknown>>();
  for (const callback of [...(closed ? [closed] : []), ...begun]) {
    if (callback.token !== opened?.token) {
      items.set(callback.token, tokenItem(callback.token, executionArn, callback.id, 'CLOSED'));
    }
  }
  if (opened && opened.token !== closed?.token) {
    items.set(opened.token, tokenItem(opened.token, executionArn, opened.id, 'OPEN'));
  }
  return [...items.values()];
}

function tokenItem(token: string, executionArn: string, pendingId: string, status: TaskTokenItem['status']) {
  return { pk: TOKEN_PREFIX + token, sk: TOKEN_SK, executionArn, pendingId, status };
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed')
  );
}

function isListCursor(cursor: Record<string, unknown>, hashName: string, hashValue: string): boolean {
  const names = Object.keys(cursor).sort();
  const expected = ['listKey', 'pk', 'sk', hashName].sort();
  return (
    cursor[hashName] === hashValue &&
    names.length === expected.length &&
    names.every((name, index) => name === expected[index] && typeof cursor[name] === 'string')
  );
}

function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor(token: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the same answer as any other token we did not issue.
  }
  throw new InvalidToken('The nextToken is not valid.');
}

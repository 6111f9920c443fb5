// The evidence files of a case: one item per file in the case's partition (`EVIDENCE#<id>`, the id a
// random UUID: nothing personal in a key), holding what the case view lists (name, type, size, who added
// it and when, the verdict) and where its objects are; and the case's count of files (`EVIDENCE`), which
// the files are added against in one transaction so that no race passes the limit of 30.

import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '#core/case-access.ts';
import type { AuditEntry, TimelineEvent } from '#core/case-record.ts';
import { InvalidInputError } from '#core/errors.ts';
import {
  abandonedBefore,
  type EvidenceType,
  type EvidenceVerdict,
  isAbandonedUpload,
  MAX_FILES_PER_CASE,
} from '#core/evidence-files.ts';
import { casePk } from '#data/case-items.ts';
import { auditPut, eventPut } from '#data/case-timeline.ts';
import type { DataContext } from '#data/data-context.ts';
import { queryAll } from '#data/paginated-reads.ts';
import {
  caseKeptChanging,
  isConditionFailure,
  isTransactionConflict,
  LOST_RACE,
  retryOnLostRace,
  writeIf,
} from '#data/transactions.ts';

const EVIDENCE_PREFIX = 'EVIDENCE#';
const COUNT_SK = 'EVIDENCE';

const evidenceKey = (reference: string, id: string) => ({
  pk: casePk(reference),
  sk: `${EVIDENCE_PREFIX}${id}`,
});

/** Where a file's objects are kept: as uploaded, and the cleaned copy that alone is ever served. */
export const uploadObjectKey = (reference: string, id: string) => `uploads/${reference}/${id}`;
export const cleanObjectKey = (reference: string, id: string) => `clean/${reference}/${id}`;
/** Every object of a case is under one of these, so its retention can delete them all. */
export const caseObjectPrefixes = (reference: string) => [`uploads/${reference}/`, `clean/${reference}/`];

export interface EvidenceAdder {
  readonly role: Role;
  /** A member of staff's sign-in subject and name (the applicant is known by their role alone). */
  readonly sub?: string;
  readonly name?: string;
  /** The agency of an agency's staff member. */
  readonly agency?: string;
}

export interface EvidenceRecord {
  readonly id: string;
  readonly name: string;
  /** Undefined for a file sent through a page's form until its content shows what it is. */
  readonly type?: EvidenceType;
  readonly size: number;
  readonly addedBy: EvidenceAdder;
  readonly addedAt: string;
  readonly verdict: EvidenceVerdict;
  /** Why a file was rejected, in words for the person who added it. */
  readonly reason?: string;
  /** A file staff added that the applicant may see too. */
  readonly sharedWithApplicant?: boolean;
  /**
   * A place for one file a page's form (without JavaScript) will send: its name, type and size are
   * unknown until it arrives, and it is not listed until then. Cleared when storage sends the browser
   * back, which is when the file's addition is on the timeline.
   */
  readonly awaitingUpload?: true;
  /** When the file's presigned POST expires (ISO), for a file counted when its form was given. */
  readonly uploadBy?: string;
  /** When the processing step took the file's object in (ISO). */
  readonly receivedAt?: string;
}

/** What the case's timeline and audit trail say of a change to its files, written in one transaction. */
export interface EvidenceAdded {
  readonly event: TimelineEvent;
  readonly audit: AuditEntry;
  /** The case's retention time, once it is closed, so that these go with the rest of it. */
  readonly expiresAt?: number | null;
}

/** The case has no room for these files (checked again here, against uploads racing on the case). */
export class TooManyEvidenceFilesError extends InvalidInputError {
  constructor() {
    const message = `A case can have at most ${MAX_FILES_PER_CASE} files.`;
    super([{ path: 'files', message }], message);
    this.name = 'TooManyEvidenceFilesError';
  }
}

/**
 * Adds files to a case as `pending`, with the ids the caller chose (so a repeated request, with the same
 * ids, adds nothing more and counts nothing twice): 'added', or 'exists' when every one was already
 * there. Throws TooManyEvidenceFilesError when the case would have more than 30.
 */
export async function addEvidence(
  ctx: DataContext,
  reference: string,
  files: readonly Omit<EvidenceRecord, 'verdict' | 'reason'>[],
  told?: EvidenceAdded,
): Promise<'added' | 'exists'> {
  const expiresAt = told?.expiresAt ?? undefined;
  const items = [
    {
      Update: {
        TableName: ctx.tables.cases,
        Key: { pk: casePk(reference), sk: COUNT_SK },
        UpdateExpression: 'ADD files :n',
        ConditionExpression: 'attribute_not_exists(files) OR files <= :room',
        ExpressionAttributeValues: { ':n': files.length, ':room': MAX_FILES_PER_CASE - files.length },
      },
    },
    ...files.map((file) => ({
      Put: {
        TableName: ctx.tables.cases,
        Item: {
          ...evidenceKey(reference, file.id),
          ...file,
          verdict: 'pending',
          ...(expiresAt !== undefined && { expiresAt }),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
    ...(told
      ? [
          eventPut(ctx, reference, told.event, `e${files[0]?.id.slice(0, 8) ?? ''}`, expiresAt),
          auditPut(ctx, reference, told.audit, { expiresAt }),
        ]
      : []),
  ];
  // The count's row is every upload's on the case: a write racing on it cancels with a conflict, and
  // the same write succeeds a moment later.
  return retryOnLostRace(async () => {
    try {
      await ctx.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'added' as const;
    } catch (error) {
      if (isTransactionConflict(error)) return LOST_RACE;
      if (!(error instanceof TransactionCanceledException)) throw error;
      const existing = await Promise.all(files.map((file) => readEvidence(ctx, reference, file.id)));
      const missing = files.filter((_, index) => existing[index] === undefined);
      if (missing.length < files.length) {
        // The same request again, after some of its places were given up on (reclaimAbandonedUploads):
        // those are added again (its addition is on the timeline already), the others kept for its forms.
        if (missing.length > 0) await addEvidence(ctx, reference, missing);
        await Promise.all(files.map((file) => extendUpload(ctx, reference, file)));
        return missing.length > 0 ? ('added' as const) : ('exists' as const);
      }
      if (isConditionFailure(error, 0)) throw new TooManyEvidenceFilesError();
      throw error;
    }
  }, caseKeptChanging(reference));
}

/**
 * A repeated request's forms are signed afresh: the files' places are kept until the new forms expire,
 * unless their files have arrived already or a later form was given.
 */
async function extendUpload(
  ctx: DataContext,
  reference: string,
  file: Pick<EvidenceRecord, 'id' | 'uploadBy'>,
): Promise<void> {
  if (file.uploadBy === undefined) return;
  await writeIf(
    ctx.db.send(
      new UpdateCommand({
        TableName: ctx.tables.cases,
        Key: evidenceKey(reference, file.id),
        UpdateExpression: 'SET uploadBy = :by',
        ConditionExpression: 'attribute_not_exists(receivedAt) AND uploadBy < :by',
        ExpressionAttributeValues: { ':by': file.uploadBy },
      }),
    ),
  );
}

/**
 * The processing step takes a file's object in: from now on it is a file, never an abandoned place.
 * False when its place is gone or abandoned (core/evidence-files.ts), whose late object is refused.
 */
export async function markReceived(
  ctx: DataContext,
  reference: string,
  id: string,
  now: Date,
): Promise<boolean> {
  return writeIf(
    ctx.db.send(
      new UpdateCommand({
        TableName: ctx.tables.cases,
        Key: evidenceKey(reference, id),
        UpdateExpression: 'SET receivedAt = if_not_exists(receivedAt, :at)',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_exists(receivedAt) OR attribute_not_exists(uploadBy) OR uploadBy >= :before)',
        ExpressionAttributeValues: { ':at': now.toISOString(), ':before': abandonedBefore(now) },
      }),
    ),
  );
}

/**
 * Removes the case's abandoned places for files (core/evidence-files.ts) and gives back their room in
 * the count, each in one transaction with the count, on the condition that its file has still not
 * arrived: so the count always equals the places it counts, and a file the processing step took in
 * meanwhile stays. How many were removed.
 */
export async function reclaimAbandonedUploads(
  ctx: DataContext,
  reference: string,
  files: readonly EvidenceRecord[],
  now: Date,
): Promise<number> {
  let reclaimed = 0;
  for (const file of files.filter((each) => isAbandonedUpload(each, now))) {
    const removed = await retryOnLostRace(async () => {
      try {
        await ctx.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: ctx.tables.cases,
                  Key: evidenceKey(reference, file.id),
                  ConditionExpression:
                    'verdict = :pending AND attribute_not_exists(receivedAt) AND uploadBy < :before',
                  ExpressionAttributeValues: { ':pending': 'pending', ':before': abandonedBefore(now) },
                },
              },
              {
                Update: {
                  TableName: ctx.tables.cases,
                  Key: { pk: casePk(reference), sk: COUNT_SK },
                  UpdateExpression: 'ADD files :less',
                  ConditionExpression: 'files >= :one',
                  ExpressionAttributeValues: { ':less': -1, ':one': 1 },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (isTransactionConflict(error)) return LOST_RACE;
        if (isConditionFailure(error, 0)) return false;
        throw error;
      }
    }, caseKeptChanging(reference));
    if (removed) reclaimed++;
  }
  return reclaimed;
}

/** A download of a file, on the staff timeline and in the audit trail, in one transaction. */
export async function recordEvidenceDownload(
  ctx: DataContext,
  reference: string,
  told: EvidenceAdded,
): Promise<void> {
  const expiresAt = told.expiresAt ?? undefined;
  await ctx.db.send(
    new TransactWriteCommand({
      TransactItems: [
        eventPut(ctx, reference, told.event, randomUUID().slice(0, 8), expiresAt),
        auditPut(ctx, reference, told.audit, { expiresAt }),
      ],
    }),
  );
}

/**
 * A place for one file a page's form will send (`awaitingUpload`): not counted against the case's 30
 * until its file arrives (admitEvidence), so that a form shown and never used takes no room.
 */
export async function addUploadPlace(
  ctx: DataContext,
  reference: string,
  place: { readonly id: string; readonly addedBy: EvidenceAdder; readonly addedAt: string },
): Promise<void> {
  await ctx.db.send(
    new PutCommand({
      TableName: ctx.tables.cases,
      Item: {
        ...evidenceKey(reference, place.id),
        ...place,
        name: '',
        size: 0,
        verdict: 'pending',
        awaitingUpload: true,
        uncounted: true,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/**
 * Counts a form's file against the case's 30 now that it has arrived: true when it is counted (now or
 * before), false when the case has no room for it.
 */
export async function admitEvidence(ctx: DataContext, reference: string, id: string): Promise<boolean> {
  return retryOnLostRace(async () => {
    try {
      await ctx.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: ctx.tables.cases,
                Key: { pk: casePk(reference), sk: COUNT_SK },
                UpdateExpression: 'ADD files :one',
                ConditionExpression: 'attribute_not_exists(files) OR files < :max',
                ExpressionAttributeValues: { ':one': 1, ':max': MAX_FILES_PER_CASE },
              },
            },
            {
              Update: {
                TableName: ctx.tables.cases,
                Key: evidenceKey(reference, id),
                UpdateExpression: 'REMOVE uncounted',
                ConditionExpression: 'attribute_exists(uncounted)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConflict(error)) return LOST_RACE;
      if (isConditionFailure(error, 1)) return true;
      if (isConditionFailure(error, 0)) return false;
      throw error;
    }
  }, caseKeptChanging(reference));
}

/**
 * A form's file has been uploaded (storage sent the browser back): it is no longer awaiting, and its
 * addition goes on the timeline and audit trail. False when it was not awaiting (the same return again).
 */
export async function markUploaded(
  ctx: DataContext,
  reference: string,
  id: string,
  told: EvidenceAdded,
): Promise<boolean> {
  const expiresAt = told.expiresAt ?? undefined;
  try {
    await ctx.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: ctx.tables.cases,
              Key: evidenceKey(reference, id),
              UpdateExpression: 'REMOVE awaitingUpload',
              ConditionExpression: 'attribute_exists(awaitingUpload)',
            },
          },
          eventPut(ctx, reference, told.event, `e${id.slice(0, 8)}`, expiresAt),
          auditPut(ctx, reference, told.audit, { expiresAt }),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error, 0)) return false;
    throw error;
  }
}

/**
 * Shares a file staff added with the applicant, or stops sharing it, with what the timeline and audit
 * trail say of it, in one transaction: 'changed', or 'unchanged' when the file already was so (the same
 * request again, or two at once, writes nothing more).
 */
export async function setEvidenceSharing(
  ctx: DataContext,
  reference: string,
  id: string,
  shared: boolean,
  told: EvidenceAdded,
): Promise<'changed' | 'unchanged'> {
  const expiresAt = told.expiresAt ?? undefined;
  const items = [
    {
      Update: {
        TableName: ctx.tables.cases,
        Key: evidenceKey(reference, id),
        ...(shared
          ? {
              UpdateExpression: 'SET sharedWithApplicant = :shared',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sharedWithApplicant)',
              ExpressionAttributeValues: { ':shared': true },
            }
          : {
              UpdateExpression: 'REMOVE sharedWithApplicant',
              ConditionExpression: 'attribute_exists(sharedWithApplicant)',
            }),
      },
    },
    eventPut(ctx, reference, told.event, randomUUID().slice(0, 8), expiresAt),
    auditPut(ctx, reference, told.audit, { expiresAt }),
  ];
  return retryOnLostRace(async () => {
    try {
      await ctx.db.send(new TransactWriteCommand({ TransactItems: items }));
      return 'changed' as const;
    } catch (error) {
      if (isTransactionConflict(error)) return LOST_RACE;
      if (isConditionFailure(error, 0)) return 'unchanged' as const;
      throw error;
    }
  }, caseKeptChanging(reference));
}

/** What a form's file turned out to be, recorded before its checks while it is still pending. */
export async function recordContent(
  ctx: DataContext,
  reference: string,
  id: string,
  content: { readonly name: string; readonly type: EvidenceType | undefined; readonly size: number },
): Promise<void> {
  await writeIf(
    ctx.db.send(
      new UpdateCommand({
        TableName: ctx.tables.cases,
        Key: evidenceKey(reference, id),
        UpdateExpression: `SET #name = :name, #size = :size${content.type ? ', #type = :type' : ''}`,
        ConditionExpression: 'verdict = :pending',
        ExpressionAttributeNames: {
          '#name': 'name',
          '#size': 'size',
          ...(content.type && { '#type': 'type' }),
        },
        ExpressionAttributeValues: {
          ':name': content.name,
          ':size': content.size,
          ':pending': 'pending',
          ...(content.type && { ':type': content.type }),
        },
      }),
    ),
  );
}

/** How many files the case has (each added file counts, whatever its verdict). */
const filesCountedIn = (countItem: Record<string, unknown> | undefined): number =>
  (countItem?.files as number | undefined) ?? 0;

export async function evidenceCount(ctx: DataContext, reference: string): Promise<number> {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: { pk: casePk(reference), sk: COUNT_SK } }),
  );
  return filesCountedIn(Item);
}

/** How many of the case's files count against its 30, from its items as one Query of the case reads them. */
export function evidenceCountOf(caseItems: readonly Record<string, unknown>[]): number {
  return filesCountedIn(caseItems.find((item) => item.sk === COUNT_SK));
}

/**
 * The case's files, oldest first, and how many of them count against its 30 at `now` (abandoned places
 * not: they are reclaimed before a file takes their room), in one Query.
 */
export async function evidenceOnCase(
  ctx: DataContext,
  reference: string,
  now: Date,
): Promise<{ files: EvidenceRecord[]; counted: number }> {
  const items = await queryAll(ctx, {
    TableName: ctx.tables.cases,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': casePk(reference), ':prefix': COUNT_SK },
    ConsistentRead: true,
  });
  const files = evidenceFilesOf(items);
  return { files, counted: countedAt(evidenceCountOf(items), files, now) };
}

/** The case's files, oldest first, from its items as a Query of the case reads them. */
export function evidenceFilesOf(caseItems: readonly Record<string, unknown>[]): EvidenceRecord[] {
  return caseItems
    .filter((item) => String(item.sk).startsWith(EVIDENCE_PREFIX))
    .map(evidenceRecordOf)
    .sort((a, b) => a.addedAt.localeCompare(b.addedAt) || a.id.localeCompare(b.id));
}

/** The count less the abandoned places it still holds. */
export function countedAt(count: number, files: readonly EvidenceRecord[], now: Date): number {
  return count - files.filter((file) => isAbandonedUpload(file, now)).length;
}

export async function readEvidence(
  ctx: DataContext,
  reference: string,
  id: string,
): Promise<EvidenceRecord | undefined> {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: evidenceKey(reference, id), ConsistentRead: true }),
  );
  return Item && evidenceRecordOf(Item);
}

/**
 * Records the verdict on a file. A pending file takes any verdict; a rejection (a threat found, by
 * whichever scan) overrides any other; the same verdict again changes nothing. True when the file now
 * has this verdict, false when it is not on the case or already has another that this one may not
 * replace.
 */
export async function recordVerdict(
  ctx: DataContext,
  reference: string,
  id: string,
  verdict: Exclude<EvidenceVerdict, 'pending'>,
  reason?: string,
): Promise<boolean> {
  const written = await writeIf(
    ctx.db.send(
      new UpdateCommand({
        TableName: ctx.tables.cases,
        Key: evidenceKey(reference, id),
        UpdateExpression: reason
          ? 'SET verdict = :verdict, reason = :reason'
          : 'SET verdict = :verdict REMOVE reason',
        ConditionExpression:
          'attribute_exists(pk) AND (verdict = :pending OR verdict = :verdict OR :verdict = :rejected)',
        ExpressionAttributeValues: {
          ':verdict': verdict,
          ':pending': 'pending',
          ':rejected': 'rejected',
          ...(reason && { ':reason': reason }),
        },
      }),
    ),
  );
  if (written) return true;
  return (await readEvidence(ctx, reference, id))?.verdict === verdict;
}

/** Why a file in which a scan found malware is rejected, in words for whoever added it. */
export const MALWARE_FOUND = 'The file was found to contain malware.';

/**
 * A scan found malware in a file: it is rejected (a threat overrides any verdict) and the staff timeline
 * says so, in one transaction, once. True when the file is rejected now (or already was), false when
 * it is not on the case.
 */
export async function recordThreat(
  ctx: DataContext,
  reference: string,
  id: string,
  told: Omit<EvidenceAdded, 'audit'>,
): Promise<boolean> {
  const expiresAt = told.expiresAt ?? undefined;
  return retryOnLostRace(async () => {
    try {
      await ctx.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: ctx.tables.cases,
                Key: evidenceKey(reference, id),
                UpdateExpression: 'SET verdict = :rejected, reason = :reason',
                ConditionExpression: 'attribute_exists(pk) AND verdict <> :rejected',
                ExpressionAttributeValues: { ':rejected': 'rejected', ':reason': MALWARE_FOUND },
              },
            },
            eventPut(ctx, reference, told.event, `t${id.slice(0, 8)}`, expiresAt),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConflict(error)) return LOST_RACE;
      if (!isConditionFailure(error, 0)) throw error;
      return (await readEvidence(ctx, reference, id))?.verdict === 'rejected';
    }
  }, caseKeptChanging(reference));
}

function evidenceRecordOf(item: Record<string, unknown>): EvidenceRecord {
  const { pk: _pk, sk: _sk, expiresAt: _expiresAt, uncounted: _uncounted, ...record } = item;
  return record as unknown as EvidenceRecord;
}

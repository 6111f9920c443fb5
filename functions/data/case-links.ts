// Linked cases (route B): cases an officer links as being about the same anti-social behaviour form one
// group, symmetric and transitive. Nothing links by itself.
//
// Key design. A group is one item, `LINKGROUP#<id>` / `GROUP`, holding its CSP, its members and a
// version; each member has a pointer item in its own partition, `CASE#<ref>` / `LINKS`, naming its
// group (a case alone has none, and the pointer is deleted with the rest of the case at retention).
// Every change is one TransactWriteItems conditional on every group and pointer it read being as read,
// so two officers linking or unlinking at once can never leave a case in two groups, a member without
// its pointer, or a group that lost a member it was told about; a refused transaction is read again and
// retried. A change that finds nothing to do writes nothing, so a repeat is harmless.
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor, CaseRecord, TimelineEvent } from '#core/case-record.ts';
import { linksChanged } from '#core/timeline-words.ts';
import { linksKey } from '#data/case-items.ts';
import { getCases } from '#data/case-store.ts';
import { auditPut, eventPut } from '#data/case-timeline.ts';
import type { DataContext } from '#data/data-context.ts';
import {
  caseKeptChanging,
  LOST_RACE,
  retryOnLostRace,
  type TransactItem,
  transact,
} from '#data/transactions.ts';

const GROUP_SK = 'GROUP';

const groupKey = (id: string) => ({ pk: `LINKGROUP#${id}`, sk: GROUP_SK });

export interface LinkGroup {
  readonly id: string;
  readonly csp: string;
  /** Sorted references, this case included. */
  readonly members: readonly string[];
  readonly version: number;
}

/** Where a case stands: in a group, or alone (`group` null). */
export interface LinkState {
  readonly reference: string;
  readonly group: LinkGroup | null;
}

/** A case's group, read strongly consistently; its pointer and its group agree (read again until they do). */
export function readLinkState(ctx: DataContext, reference: string): Promise<LinkState> {
  return retryOnLostRace(async (): Promise<LinkState | typeof LOST_RACE> => {
    const { Item: pointer } = await ctx.db.send(
      new GetCommand({ TableName: ctx.tables.cases, Key: linksKey(reference), ConsistentRead: true }),
    );
    return linkStateOf(ctx, reference, pointer);
  }, caseKeptChanging(reference));
}

/**
 * readLinkState from the case's pointer item as the caller read it, strongly consistent (undefined: the
 * case is alone), which saves reading it again; both are read again if the case moved meanwhile.
 */
export async function linkStateFrom(
  ctx: DataContext,
  reference: string,
  pointer: Record<string, unknown> | undefined,
): Promise<LinkState> {
  const state = await linkStateOf(ctx, reference, pointer);
  return state === LOST_RACE ? readLinkState(ctx, reference) : state;
}

async function linkStateOf(
  ctx: DataContext,
  reference: string,
  pointer: Record<string, unknown> | undefined,
): Promise<LinkState | typeof LOST_RACE> {
  if (pointer === undefined) return { reference, group: null };
  const group = await readGroup(ctx, String(pointer.groupId));
  // Between the two reads the case may have moved to another group: read both again.
  return group?.members.includes(reference) ? { reference, group } : LOST_RACE;
}

async function readGroup(ctx: DataContext, id: string): Promise<LinkGroup | undefined> {
  const { Item } = await ctx.db.send(
    new GetCommand({ TableName: ctx.tables.cases, Key: groupKey(id), ConsistentRead: true }),
  );
  if (Item === undefined) return undefined;
  return {
    id,
    csp: String(Item.csp),
    members: [...(Item.members as string[])].sort(),
    version: Number(Item.version),
  };
}

/** The members of a case's group other than itself, or none. */
export function linkedReferences(state: LinkState): string[] {
  return (state.group?.members ?? []).filter((member) => member !== state.reference);
}

/**
 * Transaction items that hold only while the case's group is still as `state` has it: a write built
 * on that group (an assessment counting its members) is refused if the group changed meanwhile.
 */
export function linkStateUnchanged(ctx: DataContext, state: LinkState): TransactItem[] {
  const pointer = {
    ConditionCheck: {
      TableName: ctx.tables.cases,
      Key: linksKey(state.reference),
      ...(state.group === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'groupId = :group',
            ExpressionAttributeValues: { ':group': state.group.id },
          }),
    },
  };
  if (state.group === null) return [pointer];
  return [
    pointer,
    {
      ConditionCheck: {
        TableName: ctx.tables.cases,
        Key: groupKey(state.group.id),
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': state.group.version },
      },
    },
  ];
}

/** The case items of the cases linked to this one (its group but itself), leaving out any deleted. */
export async function linkedCases(ctx: DataContext, reference: string): Promise<CaseRecord[]> {
  return getCases(ctx, linkedReferences(await readLinkState(ctx, reference)));
}

export interface LinkChange {
  /** The case the officer acts on. */
  readonly reference: string;
  readonly csp: string;
  /** Cases to bring, each with its own group, into this case's group. */
  readonly add: readonly string[];
  /** Cases to take out of the group (each then stands alone). */
  readonly remove: readonly string[];
  readonly reason: string;
  readonly actor: Actor;
  readonly now: Date;
  /** The largest group allowed; a change that would make a larger one raises LinkGroupTooLargeError. */
  readonly maxMembers: number;
  /** The retention time (`expiresAt`) of each closed case named, for the items written on it. */
  readonly expiresAt: ReadonlyMap<string, number>;
}

export interface LinkChangeResult {
  /** False when everything asked was already so: nothing was written. */
  readonly changed: boolean;
  /** The case's group after the change (sorted, itself included), or only itself. */
  readonly members: readonly string[];
  /**
   * Every case whose group this change touched (or, for a repeat, would have touched): the cases to
   * assess again. A repeat names them too, so that repeating a request whose assessments were cut
   * short completes them.
   */
  readonly affected: readonly string[];
}

export class LinkGroupTooLargeError extends Error {
  readonly maxMembers: number;

  constructor(maxMembers: number) {
    super(`A group of linked cases can hold at most ${maxMembers} cases`);
    this.name = 'LinkGroupTooLargeError';
    this.maxMembers = maxMembers;
  }
}

/**
 * Adds and removes links as one change: each added case comes with its whole group, then each removed
 * case leaves the group. A group left with one case dissolves. The case acted on and each case added
 * or removed get an audit entry and a staff timeline event, in the same transaction. The caller has
 * checked that every reference is another case of the same CSP.
 */
export function changeLinks(ctx: DataContext, change: LinkChange): Promise<LinkChangeResult> {
  return retryOnLostRace(async (): Promise<LinkChangeResult | typeof LOST_RACE> => {
    const own = await readLinkState(ctx, change.reference);
    const added = await Promise.all(change.add.map((reference) => readLinkState(ctx, reference)));
    const plan = planChange(own, added, change);
    if (plan.members.length > change.maxMembers) throw new LinkGroupTooLargeError(change.maxMembers);
    if (plan.joined.length === 0 && plan.left.length === 0) {
      return { changed: false, members: plan.members, affected: plan.affected };
    }
    const written = await transact(ctx, transactionItems(ctx, change, plan));
    return written ? { changed: true, members: plan.members, affected: plan.affected } : LOST_RACE;
  }, caseKeptChanging(change.reference));
}

interface Move {
  readonly reference: string;
  /** The group its pointer names before the change (null: alone). */
  readonly from: LinkGroup | null;
}

interface LinkPlan {
  readonly own: LinkState;
  /** The group id the members end up in (the case's own group's, or a new one). */
  readonly groupId: string;
  readonly members: readonly string[];
  /** Cases now in the group that were not. */
  readonly joined: readonly Move[];
  /** Cases that were in a group and now stand alone. */
  readonly left: readonly Move[];
  /** Other groups that are merged in, and so end. */
  readonly mergedGroups: readonly LinkGroup[];
  readonly affected: readonly string[];
}

function planChange(own: LinkState, added: readonly LinkState[], change: LinkChange): LinkPlan {
  const before = own.group?.members ?? [own.reference];
  const origin = new Map<string, LinkGroup | null>(before.map((reference) => [reference, own.group]));
  const mergedGroups = new Map<string, LinkGroup>();
  for (const state of added) {
    if (state.group !== null && state.group.id === own.group?.id) continue;
    if (state.group !== null) mergedGroups.set(state.group.id, state.group);
    for (const reference of state.group?.members ?? [state.reference]) {
      if (!origin.has(reference)) origin.set(reference, state.group);
    }
  }
  const removed = new Set(change.remove.filter((reference) => origin.has(reference)));
  const members = [...origin.keys()].filter((reference) => !removed.has(reference)).sort();
  const moveOf = (reference: string): Move => ({ reference, from: origin.get(reference) ?? null });
  return {
    own,
    groupId: own.group?.id ?? randomUUID(),
    members,
    joined: members.filter((reference) => !before.includes(reference)).map(moveOf),
    left: [...removed].map(moveOf).filter((move) => move.from !== null),
    mergedGroups: [...mergedGroups.values()],
    affected: [...new Set([...before, ...members, ...change.add, ...change.remove])].sort(),
  };
}

function transactionItems(ctx: DataContext, change: LinkChange, plan: LinkPlan): TransactItem[] {
  const table = ctx.tables.cases;
  const { own, groupId, members } = plan;
  const alone = members.length <= 1;
  const at = change.now.toISOString();
  const versionIs = (group: LinkGroup) => ({
    ConditionExpression: '#version = :version',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':version': group.version },
  });
  const pointerWas = (from: LinkGroup | null) =>
    from === null
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'groupId = :from', ExpressionAttributeValues: { ':from': from.id } };
  const deletePointer = ({ reference, from }: Move) => ({
    Delete: { TableName: table, Key: linksKey(reference), ...pointerWas(from) },
  });
  // An update, not a put: a closed case's pointer keeps the retention time it was given at closure.
  const putPointer = ({ reference, from }: Move) => {
    const expiresAt = change.expiresAt.get(reference);
    const condition = pointerWas(from);
    return {
      Update: {
        TableName: table,
        Key: linksKey(reference),
        UpdateExpression: `SET groupId = :group${expiresAt === undefined ? '' : ', expiresAt = :expiresAt'}`,
        ConditionExpression: condition.ConditionExpression,
        ExpressionAttributeValues: {
          ':group': groupId,
          ...condition.ExpressionAttributeValues,
          ...(expiresAt !== undefined && { ':expiresAt': expiresAt }),
        },
      },
    };
  };

  let groupWrites: TransactItem[];
  if (!alone) {
    groupWrites = [
      {
        Put: {
          TableName: table,
          Item: { ...groupKey(groupId), csp: change.csp, members, version: (own.group?.version ?? 0) + 1 },
          ...(own.group === null
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : versionIs(own.group)),
        },
      },
      // The case acted on gets its pointer when its group begins.
      ...(own.group === null ? [putPointer({ reference: own.reference, from: null })] : []),
    ];
  } else if (own.group !== null) {
    // Only the case acted on is left: the group ends.
    groupWrites = [
      { Delete: { TableName: table, Key: groupKey(own.group.id), ...versionIs(own.group) } },
      deletePointer({ reference: own.reference, from: own.group }),
    ];
  } else {
    groupWrites = [];
  }
  const named = [...plan.joined, ...plan.left]
    .map((move) => move.reference)
    .filter((reference) => change.add.includes(reference) || change.remove.includes(reference));
  return [
    ...groupWrites,
    ...plan.mergedGroups.map((group) => ({
      Delete: { TableName: table, Key: groupKey(group.id), ...versionIs(group) },
    })),
    ...plan.joined.map(putPointer),
    ...plan.left.map(deletePointer),
    // The audit entry and event go on the case acted on and on each case named, not on every member
    // brought along: that keeps the transaction within DynamoDB's 100 items.
    ...[own.reference, ...named].flatMap((reference) =>
      linkRecords(ctx, reference, change, at, summaryFor(change, plan, reference)),
    ),
  ];
}

function summaryFor(change: LinkChange, plan: LinkPlan, reference: string): string {
  const left = plan.left.map((move) => move.reference);
  return linksChanged({
    reference: change.reference,
    reason: change.reason,
    ...(reference !== change.reference && { other: { left: left.includes(reference) } }),
    joined: plan.joined.map((entry) => entry.reference),
    left,
  });
}

/** The audit entry and the staff timeline event of a link change, on one case. */
function linkRecords(ctx: DataContext, reference: string, change: LinkChange, at: string, summary: string) {
  const discriminator = `links-${randomUUID().slice(0, 8)}`;
  const event: TimelineEvent = { at, type: 'links', summary, actor: change.actor, audience: 'staff' };
  const expiresAt = change.expiresAt.get(reference);
  return [
    auditPut(ctx, reference, { at, actor: change.actor, what: 'links' }, { discriminator, expiresAt }),
    eventPut(ctx, reference, event, discriminator, expiresAt),
  ];
}

// Linked cases (route B) against DynamoDB Local: groups that are symmetric and transitive, changes that
// are harmless to repeat and stay consistent when officers link and unlink at the same time, and the
// threshold assessed again with the group, each case as at its own receipt.
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAction } from '#data/case-decisions.ts';
import { AUDIT_PREFIX, casePk } from '#data/case-items.ts';
import {
  changeLinks,
  type LinkChange,
  LinkGroupTooLargeError,
  linkedReferences,
  linkStateUnchanged,
  readLinkState,
} from '#data/case-links.ts';
import { getCase, readForFirstStep } from '#data/case-store.ts';
import { registerTask } from '#data/case-tasks.ts';
import type { DataContext } from '#data/data-context.ts';
import { assessCase, recordAssessment } from '#data/threshold-assessment.ts';
import { startTestTables, type TestTables } from '#test/support/api-tables.ts';
import { AREA, decisions, OFFICER, submit } from '#test/support/case-fixtures.ts';

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

/** `count` new cases of one CSP, each from its own household. */
async function cases(count: number, csp = 'liverpool'): Promise<string[]> {
  const references: string[] = [];
  for (let house = 1; house <= count; house += 1) {
    const record = await submit(ctx, NOW, {
      csp,
      address: `${house} Park Road, Liverpool`,
      postcode: 'L90 1AA',
      incidentDaysBefore: [5],
    });
    references.push(record.reference);
  }
  return references;
}

function link(reference: string, change: Partial<LinkChange>) {
  return changeLinks(ctx, {
    reference,
    csp: 'liverpool',
    add: [],
    remove: [],
    reason: 'The same motorbikes on the same field.',
    actor: OFFICER,
    now: NOW,
    maxMembers: 30,
    expiresAt: new Map(),
    ...change,
  });
}

async function groupOf(reference: string): Promise<string[]> {
  const state = await readLinkState(ctx, reference);
  return [...(state.group?.members ?? [reference])];
}

async function itemsOf(reference: string, prefix: string) {
  const { Items = [] } = await ctx.db.send(
    new QueryCommand({
      TableName: ctx.tables.cases,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': casePk(reference), ':prefix': prefix },
      ConsistentRead: true,
    }),
  );
  return Items;
}

/**
 * Every pointer names a group that lists its case, and every group's members point to it: no case is in
 * two groups, none is listed without its pointer, no group has fewer than two members.
 */
async function expectConsistentGroups(references: readonly string[]) {
  const { Items = [] } = await ctx.db.send(
    new ScanCommand({ TableName: ctx.tables.cases, ConsistentRead: true }),
  );
  const groups = new Map(
    Items.filter((item) => String(item.pk).startsWith('LINKGROUP#')).map((item) => [
      String(item.pk).slice('LINKGROUP#'.length),
      item.members as string[],
    ]),
  );
  const pointers = new Map(
    Items.filter((item) => item.sk === 'LINKS').map((item) => [
      String(item.pk).slice('CASE#'.length),
      String(item.groupId),
    ]),
  );
  for (const reference of references) {
    const groupId = pointers.get(reference);
    if (groupId === undefined) {
      for (const members of groups.values()) expect(members).not.toContain(reference);
    } else {
      expect(groups.get(groupId), `${reference}'s group`).toContain(reference);
    }
  }
  for (const [groupId, members] of groups) {
    if (!members.some((member) => references.includes(member))) continue;
    expect(members.length).toBeGreaterThanOrEqual(2);
    for (const member of members) expect(pointers.get(member)).toBe(groupId);
  }
}

describe('changeLinks', () => {
  it('links two cases both ways, audited on each with a staff-only event', async () => {
    // Prepare
    const [a = '', b = ''] = await cases(2);

    // Act
    const result = await link(a, { add: [b] });

    // Assess
    expect(result).toMatchObject({ changed: true, members: [a, b].sort() });
    expect(await groupOf(a)).toEqual([a, b].sort());
    expect(await groupOf(b)).toEqual([a, b].sort());
    expect(linkedReferences(await readLinkState(ctx, b))).toEqual([a]);
    for (const reference of [a, b]) {
      expect((await itemsOf(reference, AUDIT_PREFIX)).filter((entry) => entry.what === 'links')).toHaveLength(
        1,
      );
      const [event] = (await itemsOf(reference, 'EVENT#')).filter((item) => item.type === 'links');
      expect(event).toMatchObject({ audience: 'staff', actor: { role: 'officer' } });
      expect(event?.summary).toContain(reference === a ? b : a);
      expect(event?.summary).toContain('The same motorbikes on the same field.');
    }
    await expectConsistentGroups([a, b]);
  });

  it('brings a case with its whole group in, so that links are transitive', async () => {
    // Prepare
    const [a = '', b = '', c = '', d = ''] = await cases(4);
    await link(a, { add: [b] });
    await link(c, { add: [d] });

    // Act
    const result = await link(b, { add: [c] });

    // Assess
    const all = [a, b, c, d].sort();
    expect(result.members).toEqual(all);
    expect(result.affected).toEqual(all);
    for (const reference of all) expect(await groupOf(reference)).toEqual(all);
    await expectConsistentGroups(all);
  });

  it('takes a removed case out of the group, and ends a group left with one case', async () => {
    // Prepare
    const [a = '', b = '', c = ''] = await cases(3);
    await link(a, { add: [b, c] });

    // Act
    const first = await link(a, { remove: [b] });
    const second = await link(c, { remove: [a] });

    // Assess
    expect(first).toMatchObject({ changed: true, members: [a, c].sort() });
    expect(first.affected).toEqual([a, b, c].sort());
    expect(second).toMatchObject({ changed: true, members: [c] });
    for (const reference of [a, b, c]) expect(await groupOf(reference)).toEqual([reference]);
    await expectConsistentGroups([a, b, c]);
  });

  it('leaves a case removed alone even when it came in with a case added in the same change', async () => {
    // Prepare
    const [a = '', b = '', c = ''] = await cases(3);
    await link(b, { add: [c] });

    // Act
    const result = await link(a, { add: [b], remove: [c] });

    // Assess
    expect(result.members).toEqual([a, b].sort());
    expect(await groupOf(c)).toEqual([c]);
    await expectConsistentGroups([a, b, c]);
  });

  it('changes nothing, and audits nothing, when repeated', async () => {
    // Prepare
    const [a = '', b = '', c = ''] = await cases(3);
    await link(a, { add: [b] });
    await link(a, { remove: [c] });
    const audit = (await itemsOf(a, AUDIT_PREFIX)).length;

    // Act
    const again = await link(a, { add: [b] });
    const fromTheOtherSide = await link(b, { add: [a] });
    const removedAgain = await link(a, { remove: [c] });

    // Assess
    expect(again).toMatchObject({ changed: false, members: [a, b].sort() });
    expect(fromTheOtherSide.changed).toBe(false);
    expect(removedAgain.changed).toBe(false);
    expect(removedAgain.affected).toEqual([a, b, c].sort());
    expect(await itemsOf(a, AUDIT_PREFIX)).toHaveLength(audit);
  });

  it('refuses a group larger than allowed, and changes nothing', async () => {
    // Prepare
    const [a = '', b = '', c = '', d = ''] = await cases(4);
    await link(a, { add: [b] });
    await link(c, { add: [d] });

    // Act
    const attempt = link(a, { add: [c], maxMembers: 3 });

    // Assess
    await expect(attempt).rejects.toThrow(LinkGroupTooLargeError);
    expect(await groupOf(a)).toEqual([a, b].sort());
    expect(await groupOf(d)).toEqual([c, d].sort());
  });

  it('keeps every group consistent when officers link and unlink the same cases at once', async () => {
    // Prepare
    const refs = await cases(8);
    const at = (index: number) => refs[index] ?? '';

    // Act: links that chain all eight together, raced against each other and against an unlink.
    await Promise.all([
      link(at(0), { add: [at(1)] }),
      link(at(2), { add: [at(3)] }),
      link(at(1), { add: [at(2)] }),
      link(at(4), { add: [at(5), at(6)] }),
      link(at(3), { add: [at(4)] }),
      link(at(7), { add: [at(0)] }),
      link(at(6), { add: [at(7)] }),
    ]);
    const joined = await groupOf(at(0));
    await Promise.all([
      link(at(0), { remove: [at(1)] }),
      link(at(2), { remove: [at(1)] }),
      link(at(5), { add: [at(1)] }),
    ]);

    // Assess
    expect(joined).toEqual([...refs].sort());
    await expectConsistentGroups(refs);
    const rest = refs.filter((reference) => reference !== at(1));
    for (const reference of rest) expect(await groupOf(reference)).toEqual(expect.arrayContaining(rest));
  });
});

describe('assessCase', () => {
  it('meets route B once five households are linked, and assesses each of them again', async () => {
    // Prepare
    const refs = await cases(5);
    for (const reference of refs) await assessCase(ctx, AREA, reference, NOW);
    const [first = '', ...others] = refs;

    // Act
    await link(first, { add: others });
    const results = [];
    for (const reference of refs) results.push(await assessCase(ctx, AREA, reference, NOW));

    // Assess
    for (const [index, { case: assessed, changed }] of results.entries()) {
      expect(changed).toBe(true);
      expect(assessed.thresholdAssessment).toMatchObject({ met: true, route: 'B' });
      expect([...(assessed.thresholdAssessment?.linkedReferences ?? [])].sort()).toEqual(
        refs.filter((_, other) => other !== index).sort(),
      );
      const events = (await itemsOf(assessed.reference, 'EVENT#')).map((event) => event.type);
      expect(events).toEqual(expect.arrayContaining(['threshold-assessed', 'threshold-reassessed']));
    }
    expect((await assessCase(ctx, AREA, first, NOW)).changed).toBe(false);
  });

  it("assesses a linked case from the first step's reads as from its own, and a case linked after its read from a fresh read", async () => {
    // Prepare
    const refs = await cases(5);
    const [first = '', ...others] = refs;
    await link(first, { add: others });
    const linked = await readForFirstStep(ctx, first);
    const [late = ''] = await cases(1);
    const aloneWhenRead = await readForFirstStep(ctx, late);
    await link(first, { add: [late] });

    // Act
    const fromReads = await assessCase(ctx, AREA, first, NOW, linked);
    const afterLinking = await assessCase(ctx, AREA, late, NOW, aloneWhenRead);

    // Assess
    expect(linked?.linksPointer).toBeDefined();
    expect(aloneWhenRead?.linksPointer).toBeUndefined();
    expect(fromReads.case.thresholdAssessment).toMatchObject({ met: true, route: 'B' });
    expect([...(fromReads.case.thresholdAssessment?.linkedReferences ?? [])].sort()).toEqual(
      [...others, late].sort(),
    );
    expect(afterLinking.case.thresholdAssessment).toMatchObject({ met: true, route: 'B' });
    expect([...(afterLinking.case.thresholdAssessment?.linkedReferences ?? [])].sort()).toEqual(
      [...refs].sort(),
    );
  });

  it('assesses again when a case is unlinked, and the group falls below the threshold', async () => {
    // Prepare
    const refs = await cases(5);
    const [first = '', second = '', ...others] = refs;
    await link(first, { add: [second, ...others] });
    for (const reference of refs) await assessCase(ctx, AREA, reference, NOW);

    // Act
    await link(first, { remove: [second] });
    const [again, alone] = [
      await assessCase(ctx, AREA, first, NOW),
      await assessCase(ctx, AREA, second, NOW),
    ];

    // Assess
    expect(again.case.thresholdAssessment).toMatchObject({ met: false, route: null });
    expect(again.case.thresholdAssessment?.linkedReferences).toHaveLength(3);
    expect(alone.case.thresholdAssessment).toMatchObject({ met: false, linkedReferences: [] });
  });

  it("keeps the assessment of a case whose threshold decision is recorded, from the first step's reads too", async () => {
    // Prepare
    const refs = await cases(5);
    const [decided = '', ...others] = refs;
    await assessCase(ctx, AREA, decided, NOW);
    await registerTask(ctx, decided, 'threshold-decision', 'token-decided', NOW.toISOString());
    await recordAction(ctx, decided, decisions.notMet, OFFICER, NOW);
    await link(decided, { add: others });
    const reads = await readForFirstStep(ctx, decided);

    // Act
    const result = await assessCase(ctx, AREA, decided, NOW, reads);

    // Assess
    expect(reads?.firstCycleThresholdDecision).toMatchObject({ kind: 'threshold-decision', cycle: 1 });
    expect(result.changed).toBe(false);
    expect((await getCase(ctx, decided))?.thresholdAssessment).toMatchObject({
      met: false,
      linkedReferences: [],
    });
  });

  it('keeps the assessment of a case whose threshold decision is recorded', async () => {
    // Prepare
    const refs = await cases(5);
    const [decided = '', ...others] = refs;
    await assessCase(ctx, AREA, decided, NOW);
    await registerTask(ctx, decided, 'threshold-decision', 'token-decided', NOW.toISOString());
    await recordAction(ctx, decided, decisions.notMet, OFFICER, NOW);
    await link(decided, { add: others });

    // Act
    const result = await assessCase(ctx, AREA, decided, NOW);

    // Assess
    expect(result.changed).toBe(false);
    expect((await getCase(ctx, decided))?.thresholdAssessment).toMatchObject({
      met: false,
      linkedReferences: [],
    });
  });

  it('counts each case as at its own receipt: a later application does not count for an earlier one', async () => {
    // Prepare: four households apply in January; a fifth in February, about incidents after January's.
    const january = [];
    for (let house = 1; house <= 4; house += 1) {
      const record = await submit(ctx, NOW, {
        csp: 'liverpool',
        address: `${house} Mill Lane`,
        postcode: 'L90 2BB',
        receivedAt: '2026-01-20T10:00:00Z',
        incidentDaysBefore: [5],
      });
      january.push(record.reference);
    }
    const february = await submit(ctx, NOW, {
      csp: 'liverpool',
      address: '5 Mill Lane',
      postcode: 'L90 2BB',
      receivedAt: '2026-02-20T10:00:00Z',
      incidentDaysBefore: [5],
    });
    const [earliest = '', ...rest] = january;
    await link(earliest, { add: [...rest, february.reference] });

    // Act
    const earlier = await assessCase(ctx, AREA, earliest, NOW);
    const later = await assessCase(ctx, AREA, february.reference, NOW);

    // Assess
    expect(earlier.case.thresholdAssessment).toMatchObject({ met: false });
    expect(later.case.thresholdAssessment).toMatchObject({ met: true, route: 'B' });
  });

  it('is made again when the group changes while it is being made', async () => {
    // Prepare
    const [a = '', b = ''] = await cases(2);
    let calls = 0;

    // Act
    const result = await recordAssessment(ctx, a, NOW, async () => {
      calls += 1;
      const state = await readLinkState(ctx, a);
      if (calls === 1) await link(a, { add: [b] });
      return {
        assessment: {
          met: false,
          route: null,
          routesMet: [],
          reasons: [],
          notes: [],
          linkedReferences: linkedReferences(state),
        },
        conditions: linkStateUnchanged(ctx, state),
      };
    });

    // Assess
    expect(calls).toBe(2);
    expect(result.case.thresholdAssessment?.linkedReferences).toEqual([b]);
  });
});

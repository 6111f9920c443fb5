import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTION_STATUSES,
  type ActionPlan,
  actionId,
  actionPlanView,
  finalisePlan,
  finalPlanFacts,
  goesToConsultation,
  isActionOverdue,
  nextActionDue,
  nextActionDueByOwner,
  openActions,
  overdueActions,
  type PlanAction,
  PlanStateError,
  pendingActionReminders,
  planFromOutcome,
  planOwners,
  recordProgress,
  referralWindowStartsAt,
  replacePlan,
  respondByDeadline,
  sharedWithAlso,
  withConsultationResponse,
} from '#core/action-plan.ts';
import { MERSEYSIDE, requireCsp } from '#core/area-config.ts';
import type { Actor } from '#core/case-record.ts';
import { caseCounting } from '#core/counting.ts';
import { PROGRESS_STATUSES, type Recommendation } from '#core/schemas.ts';

const SEFTON = requireCsp(MERSEYSIDE, 'sefton');
// Wednesday 1 July 2015, 10:00 UK time.
const SENT = new Date('2015-07-01T09:00:00Z');
const OFFICER: Actor = { role: 'officer', sub: 'o-1', name: 'Alex Officer' };
const POLICE: Actor = { role: 'agency', sub: 'a-1', name: 'Sam Constable', agency: 'police' };

const RECOMMENDATIONS: Recommendation[] = [
  { action: 'Visit the neighbour', owner: 'housing-provider', dueBy: '2015-07-20' },
  { action: 'Patrol the street on Friday nights', owner: 'police', dueBy: '2015-08-31' },
];

function draft(): ActionPlan {
  return planFromOutcome(RECOMMENDATIONS, { cycle: 1, csp: SEFTON, sentAt: SENT, consultation: true });
}

function final(): ActionPlan {
  return planFromOutcome(RECOMMENDATIONS, { cycle: 1, csp: SEFTON, sentAt: SENT, consultation: false });
}

describe('goesToConsultation', () => {
  it('consults on a plan with recommendations unless the victim said no', () => {
    // Prepare, Act, Assess
    expect(goesToConsultation(RECOMMENDATIONS, null)).toBe(true);
    expect(goesToConsultation(RECOMMENDATIONS, { consultOnPlan: true })).toBe(true);
    expect(goesToConsultation(RECOMMENDATIONS, { consultOnPlan: false })).toBe(false);
    expect(goesToConsultation([], { consultOnPlan: true })).toBe(false);
  });
});

describe('planFromOutcome', () => {
  it('makes a draft with a respond-by date 5 working days after it is sent, each action open with an id', () => {
    // Act
    const plan = draft();

    // Assess
    expect(plan).toEqual({
      cycle: 1,
      status: 'draft',
      sentAt: '2015-07-01T09:00:00.000Z',
      respondBy: '2015-07-08',
      response: null,
      changes: null,
      actions: [
        { ...RECOMMENDATIONS[0], id: '1-1', status: 'open', progress: [] },
        { ...RECOMMENDATIONS[1], id: '1-2', status: 'open', progress: [] },
      ],
      replacedAt: null,
    });
    expect(respondByDeadline(plan)).toBe('2015-07-08T22:59:59.999Z');
  });

  it("uses the CSP's own consultation time, counting working days only", () => {
    // Prepare: Friday 28 August 2015; Monday 31 August is a bank holiday.
    const slow = { ...SEFTON, deadlines: { ...SEFTON.deadlines, consultation: 2 } };

    // Act
    const plan = planFromOutcome(RECOMMENDATIONS, {
      cycle: 1,
      csp: slow,
      sentAt: new Date('2015-08-28T12:00:00Z'),
      consultation: true,
    });

    // Assess
    expect(plan.respondBy).toBe('2015-09-02');
  });

  it('makes a final plan at once without consultation, with no respond-by date', () => {
    // Act, Assess
    expect(final()).toMatchObject({ status: 'final', respondBy: null, changes: null });
    expect(respondByDeadline(final())).toBeNull();
  });

  it('numbers the actions of a later review cycle apart from the first', () => {
    // Act, Assess
    expect(actionId(2, 0)).toBe('2-1');
    const again = planFromOutcome(RECOMMENDATIONS, {
      cycle: 2,
      csp: SEFTON,
      sentAt: SENT,
      consultation: false,
    });
    expect(again.actions.map((action) => action.id)).toEqual(['2-1', '2-2']);
  });
});

describe('the consultation', () => {
  it("keeps the victim's latest response, then the officer's final plan and what changed", () => {
    // Prepare
    const answered = withConsultationResponse(
      withConsultationResponse(draft(), { agrees: true }, new Date('2015-07-02T09:00:00Z')),
      { agrees: false, comments: 'The visit should be sooner' },
      new Date('2015-07-03T09:00:00Z'),
    );

    // Act
    const plan = finalisePlan(
      answered,
      {
        recommendations: [{ action: 'Visit the neighbour', owner: 'housing-provider', dueBy: '2015-07-10' }],
        changes: 'The visit is sooner, as you asked',
      },
      new Date('2015-07-06T09:00:00Z'),
    );

    // Assess
    expect(plan).toMatchObject({
      status: 'final',
      sentAt: '2015-07-06T09:00:00.000Z',
      respondBy: '2015-07-08',
      response: { agrees: false, comments: 'The visit should be sooner', at: '2015-07-03T09:00:00.000Z' },
      changes: 'The visit is sooner, as you asked',
      actions: [{ id: '1-1', dueBy: '2015-07-10', status: 'open', progress: [] }],
    });
  });

  it('refuses a response or a second finalising once the plan is final', () => {
    // Act, Assess
    expect(() => withConsultationResponse(final(), { agrees: true }, SENT)).toThrow(PlanStateError);
    expect(() => finalisePlan(final(), { recommendations: [], changes: 'x' }, SENT)).toThrow(PlanStateError);
  });
});

describe('recordProgress', () => {
  it('records a note with its author, takes its status, and says when an action and the plan finish', () => {
    // Prepare
    const at = new Date('2015-07-15T09:00:00Z');

    // Act
    const started = recordProgress(
      final(),
      '1-2',
      { status: 'in-progress', note: 'First patrol done' },
      { at, by: POLICE },
    );
    if (started.outcome !== 'recorded') throw new Error(started.outcome);
    const done = recordProgress(
      started.plan,
      '1-2',
      { status: 'done', note: 'Patrols every Friday' },
      { at, by: POLICE },
    );
    if (done.outcome !== 'recorded') throw new Error(done.outcome);
    const last = recordProgress(
      done.plan,
      '1-1',
      { status: 'cannot-be-done', note: 'They moved away' },
      { at, by: OFFICER },
    );

    // Assess
    expect(started).toMatchObject({
      finishedNow: false,
      planFinished: false,
      action: { status: 'in-progress' },
    });
    expect(done.action.progress).toEqual([
      { at: at.toISOString(), status: 'in-progress', note: 'First patrol done', by: POLICE },
      { at: at.toISOString(), status: 'done', note: 'Patrols every Friday', by: POLICE },
    ]);
    expect(done).toMatchObject({ finishedNow: true, planFinished: false });
    expect(last).toMatchObject({ outcome: 'recorded', finishedNow: true, planFinished: true });
  });

  it('refuses an action the plan does not have, and any progress on a draft or a replaced plan', () => {
    // Prepare
    const by = { at: SENT, by: OFFICER };
    const body = { status: 'done', note: 'x' } as const;

    // Act, Assess
    expect(recordProgress(final(), '1-9', body, by)).toEqual({ outcome: 'unknown-action' });
    expect(recordProgress(draft(), '1-1', body, by)).toEqual({ outcome: 'not-final' });
    expect(recordProgress(replacePlan(final(), SENT), '1-1', body, by)).toEqual({ outcome: 'not-final' });
  });

  it('never changes another action, and the plan is finished exactly when no action is open (property-based)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('1-1', '1-2', '1-3'), fc.constantFrom(...PROGRESS_STATUSES)), {
          maxLength: 8,
        }),
        (steps) => {
          let plan = final();
          for (const [id, status] of steps) {
            const result = recordProgress(plan, id, { status, note: 'note' }, { at: SENT, by: OFFICER });
            if (id === '1-3') {
              expect(result).toEqual({ outcome: 'unknown-action' });
              continue;
            }
            if (result.outcome !== 'recorded') throw new Error(result.outcome);
            for (const other of plan.actions.filter((action) => action.id !== id)) {
              expect(result.plan.actions.find((action) => action.id === other.id)).toEqual(other);
            }
            expect(result.planFinished).toBe(openActions(result.plan).length === 0);
            plan = result.plan;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('overdue actions', () => {
  it('are past their due day in the UK and not finished', () => {
    // Prepare, Act, Assess: 20 July 2015 ends at 22:59:59.999Z (BST).
    expect(isActionOverdue({ dueBy: '2015-07-20', status: 'open' }, '2015-07-20T22:59:59Z')).toBe(false);
    expect(isActionOverdue({ dueBy: '2015-07-20', status: 'open' }, '2015-07-20T23:00:00Z')).toBe(true);
    expect(isActionOverdue({ dueBy: '2015-07-20', status: 'in-progress' }, '2015-08-01T09:00:00Z')).toBe(
      true,
    );
    expect(isActionOverdue({ dueBy: '2015-07-20', status: 'done' }, '2015-08-01T09:00:00Z')).toBe(false);
    expect(isActionOverdue({ dueBy: '2015-07-20', status: 'cannot-be-done' }, '2015-08-01T09:00:00Z')).toBe(
      false,
    );
  });

  it('are listed oldest due first, and the next due day is the earliest open one', () => {
    // Prepare
    const plan = final();

    // Act, Assess
    expect(overdueActions(plan, '2015-09-01T09:00:00Z').map((action) => action.id)).toEqual(['1-1', '1-2']);
    expect(overdueActions(plan, '2015-07-25T09:00:00Z').map((action) => action.id)).toEqual(['1-1']);
    expect(nextActionDue(plan)).toBe('2015-07-20T22:59:59.999Z');
    expect(overdueActions(draft(), '2015-09-01T09:00:00Z')).toEqual([]);
    expect(nextActionDue(null)).toBeNull();
  });

  it('give each owner its own next due day, from the open actions of a final plan only', () => {
    // Prepare
    const plan = final();
    const [visit] = plan.actions as [PlanAction];
    const visited = { ...plan, actions: [{ ...visit, status: 'done' as const }, ...plan.actions.slice(1)] };

    // Act, Assess
    expect(nextActionDueByOwner(plan)).toEqual({
      'housing-provider': '2015-07-20T22:59:59.999Z',
      police: '2015-08-31T22:59:59.999Z',
    });
    expect(nextActionDueByOwner(visited)).toEqual({ police: '2015-08-31T22:59:59.999Z' });
    expect(nextActionDueByOwner(draft())).toEqual({});
  });
});

describe('pendingActionReminders', () => {
  const dayEnds = '2015-07-20T22:59:59.999Z';
  const twoWorkingDaysOn = '2015-07-22T22:59:59.999Z';
  const key = (at: string) => `actions-finished#1#1-1#${at}`;
  const reminded = (pending: ReturnType<typeof pendingActionReminders>) =>
    pending.due.map(({ action, at, first, key }) => [action.id, at, first, key]);

  it("reminds the owner once the action's day has ended, then the owner and the officer one interval later, each once", () => {
    // Prepare
    const plan = final();

    // Act
    const before = pendingActionReminders(plan, 1, {}, '2015-07-20T12:00:00Z');
    const dayAfter = pendingActionReminders(plan, 1, {}, '2015-07-21T09:00:00Z');
    const ownerSent = pendingActionReminders(plan, 1, { [key(dayEnds)]: dayEnds }, '2015-07-21T09:00:00Z');
    const interval = pendingActionReminders(plan, 1, { [key(dayEnds)]: dayEnds }, '2015-07-23T09:00:00Z');
    const bothSent = pendingActionReminders(
      plan,
      1,
      { [key(dayEnds)]: dayEnds, [key(twoWorkingDaysOn)]: twoWorkingDaysOn },
      '2015-07-23T09:00:00Z',
    );

    // Assess
    expect(before).toEqual({ due: [], next: dayEnds });
    expect(reminded(dayAfter)).toEqual([['1-1', dayEnds, true, key(dayEnds)]]);
    expect(dayAfter.next).toBe(twoWorkingDaysOn);
    expect(ownerSent).toEqual({ due: [], next: twoWorkingDaysOn });
    expect(reminded(interval)).toEqual([['1-1', twoWorkingDaysOn, false, key(twoWorkingDaysOn)]]);
    expect(bothSent).toEqual({ due: [], next: '2015-08-31T22:59:59.999Z' });
  });

  it('sends only the latest reminder due of an action none was sent of, and none of a finished action or a draft', () => {
    // Prepare
    const plan = final();
    const visited = recordProgress(
      plan,
      '1-1',
      { status: 'done', note: 'Visited.' },
      { at: SENT, by: POLICE },
    );
    if (visited.outcome !== 'recorded') throw new Error(visited.outcome);

    // Act
    const late = pendingActionReminders(plan, 1, {}, '2015-07-23T09:00:00Z');
    const done = pendingActionReminders(visited.plan, 1, {}, '2015-07-23T09:00:00Z');

    // Assess
    expect(reminded(late)).toEqual([['1-1', twoWorkingDaysOn, false, key(twoWorkingDaysOn)]]);
    expect(late.next).toBe('2015-08-31T22:59:59.999Z');
    expect(done).toEqual({ due: [], next: '2015-08-31T22:59:59.999Z' });
    expect(pendingActionReminders(draft(), 1, {}, '2015-07-23T09:00:00Z')).toEqual({ due: [], next: null });
  });

  it('waits for an action due years ahead, past the bank holidays the working days are counted with', () => {
    // Prepare
    const far = planFromOutcome([{ action: 'Review the CCTV', owner: 'council', dueBy: '2040-01-31' }], {
      cycle: 1,
      csp: SEFTON,
      sentAt: SENT,
      consultation: false,
    });

    // Act, Assess
    expect(pendingActionReminders(far, 1, {}, '2015-07-23T09:00:00Z')).toEqual({
      due: [],
      next: '2040-01-31T23:59:59.999Z',
    });
  });
});

describe('actionPlanView', () => {
  it('shows the applicant each action, its status, overdue and notes, without who wrote them', () => {
    // Prepare
    const result = recordProgress(
      final(),
      '1-1',
      { status: 'in-progress', note: 'Letter sent' },
      { at: SENT, by: POLICE },
    );
    if (result.outcome !== 'recorded') throw new Error(result.outcome);

    // Act
    const applicant = actionPlanView(result.plan, 'applicant', '2015-07-25T09:00:00Z');
    const staff = actionPlanView(result.plan, 'staff', '2015-07-25T09:00:00Z');

    // Assess
    expect(applicant).toEqual({
      status: 'final',
      respondBy: null,
      response: null,
      changes: null,
      replaced: false,
      actions: [
        {
          id: '1-1',
          action: 'Visit the neighbour',
          owner: 'housing-provider',
          dueBy: '2015-07-20',
          status: 'in-progress',
          overdue: true,
          progress: [{ at: SENT.toISOString(), status: 'in-progress', note: 'Letter sent' }],
        },
        {
          id: '1-2',
          action: 'Patrol the street on Friday nights',
          owner: 'police',
          dueBy: '2015-08-31',
          status: 'open',
          overdue: false,
          progress: [],
        },
      ],
    });
    expect(JSON.stringify(applicant)).not.toContain('Sam Constable');
    expect(staff.actions[0]?.progress[0]?.by).toEqual(POLICE);
  });

  it('flags nothing overdue on a draft or on a plan replaced by a new review', () => {
    // Act, Assess
    const later = '2015-12-01T09:00:00Z';
    expect(actionPlanView(draft(), 'applicant', later).actions.every((action) => !action.overdue)).toBe(true);
    const replaced = actionPlanView(replacePlan(final(), SENT), 'applicant', later);
    expect(replaced.replaced).toBe(true);
    expect(replaced.actions.every((action) => !action.overdue)).toBe(true);
  });
});

describe('the plan and the case', () => {
  it("shares the case with each final action's owner, adding to those already asked", () => {
    // Act, Assess
    expect(planOwners(final())).toEqual(['police', 'housing-provider']);
    expect(planOwners(draft())).toEqual([]);
    expect(sharedWithAlso(['health', 'police'], planOwners(final()))).toEqual([
      'police',
      'housing-provider',
      'health',
    ]);
  });

  it('starts the referral window when the outcome is sent, or when the final plan is after a consultation', () => {
    // Prepare
    const outcomeSent = SENT.toISOString();
    const finalised = finalisePlan(
      draft(),
      { recommendations: RECOMMENDATIONS, changes: 'None' },
      new Date('2015-07-09T09:00:00Z'),
    );

    // Act, Assess
    expect(referralWindowStartsAt(outcomeSent, null)).toBe(outcomeSent);
    expect(referralWindowStartsAt(outcomeSent, final())).toBe(outcomeSent);
    expect(referralWindowStartsAt(outcomeSent, draft())).toBeNull();
    expect(referralWindowStartsAt(outcomeSent, finalised)).toBe('2015-07-09T09:00:00.000Z');
  });

  it('keeps no action of a replaced plan open, so the new review alone decides the closing', () => {
    // Act, Assess
    expect(openActions(final())).toHaveLength(2);
    expect(openActions(replacePlan(final(), SENT))).toEqual([]);
    expect(replacePlan(replacePlan(final(), SENT), new Date('2016-01-01T00:00:00Z')).replacedAt).toBe(
      SENT.toISOString(),
    );
  });

  it('lists the statuses an action can have', () => {
    // Act, Assess
    expect(ACTION_STATUSES).toEqual(['open', 'in-progress', 'done', 'cannot-be-done']);
  });
});

describe('counting reviews with recommendations by the final plan', () => {
  const reviewed = {
    csp: 'sefton',
    receivedAt: '2015-06-01T10:00:00Z',
    thresholdDecision: { met: true, at: '2015-06-05T10:00:00Z' },
    reviewOutcomes: [{ at: '2015-07-01T10:00:00Z', recommendations: 2 }],
  };

  it('counts the review when its outcome is recorded, and recommendations only once the final plan has an action', () => {
    // Prepare
    const consulting = { ...reviewed, finalPlans: [] };
    const finalised = { ...reviewed, finalPlans: [{ at: '2015-07-09T10:00:00Z', actions: 2 }] };
    const allRemoved = { ...reviewed, finalPlans: [{ at: '2015-07-09T10:00:00Z', actions: 0 }] };

    // Act, Assess
    expect(caseCounting(consulting, 'financial').columns).toEqual([
      'applicationsReceived',
      'caseReviewsCarriedOut',
    ]);
    expect(caseCounting(finalised, 'financial')).toMatchObject({
      columns: ['applicationsReceived', 'caseReviewsCarriedOut', 'reviewsWithRecommendations'],
      changedAt: '2015-07-09T10:00:00.000Z',
    });
    expect(caseCounting(allRemoved, 'financial').columns).not.toContain('reviewsWithRecommendations');
  });

  it('counts as before when no final plans are given, and not a plan finalised after a withdrawal', () => {
    // Prepare
    const withdrawn = {
      ...reviewed,
      finalPlans: [{ at: '2015-07-09T10:00:00Z', actions: 1 }],
      withdrawnAt: '2015-07-08T10:00:00Z',
    };

    // Act, Assess
    expect(caseCounting(reviewed, 'financial').columns).toContain('reviewsWithRecommendations');
    expect(caseCounting(withdrawn, 'financial').columns).not.toContain('reviewsWithRecommendations');
    expect(finalPlanFacts(final())).toEqual({ at: SENT.toISOString(), actions: 2 });
    expect(finalPlanFacts(draft())).toBeNull();
  });
});

// The steps of the case review that record information rather than decisions (contract.md, "The case
// review"): naming the victim's contact, how the victim takes part, asking agencies for what they knew
// and did, arranging the review meeting, and the victim's answer to the draft action plan. Contact,
// involvement, information requests and the meeting are updates (a new body replaces the last, audited,
// on the timeline; asking more agencies adds to those asked, and shares the case with them; a meeting
// moved is told to its invitees again); the answer to the draft is given once (another answer is a 409,
// as for any action that took effect). The same body again changes nothing. The workflow waits on none
// of them, so they are written with the case's review records and not delivered.
//
// Each agency asked is sent its request, and the meeting's invitations are sent, once written. The same
// body again sends them again under the same message ids, which the notifiers send once: so a request
// that failed after the write (and is retried) still tells everyone, and nobody is told twice. Asking
// agencies also arms the workflow's wait for the review again (so does the same body again, for the same
// reason), which then times out at the next request reminder.
import type { Caller } from '#cases/caller.ts';
import { authoriseCaseWork, settleAccessCode } from '#cases/case-access.ts';
import type { NotifyingCaseContext } from '#cases/context.ts';
import { parseInput, type RequestBody } from '#cases/parse-input.ts';
import { caseReference } from '#cases/view-case.ts';
import { requireCsp } from '#core/area-config.ts';
import type { Actor, CaseRecord } from '#core/case-record.ts';
import {
  caseContact,
  type InformationRequest,
  letterContact,
  meetingBodyOf,
  type NamedContact,
  type ReviewMeeting,
} from '#core/case-review.ts';
import type { MeetingFacts } from '#core/case-review-messages.ts';
import {
  REVIEW_ACTION_ROLES,
  type ReviewRuleAction,
  type RuleVerdict,
  whenMayTake,
} from '#core/case-review-rules.ts';
import {
  answerConsultation,
  arrangeMeeting,
  askAgencies,
  type CaseReviewState,
  meetingOf,
  planOf,
  ruleFactsOf,
  withContact,
  withInvolvement,
} from '#core/case-review-state.ts';
import { reviewTimeline, type TimelineFacts } from '#core/case-review-wording.ts';
import { isOverdue } from '#core/deadlines.ts';
import { ConflictError, NotAllowedError, NotFoundError } from '#core/errors.ts';
import {
  type Agency,
  actionPlanResponseSchema,
  caseContactSchema,
  informationRequestsSchema,
  involvementSchema,
  reviewMeetingSchema,
} from '#core/schemas.ts';
import type { CaseStage } from '#core/stages.ts';
import { canonicalHash } from '#data/canonical-hash.ts';
import {
  changeReview,
  type ReviewChange,
  type ReviewCurrent,
  readReview,
} from '#data/case-review-records.ts';
import { getApplicant, getCaseForAccess } from '#data/case-store.ts';
import { rearmReviewWait, stepFunctionsCallbacks } from '#data/case-tasks.ts';
import { CaseNotFoundError } from '#data/errors.ts';
import type { Notification } from '#shared/notifier.ts';
import { agencyRecipient, applicantRecipient, staffRecipient } from '#shared/recipients.ts';

export const REVIEW_STEPS = [
  'contact',
  'involvement',
  'information-requests',
  'review-meeting',
  'action-plan-response',
] as const;
export type ReviewStep = (typeof REVIEW_STEPS)[number];

/** What a step did: `changed` is false for the same body again. */
export interface ReviewStepDone {
  readonly reference: string;
  readonly action: ReviewStep;
  readonly changed: boolean;
  /** The case's stage: these steps do not move it. */
  readonly stage: CaseStage;
}

type StepContext = Pick<NotifyingCaseContext, 'data' | 'area' | 'clock' | 'notifier' | 'workflow'>;

/**
 * The new records, what the timeline says of them and the agencies the case is now shared with, or null
 * when they are as they were; with the requests and the meeting to tell people of (again, for a repeat).
 */
type Change =
  | ({
      readonly state: CaseReviewState;
      readonly told: TimelineFacts;
      readonly shareWith?: readonly Agency[];
    } & Telling)
  | ({ readonly unchanged: true } & Telling)
  | null;

/** Whom a step tells: the agencies of these requests, the invitees of this meeting. */
interface Telling {
  /** The victim answered the draft plan: the officer is told. */
  readonly answered?: true;
  /** `again`: the agency was asked before in the cycle, and the date or message changed. */
  readonly requests?: readonly (InformationRequest & { readonly again: boolean })[];
  readonly meeting?: ReviewMeeting;
  /** The person named the victim's contact: the applicant is told who, and how to reach them. */
  readonly contact?: NamedContact;
}

type Changer = (
  current: ReviewCurrent,
  context: { readonly area: StepContext['area']; readonly now: Date; readonly by: Actor },
) => Change;

const same = (a: unknown, b: unknown) => canonicalHash(a) === canonicalHash(b);

/** Each step's body, checked as at `now` before anything is read, and the change it makes. */
const STEPS: Readonly<Record<ReviewStep, (body: unknown, now: Date) => Changer>> = {
  contact(body) {
    const named = parseInput(caseContactSchema, body);
    return (current, { area, now, by }) => {
      const before = current.review.contact;
      if (before !== null && same({ name: before.name, phone: before.phone, email: before.email }, named)) {
        // Told again under the same id: a send lost after the write still reaches the applicant once.
        return { unchanged: true, contact: before };
      }
      const state = withContact(current.review, named, { cycle: current.case.cycle, now, by });
      const contact = caseContact(requireCsp(area, current.case.csp), state.contact);
      return {
        state,
        told: { step: 'contact', contact },
        ...(state.contact !== null && { contact: state.contact }),
      };
    };
  },
  involvement(body) {
    const involvement = parseInput(involvementSchema, body);
    return (current) =>
      same(current.review.involvement, involvement)
        ? null
        : { state: withInvolvement(current.review, involvement), told: { step: 'involvement', involvement } };
  },
  'information-requests'(body) {
    return (current, { area, now, by }) => {
      const { cycle, csp, receivedAt } = current.case;
      const asked = parseInput(informationRequestsSchema({ receivedAt, now }), body);
      const asking = askAgencies(current.review, asked, { cycle, now, by, csp: requireCsp(area, csp) });
      const request = (of: CaseReviewState, agency: Agency) =>
        of.informationRequests.find((each) => each.cycle === cycle && each.agency === agency);
      const sameAsBefore = (after: InformationRequest) => {
        const before = request(current.review, after.agency);
        return before !== undefined && before.dueBy === after.dueBy && before.message === after.message;
      };
      // A request named again unchanged keeps when it was made: its message is not sent again.
      const state = {
        ...asking.state,
        informationRequests: asking.state.informationRequests.map((each) =>
          each.cycle === cycle && sameAsBefore(each) ? (request(current.review, each.agency) ?? each) : each,
        ),
      };
      const requests = asked.agencies.flatMap((agency) => {
        const made = request(state, agency);
        if (made === undefined) return [];
        // Sent again with the same id when unchanged, so whether it is a change only words a lost first send.
        return [{ ...made, again: !sameAsBefore(made) && request(current.review, agency) !== undefined }];
      });
      if (requests.every(sameAsBefore)) return { unchanged: true, requests };
      const dueBy = requests[0]?.dueBy ?? '';
      return {
        state,
        told: { step: 'information-requests', agencies: asked.agencies, dueBy },
        shareWith: asking.shareWith,
        requests,
      };
    };
  },
  'review-meeting'(body) {
    return (current, { now, by }) => {
      const { cycle, receivedAt } = current.case;
      const arranged = parseInput(reviewMeetingSchema({ receivedAt, now }), body);
      const before = meetingOf(current.review, cycle);
      if (before !== null && same(meetingBodyOf(before), arranged))
        return { unchanged: true, meeting: before };
      const { state, rescheduled } = arrangeMeeting(current.review, arranged, { cycle, now, by });
      return {
        state,
        told: { step: 'review-meeting', at: arranged.at, format: arranged.format, rescheduled },
        meeting: meetingOf(state, cycle) ?? undefined,
      };
    };
  },
  'action-plan-response'(body) {
    const response = parseInput(actionPlanResponseSchema, body);
    return (current, { now }) => {
      const { cycle, stage } = current.case;
      const before = planOf(current.review, cycle)?.response ?? null;
      if (before !== null) {
        const { at: _at, ...given } = before;
        if (same(given, response)) return { unchanged: true, answered: true };
        throw new ConflictError(
          'You have already answered the draft action plan, so this answer was not recorded. Contact us to change it.',
          stage,
        );
      }
      const state = answerConsultation(current.review, response, { cycle, now });
      if (state === null) {
        throw new ConflictError(`There is no draft action plan to answer while the case is ${stage}.`, stage);
      }
      return { state, told: { step: 'action-plan-response', agrees: response.agrees }, answered: true };
    };
  },
};

/** A refusal of the rules as the doors map it: another's action is 403, the wrong moment 409. */
export function refusal(verdict: Exclude<RuleVerdict, { allowed: true }>, stage: CaseStage): Error {
  return verdict.failure === 'forbidden'
    ? new NotAllowedError(verdict.message)
    : new ConflictError(verdict.message, stage);
}

/**
 * Throws the 409 of the contract's "when" column when `step` may not be taken on the case now, and
 * once the applicant's withdrawal is recorded: the case is closing, and no agency should be asked,
 * invited or told anything more about it.
 */
export function whenAllowed(step: ReviewRuleAction, current: ReviewCurrent, now: Date) {
  const record = current.case;
  if (current.withdrawn) {
    throw new ConflictError(
      `The applicant has withdrawn the application, so the case is closing and this was not recorded. The case's stage is ${record.stage}.`,
      record.stage,
    );
  }
  const referralWindow = record.deadlines.referralWindow;
  const verdict = whenMayTake(
    step,
    ruleFactsOf(current.review, {
      stage: record.stage,
      cycle: record.cycle,
      reviewRecorded:
        current.outcomeRecorded ||
        (record.reviewOutcome !== null && record.reviewOutcome.cycle === record.cycle),
      referralWindowEnded: referralWindow !== undefined && isOverdue(referralWindow, now.toISOString()),
    }),
  );
  if (!verdict.allowed) throw refusal(verdict, record.stage);
}

/**
 * One of the review's information steps on the case `given`, with the body as sent: checked against who
 * may take it and when, then recorded with its timeline entry and audit entry in one transaction.
 */
export async function takeReviewStep(
  context: StepContext,
  given: string,
  step: ReviewStep,
  readBody: RequestBody,
  caller: Caller,
): Promise<ReviewStepDone> {
  const body = readBody();
  const reference = caseReference(given);
  const found = await getCaseForAccess(context.data, reference);
  if (found === undefined) throw new NotFoundError('There is no case with this reference.');
  const by = authoriseCaseWork(
    REVIEW_ACTION_ROLES[step],
    caller,
    await settleAccessCode(context, reference, caller, found),
  );
  const now = context.clock();
  const changer = STEPS[step](body, now);
  const at = now.toISOString();
  let telling: Telling = {};
  const result = await changeReview(context.data, reference, (current): ReviewChange => {
    whenAllowed(step, current, now);
    const change = changer(current, { area: context.area, now, by });
    telling = change ?? {};
    if (change === null || 'unchanged' in change) return { changed: false };
    const told = reviewTimeline(change.told);
    return {
      changed: true,
      state: change.state,
      event: { at, ...told, actor: by },
      audit: { at, actor: by, what: step },
      ...(change.shareWith !== undefined && { shareWith: change.shareWith }),
      ...(change.meeting !== undefined && { meetingAt: change.meeting.at }),
      ...(step === 'information-requests' && { repliesDue: repliesDue(change.state, current.case.cycle) }),
    };
  });
  if (telling.requests !== undefined) {
    await askByMail(context, result.case, telling.requests);
    await rearmReviewWait(context.data, stepFunctionsCallbacks(context.workflow.stepFunctions), reference);
  }
  if (telling.meeting !== undefined) await sendInvitations(context, result.case, telling.meeting);
  if (telling.contact !== undefined) await tellApplicantOfContact(context, result.case, telling.contact);
  if (telling.answered) await tellOfficerOfAnswer(context, result.case);
  return { reference, action: step, changed: result.changed, stage: result.case.stage };
}

/** The officer is told the victim's answer to the draft plan, to finalise it (once: keyed by the cycle). */
async function tellOfficerOfAnswer(context: StepContext, record: CaseRecord) {
  const plan = planOf((await readReview(context.data, record.reference)).state, record.cycle);
  if (plan?.response == null || plan.respondBy === null) return;
  const { at: _at, ...response } = plan.response;
  await context.notifier.notify({
    to: staffRecipient('officer', record),
    template: 'consultation-response',
    key: String(record.cycle),
    facts: { response, respondBy: plan.respondBy },
  });
}

/** The applicant is told who their contact now is (keyed by when they were named, so once each). */
async function tellApplicantOfContact(context: StepContext, record: CaseRecord, named: NamedContact) {
  const applicant = await getApplicant(context.data, record.reference);
  if (applicant === undefined) throw new CaseNotFoundError(record.reference);
  await context.notifier.notify({
    to: applicantRecipient(record, applicant),
    template: 'contact-named',
    key: named.at,
    facts: { contact: letterContact(requireCsp(context.area, record.csp), named) },
  });
}

/** The dates the agencies asked in `cycle` are to reply by, as the case item keeps them for the worklists. */
function repliesDue(state: CaseReviewState, cycle: number): NonNullable<CaseRecord['repliesDue']> {
  const dueBy = Object.fromEntries(
    state.informationRequests
      .filter((request) => request.cycle === cycle)
      .map((request) => [request.agency, request.dueBy]),
  );
  return { cycle, dueBy };
}

/**
 * Each request to its agency's mailbox, with its date and the officer's message: keyed by when it was
 * made, so a request named again unchanged is not sent twice, and a new date or message is.
 */
async function askByMail(
  context: StepContext,
  record: CaseRecord,
  requests: NonNullable<Telling['requests']>,
) {
  const cspName = requireCsp(context.area, record.csp).name;
  for (const request of requests) {
    await context.notifier.notify({
      to: agencyRecipient(record, request.agency),
      template: 'information-request',
      key: `${request.cycle}#${request.at}`,
      facts: {
        dueBy: request.dueBy,
        message: request.message,
        again: request.again,
        cspName,
      },
    });
  }
}

/**
 * The invitations of `meeting`'s arrangement: to each agency it told at the agency's mailbox, and to the
 * applicant (by the way they chose, with their contact's phone number) when they chose to attend.
 */
async function sendInvitations(context: StepContext, record: CaseRecord, meeting: ReviewMeeting) {
  const { notified } = meeting;
  if (notified.agencies.length === 0 && !notified.applicant) return;
  const csp = requireCsp(context.area, record.csp);
  const review = await readReview(context.data, record.reference);
  const facts = {
    meeting: {
      at: meeting.at,
      format: meeting.format,
      location: meeting.location,
      chair: meeting.chair,
      rescheduled: meeting.rescheduled,
    } satisfies MeetingFacts,
    cspName: csp.name,
    contact: letterContact(csp, review.state.contact),
  };
  const key = `${meeting.cycle}#${meeting.arrangedAt}`;
  const notifications: Notification[] = notified.agencies.map((agency) => ({
    to: agencyRecipient(record, agency),
    template: 'meeting-invitation',
    key,
    facts,
  }));
  if (notified.applicant) {
    const applicant = await getApplicant(context.data, record.reference);
    if (applicant === undefined) throw new CaseNotFoundError(record.reference);
    notifications.push({
      to: applicantRecipient(record, applicant),
      template: 'meeting-invitation',
      key,
      facts,
    });
  }
  for (const notification of notifications) await context.notifier.notify(notification);
}

// /track: an applicant signs in with their reference and access code (posted, never in a URL), then sees
// their case in plain words and can withdraw it or ask the PCC's office to check it. The session is the
// reference and code sealed in a cookie renewed while it is used (session/track-session.ts), so each page
// calls the case operations as the applicant.
// /track/new-code asks for a new access code, sent to the contact details on the case, never shown here.
// POST /track/stay-signed-in is the timeout warning's "Stay signed in" (assets/timeout.mjs): a use of the
// pages like any other, which app.ts renews the session for; /track/signed-out is where the script sends
// the applicant when the session has ended.

import { parseCaseReference } from '#cases/case-identifiers.ts';
import type { ApplicantCaseView } from '#cases/case-views.ts';
import { AGENCY_LABELS } from '#core/agency-names.ts';
import { REVIEW_ACTION_STAGES } from '#core/case-review-rules.ts';
import { type DeadlineClock, isOverdue, type NextDeadline, nextDeadline } from '#core/deadlines.ts';
import {
  ConflictError,
  InvalidInputError,
  NotAllowedError,
  NotFoundError,
  NotSignedInError,
} from '#core/errors.ts';
import { ukDateOf } from '#core/local-date.ts';
import { isActionAllowed, isOpenStage } from '#core/stages.ts';
import { clearedCookie } from '../http/cookies.ts';
import { jsonResponse, redirect } from '../http/response.ts';
import type { Page, PageContext } from '../page-context.ts';
import { caseReviewContacts } from '../render/area-words.ts';
import { contactRows } from '../render/contact-rows.ts';
import {
  answersOfInvolvement,
  howItems,
  involvementAnswersOf,
  involvementBody,
  involvementField,
  involvementRows,
} from '../render/involvement.ts';
import { type FieldError, pageErrors } from '../render/page-errors.ts';
import { actionCards, meetingRows } from '../render/review-views.ts';
import {
  CLOSURE_REASON,
  formatDate,
  nameOf,
  PCC_OUTCOME_NAME,
  ROUTE_NAME,
  STAGE_FOR_APPLICANT,
} from '../render/words.ts';
import { COOKIES, TRACK_SESSION_HOURS, TRACK_SESSION_MINUTES } from '../session/cookie-names.ts';
import { setFlash, takeFlash } from '../session/flash.ts';
import {
  readTrackSession,
  signedInCookie,
  type TrackSession,
  trackTimeout,
} from '../session/track-session.ts';
import {
  caseWithUploadSection,
  downloadFile,
  fileList,
  grantUploads,
  withUploadTargets,
} from './evidence.ts';

const REFERENCE = /^[A-Z0-9-]{4,40}$/;

function trackSession(context: PageContext): TrackSession | undefined {
  return readTrackSession(context.keys.seal, context.request, context.now);
}

/** What `read` of the applicant's case gives, or undefined when the session no longer opens the case. */
async function whileItOpens<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (
      error instanceof NotFoundError ||
      error instanceof NotAllowedError ||
      error instanceof NotSignedInError
    ) {
      return undefined;
    }
    throw error;
  }
}

/** The case as the applicant sees it, or undefined when the session no longer opens it. */
function applicantCase(context: PageContext, session: TrackSession): Promise<ApplicantCaseView | undefined> {
  return whileItOpens(() => context.deps.operations.getCase(session.reference, applicantCaller(session)));
}

const NEXT_STEP: Readonly<Record<DeadlineClock, string>> = {
  acknowledge: 'We will tell you we have your application by',
  thresholdDecision: 'We will tell you whether your application meets the threshold by',
  reviewOutcome: 'The case review will be held and its outcome recorded by',
  outcomeSent: 'We will send you the outcome of the review by',
  referralWindow: 'You can ask the Police and Crime Commissioner’s office to check your case until',
  pccDecision: 'The Police and Crime Commissioner’s office will tell you its decision by',
  consultation: 'Tell us what you think of the draft action plan by',
  actions: 'Your case stays open until every action of the plan is finished. The next one is due by',
};

/**
 * What happens next and by when. A deadline already passed (an application entered late, or a step
 * overdue) is said to be late, never promised as if it were still to come.
 */
function nextStepWords(due: NextDeadline, now: Date): string {
  if (!isOverdue(due.due, now)) return `${NEXT_STEP[due.clock]} ${formatDate(due.due)}.`;
  switch (due.clock) {
    case 'referralWindow':
      return `The time to ask the Police and Crime Commissioner’s office to check your case ended on ${formatDate(due.due)}.`;
    // The applicant's own date, not a step of ours that is late: an answer is still taken until the plan is final.
    case 'consultation':
      return `The date to tell us what you think of the draft action plan was ${formatDate(due.due)}. You can still send your answer until the plan is made final.`;
    default:
      return `This step was due by ${formatDate(due.due)}. We are sorry it is late: it will be done as soon as possible.`;
  }
}

/** A withdrawal asked for and recorded, which the workflow has not yet closed the case for. */
function withdrawing(view: Pick<ApplicantCaseView, 'stage' | 'asked'>): boolean {
  return view.asked.includes('withdraw') && view.stage !== 'closed';
}

/** Whether the applicant may still withdraw: the case is open and no withdrawal is recorded. */
function canWithdraw(view: ApplicantCaseView): boolean {
  return isOpenStage(view.stage) && !view.asked.includes('withdraw');
}

/**
 * Whether the applicant may still ask for a referral: the stage allows it, the window has not ended, and
 * neither a referral (this cycle) nor a withdrawal is recorded.
 */
function canRefer(view: ApplicantCaseView, now: Date): boolean {
  const windowEnds = view.deadlines?.referralWindow;
  return (
    isActionAllowed('referral', view.stage) &&
    (!windowEnds || new Date(windowEnds) >= now) &&
    !view.asked.includes('referral') &&
    !view.asked.includes('withdraw')
  );
}

/** The stage as the applicant reads it, including what they asked for that the workflow is applying. */
function stageWords(view: ApplicantCaseView) {
  if (withdrawing(view)) {
    return {
      title: 'Withdrawn',
      text: 'You have withdrawn your application. Your case closes in a moment, and we have told the case review officer.',
    };
  }
  if (planAnswered(view)) {
    return {
      title: STAGE_FOR_APPLICANT['action-plan-consultation'].title,
      text: 'We have your answer to the draft action plan. The case review officer will now make the plan final and send it to you.',
    };
  }
  return STAGE_FOR_APPLICANT[referralPending(view) ? 'awaiting-pcc-decision' : view.stage];
}

/** The draft plan out for consultation has the applicant's answer: what waits now is the officer's. */
function planAnswered(view: Pick<ApplicantCaseView, 'stage' | 'actionPlan'>): boolean {
  return view.stage === 'action-plan-consultation' && (view.actionPlan?.response ?? null) !== null;
}

/**
 * A referral asked for and recorded, which the workflow has not yet applied: the case's referral is none,
 * or one that a refer-back has since answered (it started this new cycle).
 */
function referralPending(view: ApplicantCaseView): boolean {
  if (!view.asked.includes('referral')) return false;
  const { referral, pccDecision } = view;
  return (
    referral === null ||
    (pccDecision !== null && pccDecision.outcome === 'refer-back' && pccDecision.at > referral.at)
  );
}

/**
 * Whether the applicant may still change how they take part: until this cycle's review is recorded. The
 * applicant's view has no cycle, so a review outcome counts as this cycle's unless the case is back at
 * `awaiting-review` after a refer-back; the operation's own rule decides, and a refusal says so.
 */
export function canChangeInvolvement(
  view: Pick<ApplicantCaseView, 'stage' | 'reviewOutcome' | 'asked'>,
): boolean {
  const stages: readonly string[] = REVIEW_ACTION_STAGES.involvement;
  return (
    stages.includes(view.stage) &&
    (view.reviewOutcome === null || view.stage === 'awaiting-review') &&
    !withdrawing(view)
  );
}

/** The threshold decision as the applicant reads it: a discretionary review is not a rule that was met. */
function decisionWords(decision: NonNullable<ApplicantCaseView['thresholdDecision']>) {
  const discretionary = decision.met && decision.route === 'discretionary';
  return {
    text: !decision.met
      ? 'The threshold for a case review is not met'
      : discretionary
        ? 'Your reports did not meet the usual rule, but the partners have decided to hold a case review'
        : 'The threshold for a case review is met',
    route: decision.met && !discretionary ? nameOf(ROUTE_NAME, decision.route) : '',
    reason: decision.reason,
  };
}

/**
 * The web address of a meeting the applicant may join online, to tap on a phone rather than copy from the
 * page: only an http(s) address, so nothing an officer typed becomes another kind of link.
 */
function joinLink(meeting: NonNullable<ApplicantCaseView['meeting']>): string | undefined {
  if (meeting.format === 'in-person' || meeting.location === undefined) return undefined;
  const address = URL.parse(meeting.location.trim());
  return address?.protocol === 'https:' || address?.protocol === 'http:' ? address.href : undefined;
}

/** The answers of the form on the draft plan, as typed, and the problems the operation found in them. */
interface PlanResponseForm {
  readonly values: { readonly agrees: string; readonly comments: string };
  readonly errors: FieldError[];
}

/** Whether the applicant may still answer the draft plan: it is out for consultation and not yet answered. */
function canAnswerPlan(view: ApplicantCaseView): boolean {
  return (
    view.stage === 'action-plan-consultation' &&
    view.actionPlan?.status === 'draft' &&
    view.actionPlan.response === null &&
    !withdrawing(view)
  );
}

/** The outcome of a review the PCC's office referred back: a new review replaces it. */
function outcomeReplaced(view: ApplicantCaseView): boolean {
  const { reviewOutcome, pccDecision } = view;
  return (
    reviewOutcome !== null &&
    pccDecision !== null &&
    pccDecision.outcome === 'refer-back' &&
    pccDecision.at > reviewOutcome.at
  );
}

function planView(plan: NonNullable<ApplicantCaseView['actionPlan']>) {
  return {
    status: plan.status,
    replaced: plan.replaced,
    respondBy: plan.respondBy && formatDate(plan.respondBy),
    response: plan.response,
    changes: plan.changes,
    cards: actionCards(plan),
  };
}

function statusView(context: PageContext, view: ApplicantCaseView, planForm?: PlanResponseForm) {
  const due = view.deadlines ? nextDeadline(view.stage, view.deadlines) : null;
  // A form shown again with its errors is not done: its flash, if any, is an earlier form's.
  const done = planForm === undefined ? takeFlash(context, view.reference) : undefined;
  const findings = view.reviewOutcome?.findings;
  return {
    title: 'Your application',
    view,
    stage: stageWords(view),
    next:
      due && !withdrawing(view) && !referralPending(view) && !planAnswered(view)
        ? nextStepWords(due, context.now)
        : null,
    decision: view.thresholdDecision && decisionWords(view.thresholdDecision),
    recommendations: (view.reviewOutcome?.recommendations ?? []).map((item) => [
      { text: item.action },
      { text: nameOf(AGENCY_LABELS, item.owner) },
      { text: formatDate(item.dueBy) },
    ]),
    pccOutcome: view.pccDecision && nameOf(PCC_OUTCOME_NAME, view.pccDecision.outcome),
    closure: view.closure && CLOSURE_REASON[view.closure.reason],
    canRefer: canRefer(view, context.now),
    canWithdraw: canWithdraw(view),
    contactRows: contactRows(view.contact),
    // Route C is the hate incident route (domain.md): its victims are pointed to hate-crime support.
    hateCrimeSupport: view.thresholdAssessment?.route === 'C' || view.thresholdDecision?.route === 'C',
    involvementRows: view.involvement && involvementRows(answersOfInvolvement(view.involvement), 'resident'),
    canChangeInvolvement: canChangeInvolvement(view),
    meeting: view.meeting && {
      invited: view.meeting.invited,
      rows: meetingRows(view.meeting),
      joinLink: joinLink(view.meeting),
      // From the day after, the meeting is past: no invitation to it, no link to join it.
      past: ukDateOf(context.now.toISOString()) > ukDateOf(view.meeting.at),
    },
    findingRows: findings && [
      { key: { text: 'How persistent the behaviour has been' }, value: { text: findings.persistence } },
      { key: { text: 'The harm, or potential harm, to you' }, value: { text: findings.harm } },
      {
        key: { text: 'Whether the response to your reports was adequate' },
        value: { text: findings.adequacy },
      },
    ],
    outcomeReplaced: outcomeReplaced(view),
    plan: view.actionPlan && planView(view.actionPlan),
    canAnswerPlan: canAnswerPlan(view),
    planForm: planForm ?? { values: { agrees: '', comments: '' }, errors: [] },
    errors: planForm && planForm.errors.length > 0 ? pageErrors(planForm.errors) : undefined,
    banner: done === undefined ? undefined : banner(done, view),
  };
}

/**
 * After a form, the status page's banner: what the case now holds, read from the case as it is now
 * (the address stays /track, with nothing in it). The workflow may take a moment to move the stage.
 */
function banner(done: string, view: ApplicantCaseView): { success: boolean; text: string } | undefined {
  const success = (text: string) => ({ success: true, text });
  switch (done) {
    case 'withdraw':
      return success(
        view.stage === 'closed'
          ? 'You have withdrawn your application, and your case is closed. We have told the case review officer.'
          : 'You have withdrawn your application. We have told the case review officer, and your case closes in a moment.',
      );
    case 'referral': {
      const due = view.stage === 'awaiting-pcc-decision' ? view.deadlines?.pccDecision : undefined;
      return success(
        `You have asked the Police and Crime Commissioner’s office to check your case. ${due ? `It will tell you its decision by ${formatDate(due)}.` : 'We will tell you its decision.'}`,
      );
    }
    case 'involvement': {
      if (view.involvement === null) return undefined;
      const how = involvementRows(answersOfInvolvement(view.involvement), 'resident')[0];
      return how && success(`Your answers are saved. You chose: ${how.value.text}.`);
    }
    case 'action-plan-response': {
      const response = view.actionPlan?.response ?? undefined;
      return (
        response &&
        success(
          `Thank you: we have your answer to the draft action plan. ${response.agrees ? 'You agree with it.' : 'You asked for changes. The case review officer will consider them before the plan is made final.'}`,
        )
      );
    }
    case 'moved-on':
      return {
        success: false,
        text: 'That could not be done, because your case has moved on. This page shows where it is now.',
      };
    default:
      return undefined;
  }
}

/** Back to the status page, which says what `what` recorded. */
function done(context: PageContext, session: TrackSession, what: string) {
  setFlash(context, session.reference, what);
  return redirect('/track');
}

/** Back to the status page, which says the case had moved on and nothing was recorded. */
function movedOn(context: PageContext, session: TrackSession) {
  return done(context, session, 'moved-on');
}

const applicantCaller = (session: TrackSession) =>
  ({ kind: 'applicant', accessCode: session.accessCode }) as const;

// GET /track (storage sends the browser back here after an upload, with the file's id)
export const trackPage: Page = async (context) => {
  const session = trackSession(context);
  return (session && (await statusPage(context, session))) ?? signInForm(context, {}, []);
};

/**
 * The status page, with the case's files and the form to add one. The plan's answer coming back with its
 * problems (`planForm`) is this same page: the files and their form are still the case's.
 */
async function statusPage(context: PageContext, session: TrackSession, planForm?: PlanResponseForm) {
  const found = await whileItOpens(() =>
    caseWithUploadSection(context, session.reference, applicantCaller(session), '/track', '/track/files'),
  );
  if (!found) return undefined;
  const { view, upload, uploaded } = found;
  const response = context.view(
    'track/status.njk',
    {
      ...statusView(context, view, planForm),
      files: fileList(view.evidence, 'applicant', (id) => `/track/files/${encodeURIComponent(id)}`),
      upload,
      uploaded,
    },
    planForm ? 400 : 200,
  );
  return withUploadTargets(response, upload);
}

// GET /track/files/{id}
export const trackFilePage: Page = async (context) => {
  const session = trackSession(context);
  if (!session) return redirect('/track');
  return downloadFile(context, session.reference, applicantCaller(session));
};

function signInForm(
  context: PageContext,
  values: Record<string, string>,
  errors: FieldError[],
  status = 200,
) {
  return context.view(
    'track/sign-in.njk',
    {
      title: 'Track your application',
      values,
      errors: errors.length > 0 ? pageErrors(errors) : undefined,
      contacts: caseReviewContacts(context.deps.area),
    },
    status,
  );
}

// POST /track
export const trackSignInPage: Page = async (context) => {
  const reference = (context.request.form.get('reference') ?? '').trim().toUpperCase().replace(/\s+/g, '');
  const accessCode = (context.request.form.get('accessCode') ?? '').trim().replace(/\s+/g, '');
  const errors: FieldError[] = [];
  if (!reference)
    errors.push({ field: 'reference', href: '#reference', text: 'Enter your reference number' });
  if (!accessCode) errors.push({ field: 'accessCode', href: '#accessCode', text: 'Enter your access code' });
  const values = { reference, accessCode: '' };
  if (errors.length > 0) return signInForm(context, values, errors, 400);
  const view = REFERENCE.test(reference)
    ? await applicantCase(context, { reference, accessCode })
    : undefined;
  if (!view) {
    const text = 'The reference number or access code is not right. Check them and try again';
    return signInForm(context, values, [{ field: 'reference', href: '#reference', text }], 400);
  }
  const response = redirect('/track');
  response.cookies.push(
    signedInCookie(context.keys.seal, { reference: view.reference, accessCode }, context.now),
  );
  return response;
};

const ACTIONS = {
  withdraw: { template: 'track/withdraw.njk', title: 'Withdraw your application' },
  referral: {
    template: 'track/referral.njk',
    title: 'Ask the Police and Crime Commissioner’s office to check your case',
  },
} as const;

type TrackAction = keyof typeof ACTIONS;

const isTrackAction = (value: string | undefined): value is TrackAction =>
  value === 'withdraw' || value === 'referral';

const INVOLVEMENT_TITLE = 'How you want to take part in the case review';

function involvementForm(
  context: PageContext,
  view: ApplicantCaseView,
  values: ReturnType<typeof answersOfInvolvement>,
  errors: FieldError[] = [],
) {
  return context.view(
    'track/involvement.njk',
    {
      title: INVOLVEMENT_TITLE,
      backLink: '/track',
      reference: view.reference,
      contactRows: contactRows(view.contact),
      values,
      howItems: howItems('resident', values.involvement),
      errors: errors.length > 0 ? pageErrors(errors) : undefined,
    },
    errors.length > 0 ? 400 : 200,
  );
}

/** POST /track/involvement: the applicant's new answers, recorded by the case review's involvement step. */
async function changeInvolvement(context: PageContext, session: TrackSession) {
  const view = await applicantCase(context, session);
  if (!view) return redirect('/track');
  const answers = involvementAnswersOf(context.request.form);
  const caller = { kind: 'applicant', accessCode: session.accessCode } as const;
  try {
    await context.deps.operations.reviewStep(
      session.reference,
      'involvement',
      // Unanswered, an empty body: the operation then asks for the answer in the resident's words, not for
      // a JSON object.
      () => involvementBody(answers) ?? {},
      caller,
    );
  } catch (error) {
    if (error instanceof InvalidInputError) {
      const errors = error.issues.map((issue) => {
        const field = involvementField(issue.path);
        return { field, href: `#${field}`, text: issue.message };
      });
      return involvementForm(context, view, answers, errors);
    }
    if (error instanceof ConflictError) return movedOn(context, session);
    throw error;
  }
  return done(context, session, 'involvement');
}

const NEW_CODE_TITLE = 'Get a new access code';

function newCodeForm(context: PageContext, reference: string, errors: FieldError[], status = 200) {
  return context.view(
    'track/new-code.njk',
    {
      title: NEW_CODE_TITLE,
      backLink: '/track',
      values: { reference },
      errors: errors.length > 0 ? pageErrors(errors) : undefined,
      contacts: caseReviewContacts(context.deps.area),
    },
    status,
  );
}

// POST /track/new-code: the same answer whether or not the case exists (contract.md, new-access-code).
async function newCodePage(context: PageContext) {
  const reference = (context.request.form.get('reference') ?? '').trim();
  if (reference === '') {
    return newCodeForm(
      context,
      reference,
      [{ field: 'reference', href: '#reference', text: 'Enter your reference number' }],
      400,
    );
  }
  if (parseCaseReference(reference) === undefined) {
    const text = 'Enter the reference number as it is on your confirmation, for example SEF-7K3M-Q9XD';
    return newCodeForm(context, reference, [{ field: 'reference', href: '#reference', text }], 400);
  }
  await context.deps.operations.requestNewAccessCode(reference, () => ({}));
  return context.view('track/new-code-sent.njk', {
    title: 'Check your email, texts or post',
    contacts: caseReviewContacts(context.deps.area),
  });
}

/** POST /track/plan-response: the applicant's answer to the draft plan, recorded by its review step. */
async function answerPlan(context: PageContext, session: TrackSession) {
  const read = (name: string) => (context.request.form.get(name) ?? '').trim();
  const values = { agrees: read('agrees'), comments: read('comments') };
  const caller = { kind: 'applicant', accessCode: session.accessCode } as const;
  const body = {
    agrees: values.agrees === 'yes' ? true : values.agrees === 'no' ? false : undefined,
    ...(values.comments !== '' && { comments: values.comments }),
  };
  try {
    await context.deps.operations.reviewStep(session.reference, 'action-plan-response', () => body, caller);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      const errors = error.issues.map((issue) => {
        const field = issue.path === 'agrees' ? 'agrees' : 'comments';
        return { field, href: `#${field}`, text: issue.message };
      });
      return (await statusPage(context, session, { values, errors })) ?? redirect('/track');
    }
    if (error instanceof ConflictError) return movedOn(context, session);
    throw error;
  }
  return done(context, session, 'action-plan-response');
}

/**
 * The timeout warning's "Stay signed in": the session as app.ts sends it again, for the script to count
 * down from (the request is one more use of the pages).
 */
function stayedSignedIn(context: PageContext) {
  const timeout = trackTimeout(context.keys.seal, context.request, context.now);
  return jsonResponse(200, timeout ?? { seconds: 0, final: true });
}

/**
 * Where the timeout warning's script sends the applicant once the session has ended. One still open
 * (used in another tab since this page counted down) goes on to the status page.
 */
function signedOutPage(context: PageContext) {
  return context.view('track/signed-out.njk', {
    title: 'You have been signed out',
    trackSessionMinutes: TRACK_SESSION_MINUTES,
    trackSessionHours: TRACK_SESSION_HOURS,
  });
}

// GET /track/{action}
/** The tracking pages' own addresses besides the status (`/track/{action}`): any other is not found. */
const TRACK_PAGES = {
  GET: ['new-code', 'signed-out', 'involvement'],
  POST: ['sign-out', 'new-code', 'stay-signed-in', 'involvement', 'plan-response', 'files'],
} as const;

function isTrackPage(method: keyof typeof TRACK_PAGES, action: string | undefined): boolean {
  return isTrackAction(action) || (TRACK_PAGES[method] as readonly (string | undefined)[]).includes(action);
}

export const trackActionPage: Page = async (context) => {
  const action = context.request.params.action;
  if (!isTrackPage('GET', action)) throw new NotFoundError('There is no such tracking page.');
  if (action === 'new-code') return newCodeForm(context, '', []);
  const session = trackSession(context);
  if (action === 'signed-out') return session ? redirect('/track') : signedOutPage(context);
  if (action === 'involvement' && session) {
    const view = await applicantCase(context, session);
    if (!view || !canChangeInvolvement(view)) return redirect('/track');
    return involvementForm(context, view, answersOfInvolvement(view.involvement));
  }
  if (!isTrackAction(action) || !session) return redirect('/track');
  const view = await applicantCase(context, session);
  if (!view) return redirect('/track');
  if (action === 'referral' ? !canRefer(view, context.now) : !canWithdraw(view)) return redirect('/track');
  return context.view(ACTIONS[action].template, {
    title: ACTIONS[action].title,
    backLink: '/track',
    reference: view.reference,
    contactRows: contactRows(view.contact),
    windowEnds: view.deadlines?.referralWindow && formatDate(view.deadlines.referralWindow),
    values: {},
  });
};

// POST /track/{action}
export const trackActPage: Page = async (context) => {
  const action = context.request.params.action;
  if (!isTrackPage('POST', action)) throw new NotFoundError('There is no such tracking page.');
  if (action === 'sign-out') {
    const response = redirect('/track');
    response.cookies.push(clearedCookie(COOKIES.track));
    return response;
  }
  if (action === 'new-code') return newCodePage(context);
  const session = trackSession(context);
  if (action === 'stay-signed-in' && session) return stayedSignedIn(context);
  if (action === 'involvement' && session) return changeInvolvement(context, session);
  if (action === 'plan-response' && session) return answerPlan(context, session);
  if (action === 'files' && session)
    return grantUploads(context, session.reference, applicantCaller(session));
  if (!isTrackAction(action) || !session) return redirect('/track');
  const reason = (context.request.form.get('reason') ?? '').trim();
  const fearOfReprisal = action === 'withdraw' ? (context.request.form.get('fearOfReprisal') ?? '') : '';
  const body = { reason, ...(fearOfReprisal === 'yes' && { fearOfReprisal: true }) };
  const caller = { kind: 'applicant', accessCode: session.accessCode } as const;
  try {
    await context.deps.operations.act(session.reference, action, () => body, caller);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      const view = await applicantCase(context, session);
      if (!view) return redirect('/track');
      const errors = error.issues.map((issue) =>
        issue.path === 'fearOfReprisal'
          ? { field: 'fearOfReprisal', href: '#fearOfReprisal', text: issue.message }
          : { field: 'reason', href: '#reason', text: issue.message },
      );
      return context.view(
        ACTIONS[action].template,
        {
          title: ACTIONS[action].title,
          backLink: '/track',
          reference: view.reference,
          contactRows: contactRows(view.contact),
          windowEnds: view.deadlines?.referralWindow && formatDate(view.deadlines.referralWindow),
          values: { reason, fearOfReprisal },
          errors: pageErrors(errors),
        },
        400,
      );
    }
    if (error instanceof ConflictError) return movedOn(context, session);
    throw error;
  }
  return done(context, session, action);
};

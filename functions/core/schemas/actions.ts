import { addCalendarMonths, formatUkDate } from '#core/calendar-months.ts';
import { type Instant, isLocalDate, type LocalDate, ukDateOf } from '#core/local-date.ts';
import {
  AGENCIES,
  acrossFields,
  calendarDate,
  choice,
  FREE_TEXT_MAX,
  isRecord,
  optionalText,
  requiredText,
  yesOrNo,
} from '#core/schemas/fields.ts';
import * as z from '#core/schemas/zod.ts';

export const THRESHOLD_ROUTES = ['A', 'B', 'C', 'discretionary'] as const;
export const PCC_OUTCOMES = ['review-stands', 'refer-back'] as const;
export const MAX_RECOMMENDATIONS = 50;

export type ThresholdRoute = (typeof THRESHOLD_ROUTES)[number];
export type PccOutcome = (typeof PCC_OUTCOMES)[number];

const reason = (enter: string) => requiredText({ enter, label: 'The reason' }, FREE_TEXT_MAX);

/**
 * `POST /api/cases/{ref}/threshold-decision`. A route only goes with a threshold that is met (by a
 * route of the rules, or at the partners' discretion); a decision that it is not met has none.
 * `confirmed` says the officer chose on purpose a route the assessment did not find
 * (core/decision-checks.ts); it is kept only when true, so leaving it out and `false` are one decision.
 */
const thresholdDecisionFields = z
  .strictObject(
    {
      met: z.boolean({ error: 'Select whether the threshold for a case review is met' }),
      route: z.optional(
        choice(THRESHOLD_ROUTES, 'Select the route by which the threshold is met: A, B, C or discretionary'),
      ),
      reason: reason('Enter the reason for the decision'),
      confirmed: z.optional(yesOrNo('Confirm the route with true, or leave confirmed out')),
    },
    { error: 'Send the decision as a JSON object' },
  )
  .check(
    acrossFields((fields, ctx) => {
      if (fields.met === true && fields.route === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['route'],
          message: 'Select the route by which the threshold is met: A, B, C or discretionary',
        });
      }
      if (fields.met === false && fields.route !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['route'],
          message: 'Only give a route when the threshold is met',
        });
      }
    }),
  );
export const thresholdDecisionSchema = z.pipe(
  thresholdDecisionFields,
  z.transform(
    ({ met, route, reason, confirmed }: z.output<typeof thresholdDecisionFields>): ThresholdDecision =>
      met && route !== undefined
        ? { met, route, reason, ...(confirmed === true && { confirmed }) }
        : { met: false, reason },
  ),
);

export type ThresholdDecision =
  | {
      readonly met: true;
      readonly route: ThresholdRoute;
      readonly reason: string;
      /** The officer confirmed a route the assessment did not find. */
      readonly confirmed?: true;
    }
  | { readonly met: false; readonly reason: string };

/**
 * `POST /api/cases/{ref}/agency-responses`: what one agency knew about the case (`summary`), what it
 * did and where things stand now (the 2025 guidance's three questions to each agency; the last two
 * optional, so that a response of one summary still stands).
 */
export const agencyResponseSchema = z.strictObject(
  {
    agency: choice(AGENCIES, 'Select the agency: police, council, housing-provider or health'),
    summary: requiredText(
      { enter: 'Enter what the agency knew and did', label: 'The summary' },
      FREE_TEXT_MAX,
    ),
    actionsTaken: optionalText(
      { enter: 'Enter what the agency did as text', label: 'What the agency did' },
      FREE_TEXT_MAX,
    ),
    currentPosition: optionalText(
      { enter: 'Enter where things stand now as text', label: 'Where things stand now' },
      FREE_TEXT_MAX,
    ),
  },
  { error: 'Send the agency response as a JSON object' },
);
export type AgencyResponse = z.output<typeof agencyResponseSchema>;

/** One recommendation of a review: an action, the agency that owns it, and when it is due. */
export const recommendationSchema = z.strictObject(
  {
    action: requiredText({ enter: 'Enter the action', label: 'The action' }, FREE_TEXT_MAX),
    owner: choice(AGENCIES, 'Select the agency responsible: police, council, housing-provider or health'),
    dueBy: calendarDate({
      enter: 'Enter the date the action is due by',
      label: 'The date the action is due by',
    }),
  },
  { error: 'Enter the action, the agency responsible and the date it is due by' },
);
export type Recommendation = z.output<typeof recommendationSchema>;

export const recommendationsSchema = z._default(
  z
    .array(recommendationSchema, { error: 'Enter the recommendations as a list' })
    .check(
      z.maxLength(MAX_RECOMMENDATIONS, { error: `You can add up to ${MAX_RECOMMENDATIONS} recommendations` }),
    ),
  [],
);

/**
 * How far ahead an action may be due: two years after the request. An action can run long (a noise
 * monitor installed, a tenancy reviewed; the workflow waits for it in spans of at most 180 days), but a day
 * years on ('9999', or 2062 typed for 2026) would never make the action overdue, so no one would be chased.
 */
const LONGEST_DUE_MONTHS = 24;

/**
 * An action cannot be due before the review that agreed it was held (`heldOn`, when it is a date), nor
 * more than two years after `now`, the request's time.
 */
export function checkDueDates(
  recommendations: unknown,
  within: { readonly heldOn: unknown; readonly now: Instant },
  ctx: Pick<z.core.$RefinementCtx, 'addIssue'>,
): void {
  if (!Array.isArray(recommendations)) return;
  const latest = addCalendarMonths(ukDateOf(within.now), LONGEST_DUE_MONTHS);
  recommendations.forEach((item: unknown, index) => {
    const dueBy = isRecord(item) ? item.dueBy : undefined;
    if (!isLocalDate(dueBy)) return;
    const path = ['recommendations', index, 'dueBy'];
    if (isLocalDate(within.heldOn) && dueBy < within.heldOn) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: 'The date the action is due by must be the same as or after the date the review was held',
      });
    } else if (dueBy > latest) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `The date the action is due by must be within two years, on or before ${formatUkDate(latest)}`,
      });
    }
  });
}

/** The fields every review outcome has: when it was held (no later than `today`) and what it concluded. */
export function reviewHeldFields(today: LocalDate) {
  return {
    heldOn: calendarDate(
      { enter: 'Enter the date the review was held', label: 'The date the review was held' },
      { notAfter: today },
    ),
    summary: requiredText({ enter: 'Enter the outcome of the review', label: 'The summary' }, FREE_TEXT_MAX),
  };
}

/** `POST /api/cases/{ref}/referral`: the applicant asks the PCC's office to check how the case was handled. */
export const referralSchema = z.strictObject(
  {
    reason: reason('Enter why you are asking the Police and Crime Commissioner’s office to check your case'),
  },
  { error: 'Send the referral as a JSON object' },
);
export type Referral = z.output<typeof referralSchema>;

/** `POST /api/cases/{ref}/pcc-decision`. */
export const pccDecisionSchema = z.strictObject(
  {
    outcome: choice(PCC_OUTCOMES, 'Select the decision: review-stands or refer-back'),
    reason: reason('Enter the reason for the decision'),
  },
  { error: 'Send the decision as a JSON object' },
);
export type PccDecision = z.output<typeof pccDecisionSchema>;

/**
 * `POST /api/cases/{ref}/withdraw`. The reason is optional (issue 13: a resident need not explain); a fear
 * of reprisal is kept only when true, so leaving it out and `false` are one withdrawal.
 */
export const withdrawSchema = z.strictObject(
  {
    reason: optionalText(
      { enter: 'Enter why the application is being withdrawn', label: 'The reason' },
      FREE_TEXT_MAX,
    ),
    fearOfReprisal: z.optional(
      yesOrNo('Say whether the applicant fears reprisal with true, or leave fearOfReprisal out'),
    ),
  },
  { error: 'Send the withdrawal as a JSON object' },
);
export type Withdrawal = z.output<typeof withdrawSchema>;

/** `POST /api/cases/{ref}/new-access-code`: nothing to say but the reference in the address. */
export const newAccessCodeSchema = z.strictObject(
  {},
  { error: 'Send an empty JSON object, {}: the new code goes to the contact details on the case' },
);

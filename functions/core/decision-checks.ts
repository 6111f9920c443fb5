// What a decision must agree with in the case it is about (contract.md, "Actions"): checks that need the
// case as stored, after the body alone has been validated (schemas/actions.ts). Each returns the issues
// to report as a 400, none when the decision fits the case.
import { formatUkDate } from '#core/calendar-months.ts';
import { type Instant, ukDateOf } from '#core/local-date.ts';
import type { ThresholdDecision } from '#core/schemas/actions.ts';
import type { Issue } from '#core/schemas/issues.ts';
import type { ThresholdAssessment } from '#core/threshold.ts';

/** When the review could have been held at the earliest. */
export interface ReviewWindow {
  readonly receivedAt: Instant;
  /** When the PCC's office last referred the case back for a new review, if it did. */
  readonly referredBackAt?: Instant;
}

/**
 * A review cannot have been held before the application was received, nor (the review of a new
 * cycle) before the PCC's office referred the case back; UK dates. That it is not in the future is
 * the schema's check.
 */
export function reviewDateIssues(heldOn: string, window: ReviewWindow): Issue[] {
  const receivedOn = ukDateOf(window.receivedAt);
  if (heldOn < receivedOn) {
    return [
      {
        path: 'heldOn',
        message: `The date the review was held must be on or after ${formatUkDate(receivedOn)}, when the application was received`,
      },
    ];
  }
  const referredBackOn = window.referredBackAt && ukDateOf(window.referredBackAt);
  if (referredBackOn !== undefined && heldOn < referredBackOn) {
    return [
      {
        path: 'heldOn',
        message: `The date the review was held must be on or after ${formatUkDate(referredBackOn)}, when the Police and Crime Commissioner’s office referred the case back for a new review`,
      },
    ];
  }
  return [];
}

/** The routes the assessment found met; older assessments name only the first. */
export function routesFound(assessment: ThresholdAssessment): readonly string[] {
  return assessment.routesMet ?? (assessment.route === null ? [] : [assessment.route]);
}

/**
 * An officer may decide a route the assessment did not find (C although no hate incident counted, B
 * without enough linked households, A without three counting incidents), or a discretionary review
 * although a route was found, but only on purpose: `confirmed` must say so.
 */
export function thresholdDecisionIssues(
  decision: ThresholdDecision,
  assessment: ThresholdAssessment | null,
): Issue[] {
  // Without an assessment there is no finding to go against (the workflow always assesses first).
  if (!decision.met || decision.confirmed === true || assessment === null) return [];
  const found = routesFound(assessment);
  if (decision.route === 'discretionary') {
    if (found.length === 0) return [];
    return [
      {
        path: 'confirmed',
        message: `The check found the threshold met by route ${found.join(' and ')}. Confirm that you want to record a decision at the partners’ discretion instead`,
      },
    ];
  }
  if (found.includes(decision.route)) return [];
  return [
    {
      path: 'confirmed',
      message: `The check did not find the threshold met by route ${decision.route}. Confirm that you have checked the application and want to record route ${decision.route}`,
    },
  ];
}

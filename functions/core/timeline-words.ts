// What the timeline says of the steps the service records for itself (links, a reminder, the threshold
// check; the case review's steps are worded in core/case-review-wording.ts): the sentences people read,
// kept with the domain rather than the storage that writes them.
import { actionNumber } from '#core/action-plan.ts';
import { AGENCY_NAMES, agreeing, capitalised } from '#core/agency-names.ts';
import { formatUkDate } from '#core/calendar-months.ts';
import type { DecisionStep } from '#core/case-record.ts';
import { ukDateOf } from '#core/local-date.ts';
import type { Agency } from '#core/schemas.ts';
import type { ThresholdAssessment } from '#core/threshold.ts';

/** What a change of links says on each case it names. */
export interface LinkChangeWords {
  /** The case whose links were changed. */
  readonly reference: string;
  readonly reason: string;
  /** On another case named: whether it left the group (else it joined). */
  readonly other?: { readonly left: boolean };
  /** On the case itself: the cases that joined its group, and those that left. */
  readonly joined: readonly string[];
  readonly left: readonly string[];
}

export function linksChanged(words: LinkChangeWords): string {
  const reason = ` Reason: ${words.reason}`;
  if (words.other !== undefined) {
    return words.other.left
      ? `Unlinked from ${words.reference}: no longer counted as about the same behaviour.${reason}`
      : `Linked with ${words.reference} as about the same behaviour.${reason}`;
  }
  const parts = [
    ...(words.joined.length > 0
      ? [`Linked with ${words.joined.join(', ')} as about the same behaviour.`]
      : []),
    ...(words.left.length > 0 ? [`Unlinked from ${words.left.join(', ')}.`] : []),
  ];
  return `${parts.join(' ')}${reason}`;
}

const STEP_WORDS: Readonly<Record<DecisionStep, string>> = {
  'threshold-decision': 'The threshold decision',
  'review-outcome': 'The case review outcome',
  'action-plan': 'The final action plan',
  referral: 'A referral request',
  'pcc-decision': "The PCC office's decision",
};

/** A reminder of a human step past its deadline `due`: the first goes to the officer, later ones their manager too. */
export function reminderSent(step: DecisionStep, due: string, first: boolean): string {
  const who =
    step === 'pcc-decision'
      ? "The PCC's office was reminded."
      : first
        ? 'The officer was reminded.'
        : 'The officer and their manager were told it is overdue.';
  return `${STEP_WORDS[step]} was due by ${formatUkDate(ukDateOf(due))}. ${who}`;
}

/** Overdue actions of the plan reminded: each to its owner, and to the officer once the owner was reminded before. */
export function actionsReminded(
  actions: readonly {
    readonly id: string;
    readonly owner: Agency;
    readonly dueBy: string;
    readonly first: boolean;
  }[],
): string {
  return actions
    .map(
      (action) =>
        `Action ${actionNumber(action.id)} was due by ${formatUkDate(action.dueBy)}. ${capitalised(AGENCY_NAMES[action.owner])} ${agreeing(action.owner).was} reminded${action.first ? '.' : ' again and the officer was told.'}`,
    )
    .join(' ');
}

/** Information requests past their due day reminded: to the agency, then (one interval later) to the officer. */
export function requestsReminded(
  reminders: readonly {
    readonly agency: Agency;
    readonly dueBy: string;
    readonly to: 'agency' | 'officer';
  }[],
): string {
  return reminders
    .map((reminder) => {
      const agency = AGENCY_NAMES[reminder.agency];
      const who =
        reminder.to === 'agency'
          ? `${capitalised(agency)} ${agreeing(reminder.agency).was} reminded.`
          : `The officer was told ${agency} ${agreeing(reminder.agency).has} not replied.`;
      return `The information requested from ${agency} was due by ${formatUkDate(reminder.dueBy)}. ${who}`;
    })
    .join(' ');
}

/** The threshold check's result, the first time or again after the linked applications changed. */
export function thresholdChecked(assessment: ThresholdAssessment, first: boolean): string {
  const result = assessment.met
    ? `it appears to be met (route ${assessment.route}). An officer will decide.`
    : 'it does not appear to be met. An officer will decide.';
  return first
    ? `The application was checked against the threshold for a case review: ${result}`
    : 'The application was checked against the threshold again, because the applications linked to ' +
        `it as being about the same behaviour changed: ${result}`;
}

/** What the timeline says when files are added to a case (their names are in the case's file list). */
export function evidenceAdded(count: number): string {
  return count === 1 ? 'A file was added to the case' : `${count} files were added to the case`;
}

/** What the staff timeline says when a scan finds malware in a file. */
export function evidenceThreatFound(name: string): string {
  return `The file "${name}" was found to contain malware: it is quarantined and will not be given to anyone`;
}

/** What the timeline says when staff share a file with the applicant, or stop sharing it. */
export function evidenceSharing(name: string, shared: boolean): string {
  return shared
    ? `The file "${name}" was shared with the applicant`
    : `The file "${name}" is no longer shared with the applicant`;
}

/** What the staff timeline says when a file is downloaded (who did, in the entry's actor). */
export function evidenceDownloaded(name: string): string {
  return `The file "${name}" was downloaded`;
}

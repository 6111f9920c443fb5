// The case review's meeting and action plan as the pages show them: summary lists whose values are text
// (so whatever an officer or agency typed is escaped), for the applicant on /track and for staff.
import type { ActionPlanView, ActionView } from '#core/action-plan.ts';
import { AGENCY_LABELS, capitalised } from '#core/agency-names.ts';
import { meetingTime } from '#core/case-review-wording.ts';
import type { MeetingFormat } from '#core/schemas.ts';
import { formatDate, formatDateTime, nameOf } from './words.ts';

/** How a review meeting is held, as a summary list or a banner says it. */
export const MEETING_FORMAT: Readonly<Record<MeetingFormat, string>> = {
  'in-person': 'In person',
  online: 'Online',
  hybrid: 'In person, with the option to join online',
};

const ACTION_STATUS: Readonly<Record<ActionView['status'], string>> = {
  open: 'Not started',
  'in-progress': 'In progress',
  done: 'Done',
  'cannot-be-done': 'Cannot be done',
};

const row = (key: string, text: string) => ({ key: { text: key }, value: { text } });

/** The meeting: when and how, and where only when the view carries it (the applicant only if invited). */
export function meetingRows(meeting: {
  readonly at: string;
  readonly format: MeetingFormat;
  readonly location?: string | undefined;
}) {
  return [
    row('When', meetingTime(meeting.at)),
    row('How', MEETING_FORMAT[meeting.format]),
    ...(meeting.location === undefined ? [] : [row('Where', meeting.location)]),
  ];
}

/** Who may be invited, as a choice names them. */
export function inviteeName(invitee: string): string {
  return invitee === 'applicant' ? 'The applicant' : nameOf(AGENCY_LABELS, invitee);
}

/** Who is invited, as one line of the meeting's summary list: "Police, Council, the applicant". */
function inviteeList(invitees: readonly string[]): string {
  return capitalised(
    invitees
      .map((invitee) => (invitee === 'applicant' ? 'the applicant' : nameOf(AGENCY_LABELS, invitee)))
      .join(', '),
  );
}

/** The meeting as staff see it: also who chairs it and who is invited. */
export function staffMeetingRows(meeting: {
  readonly at: string;
  readonly format: MeetingFormat;
  readonly location: string;
  readonly chair: { readonly name: string; readonly organisation: string; readonly independent: boolean };
  readonly invitees: readonly string[];
}) {
  const { chair } = meeting;
  return [
    ...meetingRows(meeting),
    row(
      'Chair',
      `${chair.name}, ${chair.organisation}${chair.independent ? ' (independent of the agencies involved)' : ''}`,
    ),
    row('Invited', inviteeList(meeting.invitees)),
  ];
}

/** An action's status in words, saying when an unfinished action is overdue. */
export function actionStatusText(action: Pick<ActionView, 'status' | 'overdue' | 'dueBy'>): string {
  const status = ACTION_STATUS[action.status];
  return action.overdue ? `${status}, overdue (it was due by ${formatDate(action.dueBy)})` : status;
}

/** Each action of a plan as a summary card: what, who, by when, its status and its progress notes. */
export function actionCards(plan: Pick<ActionPlanView, 'actions'>) {
  return plan.actions.map((action, index) => ({
    // A card sits under the plan's h2.
    card: { title: { text: `Action ${index + 1}: ${action.action}`, headingLevel: 3 } },
    rows: [
      row('Who will do it', nameOf(AGENCY_LABELS, action.owner)),
      row('Due by', formatDate(action.dueBy)),
      row('Status', actionStatusText(action)),
      ...action.progress.map((note) =>
        row(`${ACTION_STATUS[note.status]}, ${formatDateTime(note.at)}`, note.note),
      ),
    ],
  }));
}

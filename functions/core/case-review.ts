// What the case review as the 2025 statutory guidance runs it records before its outcome (contract.md,
// "The case review"): the victim's single point of contact, the requests to the agencies with their
// due dates, and the meeting with who is invited. Pure: the clock and the CSP are passed in. These
// records hold personal data (names, the victim's views), so they are stored apart from the case item.
import { type AreaConfig, type CaseReviewContact, type CspConfig, requireCsp } from '#core/area-config.ts';
import type { Actor, RepliesDue } from '#core/case-record.ts';
import { REMINDER_INTERVAL_WORKING_DAYS, reviewDueDate } from '#core/deadlines.ts';
import { endOfUkDay, type LocalDate, ukDateOf } from '#core/local-date.ts';
import type {
  Agency,
  CaseContactBody,
  InformationRequestBody,
  Involvement,
  ReviewMeetingBody,
} from '#core/schemas.ts';
import { AGENCIES } from '#core/schemas.ts';
import { workingDayDeadline } from '#core/working-days.ts';

/** The case view's `contact`: who the victim contacts about their case. */
export interface CaseContact {
  readonly name: string;
  readonly role: string;
  readonly phone: string;
  /** Null where the CSP's team publishes no mailbox and no person is named. */
  readonly email: string | null;
}

/** A person an officer named as the victim's single point of contact. */
export interface NamedContact extends CaseContactBody {
  readonly at: string;
  readonly by: Actor;
}

/** The role shown for the CSP's team until an officer names a person. */
export const TEAM_CONTACT_ROLE = 'Case review team';
export const NAMED_CONTACT_ROLE = 'Your single point of contact for the case review';

/** The CSP's case review contact as a case's `contact`. */
export function teamContact(contact: CaseReviewContact): CaseContact {
  return { name: contact.team, role: TEAM_CONTACT_ROLE, phone: contact.phone, email: contact.email ?? null };
}

/** The case's contact: the person an officer named, else the CSP's case review team. */
export function caseContact(csp: CspConfig, named: NamedContact | null): CaseContact {
  if (named === null) return teamContact(csp.contact);
  return { name: named.name, role: NAMED_CONTACT_ROLE, phone: named.phone, email: named.email };
}

/** The case's contact as a letter gives it: also the team's postal address, to write to. */
export function letterContact(
  csp: CspConfig,
  named: NamedContact | null,
): CaseContact & { readonly address: string } {
  return { ...caseContact(csp, named), address: csp.contact.address };
}

/** The contact of a case of `cspId` in `area` (throws UnknownCspError for a CSP the area lacks). */
export function caseContactIn(area: AreaConfig, cspId: string, named: NamedContact | null): CaseContact {
  return caseContact(requireCsp(area, cspId), named);
}

/** One agency asked for what it knew and did, in one review cycle. */
export interface InformationRequest {
  readonly agency: Agency;
  /** The last day to reply (UK date). */
  readonly dueBy: LocalDate;
  readonly message: string;
  readonly cycle: number;
  /** When it was (last) asked. */
  readonly at: string;
  readonly by: Actor;
}

/**
 * The requests after an officer asks `body.agencies`: each named agency gets its own request, due by the
 * date given or, left out, the CSP's `agencyInformation` working days from now; a request of the same
 * cycle to an agency named again is replaced (a new date or message), and the others stand (asking more
 * agencies adds to them).
 */
export function withInformationRequests(
  existing: readonly InformationRequest[],
  body: InformationRequestBody,
  context: { readonly csp: CspConfig; readonly cycle: number; readonly now: Date; readonly by: Actor },
): InformationRequest[] {
  const { csp, cycle, now, by } = context;
  const dueBy = body.dueBy ?? reviewDueDate('agencyInformation', csp, now);
  const asked = body.agencies.map(
    (agency): InformationRequest => ({
      agency,
      dueBy,
      message: body.message,
      cycle,
      at: now.toISOString(),
      by,
    }),
  );
  const kept = existing.filter(
    (request) => request.cycle !== cycle || !body.agencies.includes(request.agency),
  );
  return [...kept, ...asked];
}

/** The agencies asked in `cycle`, in the order of AGENCIES. */
export function askedAgencies(requests: readonly InformationRequest[], cycle: number): Agency[] {
  return AGENCIES.filter((agency) =>
    requests.some((request) => request.cycle === cycle && request.agency === agency),
  );
}

/**
 * `cycle`'s requests the agencies have not answered, each agency's with its date: what the case item keeps
 * so that an agency's worklist flags its own overdue request. An agency asked again after it responded
 * stays answered (its response stands, as for the officer's statuses and the reminders).
 */
export function awaitedReplies(
  requests: readonly InformationRequest[],
  responded: readonly Agency[],
  cycle: number,
): RepliesDue {
  const awaited = requests.filter(
    (request) => request.cycle === cycle && !responded.includes(request.agency),
  );
  return { cycle, dueBy: Object.fromEntries(awaited.map((request) => [request.agency, request.dueBy])) };
}

/**
 * The replies awaited once `agency` has responded in `cycle`; unchanged when they are another cycle's or
 * were never kept (a case asked before the case item kept them).
 */
export function replyReceived(awaited: RepliesDue | null, agency: Agency, cycle: number): RepliesDue | null {
  if (awaited === null || awaited.cycle !== cycle || awaited.dueBy[agency] === undefined) return awaited;
  const { [agency]: _answered, ...dueBy } = awaited.dueBy;
  return { cycle, dueBy };
}

/** A request is overdue once its due day has passed (UK date) without the agency's response. */
export function isRequestOverdue(
  request: InformationRequest,
  responded: readonly Agency[],
  now: Date,
): boolean {
  return !responded.includes(request.agency) && ukDateOf(now) > request.dueBy;
}

/** Which of `cycle`'s requests the officer sees as answered, waiting or overdue. */
export function requestStatuses(
  requests: readonly InformationRequest[],
  responded: readonly Agency[],
  cycle: number,
  now: Date,
): {
  readonly agency: Agency;
  readonly dueBy: LocalDate;
  readonly status: 'answered' | 'waiting' | 'overdue';
}[] {
  return requests
    .filter((request) => request.cycle === cycle)
    .map((request) => ({
      agency: request.agency,
      dueBy: request.dueBy,
      status: responded.includes(request.agency)
        ? 'answered'
        : isRequestOverdue(request, responded, now)
          ? 'overdue'
          : 'waiting',
    }));
}

/**
 * A reminder of an information request not answered: to its agency once its due day has ended, then to
 * the officer one reminder interval later. Each is sent once per request, due date and recipient (its
 * `key` among the case's reminders); a new due date is reminded afresh.
 */
export interface RequestReminder {
  readonly agency: Agency;
  readonly dueBy: LocalDate;
  readonly to: 'agency' | 'officer';
  /** When it falls due (ISO). */
  readonly at: string;
  readonly key: string;
}

/** Every reminder of `cycle`'s requests the agencies have not answered, whether sent or not. */
export function requestReminders(
  requests: readonly InformationRequest[],
  responded: readonly Agency[],
  cycle: number,
): RequestReminder[] {
  return requests
    .filter((request) => request.cycle === cycle && !responded.includes(request.agency))
    .flatMap(({ agency, dueBy }) => {
      const passed = endOfUkDay(dueBy);
      const key = (to: RequestReminder['to']) => `information-request#${cycle}#${agency}#${dueBy}#${to}`;
      return [
        { agency, dueBy, to: 'agency' as const, at: passed.toISOString(), key: key('agency') },
        {
          agency,
          dueBy,
          to: 'officer' as const,
          at: workingDayDeadline(passed, REMINDER_INTERVAL_WORKING_DAYS).toISOString(),
          key: key('officer'),
        },
      ];
    });
}

/**
 * Of `reminders`, those not yet `sent` (keys) that are due at `now`, oldest first, and when the next one
 * not sent falls due (null when none is left): how long the wait for the review may last.
 */
export function pendingRequestReminders(
  reminders: readonly RequestReminder[],
  sent: Readonly<Record<string, string>>,
  now: Date,
): { readonly due: RequestReminder[]; readonly next: string | null } {
  const unsent = reminders.filter((reminder) => sent[reminder.key] === undefined);
  const isDue = (reminder: RequestReminder) => Date.parse(reminder.at) <= now.getTime();
  return {
    due: unsent.filter(isDue).sort((a, b) => a.at.localeCompare(b.at)),
    next:
      unsent
        .filter((reminder) => !isDue(reminder))
        .map((reminder) => reminder.at)
        .sort()[0] ?? null,
  };
}

/** How far a wait's timeout may lie past what it was armed for: the step's clock and the wait's entry differ. */
const REARM_SLACK_MS = 60_000;

/**
 * Whether a wait, entered at `enteredAt` and timing out at `timesOutAt` (ms), would time out after the next
 * reminder it looks out for falls due (`next`: a request's, for the wait for the review; an action's, in
 * the referral window and before the PCC's office): it was armed before that was known, and is armed
 * again. A reminder not after its entry is the step before it's to send, never a reason to re-arm.
 */
export function waitOutlives(
  wait: { readonly enteredAt: number; readonly timesOutAt: number },
  next: string | null,
): boolean {
  if (next === null) return false;
  const at = Date.parse(next);
  return at > wait.enteredAt && at + REARM_SLACK_MS < wait.timesOutAt;
}

/** Who is told of an arrangement (meetingNotices). */
export interface MeetingNotices {
  readonly agencies: readonly Agency[];
  readonly applicant: boolean;
}

/** The review meeting as arranged (the latest arrangement of the cycle). */
export interface ReviewMeeting extends ReviewMeetingBody {
  readonly cycle: number;
  readonly arrangedAt: string;
  readonly by: Actor;
  /** A new time, format or place for a meeting arranged before. */
  readonly rescheduled: boolean;
  /** Who this arrangement told: a repeat of it tells them again, under the same message ids. */
  readonly notified: MeetingNotices;
}

/** The arrangement as the officer gave it, to compare with a body sent again. */
export function meetingBodyOf(meeting: ReviewMeeting): ReviewMeetingBody {
  const { at, format, location, chair, invitees } = meeting;
  return { at, format, location, chair, invitees };
}

/**
 * Who is sent an invitation: every agency invited, and the applicant only when invited and their
 * involvement is to attend (contract.md: "the applicant is invited only if their involvement is attend").
 */
export function meetingInvitations(
  meeting: Pick<ReviewMeetingBody, 'invitees'>,
  involvement: Involvement | null,
): { readonly agencies: Agency[]; readonly applicant: boolean } {
  return {
    agencies: AGENCIES.filter((agency) => meeting.invitees.includes(agency)),
    applicant: meeting.invitees.includes('applicant') && involvement?.level === 'attend',
  };
}

/** Whether a new arrangement changes what the invitees were told (time, format or place): notify again. */
export function isRescheduled(before: ReviewMeetingBody | null, after: ReviewMeetingBody): boolean {
  return (
    before !== null &&
    (before.at !== after.at || before.format !== after.format || before.location !== after.location)
  );
}

/**
 * Who is told about an arrangement: every invitation when the meeting is new or rescheduled; otherwise
 * only those newly invited (nobody is told twice of the same time and place).
 */
export function meetingNotices(
  before: ReviewMeetingBody | null,
  after: ReviewMeetingBody,
  involvement: Involvement | null,
): MeetingNotices {
  const now = meetingInvitations(after, involvement);
  if (before === null || isRescheduled(before, after)) return now;
  const already = meetingInvitations(before, involvement);
  return {
    agencies: now.agencies.filter((agency) => !already.agencies.includes(agency)),
    applicant: now.applicant && !already.applicant,
  };
}

/** What the applicant sees of the meeting: its time and format, and where only if they are invited. */
export interface ApplicantMeetingView {
  readonly at: string;
  readonly format: ReviewMeetingBody['format'];
  readonly location?: string;
  readonly invited: boolean;
}

export function applicantMeetingView(
  meeting: ReviewMeeting,
  involvement: Involvement | null,
): ApplicantMeetingView {
  const invited = meetingInvitations(meeting, involvement).applicant;
  return {
    at: meeting.at,
    format: meeting.format,
    ...(invited && { location: meeting.location }),
    invited,
  };
}

/** The case view's `meeting`, for staff. */
export function staffMeetingView(meeting: ReviewMeeting): ReviewMeetingBody {
  return meetingBodyOf(meeting);
}

// The request bodies of the case review as the 2025 statutory guidance runs it (contract.md, "The case
// review"): the victim's single point of contact and involvement, the requests to the agencies, the
// meeting, the outcome with a finding on each statutory question, the consultation on the action plan,
// the final plan and each action's progress.

import { formatUkDate } from '#core/calendar-months.ts';
import { addDays, type Instant, isLocalDate, type LocalDate, toInstant, ukDateOf } from '#core/local-date.ts';
import { checkDueDates, recommendationsSchema, reviewHeldFields } from '#core/schemas/actions.ts';
import {
  AGENCIES,
  acrossFields,
  calendarDate,
  choice,
  distinctIn,
  emailAddress,
  FREE_TEXT_MAX,
  optional,
  optionalText,
  requiredText,
  SHORT_TEXT_MAX,
  telephoneNumber,
  yesOrNo,
} from '#core/schemas/fields.ts';
import * as z from '#core/schemas/zod.ts';

export const INVOLVEMENT_LEVELS = ['attend', 'views-only', 'updates-only'] as const;
export const ATTENDANCE_MODES = ['in-person', 'online'] as const;
export const MEETING_FORMATS = ['in-person', 'online', 'hybrid'] as const;
/** Who may be invited to the review meeting or attend it: the relevant bodies and the victim. */
export const PARTICIPANTS = [...AGENCIES, 'applicant'] as const;
/** What an action's owner (or an officer) may report; every action starts `open`. */
export const PROGRESS_STATUSES = ['in-progress', 'done', 'cannot-be-done'] as const;

export type InvolvementLevel = (typeof INVOLVEMENT_LEVELS)[number];
export type AttendanceMode = (typeof ATTENDANCE_MODES)[number];
export type MeetingFormat = (typeof MEETING_FORMATS)[number];
export type Participant = (typeof PARTICIPANTS)[number];
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

const AGENCY_CHOICE = 'Select an agency: police, council, housing-provider or health';
const PARTICIPANT_CHOICE = 'Select who: police, council, housing-provider, health or applicant';

/** `POST /api/cases/{ref}/contact`: the person an officer names as the victim's single point of contact. */
export const caseContactSchema = z.strictObject(
  {
    name: requiredText(
      { enter: 'Enter the name of the contact', label: 'The name of the contact' },
      SHORT_TEXT_MAX,
    ),
    phone: telephoneNumber('Enter the telephone number of the contact'),
    email: emailAddress('Enter the email address of the contact'),
  },
  { error: 'Send the contact as a JSON object' },
);
export type CaseContactBody = z.output<typeof caseContactSchema>;

/**
 * `POST /api/cases/{ref}/involvement`, and `involvement` in an application: how involved the victim
 * wants to be. Only someone attending says how; being asked about the plan is the default, as the
 * guidance expects every victim to be consulted unless they say no.
 */
const involvementFields = z
  .strictObject(
    {
      level: choice(
        INVOLVEMENT_LEVELS,
        'Select how you want to take part: attend the meeting, give your views in writing, or be kept up to date',
      ),
      attendance: z.optional(
        z.nullable(choice(ATTENDANCE_MODES, 'Select whether you would attend in person or online')),
      ),
      views: optionalText({ enter: 'Enter your views as text', label: 'Your views' }, FREE_TEXT_MAX),
      needs: optionalText(
        { enter: 'Enter any support you need as text', label: 'The support you need' },
        FREE_TEXT_MAX,
      ),
      consultOnPlan: z.optional(
        yesOrNo('Select whether you want to see any action plan and comment on it before it is final'),
      ),
    },
    { error: 'Send how you want to take part as a JSON object' },
  )
  .check(
    acrossFields((fields, ctx) => {
      const attendance = fields.attendance ?? null;
      if (fields.level === 'attend' && attendance === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['attendance'],
          message: 'Select whether you would attend in person or online',
        });
      }
      const notAttending = fields.level === 'views-only' || fields.level === 'updates-only';
      if (notAttending && attendance !== null) {
        ctx.addIssue({
          code: 'custom',
          path: ['attendance'],
          message: 'Only say how you would attend if you want to attend the meeting',
        });
      }
    }),
  );
export const involvementSchema = z.pipe(
  involvementFields,
  z.transform(({ level, attendance, views, needs, consultOnPlan }: z.output<typeof involvementFields>) => ({
    level,
    attendance: level === 'attend' ? (attendance ?? null) : null,
    ...(views !== undefined && { views }),
    ...(needs !== undefined && { needs }),
    consultOnPlan: consultOnPlan ?? true,
  })),
);
export type Involvement = z.output<typeof involvementSchema>;

/**
 * How far ahead an agency's date to reply by (its reminders count working days on from that day) and the
 * review meeting may be.
 */
const LONGEST_AHEAD_DAYS = 365;

/**
 * `POST /api/cases/{ref}/information-requests`: the agencies to ask, by when (not before the application
 * was received, nor more than a year ahead; left out, the CSP's `agencyInformation` working days apply)
 * and what is asked. A day already gone is taken, as contract.md's example on a case received in 2015
 * is: an officer entering a case from its papers records the requests it had. A day years ahead (2062
 * typed for 2026) is a slip that would hold the agency's reminders back for decades.
 */
export function informationRequestsSchema(context: { readonly receivedAt: Instant; readonly now: Instant }) {
  const received = ukDateOf(context.receivedAt);
  const latest = addDays(ukDateOf(context.now), LONGEST_AHEAD_DAYS);
  return z.strictObject(
    {
      agencies: z.pipe(
        z
          .array(choice(AGENCIES, AGENCY_CHOICE), { error: 'Select the agencies to ask' })
          .check(z.minLength(1, { error: 'Select at least one agency to ask' })),
        z.transform(distinctIn(AGENCIES)),
      ),
      dueBy: optional(
        calendarDate(
          { enter: 'Enter the date to reply by', label: 'The date to reply by' },
          {
            from: { day: received, because: 'when the application was received' },
            until: { day: latest, within: 'a year' },
          },
        ),
      ),
      message: requiredText(
        { enter: 'Enter what you are asking the agencies for', label: 'The message' },
        FREE_TEXT_MAX,
      ),
    },
    { error: 'Send the information request as a JSON object' },
  );
}
export type InformationRequestBody = z.output<ReturnType<typeof informationRequestsSchema>>;

const DATE_TIME = 'Enter the date and time of the meeting, like 2015-06-25T14:00:00Z';

/**
 * `POST /api/cases/{ref}/review-meeting`: when and where the review meets, who chairs it and who is
 * invited (any agency: an invitation shares nothing; the case is shared with the agencies asked for
 * information). Not before the application was received, nor on a day more than a year ahead (as an
 * information request's date to reply by): a review is held within weeks, and '9999' or 2062 typed for
 * 2026 would tell every invitee a date no one meant and leave the worklist's upcoming meeting wrong. A
 * time already gone is taken, as contract.md's example on a case received in 2015 is (an officer
 * entering a case from its papers).
 */
export function reviewMeetingSchema(context: { readonly receivedAt: Instant; readonly now: Instant }) {
  const received = toInstant(context.receivedAt).toISOString();
  const latest = addDays(ukDateOf(context.now), LONGEST_AHEAD_DAYS);
  return z.strictObject(
    {
      at: z
        .pipe(
          z.pipe(
            z.string({ error: DATE_TIME }).check(z.trim()),
            z.iso.datetime({ offset: true, error: DATE_TIME }),
          ),
          z.transform((value: string) => new Date(value).toISOString()),
        )
        .check((ctx) => {
          if (ctx.value < received) {
            ctx.issues.push({
              code: 'custom',
              input: ctx.value,
              message: `The meeting must be on or after ${formatUkDate(ukDateOf(received))}, when the application was received`,
            });
          } else if (ukDateOf(ctx.value) > latest) {
            ctx.issues.push({
              code: 'custom',
              input: ctx.value,
              message: `The meeting must be within a year, on or before ${formatUkDate(latest)}`,
            });
          }
        }),
      format: choice(MEETING_FORMATS, 'Select whether the meeting is in person, online or hybrid'),
      location: requiredText(
        {
          enter: 'Enter where the meeting is, or the link to join it online',
          label: 'Where the meeting is',
        },
        FREE_TEXT_MAX,
      ),
      chair: z.strictObject(
        {
          name: requiredText(
            { enter: 'Enter the name of the chair', label: 'The name of the chair' },
            SHORT_TEXT_MAX,
          ),
          organisation: requiredText(
            { enter: 'Enter the organisation of the chair', label: 'The organisation of the chair' },
            SHORT_TEXT_MAX,
          ),
          independent: yesOrNo('Select whether the chair is independent of the agencies involved'),
        },
        { error: 'Enter the name and organisation of the chair, and whether they are independent' },
      ),
      invitees: z.pipe(
        z
          .array(choice(PARTICIPANTS, PARTICIPANT_CHOICE), { error: 'Select who is invited' })
          .check(z.minLength(1, { error: 'Select who is invited' })),
        z.transform(distinctIn(PARTICIPANTS)),
      ),
    },
    { error: 'Send the meeting as a JSON object' },
  );
}
export type ReviewMeetingBody = z.output<ReturnType<typeof reviewMeetingSchema>>;

/** When a review cycle began: receipt, or the latest PCC refer-back. The review cannot be held before. */
export interface ReviewCycleStart {
  readonly receivedAt: Instant;
  readonly referredBackAt?: Instant | null;
}

function heldNotBefore(start: ReviewCycleStart): { readonly day: LocalDate; readonly why: string } {
  const received = ukDateOf(start.receivedAt);
  const referredBack = start.referredBackAt == null ? undefined : ukDateOf(start.referredBackAt);
  return referredBack !== undefined && referredBack > received
    ? { day: referredBack, why: 'when the case was referred back for a new review' }
    : { day: received, why: 'when the application was received' };
}

/**
 * `POST /api/cases/{ref}/review-outcome` as the 2025 guidance runs it: a finding on each statutory
 * question (s.104(5): persistence, harm or potential harm, adequacy of the response), who attended, the
 * victim's views where given, and the recommendations. Held no later than today (`now`) and not before
 * the cycle began.
 */
export function caseReviewOutcomeSchema(context: { readonly now: Date } & ReviewCycleStart) {
  const today = ukDateOf(context.now);
  const earliest = heldNotBefore(context);
  const finding = (enter: string, label: string) => requiredText({ enter, label }, FREE_TEXT_MAX);
  return z
    .strictObject(
      {
        ...reviewHeldFields(today),
        findings: z.strictObject(
          {
            persistence: finding(
              'Enter the finding on how persistent the anti-social behaviour has been',
              'The finding on persistence',
            ),
            harm: finding(
              'Enter the finding on the harm, or potential harm, to the victim',
              'The finding on harm',
            ),
            adequacy: finding(
              'Enter the finding on whether the response to the reports was adequate',
              'The finding on the response',
            ),
          },
          {
            error:
              'Enter a finding on each question the review considers: persistence, harm and whether the response was adequate',
          },
        ),
        attendees: z._default(
          z.pipe(
            z.array(choice(PARTICIPANTS, PARTICIPANT_CHOICE), { error: 'Select who attended' }),
            z.transform(distinctIn(PARTICIPANTS)),
          ),
          [],
        ),
        victimViews: optionalText(
          { enter: "Enter the victim's views as text", label: "The victim's views" },
          FREE_TEXT_MAX,
        ),
        recommendations: recommendationsSchema,
      },
      { error: 'Send the review outcome as a JSON object' },
    )
    .check(
      acrossFields((fields, ctx) => {
        const { heldOn } = fields;
        if (isLocalDate(heldOn) && heldOn <= today && heldOn < earliest.day) {
          ctx.addIssue({
            code: 'custom',
            path: ['heldOn'],
            message: `The date the review was held must be on or after ${formatUkDate(earliest.day)}, ${earliest.why}`,
          });
        }
        checkDueDates(fields.recommendations, { heldOn, now: context.now }, ctx);
      }),
    );
}
export type CaseReviewOutcome = z.output<ReturnType<typeof caseReviewOutcomeSchema>>;
export type Findings = CaseReviewOutcome['findings'];

/** `POST /api/cases/{ref}/action-plan-response`: the victim agrees with the draft plan, or says what they would change. */
export const actionPlanResponseSchema = z
  .strictObject(
    {
      agrees: yesOrNo('Select whether you agree with the action plan'),
      comments: optionalText({ enter: 'Enter your comments as text', label: 'Your comments' }, FREE_TEXT_MAX),
    },
    { error: 'Send your response to the action plan as a JSON object' },
  )
  .check(
    acrossFields((fields, ctx) => {
      if (fields.agrees === false && fields.comments === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['comments'],
          message: 'Tell us what you would change in the action plan',
        });
      }
    }),
  );
export type ActionPlanResponse = z.output<typeof actionPlanResponseSchema>;

/**
 * `POST /api/cases/{ref}/action-plan`: the officer's final plan after the consultation, and what changed
 * (or that nothing did). An action is not due before the review that agreed the plan (`heldOn`), nor
 * more than two years after the request (`now`).
 */
export function actionPlanSchema(context: { readonly heldOn: LocalDate; readonly now: Instant }) {
  return z
    .strictObject(
      {
        recommendations: recommendationsSchema,
        changes: requiredText(
          {
            enter: 'Enter what changed in the plan after the consultation, or say that nothing changed',
            label: 'What changed',
          },
          FREE_TEXT_MAX,
        ),
      },
      { error: 'Send the action plan as a JSON object' },
    )
    .check(acrossFields((fields, ctx) => checkDueDates(fields.recommendations, context, ctx)));
}
export type ActionPlanBody = z.output<ReturnType<typeof actionPlanSchema>>;

/** `POST /api/cases/{ref}/actions/{actionId}/progress`: the note is for the victim, who reads it. */
export const actionProgressSchema = z.strictObject(
  {
    status: choice(
      PROGRESS_STATUSES,
      'Select the progress of the action: in-progress, done or cannot-be-done',
    ),
    note: requiredText(
      {
        enter: 'Enter a note on the progress of the action. The applicant will read it',
        label: 'The note',
      },
      FREE_TEXT_MAX,
    ),
  },
  { error: 'Send the progress of the action as a JSON object' },
);
export type ActionProgressBody = z.output<typeof actionProgressSchema>;

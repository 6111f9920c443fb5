import { isLocalDate, ukDateOf } from '#core/local-date.ts';
import { involvementSchema } from '#core/schemas/case-review.ts';
import {
  acrossFields,
  calendarDate,
  choice,
  EMAIL_FORMAT,
  emailAddress,
  FREE_TEXT_MAX,
  isRecord,
  optional,
  optionalText,
  requiredText,
  SHORT_TEXT_MAX,
  TELEPHONE_FORMAT,
  telephoneNumber,
  whenAllValid,
  yesOrNo,
} from '#core/schemas/fields.ts';
import * as z from '#core/schemas/zod.ts';

export const VICTIM_TYPES = ['individual', 'business', 'community-group'] as const;
export const REPORTED_TO = ['council', 'police', 'housing-provider', 'health', 'other'] as const;
export const HATE_MOTIVATIONS = [
  'race',
  'religion',
  'disability',
  'sexual-orientation',
  'transgender-identity',
] as const;
export const CONTACT_PREFERENCES = ['email', 'phone', 'text', 'post'] as const;
export const CHANNELS = ['online', 'phone', 'letter', 'email', 'in-person'] as const;
export const MAX_INCIDENTS = 50;
/** People involved in the behaviour, and witnesses: a household or a group, not a crowd. */
export const MAX_INVOLVED = 20;
export const MAX_WITNESSES = 20;
/** Other reports of one incident: one to each body, and a few repeats, is plenty. */
export const MAX_OTHER_REPORTS = 10;

export type VictimType = (typeof VICTIM_TYPES)[number];
export type ReportedTo = (typeof REPORTED_TO)[number];
export type HateMotivation = (typeof HATE_MOTIVATIONS)[number];
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number];
export type Channel = (typeof CHANNELS)[number];

export interface ApplicationContext {
  /** The server's clock: no date may be after today in the UK, no instant after `now`. */
  readonly now: Date;
  /** A council officer entering the application (only they may set `channel` and `receivedAt`). */
  readonly staff: boolean;
  /** The CSPs the application may be made to (an officer: their own CSP only). */
  readonly cspIds: readonly string[];
}

// Outward code, then inward code (digit + two letters), spaces optional as people type them.
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
// The ASB case review came into force on 20 October 2014, so nothing was received before midnight
// that day in the UK (BST, so 23:00 UTC the day before).
const COMMUNITY_TRIGGER_STARTED = '2014-10-19T23:00:00.000Z';
// The earliest day an incident can have happened: 13 March 2014, when the Anti-social Behaviour, Crime
// and Policing Act 2014 became law. Not the case review's start (20 October 2014): an application of its
// first day counts complaints of the six months before it, about behaviour up to a month before each
// (s.104), so from late March 2014, and those must be taken. Anything earlier could never count, and is
// most often a slip (1066, or 0215 typed for 2015).
const EARLIEST_INCIDENT = {
  day: '2014-03-13',
  because: 'when the Anti-social Behaviour, Crime and Policing Act 2014 became law',
};

const postcode = (enter: string) =>
  z.pipe(
    z.pipe(
      z.pipe(
        z.string({ error: enter }),
        z.transform((value: string) => value.replace(/\s+/g, '').toUpperCase()),
      ),
      // A box left empty is asked for, as a wrong one is corrected (GOV.UK error messages).
      z
        .string()
        .check(
          z.minLength(1, { error: enter, abort: true }),
          z.regex(POSTCODE, { error: 'Enter a real postcode, like L20 1AA' }),
        ),
    ),
    z.transform((value: string) => value.replace(POSTCODE, '$1 $2')),
  );

const email = optional(emailAddress(EMAIL_FORMAT));

const telephone = optional(telephoneNumber(TELEPHONE_FORMAT));

const applicant = z
  .strictObject(
    {
      name: requiredText({ enter: 'Enter your full name', label: 'Your full name' }, SHORT_TEXT_MAX),
      email,
      phone: telephone,
      address: requiredText({ enter: 'Enter your address', label: 'Your address' }, SHORT_TEXT_MAX),
      postcode: postcode('Enter your postcode'),
      contactPreference: choice(CONTACT_PREFERENCES, 'Select how you would like us to contact you'),
      accessibilityNeeds: optionalText(
        { enter: 'Enter any accessibility needs as text', label: 'Your accessibility needs' },
        FREE_TEXT_MAX,
      ),
      vulnerabilityNeeds: optionalText(
        { enter: 'Enter anything that makes you vulnerable as text', label: 'What makes you vulnerable' },
        FREE_TEXT_MAX,
      ),
    },
    { error: 'Enter your name, address and contact details' },
  )
  .check(
    acrossFields((fields, ctx) => {
      // Blank counts as not given; a wrong answer counts as given, as its own message says what is wrong.
      const gaveEmail = fields.email !== undefined;
      const gavePhone = fields.phone !== undefined;
      // Letters go to the address, always required, so a resident who chose them needs neither (issue 13).
      if (!gaveEmail && !gavePhone && fields.contactPreference !== 'post') {
        ctx.addIssue({
          code: 'custom',
          path: ['email'],
          message:
            'Enter an email address or a telephone number, so we can contact you about your application',
        });
        return;
      }
      if (fields.contactPreference === 'email' && !gaveEmail) {
        ctx.addIssue({
          code: 'custom',
          path: ['email'],
          message: 'Enter your email address, or choose another way for us to contact you',
        });
      }
      if ((fields.contactPreference === 'phone' || fields.contactPreference === 'text') && !gavePhone) {
        ctx.addIssue({
          code: 'custom',
          path: ['phone'],
          message: 'Enter your telephone number, or choose another way for us to contact you',
        });
      }
    }),
  );

const THIRD_PARTY_CONSENT =
  'You can only apply for someone else if they agree to it. Confirm that they have given their consent';

const onBehalfOf = z.strictObject(
  {
    name: requiredText(
      { enter: 'Enter the name of the person you are applying for', label: 'Their name' },
      SHORT_TEXT_MAX,
    ),
    relationship: requiredText(
      {
        enter: 'Enter how you know the person you are applying for, like neighbour or councillor',
        label: 'How you know them',
      },
      SHORT_TEXT_MAX,
    ),
    consentGiven: z.literal(true, { error: THIRD_PARTY_CONSENT }),
    // Their address lets complaints from one household be counted once (route B of the threshold).
    address: optionalText({ enter: 'Enter their address', label: 'Their address' }, SHORT_TEXT_MAX),
    postcode: optional(postcode('Enter their postcode')),
    email,
    phone: telephone,
  },
  { error: 'Enter the details of the person you are applying for' },
);

function isHateMotivation(value: unknown): value is HateMotivation {
  return HATE_MOTIVATIONS.some((motivation) => motivation === value);
}

// One motivation or several (race and religion, say); each is kept once, and none given is left out.
const hateMotivation = z.optional(
  z.pipe(
    z.union([z.enum(HATE_MOTIVATIONS), z.array(z.enum(HATE_MOTIVATIONS))], {
      error:
        'Select what you think motivated the incident: race, religion, disability, sexual orientation or transgender identity',
    }),
    z.transform((value: HateMotivation | HateMotivation[]) => {
      const motivations = [...new Set(Array.isArray(value) ? value : [value])];
      return motivations.length > 0 ? motivations : undefined;
    }),
  ),
);

/** The same incident reported to another body (contract: `alsoReportedTo`). */
function otherReport(today: string) {
  return z.strictObject(
    {
      reportedTo: choice(REPORTED_TO, 'Select who else the incident was reported to'),
      reportedOn: calendarDate(
        {
          enter: 'Enter the date the incident was reported to them',
          label: 'The date the incident was reported to them',
        },
        { notAfter: today },
      ),
      reference: optionalText(
        { enter: 'Enter their reference number as text', label: 'Their reference number' },
        SHORT_TEXT_MAX,
      ),
    },
    { error: 'Enter who else the incident was reported to, and when' },
  );
}

function incident(today: string) {
  return z
    .strictObject(
      {
        occurredOn: calendarDate(
          { enter: 'Enter the date the incident happened', label: 'The date the incident happened' },
          { notAfter: today, from: EARLIEST_INCIDENT },
        ),
        occurredAt: optional(
          z.string({ error: 'Enter the time the incident happened, like 09:30 or 21:15' }).check(
            z.trim(),
            z.regex(TIME, {
              error: 'The time the incident happened must be a real time, like 09:30 or 21:15',
            }),
          ),
        ),
        reportedOn: calendarDate(
          { enter: 'Enter the date the incident was reported', label: 'The date the incident was reported' },
          { notAfter: today },
        ),
        reportedTo: choice(REPORTED_TO, 'Select who the incident was reported to'),
        reference: optionalText(
          { enter: 'Enter the reference number as text', label: 'The reference number' },
          SHORT_TEXT_MAX,
        ),
        location: optionalText(
          { enter: 'Enter where the incident happened', label: 'Where the incident happened' },
          SHORT_TEXT_MAX,
        ),
        description: requiredText(
          { enter: 'Describe what happened', label: 'The description of what happened' },
          FREE_TEXT_MAX,
        ),
        alsoReportedTo: z.optional(
          z
            .array(otherReport(today), { error: 'Enter who else the incident was reported to, and when' })
            .check(
              z.maxLength(MAX_OTHER_REPORTS, {
                error: `You can add up to ${MAX_OTHER_REPORTS} other reports of one incident. Describe any others in what happened`,
              }),
            ),
        ),
        hateMotivated: yesOrNo('Select whether you think the incident was a hate incident'),
        hateMotivation,
      },
      { error: 'Enter the details of the incident' },
    )
    .check(
      acrossFields((fields, ctx) => {
        const { occurredOn, reportedOn } = fields;
        if (isLocalDate(occurredOn) && isLocalDate(reportedOn) && reportedOn < occurredOn) {
          ctx.addIssue({
            code: 'custom',
            path: ['reportedOn'],
            message: 'The date the incident was reported must be the same as or after the date it happened',
          });
        }
        if (isLocalDate(occurredOn) && Array.isArray(fields.alsoReportedTo)) {
          fields.alsoReportedTo.forEach((other: unknown, index) => {
            const otherOn = isRecord(other) ? other.reportedOn : undefined;
            if (isLocalDate(otherOn) && otherOn < occurredOn) {
              ctx.addIssue({
                code: 'custom',
                path: ['alsoReportedTo', index, 'reportedOn'],
                message:
                  'The date the incident was reported to them must be the same as or after the date it happened',
              });
            }
          });
        }
        // Only a motivation that came through valid: a wrong one has its own message.
        const motivations = fields.hateMotivation;
        const validMotivations =
          Array.isArray(motivations) && motivations.length > 0 && motivations.every(isHateMotivation);
        if (fields.hateMotivated === false && validMotivations) {
          ctx.addIssue({
            code: 'custom',
            path: ['hateMotivation'],
            message: 'Only say what motivated the incident if you think it was a hate incident',
          });
        }
      }),
    );
}

/**
 * Someone involved in the behaviour, as far as the person applying knows them: a name if known, what
 * they look like or do, where they live or are seen. Special care data: only staff of the case see it.
 */
const involvedPerson = z
  .strictObject(
    {
      name: optionalText({ enter: 'Enter their name as text', label: 'Their name' }, SHORT_TEXT_MAX),
      description: optionalText(
        { enter: 'Describe them as text', label: 'The description of them' },
        SHORT_TEXT_MAX * 5,
      ),
      address: optionalText(
        { enter: 'Enter their address, or the place, as text', label: 'Their address or the place' },
        SHORT_TEXT_MAX,
      ),
    },
    { error: 'Enter a name, a description or an address for each person involved' },
  )
  .check(
    acrossFields((fields, ctx) => {
      if (fields.name === undefined && fields.description === undefined && fields.address === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['name'],
          message: 'Enter their name, a description of them, or where they live or are seen',
        });
      }
    }),
  );

/** A witness willing to speak to the council or the police. Special care data, as above. */
const witness = z.strictObject(
  {
    name: requiredText(
      { enter: 'Enter the name of the witness', label: 'The name of the witness' },
      SHORT_TEXT_MAX,
    ),
    contact: optionalText(
      { enter: 'Enter how to contact the witness as text', label: 'How to contact the witness' },
      SHORT_TEXT_MAX,
    ),
  },
  { error: 'Enter the name of each witness, and how to contact them' },
);

/** An optional list in which an empty list counts as not given. */
const optionalList = <T extends z.ZodMiniType>(
  item: T,
  max: number,
  words: { enter: string; tooMany: string },
) =>
  z.pipe(
    z.optional(z.array(item, { error: words.enter }).check(z.maxLength(max, { error: words.tooMany }))),
    z.transform((list: z.output<T>[] | undefined) =>
      list === undefined || list.length === 0 ? undefined : list,
    ),
  );

function staffOnly(field: string) {
  return z.optional(z.never({ error: `Only council officers can set ${field}` }));
}

function receivedAt(now: Date) {
  const enter = 'Enter the date and time the application was received, like 2015-06-01T10:00:00Z';
  return z
    .pipe(
      z.pipe(z.string({ error: enter }).check(z.trim()), z.iso.datetime({ offset: true, error: enter })),
      z.transform((value: string) => new Date(value).toISOString()),
    )
    .check(
      z.superRefine((value: string, ctx) => {
        if (value < COMMUNITY_TRIGGER_STARTED) {
          ctx.addIssue({
            code: 'custom',
            message:
              'The date the application was received must be on or after 20 October 2014, when the case review began',
          });
        } else if (value > now.toISOString()) {
          ctx.addIssue({
            code: 'custom',
            message: 'The date and time the application was received must be now or in the past',
          });
        }
      }),
    );
}

/**
 * The body of `POST /api/applications` (contract.md), checked as at `now`.
 *
 * The result always has `channel` and `receivedAt`: an online application gets `online` and `now`;
 * an officer must say how the application came in and may give when it was received (default `now`).
 *
 * `consentToShare` must be `true`: the application exists to get a multi-agency case review, which
 * cannot happen without sharing it between the agencies, and a case that could never proceed would
 * only stall. Saying no is answered at once, with the reason, instead of after an officer's triage.
 */
export function applicationSchema(context: ApplicationContext) {
  const { now, staff, cspIds } = context;
  const today = ukDateOf(now);
  const fields = z.strictObject(
    {
      csp: z.string({ error: 'Select the council area where the anti-social behaviour is happening' }).check(
        z.trim(),
        z.refine((value: string) => cspIds.includes(value), {
          error: 'Select the council area where the anti-social behaviour is happening',
        }),
      ),
      victimType: choice(
        VICTIM_TYPES,
        'Select whether the victim is a person, a business or a community group',
      ),
      applicant,
      onBehalfOf: z.optional(onBehalfOf),
      description: requiredText(
        {
          enter: 'Describe the anti-social behaviour',
          label: 'The description of the anti-social behaviour',
        },
        FREE_TEXT_MAX,
      ),
      impact: requiredText(
        {
          enter: 'Describe how the anti-social behaviour is affecting you',
          label: 'The description of how it is affecting you',
        },
        FREE_TEXT_MAX,
      ),
      incidents: z.array(incident(today), { error: 'Add at least one incident you have reported' }).check(
        z.minLength(1, { error: 'Add at least one incident you have reported' }),
        z.maxLength(MAX_INCIDENTS, {
          error: `You can add up to ${MAX_INCIDENTS} incidents. Describe any others in your description`,
        }),
      ),
      // How involved the victim wants to be in the case review (contract.md, "The case review").
      involvement: z.optional(involvementSchema),
      involved: optionalList(involvedPerson, MAX_INVOLVED, {
        enter: 'Enter the people involved as a list',
        tooMany: `You can name up to ${MAX_INVOLVED} people involved. Describe any others in your description`,
      }),
      witnesses: optionalList(witness, MAX_WITNESSES, {
        enter: 'Enter the witnesses as a list',
        tooMany: `You can name up to ${MAX_WITNESSES} witnesses`,
      }),
      consentToShare: z.literal(true, {
        error:
          'Confirm that you agree to the agencies sharing the information in this application with each other. The case review cannot happen without it',
      }),
      channel: staff ? choice(CHANNELS, 'Select how the application was received') : staffOnly('channel'),
      receivedAt: staff ? z.optional(receivedAt(now)) : staffOnly('receivedAt'),
    },
    { error: 'Send the application as a JSON object' },
  );
  return z.pipe(
    fields.check(
      z.superRefine((application: z.output<typeof fields>, ctx) => {
        // An officer entering an old letter: nothing in it can have happened after it arrived.
        if (application.receivedAt === undefined) return;
        const receivedOn = ukDateOf(application.receivedAt);
        application.incidents.forEach(({ occurredOn, reportedOn, alsoReportedTo }, index) => {
          if (occurredOn > receivedOn) {
            ctx.addIssue({
              code: 'custom',
              path: ['incidents', index, 'occurredOn'],
              message:
                'The date the incident happened must be on or before the date the application was received',
            });
          }
          if (reportedOn > receivedOn) {
            ctx.addIssue({
              code: 'custom',
              path: ['incidents', index, 'reportedOn'],
              message:
                'The date the incident was reported must be on or before the date the application was received',
            });
          }
          alsoReportedTo?.forEach((other, otherIndex) => {
            if (other.reportedOn > receivedOn) {
              ctx.addIssue({
                code: 'custom',
                path: ['incidents', index, 'alsoReportedTo', otherIndex, 'reportedOn'],
                message:
                  'The date the incident was reported to them must be on or before the date the application was received',
              });
            }
          });
        });
      }, whenAllValid),
    ),
    z.transform(({ channel, receivedAt, ...application }: z.output<typeof fields>) => ({
      ...application,
      channel: channel ?? 'online',
      receivedAt: receivedAt ?? now.toISOString(),
    })),
  );
}

export type Application = z.output<ReturnType<typeof applicationSchema>>;
export type Applicant = Application['applicant'];
export type Incident = Application['incidents'][number];
export type InvolvedPerson = NonNullable<Application['involved']>[number];
export type Witness = NonNullable<Application['witnesses']>[number];

// How a deployment sends its messages: through GOV.UK Notify (email, text message and letter, with the
// ids of the Notify templates that carry the words of functions/shared/messages.ts) or Amazon SES
// (email), and the mailboxes that reach each CSP's officers and managers, the agencies it works with
// (asked for information, invited to a review meeting) and the PCC's office. The CDK
// app validates these settings at synth and bundles them as a file named in NOTIFICATION_SETTINGS_FILE.
import { readFileSync } from 'node:fs';
import type { AreaConfig } from '#core/area-config.ts';
import * as z from '#core/schemas/zod.ts';
import { AGENCIES, type Agency } from '#core/schemas.ts';
import type { Recipient } from '#shared/notifier.ts';

export interface StaffMailboxes {
  readonly officer: string;
  readonly manager: string;
  /** The case review mailbox of each agency of the CSP's partnership. */
  readonly agencies: Readonly<Record<Agency, string>>;
}

/**
 * Each Notify template takes the message's words as personalisation: the email and letter templates
 * are `((subject))` over `((body))`, the text message template is `((body))`.
 */
export interface NotifyTemplates {
  readonly email: string;
  readonly sms: string;
  readonly letter: string;
}

export interface NotificationSettings {
  readonly provider: 'govuk-notify' | 'ses';
  readonly staff: {
    readonly pcc: string;
    readonly csps: Readonly<Record<string, StaffMailboxes>>;
  };
  readonly govukNotify?: { readonly templates: NotifyTemplates };
  readonly ses?: { readonly fromAddress: string; readonly configurationSet?: string };
}

export class NotificationSettingsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotificationSettingsError';
  }
}

export class InvalidNotificationSettingsError extends NotificationSettingsError {
  readonly issues: readonly string[];

  constructor(issues: readonly string[], options?: ErrorOptions) {
    super(`Invalid notification settings: ${issues.join('; ')}`, options);
    this.name = 'InvalidNotificationSettingsError';
    this.issues = issues;
  }
}

export class UnreadableNotificationSettingsError extends NotificationSettingsError {
  readonly file: string;

  constructor(file: string, options?: ErrorOptions) {
    // Why: not there, not readable or not JSON (the position of the first error).
    const why = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`Cannot read the notification settings in ${file}${why}`, options);
    this.name = 'UnreadableNotificationSettingsError';
    this.file = file;
  }
}

const mailbox = z.email({ error: 'must be an email address' });
const templateId = z.uuid({ error: 'must be a GOV.UK Notify template id (a UUID)' });

const settingsSchema = z
  .strictObject({
    provider: z.enum(['govuk-notify', 'ses'], { error: "must be 'govuk-notify' or 'ses'" }),
    staff: z.strictObject({
      pcc: mailbox,
      csps: z.record(
        z.string(),
        z.strictObject({
          officer: mailbox,
          manager: mailbox,
          agencies: z.strictObject(
            Object.fromEntries(AGENCIES.map((agency) => [agency, mailbox])) as Record<Agency, typeof mailbox>,
          ),
        }),
      ),
    }),
    govukNotify: z.optional(
      z.strictObject({
        templates: z.strictObject({ email: templateId, sms: templateId, letter: templateId }),
      }),
    ),
    ses: z.optional(
      z.strictObject({
        fromAddress: mailbox,
        configurationSet: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))),
      }),
    ),
  })
  .check(
    z.superRefine((settings, ctx) => {
      if (settings.provider === 'govuk-notify' && !settings.govukNotify) {
        ctx.addIssue({
          code: 'custom',
          path: ['govukNotify'],
          message: 'is needed for the govuk-notify provider',
        });
      }
      if (settings.provider === 'ses' && !settings.ses) {
        ctx.addIssue({ code: 'custom', path: ['ses'], message: 'is needed for the ses provider' });
      }
    }),
  );

/** Checks settings (typed or parsed from a file) against the area: every CSP needs its mailboxes. */
export function validateNotificationSettings(input: unknown, area: AreaConfig): NotificationSettings {
  const result = settingsSchema.safeParse(input);
  if (!result.success) {
    throw new InvalidNotificationSettingsError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      { cause: result.error },
    );
  }
  const known = new Set(area.csps.map((csp) => csp.id));
  const issues = [
    ...area.csps
      .filter((csp) => !result.data.staff.csps[csp.id])
      .map((csp) => `staff.csps: no mailboxes for ${csp.id}`),
    ...Object.keys(result.data.staff.csps)
      .filter((id) => !known.has(id))
      .map((id) => `staff.csps: ${id} is not a CSP of ${area.id}`),
  ];
  if (issues.length > 0) throw new InvalidNotificationSettingsError(issues);
  return result.data;
}

export function readNotificationSettings(file: string, area: AreaConfig): NotificationSettings {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UnreadableNotificationSettingsError(file, { cause: error });
  }
  return validateNotificationSettings(input, area);
}

/** The settings' SES sender, which the ses provider needs. */
export function sesSettings(settings: NotificationSettings): NonNullable<NotificationSettings['ses']> {
  if (!settings.ses) throw new InvalidNotificationSettingsError(['ses: is needed for the ses provider']);
  return settings.ses;
}

/** The settings' Notify templates, which the govuk-notify provider needs. */
export function notifyTemplates(settings: NotificationSettings): NotifyTemplates {
  const templates = settings.govukNotify?.templates;
  if (!templates)
    throw new InvalidNotificationSettingsError(['govukNotify: is needed for the govuk-notify provider']);
  return templates;
}

function cspMailboxes(settings: NotificationSettings, csp: string): StaffMailboxes {
  const mailboxes = settings.staff.csps[csp];
  if (!mailboxes) throw new InvalidNotificationSettingsError([`staff.csps: no mailboxes for ${csp}`]);
  return mailboxes;
}

/** The mailbox of a member of staff of a CSP, or of the PCC's office. */
export function staffMailbox(
  settings: NotificationSettings,
  kind: 'officer' | 'manager' | 'pcc',
  csp: string,
): string {
  if (kind === 'pcc') return settings.staff.pcc;
  return cspMailboxes(settings, csp)[kind];
}

/** The mailbox a message to anyone but the applicant goes to: the staff member's, or the agency's. */
export function recipientMailbox(settings: NotificationSettings, to: Recipient): string {
  if (to.kind === 'applicant') throw new TypeError('The applicant is reached by their own contact details');
  if (to.kind !== 'agency') return staffMailbox(settings, to.kind, to.csp);
  if (to.agency === undefined) throw new TypeError('A message to an agency names the agency');
  return cspMailboxes(settings, to.csp).agencies[to.agency];
}

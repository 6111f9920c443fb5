import { formatUkDate } from '#core/calendar-months.ts';
import { isLocalDate, type LocalDate } from '#core/local-date.ts';
import * as z from '#core/schemas/zod.ts';

/** Names, references and other one-line answers (contract.md, "Limits"). */
export const SHORT_TEXT_MAX = 200;
/** Descriptions, reasons and summaries. */
export const FREE_TEXT_MAX = 10_000;

// UK numbers (0 and 9 or 10 digits) or international ones (+ and 8 to 15 digits), once the spaces,
// hyphens and brackets people write them with are taken out.
const TELEPHONE = /^(?:0\d{9,10}|\+\d{8,15})$/;
const TELEPHONE_SEPARATORS = /[\s\-()]/g;

export function isTelephoneNumber(value: string): boolean {
  return TELEPHONE.test(value.replace(TELEPHONE_SEPARATORS, ''));
}

export const AGENCIES = ['police', 'council', 'housing-provider', 'health'] as const;
export type Agency = (typeof AGENCIES)[number];

/**
 * How a field is spoken of in messages, GOV.UK style: `enter` when it is missing or unusable
 * ("Enter your full name"), `label` to start any other message ("Your full name must be ...").
 */
export interface FieldWords {
  readonly enter: string;
  readonly label: string;
}

/**
 * A whole number as en-GB writes it (5000 as 5,000), without Intl: asking Intl for the first time costs
 * a fresh process about 10 ms of CPU, and every schema with a limit words it as the function loads.
 */
function withThousands(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

// Control characters other than tab and line breaks: nobody types them, and a NUL or an escape in a
// name would go on into letters, emails and texts as it came.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * A required answer: trimmed, not empty, at most `max` characters, and text a letter can carry: no
 * control characters, and no half of a character (a lone surrogate, which JSON can spell as `\ud800`
 * but UTF-8, and so DynamoDB and every message, cannot hold).
 */
export function requiredText(words: FieldWords, max: number) {
  return z.string({ error: words.enter }).check(
    z.trim(),
    z.minLength(1, { error: words.enter }),
    z.maxLength(max, { error: `${words.label} must be ${withThousands(max)} characters or less` }),
    z.superRefine((value, ctx) => {
      if (CONTROL_CHARACTER.test(value)) {
        ctx.addIssue({ code: 'custom', message: `${words.label} must not include control characters` });
      } else if (!value.isWellFormed()) {
        ctx.addIssue({
          code: 'custom',
          message: `${words.label} must not include broken characters, like half of an emoji`,
        });
      }
    }),
  );
}

/**
 * An answer that may be left out. An empty or blank answer counts as left out, because a form sends
 * the fields a person skipped as empty strings.
 */
export function optionalText(words: FieldWords, max: number) {
  return optional(requiredText(words, max));
}

/** Makes a trimmed string field optional, treating blank as absent. */
export function optional<T extends z.ZodMiniType>(schema: T) {
  return z.pipe(z.transform(blankAsAbsent), z.optional(schema));
}

function blankAsAbsent(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

/**
 * A calendar date written `YYYY-MM-DD`. With `notAfter` (a UK date), it must be on or before that day:
 * that is how "no date in the future" is checked against a clock passed in, never read here. With
 * `from`, it must be on or after its day, and the message says why (`because`, like "when … began");
 * with `until`, on or before its day, the message saying how far ahead that is (`within`, like "a year").
 * One check gives one message, the first that applies, so a blank date is not also "not a real date".
 */
export function calendarDate(
  words: FieldWords,
  options: {
    notAfter?: LocalDate;
    from?: { readonly day: LocalDate; readonly because: string };
    until?: { readonly day: LocalDate; readonly within: string };
  } = {},
) {
  const { notAfter, from, until } = options;
  return z.string({ error: words.enter }).check(
    z.trim(),
    z.superRefine((value, ctx) => {
      if (value === '') ctx.addIssue({ code: 'custom', message: words.enter });
      else if (!isLocalDate(value)) {
        ctx.addIssue({ code: 'custom', message: `${words.label} must be a real date, like 2015-05-01` });
      } else if (notAfter !== undefined && value > notAfter) {
        ctx.addIssue({ code: 'custom', message: `${words.label} must be today or in the past` });
      } else if (from !== undefined && value < from.day) {
        ctx.addIssue({
          code: 'custom',
          message: `${words.label} must be on or after ${formatUkDate(from.day)}, ${from.because}`,
        });
      } else if (until !== undefined && value > until.day) {
        ctx.addIssue({
          code: 'custom',
          message: `${words.label} must be within ${until.within}, on or before ${formatUkDate(until.day)}`,
        });
      }
    }),
  );
}

export const TELEPHONE_FORMAT =
  'Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192';
export const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.com';

/** A telephone number as people write it (spaces, hyphens, brackets), kept as written but trimmed. */
export function telephoneNumber(enter: string) {
  return z.string({ error: enter }).check(
    z.trim(),
    z.superRefine((value, ctx) => {
      if (value === '') ctx.addIssue({ code: 'custom', message: enter });
      else if (!isTelephoneNumber(value)) ctx.addIssue({ code: 'custom', message: TELEPHONE_FORMAT });
    }),
  );
}

export function emailAddress(enter: string) {
  return z.pipe(
    z
      .string({ error: enter })
      .check(
        z.trim(),
        z.minLength(1, { error: enter }),
        z.maxLength(SHORT_TEXT_MAX, { error: `Email address must be ${SHORT_TEXT_MAX} characters or less` }),
      ),
    z.email({ error: EMAIL_FORMAT }),
  );
}

/** Each value once, in the order of `values` (a form's checkboxes, or a list typed with repeats). */
export function distinctIn<const T extends readonly string[]>(values: T) {
  return (chosen: T[number][]): T[number][] => values.filter((value) => chosen.includes(value));
}

export function choice<const T extends readonly [string, ...string[]]>(values: T, select: string) {
  return z.enum(values, { error: select });
}

export function yesOrNo(select: string) {
  return z.boolean({ error: select });
}

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type RuleContext = Pick<z.core.$RefinementCtx, 'addIssue'>;

/**
 * For a rule that needs every field of its object valid: by default zod runs an object's refinement even
 * after a field failed a check such as a format (only a wrong type stops it), and the rule would read a
 * raw value.
 */
export const whenAllValid = { when: (payload: z.core.ParsePayload) => payload.issues.length === 0 };

/**
 * A rule between fields of one object that runs even when another field of that object is wrong, so a
 * person sees every problem at once (the GOV.UK error summary lists them all). Field checks inside such an
 * object must not use `abort: true`: an aborted check stops these rules too. The rule receives the
 * object as parsed so far, so it must check that each field it reads came through valid.
 */
export function acrossFields(rule: (fields: Readonly<Record<string, unknown>>, ctx: RuleContext) => void) {
  return z.superRefine<unknown>(
    (value, ctx) => {
      if (isRecord(value)) rule(value, ctx);
    },
    { when: () => true },
  );
}

import { acrossFields, FREE_TEXT_MAX, requiredText, SHORT_TEXT_MAX } from '#core/schemas/fields.ts';
import * as z from '#core/schemas/zod.ts';

/** How many cases one request may link or unlink, added and removed together. */
export const MAX_LINKS_PER_CHANGE = 10;
/**
 * The most cases one group of linked cases may hold: far more than route B needs (5 households), and
 * few enough that any change to a group is one DynamoDB transaction.
 */
export const MAX_LINKED_CASES = 30;

export interface LinksContext {
  /** The case the links are changed on, in its stored form. */
  readonly reference: string;
  /** A reference as typed, in its stored form, or undefined when the text cannot be one. */
  readonly parseReference: (text: string) => string | undefined;
}

const REFERENCE_EXAMPLE = 'like SEF-7K3M-Q9XD';

/**
 * `POST /api/cases/{ref}/links`: `{"add": ["…"], "remove": ["…"], "reason": "…"}`. References are
 * accepted as people type them (any case, spaces for hyphens) and come out in their stored form, at
 * the positions given (so that a later check can name the field); a case is never linked to itself,
 * nor added and removed at once.
 */
export function linksSchema(context: LinksContext) {
  const reference = z.pipe(
    z
      .string({ error: `Enter a case reference, ${REFERENCE_EXAMPLE}` })
      .check(z.maxLength(SHORT_TEXT_MAX, { error: `Enter a case reference, ${REFERENCE_EXAMPLE}` })),
    z.transform((text: string, ctx) => {
      const parsed = context.parseReference(text);
      if (parsed === undefined) {
        ctx.issues.push({
          code: 'custom',
          message: `Enter a case reference, ${REFERENCE_EXAMPLE}`,
          input: text,
        });
        return z.NEVER;
      }
      if (parsed === context.reference) {
        ctx.issues.push({ code: 'custom', message: 'A case cannot be linked to itself', input: text });
        return z.NEVER;
      }
      return parsed;
    }),
  );
  const references = z._default(
    z.array(reference, { error: `Enter the case references as a list, ${REFERENCE_EXAMPLE}` }).check(
      z.maxLength(MAX_LINKS_PER_CHANGE, {
        error: `You can link or unlink up to ${MAX_LINKS_PER_CHANGE} cases at a time`,
      }),
    ),
    [],
  );
  const fields = z
    .strictObject(
      {
        add: references,
        remove: references,
        reason: requiredText(
          {
            enter: 'Enter why the cases are, or are no longer, about the same behaviour',
            label: 'The reason',
          },
          FREE_TEXT_MAX,
        ),
      },
      { error: 'Send the links as a JSON object' },
    )
    .check(
      acrossFields((fields, ctx) => {
        const add = Array.isArray(fields.add) ? (fields.add as unknown[]) : undefined;
        const remove = Array.isArray(fields.remove) ? (fields.remove as unknown[]) : undefined;
        if (add === undefined || remove === undefined) return;
        if (add.length === 0 && remove.length === 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['add'],
            message: 'Enter at least one case to link or unlink',
          });
        } else if (new Set([...add, ...remove]).size > MAX_LINKS_PER_CHANGE) {
          ctx.addIssue({
            code: 'custom',
            path: ['add'],
            message: `You can link or unlink up to ${MAX_LINKS_PER_CHANGE} cases at a time`,
          });
        }
        remove.forEach((item, index) => {
          if (add.includes(item)) {
            ctx.addIssue({
              code: 'custom',
              path: ['remove', index],
              message: `${String(item)} cannot be both linked and unlinked`,
            });
          }
        });
      }),
    );
  return z.pipe(
    fields,
    z.transform(({ add, remove, reason }: z.output<typeof fields>) => ({
      add: [...new Set(add)],
      remove: [...new Set(remove)],
      reason,
    })),
  );
}
export type LinksChange = z.output<ReturnType<typeof linksSchema>>;

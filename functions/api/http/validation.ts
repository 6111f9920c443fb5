import type * as z from 'zod';
import { InvalidInputError } from '#core/errors.ts';
import { validate } from '#core/schemas/issues.ts';

/** The request input checked against its schema; a InvalidInputError (400) listing every problem otherwise. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = validate(schema, input);
  if (!result.success) throw new InvalidInputError(result.issues);
  return result.data;
}

import type { z } from 'zod';
import { ValidationError } from '#api/http/errors.ts';
import { validate } from '#core/schemas/issues.ts';

/** The request input checked against its schema; a ValidationError (400) listing every problem otherwise. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = validate(schema, input);
  if (!result.success) throw new ValidationError(result.issues);
  return result.data;
}

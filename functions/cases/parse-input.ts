import { InvalidInputError } from '#core/errors.ts';
import { validate } from '#core/schemas/issues.ts';
import type * as z from '#core/schemas/zod.ts';

/**
 * A request's body, read when the operation comes to it: after the checks the contract puts first, so
 * that (over HTTP) a body that is too large or not JSON is refused in the same order as any other fault.
 */
export type RequestBody = () => unknown;

/** The input checked against its schema; an InvalidInputError listing every problem otherwise. */
export function parseInput<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> {
  const result = validate(schema, input);
  if (!result.success) throw new InvalidInputError(result.issues);
  return result.data;
}

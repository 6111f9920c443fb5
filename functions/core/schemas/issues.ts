import type * as z from '#core/schemas/zod.ts';

/** One problem with a request body, as the contract lists it: `{"path": "incidents.0.reportedOn", ...}`. */
export interface Issue {
  /** Field names and list positions joined by dots; empty for the body as a whole. */
  readonly path: string;
  readonly message: string;
}

export type Validated<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly issues: Issue[] };

function joinPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * The contract's issues list for a failed parse. A strict object reports all its unknown fields in one
 * issue; here each gets its own, at its own path, so a typo is pointed at where it is.
 */
export function toIssues(error: z.core.$ZodError): Issue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: joinPath([...issue.path, key]),
          message: `${key} is not something we ask for. Check the spelling or remove it`,
        }))
      : [{ path: joinPath(issue.path), message: issue.message }],
  );
}

/** Parses untrusted input; never throws for bad input. */
export function validate<S extends z.ZodMiniType>(schema: S, input: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success
    ? { success: true, data: result.data }
    : { success: false, issues: toIssues(result.error) };
}

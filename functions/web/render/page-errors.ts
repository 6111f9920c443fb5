// Errors as the Design System shows them: a summary at the top linking to each field, and the same
// message on the field itself.

export interface FieldError {
  readonly field: string;
  /** The box the error summary links to. */
  readonly href: string;
  readonly text: string;
}

/** Errors for a page: in page order for the summary, and by field for the messages on the fields. */
export interface PageErrors {
  readonly list: readonly FieldError[];
  readonly byField: Readonly<Record<string, { text: string }>>;
}

export function pageErrors(list: readonly FieldError[]): PageErrors {
  const byField: Record<string, { text: string }> = {};
  for (const error of list) byField[error.field] ??= { text: error.text };
  return { list, byField };
}

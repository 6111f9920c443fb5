// Repeated parts of a form whose fields are named by number (`incident-2-description`, `involved-1-name`):
// each read on its own, left out of the application when left blank, and each problem the core schema
// finds in the list the blocks make put back beside its numbered field.
import type { Issue } from '#core/schemas/issues.ts';
import type { FieldError } from '../render/page-errors.ts';
import type { DatePart } from './date-input.ts';
import type { Answers } from './draft.ts';
import type { StepField } from './steps.ts';
import { issuesOn, readPage } from './validate.ts';

/** One repeated part of the form, read: its answers and boxes by their own (unnumbered) names. */
export interface Block {
  readonly number: number;
  /** What its field names start with, like `incident-2-`. */
  readonly prefix: string;
  readonly answers: Answers;
  readonly values: Record<string, unknown>;
  readonly dateErrorParts: Record<string, readonly DatePart[]>;
  /** Problems of its date and time boxes, on its numbered fields. */
  readonly boxErrors: readonly FieldError[];
  readonly blank: boolean;
}

export function readBlock(
  fields: readonly StepField[],
  prefix: string,
  number: number,
  form: URLSearchParams,
): Block {
  const read = readPage(
    fields.map((field) => ({ ...field, name: `${prefix}${field.name}` })),
    form,
  );
  const own = <T>(record: Record<string, T>) =>
    Object.fromEntries(Object.entries(record).map(([name, value]) => [name.slice(prefix.length), value]));
  const answers: Answers = own(read.answers);
  const blank =
    read.boxErrors.length === 0 &&
    Object.values(answers).every((answer) =>
      typeof answer === 'string' ? answer === '' : answer.length === 0,
    );
  return {
    number,
    prefix,
    answers,
    values: own(read.values),
    dateErrorParts: own(read.dateErrorParts),
    boxErrors: read.boxErrors,
    blank,
  };
}

/** How many numbered blocks the form has: the highest number any of its fields carries, within `max`. */
export function blockCount(form: URLSearchParams, pattern: RegExp, max: number, least: number): number {
  let count = least;
  for (const name of form.keys()) {
    const number = Number(pattern.exec(name)?.[1] ?? 0);
    if (number > count) count = number;
  }
  return Math.min(count, max);
}

export function numbers(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index + 1);
}

/** Which block each entry of a list in the body came from: blank blocks are left out. */
export function filled<T extends Block>(blocks: readonly T[]): T[] {
  return blocks.filter((block) => !block.blank);
}

export const titled = (title: string, errors: readonly FieldError[]) =>
  errors.map((error) => ({ ...error, text: `${title}: ${error.text}` }));

/** Each field's first problem, in the page's order: its boxes' problems first, then the schema's. */
export function firstPerField(
  fields: readonly StepField[],
  prefix: string,
  ...sources: readonly FieldError[][]
): FieldError[] {
  const all = sources.flat();
  return fields.flatMap((field) => {
    const first = all.find((error) => error.field === `${prefix}${field.name}`);
    return first ? [first] : [];
  });
}

export function blockErrors(
  fields: readonly StepField[],
  block: Block,
  issues: readonly Issue[],
  path: string | undefined,
): FieldError[] {
  const numbered = fields.map((field) => ({ ...field, name: `${block.prefix}${field.name}` }));
  const fromSchema =
    path === undefined
      ? []
      : issuesOn(
          numbered,
          issues.filter((issue) => issue.path.startsWith(path)),
          path,
        ).filter((error) => !block.boxErrors.some((box) => box.field === error.field));
  return firstPerField(fields, block.prefix, [...block.boxErrors], fromSchema);
}

/** Where a list's entry `index` sits in the body, for the blocks it was made from. */
export function pathsOf<T extends Block>(blocks: readonly T[], list: string): Map<T, string> {
  return new Map(filled(blocks).map((block, index) => [block, `${list}.${index}.`]));
}

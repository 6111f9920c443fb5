// The people involved in the behaviour and the witnesses (contract.md, "Evidence"): optional lists that the
// resident's pages (/apply/involved, /apply/witnesses) and the officer's one screen ask alike, as numbered
// blocks (`involved-1-name`, `witness-2-contact`). A resident's draft keeps them as those answers, from
// which applicationBody makes the lists; the core application schema alone says what is valid.
import { MAX_INVOLVED, MAX_WITNESSES } from '#core/schemas/application.ts';
import type { Issue } from '#core/schemas/issues.ts';
import type { FieldError } from '../render/page-errors.ts';
import {
  type Block,
  blockCount,
  blockErrors,
  filled,
  numbers,
  pathsOf,
  readBlock,
  titled,
} from './blocks.ts';
import type { Answers, Draft } from './draft.ts';
import type { StepField } from './steps.ts';
import { type ApplyContext, applicationIssues } from './validate.ts';

export type PeopleKind = 'involved' | 'witness';

const textFields = (...names: string[]): StepField[] =>
  names.map((name) => ({ name, kind: 'text', paths: [name] }));

const PEOPLE = {
  involved: {
    fields: textFields('name', 'description', 'address'),
    max: MAX_INVOLVED,
    list: 'involved',
    title: 'Person involved',
  },
  witness: { fields: textFields('name', 'contact'), max: MAX_WITNESSES, list: 'witnesses', title: 'Witness' },
} as const;

export const maxPeople = (kind: PeopleKind): number => PEOPLE[kind].max;

/** The blocks of one kind a form has, at least one (blank) to fill in. */
export function readPeople(form: URLSearchParams, kind: PeopleKind): Block[] {
  const { fields, max } = PEOPLE[kind];
  return numbers(blockCount(form, new RegExp(`^${kind}-(\\d+)-`), max, 1)).map((number) =>
    readBlock(fields, `${kind}-${number}-`, number, form),
  );
}

/** The form with one more blank block of this kind, unless it has as many as may be given. */
export function withPersonAdded(form: URLSearchParams, kind: PeopleKind): URLSearchParams {
  const count = readPeople(form, kind).length;
  const more = new URLSearchParams(form);
  if (count < PEOPLE[kind].max) more.set(`${kind}-${count + 1}-name`, '');
  return more;
}

/** The blocks filled in, numbered again from 1, as a draft keeps them. */
export function peopleAnswers(blocks: readonly Block[], kind: PeopleKind): Record<string, string> {
  return Object.fromEntries(
    filled(blocks).flatMap((block, index) =>
      Object.entries(block.answers).map(([name, value]) => [`${kind}-${index + 1}-${name}`, String(value)]),
    ),
  );
}

function withoutPeople(answers: Answers, kind: PeopleKind): Answers {
  return Object.fromEntries(Object.entries(answers).filter(([name]) => !name.startsWith(`${kind}-`)));
}

/** Answers as the form that gave them, to read their blocks again. */
export function formOf(answers: Answers): URLSearchParams {
  return new URLSearchParams(
    Object.entries(answers).flatMap(([name, value]): [string, string][] =>
      typeof value === 'string' ? [[name, value]] : value.map((each) => [name, each]),
    ),
  );
}

/** The schema's problems with the list these blocks make, each beside its numbered field. */
export function peopleErrors(
  blocks: readonly Block[],
  kind: PeopleKind,
  issues: readonly Issue[],
): FieldError[] {
  const { fields, list, title } = PEOPLE[kind];
  const paths = pathsOf(blocks, list);
  return blocks.flatMap((block) =>
    titled(`${title} ${block.number}`, blockErrors(fields, block, issues, paths.get(block))),
  );
}

/** The answers with these blocks' filled ones in place of those of their kind saved before. */
export function withPeople(answers: Answers, blocks: readonly Block[], kind: PeopleKind): Answers {
  return { ...withoutPeople(answers, kind), ...peopleAnswers(blocks, kind) };
}

/** A resident's page of people: the problems its blocks, as typed, would bring to the draft. */
export function checkPeople(
  blocks: readonly Block[],
  kind: PeopleKind,
  draft: Pick<Draft, 'mode' | 'answers' | 'incidents'>,
  context: ApplyContext,
): FieldError[] {
  const answers = withPeople(draft.answers, blocks, kind);
  return peopleErrors(blocks, kind, applicationIssues({ ...draft, answers }, context));
}

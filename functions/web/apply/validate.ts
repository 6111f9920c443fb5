// Checking a question page: its boxes as the Design System words their problems, then the whole draft
// (with this page's answers) against the core application schema, keeping the messages for this page.

import { applicationSchema } from '#core/schemas/application.ts';
import type { Issue } from '#core/schemas/issues.ts';
import { validate } from '#core/schemas/issues.ts';
import type { FieldError } from '../render/page-errors.ts';
import { applicationBody, minutesOf } from './application-body.ts';
import { type DatePart, dateBoxes, readDateInput } from './date-input.ts';
import type { Answers, Draft } from './draft.ts';
import {
  OTHER_REPORT_FIELDS,
  otherReportFrom,
  otherReportPath,
  otherReportsOf,
  reportedElsewhere,
  withOtherReports,
} from './other-reports.ts';
import { INCIDENT_FIELDS, type Step, type StepField, stepsFor } from './steps.ts';

export interface ApplyContext {
  readonly now: Date;
  readonly cspIds: readonly string[];
}

export interface ReadPage {
  readonly answers: Record<string, string | string[]>;
  /** What to show in each box again: the answers, and the date boxes as typed. */
  readonly values: Record<string, unknown>;
  readonly boxErrors: FieldError[];
  /** The date boxes with a problem, to mark just those. */
  readonly dateErrorParts: Record<string, readonly DatePart[]>;
}

const hrefOf = (field: StepField, part: DatePart = 'day') =>
  field.kind === 'date' ? `#${field.name}-${part}` : `#${field.name}`;

/** Reads a page's form into answers, with the problems of its date and time boxes. */
export function readPage(fields: readonly StepField[], form: URLSearchParams): ReadPage {
  const answers: Record<string, string | string[]> = {};
  const values: Record<string, unknown> = {};
  const boxErrors: FieldError[] = [];
  const dateErrorParts: Record<string, readonly DatePart[]> = {};
  for (const field of fields) {
    if (field.kind === 'many') {
      answers[field.name] = form
        .getAll(field.name)
        .map((value) => value.trim())
        .filter(Boolean);
    } else if (field.kind === 'yes') {
      answers[field.name] = form.get(field.name) === 'yes' ? 'yes' : '';
    } else if (field.kind === 'date') {
      const boxes = dateBoxes(form, field.name);
      values[field.name] = boxes;
      const read = readDateInput(boxes, field.dateLabel ?? 'Date');
      if (read.ok) answers[field.name] = read.date ?? '';
      else {
        answers[field.name] = '';
        dateErrorParts[field.name] = read.parts;
        boxErrors.push({ field: field.name, href: hrefOf(field, read.parts[0]), text: read.message });
      }
    } else {
      answers[field.name] = (form.get(field.name) ?? '').trim();
    }
    if (field.kind !== 'date') values[field.name] = answers[field.name];
  }
  if (
    'receivedTime' in answers &&
    answers.receivedTime !== '' &&
    minutesOf(String(answers.receivedTime)) === undefined
  ) {
    boxErrors.push({
      field: 'receivedTime',
      href: '#receivedTime',
      text: 'Enter the time the application was received as a 24-hour time, like 09:30 or 14:15',
    });
  }
  return { answers, values, boxErrors, dateErrorParts };
}

export function issuesOn(
  fields: readonly StepField[],
  issues: readonly Issue[],
  prefix: string,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of fields) {
    const issue = issues.find((candidate) =>
      field.paths.some((path) => {
        const full = prefix + path;
        return candidate.path === full || (field.kind === 'many' && candidate.path.startsWith(`${full}.`));
      }),
    );
    if (issue) errors.push({ field: field.name, href: hrefOf(field), text: issue.message });
  }
  return errors;
}

export function requiredMissing(fields: readonly StepField[], answers: Answers): FieldError[] {
  return fields
    .filter((field) => field.requiredMessage && !answers[field.name])
    .map((field) => ({ field: field.name, href: hrefOf(field), text: field.requiredMessage ?? '' }));
}

/** Every field's first error, in the page's order: box problems first, then the schema's. */
function merge(fields: readonly StepField[], ...sources: FieldError[][]): FieldError[] {
  const all = sources.flat();
  return fields.flatMap((field) => {
    const first = all.find((error) => error.field === field.name);
    return first ? [first] : [];
  });
}

export function applicationIssues(
  draft: Pick<Draft, 'mode' | 'answers' | 'incidents'>,
  context: ApplyContext,
): Issue[] {
  const schema = applicationSchema({
    now: context.now,
    staff: draft.mode === 'staff',
    cspIds: context.cspIds,
  });
  const result = validate(schema, applicationBody(draft, context.now));
  return result.success ? [] : result.issues;
}

export function checkStep(
  step: Step,
  read: ReadPage,
  draft: Pick<Draft, 'mode' | 'answers' | 'incidents'>,
  context: ApplyContext,
): FieldError[] {
  const answers = { ...draft.answers, ...read.answers };
  const issues = applicationIssues({ ...draft, answers }, context);
  const withValue = (errors: FieldError[]) =>
    errors.filter((error) => !read.boxErrors.some((box) => box.field === error.field));
  return merge(
    step.fields,
    read.boxErrors,
    requiredMissing(step.fields, answers),
    withValue(issuesOn(step.fields, issues, '')),
  );
}

export function checkIncident(
  read: ReadPage,
  draft: Pick<Draft, 'mode' | 'answers'>,
  context: ApplyContext,
): FieldError[] {
  // The incident is checked on its own (as the only incident) so other incidents' problems stay on their
  // pages, and without its other reports, which have pages of their own.
  const issues = applicationIssues({ ...draft, incidents: [read.answers] }, context);
  const own = issues.filter((issue) => issue.path.startsWith('incidents.0.'));
  const withValue = issuesOn(INCIDENT_FIELDS, own, 'incidents.0.').filter(
    (error) => !read.boxErrors.some((box) => box.field === error.field),
  );
  return merge(INCIDENT_FIELDS, read.boxErrors, requiredMissing(INCIDENT_FIELDS, read.answers), withValue);
}

/** Checks the page of other report `index` (from 0) of `incident`, as part of that incident. */
export function checkOtherReport(
  read: ReadPage,
  draft: Pick<Draft, 'mode' | 'answers'>,
  incident: Answers,
  index: number,
  context: ApplyContext,
): FieldError[] {
  const reports = otherReportsOf(incident);
  reports[index] = otherReportFrom(read.answers);
  const issues = applicationIssues({ ...draft, incidents: [withOtherReports(incident, reports)] }, context);
  const prefix = `incidents.0.alsoReportedTo.${index}.`;
  const withValue = issuesOn(
    OTHER_REPORT_FIELDS,
    issues.filter((issue) => issue.path.startsWith(prefix)),
    prefix,
  ).filter((error) => !read.boxErrors.some((box) => box.field === error.field));
  return merge(OTHER_REPORT_FIELDS, read.boxErrors, withValue);
}

/** The first page (in order) whose answers are missing or no longer valid, or undefined when all are. */
export function firstIncompleteStep(draft: Draft, context: ApplyContext): string | undefined {
  const issues = applicationIssues(draft, context);
  for (const step of stepsFor(draft)) {
    // The incidents page asks only whether to add another; its answer is the list of incidents.
    if (step.id === 'incidents') {
      if (draft.incidents.length === 0) return 'incident-1';
      continue;
    }
    if (requiredMissing(step.fields, draft.answers).length > 0) return step.id;
    if (issuesOn(step.fields, issues, '').length > 0) return step.id;
  }
  for (const [index, incident] of draft.incidents.entries()) {
    const number = index + 1;
    const own = issues.filter((issue) => issue.path.startsWith(`incidents.${index}.`));
    const onOtherReports = own.flatMap(
      (issue) => /^incidents\.\d+\.alsoReportedTo\.(\d+)\./.exec(issue.path)?.[1] ?? [],
    );
    if (own.length > onOtherReports.length || requiredMissing(INCIDENT_FIELDS, incident).length > 0) {
      return `incident-${number}`;
    }
    const [report] = onOtherReports;
    if (report !== undefined) return otherReportPath(number, Number(report) + 1);
    if (reportedElsewhere(incident) && otherReportsOf(incident).length === 0)
      return otherReportPath(number, 1);
  }
  return undefined;
}

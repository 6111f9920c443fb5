// The officer's one-screen application (/staff/apply): every question of the application on one form an
// officer fills in during a call. Incidents, their other reports, the people involved and the witnesses
// are repeated blocks whose fields are named by number (`incident-2-description`,
// `incident-2-other-1-otherReportedOn-day`, `involved-1-name`, `witness-1-contact`); a block left blank
// is not part of the application. The core application schema alone decides what is valid, as on the
// resident's pages: this module only reads the boxes and puts each message beside its field.
import { applicationSchema, MAX_INCIDENTS, MAX_OTHER_REPORTS } from '#core/schemas/application.ts';
import { type Issue, validate } from '#core/schemas/issues.ts';
import type { FieldError } from '../render/page-errors.ts';
import { applicationBody } from './application-body.ts';
import {
  type Block,
  blockCount,
  blockErrors,
  filled,
  firstPerField,
  numbers,
  pathsOf,
  readBlock,
  titled,
} from './blocks.ts';
import type { DatePart } from './date-input.ts';
import type { Answers } from './draft.ts';
import { OTHER_REPORT_FIELDS, otherReportFrom, withOtherReports } from './other-reports.ts';
import { peopleAnswers, peopleErrors, readPeople, withPersonAdded } from './people.ts';
import { INCIDENT_FIELDS, type StepField, stepById } from './steps.ts';
import { issuesOn, readPage, requiredMissing } from './validate.ts';

/** How and when the application came in: only an officer says so. */
const RECEIVED_FIELDS: readonly StepField[] = [
  { name: 'channel', kind: 'text', paths: ['channel'] },
  {
    name: 'receivedOn',
    kind: 'date',
    paths: ['receivedAt'],
    dateLabel: 'Date the application was received',
    requiredMessage: 'Enter the date the application was received',
  },
  { name: 'receivedTime', kind: 'text', paths: [] },
];

/** The application's own questions, in the order the form asks them (the incidents come after these). */
const QUESTION_STEPS = [
  'victim',
  'your-details',
  'contact',
  'needs',
  'someone-else',
  'their-details',
  'description',
  'impact',
] as const;

const fieldsOf = (...ids: readonly string[]): StepField[] => ids.flatMap((id) => stepById(id)?.fields ?? []);

const QUESTION_FIELDS = [...RECEIVED_FIELDS, ...fieldsOf(...QUESTION_STEPS)];
/** Asked after the incidents and the people: how the victim takes part, and the consent to share. */
const CLOSING_FIELDS = fieldsOf('involvement', 'consent');
export const PHONE_FIELDS: readonly StepField[] = [...QUESTION_FIELDS, ...CLOSING_FIELDS];

/** An incident's fields on this form: its first report is asked with it, other reports have rows of their own. */
const INCIDENT_BLOCK_FIELDS = INCIDENT_FIELDS.filter((field) => field.name !== 'reportedElsewhere');

export interface IncidentBlock extends Block {
  readonly reports: readonly Block[];
}

export interface PhoneForm {
  readonly answers: Answers;
  readonly values: Record<string, unknown>;
  readonly dateErrorParts: Record<string, readonly DatePart[]>;
  readonly boxErrors: readonly FieldError[];
  readonly incidents: readonly IncidentBlock[];
  readonly involved: readonly Block[];
  readonly witnesses: readonly Block[];
}

/** The form of a new application: one incident, one person involved and one witness to fill in. */
export function emptyPhoneForm(receivedOn: string): PhoneForm {
  const form = new URLSearchParams();
  const [year = '', month = '', day = ''] = receivedOn.split('-');
  form.set('receivedOn-day', String(Number(day)));
  form.set('receivedOn-month', String(Number(month)));
  form.set('receivedOn-year', year);
  return readPhoneForm(form);
}

export function readPhoneForm(form: URLSearchParams): PhoneForm {
  const top = readPage(PHONE_FIELDS, form);
  const incidents = numbers(blockCount(form, /^incident-(\d+)-/, MAX_INCIDENTS, 1)).map((number) => {
    const prefix = `incident-${number}-`;
    const reportPattern = new RegExp(`^${prefix}other-(\\d+)-`);
    const reports = numbers(blockCount(form, reportPattern, MAX_OTHER_REPORTS, 0)).map((report) =>
      readBlock(OTHER_REPORT_FIELDS, `${prefix}other-${report}-`, report, form),
    );
    const incident = readBlock(INCIDENT_BLOCK_FIELDS, prefix, number, form);
    return { ...incident, blank: incident.blank && reports.every((report) => report.blank), reports };
  });
  return {
    answers: top.answers,
    values: top.values,
    dateErrorParts: top.dateErrorParts,
    boxErrors: top.boxErrors,
    incidents,
    involved: readPeople(form, 'involved'),
    witnesses: readPeople(form, 'witness'),
  };
}

/** The same form with one more blank block where `add` asks for it (`incident`, `report-2`, `involved`, `witness`). */
export function withBlockAdded(form: URLSearchParams, add: string): URLSearchParams {
  if (add === 'involved' || add === 'witness') return withPersonAdded(form, add);
  const read = readPhoneForm(form);
  const more = new URLSearchParams(form);
  const report = /^report-(\d+)$/.exec(add);
  if (add === 'incident' && read.incidents.length < MAX_INCIDENTS) {
    more.set(`incident-${read.incidents.length + 1}-description`, '');
  } else if (report) {
    const incident = read.incidents[Number(report[1]) - 1];
    if (incident && incident.reports.length < MAX_OTHER_REPORTS) {
      more.set(`${incident.prefix}other-${incident.reports.length + 1}-otherReference`, '');
    }
  }
  return more;
}

/** The form as the body of POST /api/applications for `csp`; `openedAt` stands for now in the received time, so a resend is the same body. */
export function phoneApplicationBody(read: PhoneForm, csp: string, openedAt: Date) {
  const incidents = filled(read.incidents).map((incident) => {
    const reports = filled(incident.reports).map((report) => otherReportFrom(report.answers));
    return withOtherReports(
      { ...incident.answers, reportedElsewhere: reports.length > 0 ? 'yes' : 'no' },
      reports,
    );
  });
  const answers = {
    ...read.answers,
    ...peopleAnswers(read.involved, 'involved'),
    ...peopleAnswers(read.witnesses, 'witness'),
    csp,
  };
  return applicationBody({ mode: 'staff', answers, incidents }, openedAt);
}

/** The schema's issues with the body `phoneApplicationBody` makes, as at `now`, for an officer of `csp`. */
export function phoneApplicationIssues(body: unknown, csp: string, now: Date): Issue[] {
  const result = validate(applicationSchema({ now, staff: true, cspIds: [csp] }), body);
  return result.success ? [] : result.issues;
}

/** Every problem of the form, each once, in the order of the page: the error summary's list. */
export function phoneFormErrors(read: PhoneForm, issues: readonly Issue[]): FieldError[] {
  const withoutBoxes = (errors: FieldError[]) =>
    errors.filter((error) => !read.boxErrors.some((box) => box.field === error.field));
  const top = (fields: readonly StepField[]) =>
    firstPerField(
      fields,
      '',
      [...read.boxErrors],
      requiredMissing(fields, read.answers),
      withoutBoxes(issuesOn(fields, issues, '')),
    );
  const incidentPaths = pathsOf(read.incidents, 'incidents');
  const incidents = read.incidents.flatMap((incident) => {
    const path = incidentPaths.get(incident);
    const reportPaths = pathsOf(incident.reports, `${path}alsoReportedTo`);
    const own = blockErrors(INCIDENT_BLOCK_FIELDS, incident, issues, path);
    const reports = incident.reports.flatMap((report) =>
      titled(
        `Incident ${incident.number}, other report ${report.number}`,
        blockErrors(OTHER_REPORT_FIELDS, report, issues, path && reportPaths.get(report)),
      ),
    );
    return [...titled(`Incident ${incident.number}`, own), ...reports];
  });
  // No incident at all, or too many: said on the first incident's first box.
  const list = issues.find((issue) => issue.path === 'incidents');
  const noIncident: FieldError[] = list
    ? [{ field: 'incident-1-occurredOn', href: '#incident-1-occurredOn-day', text: list.message }]
    : [];
  const people = [
    ...peopleErrors(read.involved, 'involved', issues),
    ...peopleErrors(read.witnesses, 'witness', issues),
  ];
  const errors = [...top(QUESTION_FIELDS), ...noIncident, ...incidents, ...people, ...top(CLOSING_FIELDS)];
  // A problem no field asks about (the officer's own council area, say) is still never passed over.
  const [unplaced] = issues;
  return errors.length === 0 && unplaced
    ? [{ field: 'form', href: '#channel', text: unplaced.message }]
    : errors;
}

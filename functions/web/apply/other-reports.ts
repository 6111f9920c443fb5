// The other reports of one incident (contract: `alsoReportedTo`), asked inside the incident as GOV.UK's
// "add another" pattern: the incident page asks "Did you report this incident to anyone else?", then
// one page per other report (who, when, reference) and a page listing them that asks for another.
// A draft keeps them in the incident's answers as three lists of the same length, one entry per report.
import type { Answers } from './draft.ts';
import { answerList, answerText, type StepField } from './steps.ts';

export interface OtherReportAnswers {
  readonly reportedTo: string;
  readonly reportedOn: string;
  readonly reference: string;
}

/** The fields of one other report's page. Their schema paths are relative to the report. */
export const OTHER_REPORT_FIELDS: readonly StepField[] = [
  { name: 'otherReportedTo', kind: 'text', paths: ['reportedTo'] },
  {
    name: 'otherReportedOn',
    kind: 'date',
    paths: ['reportedOn'],
    dateLabel: 'Date it was reported to them',
  },
  { name: 'otherReference', kind: 'text', paths: ['reference'] },
];

/** The answer on the incident page that says whether there are other reports to ask about. */
export const REPORTED_ELSEWHERE = 'reportedElsewhere';

export function reportedElsewhere(incident: Answers): boolean {
  return answerText(incident, REPORTED_ELSEWHERE) === 'yes';
}

export function otherReportsOf(incident: Answers): OtherReportAnswers[] {
  const reportedTo = answerList(incident, 'otherReportedTo');
  const reportedOn = answerList(incident, 'otherReportedOn');
  const reference = answerList(incident, 'otherReference');
  return reportedTo.map((body, index) => ({
    reportedTo: body,
    reportedOn: reportedOn[index] ?? '',
    reference: reference[index] ?? '',
  }));
}

/** The incident's answers with these other reports in place of the ones it had. */
export function withOtherReports(incident: Answers, reports: readonly OtherReportAnswers[]): Answers {
  return {
    ...incident,
    otherReportedTo: reports.map((report) => report.reportedTo),
    otherReportedOn: reports.map((report) => report.reportedOn),
    otherReference: reports.map((report) => report.reference),
  };
}

/** One other report's answers as a page read them. */
export function otherReportFrom(answers: Answers): OtherReportAnswers {
  return {
    reportedTo: answerText(answers, 'otherReportedTo'),
    reportedOn: answerText(answers, 'otherReportedOn'),
    reference: answerText(answers, 'otherReference'),
  };
}

/** The page's answers for one other report, to show it again. */
export function otherReportAnswers(report: OtherReportAnswers | undefined): Answers {
  return {
    otherReportedTo: report?.reportedTo ?? '',
    otherReportedOn: report?.reportedOn ?? '',
    otherReference: report?.reference ?? '',
  };
}

export type OtherReportPage =
  | { readonly kind: 'report'; readonly incident: number; readonly report: number }
  | { readonly kind: 'list'; readonly incident: number }
  | { readonly kind: 'remove'; readonly incident: number; readonly report: number };

const REPORT_PAGE = /^incident-([1-9][0-9]?)-other-([1-9][0-9]?)$/;
const LIST_PAGE = /^incident-([1-9][0-9]?)-other-reports$/;
const REMOVE_PAGE = /^incident-([1-9][0-9]?)-remove-other-([1-9][0-9]?)$/;

/** Reads an other-report page's id (`incident-2-other-1`, `incident-2-other-reports`, …). */
export function otherReportPage(page: string): OtherReportPage | undefined {
  const report = REPORT_PAGE.exec(page);
  if (report) return { kind: 'report', incident: Number(report[1]), report: Number(report[2]) };
  const list = LIST_PAGE.exec(page);
  if (list) return { kind: 'list', incident: Number(list[1]) };
  const remove = REMOVE_PAGE.exec(page);
  if (remove) return { kind: 'remove', incident: Number(remove[1]), report: Number(remove[2]) };
  return undefined;
}

export const otherReportPath = (incident: number, report: number) => `incident-${incident}-other-${report}`;
export const otherReportsPath = (incident: number) => `incident-${incident}-other-reports`;
export const removeOtherReportPath = (incident: number, report: number) =>
  `incident-${incident}-remove-other-${report}`;

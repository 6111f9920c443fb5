// What the applicant's acknowledgement says, wherever it is sent from: at submission with the access
// code (the only moment the code exists in clear, cases/submit-application.ts), or by the workflow's
// first step without it when the submission could not send it (workflow/assess-threshold.ts).
import type { CspConfig } from '#core/area-config.ts';
import type { CaseRecord } from '#core/case-record.ts';
import { letterContact, type NamedContact } from '#core/case-review.ts';
import { promisedDeadline } from '#core/deadlines.ts';
import type { TemplateFacts } from '#shared/notifier.ts';

/** The message's key: one acknowledgement per case, whoever sends it. */
export const ACKNOWLEDGEMENT_KEY = '1';

/**
 * The deadline runs from receipt; a case entered after it passed (an officer entering an old letter) is
 * promised a date from entry instead. `named`: the person an officer named as the contact, if any yet.
 */
export function acknowledgementFacts(
  csp: CspConfig,
  record: Pick<CaseRecord, 'receivedAt' | 'recordedAt'>,
  thresholdDecisionDue: string,
  named: NamedContact | null,
  accessCode?: string,
): TemplateFacts['application-acknowledged'] {
  const promise = promisedDeadline('thresholdDecision', csp, thresholdDecisionDue, record.recordedAt);
  return {
    cspName: csp.name,
    thresholdDecisionDue,
    contact: letterContact(csp, named),
    ...(promise.late && { late: { receivedAt: record.receivedAt, promisedBy: promise.by } }),
    ...(accessCode !== undefined && { accessCode }),
  };
}

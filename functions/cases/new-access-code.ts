// A new access code for a resident who lost theirs (contract.md, POST /api/cases/{reference}/new-access-code):
// no sign-in, and the same answer whether or not the case exists, is open or was asked about too often,
// so that the answer tells nobody anything about a case. For an open case the new code goes to the
// contact details on the case, never to the asker; the old code keeps working until the new one is
// first used (cases/case-access.ts), so nobody can lock a victim out by asking. Every request about a
// case is in its audit trail.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { hashAccessCode, newAccessCode, parseCaseReference } from '#cases/case-identifiers.ts';
import type { NotifyingCaseContext } from '#cases/context.ts';
import { parseInput, type RequestBody } from '#cases/parse-input.ts';
import { requireCsp } from '#core/area-config.ts';
import type { CaseRecord } from '#core/case-record.ts';
import { letterContact } from '#core/case-review.ts';
import { newAccessCodeSchema } from '#core/schemas.ts';
import { issueNewAccessCode, type NewCodeLimit } from '#data/access-codes.ts';
import { readReview } from '#data/case-review-records.ts';
import { getApplicant, getCase } from '#data/case-store.ts';
import { recordAudit } from '#data/case-timeline.ts';
import { CaseNotFoundError } from '#data/errors.ts';
import { applicantRecipient } from '#shared/recipients.ts';

type NewCodeContext = Pick<
  NotifyingCaseContext,
  'data' | 'area' | 'clock' | 'logger' | 'metrics' | 'notifier'
>;

/** Enough for a resident who mistyped or lost a message or two; too few to bombard a victim. */
export const NEW_ACCESS_CODE_LIMIT: NewCodeLimit = { count: 3, windowMs: 24 * 60 * 60 * 1000 };

/** What the audit trail says of each request. */
export type NewCodeRequestOutcome =
  | 'new-access-code-sent'
  | 'new-access-code-not-sent'
  | 'new-access-code-held-back'
  | 'new-access-code-case-closed';

/**
 * Asks for a new code for the case `given`. Resolves the same way for any reference (only a body other
 * than `{}` is refused, before anything is read); the outcome is for the audit trail, never for the asker.
 */
export async function requestNewAccessCode(
  context: NewCodeContext,
  given: string,
  readBody: RequestBody,
): Promise<void> {
  const body = readBody();
  parseInput(newAccessCodeSchema, body ?? {});
  const reference = parseCaseReference(given);
  if (reference === undefined) return;
  const record = await getCase(context.data, reference);
  if (record === undefined) return;
  const now = context.clock();
  const outcome = await issue(context, record, now);
  await recordAudit(
    context.data,
    reference,
    { at: now.toISOString(), actor: { role: 'applicant' }, what: outcome },
    record.expiresAt,
  );
}

async function issue(context: NewCodeContext, record: CaseRecord, now: Date): Promise<NewCodeRequestOutcome> {
  const { reference } = record;
  if (record.stage === 'closed') return 'new-access-code-case-closed';
  const accessCode = newAccessCode();
  const issued = await issueNewAccessCode(context.data, reference, {
    hash: hashAccessCode(accessCode),
    at: now,
    limit: NEW_ACCESS_CODE_LIMIT,
  });
  if (!issued) {
    context.metrics.addMetric('NewAccessCodesHeldBack', MetricUnit.Count, 1);
    return 'new-access-code-held-back';
  }
  const applicant = await getApplicant(context.data, reference);
  if (applicant === undefined) throw new CaseNotFoundError(reference);
  try {
    const { contact } = (await readReview(context.data, reference)).state;
    await context.notifier.notify({
      to: applicantRecipient(record, applicant),
      template: 'new-access-code',
      // One message per code: a code asked for again is a new message.
      key: now.toISOString(),
      facts: { accessCode, contact: letterContact(requireCsp(context.area, record.csp), contact) },
    });
  } catch (error) {
    // The asker gets the same answer (a failure would tell them the case exists); the code that was not
    // sent is never used, and the old one keeps working. Its name only: it may quote an address.
    context.logger.error('A new access code could not be sent', {
      errorName: error instanceof Error ? error.name : typeof error,
    });
    context.metrics.addMetric('NewAccessCodesNotSent', MetricUnit.Count, 1);
    return 'new-access-code-not-sent';
  }
  context.metrics.addMetric('NewAccessCodesSent', MetricUnit.Count, 1);
  return 'new-access-code-sent';
}

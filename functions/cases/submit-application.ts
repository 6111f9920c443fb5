// Submitting an application (contract.md, POST /api/applications): online by anyone, or entered by a CSP
// officer for a phone call, letter, email or visit. The application is stored (counted as received in
// the same transaction) before its execution is started, so a failure to start leaves a stored, counted
// case that the next request about it, or else the reconciler, starts (startFirstExecution); it never
// loses the application.
// An idempotency key makes a retry return the first result and create nothing: its record is written in
// the case's own transaction (data/idempotency.ts), so a keyed submission costs no write of its own.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Caller } from '#cases/caller.ts';
import { hashAccessCode, newAccessCode, newCaseReference } from '#cases/case-identifiers.ts';
import { startFirstExecution } from '#cases/case-review-starter.ts';
import type { NotifyingCaseContext } from '#cases/context.ts';
import { parseInput, type RequestBody } from '#cases/parse-input.ts';
import { sealAccessCode, unsealAccessCode } from '#cases/sealed-access-code.ts';
import { cspIds, requireCsp } from '#core/area-config.ts';
import { actorOf, type StaffMember } from '#core/case-access.ts';
import type { Actor, CaseRecord } from '#core/case-record.ts';
import {
  AlreadySubmittedError,
  InvalidInputError,
  NotAllowedError,
  StillProcessingError,
} from '#core/errors.ts';
import { type Application, applicationSchema } from '#core/schemas.ts';
import { markAcknowledgedWithCode } from '#data/access-codes.ts';
import { canonicalHash } from '#data/canonical-hash.ts';
import { createCase, KeySubmittedError, ReferenceTakenError } from '#data/case-store.ts';
import { readSubmissionRecord, submissionRecordPut } from '#data/idempotency.ts';
import { ACKNOWLEDGEMENT_KEY, acknowledgementFacts } from '#shared/acknowledgement.ts';
import { applicantRecipient } from '#shared/recipients.ts';

export interface Submission {
  readonly reference: string;
  /** Shown once: only its hash is stored. */
  readonly accessCode: string;
  readonly stage: 'received';
}

export interface SubmitOptions {
  /** The client's key for this submission (the Idempotency-Key header; a draft's own key on the pages). */
  readonly idempotencyKey?: string | undefined;
}

export class NoFreeReferenceError extends Error {
  constructor(attempts: number, options?: ErrorOptions) {
    super(`No free case reference after ${attempts} attempts`, options);
    this.name = 'NoFreeReferenceError';
  }
}

type SubmitContext = Pick<
  NotifyingCaseContext,
  'data' | 'area' | 'clock' | 'workflow' | 'idempotencyStore' | 'logger' | 'metrics' | 'notifier'
>;

// 40 random bits per reference: a clash is rare, three in a row would mean something else is wrong.
const REFERENCE_ATTEMPTS = 3;
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]+$/;
// Long enough for any client's retries; the record (with its sealed code) is deleted after it.
const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;

/** What identifies a submission for its idempotency key: the key, the body as sent, and who entered it. */
interface IdempotentRequest {
  readonly key: string;
  readonly body: unknown;
  readonly enteredBy: string;
}

function checkedKey(given: string | undefined): string | undefined {
  const key = given?.trim();
  if (key === undefined || key === '') return undefined;
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !IDEMPOTENCY_KEY.test(key)) {
    throw new InvalidInputError([
      {
        path: 'Idempotency-Key',
        message: `The Idempotency-Key header must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible characters, like a UUID`,
      },
    ]);
  }
  return key;
}

/** Online, anyone (an access code changes nothing); a CSP officer for their own CSP; no other staff. */
function enteringOfficer(caller: Caller): StaffMember | undefined {
  if (caller.kind !== 'staff') return undefined;
  if (caller.staff.role !== 'officer') {
    throw new NotAllowedError('Only the applicant, online, or a CSP officer can submit an application.');
  }
  return caller.staff;
}

function sealingMaterial(request: IdempotentRequest): string {
  return `${request.key}\0${canonicalHash(request.body)}`;
}

function requestHash(request: IdempotentRequest): string {
  return canonicalHash([request.body, request.enteredBy]);
}

/**
 * The applicant's acknowledgement, with the access code: sent before the execution starts, so that its
 * first step knows it went out. When it cannot be sent now (or a retry finds the case stored already),
 * that step sends one without the code (the confirmation shows the code, and a new one can be asked
 * for); the submission stands either way.
 */
async function acknowledge(
  context: SubmitContext,
  record: CaseRecord,
  application: Application,
  accessCode: string,
): Promise<void> {
  const due = record.deadlines.thresholdDecision;
  if (due === undefined) return;
  try {
    await context.notifier.notify({
      to: applicantRecipient(record, application),
      template: 'application-acknowledged',
      key: ACKNOWLEDGEMENT_KEY,
      // A case just stored has its CSP's team as its contact: no officer has named anyone yet.
      facts: acknowledgementFacts(requireCsp(context.area, record.csp), record, due, null, accessCode),
    });
    await markAcknowledgedWithCode(context.data, record.reference, context.clock());
  } catch (error) {
    // Its name only: a delivery error may quote the address it was sent to.
    context.logger.warn('The acknowledgement could not be sent with the access code', {
      errorName: error instanceof Error ? error.name : typeof error,
    });
    context.metrics.addMetric('AcknowledgementsWithoutCode', MetricUnit.Count, 1);
  }
}

/**
 * Stores the application and starts its execution, with a reference that no other case has; with the
 * keyed request's record when there is one (KeySubmittedError if its key has a live record).
 */
async function store(
  context: SubmitContext,
  application: Application,
  enteredBy: Actor,
  now: Date,
  keyed?: IdempotentRequest,
): Promise<Submission> {
  const { data, area, metrics } = context;
  let lastClash: ReferenceTakenError | undefined;
  for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt += 1) {
    const reference = newCaseReference(application.csp);
    const accessCode = newAccessCode();
    const submissionRecord =
      keyed &&
      submissionRecordPut(
        context.idempotencyStore,
        keyed.key,
        {
          reference,
          sealedAccessCode: sealAccessCode(accessCode, sealingMaterial(keyed)),
          requestHash: requestHash(keyed),
        },
        now,
        IDEMPOTENCY_WINDOW_SECONDS,
      );
    let record: CaseRecord;
    try {
      record = await createCase(data, area, {
        application,
        enteredBy,
        now,
        reference,
        accessCodeHash: hashAccessCode(accessCode),
        ...(submissionRecord && { submissionRecord }),
      });
    } catch (error) {
      if (!(error instanceof ReferenceTakenError)) throw error;
      lastClash = error;
      continue;
    }
    await acknowledge(context, record, application, accessCode);
    await startFirstExecution(context, reference);
    metrics.addMetric('ApplicationsSubmitted', MetricUnit.Count, 1);
    return { reference, accessCode, stage: 'received' };
  }
  throw new NoFreeReferenceError(REFERENCE_ATTEMPTS, { cause: lastClash });
}

/** The first submission with this key stores the case; any other gets its result again (the code unsealed). */
async function storeOnce(
  context: SubmitContext,
  request: IdempotentRequest,
  application: Application,
  enteredBy: Actor,
  now: Date,
): Promise<Submission> {
  try {
    return await store(context, application, enteredBy, now, request);
  } catch (error) {
    if (!(error instanceof KeySubmittedError)) throw error;
    const record = await readSubmissionRecord(context.idempotencyStore, request.key, now);
    if (record === undefined) {
      // Live when the transaction failed on it, expired since: the next attempt stores the case anew.
      throw new StillProcessingError('Send the application again.', { cause: error });
    }
    if (record.requestHash !== requestHash(request)) {
      throw new AlreadySubmittedError(
        'This Idempotency-Key was used for a different application. Use a new key for a new application.',
        record.reference,
        { cause: error },
      );
    }
    return {
      reference: record.reference,
      accessCode: unsealAccessCode(record.sealedAccessCode, sealingMaterial(request)),
      stage: 'received',
    };
  }
}

export async function submitApplication(
  context: SubmitContext,
  readBody: RequestBody,
  caller: Caller,
  options: SubmitOptions = {},
): Promise<Submission> {
  const officer = enteringOfficer(caller);
  const key = checkedKey(options.idempotencyKey);
  const body = readBody();
  const at = context.clock();
  const application = parseInput(
    applicationSchema({ now: at, staff: officer !== undefined, cspIds: cspIds(context.area) }),
    body,
  );
  if (officer !== undefined && application.csp !== officer.csp) {
    throw new NotAllowedError('You can only enter applications for your own CSP.');
  }
  const enteredBy: Actor =
    officer === undefined ? { role: 'applicant' } : actorOf({ kind: 'staff', staff: officer });
  return key === undefined
    ? store(context, application, enteredBy, at)
    : storeOnce(context, { key, body, enteredBy: officer?.sub ?? 'online' }, application, enteredBy, at);
}

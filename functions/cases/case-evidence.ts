// Evidence files on a case (contract.md, "Evidence"): a presigned POST per file, straight from the
// browser to storage so that no file passes through a function, and a short-lived link to download a
// file that its checks and scan have passed. The files' records, count and verdicts are
// data/case-evidence.ts's; who may see and fetch which file is core/evidence-access.ts's.
import { createHash, randomUUID } from 'node:crypto';
import type { ApplicantCaller, Caller, StaffCaller } from '#cases/caller.ts';
import { authoriseCaseRead, authoriseCaseWork, settleAccessCode } from '#cases/case-access.ts';
import type { ApplicantCaseView, CaseView, StaffCaseView } from '#cases/case-views.ts';
import type { CaseContext } from '#cases/context.ts';
import type { EvidenceStorage } from '#cases/evidence-storage.ts';
import { parseInput, type RequestBody } from '#cases/parse-input.ts';
import { caseReference, caseViewOf, readCaseFor, type ViewContext } from '#cases/view-case.ts';
import { actorOf, type Role } from '#core/case-access.ts';
import type { Actor } from '#core/case-record.ts';
import { ConflictError, GoneError, InvalidInputError, NotAllowedError, NotFoundError } from '#core/errors.ts';
import { evidenceDownloadDecision, isAwaitingFile } from '#core/evidence-access.ts';
import {
  checkEvidenceRequest,
  isAbandonedUpload,
  MAX_EVIDENCE_BYTES,
  MAX_FILES_PER_CASE,
} from '#core/evidence-files.ts';
import { evidenceSharingSchema, evidenceUploadsSchema } from '#core/schemas/evidence.ts';
import { evidenceAdded, evidenceDownloaded, evidenceSharing } from '#core/timeline-words.ts';
import { canonicalHash } from '#data/canonical-hash.ts';
import {
  addEvidence,
  addUploadPlace,
  cleanObjectKey,
  countedAt,
  type EvidenceRecord,
  evidenceOnCase,
  markUploaded,
  readEvidence,
  reclaimAbandonedUploads,
  recordEvidenceDownload,
  setEvidenceSharing,
  uploadObjectKey,
} from '#data/case-evidence.ts';
import { getCaseForAccess } from '#data/case-store.ts';

/** Who may add files: the applicant, the case's officers and the agencies it is shared with. */
export const EVIDENCE_ROLES: readonly Role[] = ['applicant', 'officer', 'agency'];

/** How long a presigned POST may be used: long enough to choose a file on a phone and send it. */
export const UPLOAD_LINK_SECONDS = 15 * 60;
/** How long a download link works: it is followed at once, and must not be of use if passed on. */
export const DOWNLOAD_LINK_SECONDS = 60;

export type EvidenceContext = Pick<CaseContext, 'data' | 'clock'> & {
  readonly evidence: EvidenceStorage;
};

/** A presigned POST: the form's action and the fields to send before the file. */
export interface UploadForm {
  readonly id: string;
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** A case's page: the case as its reader sees it, and their form for one more file (none when closed or full). */
export interface CaseWithUploadForm<View extends CaseView = CaseView> {
  readonly view: View;
  readonly upload: UploadForm | undefined;
}

export interface UploadsGranted {
  readonly uploads: readonly UploadForm[];
}

export interface UploadOptions {
  /** The request's Idempotency-Key: the same request again gives the same files, added once. */
  readonly idempotencyKey?: string;
  /** Where storage sends the browser after a form's upload (a page without JavaScript). */
  readonly redirect?: string;
}

/**
 * Ids for the files of one request: derived from its Idempotency-Key and body when it has one (so a
 * retry names the same files, which are then added and counted once), otherwise random.
 */
function fileIds(reference: string, count: number, files: unknown, key: string | undefined): string[] {
  return Array.from({ length: count }, (_, index) => {
    if (key === undefined) return randomUUID();
    const hex = createHash('sha256')
      .update(`${reference}\n${key}\n${canonicalHash(files)}\n${index}`)
      .digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  });
}

/** The presigned POST for one file: its key, its exact type, at most 10 MB, for a quarter of an hour. */
async function uploadForm(
  storage: EvidenceStorage,
  reference: string,
  id: string,
  type: string | undefined,
  redirect: string | undefined,
): Promise<UploadForm> {
  const signer = await storage.signer();
  const { url, fields } = await signer.presignPost({
    Key: uploadObjectKey(reference, id),
    Conditions: [
      ['content-length-range', 1, MAX_EVIDENCE_BYTES],
      ...(type === undefined ? [] : [['eq', '$Content-Type', type] as ['eq', string, string]]),
    ],
    Fields: {
      ...(type !== undefined && { 'Content-Type': type }),
      ...(redirect !== undefined && { success_action_redirect: redirect }),
    },
    Expires: UPLOAD_LINK_SECONDS,
  });
  return { id, url, fields };
}

async function caseForWork(context: EvidenceContext, given: string, caller: Caller) {
  const reference = caseReference(given);
  const found = await getCaseForAccess(context.data, reference);
  if (found === undefined) throw new NotFoundError('There is no case with this reference.');
  return { reference, found: await settleAccessCode(context, reference, caller, found) };
}

/**
 * `POST /api/cases/{ref}/evidence`: the files are added to the case as pending (each counted against
 * its 30, a request of at most 10) and each is given a presigned POST. A file's type and size here
 * are what the browser said; its content is checked once it arrives (evidence/process-upload.ts).
 */
export async function requestUploads(
  context: EvidenceContext,
  given: string,
  readBody: RequestBody,
  caller: Caller,
  options: UploadOptions = {},
): Promise<UploadsGranted> {
  const body = readBody();
  const { reference, found } = await caseForWork(context, given, caller);
  const by = authoriseCaseWork(EVIDENCE_ROLES, caller, found);
  const request = parseInput(evidenceUploadsSchema, body);
  if (request.shareWithApplicant !== undefined && by.role === 'applicant') {
    throw new InvalidInputError([
      { path: 'shareWithApplicant', message: 'Only staff choose whom to share a file with' },
    ]);
  }
  const now = context.clock();
  const onCase = await evidenceOnCase(context.data, reference, now);
  const problems = checkEvidenceRequest(request.files, onCase.counted);
  if (problems.length > 0) {
    const issues = problems.map((problem) => ({
      path: problem.file === undefined ? 'files' : `files.${problem.file}`,
      message: problem.message,
    }));
    throw new InvalidInputError(issues, issues[0]?.message);
  }
  if (found.case.stage === 'closed') {
    throw new ConflictError('The case is closed: no more files can be added to it.', 'closed');
  }
  await reclaimAbandonedUploads(context.data, reference, onCase.files, now);
  const ids = fileIds(reference, request.files.length, request.files, options.idempotencyKey);
  const at = now.toISOString();
  const uploadBy = new Date(now.getTime() + UPLOAD_LINK_SECONDS * 1000).toISOString();
  const addedBy = adderOf(by);
  const shared = request.shareWithApplicant === true;
  await addEvidence(
    context.data,
    reference,
    request.files.map((file, index) => ({
      id: ids[index] as string,
      name: file.name,
      type: file.type as EvidenceRecord['type'],
      size: file.size,
      addedBy,
      addedAt: at,
      uploadBy,
      ...(shared && { sharedWithApplicant: true }),
    })),
    {
      event: {
        at,
        type: 'evidence-added',
        summary: evidenceAdded(request.files.length),
        actor: by,
        audience: by.role === 'applicant' || shared ? 'all' : 'staff',
      },
      audit: { at, actor: by, what: 'evidence-added' },
      expiresAt: found.case.expiresAt,
    },
  );
  const uploads = await Promise.all(
    request.files.map((file, index) =>
      uploadForm(context.evidence, reference, ids[index] as string, file.type, options.redirect),
    ),
  );
  return { uploads };
}

/**
 * A case's page: the case as `caller` sees it and, from the same read of the case, their form for one
 * more file (without JavaScript a form cannot say what the file will be): the caller's place for a file
 * not yet sent if they have one, else a new one (counted against the case's 30 when its file arrives).
 * The form is undefined when the case is closed or has no room. `redirect` is where storage sends the
 * browser back, given the file's id.
 */
export async function getCaseWithUploadForm(
  context: EvidenceContext & ViewContext,
  given: string,
  caller: StaffCaller,
  redirect: (id: string) => string,
): Promise<CaseWithUploadForm<StaffCaseView>>;
export async function getCaseWithUploadForm(
  context: EvidenceContext & ViewContext,
  given: string,
  caller: ApplicantCaller,
  redirect: (id: string) => string,
): Promise<CaseWithUploadForm<ApplicantCaseView>>;
export async function getCaseWithUploadForm(
  context: EvidenceContext & ViewContext,
  given: string,
  caller: Caller,
  redirect: (id: string) => string,
): Promise<CaseWithUploadForm>;
export async function getCaseWithUploadForm(
  context: EvidenceContext & ViewContext,
  given: string,
  caller: Caller,
  redirect: (id: string) => string,
): Promise<CaseWithUploadForm> {
  const { reference, stored } = await readCaseFor(context, given, caller);
  const by = authoriseCaseWork(EVIDENCE_ROLES, caller, stored);
  const view = await caseViewOf(context, reference, stored, caller);
  if (stored.case.stage === 'closed') return { view, upload: undefined };
  const addedBy = adderOf(by);
  const mine = (file: EvidenceRecord) =>
    isAwaitingFile(file) && file.addedBy.role === addedBy.role && file.addedBy.sub === addedBy.sub;
  let id = stored.evidence.find(mine)?.id;
  if (id === undefined) {
    const counted = countedAt(stored.evidenceCount, stored.evidence, context.clock());
    if (counted >= MAX_FILES_PER_CASE) return { view, upload: undefined };
    id = randomUUID();
    await addUploadPlace(context.data, reference, { id, addedBy, addedAt: context.clock().toISOString() });
  }
  return { view, upload: await uploadForm(context.evidence, reference, id, undefined, redirect(id)) };
}

/**
 * Storage sent the browser back after a form's upload: the file is on its way (its checks follow),
 * and its addition goes on the timeline. Only the caller's own place for a file; the same return again
 * changes nothing.
 */
export async function confirmUpload(
  context: EvidenceContext,
  given: string,
  id: string,
  caller: Caller,
): Promise<void> {
  const { reference, found } = await caseForWork(context, given, caller);
  const by = authoriseCaseWork(EVIDENCE_ROLES, caller, found);
  const file = /^[0-9a-f-]{36}$/.test(id) ? await readEvidence(context.data, reference, id) : undefined;
  if (file?.awaitingUpload !== true) return;
  const addedBy = adderOf(by);
  if (file.addedBy.role !== addedBy.role || file.addedBy.sub !== addedBy.sub) return;
  const at = context.clock().toISOString();
  await markUploaded(context.data, reference, id, {
    event: {
      at,
      type: 'evidence-added',
      summary: evidenceAdded(1),
      actor: by,
      audience: by.role === 'applicant' ? 'all' : 'staff',
    },
    audit: { at, actor: by, what: 'evidence-added' },
    expiresAt: found.case.expiresAt,
  });
}

function adderOf(actor: Actor): EvidenceRecord['addedBy'] {
  const { role, sub, name, agency } = actor;
  return {
    role: role as Role,
    ...(sub !== undefined && { sub }),
    ...(name !== undefined && { name }),
    ...(agency !== undefined && { agency }),
  };
}

export interface EvidenceShared {
  readonly id: string;
  readonly sharedWithApplicant: boolean;
}

/**
 * `POST /api/cases/{ref}/evidence/{id}` `{"shareWithApplicant": true}`: staff show a file staff added to
 * the applicant (on /track, with the rest of the case), or stop showing it. The case's officers decide for
 * any such file, an agency for its own agency's; the applicant's own uploads they always see. Audited, and
 * on the timeline (the applicant's too when a file is shared with them); the same request again changes
 * nothing.
 */
export async function shareEvidence(
  context: EvidenceContext,
  given: string,
  id: string,
  readBody: RequestBody,
  caller: Caller,
): Promise<EvidenceShared> {
  const body = readBody();
  const { reference, found } = await caseForWork(context, given, caller);
  const by = authoriseCaseWork(['officer', 'agency'], caller, found);
  const { shareWithApplicant: shared } = parseInput(evidenceSharingSchema, body);
  const file = /^[0-9a-f-]{36}$/.test(id) ? await readEvidence(context.data, reference, id) : undefined;
  if (file === undefined || isAwaitingFile(file) || isAbandonedUpload(file, context.clock())) {
    throw REFUSALS['not-found']();
  }
  if (file.addedBy.role === 'applicant') {
    throw new ConflictError('The applicant added this file, so they always see it.', undefined);
  }
  if (by.role === 'agency' && file.addedBy.agency !== by.agency) {
    throw new NotAllowedError(
      'Only the council’s officers, or the agency that added it, can share this file.',
    );
  }
  if (found.case.stage === 'closed') {
    throw new ConflictError('The case is closed: whom its files are shared with cannot change.', 'closed');
  }
  const at = context.clock().toISOString();
  await setEvidenceSharing(context.data, reference, id, shared, {
    event: {
      at,
      type: shared ? 'evidence-shared' : 'evidence-unshared',
      summary: evidenceSharing(file.name, shared),
      actor: by,
      audience: shared ? 'all' : 'staff',
    },
    audit: { at, actor: by, what: shared ? 'evidence-shared' : 'evidence-unshared' },
    expiresAt: found.case.expiresAt,
  });
  return { id, sharedWithApplicant: shared };
}

export interface DownloadLink {
  readonly url: string;
  readonly expiresAt: string;
}

const REFUSALS = {
  'not-found': () => new NotFoundError('There is no such file on this case.'),
  pending: () => new ConflictError('The file is still being checked. Try again in a minute.', undefined),
  rejected: (file: EvidenceRecord) =>
    new GoneError(file.reason ?? 'The file did not pass its checks and cannot be downloaded.'),
  'not-scanned': () =>
    new NotAllowedError(
      'The file could not be scanned for viruses, so only staff and whoever added it can download it.',
    ),
} as const;

/**
 * `GET /api/cases/{ref}/evidence/{id}`: a short-lived link to the cleaned copy, served as an attachment
 * under the file's own name, audited on the case's timeline.
 */
export async function evidenceDownload(
  context: EvidenceContext,
  given: string,
  id: string,
  caller: Caller,
): Promise<DownloadLink> {
  const { reference, found } = await caseForWork(context, given, caller);
  const reader = authoriseCaseRead(caller, found);
  const file = /^[0-9a-f-]{36}$/.test(id) ? await readEvidence(context.data, reference, id) : undefined;
  const now = context.clock();
  if (file === undefined || isAbandonedUpload(file, now)) throw REFUSALS['not-found']();
  const decision = evidenceDownloadDecision(reader, file);
  if (!decision.allowed) throw REFUSALS[decision.refusal](file);
  const at = now.toISOString();
  const actor = actorOf(reader);
  await recordEvidenceDownload(context.data, reference, {
    event: {
      at,
      type: 'evidence-downloaded',
      summary: evidenceDownloaded(file.name),
      actor,
      audience: 'staff',
    },
    audit: { at, actor, what: 'evidence-download' },
    expiresAt: found.case.expiresAt,
  });
  const signer = await context.evidence.signer();
  const url = await signer.presignGet(cleanObjectKey(reference, id), DOWNLOAD_LINK_SECONDS, now);
  return { url, expiresAt: new Date(now.getTime() + DOWNLOAD_LINK_SECONDS * 1000).toISOString() };
}

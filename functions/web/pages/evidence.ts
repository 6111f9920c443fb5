// Evidence files on the pages: the list of a case's files (name, type, size, who added it, when, its
// verdict) with download links, and the form that adds one more. Without JavaScript a form posts one file
// straight to storage with its presigned fields (no file passes through this function); storage then
// sends the browser back here with the file's id, which confirms it, and the page offers the next
// ("add another file"). The links lead to the download routes, which answer with a short-lived link.
import type { ApplicantCaller, Caller, StaffCaller } from '#cases/caller.ts';
import type { UploadForm } from '#cases/case-evidence.ts';
import type { ApplicantCaseView, CaseView, StaffCaseView } from '#cases/case-views.ts';
import { AGENCY_LABELS } from '#core/agency-names.ts';
import { ConflictError, InvalidInputError } from '#core/errors.ts';
import {
  EVIDENCE_TYPES,
  type EvidenceVerdict,
  isEvidenceType,
  MAX_EVIDENCE_BYTES,
} from '#core/evidence-files.ts';
import { jsonResponse, type PageResponse, redirect } from '../http/response.ts';
import type { PageContext } from '../page-context.ts';
import { formatDateTime, nameOf } from '../render/words.ts';

/** What the file input offers: the accepted types by their extensions and media types. */
export const ACCEPTED_FILES =
  '.pdf,.jpg,.jpeg,.png,.doc,.docx,.txt,application/pdf,image/jpeg,image/png,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain';

const VERDICT_WORDS: Readonly<Record<EvidenceVerdict, { text: string; tag: string }>> = {
  pending: { text: 'Being checked', tag: 'govuk-tag--grey' },
  clean: { text: 'Checked', tag: 'govuk-tag--green' },
  rejected: { text: 'Refused', tag: 'govuk-tag--red' },
  'not-scanned': { text: 'Not scanned for viruses', tag: 'govuk-tag--yellow' },
};

/** A file as a case view lists it. */
export interface ListedFile {
  readonly id: string;
  readonly name: string;
  readonly type: string | null;
  readonly size: number;
  readonly addedBy: { readonly role: string; readonly name?: string; readonly agency?: string };
  readonly addedAt: string;
  readonly verdict: EvidenceVerdict;
  readonly reason?: string;
  /** Staff's list: whether the applicant sees the file (their own, or one staff shared with them). */
  readonly sharedWithApplicant?: boolean;
}

function sizeWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function whoWords(addedBy: ListedFile['addedBy'], reader: 'applicant' | 'staff'): string {
  if (addedBy.role === 'applicant') return reader === 'applicant' ? 'You' : 'The applicant';
  const agency = addedBy.agency ? nameOf(AGENCY_LABELS, addedBy.agency) : undefined;
  if (reader === 'applicant') return agency ?? (addedBy.role === 'officer' ? 'The council' : 'Staff');
  return [addedBy.name, agency ?? (addedBy.role === 'officer' ? 'Council officer' : addedBy.role)]
    .filter(Boolean)
    .join(', ');
}

/** The list's rows, each with its download link when this reader may fetch the file. */
export function fileList(
  files: readonly ListedFile[],
  reader: 'applicant' | 'staff',
  href: (id: string) => string,
) {
  return files.map((file) => {
    const verdict = VERDICT_WORDS[file.verdict];
    const downloadable =
      file.verdict === 'clean' ||
      (file.verdict === 'not-scanned' && (reader === 'staff' || file.addedBy.role === 'applicant'));
    return {
      id: file.id,
      name: file.name,
      href: downloadable ? href(file.id) : undefined,
      type: file.type !== null && isEvidenceType(file.type) ? EVIDENCE_TYPES[file.type] : 'Unknown',
      size: sizeWords(file.size),
      who: whoWords(file.addedBy, reader),
      when: formatDateTime(file.addedAt),
      verdict: verdict.text,
      verdictTag: verdict.tag,
      reason: file.reason,
      shared: file.sharedWithApplicant === true,
    };
  });
}

/**
 * The form for one more file, for the template, and the origin it posts to (for the page's CSP); `grant`
 * is where the page's script asks for a presigned POST per file when several are chosen at once.
 */
export function uploadModel(form: UploadForm | undefined, grant: string) {
  if (!form) return undefined;
  return {
    url: form.url,
    grant,
    fields: Object.entries(form.fields),
    accept: ACCEPTED_FILES,
    maxMegabytes: MAX_EVIDENCE_BYTES / (1024 * 1024),
    origin: new URL(form.url).origin,
  };
}

/**
 * A case's page: after confirming the file storage has just sent the browser back from (if any), the
 * case and the form for one more file on `path` (where storage sends the browser back), from one read of
 * the case. `uploaded` says whether a file was confirmed.
 */
export async function caseWithUploadSection(
  context: PageContext,
  reference: string,
  caller: StaffCaller,
  path: string,
  grant: string,
): Promise<UploadSection<StaffCaseView>>;
export async function caseWithUploadSection(
  context: PageContext,
  reference: string,
  caller: ApplicantCaller,
  path: string,
  grant: string,
): Promise<UploadSection<ApplicantCaseView>>;
export async function caseWithUploadSection(
  context: PageContext,
  reference: string,
  caller: StaffCaller | ApplicantCaller,
  path: string,
  grant: string,
): Promise<UploadSection<CaseView>> {
  const { operations } = context.deps;
  const uploaded = context.request.query.get('uploaded');
  if (uploaded) await operations.confirmUpload(reference, uploaded, caller);
  const redirect = (id: string) => `${context.deps.siteUrl}${path}?uploaded=${encodeURIComponent(id)}`;
  const { view, upload } = await operations.getCaseWithUploadForm(reference, caller, redirect);
  return { view, upload: uploadModel(upload, grant), uploaded: uploaded !== null };
}

interface UploadSection<View extends CaseView> {
  readonly view: View;
  readonly upload: ReturnType<typeof uploadModel>;
  readonly uploaded: boolean;
}

/** A page with the upload form: its storage may be posted to, by the form and by the page's script. */
export function withUploadTargets(
  response: PageResponse,
  upload: ReturnType<typeof uploadModel>,
): PageResponse {
  return upload ? { ...response, formTargets: [upload.origin], connectTargets: [upload.origin] } : response;
}

const IDEMPOTENCY_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Several files at once (the page's script, assets/upload.mjs): a presigned POST for each file the form
 * describes (`name`, `type` and `size`, once per file), as JSON for the script, which then sends each
 * file straight to storage. The form's `key` makes a retry name the same files, added once. The
 * operation's refusals (a wrong type, too large, too many, a closed case) are JSON too, as the API's.
 */
export async function grantUploads(
  context: PageContext,
  reference: string,
  caller: Caller,
): Promise<PageResponse> {
  const { form } = context.request;
  const types = form.getAll('type');
  const sizes = form.getAll('size');
  const files = form
    .getAll('name')
    .map((name, index) => ({ name, type: types[index] ?? '', size: Number(sizes[index] ?? '') }));
  const key = form.get('key') ?? '';
  try {
    const granted = await context.deps.operations.requestUploads(
      reference,
      () => ({ files }),
      caller,
      IDEMPOTENCY_KEY.test(key) ? { idempotencyKey: key } : {},
    );
    return jsonResponse(200, granted);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      return jsonResponse(400, { error: 'validation', message: error.message, issues: error.issues });
    }
    if (error instanceof ConflictError)
      return jsonResponse(409, { error: 'conflict', message: error.message });
    throw error;
  }
}

/** A download: the browser is sent on to the short-lived link (the operation's refusals are its pages). */
export async function downloadFile(context: PageContext, reference: string, caller: Caller) {
  const link = await context.deps.operations.evidenceDownload(
    reference,
    context.request.params.id ?? '',
    caller,
  );
  return redirect(link.url, 302);
}

// Who may see and fetch which evidence file of a case they may read, as a decision apart from any I/O:
// staff of the case see every file; the applicant sees their own uploads and those staff chose to
// share with them. A file is fetched only once it is clean, except that a file no scanner could look at
// (`not-scanned`) is given to staff and to whoever added it, its verdict shown.
import type { CaseReader } from '#core/case-access.ts';
import type { EvidenceVerdict } from '#core/evidence-files.ts';

/** What of a file the rules look at. */
export interface EvidenceFacts {
  readonly addedBy: { readonly role: string; readonly sub?: string };
  readonly verdict: EvidenceVerdict;
  readonly sharedWithApplicant?: boolean;
  readonly type?: string;
  readonly awaitingUpload?: true;
}

/** A form's place for a file that has not arrived yet: nobody's file, so listed to nobody. */
export function isAwaitingFile(file: EvidenceFacts): boolean {
  return file.awaitingUpload === true && file.verdict === 'pending' && file.type === undefined;
}

export function addedByReader(reader: CaseReader, file: EvidenceFacts): boolean {
  return reader.kind === 'applicant'
    ? file.addedBy.role === 'applicant'
    : file.addedBy.sub !== undefined && file.addedBy.sub === reader.staff.sub;
}

export function evidenceVisibleTo(reader: CaseReader, file: EvidenceFacts): boolean {
  if (isAwaitingFile(file)) return false;
  return reader.kind === 'staff' || addedByReader(reader, file) || file.sharedWithApplicant === true;
}

export type EvidenceDownloadDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly refusal: 'not-found' | 'pending' | 'rejected' | 'not-scanned' };

export function evidenceDownloadDecision(reader: CaseReader, file: EvidenceFacts): EvidenceDownloadDecision {
  if (!evidenceVisibleTo(reader, file)) return { allowed: false, refusal: 'not-found' };
  switch (file.verdict) {
    case 'clean':
      return { allowed: true };
    case 'pending':
      return { allowed: false, refusal: 'pending' };
    case 'rejected':
      return { allowed: false, refusal: 'rejected' };
    case 'not-scanned':
      return reader.kind === 'staff' || addedByReader(reader, file)
        ? { allowed: true }
        : { allowed: false, refusal: 'not-scanned' };
  }
}

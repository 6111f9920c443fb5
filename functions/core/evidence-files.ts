// What evidence a case accepts, decided from a file's bytes and never from its name or the type the
// browser claimed: a photo renamed diary.pdf, or a program renamed photo.jpg, is found out here. Pure, so
// the API (before a presigned POST is given) and the processing function (after the upload) apply the
// same rules.

/** 10 MB each (contract "Evidence"): a phone's photo or a scanned diary sheet, not a video. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_REQUEST = 10;
export const MAX_FILES_PER_CASE = 30;

/** The types a case accepts, by the media type a file's content shows. */
export const EVIDENCE_TYPES = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG image',
  'image/png': 'PNG image',
  'application/msword': 'Word document (.doc)',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document (.docx)',
  'text/plain': 'plain text file',
} as const;

export type EvidenceType = keyof typeof EVIDENCE_TYPES;

/** What a file sent without its name (through a page's form, without JavaScript) is listed as. */
export const EVIDENCE_NAMES: Readonly<Record<EvidenceType, string>> = {
  'application/pdf': 'PDF document',
  'image/jpeg': 'Photo (JPEG)',
  'image/png': 'Image (PNG)',
  'application/msword': 'Word document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'text/plain': 'Text file',
};

/** Images are re-encoded (their metadata removed) before anyone else sees them. */
export const IMAGE_TYPES: ReadonlySet<EvidenceType> = new Set(['image/jpeg', 'image/png']);

/**
 * The scan's verdict on a file: `pending` until scanned, `clean` may be fetched, `rejected` (a threat,
 * or content that is not what it claims) never is, `not-scanned` (no scanner could run) only by staff and
 * whoever added it, with the verdict shown.
 */
export const EVIDENCE_VERDICTS = ['pending', 'clean', 'rejected', 'not-scanned'] as const;
export type EvidenceVerdict = (typeof EVIDENCE_VERDICTS)[number];

/**
 * How long past its form's expiry an upload that never arrived still holds its place: an upload begun
 * at the form's last moment (S3 checks the policy when the upload starts, and 10 MB from a phone on a
 * poor signal takes minutes) and the processing of its arrival (seconds, more when retried) both end
 * well within it.
 */
export const UPLOAD_GRACE_SECONDS = 60 * 60;

/** What of a file's place the rule on abandoned uploads looks at. */
export interface UploadSlot {
  readonly verdict: EvidenceVerdict;
  /** When its presigned POST expires (ISO); places without one are never abandoned. */
  readonly uploadBy?: string;
  /** When the processing step took its object in (ISO): from then on it is a file, whatever happens. */
  readonly receivedAt?: string;
}

/** The uploadBy before which a place whose file never arrived is abandoned at `now`. */
export function abandonedBefore(now: Date): string {
  return new Date(now.getTime() - UPLOAD_GRACE_SECONDS * 1000).toISOString();
}

/**
 * A place for a file whose form has expired (with its grace) and whose file never arrived: it is not
 * listed, does not count against the case's 30, and its late arrival is refused.
 */
export function isAbandonedUpload(slot: UploadSlot, now: Date): boolean {
  return (
    slot.verdict === 'pending' &&
    slot.receivedAt === undefined &&
    slot.uploadBy !== undefined &&
    slot.uploadBy < abandonedBefore(now)
  );
}

/**
 * What a file's content is. HEIC is recognised so that it gets its own message: no converter here can
 * decode it (the prebuilt image library leaves out HEVC), so the file input asks for JPEG, which an
 * iPhone then sends.
 */
export type DetectedType = EvidenceType | 'image/heic';

export function isEvidenceType(value: string): value is EvidenceType {
  return Object.hasOwn(EVIDENCE_TYPES, value);
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_LOCAL_FILE = [0x50, 0x4b, 0x03, 0x04];
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

/** The accepted type the content shows, or undefined when it is none of them. */
export function detectEvidenceType(bytes: Uint8Array): DetectedType | undefined {
  if (startsWith(bytes, PDF)) return 'application/pdf';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, OLE2)) return hasWordDocumentStream(bytes) ? 'application/msword' : undefined;
  if (startsWith(bytes, ZIP_LOCAL_FILE)) {
    return zipEntryNames(bytes)?.has('word/document.xml')
      ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
      : undefined;
  }
  if (isHeif(bytes)) return 'image/heic';
  if (isPlainText(bytes)) return 'text/plain';
  return undefined;
}

/** An ISO base media file whose `ftyp` box names a HEIF brand. */
function isHeif(bytes: Uint8Array): boolean {
  if (bytes.length < 12 || ascii(bytes, 4, 8) !== 'ftyp') return false;
  const boxSize = readUint32BE(bytes, 0);
  const end = Math.min(boxSize, bytes.length);
  if (HEIF_BRANDS.has(ascii(bytes, 8, 12))) return true;
  // Compatible brands follow the major brand and its minor version.
  for (let offset = 16; offset + 4 <= end; offset += 4) {
    if (HEIF_BRANDS.has(ascii(bytes, offset, offset + 4))) return true;
  }
  return false;
}

/**
 * A Word 97-2003 file is a compound file with a `WordDocument` stream; Excel and PowerPoint files are
 * compound files too, and are not accepted. The directory entries' names are UTF-16LE.
 */
function hasWordDocumentStream(bytes: Uint8Array): boolean {
  const name = Buffer.from('WordDocument', 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(name);
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;

/** The names in a ZIP file's central directory, or undefined when it has none that can be read. */
function zipEntryNames(bytes: Uint8Array): Set<string> | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is the last 22 bytes, plus a comment of at most 65,535 bytes.
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let offset = bytes.length - 22; offset >= earliest; offset--) {
    if (view.getUint32(offset, true) === END_OF_CENTRAL_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) return undefined;
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const names = new Set<string>();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== CENTRAL_DIRECTORY_ENTRY) {
      return undefined;
    }
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    if (offset + 46 + nameLength > bytes.length) return undefined;
    names.add(Buffer.from(bytes.subarray(offset + 46, offset + 46 + nameLength)).toString('utf8'));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** UTF-8 (with or without its byte-order mark) with no control characters other than layout. */
function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

function readUint32BE(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
}

/** A file the person says they will upload (contract: `{"name", "type", "size"}`). */
export interface EvidenceFileClaim {
  readonly name: string;
  readonly type: string;
  readonly size: number;
}

/** Why a file, or a request for uploads, is refused, in words for the person who sent it. */
export interface EvidenceProblem {
  /** The file's index in the request, or undefined for the request as a whole. */
  readonly file?: number;
  readonly message: string;
}

const TYPE_NAMES = 'a PDF, JPEG, PNG, Word document or plain text file';

/**
 * The problems with a request for uploads, given how many files the case has already; none means each
 * file may be given a presigned POST.
 */
export function checkEvidenceRequest(
  files: readonly EvidenceFileClaim[],
  alreadyOnCase: number,
): EvidenceProblem[] {
  const problems: EvidenceProblem[] = [];
  if (files.length === 0) problems.push({ message: 'Choose a file to add.' });
  if (files.length > MAX_FILES_PER_REQUEST) {
    problems.push({ message: `Add at most ${MAX_FILES_PER_REQUEST} files at a time.` });
  }
  if (alreadyOnCase + files.length > MAX_FILES_PER_CASE) {
    const left = Math.max(0, MAX_FILES_PER_CASE - alreadyOnCase);
    problems.push({
      message: `A case can have at most ${MAX_FILES_PER_CASE} files: ${left === 0 ? 'it has no room for more' : `you can add ${left} more`}.`,
    });
  }
  files.forEach((file, index) => {
    problems.push(...checkClaim(file).map((message) => ({ file: index, message })));
  });
  return problems;
}

function checkClaim(file: EvidenceFileClaim): string[] {
  const problems: string[] = [];
  if (file.type === 'image/heic' || file.type === 'image/heif') {
    problems.push(`${describe(file)} is a HEIC photo, which cannot be converted here: choose it as a JPEG.`);
  } else if (!isEvidenceType(file.type)) {
    problems.push(`${describe(file)} must be ${TYPE_NAMES}.`);
  }
  if (!Number.isInteger(file.size) || file.size < 0) {
    problems.push(`The size of ${describe(file)} must be a whole number of bytes.`);
  } else if (file.size === 0) {
    problems.push(`${describe(file)} is empty.`);
  } else if (file.size > MAX_EVIDENCE_BYTES) {
    problems.push(`${describe(file)} must be smaller than 10 MB.`);
  }
  return problems;
}

/**
 * The verdict on an uploaded file's content, before any scan: refused when its bytes are not an
 * accepted type or not the type it was uploaded as (a mismatch is refused rather than trusted either
 * way), or larger than the limit.
 */
export function checkUploadedContent(
  bytes: Uint8Array,
  declaredType: string,
): { accepted: true; type: EvidenceType } | { accepted: false; reason: string } {
  if (bytes.length === 0) return { accepted: false, reason: 'The file is empty.' };
  if (bytes.length > MAX_EVIDENCE_BYTES) {
    return { accepted: false, reason: 'The file must be smaller than 10 MB.' };
  }
  const detected = detectEvidenceType(bytes);
  if (detected === 'image/heic') {
    return { accepted: false, reason: 'HEIC photos cannot be converted here: add the photo as a JPEG.' };
  }
  if (!detected) return { accepted: false, reason: `The file must be ${TYPE_NAMES}.` };
  if (detected !== declaredType) {
    return {
      accepted: false,
      reason: `The file is a ${EVIDENCE_TYPES[detected]}, not the ${isEvidenceType(declaredType) ? EVIDENCE_TYPES[declaredType] : 'type'} it was added as.`,
    };
  }
  return { accepted: true, type: detected };
}

function describe(file: EvidenceFileClaim): string {
  return file.name ? `"${file.name}"` : 'The file';
}

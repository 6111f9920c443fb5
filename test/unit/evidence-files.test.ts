import { describe, expect, it } from 'vitest';
import {
  checkEvidenceRequest,
  checkUploadedContent,
  detectEvidenceType,
  isAbandonedUpload,
  MAX_EVIDENCE_BYTES,
  UPLOAD_GRACE_SECONDS,
} from '#core/evidence-files.ts';
import { compoundFile, docx, heic, pdf, photoWithLocation, zipOf } from '#test/support/evidence-files.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');

describe('detectEvidenceType', () => {
  it('knows each accepted type by its content', async () => {
    expect(detectEvidenceType(pdf())).toBe('application/pdf');
    expect(detectEvidenceType(JPEG)).toBe('image/jpeg');
    expect(detectEvidenceType(await photoWithLocation('png'))).toBe('image/png');
    expect(detectEvidenceType(PNG)).toBe('image/png');
    expect(detectEvidenceType(compoundFile('WordDocument'))).toBe('application/msword');
    expect(detectEvidenceType(docx())).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(
      detectEvidenceType(Buffer.from('Monday 3 Nov, 11pm: shouting again.\r\n\tThrees & fours — £5')),
    ).toBe('text/plain');
    expect(detectEvidenceType(Buffer.from('\ufeffWith a byte-order mark'))).toBe('text/plain');
  });

  it('recognises a HEIC photo so that it can be asked for as JPEG', () => {
    expect(detectEvidenceType(heic())).toBe('image/heic');
  });

  it('accepts no other compound file or ZIP than a Word document', () => {
    expect(detectEvidenceType(compoundFile('Workbook'))).toBeUndefined();
    expect(detectEvidenceType(zipOf({ 'xl/workbook.xml': '<workbook/>' }))).toBeUndefined();
    expect(detectEvidenceType(zipOf({ 'word/document.xml': '' }).subarray(0, 40))).toBeUndefined();
  });

  it('refuses a program, an empty file and text that is not UTF-8 or has control characters', () => {
    expect(detectEvidenceType(Buffer.from('7f454c4602010100', 'hex'))).toBeUndefined();
    expect(detectEvidenceType(Buffer.from('MZ\x90\x00\x03', 'latin1'))).toBeUndefined();
    expect(detectEvidenceType(Buffer.alloc(0))).toBeUndefined();
    expect(detectEvidenceType(Buffer.from([0x66, 0xff, 0xfe, 0x41]))).toBeUndefined();
    expect(detectEvidenceType(Buffer.from('text\u0000with a NUL'))).toBeUndefined();
  });

  it('goes by the bytes, not by what the file is called', () => {
    // A PDF whose first bytes are a JPEG's is a JPEG, whatever its name says.
    expect(detectEvidenceType(Buffer.concat([JPEG, pdf()]))).toBe('image/jpeg');
  });
});

describe('checkEvidenceRequest', () => {
  const file = (overrides: Partial<{ name: string; type: string; size: number }> = {}) => ({
    name: 'diary.pdf',
    type: 'application/pdf',
    size: 20_480,
    ...overrides,
  });

  it('accepts up to ten files of accepted types and sizes', () => {
    expect(
      checkEvidenceRequest(
        Array.from({ length: 10 }, () => file()),
        0,
      ),
    ).toEqual([]);
    expect(checkEvidenceRequest([file({ size: MAX_EVIDENCE_BYTES })], 29)).toEqual([]);
  });

  it('refuses more than ten files at a time and more than thirty on a case', () => {
    expect(
      checkEvidenceRequest(
        Array.from({ length: 11 }, () => file()),
        0,
      ),
    ).toEqual([{ message: 'Add at most 10 files at a time.' }]);
    expect(checkEvidenceRequest([file(), file()], 29)).toEqual([
      { message: 'A case can have at most 30 files: you can add 1 more.' },
    ]);
    expect(checkEvidenceRequest([file()], 30)).toEqual([
      { message: 'A case can have at most 30 files: it has no room for more.' },
    ]);
    expect(checkEvidenceRequest([], 0)).toEqual([{ message: 'Choose a file to add.' }]);
  });

  it('names each file of a type not accepted, too large or empty', () => {
    expect(
      checkEvidenceRequest(
        [
          file({ name: 'run.exe', type: 'application/x-msdownload' }),
          file({ name: 'big.pdf', size: MAX_EVIDENCE_BYTES + 1 }),
          file({ name: 'empty.txt', type: 'text/plain', size: 0 }),
          file({ name: 'IMG_0001.HEIC', type: 'image/heic' }),
        ],
        0,
      ),
    ).toEqual([
      { file: 0, message: '"run.exe" must be a PDF, JPEG, PNG, Word document or plain text file.' },
      { file: 1, message: '"big.pdf" must be smaller than 10 MB.' },
      { file: 2, message: '"empty.txt" is empty.' },
      {
        file: 3,
        message: '"IMG_0001.HEIC" is a HEIC photo, which cannot be converted here: choose it as a JPEG.',
      },
    ]);
  });

  it('says a size that is not a whole number of bytes is one, rather than that the file is empty', () => {
    expect(
      checkEvidenceRequest([file({ name: 'a.pdf', size: -1 }), file({ name: 'b.pdf', size: 1.5 })], 0),
    ).toEqual([
      { file: 0, message: 'The size of "a.pdf" must be a whole number of bytes.' },
      { file: 1, message: 'The size of "b.pdf" must be a whole number of bytes.' },
    ]);
  });
});

describe('checkUploadedContent', () => {
  it('accepts content of the type the file was added as', () => {
    expect(checkUploadedContent(pdf(), 'application/pdf')).toEqual({
      accepted: true,
      type: 'application/pdf',
    });
  });

  it('refuses content of another type than the one it was added as', () => {
    expect(checkUploadedContent(JPEG, 'application/pdf')).toEqual({
      accepted: false,
      reason: 'The file is a JPEG image, not the PDF it was added as.',
    });
  });

  it('refuses content of no accepted type, HEIC, an empty file and one over the limit', () => {
    expect(checkUploadedContent(Buffer.from('7f454c46', 'hex'), 'text/plain')).toMatchObject({
      accepted: false,
    });
    expect(checkUploadedContent(heic(), 'image/jpeg')).toEqual({
      accepted: false,
      reason: 'HEIC photos cannot be converted here: add the photo as a JPEG.',
    });
    expect(checkUploadedContent(Buffer.alloc(0), 'text/plain')).toEqual({
      accepted: false,
      reason: 'The file is empty.',
    });
    expect(checkUploadedContent(Buffer.alloc(MAX_EVIDENCE_BYTES + 1, 0x61), 'text/plain')).toEqual({
      accepted: false,
      reason: 'The file must be smaller than 10 MB.',
    });
  });
});

describe('isAbandonedUpload', () => {
  const uploadBy = '2026-11-02T10:15:00.000Z';
  const pastFormExpiry = (seconds: number) => new Date(Date.parse(uploadBy) + seconds * 1000);

  it('keeps a place for its file until its form has expired and the grace after it has passed', () => {
    expect(isAbandonedUpload({ verdict: 'pending', uploadBy }, pastFormExpiry(0))).toBe(false);
    expect(isAbandonedUpload({ verdict: 'pending', uploadBy }, pastFormExpiry(UPLOAD_GRACE_SECONDS))).toBe(
      false,
    );
    expect(
      isAbandonedUpload({ verdict: 'pending', uploadBy }, pastFormExpiry(UPLOAD_GRACE_SECONDS + 1)),
    ).toBe(true);
  });

  it('never gives up a file that arrived, or has a verdict, or a place with no form expiry', () => {
    const late = pastFormExpiry(UPLOAD_GRACE_SECONDS + 1);
    expect(isAbandonedUpload({ verdict: 'pending', uploadBy, receivedAt: uploadBy }, late)).toBe(false);
    expect(isAbandonedUpload({ verdict: 'clean', uploadBy }, late)).toBe(false);
    expect(isAbandonedUpload({ verdict: 'rejected', uploadBy }, late)).toBe(false);
    expect(isAbandonedUpload({ verdict: 'pending' }, late)).toBe(false);
  });
});

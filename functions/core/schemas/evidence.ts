// `POST /api/cases/{ref}/evidence` (contract.md, "Evidence"): the files someone is about to upload, as
// their browser describes them. Whether each may be added (its type, its size, the case's room) is
// core/evidence-files.ts's rule, applied after this shape is checked.

import { requiredText } from '#core/schemas/fields.ts';
import * as z from '#core/schemas/zod.ts';

/** A file's name as a phone or computer gives it, which is shown back and never used as a key. */
export const FILE_NAME_MAX = 255;

// Line breaks and tabs (what could break a header), quotes, and the bidirectional controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const UNSAFE_IN_FILE_NAME = /[\u0000-\u001f\u007f"\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const fileSchema = z.strictObject(
  {
    name: z.pipe(
      z.pipe(
        requiredText({ enter: 'Give the name of the file', label: 'The name of the file' }, FILE_NAME_MAX),
        // Only the last part of a path some browsers send, and nothing that could break a header.
        z.transform((name: string) => name.split(/[\\/]/).at(-1) ?? name),
      ),
      // Nor the marks that turn text round: "holiday\u202egpj.exe" shows as "holidayexe.jpg".
      z.transform((name: string) => name.replace(UNSAFE_IN_FILE_NAME, '').trim() || 'file'),
    ),
    type: z
      .string({ error: 'Give the type of the file, like application/pdf' })
      .check(
        z.trim(),
        z.toLowerCase(),
        z.maxLength(200, { error: 'Give the type of the file, like application/pdf' }),
      ),
    size: z.number({ error: 'Give the size of the file in bytes' }),
  },
  { error: 'Describe each file as {"name", "type", "size"}' },
);

export const evidenceUploadsSchema = z.strictObject(
  {
    files: z
      .array(fileSchema, { error: 'List the files to add' })
      .check(z.maxLength(100, { error: 'Add at most 10 files at a time.' })),
    /** Staff only: whether the applicant may see these files too (their own uploads they always see). */
    shareWithApplicant: z.optional(z.boolean({ error: 'Say true or false' })),
  },
  { error: 'Send the files as a JSON object' },
);
export type EvidenceUploadsBody = z.output<typeof evidenceUploadsSchema>;

/** Staff share a file staff added with the applicant, or stop sharing it. */
export const evidenceSharingSchema = z.strictObject(
  {
    shareWithApplicant: z.boolean({ error: 'Say true to share the file with the applicant, false to stop' }),
  },
  { error: 'Send {"shareWithApplicant": true} or false, as a JSON object' },
);

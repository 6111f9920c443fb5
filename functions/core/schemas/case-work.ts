import { FREE_TEXT_MAX, requiredText } from '#core/schemas/fields.ts';
import * as z from '#core/schemas/zod.ts';

/** `POST /api/cases/{ref}/assignment`: `{"to": "me"}` takes the case, `{"to": "nobody"}` hands it back. */
export const assignmentSchema = z.strictObject({
  to: z.enum(['me', 'nobody'], {
    error: 'Choose me to take the case, or nobody to hand it back to the unassigned cases',
  }),
});

/** `POST /api/cases/{ref}/notes`: `{"text": "…"}`, an internal note the applicant never sees. */
export const caseNoteSchema = z.strictObject({
  text: requiredText({ enter: 'Enter the note', label: 'The note' }, FREE_TEXT_MAX),
});

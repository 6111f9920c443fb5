import { requiredText, SHORT_TEXT_MAX } from '#core/schemas/fields.ts';
import * as z from '#core/schemas/zod.ts';

/** `POST /api/cases/search`: `{"q": "…"}`, a reference, name or postcode (in the body, never the URL). */
export const searchSchema = z.strictObject({
  q: requiredText(
    { enter: 'Enter a case reference, the applicant’s name or their postcode', label: 'The search' },
    SHORT_TEXT_MAX,
  ),
});

import { AGENCIES, choice, requiredText, SHORT_TEXT_MAX } from '#core/schemas/fields.ts';
import * as z from '#core/schemas/zod.ts';

export const STAFF_ROLES = ['officer', 'agency', 'pcc'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * `POST /local/token` (local runtime only): who the token speaks for, as the claims of contract.md,
 * "Identity". An officer and an agency representative belong to one CSP of the area, an agency
 * representative also to one agency, the PCC's office to the whole police area. `pccArea` may be left
 * out, for the service to fill in the area it runs.
 */
export function localTokenSchema(context: {
  readonly cspIds: readonly string[];
  readonly pccAreas: readonly string[];
}) {
  const { cspIds, pccAreas } = context;
  const name = requiredText({ enter: 'Enter your name', label: 'Your name' }, SHORT_TEXT_MAX);
  const selectCsp = `Select the CSP: ${cspIds.join(', ')}`;
  const csp = z
    .string({ error: selectCsp })
    .check(z.refine((value: string) => cspIds.includes(value), { error: selectCsp }));
  const selectArea = `Select the police area: ${pccAreas.join(', ')}`;
  const pccArea = z.optional(
    z
      .string({ error: selectArea })
      .check(z.refine((value: string) => pccAreas.includes(value), { error: selectArea })),
  );
  return z.discriminatedUnion(
    'role',
    [
      z.strictObject({ role: z.literal('officer'), name, csp, pccArea }),
      z.strictObject({
        role: z.literal('agency'),
        name,
        csp,
        agency: choice(AGENCIES, 'Select the agency: police, council, housing-provider or health'),
        pccArea,
      }),
      z.strictObject({ role: z.literal('pcc'), name, pccArea }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? `Select the role: ${STAFF_ROLES.join(', ')}`
          : 'Send the token request as a JSON object',
    },
  );
}
export type LocalTokenRequest = z.output<ReturnType<typeof localTokenSchema>>;

// POST /local/token: the local stand-in for signing in through the user pool. Only in the local runtime.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cspIds, MERSEYSIDE } from '#core/area-config.ts';
import type { LocalTokenIssuer } from '#local/token-issuer.ts';

const AGENCIES = ['police', 'council', 'housing-provider', 'health'] as const;

const tokenRequest = z
  .strictObject({
    role: z.enum(['officer', 'agency', 'pcc'], { error: 'Choose a role: officer, agency or pcc' }),
    name: z.string().trim().min(1, 'Enter a name').max(200, 'Name must be 200 characters or fewer'),
    csp: z
      .string()
      .refine(
        (csp) => cspIds(MERSEYSIDE).includes(csp),
        `CSP must be one of: ${cspIds(MERSEYSIDE).join(', ')}`,
      )
      .optional(),
    agency: z.enum(AGENCIES, { error: `Agency must be one of: ${AGENCIES.join(', ')}` }).optional(),
    pccArea: z.literal(MERSEYSIDE.id, { error: `pccArea must be ${MERSEYSIDE.id}` }).optional(),
  })
  .superRefine((body, context) => {
    if (body.role !== 'pcc' && !body.csp)
      context.addIssue({ code: 'custom', path: ['csp'], message: 'Enter a CSP' });
    if (body.role === 'agency' && !body.agency) {
      context.addIssue({ code: 'custom', path: ['agency'], message: 'Enter an agency' });
    }
  });

export async function handleTokenRequest(
  issuer: LocalTokenIssuer,
  request: { method: string; body: string },
): Promise<{ statusCode: number; body: unknown }> {
  if (request.method !== 'POST') {
    return { statusCode: 405, body: { error: 'method-not-allowed', message: 'Use POST to get a token.' } };
  }
  let json: unknown;
  try {
    json = JSON.parse(request.body);
  } catch {
    return { statusCode: 400, body: { error: 'validation', message: 'The body must be JSON.', issues: [] } };
  }
  const parsed = tokenRequest.safeParse(json);
  if (!parsed.success) {
    return {
      statusCode: 400,
      body: {
        error: 'validation',
        message: 'The token request is not valid.',
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      },
    };
  }
  const { role, name, csp, agency } = parsed.data;
  const claims: Record<string, string> = {
    role,
    name,
    pccArea: MERSEYSIDE.id,
    ...(role !== 'pcc' && csp && { csp }),
    ...(role === 'agency' && agency && { agency }),
  };
  // The same person signing in twice gets the same subject, so audit trails join up.
  const subject = createHash('sha256').update(JSON.stringify(claims)).digest('hex').slice(0, 32);
  return { statusCode: 200, body: { token: await issuer.sign(claims, subject) } };
}

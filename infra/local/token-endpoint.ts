// POST /local/token: the local stand-in for signing in through the user pool. Only in the local runtime.
import { createHash } from 'node:crypto';
import { type AreaConfig, cspIds } from '#core/area-config.ts';
import { localTokenSchema, validate } from '#core/schemas.ts';
import type { LocalTokenIssuer } from '#local/token-issuer.ts';

/** Signs a token for a staff member of `area`: one of its CSPs, and its id as `pccArea`. */
export async function handleTokenRequest(
  issuer: LocalTokenIssuer,
  area: AreaConfig,
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
  const parsed = validate(localTokenSchema({ cspIds: cspIds(area), pccAreas: [area.id] }), json);
  if (!parsed.success) {
    return {
      statusCode: 400,
      body: { error: 'validation', message: 'The token request is not valid.', issues: parsed.issues },
    };
  }
  const body = parsed.data;
  const claims: Record<string, string> = {
    role: body.role,
    name: body.name,
    pccArea: body.pccArea ?? area.id,
    ...(body.role !== 'pcc' && { csp: body.csp }),
    ...(body.role === 'agency' && { agency: body.agency }),
  };
  // The same person signing in twice gets the same subject, so audit trails join up.
  const subject = createHash('sha256').update(JSON.stringify(claims)).digest('hex').slice(0, 32);
  return { statusCode: 200, body: { token: await issuer.sign(claims, subject) } };
}

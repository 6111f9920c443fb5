// Getting a staff token: from the local runtime's POST /local/token (the role picker), or from the user
// pool's token endpoint after its hosted sign-in (OAuth 2.0 authorisation code with PKCE, RFC 7636).
import { createHash, randomBytes } from 'node:crypto';
import type { LocalTokenRequest } from '#core/schemas/local-token.ts';
import type { SignInSettings } from './sign-in-settings.ts';

export class SignInError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SignInError';
  }
}

export class TokenEndpointError extends SignInError {
  readonly status: number;

  constructor(status: number) {
    super(`The token endpoint answered ${status}`);
    this.name = 'TokenEndpointError';
    this.status = status;
  }
}

export async function localToken(tokenUrl: string, request: LocalTokenRequest): Promise<string> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.ok) throw new TokenEndpointError(response.status);
  const { token } = (await response.json()) as { token?: unknown };
  if (typeof token !== 'string') throw new SignInError('The local token endpoint sent no token');
  return token;
}

type Hosted = Extract<SignInSettings, { mode: 'hosted' }>;

/** What the browser keeps (sealed) between leaving for the hosted sign-in and coming back. */
export interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
}

export function startHostedSignIn(settings: Hosted): { pending: PendingSignIn; location: string } {
  const pending = {
    state: randomBytes(24).toString('base64url'),
    verifier: randomBytes(48).toString('base64url'),
  };
  const challenge = createHash('sha256').update(pending.verifier).digest('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: settings.callbackUrl,
    scope: 'openid email profile',
    state: pending.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return { pending, location: `${settings.domain}/oauth2/authorize?${query}` };
}

/**
 * Exchanges the code the hosted sign-in returned for the ID token, which carries the staff claims. The
 * app client is public (no secret: PKCE proves the exchange comes from whoever started the sign-in).
 */
export async function finishHostedSignIn(
  settings: Hosted,
  pending: PendingSignIn,
  code: string,
): Promise<{ token: string }> {
  const response = await fetch(`${settings.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: settings.clientId,
      code,
      redirect_uri: settings.callbackUrl,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new TokenEndpointError(response.status);
  const body = (await response.json()) as { id_token?: unknown };
  if (typeof body.id_token !== 'string') throw new SignInError('The token endpoint sent no ID token');
  return { token: body.id_token };
}

export function hostedSignOutLocation(settings: Hosted): string | undefined {
  if (!settings.logoutUrl) return undefined;
  const query = new URLSearchParams({ client_id: settings.clientId, logout_uri: settings.logoutUrl });
  return `${settings.domain}/logout?${query}`;
}

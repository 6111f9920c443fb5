// How staff sign in, from the environment:
//   STAFF_SIGN_IN=local   a role picker that asks the local runtime's POST /local/token (STAFF_LOCAL_TOKEN_URL,
//                         by default the local issuer's own endpoint: STAFF_TOKEN_ISSUER + /token)
//   STAFF_SIGN_IN=hosted  the Cognito user pool's managed sign-in (OAuth 2.0 authorisation code with PKCE):
//                         STAFF_SIGN_IN_URL (the user pool domain), SITE_URL (this service's https origin,
//                         whose /staff/callback and /staff the app client lists), STAFF_SIGN_IN_CLIENT_ID
//                         (default STAFF_TOKEN_AUDIENCE: an ID token's audience is its app client).
//                         Set STAFF_SIGN_IN_URL alone and `hosted` is taken as meant.
// Anything else leaves staff sign-in off, so a missing setting never opens a door.

export type SignInSettings =
  | { readonly mode: 'off' }
  | { readonly mode: 'local'; readonly tokenUrl: string }
  | {
      readonly mode: 'hosted';
      /** The user pool domain, like https://asb.auth.eu-west-2.amazoncognito.com */
      readonly domain: string;
      readonly clientId: string;
      /** This service's https://…/staff/callback, registered with the app client. */
      readonly callbackUrl: string;
      /** Where the user pool sends people after signing out, registered with the app client. */
      readonly logoutUrl?: string;
    };

export class SignInSettingsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SignInSettingsError';
  }
}

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

function required(env: NodeJS.ProcessEnv, mode: string, ...names: string[]): string {
  const value = names.map((name) => env[name]).find(Boolean);
  if (!value) throw new SignInSettingsError(`Staff sign-in "${mode}" needs ${names.join(' or ')}`);
  return withoutSlash(value);
}

export function readSignInSettings(env: NodeJS.ProcessEnv = process.env): SignInSettings {
  const mode = env.STAFF_SIGN_IN || (env.STAFF_SIGN_IN_URL ? 'hosted' : 'off');
  switch (mode) {
    case 'local':
      return {
        mode,
        tokenUrl: env.STAFF_LOCAL_TOKEN_URL || `${required(env, mode, 'STAFF_TOKEN_ISSUER')}/token`,
      };
    case 'hosted': {
      const site = required(env, mode, 'SITE_URL');
      return {
        mode,
        domain: required(env, mode, 'STAFF_SIGN_IN_URL'),
        clientId: required(env, mode, 'STAFF_SIGN_IN_CLIENT_ID', 'STAFF_TOKEN_AUDIENCE'),
        callbackUrl: `${site}/staff/callback`,
        logoutUrl: `${site}/staff`,
      };
    }
    default:
      return { mode: 'off' };
  }
}

// How staff sign in, from the environment:
//   STAFF_SIGN_IN=local   a role picker that asks the local runtime's POST /local/token (STAFF_LOCAL_TOKEN_URL,
//                         by default the local issuer's own endpoint: STAFF_TOKEN_ISSUER + /token)
//   STAFF_SIGN_IN=hosted  the Cognito user pool's hosted sign-in (OAuth 2.0 authorisation code with PKCE):
//                         STAFF_SIGN_IN_DOMAIN, STAFF_SIGN_IN_CLIENT_ID, STAFF_SIGN_IN_CALLBACK_URL,
//                         optional STAFF_SIGN_IN_CLIENT_SECRET and STAFF_SIGN_IN_LOGOUT_URL.
// Anything else leaves staff sign-in off, so a missing setting never opens a door.

export type SignInSettings =
  | { readonly mode: 'off' }
  | { readonly mode: 'local'; readonly tokenUrl: string }
  | {
      readonly mode: 'hosted';
      /** The user pool domain, like https://asb.auth.eu-west-2.amazoncognito.com */
      readonly domain: string;
      readonly clientId: string;
      readonly clientSecret?: string;
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

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new SignInSettingsError(`STAFF_SIGN_IN=${env.STAFF_SIGN_IN} needs ${name}`);
  return value;
}

export function readSignInSettings(env: NodeJS.ProcessEnv = process.env): SignInSettings {
  switch (env.STAFF_SIGN_IN) {
    case 'local':
      return {
        mode: 'local',
        tokenUrl:
          env.STAFF_LOCAL_TOKEN_URL || `${required(env, 'STAFF_TOKEN_ISSUER').replace(/\/+$/, '')}/token`,
      };
    case 'hosted':
      return {
        mode: 'hosted',
        domain: required(env, 'STAFF_SIGN_IN_DOMAIN').replace(/\/+$/, ''),
        clientId: required(env, 'STAFF_SIGN_IN_CLIENT_ID'),
        callbackUrl: required(env, 'STAFF_SIGN_IN_CALLBACK_URL'),
        ...(env.STAFF_SIGN_IN_CLIENT_SECRET && { clientSecret: env.STAFF_SIGN_IN_CLIENT_SECRET }),
        ...(env.STAFF_SIGN_IN_LOGOUT_URL && { logoutUrl: env.STAFF_SIGN_IN_LOGOUT_URL }),
      };
    default:
      return { mode: 'off' };
  }
}

// The user pool's API, for signing staff out (only in AWS: the local runtime has no user pool). Its client
// is loaded at the first sign-out, not with the pages, which load far more often than staff sign out.
import type { AdminUserGlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { onFirstUse } from '#clients/on-first-use.ts';

/** The one call the pages make. */
export interface CognitoClient {
  send(command: AdminUserGlobalSignOutCommand): Promise<unknown>;
}

export function createCognitoClient(): CognitoClient {
  const client = onFirstUse(async () => {
    const { CognitoIdentityProviderClient } = await import('#clients/cognito-calls.ts');
    return new CognitoIdentityProviderClient({});
  });
  return { send: async (command) => (await client()).send(command) };
}

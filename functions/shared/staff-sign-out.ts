// Signing a member of staff out ends their session on the server, not only in their browser: the
// session is recorded as signed out, so every function refuses its tokens from then on (an old cookie
// or bearer token no longer works), and in AWS the user pool signs the user out everywhere too, which
// revokes their refresh tokens and access tokens. API Gateway's JWT authorizer would still pass the
// ID token until it expires; the record is what stops it at the functions.
import type { CognitoClient } from '#clients/cognito.ts';
import type { SignedOutSessions } from '#data/staff-sessions.ts';

export interface UserPoolSignOut {
  readonly client: CognitoClient;
  readonly userPoolId: string;
}

export type EndStaffSession = (token: string) => Promise<void>;

/**
 * The user pool that issues tokens as `issuer` (https://cognito-idp.<region>.amazonaws.com/<pool id>),
 * or undefined for another issuer (the local runtime's, which has no user pool to sign out of).
 */
export function userPoolIdOfIssuer(issuer: string): string | undefined {
  return /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/([\w-]+_[0-9A-Za-z]+)$/.exec(
    issuer,
  )?.[1];
}

/**
 * Ends the session of a token that was verified. The record comes first: it alone is what every
 * function checks. A failure of the user pool's sign-out is reported, and the sign-out still stands.
 */
export function createStaffSignOut(options: {
  sessions: Pick<SignedOutSessions, 'recordSignOut'>;
  userPool?: UserPoolSignOut;
  onError: (error: unknown) => void;
}): EndStaffSession {
  return async (token) => {
    // The token reader (jose) is the pages' first-use chunk, which the sign-out's request, verified before
    // it gets here, has loaded already.
    const { staffTokenSession } = await import('#shared/staff-token-reader.ts');
    const session = staffTokenSession(token);
    await options.sessions.recordSignOut(session.sessionId, session.expiresAt);
    if (!options.userPool) return;
    try {
      // The command, as the client (clients/cognito.ts), is loaded at the first sign-out.
      const { AdminUserGlobalSignOutCommand } = await import('#clients/cognito-calls.ts');
      await options.userPool.client.send(
        new AdminUserGlobalSignOutCommand({
          UserPoolId: options.userPool.userPoolId,
          Username: session.username,
        }),
      );
    } catch (error) {
      options.onError(error);
    }
  };
}

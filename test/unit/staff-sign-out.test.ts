import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createStaffSignOut, userPoolIdOfIssuer } from '#shared/staff-sign-out.ts';
import { memorySignedOutSessions } from '#test/support/staff-tokens.ts';

const EXPIRES_AT = 2_000_000_000;

/** A token as the user pool signs it (the signature is not checked here: sign-out follows verification). */
function userPoolToken(): Promise<string> {
  return new SignJWT({ origin_jti: 'session-7', 'cognito:username': 'user-7', role: 'officer' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('sub-7')
    .setExpirationTime(EXPIRES_AT)
    .sign(new Uint8Array(32));
}

/** A user pool client that records what it was asked, and can be made to fail. */
function fakeUserPool(failure?: Error) {
  const sent: unknown[] = [];
  const client = {
    send: async (command: { input: unknown }) => {
      sent.push(command.input);
      if (failure) throw failure;
      return {};
    },
  } as unknown as CognitoIdentityProviderClient;
  return { sent, userPool: { client, userPoolId: 'eu-west-2_Abc123' } };
}

describe('signing staff out', () => {
  it('records the token’s session as signed out, then signs the user out of the user pool', async () => {
    // Prepare
    const sessions = memorySignedOutSessions();
    const { sent, userPool } = fakeUserPool();
    const signOut = createStaffSignOut({ sessions, userPool, onError: () => undefined });

    // Act
    await signOut(await userPoolToken());

    // Assess
    expect([...sessions.ids]).toEqual(['session-7']);
    expect(sent).toEqual([{ UserPoolId: 'eu-west-2_Abc123', Username: 'user-7' }]);
  });

  it('keeps the sign-out when the user pool fails, and reports the failure', async () => {
    // Prepare
    const sessions = memorySignedOutSessions();
    const errors: unknown[] = [];
    const { userPool } = fakeUserPool(new Error('throttled'));
    const signOut = createStaffSignOut({ sessions, userPool, onError: (error) => errors.push(error) });

    // Act
    await signOut(await userPoolToken());

    // Assess
    expect(await sessions.isSignedOut('session-7')).toBe(true);
    expect(errors).toHaveLength(1);
  });
});

describe('the user pool of a token issuer', () => {
  it('is the last part of a Cognito issuer, and there is none for the local issuer', () => {
    expect(userPoolIdOfIssuer('https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Abc123')).toBe(
      'eu-west-2_Abc123',
    );
    expect(userPoolIdOfIssuer('http://127.0.0.1:3000/local')).toBeUndefined();
  });
});

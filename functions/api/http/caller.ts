// Who is asking, read from the request: a bearer token verified here, an access code in X-Access-Code
// (checked against the case by the operation, as only the case knows its hash), or nobody in particular.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { requestHeader } from '#api/http/request.ts';
import type { Caller } from '#cases/caller.ts';
import { NotSignedInError } from '#core/errors.ts';
import type { SignedOutSessions } from '#data/staff-sessions.ts';
import {
  InvalidStaffTokenError,
  type StaffIdentity,
  staffTokenSettingsFromEnv,
} from '#shared/staff-token.ts';
import { createStaffTokenVerifier } from '#shared/staff-token-reader.ts';

export type StaffTokenVerifier = (token: string) => Promise<StaffIdentity>;
export type IdentifyCaller = (event: APIGatewayProxyEventV2) => Promise<Caller>;

const BEARER = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i;

/**
 * Reads the caller from the request. A bearer token that is there but not valid is a 401, never a
 * fall-back to anonymous; a token takes precedence over an access code.
 */
export function createCallerIdentifier(verify: StaffTokenVerifier): IdentifyCaller {
  return async (event) => {
    const authorization = requestHeader(event, 'authorization');
    if (authorization !== undefined && authorization.trim() !== '') {
      const token = BEARER.exec(authorization)?.[1];
      if (token === undefined) {
        throw new NotSignedInError('Send the sign-in token as: Authorization: Bearer <token>.');
      }
      try {
        return { kind: 'staff', staff: await verify(token) };
      } catch (error) {
        if (error instanceof InvalidStaffTokenError)
          throw new NotSignedInError(error.message, { cause: error });
        throw error;
      }
    }
    const accessCode = requestHeader(event, 'x-access-code')?.trim();
    if (accessCode !== undefined && accessCode !== '') {
      return { kind: 'applicant', accessCode };
    }
    return { kind: 'anonymous' };
  };
}

/**
 * The identifier for the configured token issuer, built on first use (the environment is read then),
 * refusing tokens whose session was signed out.
 */
export function callerIdentifierFromEnv(signedOut: Pick<SignedOutSessions, 'isSignedOut'>): IdentifyCaller {
  let identify: IdentifyCaller | undefined;
  return (event) => {
    identify ??= createCallerIdentifier(createStaffTokenVerifier(staffTokenSettingsFromEnv(), signedOut));
    return identify(event);
  };
}

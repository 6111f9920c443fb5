// The user pool's API, for signing staff out (only in AWS: the local runtime has no user pool).
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

export function createCognitoClient(): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({});
}

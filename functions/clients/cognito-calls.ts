// The user pool's client and the one command the pages send it, imported at the first sign-out
// (clients/cognito.ts, shared/staff-sign-out.ts): a dynamic import of the SDK's own module would carry
// every command and shape of the user pool's API (120 KB).
export {
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

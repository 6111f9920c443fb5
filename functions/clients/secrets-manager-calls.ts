// The Secrets Manager client and the one command a function sends it, imported at the first read
// (clients/secrets-manager.ts): a dynamic import of the SDK's own module would carry every command and
// shape of its API.
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

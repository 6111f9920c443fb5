// The Secrets Manager client, the one command a function sends it and the error of a version stage that
// is not there, imported at the first read (clients/secrets-manager.ts): a dynamic import of the SDK's own
// module would carry every command and shape of its API.
export {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

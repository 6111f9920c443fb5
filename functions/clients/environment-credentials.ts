// The credentials every bundled SDK client signs with: the environment's, where Lambda puts the function
// role's (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), as the local runtime and the
// deployed mode do. infra/bundling.ts puts this module in place of the SDK's default chain
// (@aws-sdk/credential-provider-node), whose first link is this same provider and whose others (SSO,
// the shared files, a process, web identity, container and instance metadata, with the STS, SSO and
// sign-in clients they call) a function in Lambda never reaches: ~140 KB of chunks in every bundle.
import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';

/** What the SDK's clients call the default chain by (their `credentialDefaultProvider`). */
export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);

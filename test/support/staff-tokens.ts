// Real staff tokens for handler tests: the local issuer (infra/local/token-issuer.ts) signs them and a
// small server publishes its JWKS, so the handlers verify them exactly as they do in the service.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallerIdentifier, type IdentifyCaller } from '#api/http/caller.ts';
import type { SignedOutSessions } from '#data/staff-sessions.ts';
import { createLocalTokenIssuer } from '#local/token-issuer.ts';
import { createStaffTokenVerifier } from '#shared/staff-token-reader.ts';

export const TEST_ISSUER = 'https://issuer.test/local';
export const TEST_AUDIENCE = 'asb-case-review-test';

export interface TestStaffTokens {
  readonly identify: IdentifyCaller;
  readonly jwksUrl: string;
  /** Signs the claims (pccArea defaults to merseyside) for a stable subject derived from them. */
  token(claims: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

/** Signed-out sessions kept in memory, for tests that need no DynamoDB. */
export function memorySignedOutSessions(): SignedOutSessions & { readonly ids: ReadonlySet<string> } {
  const ids = new Set<string>();
  return {
    ids,
    isSignedOut: async (sessionId) => ids.has(sessionId),
    recordSignOut: async (sessionId) => {
      ids.add(sessionId);
    },
  };
}

export async function startTestStaffTokens(): Promise<TestStaffTokens> {
  const dataDir = mkdtempSync(join(tmpdir(), 'asb-tokens-'));
  const issuer = await createLocalTokenIssuer({ dataDir, issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(issuer.jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const jwksUrl = `http://127.0.0.1:${port}/jwks.json`;
  const verify = createStaffTokenVerifier(
    { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, jwksUrl },
    memorySignedOutSessions(),
  );
  return {
    identify: createCallerIdentifier(verify),
    jwksUrl,
    token: (claims) => {
      const full = { pccArea: 'merseyside', ...claims };
      return issuer.sign(full, `sub-${Object.values(full).join('-').replace(/\W+/g, '-')}`);
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

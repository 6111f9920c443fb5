import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // One DynamoDB Local for the whole run; each file makes its own tables in it.
    globalSetup: ['test/setup/dynamodb.global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

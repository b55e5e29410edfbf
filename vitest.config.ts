import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    // One throwaway PostgreSQL for the whole run (BAOWEN_TEST_DATABASE_URL); see test/global-setup.ts.
    globalSetup: ['test/global-setup.ts'],
    // Native addons (onnxruntime, hnswlib, better-sqlite3) are safest in forked processes.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

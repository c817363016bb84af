import { defineConfig } from 'vitest/config';

// The project's own tests (test/). The conformance suites in suites/ are run by
// `upvest-conformance run` with their own programmatic configuration.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});

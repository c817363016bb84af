// A team's vitest config with the Upvest conformance suite in it (see the README's "In your own vitest").
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['conformance/**/*.test.ts'],
    // Each test waits for its check; the first ones wait for the run to reach them.
    testTimeout: 120_000,
  },
});

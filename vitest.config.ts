import { defineConfig } from 'vitest/config';
import { SlowestFirstSequencer } from './test/slowest-first-sequencer.js';

// The project's own tests (test/). The conformance suites in suites/ are run by
// `upvest-conformance run` with their own programmatic configuration.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker per core but one, so a single worker on CI's 2 cores; most
    // of the slow files wait on child processes and sockets, not on the CPU.
    maxWorkers: 3,
    // The bin runs dist/: rebuilt here when a source is newer.
    globalSetup: ['test/package/global-setup.ts'],
    // The longest files start first, so that none of them is left running alone at the end.
    sequence: { sequencer: SlowestFirstSequencer },
  },
});

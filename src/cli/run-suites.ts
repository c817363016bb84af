/** Runs the conformance suites with vitest, programmatically, with the given reporters. */
import { fileURLToPath } from 'node:url';
import type { Reporter } from 'vitest/node';
import type { TargetDescription } from '../engine/target.js';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function runSuites(target: TargetDescription, reporters: Reporter[], include = ['suites/**/*.suite.ts']): Promise<void> {
  const { startVitest } = await import('vitest/node');
  const previousExitCode = process.exitCode;
  const vitest = await startVitest(
    'test',
    [],
    {
      config: false,
      root: PACKAGE_ROOT,
      include,
      watch: false,
      reporters,
      provide: { upvestTarget: target },
      // The work of an operation happens in beforeAll; the run deadline bounds it.
      hookTimeout: target.deadlineMs + 15_000,
      testTimeout: 30_000,
      teardownTimeout: 10_000,
      fileParallelism: false,
      pool: 'threads',
      bail: target.bail ? 1 : 0,
      passWithNoTests: false,
    },
    { server: { watch: null } },
  );
  await vitest.close();
  // The exit code is ours to decide from the report, not vitest's.
  process.exitCode = previousExitCode;
}

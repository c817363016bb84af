/** Runs the conformance suites with vitest, programmatically, with the given reporters. */
import { fileURLToPath } from 'node:url';
import type { Reporter } from 'vitest/node';
import type { ProvidedContext } from 'vitest';
import type { TargetDescription } from '../engine/target.js';
import { reportContextOf } from '../../suites/context.js';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SuiteRun {
  include: string[];
  provide: Partial<ProvidedContext>;
  /** Bounds the beforeAll work of a suite. */
  deadlineMs: number;
}

/** The conformance suites against a target. */
export function targetRun(target: TargetDescription): SuiteRun {
  // --bail is the engine's (checks after the first failing operation are skipped with the
  // reason), not vitest's, which would leave tests without an outcome.
  return {
    include: ['suites/operations.suite.ts', 'suites/webhooks.suite.ts'],
    provide: { upvestTarget: target, upvestReport: reportContextOf(target) },
    deadlineMs: target.deadlineMs,
  };
}

export async function runSuites(run: SuiteRun, reporters: Reporter[]): Promise<void> {
  const { startVitest } = await import('vitest/node');
  const previousExitCode = process.exitCode;
  const vitest = await startVitest(
    'test',
    [],
    {
      config: false,
      root: PACKAGE_ROOT,
      include: run.include,
      watch: false,
      reporters,
      provide: run.provide,
      // The work of an operation happens in beforeAll; the run deadline bounds it.
      hookTimeout: run.deadlineMs + 15_000,
      testTimeout: 30_000,
      teardownTimeout: 10_000,
      fileParallelism: false,
      pool: 'threads',
      passWithNoTests: false,
    },
    { server: { watch: null } },
  );
  await vitest.close();
  // The exit code is ours to decide from the report, not vitest's.
  process.exitCode = previousExitCode;
}

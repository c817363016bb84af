/**
 * Runs the fixture suite (test/fixtures/reporting/results.suite.ts) with vitest, as `run` does,
 * with every report format writing into a fresh temp folder. Planted secrets are registered
 * first, as the real client registers its credentials.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVitest } from 'vitest/node';
import { PACKAGE_ROOT } from '../../src/cli/run-suites.js';
import { secrets } from '../../src/client/redact.js';
import type { TargetDescription } from '../../src/engine/target.js';
import { reportersFor, REPORT_FORMATS } from '../../reporters/index.js';
import type { RunReport } from '../../reporters/model.js';
import { FIXTURE_BASELINE, FIXTURE_WEBHOOKS, PLANTED } from '../fixtures/reporting/outcomes.js';

export interface FixtureRun {
  dir: string;
  /** File name → content, for every file the reporters wrote. */
  files: Record<string, string>;
  report: RunReport;
  log: string[];
}

export async function runFixtureSuite(): Promise<FixtureRun> {
  for (const value of [PLANTED.clientSecret, PLANTED.bearer, PLANTED.signature]) secrets.add(value);
  const dir = mkdtempSync(join(tmpdir(), 'upvest-reporters-'));
  const log: string[] = [];
  // The fields base.ts reads; the rest of a target is irrelevant to reporters.
  const target = {
    baseUrl: 'https://sandbox.upvest.test',
    embeddedMock: false,
    minEnumCoverage: 90,
    baseline: FIXTURE_BASELINE,
  } as Partial<TargetDescription> as TargetDescription;
  const previousExitCode = process.exitCode;
  const vitest = await startVitest(
    'test',
    [],
    {
      config: false,
      root: PACKAGE_ROOT,
      include: ['test/fixtures/reporting/*.suite.ts'],
      watch: false,
      reporters: reportersFor(REPORT_FORMATS, {
        reportDir: dir,
        log: (line) => log.push(line),
        webhooks: () => ({ outcomes: FIXTURE_WEBHOOKS }),
      }),
      provide: { upvestTarget: target },
      pool: 'threads',
      fileParallelism: false,
      passWithNoTests: false,
    },
    { server: { watch: null } },
  );
  await vitest.close();
  // Failing fixture tests are the point; they must not fail the test process.
  process.exitCode = previousExitCode;
  const files = Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
  return { dir, files, report: JSON.parse(files['report.json']) as RunReport, log };
}

/**
 * The hand-made outcomes of test/fixtures/reporting as one run result, rendered by every report
 * format into a fresh temp folder, as `run` writes them. Planted secrets are registered first,
 * as the real client registers its credentials.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_FORMATS, writeReports } from '../../reporters/index.js';
import { secrets } from '../../src/client/redact.js';
import { buildRunResult, type RunResult } from '../../src/engine/result.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { FIXTURE_BASELINE, FIXTURE_OPERATIONS, FIXTURE_WEBHOOKS, PLANTED } from '../fixtures/reporting/outcomes.js';

export interface FixtureRun {
  dir: string;
  /** File name → content, for every file the reporters wrote. */
  files: Record<string, string>;
  report: RunResult;
  log: string[];
}

export function fixtureResult(): RunResult {
  return buildRunResult(
    SPEC,
    FIXTURE_OPERATIONS.map(({ summary, outcomes }) => ({ ...summary, outcomes, created: [] })),
    {
      baseUrl: 'https://sandbox.upvest.test',
      embeddedMock: false,
      signing: true,
      startedAt: '2025-01-15T12:00:00.000Z',
      durationMs: 4_321,
      minEnumCoverage: 90,
      baseline: FIXTURE_BASELINE,
    },
    { outcomes: FIXTURE_WEBHOOKS },
  );
}

export async function runFixtureSuite(): Promise<FixtureRun> {
  for (const value of [PLANTED.clientSecret, PLANTED.bearer, PLANTED.signature]) secrets.add(value);
  const dir = mkdtempSync(join(tmpdir(), 'upvest-reporters-'));
  const log: string[] = [];
  writeReports(fixtureResult(), { reportDir: dir, formats: REPORT_FORMATS, log: (line) => log.push(line) });
  const files = Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
  return { dir, files, report: JSON.parse(files['report.json']) as RunResult, log };
}

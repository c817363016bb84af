import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, test } from 'vitest';
import { registerReportCommand } from '../../src/cli/commands/report.js';
import { reportError } from '../../src/cli/output.js';
import { renderFailure } from '../../src/checks/failure.js';
import type { Failure } from '../../src/checks/types.js';
import { diffReports } from '../../reporters/diff.js';
import { renderJson } from '../../reporters/json.js';
import { buildRunResult, type RunResult } from '../../src/engine/result.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { FIXTURE_OPERATIONS, TRIGGER, VALUATIONS } from '../fixtures/reporting/outcomes.js';
import { capture } from '../helpers/output.js';

function fixtureReport(): RunResult {
  const operations = structuredClone(FIXTURE_OPERATIONS).map(({ summary, outcomes }) => ({ ...summary, outcomes, created: [] }));
  return buildRunResult(SPEC, operations, {
    baseUrl: 'https://sandbox.upvest.test',
    embeddedMock: false,
    signing: true,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1000,
    minEnumCoverage: 0,
  });
}

const checkOf = (report: RunResult, operation: string, check: string) =>
  report.operations.find((o) => o.operation === operation)!.checks.find((c) => c.check === check)!;

const newFailure: Failure = {
  check: 'idempotency',
  operation: TRIGGER,
  title: 't',
  message: 'a replay created a second execution',
  severity: 'error',
  received: 'two ids',
  expected: 'the first response again',
};

/** The same run with one more failure, operations and failures in another order, and another enum value and status seen. */
function laterReport(): RunResult {
  const report = fixtureReport();
  Object.assign(checkOf(report, TRIGGER, 'idempotency'), { status: 'failed', failures: [newFailure] });
  checkOf(report, VALUATIONS, 'response-schema').failures.reverse();
  report.operations.reverse();
  const order = report.enumCoverage.entries.find((e) => e.pointer === '/meta/order')!;
  Object.assign(order, { observed: ['ASC', 'DESC'], missing: [] });
  report.operations.find((o) => o.operation === VALUATIONS)!.statusesSeen['500'] = 2;
  return report;
}

/** The report command on a program of its own, handled the way main() handles commands. */
async function cli(argv: string[]) {
  const output = capture();
  let code = 0;
  const program = new Command('upvest-conformance')
    .exitOverride()
    .configureOutput({ writeOut: (t) => output.out(t), writeErr: (t) => output.err(t) });
  registerReportCommand(program, { output, setExitCode: (c) => (code = c) });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    code = error instanceof CommanderError ? (error.code === 'commander.helpDisplayed' ? 0 : 2) : reportError(error, output);
  }
  return { code, out: output.lines.join('\n'), err: output.errors.join('\n') };
}

function files(reports: Record<string, RunResult | string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'upvest-diff-'));
  return Object.fromEntries(
    Object.entries(reports).map(([name, content]) => {
      const path = join(dir, name);
      writeFileSync(path, typeof content === 'string' ? content : renderJson(content));
      return [name, path];
    }),
  );
}

describe('diffReports', () => {
  test('finds the new failure, whatever the order of operations and failures', () => {
    const diff = diffReports(fixtureReport(), laterReport());
    expect(diff.newFailures).toEqual([newFailure]);
    expect(diff.fixed).toEqual([]);
    expect(diff.unchecked).toEqual([]);
  });

  test('a failure gone from a check that still ran is fixed; from a check that did not conclude it is only unchecked', () => {
    const later = fixtureReport();
    Object.assign(checkOf(later, TRIGGER, 'status-code'), { status: 'passed', failures: [] });
    Object.assign(checkOf(later, VALUATIONS, 'response-schema'), { status: 'skipped', failures: [], skipReason: 'not selected' });
    const diff = diffReports(fixtureReport(), later);
    expect(diff.fixed.map((f) => f.check)).toEqual(['status-code']);
    expect(diff.unchecked.map((f) => f.message)).toEqual(
      checkOf(fixtureReport(), VALUATIONS, 'response-schema')
        .failures.filter((f) => !f.baselined)
        .map((f) => f.message),
    );
    expect(diff.newFailures).toEqual([]);
  });

  test('lists enum values and statuses newly seen or no longer seen', () => {
    const diff = diffReports(fixtureReport(), laterReport());
    expect(diff.coverage.changes).toEqual([{ scope: `${VALUATIONS} 200`, pointer: '/meta/order', gained: ['DESC'], lost: [] }]);
    expect(diff.statuses).toEqual([{ operation: VALUATIONS, gained: ['500'], lost: [] }]);
    const back = diffReports(laterReport(), fixtureReport());
    expect(back.coverage.changes[0]).toMatchObject({ gained: [], lost: ['DESC'] });
    expect(back.statuses).toEqual([{ operation: VALUATIONS, gained: [], lost: ['500'] }]);
  });
});

describe('upvest-conformance report diff', () => {
  const paths = files({
    'old.json': fixtureReport(),
    'new.json': laterReport(),
    'not-json.json': '{"schemaVersion": "1.0.0",',
    'wrong-shape.json': renderJson({ ...fixtureReport(), verdict: 'fine' as RunResult['verdict'] }),
    'other-version.json': renderJson({ ...fixtureReport(), schemaVersion: '2.0.0' }),
  });

  test('a new failure: listed with its rendered text, exit code 1', async () => {
    const result = await cli(['report', 'diff', paths['old.json'], paths['new.json']]);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`New failures: 1\n${renderFailure(newFailure).replace(/^/gm, '  ')}\nFixed: 0`);
    expect(result.out).toContain(`${VALUATIONS} 200 /meta/order: now observed "DESC"`);
    expect(result.out).toContain(`${VALUATIONS}: now 500`);
    expect(result.out).toMatch(/1 new failure\(s\): exit code 1\.$/);
  });

  test('the other way round: the failure is fixed, exit code 0', async () => {
    const result = await cli(['report', 'diff', paths['new.json'], paths['old.json']]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`New failures: 0\nFixed: 1\n  idempotency › ${TRIGGER}: a replay created a second execution`);
    expect(result.out).toContain(`${VALUATIONS} 200 /meta/order: no longer observed "DESC"`);
    expect(result.out).toMatch(/No new failures: exit code 0\.$/);
  });

  test.for([
    ['a missing file', 'missing.json', /^error CT_ERR_REPORT_INPUT: \S*missing\.json cannot be read: ENOENT$/],
    ['invalid JSON', 'not-json.json', /^error CT_ERR_REPORT_INPUT: \S*not-json\.json is not valid JSON: /],
    [
      'a wrong shape',
      'wrong-shape.json',
      /^error CT_ERR_REPORT_INPUT: \S*wrong-shape\.json is not a report\.json of schema version 1\.x: \/verdict must be equal to one of the allowed values \("conformant", "violations", "unusable", "incomplete"\)$/,
    ],
    [
      'another schema version',
      'other-version.json',
      /^error CT_ERR_REPORT_INPUT: \S*other-version\.json is a report of schema version 2\.0\.0; this upvest-conformance reads versions 1\.x$/,
    ],
  ] as const)('%s is exit code 2 with a message naming the file', async ([, name, message]) => {
    const path = paths[name] ?? join(tmpdir(), 'upvest-diff-none', name);
    const result = await cli(['report', 'diff', paths['old.json'], path]);
    expect(result.code).toBe(2);
    expect(result.err.split('\n')[0]).toMatch(message);
    expect(result.err).toContain(path);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  test('help documents the arguments and the exit codes', async () => {
    const result = await cli(['report', 'diff', '--help']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('<old>');
    expect(result.out).toContain('report diff exits 1 when the new report has a failure the old one does not');
    expect(result.out).toContain('Exit codes:');
  });
});

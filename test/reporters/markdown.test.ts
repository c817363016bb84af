import { beforeAll, describe, expect, test } from 'vitest';
import { renderFailure } from '../../src/checks/failure.js';
import type { CheckOutcome, Failure } from '../../src/checks/types.js';
import { buildRunResult, type OperationResult } from '../../src/engine/result.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { MARKDOWN_LIMITS, renderMarkdown } from '../../reporters/markdown.js';
import { FIXTURE_OPERATIONS } from '../fixtures/reporting/outcomes.js';
import { runFixtureSuite, type FixtureRun } from './fixture-run.js';

/** A run as large as a bad day against a real target: many operations, thousands of failures with big excerpts. */
function bigRun(operations: number, checksPerOperation: number, failuresPerCheck: number): OperationResult[] {
  return Array.from({ length: operations }, (_, o) => {
    const key = `GET /resources-${o}/{id}`;
    const outcomes: CheckOutcome[] = Array.from({ length: checksPerOperation }, (_, c) => {
      const failures: Failure[] = Array.from({ length: failuresPerCheck }, (_, f) => ({
        check: `check-${c}`,
        operation: key,
        title: 't',
        message: `failure ${f} of check ${c}`,
        severity: 'error',
        received: 'x'.repeat(5_000),
        expected: 'y',
        response: { status: 200, headers: {}, bodyExcerpt: 'z'.repeat(4_096), bodyBytes: 10_000, truncated: true },
      }));
      return {
        check: `check-${c}`,
        title: 't',
        operation: key,
        operationId: `op${o}`,
        status: 'failed',
        failures,
        warnings: [],
        errors: [],
        probes: 1,
        stats: {},
        durationMs: 1,
      };
    });
    const enums = Array.from({ length: checksPerOperation }, (_, e) => ({
      scope: `${key} 200`,
      pointer: `/e${e}`,
      values: Array.from({ length: 40 }, (_, v) => `VALUE_${v}`),
      observed: ['VALUE_0'],
    }));
    outcomes.push({
      check: 'enum-coverage',
      title: 't',
      operation: key,
      operationId: `op${o}`,
      status: 'passed',
      failures: [],
      warnings: [],
      errors: [],
      probes: 0,
      stats: {},
      enums,
      durationMs: 0,
    });
    return {
      operation: key,
      operationId: `op${o}`,
      method: 'GET',
      path: `/resources-${o}/{id}`,
      documentedStatuses: [200],
      statusesSeen: { 200: 1 },
      outcomes,
      probes: 1,
      durationMs: 1,
      created: [],
    };
  });
}

describe('summary.md', () => {
  let run: FixtureRun;
  let md: string;
  beforeAll(async () => {
    run = await runFixtureSuite();
    md = run.files['summary.md'];
  });

  test('states the verdict first, in words', () => {
    expect(md.split('\n').slice(0, 3).join('\n')).toContain('**Verdict: VIOLATIONS** (exit code 1)');
  });

  test('has an operations × checks table GitHub renders', () => {
    const table = md.split('\n').filter((line) => line.startsWith('|'));
    expect(table[0]).toBe(
      '| Operation | response-schema | status-code | auth | pagination-meta | enum-coverage | idempotency | webhook-signature |',
    );
    expect(table[1]).toBe('|---|:-:|:-:|:-:|:-:|:-:|:-:|:-:|');
    expect(table[2]).toBe('| `GET /accounts/{account_id}/valuations` | ✗ | ✓ | ! | – | ✓ |   |   |');
    expect(new Set(table.slice(0, 5).map((row) => row.split('|').length)).size).toBe(1);
  });

  test('shows failures as their rendered text in fenced blocks, baselined ones left out; warnings only in the findings table', () => {
    const [, second, baselined] = FIXTURE_OPERATIONS[0].outcomes[0].failures;
    expect(md).toContain(`\`\`\`text\n${renderFailure(second)}\n\`\`\``);
    expect(md).not.toContain(baselined.message);
    const warning = FIXTURE_OPERATIONS[0].outcomes[0].warnings[0].message;
    expect(md.split('### Failures')[1]).not.toContain(warning);
    expect(md.split('### Failures')[0]).toContain(`| warning | \`response-schema\` | \`GET /accounts/{account_id}/valuations\` |`);
    expect(md).toContain('\\u001b[31mteapot');
  });

  test('names missing enum values, the failed gate and the stale baseline entry', () => {
    expect(md).toContain('| `GET /accounts/{account_id}/valuations 200` | `/data/*/price_quality` | 1/3 | `INTRADAY`, `NONE` |');
    expect(md).toContain('- min-enum-coverage: **FAILED**');
    expect(md).toContain('- `not-found` › `*`: fixed upstream in 2025');
    expect(md).toContain('auth › `GET /accounts/{account_id}/valuations`: `CT_ERR_HEADERS_TIMEOUT: no headers within 10 s');
  });

  test('says per operation how many requests, which statuses and how many list combinations were sent', () => {
    const report = structuredClone(run.report);
    const list = report.operations[0];
    list.checks.push({ ...list.checks[0], check: 'list-combinations', status: 'passed', failures: [], warnings: [], errors: [] });
    list.checks.at(-1)!.stats = { combinations: 33, depth: 'quick' };
    list.statusesSeen = { 200: 5, 400: 2, 418: 1 };
    const rows = renderMarkdown(report).split('### Request coverage')[1].split('\n\n')[1].split('\n');
    expect(rows[0]).toBe('| Operation | Requests | Documented statuses seen | Undocumented seen | List combinations |');
    const documented = list.documentedStatuses.filter((s) => [200, 400].includes(s)).length;
    expect(rows[2]).toBe(`| \`${list.operation}\` | ${list.probes} | ${documented}/${list.documentedStatuses.length} | 418 | 33 (quick) |`);
    expect(rows[3]).toMatch(/^\| `[^`]+` \| \d+ \| \d+\/\d+ \| .* \| — \|$/);
  });

  test('a fence in the failure text does not end the block', () => {
    const report = structuredClone(run.report);
    report.operations[1].checks[1].failures[0].received = '```\n# not a heading';
    const out = renderMarkdown(report);
    expect(out).toContain('````text\n[error] status-code');
  });

  test('stays small for a run with thousands of failures', () => {
    const report = buildRunResult(SPEC, bigRun(150, 20, 3), {
      baseUrl: 'https://sandbox.upvest.test',
      embeddedMock: false,
      signing: true,
      startedAt: new Date().toISOString(),
      durationMs: 1,
      minEnumCoverage: 0,
    });
    expect(report.totals.failures).toBe(9_000);
    const out = renderMarkdown(report);
    expect(Buffer.byteLength(out)).toBeLessThan(150 * 1024); // GitHub allows 1 MiB per step summary
    expect(out).toContain(`… and ${9_000 - MARKDOWN_LIMITS.failures} more failures`);
    expect(out).toContain(`… and ${150 - MARKDOWN_LIMITS.rows} more operations`);
    expect(out).toContain(`… and ${3_000 - MARKDOWN_LIMITS.enums} more incomplete enums`);
    expect(out.match(/^```text$/gm)).toHaveLength(MARKDOWN_LIMITS.failures);
  });
});

/**
 * A report that cannot be written is a result lost: the summary printed says so, with the exit
 * code it gives, and the report lines come after it (never "CONFORMANT … Exit code 0" before an
 * exit 2).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { reportResult } from '../../src/cli/report-result.js';
import { fixtureResult } from './fixture-run.js';

function capture() {
  const lines: { stream: 'out' | 'err'; line: string }[] = [];
  return {
    lines,
    output: { out: (line: string) => lines.push({ stream: 'out', line }), err: (line: string) => lines.push({ stream: 'err', line }) },
  };
}

test.for([
  { name: 'every report written', block: undefined },
  { name: 'report.html cannot be written (a folder holds its name)', block: 'report.html' },
])('$name', ({ block }) => {
  const dir = mkdtempSync(join(tmpdir(), 'uc-write-'));
  if (block) mkdirSync(join(dir, block));
  const result = fixtureResult();
  expect(result.exitCode).toBe(1);
  const { lines, output } = capture();
  const final = reportResult(result, { reportDir: dir, formats: ['json', 'junit', 'md', 'html'] }, output);
  // Before: the summary of the run as it was ("Exit code 1") was printed, then the process exited 2.
  const exitCode = block ? 2 : 1;
  expect(final.exitCode).toBe(exitCode);
  const summaryAt = lines.findIndex((l) => /Exit code \d/.test(l.line));
  expect(lines[summaryAt]!.line).toContain(`Exit code ${exitCode}`);
  const firstWrote = lines.findIndex((l) => l.line.startsWith('wrote '));
  expect(firstWrote).toBeGreaterThan(summaryAt);
  const errors = lines.filter((l) => l.stream === 'err').map((l) => l.line);
  if (block) expect(errors.join('\n')).toMatch(/report\.html/);
  else expect(errors).toEqual([]);
});

/**
 * The end of every command that produces a RunResult: the summary first, then the report
 * files. A report that cannot be written makes the run incomplete (exit 2): results are never
 * lost silently behind an exit 0.
 */
import { writeReports } from '../../reporters/index.js';
import { renderSummary } from '../../reporters/summary.js';
import { finalize, type RunResult } from '../engine/result.js';
import type { Output } from './output.js';

export function reportResult(result: RunResult, options: { reportDir: string; formats: readonly string[] }, output: Output): RunResult {
  output.out(renderSummary(result));
  // The one line a run that did not happen owes its user: the cause and the fix.
  if (result.stopped) {
    output.err(`error ${result.stopped.code}: ${result.stopped.message}`);
    if (result.stopped.hint) output.err(`  ${result.stopped.hint}`);
  }
  const { errors } = writeReports(result, { reportDir: options.reportDir, formats: options.formats, log: (line) => output.out(line) });
  if (errors.length === 0) return result;
  for (const e of errors) output.err(`error ${e.code}: ${e.message}`);
  return finalize({ ...result, harnessErrors: [...result.harnessErrors, ...errors] });
}

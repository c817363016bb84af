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
  // The reports are written first and their lines held back: the summary must state the verdict
  // the exit code gives, and a report that could not be written changes it (never "CONFORMANT"
  // printed before an exit 2).
  const wrote: string[] = [];
  const { errors } = writeReports(result, { reportDir: options.reportDir, formats: options.formats, log: (line) => wrote.push(line) });
  const final = errors.length === 0 ? result : finalize({ ...result, harnessErrors: [...result.harnessErrors, ...errors] });
  output.out(renderSummary(final));
  // The one line a run that did not happen owes its user: the cause and the fix.
  if (final.stopped) {
    output.err(`error ${final.stopped.code}: ${final.stopped.message}`);
    if (final.stopped.hint) output.err(`  ${final.stopped.hint}`);
  }
  for (const line of wrote) output.out(line);
  for (const e of errors) output.err(`error ${e.code}: ${e.message}`);
  return final;
}

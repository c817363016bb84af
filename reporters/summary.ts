/** The concise console summary of a run: per operation passed/failed, failures grouped by check, the verdict. */
import { renderFailure } from '../src/checks/failure.js';
import type { Failure } from '../src/checks/types.js';
import { outcomesOfResult, type RunResult } from '../src/engine/result.js';
import { checkGroups, signingText, VERDICT_TEXT } from './groups.js';

export function renderSummary(report: RunResult, options: { maxFailuresPerCheck?: number } = {}): string {
  const max = options.maxFailuresPerCheck ?? 5;
  const lines: string[] = [];
  const t = report.totals;
  lines.push(`${report.tool.name} ${report.tool.version} · ${report.spec.title} ${report.spec.version}`);
  lines.push(
    `target ${report.target.baseUrl}${report.target.embeddedMock ? ' (the bundled mock)' : ''} · ` +
      `${signingText(report.target)} · ${t.probes} requests in ${(report.run.durationMs / 1000).toFixed(1)} s`,
  );
  lines.push('');
  const groups = checkGroups(report);
  const width = Math.max(0, ...groups.map((g) => g.name.length));
  for (const group of groups) {
    const count = (status: string) => group.checks.filter((c) => c.status === status).length;
    const parts = [`${count('passed')} passed`];
    for (const status of ['failed', 'error', 'skipped'] as const) {
      if (count(status) > 0) parts.push(`${count(status)} ${status === 'error' ? 'errored' : status}`);
    }
    const warnings = group.checks.reduce((n, c) => n + c.warnings.length, 0);
    if (warnings > 0) parts.push(`${warnings} warning${warnings > 1 ? 's' : ''}`);
    // A run that stopped says why once, below; its groups only say that they did not run.
    const skipReason = report.stopped
      ? 'not run'
      : (group.operation?.skipReason ?? (group.checks.every((c) => c.status === 'skipped') ? group.checks[0]?.skipReason : undefined));
    lines.push(`  ${group.name.padEnd(width)}  ${parts.join(', ')}${skipReason ? ` (${skipReason})` : ''}`);
  }
  const outcomes = outcomesOfResult(report);
  const failed = outcomes.filter((c) => c.failures.some((f) => !f.baselined));
  if (failed.length > 0) {
    lines.push('', 'Failures');
    const byCheck = new Map<string, Failure[]>();
    for (const outcome of failed) {
      byCheck.set(outcome.check, [...(byCheck.get(outcome.check) ?? []), ...outcome.failures.filter((f) => !f.baselined)]);
    }
    for (const [check, failures] of byCheck) {
      lines.push(`  ${check} (${failures.length})`);
      for (const failure of failures.slice(0, max)) lines.push(renderFailure(failure).replace(/^/gm, '    '));
      if (failures.length > max) lines.push(`    … and ${failures.length - max} more in the reports`);
    }
  }
  if (report.stopped) {
    lines.push('', `Not run: ${report.stopped.code}: ${report.stopped.message}`);
    if (report.stopped.hint) lines.push(`  ${report.stopped.hint}`);
  }
  const errored = outcomes.filter((c) => c.status === 'error');
  const harnessErrors = report.harnessErrors.filter(
    (e) => !(report.stopped && e.code === report.stopped.code && e.message === report.stopped.message),
  );
  if (errored.length > 0 || harnessErrors.length > 0) {
    lines.push('', 'Could not be checked');
    for (const outcome of errored) {
      lines.push(`  ${outcome.check} › ${outcome.operation}: ${outcome.errors[0]?.code} ${outcome.errors[0]?.message}`);
    }
    for (const error of harnessErrors) lines.push(`  ${error.code}: ${error.message}`);
  }
  // The default policy is said in the reports; the console names a gate only when it was asked for or failed.
  const shown = report.gates.filter((g) => !g.passed || g.name !== 'fail-on' || report.policy.failOn !== 'error');
  for (const gate of shown) lines.push('', `Gate ${gate.name}: ${gate.passed ? 'passed' : 'FAILED'} — ${gate.message}`);
  if (report.baseline && report.baseline.stale.length > 0) {
    lines.push(
      '',
      `Baseline: ${report.baseline.stale.length} listed deviation(s) no longer occur; remove them (or run with --update-baseline):`,
    );
    for (const entry of report.baseline.stale) lines.push(`  ${entry.check} › ${entry.operation}${entry.match ? ` (${entry.match})` : ''}`);
  }
  lines.push('');
  lines.push(
    `${VERDICT_TEXT[report.verdict]}: ${t.passed} passed, ${t.failed} failed, ${t.errors} errored, ${t.skipped} skipped of ${t.checks} checks; ` +
      `${t.failures} failure(s), ${t.warnings} warning(s)${t.baselined ? `, ${t.baselined} baselined` : ''}; ` +
      `enum coverage ${report.enumCoverage.observed}/${report.enumCoverage.total} (${report.enumCoverage.percent}%). Exit code ${report.exitCode}.`,
  );
  return lines.join('\n');
}

/** The concise console summary of a run: per operation passed/failed, failures grouped by check, the verdict. */
import { renderFailure } from '../src/checks/failure.js';
import type { Failure } from '../src/checks/types.js';
import { RunReportReporter } from './base.js';
import type { RunReport } from './model.js';

const VERDICT_TEXT: Record<RunReport['verdict'], string> = {
  conformant: 'CONFORMANT',
  violations: 'VIOLATIONS',
  unusable: 'TARGET UNUSABLE',
};

export function renderSummary(report: RunReport, options: { maxFailuresPerCheck?: number } = {}): string {
  const max = options.maxFailuresPerCheck ?? 5;
  const lines: string[] = [];
  lines.push(`${report.tool.name} ${report.tool.version} · ${report.spec.title} ${report.spec.version}`);
  lines.push(
    `target ${report.target.baseUrl}${report.target.embeddedMock ? ' (the bundled mock)' : ''} · signing ${report.target.signing ? 'on' : 'off'} · ${report.totals.probes} requests in ${(report.run.durationMs / 1000).toFixed(1)} s`,
  );
  lines.push('');
  const width = Math.max(...report.operations.map((o) => o.operation.length));
  for (const op of report.operations) {
    const count = (status: string) => op.checks.filter((c) => c.status === status).length;
    const parts = [`${count('passed')} passed`];
    for (const status of ['failed', 'error', 'skipped'] as const)
      if (count(status) > 0) parts.push(`${count(status)} ${status === 'error' ? 'errored' : status}`);
    const warnings = op.checks.reduce((n, c) => n + c.warnings.length, 0);
    if (warnings > 0) parts.push(`${warnings} warning${warnings > 1 ? 's' : ''}`);
    lines.push(`  ${op.operation.padEnd(width)}  ${parts.join(', ')}${op.skipReason ? ` (${op.skipReason})` : ''}`);
  }
  const failed = report.operations.flatMap((o) => o.checks).filter((c) => c.failures.some((f) => !f.baselined));
  if (failed.length > 0) {
    lines.push('', 'Failures');
    const byCheck = new Map<string, Failure[]>();
    for (const outcome of failed)
      byCheck.set(outcome.check, [...(byCheck.get(outcome.check) ?? []), ...outcome.failures.filter((f) => !f.baselined)]);
    for (const [check, failures] of byCheck) {
      lines.push(`  ${check} (${failures.length})`);
      for (const failure of failures.slice(0, max)) lines.push(renderFailure(failure).replace(/^/gm, '    '));
      if (failures.length > max) lines.push(`    … and ${failures.length - max} more in the reports`);
    }
  }
  const errored = report.operations.flatMap((o) => o.checks).filter((c) => c.status === 'error');
  if (errored.length > 0 || report.harnessErrors.length > 0) {
    lines.push('', 'Could not be checked');
    for (const outcome of errored)
      lines.push(`  ${outcome.check} › ${outcome.operation}: ${outcome.errors[0]?.code} ${outcome.errors[0]?.message}`);
    for (const error of report.harnessErrors) lines.push(`  ${error.code}: ${error.message}`);
  }
  for (const gate of report.gates) lines.push('', `Gate ${gate.name}: ${gate.passed ? 'passed' : 'FAILED'} — ${gate.message}`);
  if (report.baseline && report.baseline.stale.length > 0) {
    lines.push(
      '',
      `Baseline: ${report.baseline.stale.length} listed deviation(s) no longer occur; remove them (or run with --update-baseline):`,
    );
    for (const entry of report.baseline.stale) lines.push(`  ${entry.check} › ${entry.operation}${entry.match ? ` (${entry.match})` : ''}`);
  }
  const t = report.totals;
  lines.push('');
  lines.push(
    `${VERDICT_TEXT[report.verdict]}: ${t.passed} passed, ${t.failed} failed, ${t.errors} errored, ${t.skipped} skipped of ${t.checks} checks; ${t.failures} failure(s), ${t.warnings} warning(s)${t.baselined ? `, ${t.baselined} baselined` : ''}; enum coverage ${report.enumCoverage.observed}/${report.enumCoverage.total} (${report.enumCoverage.percent}%). Exit code ${report.exitCode}.`,
  );
  return lines.join('\n');
}

export class SummaryReporter extends RunReportReporter {
  /** The last run's report, for the CLI (exit code, baseline update). */
  report?: RunReport;

  protected emit(report: RunReport): void {
    this.report = report;
    this.log(renderSummary(report));
  }
}

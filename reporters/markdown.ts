/**
 * summary.md for $GITHUB_STEP_SUMMARY or a PR comment: the verdict, an operations × checks
 * table, the first failures, enum coverage, gates and stale baseline entries. Every section
 * is capped, so a run with thousands of failures stays far below GitHub's 1 MiB limit.
 */
import { describeBasis } from '../src/checks/basis.js';
import { renderFailure } from '../src/checks/failure.js';
import type { CheckStatus } from '../src/checks/types.js';
import { cutAtCharacter, secrets } from '../src/client/redact.js';
import { checkGroups, requestCoverage, showControlCharacters, signingText, VERDICT_TEXT } from './groups.js';
import type { RunResult } from '../src/engine/result.js';

export const MARKDOWN_REPORT_FILE = 'summary.md';

export const MARKDOWN_LIMITS = {
  rows: 60,
  failures: 10,
  failureChars: 3_000,
  problems: 20,
  enums: 40,
  enumValues: 20,
  stale: 30,
  inlineChars: 200,
};

const CELL: Record<CheckStatus, string> = { passed: '✓', failed: '✗', error: '!', skipped: '–' };

/** Scrubbed first (an escaped or cut secret would no longer match), one line, capped. */
function oneLine(text: string, max = MARKDOWN_LIMITS.inlineChars): string {
  const line = showControlCharacters(secrets.scrub(text).replace(/\s+/g, ' ').trim());
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Target- or user-controlled text as a code span: no markup, no HTML, no autolinks. */
function code(text: string | number): string {
  const line = oneLine(String(text));
  const ticks = '`'.repeat(Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  return `${ticks}${line.startsWith('`') || line.endsWith('`') ? ` ${line} ` : line}${ticks}`;
}

/** Prose that may carry user text (reasons, gate messages): markup characters escaped. */
function prose(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]#|~])/g, '\\$1');
}

/** A code span in a table cell: GFM splits cells at pipes even inside code spans. */
function cell(text: string | number): string {
  return code(text).replace(/\|/g, '\\|');
}

function fenced(text: string): string {
  let body = showControlCharacters(secrets.scrub(text));
  if (body.length > MARKDOWN_LIMITS.failureChars)
    body = `${cutAtCharacter(body, MARKDOWN_LIMITS.failureChars)}\n… (cut; the whole text is in report.html)`;
  const fence = '`'.repeat(Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  return `${fence}text\n${body}\n${fence}`;
}

function more(shown: number, total: number, what: string): string[] {
  return total > shown ? [`… and ${total - shown} more ${what} (see report.html or report.json).`] : [];
}

export function renderMarkdown(report: RunResult): string {
  const t = report.totals;
  const groups = checkGroups(report);
  const checkNames = [...new Set(groups.flatMap((g) => g.checks.map((c) => c.check)))];
  const out: string[] = [];

  out.push(`## ${report.tool.name}: ${VERDICT_TEXT[report.verdict]}`, '');
  out.push(
    `**Verdict: ${VERDICT_TEXT[report.verdict]}** (exit code ${report.exitCode}) · ${t.checks} checks: ${t.passed} passed, ${t.failed} failed, ${t.errors} errored, ${t.skipped} skipped · ${t.failures} failure(s), ${t.warnings} warning(s)${t.baselined ? `, ${t.baselined} baselined` : ''} · enum coverage ${report.enumCoverage.observed}/${report.enumCoverage.total} (${report.enumCoverage.percent}%)`,
    '',
    `Target ${code(report.target.baseUrl)}${report.target.embeddedMock ? ' (the bundled mock)' : ''} · ${prose(signingText(report.target))} · ${prose(`${report.spec.title} ${report.spec.version}`)} · ${report.tool.name} ${report.tool.version} · ${t.probes} requests in ${(report.run.durationMs / 1000).toFixed(1)} s`,
    '',
  );

  if (groups.length > 0) {
    out.push('### Operations × checks', '');
    out.push(`| Operation | ${checkNames.join(' | ')} |`, `|---|${checkNames.map(() => ':-:').join('|')}|`);
    for (const group of groups.slice(0, MARKDOWN_LIMITS.rows)) {
      const cells = checkNames.map((name) => {
        const outcome = group.checks.find((c) => c.check === name);
        return outcome ? CELL[outcome.status] : ' ';
      });
      out.push(`| ${cell(group.name)} | ${cells.join(' | ')} |`);
    }
    out.push(
      '',
      '✓ passed · ✗ failed · ! could not be checked · – skipped · blank: does not apply',
      ...more(MARKDOWN_LIMITS.rows, groups.length, 'operations'),
      '',
    );
  }

  const failures = groups.flatMap((g) => g.checks.flatMap((c) => c.failures.filter((f) => !f.baselined)));
  const findings = [...failures, ...groups.flatMap((g) => g.checks.flatMap((c) => c.warnings.filter((f) => !f.baselined)))];
  if (findings.length > 0) {
    // Which requirement each finding enforces: documented ones fail the gate, conventions warn.
    out.push('### Findings and their basis', '', '| Severity | Check | Operation | Basis | Finding |', '| --- | --- | --- | --- | --- |');
    for (const f of findings.slice(0, MARKDOWN_LIMITS.failures)) {
      const basis = f.basis ? describeBasis(f.basis) : '—';
      out.push(`| ${f.severity} | ${code(f.check)} | ${code(f.operation)} | ${cell(basis)} | ${cell(f.message)} |`);
    }
    out.push(...more(MARKDOWN_LIMITS.failures, findings.length, 'findings'), '');
  }
  if (failures.length > 0) {
    out.push('### Failures', '');
    if (failures.length > MARKDOWN_LIMITS.failures) out.push(`The first ${MARKDOWN_LIMITS.failures} of ${failures.length}:`, '');
    for (const failure of failures.slice(0, MARKDOWN_LIMITS.failures)) out.push(fenced(renderFailure(failure)), '');
    out.push(...more(MARKDOWN_LIMITS.failures, failures.length, 'failures'), '');
  }

  const errored = groups.flatMap((g) => g.checks.filter((c) => c.status === 'error'));
  if (errored.length > 0 || report.harnessErrors.length > 0) {
    out.push('### Could not be checked', '');
    const lines = [
      ...errored.map(
        (c) =>
          `- ${c.check} › ${code(c.operation)}: ${c.errors[0] ? code(`${c.errors[0].code}: ${c.errors[0].message}`) : 'no cause recorded'}`,
      ),
      ...report.harnessErrors.map((e) => `- ${code(`${e.code}: ${e.message}`)}`),
    ];
    out.push(...lines.slice(0, MARKDOWN_LIMITS.problems), ...more(MARKDOWN_LIMITS.problems, lines.length, 'entries'), '');
  }

  const requests = requestCoverage(report);
  if (requests.length > 0) {
    out.push(
      '### Request coverage',
      '',
      '| Operation | Requests | Documented statuses seen | Undocumented seen | List combinations |',
      '|---|--:|:-:|---|--:|',
    );
    for (const r of requests.slice(0, MARKDOWN_LIMITS.rows)) {
      const combinations = r.combinations === undefined ? '—' : `${r.combinations}${r.depth ? ` (${r.depth})` : ''}`;
      out.push(
        `| ${code(r.operation)} | ${r.requests} | ${r.documentedSeen}/${r.documented} | ${r.undocumented.join(', ') || '—'} | ${combinations} |`,
      );
    }
    out.push(...more(MARKDOWN_LIMITS.rows, requests.length, 'operations'), '');
  }

  const coverage = report.enumCoverage;
  if (coverage.entries.length > 0) {
    const incomplete = coverage.entries.filter((e) => e.missing.length > 0);
    out.push(
      '### Enum coverage',
      '',
      `${coverage.observed} of ${coverage.total} documented enum values observed (${coverage.percent}%) at ${coverage.entries.length} enum(s); ${incomplete.length} incomplete.`,
      '',
    );
    if (incomplete.length > 0) {
      out.push('| Where | Pointer | Observed | Missing |', '|---|---|:-:|---|');
      for (const e of incomplete.slice(0, MARKDOWN_LIMITS.enums)) {
        const missing =
          e.missing.slice(0, MARKDOWN_LIMITS.enumValues).map(cell).join(', ') +
          (e.missing.length > MARKDOWN_LIMITS.enumValues ? ` and ${e.missing.length - MARKDOWN_LIMITS.enumValues} more` : '');
        out.push(`| ${cell(e.scope)} | ${cell(e.pointer)} | ${e.observed.length}/${e.values.length} | ${missing} |`);
      }
      out.push(...more(MARKDOWN_LIMITS.enums, incomplete.length, 'incomplete enums'), '');
    }
  }

  if (report.gates.length > 0) {
    out.push('### Gates', '');
    for (const gate of report.gates) out.push(`- ${gate.name}: **${gate.passed ? 'passed' : 'FAILED'}** (${prose(gate.message)})`);
    out.push('');
  }

  if (report.baseline) {
    const stale = report.baseline.stale;
    out.push(
      '### Baseline',
      '',
      `${report.baseline.entries} known deviation(s)${report.baseline.file ? ` from ${code(report.baseline.file)}` : ''}; ${t.baselined} failure(s) matched them.`,
    );
    if (stale.length > 0) {
      out.push(
        '',
        `${stale.length} entr${stale.length === 1 ? 'y no longer occurs' : 'ies no longer occur'}; remove them (or run with \`--update-baseline\`):`,
        '',
      );
      for (const entry of stale.slice(0, MARKDOWN_LIMITS.stale))
        out.push(
          `- ${code(entry.check)} › ${code(entry.operation)}${entry.match ? ` matching ${code(entry.match)}` : ''}: ${prose(entry.reason)}`,
        );
      out.push(...more(MARKDOWN_LIMITS.stale, stale.length, 'stale entries'));
    }
    out.push('');
  }
  // Sections end with a blank line and may start with one: keep single blank lines (fenced blocks are one element each).
  return `${out
    .filter((line, i) => line !== '' || out[i - 1] !== '')
    .join('\n')
    .trimEnd()}\n`;
}

/**
 * report.html: one self-contained file (inline CSS and JS; no fonts, images, scripts or requests
 * from anywhere). Every string of the report is escaped, because responses are written by the
 * target; a Content-Security-Policy that runs only this file's own script is the second line.
 */
import { createHash } from 'node:crypto';
import { describeBasis } from '../src/checks/basis.js';
import { renderFailure } from '../src/checks/failure.js';
import type { CheckOutcome, CheckStatus, Failure } from '../src/checks/types.js';
import { secrets } from '../src/client/redact.js';
import { checkGroups, requestCoverage, showControlCharacters, signingText, type CheckGroup } from './groups.js';
import type { RunResult } from '../src/engine/result.js';

export const HTML_REPORT_FILE = 'report.html';

/** Findings shown in full; a bigger run lists the rest only in report.json. */
export const HTML_MAX_FINDINGS = 500;

type FindingKind = 'error' | 'warning' | 'baselined';

interface Finding {
  id: string;
  kind: FindingKind;
  failure: Failure;
  outcome: CheckOutcome;
}

const VERDICT_TEXT: Record<RunResult['verdict'], string> = {
  conformant: 'Conformant',
  violations: 'Violations',
  unusable: 'Target unusable',
  incomplete: 'Incomplete: the tool failed',
};
const CELL_TEXT: Record<CheckStatus, string> = { passed: '✓', failed: '✗', error: '!', skipped: '–' };
const KIND_RANK: Record<FindingKind, number> = { error: 0, warning: 1, baselined: 2 };

/** Scrubbed before escaping (an escaped secret would no longer match), optionally clipped in between. */
function esc(text: string | number | undefined, max = Infinity): string {
  let value = showControlCharacters(secrets.scrub(String(text ?? '')));
  if (value.length > max) value = `${value.slice(0, max - 1)}…`;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const STYLE = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --err: #8250df; --muted: #656d76; --line: #d0d7de; --soft: #f6f8fa; --ink: #1f2328; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
pre { margin: 0; padding: 8px 10px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
main, header .inner, nav .inner { max-width: 1320px; margin: 0 auto; padding: 0 20px; }
section, .card, details.finding { scroll-margin-top: 48px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 6px; }
h4 { font-size: 12px; margin: 10px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.banner { color: #fff; padding: 16px 0 14px; }
.banner.v-conformant { background: var(--ok); } .banner.v-violations { background: var(--bad); } .banner.v-unusable, .banner.v-incomplete { background: #6e7781; }
.banner .verdict { font-size: 26px; font-weight: 700; letter-spacing: .02em; }
.banner .verdict small { font-size: 14px; font-weight: 400; opacity: .9; margin-left: 10px; }
.banner .meta { margin-top: 4px; opacity: .95; }
.tiles { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; }
.tile { background: rgba(255,255,255,.16); border-radius: 6px; padding: 4px 10px; }
.tile b { font-size: 17px; margin-right: 4px; }
nav { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line); }
nav .inner { display: flex; gap: 18px; padding-top: 8px; padding-bottom: 8px; }
nav a { color: var(--ink); text-decoration: none; font-weight: 600; } nav a:hover { text-decoration: underline; }
.matrix-wrap { overflow-x: auto; }
table.matrix { border-collapse: collapse; }
.matrix th, .matrix td { border: 1px solid var(--line); padding: 3px 4px; text-align: center; }
.matrix th.op { text-align: left; font-weight: 500; white-space: nowrap; background: #fff; }
.matrix thead th { vertical-align: bottom; background: var(--soft); font-weight: 600; font-size: 12px; }
.matrix thead th.check span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
.matrix td { width: 30px; height: 28px; font-weight: 700; }
.matrix td a { color: inherit; text-decoration: none; display: block; }
.s-passed { background: #dafbe1; color: var(--ok); } .s-failed { background: #ffebe9; color: var(--bad); }
.s-error { background: #fbefff; color: var(--err); } .s-skipped { background: var(--soft); color: var(--muted); }
.s-na { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #f3f4f6 4px, #f3f4f6 8px); color: #afb8c1; font-weight: 400 !important; font-size: 11px; }
.has-warnings { box-shadow: inset 0 -3px 0 #d4a72c; }
.legend { color: var(--muted); font-size: 12.5px; margin-top: 6px; }
.legend span { display: inline-block; min-width: 20px; text-align: center; border-radius: 3px; margin: 0 3px 0 10px; }
.ops { display: grid; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .sub { color: var(--muted); font-size: 12.5px; margin-bottom: 6px; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; }
.chip { border-radius: 10px; padding: 0 8px; font-size: 12px; border: 1px solid var(--line); }
.chip.seen { background: #dafbe1; border-color: #aceebb; } .chip.unseen { color: var(--muted); background: #fff; border-style: dashed; }
.chip.undocumented { background: #ffebe9; border-color: #ffcecb; color: var(--bad); font-weight: 600; }
.card ul { margin: 6px 0 0; padding-left: 18px; } .card li { margin: 2px 0; }
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: 11.5px; font-weight: 700; text-transform: uppercase; color: #fff; }
.basis { display: inline-block; border: 1px solid currentColor; border-radius: 4px; padding: 0 5px; font-size: 11px; }
.b-documented { color: #0550ae; } .b-convention { color: #6e7781; }
.k-error { background: var(--bad); } .k-errored { background: var(--err); } .k-warning { background: var(--warn); } .k-baselined { background: #6e7781; }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; margin-bottom: 10px; padding: 8px 10px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; }
.toolbar label { font-weight: 600; } .toolbar select, .toolbar button { font: inherit; padding: 2px 6px; }
.toolbar .count { margin-left: auto; color: var(--muted); }
details.finding { border: 1px solid var(--line); border-radius: 6px; margin-bottom: 6px; }
details.finding > summary { cursor: pointer; padding: 6px 10px; list-style-position: inside; overflow-wrap: anywhere; }
details.finding[open] > summary { border-bottom: 1px solid var(--line); background: var(--soft); }
details.finding > .body { padding: 8px 10px 10px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; overflow-wrap: anywhere; }
.exchange { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.exchange pre { max-height: 320px; overflow: auto; }
table.coverage { width: 100%; border-collapse: collapse; table-layout: fixed; }
.coverage th, .coverage td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; overflow-wrap: anywhere; }
.coverage thead th { font-size: 12px; color: var(--muted); }
.coverage tr.scope th { background: var(--soft); padding-top: 6px; }
.bar { height: 10px; background: #ffebe9; border-radius: 5px; overflow: hidden; } .bar > span { display: block; height: 100%; background: var(--ok); }
.bar-label { font-size: 12px; color: var(--muted); }
.missing .chip { background: #fff8c5; border-color: #eac54f; }
.done { color: var(--ok); }
.muted { color: var(--muted); }
ul.plain { padding-left: 18px; }
footer { max-width: 1320px; margin: 30px auto 20px; padding: 0 20px; color: var(--muted); font-size: 12px; }
@media screen { .is-filtered { display: none; } }
@media print {
  nav, .toolbar { display: none; }
  body { font-size: 10.5pt; }
  .banner, .s-passed, .s-failed, .s-error, .s-skipped, .badge, .bar > span { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  details.finding { break-inside: avoid; }
  details.finding::details-content { content-visibility: visible; display: block; }
  details.finding > summary { list-style: none; }
  .exchange pre { max-height: none; overflow: visible; }
  .ops { grid-template-columns: 1fr 1fr; }
}
`;

/** Filters, expand/collapse, opening a finding a matrix cell links to, and everything expanded for print. */
const SCRIPT = `
(() => {
  const check = document.getElementById('filter-check');
  const kind = document.getElementById('filter-kind');
  const count = document.getElementById('filter-count');
  const findings = Array.from(document.querySelectorAll('details.finding'));
  const apply = () => {
    let shown = 0;
    for (const finding of findings) {
      const hide = (check.value !== '' && finding.dataset.check !== check.value) || (kind.value !== '' && finding.dataset.kind !== kind.value);
      finding.classList.toggle('is-filtered', hide);
      if (!hide) shown++;
    }
    count.textContent = shown === findings.length ? findings.length + ' shown' : shown + ' of ' + findings.length + ' shown';
  };
  const reveal = () => {
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (!target || !target.classList.contains('finding')) return;
    if (target.classList.contains('is-filtered')) { check.value = ''; kind.value = ''; apply(); }
    target.open = true;
    target.scrollIntoView({ block: 'start' });
  };
  check.addEventListener('change', apply);
  kind.addEventListener('change', apply);
  document.getElementById('expand-all').addEventListener('click', () => findings.forEach((f) => { f.open = true; }));
  document.getElementById('collapse-all').addEventListener('click', () => findings.forEach((f) => { f.open = false; }));
  window.addEventListener('hashchange', reveal);
  let closed = [];
  window.addEventListener('beforeprint', () => { closed = findings.filter((f) => !f.open); closed.forEach((f) => { f.open = true; }); });
  window.addEventListener('afterprint', () => { closed.forEach((f) => { f.open = false; }); });
  apply();
  reveal();
})();
`;

const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'; img-src 'none'; base-uri 'none'; form-action 'none'`;

function findingsOf(groups: CheckGroup[]): Finding[] {
  const all = groups.flatMap((g) =>
    g.checks.flatMap((c) => [
      ...c.failures.map((failure) => ({ failure, outcome: c, kind: (failure.baselined ? 'baselined' : 'error') as FindingKind })),
      ...c.warnings.map((failure) => ({ failure, outcome: c, kind: 'warning' as FindingKind })),
    ]),
  );
  // Stable sort: open errors first, each kind in operation and check order.
  return all.sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind]).map((f, i) => ({ ...f, id: `f-${i + 1}` }));
}

function banner(report: RunResult): string {
  const t = report.totals;
  const tile = (n: number | string, label: string) => `<span class="tile"><b>${esc(n)}</b>${esc(label)}</span>`;
  return `<header class="banner v-${report.verdict}"><div class="inner">
<div class="verdict">${VERDICT_TEXT[report.verdict]}<small>exit code ${report.exitCode}</small></div>
<div class="meta">${esc(report.spec.title)} ${esc(report.spec.version)} · target <span class="mono">${esc(report.target.baseUrl)}</span>${report.target.embeddedMock ? ' (the bundled mock)' : ''} · ${esc(signingText(report.target))}</div>
<div class="meta">${esc(report.tool.name)} ${esc(report.tool.version)} · started ${esc(report.run.startedAt)} · ${(report.run.durationMs / 1000).toFixed(1)} s · ${plural(t.probes, 'request')} · Node ${esc(report.run.node)}</div>
<div class="tiles">${tile(t.checks, 'checks')}${tile(t.passed, 'passed')}${tile(t.failed, 'failed')}${tile(t.errors, 'errored')}${tile(t.skipped, 'skipped')}${tile(t.failures, 'failures')}${tile(t.warnings, 'warnings')}${t.baselined ? tile(t.baselined, 'baselined') : ''}${tile(`${report.enumCoverage.observed}/${report.enumCoverage.total}`, 'enum values observed')}</div>
</div></header>`;
}

function matrixCell(outcome: CheckOutcome | undefined, check: string, firstFinding: Map<CheckOutcome, Finding>): string {
  if (!outcome) return `<td class="s-na" title="${esc(check)}: does not apply">n/a</td>`;
  const detail =
    outcome.status === 'failed'
      ? plural(outcome.failures.filter((f) => !f.baselined).length, 'failure')
      : outcome.status === 'error'
        ? outcome.errors[0]
          ? `${outcome.errors[0].code}: ${outcome.errors[0].message}`
          : 'could not be checked'
        : outcome.status === 'skipped'
          ? (outcome.skipReason ?? 'skipped')
          : outcome.warnings.length > 0
            ? plural(outcome.warnings.length, 'warning')
            : 'passed';
  const target = firstFinding.get(outcome);
  const text = target ? `<a href="#${target.id}">${CELL_TEXT[outcome.status]}</a>` : CELL_TEXT[outcome.status];
  return `<td class="s-${outcome.status}${outcome.warnings.length > 0 ? ' has-warnings' : ''}" title="${esc(`${check}: ${outcome.status} (${detail})`, 300)}">${text}</td>`;
}

function matrix(groups: CheckGroup[], checkNames: string[], firstFinding: Map<CheckOutcome, Finding>): string {
  const head = `<tr><th class="op">Operation</th>${checkNames.map((name) => `<th class="check" title="${esc(name)}"><span>${esc(name)}</span></th>`).join('')}</tr>`;
  const rows = groups.map(
    (g, i) =>
      `<tr><th class="op mono" scope="row"><a href="#op-${i + 1}">${esc(g.name)}</a></th>${checkNames
        .map((name) =>
          matrixCell(
            g.checks.find((c) => c.check === name),
            name,
            firstFinding,
          ),
        )
        .join('')}</tr>`,
  );
  const legend = (['passed', 'failed', 'error', 'skipped'] as const)
    .map((s) => `<span class="s-${s}">${CELL_TEXT[s]}</span>${s === 'error' ? 'could not be checked' : s}`)
    .join('');
  return `<div class="matrix-wrap"><table class="matrix"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table></div>
<p class="legend">${legend}<span class="s-na">n/a</span>does not apply<span class="has-warnings">&nbsp;</span>with warnings · a cell with findings links to the first one</p>`;
}

function statusChips(operation: RunResult['operations'][number]): string {
  const documented = new Set(operation.documentedStatuses);
  const statuses = [...new Set([...operation.documentedStatuses, ...Object.keys(operation.statusesSeen).map(Number)])].sort(
    (a, b) => a - b,
  );
  return `<div class="chips">${statuses
    .map((status) => {
      const seen = operation.statusesSeen[String(status)];
      if (!documented.has(status))
        return `<span class="chip undocumented" title="seen, not documented">${status} ×${seen} undocumented</span>`;
      return seen
        ? `<span class="chip seen" title="documented, seen ${seen} times">${status} ×${seen}</span>`
        : `<span class="chip unseen" title="documented, not seen">${status}</span>`;
    })
    .join('')}</div>`;
}

function operationCard(group: CheckGroup, index: number, firstFinding: Map<CheckOutcome, Finding>): string {
  const op = group.operation;
  const problems = group.checks
    .filter((c) => c.status !== 'passed' || c.warnings.length > 0)
    .map((c) => {
      const link = firstFinding.get(c);
      const name = link ? `<a href="#${link.id}">${esc(c.check)}</a>` : esc(c.check);
      const open = c.failures.filter((f) => !f.baselined).length;
      const what =
        c.status === 'failed'
          ? `<span class="badge k-error">failed</span> ${plural(open, 'failure')}`
          : c.status === 'error'
            ? `<span class="badge k-errored">error</span> ${c.errors.map((e) => `<code>${esc(`${e.code}: ${e.message}`, 400)}</code>`).join('; ')}`
            : c.status === 'skipped'
              ? `<span class="muted">skipped: ${esc(c.skipReason ?? '')}</span>`
              : '<span class="done">passed</span>';
      const notes = [
        c.warnings.length > 0 ? plural(c.warnings.length, 'warning') : '',
        c.failures.length > open ? `${c.failures.length - open} baselined` : '',
      ]
        .filter(Boolean)
        .join(', ');
      return `<li>${name}: ${what}${notes ? ` <span class="muted">(${notes})</span>` : ''}</li>`;
    });
  const passed = group.checks.filter((c) => c.status === 'passed').length;
  return `<div class="card" id="op-${index + 1}">
<h3 class="mono">${esc(group.name)}</h3>
<div class="sub">${op ? `${esc(op.operationId)} · ${plural(op.probes, 'request')} · ${(op.durationMs / 1000).toFixed(2)} s · ` : 'webhook · '}${passed} of ${plural(group.checks.length, 'check')} passed${op?.skipReason ? ` · <b>skipped: ${esc(op.skipReason)}</b>` : ''}</div>
${op && (op.documentedStatuses.length > 0 || Object.keys(op.statusesSeen).length > 0) ? `<h4>Statuses seen / documented</h4>${statusChips(op)}` : ''}
${problems.length > 0 ? `<ul>${problems.join('')}</ul>` : ''}
</div>`;
}

function exchangeText(failure: Failure): { request?: string; response?: string } {
  const headers = (h: Record<string, string>) =>
    Object.entries(h)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n');
  const r = failure.request;
  const s = failure.response;
  return {
    request: r ? `${r.method} ${r.url}\n${headers(r.headers)}${r.bodyExcerpt !== undefined ? `\n\n${r.bodyExcerpt}` : ''}` : undefined,
    response: s
      ? `${s.status} · ${plural(s.bodyBytes, 'byte')}${s.truncated ? ' (excerpt)' : ''}\n${headers(s.headers)}\n\n${s.bodyExcerpt}`
      : undefined,
  };
}

function findingDetails(finding: Finding): string {
  const f = finding.failure;
  const facts: [string, string | undefined][] = [
    ['Instance pointer', f.pointer === undefined ? undefined : f.pointer || '/'],
    ['Schema pointer', f.schemaPointer],
    ['Probe', f.probe],
    ['Check', `${f.check}: ${f.title}`],
    ['Basis', f.basis ? describeBasis(f.basis) : undefined],
    ['Baselined', f.baselined?.reason],
  ];
  const exchange = exchangeText(f);
  return `<details class="finding" id="${finding.id}" data-check="${esc(f.check)}" data-kind="${finding.kind}">
<summary><span class="badge k-${finding.kind}">${finding.kind}</span>${f.basis ? ` <span class="basis b-${f.basis.kind}" title="${esc(describeBasis(f.basis))}">${f.basis.kind}</span>` : ''} <b>${esc(f.check)}</b> › <span class="mono">${esc(f.operation)}</span>: ${esc(f.message, 300)}</summary>
<div class="body">
<pre class="rendered">${esc(renderFailure(f))}</pre>
<dl class="facts">${facts
    .filter(([, value]) => value !== undefined)
    .map(
      ([name, value]) =>
        `<dt>${name}</dt><dd>${name.endsWith('pointer') || name === 'Probe' ? `<code>${esc(value)}</code>` : esc(value)}</dd>`,
    )
    .join('')}</dl>
${exchange.request || exchange.response ? `<div class="exchange"><div><h4>Request</h4><pre>${exchange.request ? esc(exchange.request) : '(not recorded)'}</pre></div><div><h4>Response</h4><pre>${exchange.response ? esc(exchange.response) : '(none: the exchange failed)'}</pre></div></div>` : ''}
${f.curl ? `<h4>Reproduce</h4><pre class="curl">${esc(f.curl)}</pre>` : ''}
</div>
</details>`;
}

function findingsSection(findings: Finding[], checkNames: string[]): string {
  const shown = findings.slice(0, HTML_MAX_FINDINGS);
  const checks = checkNames.filter((name) => findings.some((f) => f.failure.check === name));
  const count = (kind: FindingKind) => findings.filter((f) => f.kind === kind).length;
  return `<div class="toolbar">
<label for="filter-check">Check</label><select id="filter-check"><option value="">all checks</option>${checks.map((name) => `<option value="${esc(name)}">${esc(name)}</option>`).join('')}</select>
<label for="filter-kind">Severity</label><select id="filter-kind"><option value="">all</option><option value="error">errors (${count('error')})</option><option value="warning">warnings (${count('warning')})</option><option value="baselined">baselined (${count('baselined')})</option></select>
<button type="button" id="expand-all">Expand all</button><button type="button" id="collapse-all">Collapse all</button>
<span class="count" id="filter-count"></span>
</div>
${findings.length === 0 ? '<p class="done">No findings.</p>' : shown.map(findingDetails).join('\n')}
${findings.length > shown.length ? `<p class="muted">… and ${findings.length - shown.length} more findings, listed in report.json.</p>` : ''}`;
}

function requestCoverageSection(report: RunResult): string {
  const rows = requestCoverage(report);
  if (rows.length === 0) return '<p class="muted">No operation ran.</p>';
  const body = rows
    .map((r) => {
      const combinations =
        r.combinations === undefined
          ? '<span class="muted">—</span>'
          : `${r.combinations}${r.depth ? ` <span class="muted">(${esc(r.depth)})</span>` : ''}`;
      const undocumented = r.undocumented.length === 0 ? '<span class="muted">—</span>' : esc(r.undocumented.join(', '));
      return `<tr><td class="mono">${esc(r.operation)}</td><td>${r.requests}</td><td>${r.documentedSeen} of ${r.documented}</td><td>${undocumented}</td><td>${combinations}</td></tr>`;
    })
    .join('\n');
  return `<table class="coverage"><thead><tr><th>Operation</th><th>Requests</th><th>Documented statuses seen</th><th>Undocumented statuses seen</th><th>List combinations sent</th></tr></thead><tbody>${body}</tbody></table>`;
}

function coverageSection(coverage: RunResult['enumCoverage']): string {
  if (coverage.entries.length === 0) return '<p class="muted">No documented enum in the responses checked.</p>';
  const rows: string[] = [];
  let scope: string | undefined;
  for (const e of coverage.entries) {
    if (e.scope !== scope) {
      scope = e.scope;
      rows.push(`<tr class="scope"><th colspan="3" class="mono">${esc(scope)}</th></tr>`);
    }
    const percent = e.values.length === 0 ? 100 : Math.round((e.observed.length / e.values.length) * 100);
    const missing =
      e.missing.length === 0
        ? '<span class="done">all observed</span>'
        : `<div class="chips missing">${e.missing.map((v) => `<span class="chip mono">${esc(v)}</span>`).join('')}</div>`;
    rows.push(
      `<tr><td class="mono">${esc(e.pointer)}</td><td><div class="bar" title="${percent}%"><span style="width:${percent}%"></span></div><span class="bar-label">${e.observed.length} of ${e.values.length} observed</span></td><td>${missing}</td></tr>`,
    );
  }
  return `<p>${coverage.observed} of ${coverage.total} documented enum values observed (${coverage.percent}%).</p>
<table class="coverage"><colgroup><col style="width:40%"><col style="width:22%"><col></colgroup><thead><tr><th>Pointer</th><th>Observed</th><th>Missing values</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function gatesAndBaseline(report: RunResult): string {
  const parts: string[] = [];
  if (report.gates.length > 0) {
    parts.push(
      `<h3>Gates</h3><ul class="plain">${report.gates.map((g) => `<li><b>${esc(g.name)}</b>: ${g.passed ? '<span class="done">passed</span>' : '<span class="badge k-error">failed</span>'} ${esc(g.message)}</li>`).join('')}</ul>`,
    );
  }
  if (report.baseline) {
    const b = report.baseline;
    parts.push(
      `<h3>Baseline</h3><p>${plural(b.entries, 'known deviation')}${b.file ? ` from <code>${esc(b.file)}</code>` : ''}; ${plural(report.totals.baselined, 'failure')} matched.</p>`,
    );
    if (b.stale.length > 0) {
      parts.push(
        `<p>${b.stale.length} no longer occur: remove them (or run with <code>--update-baseline</code>).</p><ul class="plain">${b.stale.map((e) => `<li><code>${esc(e.check)}</code> › <code>${esc(e.operation)}</code>${e.match ? ` matching <code>${esc(e.match)}</code>` : ''}: ${esc(e.reason)}</li>`).join('')}</ul>`,
      );
    }
  }
  if (report.harnessErrors.length > 0) {
    parts.push(
      `<h3>Harness errors</h3><ul class="plain">${report.harnessErrors.map((e) => `<li><code>${esc(e.code)}</code>: ${esc(e.message)}</li>`).join('')}</ul>`,
    );
  }
  return parts.join('\n');
}

export function renderHtml(report: RunResult): string {
  const groups = checkGroups(report);
  const checkNames = [...new Set(groups.flatMap((g) => g.checks.map((c) => c.check)))];
  const findings = findingsOf(groups);
  // A matrix cell and an operation card link to the first open failure of their check.
  const firstFinding = new Map<CheckOutcome, Finding>();
  for (const finding of findings.slice(0, HTML_MAX_FINDINGS))
    if (!firstFinding.has(finding.outcome)) firstFinding.set(finding.outcome, finding);
  const extras = gatesAndBaseline(report);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(`${VERDICT_TEXT[report.verdict]} · ${report.tool.name} · ${report.target.baseUrl}`)}</title>
<style>${STYLE}</style>
</head>
<body>
${banner(report)}
<nav><div class="inner"><a href="#matrix">Matrix</a><a href="#operations">Operations</a><a href="#findings">Findings (${findings.length})</a><a href="#requests">Request coverage</a><a href="#coverage">Enum coverage</a>${extras ? '<a href="#gates">Gates &amp; baseline</a>' : ''}</div></nav>
<main>
<section id="matrix"><h2>Operations × checks</h2>${groups.length > 0 ? matrix(groups, checkNames, firstFinding) : '<p class="muted">No operation ran.</p>'}</section>
<section id="operations"><h2>Operations</h2><div class="ops">${groups.map((g, i) => operationCard(g, i, firstFinding)).join('\n')}</div></section>
<section id="findings"><h2>Findings</h2>${findingsSection(findings, checkNames)}</section>
<section id="requests"><h2>Request coverage</h2>${requestCoverageSection(report)}</section>
<section id="coverage"><h2>Enum coverage</h2>${coverageSection(report.enumCoverage)}</section>
${extras ? `<section id="gates"><h2>Gates, baseline and harness errors</h2>${extras}</section>` : ''}
</main>
<footer>Written by ${esc(report.tool.name)} ${esc(report.tool.version)}. Request and response excerpts were redacted when recorded; report.json holds the same data.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

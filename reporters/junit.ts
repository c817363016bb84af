/**
 * junit.xml for CI test views (Jenkins, GitLab, GitHub test reporters): one testsuite per
 * operation, one testcase per check. Valid against the Jenkins/Ant junit-10 schema.
 */
import { renderFailure } from '../src/checks/failure.js';
import type { CheckOutcome, Failure } from '../src/checks/types.js';
import { cutAtCharacter, secrets } from '../src/client/redact.js';
import type { RunResult } from '../src/engine/result.js';
import { checkGroups, showControlCharacters } from './groups.js';

export const JUNIT_REPORT_FILE = 'junit.xml';

/** Failures rendered per testcase, and their text, at most; report.json has them all. */
const MAX_RENDERED_PER_CASE = 50;
const MAX_CHARS_PER_CASE = 64_000;

/** Scrubbed before escaping: an escaped secret would no longer match the registry. */
function xmlText(text: string): string {
  return showControlCharacters(secrets.scrub(text)).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values: line breaks and tabs as references, or parsers fold them to spaces. */
function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function rendered(failures: Failure[]): string {
  const text = failures.slice(0, MAX_RENDERED_PER_CASE).map(renderFailure);
  if (failures.length > MAX_RENDERED_PER_CASE) text.push(`… and ${failures.length - MAX_RENDERED_PER_CASE} more in report.json`);
  // Scrubbed before cutting: a cut secret would no longer match the registry.
  const all = secrets.scrub(text.join('\n\n'));
  return all.length > MAX_CHARS_PER_CASE
    ? `${cutAtCharacter(all, MAX_CHARS_PER_CASE)}\n… (cut; report.json has every failure in full)`
    : all;
}

function testcase(outcome: CheckOutcome, classname: string): string {
  const open = outcome.failures.filter((f) => !f.baselined);
  const children: string[] = [];
  if (outcome.status === 'failed') {
    const message = open.length > 1 ? `${open[0].message} (and ${open.length - 1} more)` : (open[0]?.message ?? outcome.title);
    children.push(`<failure message="${xmlAttr(message)}" type="${xmlAttr(outcome.check)}">${xmlText(rendered(open))}</failure>`);
  } else if (outcome.status === 'error') {
    const first = outcome.errors[0];
    children.push(
      `<error message="${xmlAttr(first?.message ?? 'the check could not conclude')}" type="${xmlAttr(first?.code ?? 'CT_ERR_CHECK')}">${xmlText(outcome.errors.map((e) => `${e.probe}: ${e.code}: ${e.message}`).join('\n'))}</error>`,
    );
  } else if (outcome.status === 'skipped') {
    children.push(`<skipped message="${xmlAttr(outcome.skipReason ?? 'skipped')}"/>`);
  }
  // Findings that do not fail the check still belong in the record.
  const notes = [...outcome.warnings, ...outcome.failures.filter((f) => f.baselined)];
  if (notes.length > 0) children.push(`<system-out>${xmlText(rendered(notes))}</system-out>`);
  const start = `<testcase classname="${xmlAttr(classname)}" name="${xmlAttr(outcome.check)}" time="${seconds(outcome.durationMs)}"`;
  return children.length === 0 ? `    ${start}/>` : `    ${start}>\n      ${children.join('\n      ')}\n    </testcase>`;
}

function counts(checks: CheckOutcome[]) {
  const of = (status: CheckOutcome['status']) => checks.filter((c) => c.status === status).length;
  return { tests: checks.length, failures: of('failed'), errors: of('error'), skipped: of('skipped') };
}

export function renderJunit(report: RunResult): string {
  const groups = checkGroups(report);
  const suites: string[] = [];
  let totalMs = 0;
  for (const group of groups) {
    const c = counts(group.checks);
    // An operation's checks run inside its wall time; webhook outcomes have only their own.
    const ms = group.operation?.durationMs ?? group.checks.reduce((n, o) => n + o.durationMs, 0);
    totalMs += ms;
    const properties = group.operation
      ? [
          `      <property name="operationId" value="${xmlAttr(group.operation.operationId)}"/>`,
          `      <property name="documentedStatuses" value="${group.operation.documentedStatuses.join(' ')}"/>`,
          `      <property name="statusesSeen" value="${xmlAttr(
            Object.entries(group.operation.statusesSeen)
              .map(([status, n]) => `${status}x${n}`)
              .join(' '),
          )}"/>`,
          ...(group.operation.skipReason ? [`      <property name="skipReason" value="${xmlAttr(group.operation.skipReason)}"/>`] : []),
        ]
      : [];
    suites.push(
      [
        `  <testsuite name="${xmlAttr(group.name)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${seconds(ms)}" timestamp="${xmlAttr(report.run.startedAt)}">`,
        ...(properties.length > 0 ? ['    <properties>', ...properties, '    </properties>'] : []),
        ...group.checks.map((outcome) => testcase(outcome, group.name)),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  const all = counts(groups.flatMap((g) => g.checks));
  const name = `${report.tool.name} ${report.tool.version}: ${report.spec.title} ${report.spec.version} at ${report.target.baseUrl}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(name)}" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" time="${seconds(totalMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

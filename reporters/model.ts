/**
 * The run report: the one model every output format is rendered from, and the content of
 * report.json (versioned; schema in reporters/report.schema.json). Built from the engine's
 * operation reports, whether they came straight from the engine or from vitest task meta.
 */
import { readFileSync } from 'node:fs';
import type { CheckOutcome } from '../src/checks/types.js';
import type { EnumObservation } from '../src/checks/enum-coverage.js';
import { staleEntries, type BaselineEntry } from '../src/engine/baseline.js';
import type { OperationReport } from '../src/engine/operation-runner.js';
import { manifest } from '../src/spec/manifest.js';

export const REPORT_SCHEMA_VERSION = '1.0.0';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export interface RunInfo {
  baseUrl: string;
  embeddedMock: boolean;
  signing: boolean;
  startedAt: string;
  durationMs: number;
  minEnumCoverage: number;
  baseline?: { file?: string; entries: BaselineEntry[] };
  /** Errors of the harness that stopped part of the run (not findings). */
  harnessErrors?: { code: string; message: string }[];
}

export interface EnumCoverageEntry {
  scope: string;
  pointer: string;
  values: (string | number)[];
  observed: (string | number)[];
  missing: (string | number)[];
}

export interface WebhookResults {
  /** Deliveries replayed or received, and their findings, as outcomes per event type/check. */
  outcomes: CheckOutcome[];
}

export type Verdict = 'conformant' | 'violations' | 'unusable';

export interface RunReport {
  schemaVersion: string;
  tool: { name: string; version: string };
  spec: { title: string; version: string };
  target: { baseUrl: string; embeddedMock: boolean; signing: boolean };
  run: { startedAt: string; durationMs: number; node: string };
  verdict: Verdict;
  exitCode: 0 | 1 | 2;
  totals: {
    operations: number;
    checks: number;
    passed: number;
    failed: number;
    errors: number;
    skipped: number;
    failures: number;
    warnings: number;
    baselined: number;
    probes: number;
  };
  operations: (Omit<OperationReport, 'outcomes' | 'created'> & { checks: CheckOutcome[] })[];
  enumCoverage: { observed: number; total: number; percent: number; entries: EnumCoverageEntry[] };
  webhooks?: WebhookResults;
  gates: { name: string; passed: boolean; message: string }[];
  baseline?: { file?: string; entries: number; stale: BaselineEntry[] };
  harnessErrors: { code: string; message: string }[];
}

function coverageOf(operations: OperationReport[], webhooks: WebhookResults | undefined): RunReport['enumCoverage'] {
  const entries: EnumCoverageEntry[] = [];
  const outcomes = [...operations.flatMap((o) => o.outcomes), ...(webhooks?.outcomes ?? [])];
  for (const outcome of outcomes.filter((o) => o.check === 'enum-coverage')) {
    for (const e of (outcome.stats.enums as (EnumObservation & { scope?: string })[] | undefined) ?? []) {
      entries.push({
        scope: e.scope ?? `${outcome.operation} ${e.status}`,
        pointer: e.pointer,
        values: e.values,
        observed: e.observed,
        missing: e.values.filter((v) => !e.observed.includes(v)),
      });
    }
  }
  const total = entries.reduce((n, e) => n + e.values.length, 0);
  const observed = entries.reduce((n, e) => n + e.observed.length, 0);
  return { observed, total, percent: total === 0 ? 100 : Math.round((observed / total) * 1000) / 10, entries };
}

export function buildRunReport(operations: OperationReport[], info: RunInfo, webhooks?: WebhookResults): RunReport {
  const outcomes = [...operations.flatMap((o) => o.outcomes), ...(webhooks?.outcomes ?? [])];
  const failures = outcomes.flatMap((o) => o.failures);
  const enumCoverage = coverageOf(operations, webhooks);
  const gates: RunReport['gates'] = [];
  if (info.minEnumCoverage > 0) {
    const passed = enumCoverage.percent >= info.minEnumCoverage;
    gates.push({
      name: 'min-enum-coverage',
      passed,
      message: `${enumCoverage.observed} of ${enumCoverage.total} documented enum values observed (${enumCoverage.percent}%; required ${info.minEnumCoverage}%)`,
    });
  }
  const count = (status: CheckOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  const harnessErrors = info.harnessErrors ?? [];
  const violated = count('failed') > 0 || gates.some((g) => !g.passed);
  // Nothing checked is not conformance: it is a run that could not do its job.
  const unusable = harnessErrors.length > 0 || count('error') > 0 || count('passed') + count('failed') === 0;
  const verdict: Verdict = violated ? 'violations' : unusable ? 'unusable' : 'conformant';
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: pkg.name, version: pkg.version },
    spec: { title: manifest.spec.title, version: manifest.spec.version },
    target: { baseUrl: info.baseUrl, embeddedMock: info.embeddedMock, signing: info.signing },
    run: { startedAt: info.startedAt, durationMs: Math.round(info.durationMs), node: process.version },
    verdict,
    exitCode: verdict === 'conformant' ? 0 : verdict === 'violations' ? 1 : 2,
    totals: {
      operations: operations.length,
      checks: outcomes.length,
      passed: count('passed'),
      failed: count('failed'),
      errors: count('error'),
      skipped: count('skipped'),
      failures: failures.filter((f) => !f.baselined).length,
      warnings: outcomes.reduce((n, o) => n + o.warnings.length, 0),
      baselined: failures.filter((f) => f.baselined).length,
      probes: operations.reduce((n, o) => n + o.probes, 0),
    },
    operations: operations.map(({ outcomes: checks, created: _created, ...rest }) => ({ ...rest, checks })),
    enumCoverage,
    ...(webhooks ? { webhooks } : {}),
    gates,
    ...(info.baseline
      ? { baseline: { file: info.baseline.file, entries: info.baseline.entries.length, stale: staleEntries(info.baseline, outcomes) } }
      : {}),
    harnessErrors,
  };
}

/**
 * The one typed result of a run: what the engine returns, what every reporter renders and what
 * report.json holds (versioned; schema in reporters/report.schema.json). The exit code is
 * derived from it in one function, `exitCodeOf`.
 */
import { readFileSync } from 'node:fs';
import { coveragePercent } from '../checks/enum-tally.js';
import type { CheckOutcome, EnumObservation } from '../checks/types.js';
import type { SpecView } from '../spec/spec-view.js';
import { applyBaseline, staleEntries, type Baseline, type BaselineEntry } from './baseline.js';
import { CHECK_CRASH } from './outcome.js';

/** A report writer or event handler of the tool failed: the run's record is incomplete. */
export const REPORTER_ERROR = 'CT_ERR_REPORTER';

export const REPORT_SCHEMA_VERSION = '1.2.0';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

/** What a run did to one operation. */
export interface OperationResult {
  operation: string;
  operationId: string;
  method: string;
  path: string;
  documentedStatuses: number[];
  /** Status → count, over this operation's own responses (not other methods' probes). */
  statusesSeen: Record<string, number>;
  outcomes: CheckOutcome[];
  probes: number;
  durationMs: number;
  /** When the whole operation could not run (no account configured, not selected, …). */
  skipReason?: string;
  /** Ids of resources the operation created (2xx responses of its own probes). */
  created: string[];
}

export interface RunInfo {
  baseUrl: string;
  embeddedMock: boolean;
  signing: boolean;
  /** The key's algorithm and what signed with it, when signing is on. */
  signer?: string;
  startedAt: string;
  durationMs: number;
  minEnumCoverage: number;
  /** What fails the gate (default error). */
  failOn?: 'error' | 'warning';
  baseline?: { file?: string; entries: BaselineEntry[] };
  /** The digest of the probe plan (ConformanceRun.plan). */
  planDigest?: string;
  /** The digest of the probes sent (operation and probe id, sorted). */
  probeDigest?: string;
  /** Errors of the harness that stopped part of the run (not findings). */
  harnessErrors?: { code: string; message: string }[];
  stopped?: { code: string; message: string; hint?: string };
}

export interface EnumCoverageEntry {
  scope: string;
  pointer: string;
  values: (string | number)[];
  observed: (string | number)[];
  missing: (string | number)[];
}

export interface WebhookResults {
  /** Deliveries replayed or received, and their findings, as outcomes per check. */
  outcomes: CheckOutcome[];
}

/**
 * conformant: every selected check passed; violations: a check or a gate failed; unusable:
 * the target could not be used, or nothing was checked; incomplete: the tool itself failed
 * (a check or a reporter threw), so no verdict can be trusted.
 */
export type Verdict = 'conformant' | 'violations' | 'unusable' | 'incomplete';

export type OperationSummary = Omit<OperationResult, 'outcomes' | 'created'> & { checks: CheckOutcome[] };

export interface RunResult {
  schemaVersion: string;
  tool: { name: string; version: string };
  spec: { title: string; version: string };
  target: { baseUrl: string; embeddedMock: boolean; signing: boolean; signer?: string };
  run: { startedAt: string; durationMs: number; node: string; planDigest?: string; probeDigest?: string };
  verdict: Verdict;
  exitCode: 0 | 1 | 2;
  /** The gate's policy: what fails it. */
  policy: { failOn: 'error' | 'warning'; minEnumCoverage: number };
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
  operations: OperationSummary[];
  enumCoverage: { observed: number; total: number; percent: number; entries: EnumCoverageEntry[] };
  webhooks?: WebhookResults;
  gates: { name: string; passed: boolean; message: string }[];
  baseline?: { file?: string; entries: number; stale: BaselineEntry[] };
  harnessErrors: { code: string; message: string }[];
  /** Set when the run stopped before any check: why, and what to do (the checks are skipped with the reason). */
  stopped?: { code: string; message: string; hint?: string };
}

/** Every outcome of a result: the operations' and the webhooks'. */
export function outcomesOfResult(result: Pick<RunResult, 'operations' | 'webhooks'>): CheckOutcome[] {
  return [...result.operations.flatMap((o) => o.checks), ...(result.webhooks?.outcomes ?? [])];
}

/** Enum coverage over what every check observed: the one computation of it. */
export function enumCoverageOf(outcomes: CheckOutcome[]): RunResult['enumCoverage'] {
  const entries: EnumCoverageEntry[] = outcomes
    .flatMap((o) => o.enums ?? [])
    .map((e: EnumObservation) => ({ ...e, missing: e.values.filter((v) => !e.observed.includes(v)) }));
  return { ...coveragePercent(entries), entries };
}

/** The verdict of a result from its outcomes, gates and harness errors. */
export function verdictOf(result: Pick<RunResult, 'operations' | 'webhooks' | 'gates' | 'harnessErrors'>): Verdict {
  const outcomes = outcomesOfResult(result);
  const count = (status: CheckOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  const crashed = outcomes.some((o) => o.errors.some((e) => e.code === CHECK_CRASH));
  if (crashed || result.harnessErrors.some((e) => e.code === REPORTER_ERROR || e.code === CHECK_CRASH)) return 'incomplete';
  if (count('failed') > 0 || result.gates.some((g) => !g.passed)) return 'violations';
  // Nothing checked is not conformance: it is a run that could not do its job.
  if (result.harnessErrors.length > 0 || count('error') > 0 || count('passed') + count('failed') === 0) return 'unusable';
  return 'conformant';
}

/** The exit code of a verdict: 0 conformant, 1 violations, 2 anything that is not a verdict on the target. */
export function exitCodeOf(verdict: Verdict): 0 | 1 | 2 {
  return verdict === 'conformant' ? 0 : verdict === 'violations' ? 1 : 2;
}

/** Totals, verdict and exit code recomputed from the parts (after a baseline or a reporter changed them). */
export function finalize(input: RunResult): RunResult {
  const outcomes = outcomesOfResult(input);
  const failures = outcomes.flatMap((o) => o.failures);
  const openWarnings = outcomes.reduce((n, o) => n + o.warnings.filter((w) => !w.baselined).length, 0);
  const count = (status: CheckOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  const result = { ...input, gates: gatesOf(input.policy, input.enumCoverage, openWarnings) };
  const verdict = verdictOf(result);
  return {
    ...result,
    verdict,
    exitCode: exitCodeOf(verdict),
    totals: {
      operations: result.operations.length,
      checks: outcomes.length,
      passed: count('passed'),
      failed: count('failed'),
      errors: count('error'),
      skipped: count('skipped'),
      failures: failures.filter((f) => !f.baselined).length,
      warnings: openWarnings,
      baselined: failures.filter((f) => f.baselined).length,
      probes: result.operations.reduce((n, o) => n + o.probes, 0) + (result.webhooks?.outcomes ?? []).reduce((n, o) => n + o.probes, 0),
    },
  };
}

/** The gates of the policy: what fails the run besides failed checks. */
function gatesOf(policy: RunResult['policy'], enumCoverage: RunResult['enumCoverage'], openWarnings: number): RunResult['gates'] {
  const gates: RunResult['gates'] = [];
  if (policy.minEnumCoverage > 0) {
    gates.push({
      name: 'min-enum-coverage',
      passed: enumCoverage.percent >= policy.minEnumCoverage,
      message:
        `${enumCoverage.observed} of ${enumCoverage.total} documented enum values observed ` +
        `(${enumCoverage.percent}%; required ${policy.minEnumCoverage}%)`,
    });
  }
  gates.push(
    policy.failOn === 'warning'
      ? {
          name: 'fail-on',
          passed: openWarnings === 0,
          message: `--fail-on warning: warnings fail the gate too; ${openWarnings} open warning(s)`,
        }
      : {
          name: 'fail-on',
          passed: true,
          message: `--fail-on error: documented requirements fail the gate; ${openWarnings} warning(s) (conventions) do not`,
        },
  );
  return gates;
}

export function buildRunResult(spec: SpecView, operations: OperationResult[], info: RunInfo, webhooks?: WebhookResults): RunResult {
  const outcomes = [...operations.flatMap((o) => o.outcomes), ...(webhooks?.outcomes ?? [])];
  const enumCoverage = enumCoverageOf(outcomes);
  return finalize({
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: pkg.name, version: pkg.version },
    spec: { title: spec.manifest.spec.title, version: spec.manifest.spec.version },
    target: {
      baseUrl: info.baseUrl,
      embeddedMock: info.embeddedMock,
      signing: info.signing,
      ...(info.signer ? { signer: info.signer } : {}),
    },
    run: {
      startedAt: info.startedAt,
      durationMs: Math.round(info.durationMs),
      node: process.version,
      ...(info.planDigest ? { planDigest: info.planDigest } : {}),
      ...(info.probeDigest ? { probeDigest: info.probeDigest } : {}),
    },
    verdict: 'conformant',
    exitCode: 0,
    policy: { failOn: info.failOn ?? 'error', minEnumCoverage: info.minEnumCoverage },
    totals: { operations: 0, checks: 0, passed: 0, failed: 0, errors: 0, skipped: 0, failures: 0, warnings: 0, baselined: 0, probes: 0 },
    operations: operations.map(({ outcomes: checks, created: _created, ...rest }) => ({ ...rest, checks })),
    enumCoverage,
    ...(webhooks ? { webhooks } : {}),
    gates: [],
    ...(info.baseline
      ? { baseline: { file: info.baseline.file, entries: info.baseline.entries.length, stale: staleEntries(info.baseline, outcomes) } }
      : {}),
    harnessErrors: [...(info.stopped ? [{ code: info.stopped.code, message: info.stopped.message }] : []), ...(info.harnessErrors ?? [])],
    ...(info.stopped ? { stopped: info.stopped } : {}),
  });
}

/** A result with the baseline applied to every outcome, totals and verdict recomputed. */
export function applyBaselineToResult(result: RunResult, baseline: Baseline): RunResult {
  return finalize({
    ...result,
    operations: result.operations.map((o) => ({ ...o, checks: o.checks.map((c) => applyBaseline(c, baseline)) })),
    ...(result.webhooks ? { webhooks: { outcomes: result.webhooks.outcomes.map((c) => applyBaseline(c, baseline)) } } : {}),
  });
}

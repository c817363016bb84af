/**
 * The run's one result: the verdict of every combination of outcomes, gates and harness errors,
 * the exit code of each verdict, the totals, enum coverage and the --min-enum-coverage gate.
 */
import { describe, expect, test } from 'vitest';
import type { CheckOutcome } from '../../src/checks/types.js';
import {
  REPORTER_ERROR,
  buildRunResult,
  enumCoverageOf,
  exitCodeOf,
  finalize,
  type OperationResult,
  type OperationSummary,
  type RunInfo,
  type RunResult,
  type Verdict,
  verdictOf,
} from '../../src/engine/result.js';
import { applyBaseline } from '../../src/engine/baseline.js';
import { MANIFEST_SPEC as SPEC } from '../helpers/manifest-spec.js';
import { CURRENT, crash, failure, LIST, outcome, transportError, warning } from '../helpers/outcomes.js';

const passed = outcome('auth', LIST);
const failed = outcome('pagination-meta', LIST, { failures: [failure()] });
const errored = outcome('ordering', LIST, { errors: [transportError] });
const skipped = outcome('date-filter', LIST, { skipReason: 'no dates' });
const crashed = outcome('content-type', LIST, { errors: [crash] });

function summary(checks: CheckOutcome[], over: Partial<OperationSummary> = {}): OperationSummary {
  return {
    operation: LIST,
    operationId: 'listAccountValuations',
    method: 'GET',
    path: '/accounts/{account_id}/valuations',
    documentedStatuses: [200],
    statusesSeen: {},
    checks,
    probes: 0,
    durationMs: 0,
    ...over,
  };
}

type Parts = Pick<RunResult, 'operations' | 'webhooks' | 'gates' | 'harnessErrors'>;
const parts = (checks: CheckOutcome[], extra: Partial<Parts> = {}): Parts => ({
  operations: [summary(checks)],
  gates: [],
  harnessErrors: [],
  ...extra,
});
const failedGate = { name: 'min-enum-coverage', passed: false, message: 'low' };
const passedGate = { name: 'min-enum-coverage', passed: true, message: 'fine' };

describe('verdictOf', () => {
  const CASES: [string, Parts, Verdict][] = [
    ['every check passed', parts([passed, skipped]), 'conformant'],
    ['every check passed and the gate passed', parts([passed], { gates: [passedGate] }), 'conformant'],
    [
      'a baselined failure only',
      parts([applyBaseline(failed, { entries: [{ check: 'pagination-meta', operation: '*', reason: 'r' }] })]),
      'conformant',
    ],
    ['a check failed', parts([passed, failed]), 'violations'],
    [
      'a webhook check failed',
      parts([passed], { webhooks: { outcomes: [outcome('webhook-events', 'webhooks', { failures: [failure()] })] } }),
      'violations',
    ],
    ['a gate failed, every check passed', parts([passed], { gates: [failedGate] }), 'violations'],
    ['a check failed and another could not be checked', parts([failed, errored]), 'violations'],
    ['a check could not be checked', parts([passed, errored]), 'unusable'],
    ['a harness error of the target', parts([passed], { harnessErrors: [{ code: 'CT_ERR_DEADLINE', message: 'deadline' }] }), 'unusable'],
    ['nothing checked: every check skipped', parts([skipped]), 'unusable'],
    ['nothing checked: no outcome at all', parts([]), 'unusable'],
    ['a check crashed', parts([passed, crashed]), 'incomplete'],
    ['a check crashed and another failed', parts([failed, crashed], { gates: [failedGate] }), 'incomplete'],
    [
      'a webhook check crashed',
      parts([passed], { webhooks: { outcomes: [outcome('webhook-events', 'webhooks', { errors: [crash] })] } }),
      'incomplete',
    ],
    [
      'a reporter or event handler failed',
      parts([failed], { harnessErrors: [{ code: REPORTER_ERROR, message: 'a handler failed' }] }),
      'incomplete',
    ],
    [
      'a crash recorded as a harness error',
      parts([passed], { harnessErrors: [{ code: 'CT_ERR_CHECK_CRASH', message: 'boom' }] }),
      'incomplete',
    ],
  ];
  test.for(CASES)('%s → %s', ([, given, want]) => {
    expect(verdictOf(given)).toBe(want);
  });
});

describe('exitCodeOf', () => {
  test.for([
    ['conformant', 0],
    ['violations', 1],
    ['unusable', 2],
    ['incomplete', 2],
  ] as const)('%s → %i', ([verdict, code]) => {
    expect(exitCodeOf(verdict)).toBe(code);
  });
});

const INFO: RunInfo = {
  baseUrl: 'https://target.example',
  embeddedMock: false,
  signing: true,
  startedAt: '2025-01-01T00:00:00.000Z',
  durationMs: 1234.4,
  minEnumCoverage: 0,
};

function operationResult(outcomes: CheckOutcome[], over: Partial<OperationResult> = {}): OperationResult {
  const { checks: _checks, ...rest } = summary([]);
  return { ...rest, outcomes, created: [], ...over };
}

describe('finalize', () => {
  test('totals count every outcome of operations and webhooks; the verdict and exit code follow the parts', () => {
    const baselined = applyBaseline(outcome('auth', CURRENT, { failures: [failure({ check: 'auth', operation: CURRENT })] }), {
      entries: [{ check: 'auth', operation: '*', reason: 'r' }],
    });
    const stale = buildRunResult(SPEC, [operationResult([passed])], INFO);
    const result = finalize({
      ...stale,
      operations: [
        summary([passed, failed, errored, skipped], { probes: 7 }),
        summary([baselined, outcome('ordering', CURRENT, { warnings: [warning(), warning()] })], { operation: CURRENT, probes: 5 }),
      ],
      webhooks: { outcomes: [outcome('webhook-events', 'webhooks', { probes: 4, failures: [failure(), failure()] })] },
    });
    expect(result.totals).toStrictEqual({
      operations: 2,
      checks: 7,
      passed: 3,
      failed: 2,
      errors: 1,
      skipped: 1,
      failures: 3,
      warnings: 2,
      baselined: 1,
      probes: 16,
    });
    expect([stale.verdict, result.verdict, result.exitCode]).toStrictEqual(['conformant', 'violations', 1]);
  });
});

describe('enumCoverageOf', () => {
  test("every check's observations, with what is missing; the percent over every documented value", () => {
    const outcomes = [
      outcome('enum-coverage', LIST, {
        enums: [{ scope: `${LIST} 200`, pointer: '/data/*/status', values: ['A', 'B', 'C'], observed: ['B'] }],
      }),
      outcome('webhook-events', 'webhooks', { enums: [{ scope: 'webhook w', pointer: '/type', values: ['X'], observed: ['X'] }] }),
      passed,
    ];
    expect(enumCoverageOf(outcomes)).toStrictEqual({
      observed: 2,
      total: 4,
      percent: 50,
      entries: [
        { scope: `${LIST} 200`, pointer: '/data/*/status', values: ['A', 'B', 'C'], observed: ['B'], missing: ['A', 'C'] },
        { scope: 'webhook w', pointer: '/type', values: ['X'], observed: ['X'], missing: [] },
      ],
    });
  });
});

describe('buildRunResult', () => {
  const observing = (observed: string[]) =>
    outcome('enum-coverage', LIST, { enums: [{ scope: `${LIST} 200`, pointer: '/p', values: ['A', 'B', 'C', 'D'], observed }] });

  test.for([
    ['no minimum: no gate', 0, ['A'], []],
    [
      'coverage at the minimum: the gate passes',
      50,
      ['A', 'B'],
      [{ name: 'min-enum-coverage', passed: true, message: '2 of 4 documented enum values observed (50%; required 50%)' }],
    ],
    [
      'coverage below the minimum: the gate fails',
      50,
      ['A'],
      [{ name: 'min-enum-coverage', passed: false, message: '1 of 4 documented enum values observed (25%; required 50%)' }],
    ],
  ] as const)('%s', ([, minEnumCoverage, observed, gates]) => {
    const result = buildRunResult(SPEC, [operationResult([passed, observing([...observed])])], { ...INFO, minEnumCoverage });
    // The fail-on gate is always there (it says what fails the gate); the coverage gate only with a minimum.
    expect(result.gates.filter((g) => g.name !== 'fail-on')).toStrictEqual(gates);
    expect(result.gates.at(-1)).toMatchObject({ name: 'fail-on', passed: true });
    expect(result.verdict).toBe(gates.some((g) => !g.passed) ? 'violations' : 'conformant');
  });

  test('the result: tool, spec, target and run; operations without created ids; the baseline with its stale entries', () => {
    const entries = [
      { check: 'pagination-meta', operation: '*', reason: 'known' },
      { check: 'ordering', operation: '*', reason: 'fixed long ago' },
    ];
    const result = buildRunResult(SPEC, [operationResult([applyBaseline(failed, { entries })], { created: ['id-1'] })], {
      ...INFO,
      planDigest: 'abc',
      baseline: { file: 'b.json', entries },
    });
    expect(result).toMatchObject({
      schemaVersion: '1.2.0',
      tool: { name: 'upvest-conformance' },
      spec: { title: SPEC.manifest.spec.title, version: SPEC.manifest.spec.version },
      target: { baseUrl: 'https://target.example', embeddedMock: false, signing: true },
      run: { startedAt: INFO.startedAt, durationMs: 1234, node: process.version, planDigest: 'abc' },
      verdict: 'conformant',
      exitCode: 0,
      baseline: { file: 'b.json', entries: 2, stale: [entries[1]] },
      harnessErrors: [],
    });
    expect(result.operations[0]).not.toHaveProperty('created');
    expect(result.operations[0].checks).toHaveLength(1);
    expect(result).not.toHaveProperty('webhooks');
  });
});

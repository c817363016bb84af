/**
 * enum-coverage: what is seen at each documented response enum is recorded (only documented values,
 * only at the status and content type the enum belongs to); below --min-enum-coverage it fails.
 */
import { describe, expect, test } from 'vitest';
import { enumCoverage } from '../../src/checks/enum-coverage.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { environment, result, runCheck, type FakeResponse } from '../helpers/check-harness.js';
import { at, expectFindings, LIST_ORDERS, ORDERS_PATH, TRIGGER, type WantFinding } from './fixtures.js';

// The orders list documents 15 values: meta/order 2, meta/sort 1, data/*/status 4, data/*/cancellation_reason 8.
const page = (meta: Record<string, unknown>, ...data: Record<string, unknown>[]) => ({
  meta: { offset: 0, limit: 10, count: data.length, total_count: data.length, ...meta },
  data,
});

interface Case {
  name: string;
  given: FakeResponse[];
  min?: number;
  coverage: { observed: number; total: number; percent: number };
  want: WantFinding[];
}

// One body value answered twice (ResponseBodies shares identical bytes): what did not count under
// one status still counts under the one its enums belong to.
const SHARED = page({ order: 'ASC', sort: 'status' }, { status: 'NEW' });

const cases: Case[] = [
  { name: 'nothing observed: 0 of 15', given: [], coverage: { observed: 0, total: 15, percent: 0 }, want: [] },
  {
    name: 'documented values are counted once each',
    given: [{ status: 200, json: page({ order: 'ASC', sort: 'status' }, { status: 'NEW' }, { status: 'NEW' }, { status: 'FILLED' }) }],
    coverage: { observed: 4, total: 15, percent: 26.7 },
    want: [],
  },
  {
    name: 'values outside the enum are not coverage (they are response-schema’s)',
    given: [{ status: 200, json: page({ order: 'UP', sort: 'price' }, { status: 'LOST' }) }],
    coverage: { observed: 0, total: 15, percent: 0 },
    want: [],
  },
  {
    name: 'a body of another status does not count toward the 200 enums, whatever its content type',
    given: [
      { status: 400, json: page({ order: 'ASC', sort: 'status' }, { status: 'NEW' }), headers: { 'content-type': 'application/json' } },
    ],
    coverage: { observed: 0, total: 15, percent: 0 },
    want: [],
  },
  {
    name: 'one shared body value, first under 400, then under 200: it counts once, at 200',
    given: [
      { status: 400, json: SHARED },
      { status: 200, json: SHARED },
      { status: 200, json: SHARED },
    ],
    coverage: { observed: 3, total: 15, percent: 20 },
    want: [],
  },
  {
    name: 'a body served as another content type does not count',
    given: [{ status: 200, json: page({ order: 'ASC', sort: 'status' }), headers: { 'content-type': 'text/plain' } }],
    coverage: { observed: 0, total: 15, percent: 0 },
    want: [],
  },
  {
    name: 'below --min-enum-coverage fails, naming what is missing',
    given: [{ status: 200, json: page({ order: 'ASC', sort: 'status' }, { status: 'NEW' }) }],
    min: 50,
    coverage: { observed: 3, total: 15, percent: 20 },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'only 3 of 15 documented enum values were observed',
        expected: 'at least 50% (--min-enum-coverage)',
        at: at(ORDERS_PATH, 'get', 'responses', '200'),
      },
    ],
  },
  {
    name: 'at the threshold it passes',
    given: [{ status: 200, json: page({ order: 'ASC', sort: 'status' }, { status: 'NEW' }) }],
    min: 20,
    coverage: { observed: 3, total: 15, percent: 20 },
    want: [],
  },
];

describe('enum-coverage', () => {
  test.for(cases)('$name', async ({ given, min, coverage, want }) => {
    const run = await runCheck(enumCoverage, LIST_ORDERS, {
      observed: given.map((g) => result(g)),
      env: environment({ minEnumCoverage: min ?? 0 }),
    });
    expectFindings(run, want);
    expect(run.stats.coverage).toEqual(coverage);
    expect(run.enums?.reduce((n, e) => n + e.observed.length, 0)).toBe(coverage.observed);
  });

  test('the observations say which values were seen at which pointer', async () => {
    const run = await runCheck(enumCoverage, LIST_ORDERS, {
      observed: [result({ status: 200, json: page({ order: 'ASC' }, { status: 'NEW' }) })],
    });
    expect(run.enums?.find((e) => e.pointer === '/data/*/status')).toMatchObject({
      scope: 'GET /portfolios/rebalancings/executions/{execution_id}/orders 200',
      observed: ['NEW'],
    });
  });

  test('the missing values are listed, six at most', async () => {
    const run = await runCheck(enumCoverage, LIST_ORDERS, { env: environment({ minEnumCoverage: 50 }) });
    expect(run.failures[0].received).toMatch(/^0\.0% \(missing \/meta\/order=ASC, .*, …\)$/);
  });

  test.for([
    { operation: LIST_ORDERS, applies: true },
    { operation: TRIGGER, applies: 'no enum in the responses' },
  ])('applies to $operation: $applies', ({ operation, applies }) => {
    expect(enumCoverage.appliesTo({ operation: SPEC.operation(operation), env: environment(), spec: SPEC })).toBe(applies);
  });
});

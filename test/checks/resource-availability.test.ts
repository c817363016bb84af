/**
 * resource-availability: a created resource and its sub-resources can be read back at once
 * (read-after-write: a convention, the pages say nothing of how soon), and what the readers
 * return names the created resource (x-resource-identity: documented).
 */
import { describe, expect, test } from 'vitest';
import { resourceAvailability } from '../../src/checks/resource-availability.js';
import type { Probe } from '../../src/checks/types.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { EXECUTION, environment, type FakeResponse, runCheck } from '../helpers/check-harness.js';
import {
  at,
  EXECUTION_PATH,
  expectFindings,
  LIST_VALUATIONS,
  ORDERS_PATH,
  OTHER_ACCOUNT,
  RETRIEVE_EXECUTION,
  TRIGGER,
  type WantFinding,
} from './fixtures.js';

interface Answers {
  create?: FakeResponse;
  execution?: FakeResponse;
  orders?: FakeResponse;
}

const orders = (...data: Record<string, unknown>[]): FakeResponse => ({
  status: 200,
  json: { meta: { offset: 0, limit: 100, count: data.length, total_count: data.length }, data },
});
const CORRECT: Required<Answers> = {
  create: { status: 200, json: { id: EXECUTION } },
  execution: { status: 200, json: { id: EXECUTION } },
  orders: orders({ execution_id: EXECUTION }, { execution_id: EXECUTION }),
};
const answer =
  (answers: Answers) =>
  (probe: Probe): FakeResponse => {
    const all = { ...CORRECT, ...answers };
    if (probe.request.method === 'POST') return all.create;
    return probe.request.path.endsWith('/orders') ? all.orders : all.execution;
  };

const cases: { name: string; answers: Answers; want: WantFinding[]; skipped?: string }[] = [
  { name: 'a resource readable at once, with its orders, passes', answers: {}, want: [] },
  {
    name: 'ids are compared without case, as resource-identity does (regression: an upper-case id failed)',
    answers: {
      execution: { status: 200, json: { id: EXECUTION.toUpperCase() } },
      orders: orders({ execution_id: EXECUTION.toUpperCase() }),
    },
    want: [],
  },
  {
    name: 'a created resource that cannot be read back warns',
    answers: { execution: { status: 404, json: { type: 'not_found', status: 404 } } },
    want: [
      {
        severity: 'warning',
        basis: 'convention',
        message: 'GET /portfolios/rebalancings/executions/{execution_id} of the resource just created was answered 404',
        received: '404',
        probe: `avail:${RETRIEVE_EXECUTION}`,
      },
    ],
  },
  {
    name: 'a reader that returns another resource fails at its pointer',
    answers: { execution: { status: 200, json: { id: OTHER_ACCOUNT } } },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'GET /portfolios/rebalancings/executions/{execution_id} of the created resource returns another resource',
        pointer: '/id',
        received: `"${OTHER_ACCOUNT}"`,
        at: at(EXECUTION_PATH, 'get', 'x-resource-identity'),
      },
    ],
  },
  {
    name: 'an order of another execution fails at its pointer',
    answers: { orders: orders({ execution_id: EXECUTION }, { execution_id: 'someone-else' }) },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: '/orders of the created resource returns another resource',
        pointer: '/data/1/execution_id',
        at: at(ORDERS_PATH, 'get', 'x-resource-identity'),
      },
    ],
  },
  { name: 'an order without execution_id is response-schema’s finding', answers: { orders: orders({ status: 'NEW' }) }, want: [] },
  {
    name: 'a create that fails leaves nothing to read: skipped',
    answers: { create: { status: 400, json: { type: 'bad_request', status: 400 } } },
    want: [],
    skipped: 'the create request was answered 400; nothing to read back',
  },
  {
    name: 'a create without an id leaves nothing to read: skipped',
    answers: { create: { status: 200, json: {} } },
    want: [],
    skipped: 'the create request was answered 200; nothing to read back',
  },
];

describe('resource-availability', () => {
  test.for(cases)('$name', async ({ answers, want, skipped }) => {
    const run = await runCheck(resourceAvailability, TRIGGER, { answer: answer(answers) });
    expectFindings(run, want);
    expect(run.skipped).toBe(skipped);
  });

  test('reads every reader of the created id, as another operation (foreign)', async () => {
    const run = await runCheck(resourceAvailability, TRIGGER, { answer: answer({}) });
    expect(run.probes.map((p) => [p.id, p.kind, p.request.method, p.request.path, p.pathParams])).toEqual([
      ['avail:create', 'variant', 'POST', '/portfolios/rebalancings/executions', {}],
      [
        'avail:retrievePortfolioRebalancingExecution',
        'foreign',
        'GET',
        `/portfolios/rebalancings/executions/${EXECUTION}`,
        { execution_id: EXECUTION },
      ],
      [
        'avail:listPortfolioRebalancingExecutionOrders',
        'foreign',
        'GET',
        `/portfolios/rebalancings/executions/${EXECUTION}/orders`,
        { execution_id: EXECUTION },
      ],
    ]);
  });

  test.for([
    { operation: TRIGGER, applies: true },
    { operation: LIST_VALUATIONS, applies: 'the operation creates nothing readable' },
  ])('applies to $operation: $applies', ({ operation, applies }) => {
    expect(resourceAvailability.appliesTo({ operation: SPEC.operation(operation), env: environment(), spec: SPEC })).toBe(applies);
  });
});

/**
 * request-reflection: the resource a trigger created shows what it was asked for (x-reflects): the
 * execution lists the same accounts; each order is for one of them. Compared without case.
 */
import { describe, expect, test } from 'vitest';
import { requestReflection } from '../../src/checks/request-reflection.js';
import type { Probe } from '../../src/checks/types.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { ACCOUNT, EXECUTION, environment, type FakeResponse, runCheck } from '../helpers/check-harness.js';
import { at, EXECUTIONS_PATH, expectFindings, LIST_VALUATIONS, OTHER_ACCOUNT, TRIGGER, type WantFinding } from './fixtures.js';

interface Answers {
  create?: FakeResponse;
  execution?: FakeResponse;
  orders?: FakeResponse;
}
const orders = (...accounts: string[]): FakeResponse => ({
  status: 200,
  json: {
    meta: { offset: 0, limit: 100, count: accounts.length, total_count: accounts.length },
    data: accounts.map((account_id) => ({ account_id })),
  },
});
const execution = (accounts?: string[]): FakeResponse => ({ status: 200, json: { id: EXECUTION, ...(accounts ? { accounts } : {}) } });
const answer =
  (answers: Answers) =>
  (probe: Probe): FakeResponse => {
    const all = { create: { status: 200, json: { id: EXECUTION } }, execution: execution([ACCOUNT]), orders: orders(ACCOUNT), ...answers };
    if (probe.request.method === 'POST') return all.create;
    return probe.request.path.endsWith('/orders') ? all.orders : all.execution;
  };

const REFLECTS = at(EXECUTIONS_PATH, 'post', 'x-reflects');
const cases: { name: string; answers: Answers; accounts?: string[]; want: WantFinding[]; skipped?: string }[] = [
  { name: 'an execution of the accounts asked for, with their orders, passes', answers: {}, want: [] },
  {
    name: 'ids compare without case',
    answers: { execution: execution([ACCOUNT.toUpperCase()]), orders: orders(ACCOUNT.toUpperCase()) },
    want: [],
  },
  { name: 'a reader that does not show the field is not judged', answers: { execution: execution(), orders: orders() }, want: [] },
  {
    name: 'an execution of other accounts fails',
    answers: { execution: execution([OTHER_ACCOUNT]) },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'of the resource just created: /accounts is not what the request asked for (1 missing, 1 other)',
        received: `"${OTHER_ACCOUNT}"`,
        expected: `"${ACCOUNT}" (/accounts of the request)`,
        at: REFLECTS,
        probe: 'reflect:retrievePortfolioRebalancingExecution',
      },
    ],
  },
  {
    name: 'an execution with an account more than asked fails (the same set)',
    answers: { execution: execution([ACCOUNT, OTHER_ACCOUNT]) },
    want: [{ severity: 'error', basis: 'documented', message: '(0 missing, 1 other)', received: `"${ACCOUNT}", "${OTHER_ACCOUNT}"` }],
  },
  {
    name: 'the same accounts in another order are the same set (regression: compared as one joined string)',
    accounts: [ACCOUNT, OTHER_ACCOUNT],
    answers: { execution: execution([OTHER_ACCOUNT, ACCOUNT]), orders: orders(OTHER_ACCOUNT, ACCOUNT) },
    want: [],
  },
  {
    name: 'of two accounts asked, one shown, fails',
    accounts: [ACCOUNT, OTHER_ACCOUNT],
    answers: { execution: execution([ACCOUNT]) },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: '(1 missing, 0 other)',
        expected: `"${ACCOUNT}", "${OTHER_ACCOUNT}" (/accounts of the request)`,
      },
    ],
  },
  {
    name: 'an order for an account not asked for fails',
    answers: { orders: orders(ACCOUNT, OTHER_ACCOUNT) },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: '/data/*/account_id holds a value the request did not ask for',
        received: `"${OTHER_ACCOUNT}"`,
        probe: 'reflect:listPortfolioRebalancingExecutionOrders',
      },
    ],
  },
  {
    name: 'orders for only some of the accounts pass (each is a member)',
    answers: { execution: execution([ACCOUNT]), orders: orders() },
    want: [],
  },
  {
    name: 'a reader that cannot read it is resource-availability’s, whatever its error body holds',
    answers: {
      execution: { status: 404, json: { accounts: [OTHER_ACCOUNT] } },
      orders: { status: 404, json: { data: [{ account_id: OTHER_ACCOUNT }] } },
    },
    want: [],
  },
  {
    name: 'a create that fails: skipped',
    answers: { create: { status: 403, json: {} } },
    want: [],
    skipped: 'the create request was answered 403; nothing to read back',
  },
];

describe('request-reflection', () => {
  test.for(cases)('$name', async ({ answers, accounts, want, skipped }) => {
    const env = environment(accounts ? { requestBody: { accounts } } : {});
    const run = await runCheck(requestReflection, TRIGGER, { answer: answer(answers), env });
    expectFindings(run, want);
    expect(run.skipped).toBe(skipped);
  });

  test.for([
    { operation: TRIGGER, applies: true },
    { operation: LIST_VALUATIONS, applies: 'the spec ties nothing it creates to its request' },
  ])('applies to $operation: $applies', ({ operation, applies }) => {
    expect(requestReflection.appliesTo({ operation: SPEC.operation(operation), env: environment(), spec: SPEC })).toBe(applies);
  });
});

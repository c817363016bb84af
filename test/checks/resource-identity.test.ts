/** resource-identity: a response belongs to the resource its path names (x-resource-identity). */
import { describe, expect, test } from 'vitest';
import { resourceIdentity } from '../../src/checks/resource-identity.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { ACCOUNT, EXECUTION, environment, result, runCheck, type FakeResponse } from '../helpers/check-harness.js';
import {
  at,
  CURRENT_VALUATION,
  EXECUTION_PATH,
  expectFindings,
  LIST_VALUATIONS,
  OTHER_ACCOUNT,
  RETRIEVE_EXECUTION,
  TRIGGER,
  VALUATIONS_PATH,
  valuation,
  type WantFinding,
} from './fixtures.js';

const page = (...items: Record<string, unknown>[]) => ({
  meta: { offset: 0, limit: 10, count: items.length, total_count: items.length },
  data: items,
});

interface Case {
  name: string;
  operation: string;
  response: FakeResponse;
  pathParams?: Record<string, string>;
  want: WantFinding[];
}

const cases: Case[] = [
  {
    name: 'a list of the account’s items passes',
    operation: LIST_VALUATIONS,
    response: { status: 200, json: page(valuation(1), valuation(2)) },
    want: [],
  },
  {
    name: 'ids compare without case',
    operation: LIST_VALUATIONS,
    response: { status: 200, json: page({ ...valuation(1), account_id: ACCOUNT.toUpperCase() }) },
    want: [],
  },
  {
    name: 'an item of another account fails at its pointer',
    operation: LIST_VALUATIONS,
    response: { status: 200, json: page(valuation(1), { ...valuation(2), account_id: OTHER_ACCOUNT }) },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'the response holds a resource of another account_id',
        pointer: '/data/1/account_id',
        received: `"${OTHER_ACCOUNT}"`,
        expected: `${ACCOUNT} (the account_id in the path)`,
        at: at(VALUATIONS_PATH, 'get', 'x-resource-identity'),
      },
    ],
  },
  {
    name: 'a missing account_id is response-schema’s finding, not this one',
    operation: LIST_VALUATIONS,
    response: { status: 200, json: page({ ...valuation(1), account_id: undefined }) },
    want: [],
  },
  {
    name: 'a single resource of another account fails at /account_id',
    operation: CURRENT_VALUATION,
    response: { status: 200, json: { ...valuation(1), account_id: OTHER_ACCOUNT } },
    want: [{ severity: 'error', basis: 'documented', message: 'another account_id', pointer: '/account_id' }],
  },
  {
    name: 'an execution with another id fails at /id',
    operation: RETRIEVE_EXECUTION,
    response: { status: 200, json: { id: OTHER_ACCOUNT } },
    pathParams: { execution_id: EXECUTION },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'another execution_id',
        pointer: '/id',
        at: at(EXECUTION_PATH, 'get', 'x-resource-identity'),
      },
    ],
  },
  {
    name: 'an error response is not judged',
    operation: CURRENT_VALUATION,
    response: { status: 404, json: { account_id: OTHER_ACCOUNT } },
    want: [],
  },
  {
    name: 'a response whose request named no value for the parameter is not judged',
    operation: CURRENT_VALUATION,
    response: { status: 200, json: { ...valuation(1), account_id: OTHER_ACCOUNT } },
    pathParams: {},
    want: [],
  },
  {
    name: 'two items of other accounts on two pages are one finding',
    operation: LIST_VALUATIONS,
    response: { status: 200, json: page({ ...valuation(1), account_id: OTHER_ACCOUNT }, { ...valuation(2), account_id: OTHER_ACCOUNT }) },
    want: [{ severity: 'error', basis: 'documented', message: 'another account_id', pointer: '/data/0/account_id' }],
  },
];

describe('resource-identity', () => {
  test.for(cases)('$name', async ({ operation, response, pathParams, want }) => {
    const observed = [result(response, { pathParams: pathParams ?? { account_id: ACCOUNT } })];
    expectFindings(await runCheck(resourceIdentity, operation, { observed }), want);
  });

  test.for([
    { operation: TRIGGER, applies: 'the operation names no resource in its path' },
    { operation: LIST_VALUATIONS, applies: true },
  ])('applies to $operation: $applies', ({ operation, applies }) => {
    expect(resourceIdentity.appliesTo({ operation: SPEC.operation(operation), env: environment(), spec: SPEC })).toBe(applies);
  });
});

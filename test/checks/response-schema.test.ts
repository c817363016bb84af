/**
 * response-schema: every body of a documented status validates against its generated validator;
 * the failure names the instance pointer, the schema pointer and what was wanted.
 */
import { describe, test } from 'vitest';
import { responseSchema } from '../../src/checks/response-schema.js';
import { result, runCheck, type FakeResponse } from '../helpers/check-harness.js';
import { at, CURRENT_PATH, CURRENT_VALUATION, expectFindings, HISTORY, LIST_VALUATIONS, valuation, type WantFinding } from './fixtures.js';

interface Case {
  name: string;
  operation: string;
  given: FakeResponse[];
  want: WantFinding[];
}

const CURRENT_200 = at(CURRENT_PATH, 'get', 'responses', '200', 'content', 'application/json', 'schema');
const list = (items: unknown[]) => ({ meta: { offset: 0, limit: 10, count: items.length, total_count: items.length }, data: items });

const cases: Case[] = [
  { name: 'a valid body passes', operation: CURRENT_VALUATION, given: [{ status: 200, json: valuation(2) }], want: [] },
  {
    name: 'a valid problem passes',
    operation: CURRENT_VALUATION,
    given: [{ status: 404, json: { type: 'not_found', status: 404 } }],
    want: [],
  },
  {
    name: 'an undocumented status is left to status-code',
    operation: CURRENT_VALUATION,
    given: [{ status: 418, json: { nonsense: true } }],
    want: [],
  },
  {
    name: 'an out-of-enum value fails at its pointer',
    operation: CURRENT_VALUATION,
    given: [{ status: 200, json: { ...valuation(1), price_quality: 'INTRADAY' } }],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: '/price_quality',
        pointer: '/price_quality',
        received: '"INTRADAY"',
        expected: 'one of "EOD"',
        at: CURRENT_200,
        schemaPointer: 'response_getCurrentAccountValuation_200_json#/properties/price_quality/enum',
      },
    ],
  },
  {
    name: 'a missing required property fails at its parent',
    operation: CURRENT_VALUATION,
    given: [{ status: 200, json: { ...valuation(1), account_id: undefined } }],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'account_id',
        pointer: '',
        received: 'no property "account_id"',
        expected: 'property "account_id"',
      },
    ],
  },
  {
    name: 'a wrong type fails with the type wanted',
    operation: CURRENT_VALUATION,
    given: [{ status: 200, json: { ...valuation(1), total_security_value: { amount: 12.5, currency: 'EUR' } } }],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: '/total_security_value/amount',
        pointer: '/total_security_value/amount',
        received: '12.5',
        expected: 'a value of type string',
      },
    ],
  },
  {
    name: 'a fault repeated over many items is one failure',
    operation: LIST_VALUATIONS,
    given: [{ status: 200, json: list(HISTORY.slice(0, 5).map((v) => ({ ...v, price_quality: 'X' }))) }],
    want: [{ severity: 'error', basis: 'documented', message: '/data/0/price_quality', pointer: '/data/0/price_quality', occurrences: 5 }],
  },
  {
    name: 'a body that is not JSON fails, named',
    operation: CURRENT_VALUATION,
    given: [{ status: 200, raw: '<html>' }],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'the 200 body is not JSON',
        received: 'not JSON',
        expected: 'a application/json body',
      },
    ],
  },
  {
    name: 'a problem without type fails on its schema',
    operation: CURRENT_VALUATION,
    given: [{ status: 400, json: { status: 400 } }],
    want: [{ severity: 'error', basis: 'documented', message: 'type', pointer: '', received: 'no property "type"' }],
  },
];

describe('response-schema', () => {
  test.for(cases)('$name', async ({ operation, given, want }) => {
    expectFindings(await runCheck(responseSchema, operation, { observed: given.map((g) => result(g)) }), want);
  });
});

/** status-code, sub-assertion by sub-assertion: the documented request succeeds; every status is documented. */
import { describe, expect, test } from 'vitest';
import { statusCode } from '../../src/checks/status-code.js';
import type { Expectation, ProbeResult } from '../../src/checks/types.js';
import { result, runCheck } from '../helpers/check-harness.js';
import { at, CURRENT_PATH, CURRENT_VALUATION, expectFindings, type WantFinding } from './fixtures.js';

const HAPPY: Expectation = { statuses: [200], reason: 'the happy path', basis: { kind: 'documented', pointer: '#/happy' } };
const DOCUMENTED = 'one of 200, 400, 401, 403, 404, 406, 429, 500, 503, 504';

interface Case {
  name: string;
  observed: ProbeResult[];
  want: WantFinding[];
  seen?: Record<string, number>;
}

const cases: Case[] = [
  {
    name: 'the documented request answered as expected passes',
    observed: [result({ status: 200, json: {} }, { expect: HAPPY })],
    want: [],
  },
  {
    name: 'the documented request answered with another documented status fails on its expectation',
    observed: [result({ status: 404, json: {} }, { expect: HAPPY })],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'the documented request was answered 404',
        expected: '200: the happy path',
        at: '#/happy',
      },
    ],
  },
  {
    name: 'the expectation is the documented request’s only: a variant answered 404 is a documented status',
    observed: [result({ status: 404, json: {} }, { kind: 'variant', expect: HAPPY })],
    want: [],
  },
  {
    name: 'a documented request without an expectation is judged only on documented statuses',
    observed: [result({ status: 404, json: {} })],
    want: [],
  },
  {
    name: 'an undocumented status fails with the documented ones, whoever sent it',
    observed: [result({ status: 422, json: {} }, { kind: 'negative', owner: 'input-validation', id: 'query:limit:x', purpose: 'limit=x' })],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'status 422 is not documented for this operation (limit=x)',
        received: '422',
        expected: DOCUMENTED,
        at: at(CURRENT_PATH, 'get', 'responses'),
        probe: 'query:limit:x',
      },
    ],
  },
  {
    name: 'the documented request answered with an undocumented status: both findings',
    observed: [result({ status: 418, json: {} }, { expect: HAPPY })],
    want: [
      { severity: 'error', basis: 'documented', message: 'the documented request was answered 418' },
      { severity: 'error', basis: 'documented', message: 'status 418 is not documented' },
    ],
  },
  {
    name: 'the same undocumented status twice is one finding seen twice',
    observed: [result({ status: 422, json: {} }, { id: 'a' }), result({ status: 422, json: {} }, { id: 'b', kind: 'replay' })],
    want: [{ severity: 'error', basis: 'documented', message: 'status 422', occurrences: 2, probe: 'a' }],
    seen: { 422: 2 },
  },
  {
    name: 'two undocumented statuses are two findings',
    observed: [result({ status: 422, json: {} }), result({ status: 302, json: {} })],
    want: [
      { severity: 'error', basis: 'documented', message: 'status 422' },
      { severity: 'error', basis: 'documented', message: 'status 302' },
    ],
  },
  {
    name: 'a 405 of another method on the path (foreign) is not judged against this operation',
    observed: [result({ status: 405, json: {} }, { kind: 'foreign' })],
    want: [],
    seen: {},
  },
  {
    name: 'a request that got no answer (transport error) is nobody’s status',
    observed: [{ ...result({ status: 200, json: {} }, { expect: HAPPY }), status: undefined }],
    want: [],
    seen: {},
  },
  {
    name: 'statuses seen are counted per status',
    observed: [
      result({ status: 200, json: {} }),
      result({ status: 200, json: {} }, { kind: 'variant' }),
      result({ status: 400, json: {} }, { kind: 'negative' }),
    ],
    want: [],
    seen: { 200: 2, 400: 1 },
  },
];

describe('status-code', () => {
  test.for(cases)('$name', async ({ observed, want, seen }) => {
    const run = await runCheck(statusCode, CURRENT_VALUATION, { observed });
    expectFindings(run, want);
    expect(run.status).toBe(want.some((w) => w.severity === 'error') ? 'failed' : 'passed');
    if (seen) expect(run.stats.statusesSeen).toEqual(seen);
  });
});

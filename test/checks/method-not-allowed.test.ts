/**
 * method-not-allowed: an undocumented method on the path is answered 405 (documented where the
 * operation lists 405, else RFC 9110), with an Allow header naming the documented methods (RFC 9110: a warning).
 */
import { describe, expect, test } from 'vitest';
import { methodNotAllowed } from '../../src/checks/method-not-allowed.js';
import { runCheck } from '../helpers/check-harness.js';
import { at, CURRENT_VALUATION, expectFindings, LIST_VALUATIONS, TRIGGER, VALUATIONS_PATH, type WantFinding } from './fixtures.js';

interface Case {
  name: string;
  operation: string;
  status: number;
  allow?: string;
  want: WantFinding[];
}

const allowWarning = (received: string): WantFinding => ({
  severity: 'warning',
  basis: 'convention',
  message: '405 without an Allow header naming the documented methods',
  received,
  expected: 'Allow: GET (RFC 9110 §15.5.6)',
});

const cases: Case[] = [
  { name: '405 with Allow: GET passes', operation: LIST_VALUATIONS, status: 405, allow: 'GET', want: [] },
  { name: 'Allow is read without case and spaces', operation: LIST_VALUATIONS, status: 405, allow: ' get , HEAD', want: [] },
  { name: '405 without Allow warns', operation: LIST_VALUATIONS, status: 405, want: [allowWarning('(no Allow header)')] },
  {
    name: 'an Allow that leaves out a documented method warns',
    operation: LIST_VALUATIONS,
    status: 405,
    allow: 'POST',
    want: [allowWarning('Allow: POST')],
  },
  {
    name: 'an Allow that names the refused method warns',
    operation: LIST_VALUATIONS,
    status: 405,
    allow: 'GET, DELETE',
    want: [allowWarning('Allow: GET, DELETE')],
  },
  {
    name: 'another status fails where the operation documents 405',
    operation: LIST_VALUATIONS,
    status: 404,
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'DELETE /accounts/{account_id}/valuations (undocumented method): answered 404',
        expected: '405 (the path documents only GET)',
        at: at(VALUATIONS_PATH, 'get', 'responses', '405'),
      },
    ],
  },
  {
    name: 'another status only warns where the operation does not document 405 (RFC 9110)',
    operation: CURRENT_VALUATION,
    status: 200,
    want: [{ severity: 'warning', basis: 'convention', message: 'answered 200', expected: '405' }],
  },
  {
    name: 'the Allow header is not judged when the status is already wrong',
    operation: TRIGGER,
    status: 404,
    want: [
      {
        severity: 'warning',
        basis: 'convention',
        message: 'DELETE /portfolios/rebalancings/executions (undocumented method): answered 404',
      },
    ],
  },
];

describe('method-not-allowed', () => {
  test.for(cases)('$name', async ({ operation, status, allow, want }) => {
    const run = await runCheck(methodNotAllowed, operation, {
      answer: () => ({
        status,
        json: { type: 'method_not_allowed', status },
        headers: allow === undefined ? ({} as Record<string, string>) : { allow },
      }),
    });
    expectFindings(run, want);
  });

  test.for([
    { operation: LIST_VALUATIONS, method: 'DELETE', body: undefined },
    { operation: TRIGGER, method: 'DELETE', body: undefined },
  ])('$operation: sends one $method, a foreign probe', async ({ operation, method, body }) => {
    const run = await runCheck(methodNotAllowed, operation, { answer: () => ({ status: 405, json: {}, headers: { allow: 'GET, POST' } }) });
    expect(run.probes.map((p) => [p.kind, p.request.method, p.request.body])).toEqual([['foreign', method, body]]);
  });
});

/** not-found: a well-formed, unknown id in each path parameter is answered 404 (documented). */
import { describe, expect, test } from 'vitest';
import { notFound, UNKNOWN_ID } from '../../src/checks/not-found.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { environment, runCheck } from '../helpers/check-harness.js';
import {
  at,
  CURRENT_VALUATION,
  EXECUTION_PATH,
  expectFindings,
  LIST_ORDERS,
  RETRIEVE_EXECUTION,
  TRIGGER,
  type WantFinding,
} from './fixtures.js';

interface Case {
  name: string;
  operation: string;
  status: number;
  want: WantFinding[];
}

const cases: Case[] = [
  { name: 'an unknown execution answered 404 passes', operation: RETRIEVE_EXECUTION, status: 404, want: [] },
  {
    name: 'an unknown execution answered 200 fails',
    operation: RETRIEVE_EXECUTION,
    status: 200,
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: `execution_id=${UNKNOWN_ID} (well-formed, unknown): answered 200`,
        expected: `404 (no resource has execution_id ${UNKNOWN_ID})`,
        at: at(EXECUTION_PATH, 'get', 'responses', '404'),
        probe: 'not-found:execution_id',
      },
    ],
  },
  {
    name: 'an unknown id refused as malformed (400) fails: it is well-formed',
    operation: LIST_ORDERS,
    status: 400,
    want: [{ severity: 'error', basis: 'documented', message: 'answered 400', received: '400' }],
  },
  {
    name: 'an unknown account answered 403 fails: not-found is documented as 404',
    operation: CURRENT_VALUATION,
    status: 403,
    want: [{ severity: 'error', basis: 'documented', message: 'account_id=', received: '403' }],
  },
];

describe('not-found', () => {
  test.for(cases)('$name', async ({ operation, status, want }) => {
    const run = await runCheck(notFound, operation, { answer: () => ({ status, json: { type: 'not_found', status } }) });
    expectFindings(run, want);
  });

  test('the unknown id replaces the path parameter, and only it', async () => {
    const run = await runCheck(notFound, CURRENT_VALUATION, { answer: () => ({ status: 404, json: {} }) });
    expect(run.probes.map((p) => [p.id, p.kind, p.request.path, p.pathParams])).toEqual([
      ['not-found:account_id', 'negative', `/accounts/${UNKNOWN_ID}/valuations/current`, { account_id: UNKNOWN_ID }],
    ]);
    expect(run.probes[0].request.query).toEqual([['price_quality', 'EOD']]);
  });

  test.for([
    { operation: TRIGGER, applies: 'the operation has no path parameter' },
    { operation: LIST_ORDERS, applies: true },
  ])('applies to $operation: $applies', ({ operation, applies }) => {
    expect(notFound.appliesTo({ operation: SPEC.operation(operation), env: environment(), spec: SPEC })).toBe(applies);
  });
});

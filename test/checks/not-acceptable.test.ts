/** not-acceptable: a request that accepts only text/html is answered 406 (documented). */
import { describe, expect, test } from 'vitest';
import { notAcceptable } from '../../src/checks/not-acceptable.js';
import { runCheck } from '../helpers/check-harness.js';
import { at, CURRENT_PATH, CURRENT_VALUATION, expectFindings, type WantFinding } from './fixtures.js';

const cases: { name: string; status: number; detail?: string; want: WantFinding[] }[] = [
  { name: '406 passes', status: 406, want: [] },
  {
    name: 'a JSON 200 to Accept: text/html fails',
    status: 200,
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'Accept: text/html only: answered 200',
        received: '200',
        expected: '406 (the resource has only a JSON representation)',
        at: at(CURRENT_PATH, 'get', 'responses', '406'),
        probe: 'accept:text/html',
      },
    ],
  },
  { name: 'a 415 is the wrong refusal', status: 415, want: [{ severity: 'error', basis: 'documented', message: 'answered 415' }] },
  {
    name: 'what the target said (the problem detail) is quoted beside the status, cut at 120 characters',
    status: 400,
    detail: `Accept ${'x'.repeat(200)}`,
    want: [{ severity: 'error', basis: 'documented', message: 'answered 400', received: `400 "Accept ${'x'.repeat(113)}"` }],
  },
];

describe('not-acceptable', () => {
  test.for(cases)('$name', async ({ status, detail, want }) => {
    const run = await runCheck(notAcceptable, CURRENT_VALUATION, {
      answer: () => ({ status, json: { type: 'not_acceptable', status, ...(detail ? { detail } : {}) } }),
    });
    expectFindings(run, want);
    expect(run.probes.map((p) => [p.kind, p.request.headers?.accept])).toEqual([['negative', 'text/html']]);
  });
});

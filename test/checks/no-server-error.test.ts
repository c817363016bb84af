/** no-server-error: a 5xx to a valid request fails (its documented success); to a broken one, or a passing 503/504, warns. */
import { describe, test } from 'vitest';
import { noServerError } from '../../src/checks/no-server-error.js';
import type { ProbeKind } from '../../src/checks/types.js';
import { result, runCheck } from '../helpers/check-harness.js';
import { at, expectFindings, LIST_VALUATIONS, VALUATIONS_PATH, type WantFinding } from './fixtures.js';

interface Case {
  name: string;
  given: { status: number; kind: ProbeKind }[];
  want: WantFinding[];
}

const fails = (status: number): WantFinding => ({
  severity: 'error',
  basis: 'documented',
  message: `the request: answered ${status}`,
  received: String(status),
  at: at(VALUATIONS_PATH, 'get', 'responses', '200'),
});
const warns = (status: number): WantFinding => ({ severity: 'warning', basis: 'convention', message: `answered ${status}` });

const cases: Case[] = [
  {
    name: 'a 2xx and a 4xx pass',
    given: [
      { status: 200, kind: 'documented' },
      { status: 404, kind: 'negative' },
      { status: 499, kind: 'variant' },
    ],
    want: [],
  },
  { name: 'a 500 to the documented request fails', given: [{ status: 500, kind: 'documented' }], want: [fails(500)] },
  { name: 'a 502 to a valid variant fails', given: [{ status: 502, kind: 'variant' }], want: [fails(502)] },
  { name: 'a 500 to a replay fails', given: [{ status: 500, kind: 'replay' }], want: [fails(500)] },
  { name: 'a 500 to a broken request warns', given: [{ status: 500, kind: 'negative' }], want: [warns(500)] },
  { name: 'a 500 to another method warns', given: [{ status: 500, kind: 'foreign' }], want: [warns(500)] },
  { name: 'a 503 is a documented passing unavailability: a warning', given: [{ status: 503, kind: 'documented' }], want: [warns(503)] },
  { name: 'a 504 likewise', given: [{ status: 504, kind: 'variant' }], want: [warns(504)] },
  {
    name: 'the same 500 twice is one finding; by another basis, another',
    given: [
      { status: 500, kind: 'documented' },
      { status: 500, kind: 'variant' },
      { status: 500, kind: 'negative' },
    ],
    want: [{ ...fails(500), occurrences: 2 }, warns(500)],
  },
];

describe('no-server-error', () => {
  test.for(cases)('$name', async ({ given, want }) => {
    const observed = given.map((g) => result({ status: g.status, json: {} }, { kind: g.kind, purpose: 'the request' }));
    expectFindings(await runCheck(noServerError, LIST_VALUATIONS, { observed }), want);
  });
});

/** response-headers: the documented headers on every response; upvest-request-id a uuid, one per request. */
import { describe, expect, test } from 'vitest';
import { responseHeaders } from '../../src/checks/response-headers.js';
import type { ProbeKind } from '../../src/checks/types.js';
import { REQUEST_ID, result, runCheck } from '../helpers/check-harness.js';
import { at, expectFindings, LIST_VALUATIONS, VALUATIONS_PATH, type WantFinding } from './fixtures.js';

const OTHER_ID = '0f1e2d3c-4b5a-4968-8776-655443322110';

interface Given {
  status: number;
  /** The upvest-request-id header (undefined: absent). */
  id: string | undefined;
  kind?: ProbeKind;
  probe?: string;
}
interface Case {
  name: string;
  given: Given[];
  want: WantFinding[];
}

const cases: Case[] = [
  { name: 'a uuid request id passes', given: [{ status: 200, id: REQUEST_ID }], want: [] },
  {
    name: 'distinct ids on two responses pass',
    given: [
      { status: 200, id: REQUEST_ID },
      { status: 400, id: OTHER_ID },
    ],
    want: [],
  },
  {
    name: 'a documented response without the header fails at its documented header',
    given: [{ status: 401, id: undefined }],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'the 401 response has no upvest-request-id header',
        received: '(absent)',
        expected: 'a upvest-request-id header (uuid)',
        at: at(VALUATIONS_PATH, 'get', 'responses', '401', 'headers', 'upvest-request-id'),
      },
    ],
  },
  {
    name: 'a request id that is not a uuid fails',
    given: [{ status: 200, id: 'req-123' }],
    want: [
      { severity: 'error', basis: 'documented', message: 'upvest-request-id is not a uuid', received: '"req-123"', expected: 'a uuid' },
    ],
  },
  {
    name: 'an undocumented status still carries the request id (the components header is the basis)',
    given: [{ status: 422, id: undefined }],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'the 422 response has no upvest-request-id',
        at: '#/components/headers/UpvestRequestId',
      },
    ],
  },
  {
    name: 'a foreign response is judged on the request id of every response',
    given: [{ status: 200, id: 'nope', kind: 'foreign' }],
    want: [{ severity: 'error', basis: 'documented', message: 'is not a uuid', at: '#/components/headers/UpvestRequestId' }],
  },
  {
    name: 'the header missing on two responses is one finding seen twice',
    given: [
      { status: 200, id: undefined },
      { status: 400, id: undefined },
    ],
    want: [{ severity: 'error', basis: 'documented', message: 'the 200 response has no upvest-request-id', occurrences: 2 }],
  },
  {
    name: 'the same id on two responses is a warning (a correlation id names one request)',
    given: [
      { status: 200, id: REQUEST_ID, probe: 'a' },
      { status: 200, id: REQUEST_ID, probe: 'b' },
    ],
    want: [
      {
        severity: 'warning',
        basis: 'convention',
        message: 'two responses carry the same upvest-request-id (a and b)',
        received: REQUEST_ID,
      },
    ],
  },
  {
    name: 'an idempotent replay may repeat the original response, id included',
    given: [
      { status: 200, id: REQUEST_ID, probe: 'a' },
      { status: 200, id: REQUEST_ID, probe: 'b', kind: 'replay' },
    ],
    want: [],
  },
  {
    name: 'a malformed id repeated is not also a duplicate',
    given: [
      { status: 200, id: 'x', probe: 'a' },
      { status: 200, id: 'x', probe: 'b' },
    ],
    want: [{ severity: 'error', basis: 'documented', message: 'not a uuid', occurrences: 2 }],
  },
];

describe('response-headers', () => {
  test.for(cases)('$name', async ({ given, want }) => {
    const observed = given.map((g) =>
      result(
        { status: g.status, json: {}, headers: { 'upvest-request-id': g.id as string } },
        { kind: g.kind ?? 'documented', id: g.probe ?? 'p' },
      ),
    );
    expectFindings(await runCheck(responseHeaders, LIST_VALUATIONS, { observed }), want);
  });

  test('a request that got no answer is not judged', async () => {
    const run = await runCheck(responseHeaders, LIST_VALUATIONS, {
      observed: [{ ...result({ status: 200, json: {}, headers: { 'upvest-request-id': 'x' } }), status: undefined }],
    });
    expect(run.failures).toEqual([]);
  });
});

/** content-type: success bodies as documented (application/json), errors as RFC 7807 problem+json (a convention). */
import { describe, expect, test } from 'vitest';
import { contentType } from '../../src/checks/content-type.js';
import type { ProbeKind } from '../../src/checks/types.js';
import { result, runCheck } from '../helpers/check-harness.js';
import { at, expectFindings, LIST_VALUATIONS, VALUATIONS_PATH, type WantFinding } from './fixtures.js';

interface Given {
  status: number;
  type: string | undefined;
  kind?: ProbeKind;
}
interface Case {
  name: string;
  given: Given[];
  want: WantFinding[];
}

const cases: Case[] = [
  { name: 'a 200 as application/json passes', given: [{ status: 200, type: 'application/json' }], want: [] },
  { name: 'media type parameters and case do not matter', given: [{ status: 200, type: 'Application/JSON; charset=utf-8' }], want: [] },
  { name: 'a 400 as application/problem+json passes', given: [{ status: 400, type: 'application/problem+json' }], want: [] },
  { name: 'a redirect has no body to judge', given: [{ status: 304, type: undefined }], want: [] },
  {
    name: 'a 200 as text/html fails: the operation documents application/json',
    given: [{ status: 200, type: 'text/html' }],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'a 200 response is served as text/html',
        received: 'text/html',
        expected: 'application/json',
        at: at(VALUATIONS_PATH, 'get', 'responses', '200', 'content'),
      },
    ],
  },
  {
    name: 'a 200 without a content type fails',
    given: [{ status: 200, type: undefined }],
    want: [{ severity: 'error', basis: 'documented', message: 'served as no content type', received: '(no content-type header)' }],
  },
  {
    name: 'an error in plain JSON is a warning (RFC 7807, not the pages)',
    given: [{ status: 404, type: 'application/json' }],
    want: [
      {
        severity: 'warning',
        basis: 'convention',
        message: 'a 404 response is served as application/json',
        expected: 'application/problem+json',
      },
    ],
  },
  {
    name: 'a response of another operation (foreign) is judged by convention only',
    given: [{ status: 200, type: 'text/plain', kind: 'foreign' }],
    want: [{ severity: 'warning', basis: 'convention', message: 'a 200 response is served as text/plain' }],
  },
  {
    name: 'the same status and type twice is one finding seen twice',
    given: [
      { status: 200, type: 'text/html' },
      { status: 200, type: 'text/html', kind: 'variant' },
    ],
    want: [{ severity: 'error', basis: 'documented', message: 'served as text/html', occurrences: 2 }],
  },
];

describe('content-type', () => {
  test.for(cases)('$name', async ({ given, want }) => {
    const observed = given.map((g) =>
      result({ status: g.status, json: {}, headers: { 'content-type': g.type as string } }, { kind: g.kind ?? 'documented' }),
    );
    const run = await runCheck(contentType, LIST_VALUATIONS, { observed });
    expectFindings(run, want);
  });

  test('a request that got no answer is not judged', async () => {
    const run = await runCheck(contentType, LIST_VALUATIONS, {
      observed: [{ ...result({ status: 200, json: {}, headers: { 'content-type': 'text/html' } }), status: undefined }],
    });
    expect(run.failures).toEqual([]);
  });
});

/**
 * error-shape: every 4xx/5xx is a problem document whose status is the HTTP status and which
 * has a type; a type documented for another status, a title that changes for one type and a
 * request_id other than the header are warnings.
 */
import { describe, test } from 'vitest';
import { errorShape } from '../../src/checks/error-shape.js';
import { REQUEST_ID, result, runCheck, type FakeResponse } from '../helpers/check-harness.js';
import { expectFindings, LIST_VALUATIONS, type WantFinding } from './fixtures.js';

interface Case {
  name: string;
  given: FakeResponse[];
  want: WantFinding[];
}

const PROBLEM = '#/components/schemas/Problem';
const cases: Case[] = [
  {
    name: 'a problem with its status and type passes',
    given: [{ status: 400, json: { type: 'bad_request', status: 400, title: 'Bad Request' } }],
    want: [],
  },
  { name: 'a success is not a problem', given: [{ status: 200, json: { status: 'whatever' } }], want: [] },
  {
    name: 'a type the documentation does not list is allowed',
    given: [{ status: 409, json: { type: 'conflict', status: 409 } }],
    want: [],
  },
  {
    name: 'a request_id equal to the header passes',
    given: [{ status: 404, json: { type: 'not_found', status: 404, request_id: REQUEST_ID } }],
    want: [],
  },
  {
    name: 'a body that is not JSON fails',
    given: [{ status: 500, raw: 'Internal Server Error' }],
    want: [
      { severity: 'error', basis: 'documented', message: 'the 500 body is not a problem document', received: 'not JSON', at: PROBLEM },
    ],
  },
  {
    name: 'a JSON array is not a problem document',
    given: [{ status: 400, json: [{ type: 'bad_request' }] }],
    want: [
      { severity: 'error', basis: 'documented', message: 'the 400 body is not a problem document', received: '[{"type":"bad_request"}]' },
    ],
  },
  {
    name: 'a status other than the HTTP status fails at /status',
    given: [{ status: 400, json: { type: 'bad_request', status: 422 } }],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: "the problem's status differs from the HTTP status 400",
        pointer: '/status',
        received: '422',
        expected: '400',
        at: `${PROBLEM}/properties/status`,
      },
    ],
  },
  {
    name: 'a status given as a string fails',
    given: [{ status: 400, json: { type: 'bad_request', status: '400' } }],
    want: [{ severity: 'error', basis: 'documented', message: 'differs from the HTTP status', received: '"400"' }],
  },
  {
    name: 'a missing status fails',
    given: [{ status: 401, json: { type: 'unauthorized' } }],
    want: [{ severity: 'error', basis: 'documented', message: 'differs from the HTTP status 401', received: '(absent)' }],
  },
  {
    name: 'a missing type fails at /type',
    given: [{ status: 404, json: { status: 404 } }],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'the 404 problem has no type',
        pointer: '/type',
        received: '(absent)',
        at: `${PROBLEM}/required`,
      },
    ],
  },
  {
    name: 'an empty type fails',
    given: [{ status: 404, json: { type: '', status: 404 } }],
    want: [{ severity: 'error', basis: 'documented', message: 'has no type', received: '""' }],
  },
  {
    name: 'a type documented for another status is a warning',
    given: [{ status: 503, json: { type: 'method_not_allowed', status: 503 } }],
    want: [
      {
        severity: 'warning',
        basis: 'convention',
        message: 'problem type "method_not_allowed" is documented for 405, not 503',
        pointer: '/type',
      },
    ],
  },
  {
    name: 'a title that changes for one type is a warning (the page says "should")',
    given: [
      { status: 400, json: { type: 'bad_request', status: 400, title: 'Bad Request' } },
      { status: 400, json: { type: 'bad_request', status: 400, title: 'Invalid input' } },
    ],
    want: [
      {
        severity: 'warning',
        basis: 'documented',
        message: 'problem type "bad_request" came with two titles',
        pointer: '/title',
        received: '"Invalid input"',
        at: `${PROBLEM}/properties/title`,
      },
    ],
  },
  {
    name: 'different titles for different types are fine',
    given: [
      { status: 400, json: { type: 'bad_request', status: 400, title: 'Bad Request' } },
      { status: 404, json: { type: 'not_found', status: 404, title: 'Not Found' } },
      { status: 400, json: { type: 'bad_request', status: 400 } },
    ],
    want: [],
  },
  {
    name: 'a request_id other than the header is a warning',
    given: [{ status: 401, json: { type: 'unauthorized', status: 401, request_id: '11111111-1111-4111-8111-111111111111' } }],
    want: [
      {
        severity: 'warning',
        basis: 'convention',
        message: "the problem's request_id differs from the upvest-request-id header",
        pointer: '/request_id',
        expected: `"${REQUEST_ID}"`,
      },
    ],
  },
  {
    name: 'every fault of one body is reported, each once',
    given: [
      { status: 400, json: { status: 401 } },
      { status: 400, json: { status: 401 } },
    ],
    want: [
      { severity: 'error', basis: 'documented', message: 'differs from the HTTP status 400', occurrences: 2 },
      { severity: 'error', basis: 'documented', message: 'has no type', occurrences: 2 },
    ],
  },
];

describe('error-shape', () => {
  test.for(cases)('$name', async ({ given, want }) => {
    expectFindings(await runCheck(errorShape, LIST_VALUATIONS, { observed: given.map((g) => result(g)) }), want);
  });
});

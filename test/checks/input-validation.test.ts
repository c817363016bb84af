/**
 * input-validation: every documented constraint, broken one at a time, is refused: with 400 where
 * the operation documents it, else with any refusal; a constraint read by convention (not on the
 * operation's page) is a warning. The cases come from the manifest; the table pins the requests
 * they send and the verdict on each answer.
 */
import { describe, expect, test } from 'vitest';
import { inputValidation } from '../../src/checks/input-validation.js';
import type { Probe } from '../../src/checks/types.js';
import { type FakeResponse, queryOf, runCheck } from '../helpers/check-harness.js';
import {
  at,
  CURRENT_VALUATION,
  EXECUTIONS_PATH,
  expectFindings,
  LIST_ORDERS,
  LIST_VALUATIONS,
  RETRIEVE_EXECUTION,
  TRIGGER,
  VALUATIONS_PATH,
  EXECUTION_PATH,
  type WantFinding,
} from './fixtures.js';

const refuse = (probe: Probe): FakeResponse => {
  const status = probe.expect!.statuses[0] ?? 400;
  return { status, json: { type: 'bad_request', status } };
};

const casesOf = async (operation: string) => (await runCheck(inputValidation, operation, { answer: refuse })).probes;

interface RequestCase {
  operation: string;
  probe: string;
  /** What the request must carry to break the constraint. */
  carries: (probe: Probe) => unknown;
  want: unknown;
}

const requests: RequestCase[] = [
  { operation: LIST_VALUATIONS, probe: 'query:limit:above-maximum', carries: (p) => queryOf(p).get('limit'), want: '1001' },
  { operation: LIST_VALUATIONS, probe: 'query:limit:below-minimum', carries: (p) => queryOf(p).get('limit'), want: '-1' },
  { operation: LIST_VALUATIONS, probe: 'query:limit:not-a-number', carries: (p) => queryOf(p).get('limit'), want: 'abc' },
  { operation: LIST_VALUATIONS, probe: 'query:offset:fraction', carries: (p) => queryOf(p).get('offset'), want: '1.5' },
  { operation: LIST_VALUATIONS, probe: 'query:order:not-in-enum', carries: (p) => queryOf(p).get('order'), want: 'ZZ_UNDOCUMENTED' },
  { operation: LIST_VALUATIONS, probe: 'query:start_date:bad-format', carries: (p) => queryOf(p).get('start_date'), want: '2024-13-45' },
  {
    operation: LIST_VALUATIONS,
    probe: 'path:account_id:bad-format',
    carries: (p) => p.request.path,
    want: '/accounts/not-a-uuid/valuations',
  },
  {
    operation: LIST_VALUATIONS,
    probe: 'header:upvest-api-version:not-in-enum',
    carries: (p) => p.request.headers?.['upvest-api-version'],
    want: 'ZZ_UNDOCUMENTED',
  },
  { operation: CURRENT_VALUATION, probe: 'query:price_quality:missing', carries: (p) => queryOf(p).has('price_quality'), want: false },
  {
    operation: CURRENT_VALUATION,
    probe: 'query:price_quality:not-in-enum',
    carries: (p) => queryOf(p).get('price_quality'),
    want: 'ZZ_UNDOCUMENTED',
  },
  { operation: TRIGGER, probe: 'header:idempotency-key:missing', carries: (p) => p.request.idempotencyKey, want: null },
  { operation: TRIGGER, probe: 'header:idempotency-key:bad-format', carries: (p) => p.request.idempotencyKey, want: 'not-a-uuid' },
  {
    operation: TRIGGER,
    probe: 'body:Accounts:extra-property',
    carries: (p) => p.request.body,
    want: expect.objectContaining({ undocumented_field: true }),
  },
  {
    operation: TRIGGER,
    probe: 'body:Accounts:accounts:wrong-type',
    carries: (p) => typeof (p.request.body as { accounts: unknown }).accounts,
    want: 'string',
  },
  {
    operation: TRIGGER,
    probe: 'body:Allocations:allocations:bad-item',
    carries: (p) => p.request.body,
    want: { allocations: ['not-a-uuid'] },
  },
  { operation: TRIGGER, probe: 'body:no-branch', carries: (p) => p.request.body, want: {} },
  {
    operation: TRIGGER,
    probe: 'body:both-branches',
    carries: (p) => Object.keys(p.request.body as object).sort(),
    want: ['accounts', 'allocations'],
  },
  {
    operation: TRIGGER,
    probe: 'body:not-json',
    carries: (p) => [p.request.body, p.request.rawBody?.text],
    want: [undefined, '{"accounts": ['],
  },
  { operation: TRIGGER, probe: 'body:missing', carries: (p) => p.request.rawBody?.text, want: '' },
];

interface VerdictCase {
  name: string;
  operation: string;
  probe: string;
  status: number;
  want: WantFinding[];
}

const verdicts: VerdictCase[] = [
  {
    name: 'a limit above its maximum accepted fails on the documented 400',
    operation: LIST_VALUATIONS,
    probe: 'query:limit:above-maximum',
    status: 200,
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'limit=1001 (maximum 1000): answered 200',
        expected: '400 (query parameter limit breaks its documented constraint)',
        at: at(VALUATIONS_PATH, 'get', 'responses', '400'),
      },
    ],
  },
  {
    name: 'another refusal than the documented 400 fails',
    operation: LIST_VALUATIONS,
    probe: 'query:order:not-in-enum',
    status: 422,
    want: [{ severity: 'error', basis: 'documented', message: 'answered 422', received: '422', expected: '400' }],
  },
  {
    name: 'a 500 where 400 is due fails',
    operation: TRIGGER,
    probe: 'body:Accounts:extra-property',
    status: 500,
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'Accounts body with an undocumented property: answered 500',
        expected: '400 (the request body breaks its documented schema)',
        at: at(EXECUTIONS_PATH, 'post', 'responses', '400'),
      },
    ],
  },
  {
    name: 'a missing required query parameter accepted fails',
    operation: CURRENT_VALUATION,
    probe: 'query:price_quality:missing',
    status: 200,
    want: [{ severity: 'error', basis: 'documented', message: 'price_quality omitted (required): answered 200' }],
  },
  {
    name: 'where no 400 is documented, any refusal will do',
    operation: RETRIEVE_EXECUTION,
    probe: 'path:execution_id:bad-format',
    status: 404,
    want: [],
  },
  {
    name: 'where no 400 is documented, an acceptance fails at the parameter',
    operation: RETRIEVE_EXECUTION,
    probe: 'path:execution_id:bad-format',
    status: 200,
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'execution_id=not-a-uuid (not a uuid): answered 200',
        expected: 'a 4xx refusal (path parameter execution_id',
        at: at(EXECUTION_PATH, 'get', 'parameters', 'execution_id'),
      },
    ],
  },
  {
    name: 'where no 400 is documented, a 429 is no refusal',
    operation: RETRIEVE_EXECUTION,
    probe: 'header:upvest-api-version:not-in-enum',
    status: 429,
    want: [{ severity: 'error', basis: 'documented', message: 'answered 429' }],
  },
  {
    name: 'a constraint read by convention (the orders page gives no date format) is a warning',
    operation: LIST_ORDERS,
    probe: 'query:start_date:bad-format',
    status: 200,
    want: [{ severity: 'warning', basis: 'convention', message: 'start_date=2024-13-45 (not a date): answered 200', expected: '400' }],
  },
];

describe('input-validation', () => {
  test.for([
    { operation: LIST_VALUATIONS, count: 13 },
    { operation: TRIGGER, count: 13 },
    { operation: RETRIEVE_EXECUTION, count: 2 },
    { operation: CURRENT_VALUATION, count: 4 },
  ])('$operation: every case refused as documented passes ($count cases, credentials left to auth)', async ({ operation, count }) => {
    const run = await runCheck(inputValidation, operation, { answer: refuse });
    expect(run.status).toBe('passed');
    expect(run.probes).toHaveLength(count);
    expect(run.stats.cases).toBe(count);
    expect(run.probes.filter((p) => /authorization|signature|client-id/.test(p.id))).toEqual([]);
    expect(run.probes.every((p) => p.kind === 'negative')).toBe(true);
  });

  test.for(requests)('$operation $probe breaks one thing', async ({ operation, probe, carries, want }) => {
    const sent = (await casesOf(operation)).find((p) => p.id === probe);
    expect(sent, probe).toBeDefined();
    expect(carries(sent!)).toEqual(want);
  });

  test('the other parameters of a case stay valid (one constraint broken at a time)', async () => {
    const sent = (await casesOf(CURRENT_VALUATION)).find((p) => p.id === 'path:account_id:bad-format')!;
    expect(queryOf(sent).get('price_quality')).toBe('EOD');
  });

  test.for(verdicts)('$name', async ({ operation, probe, status, want }) => {
    const run = await runCheck(inputValidation, operation, {
      answer: (p) => (p.id === probe ? { status, json: { type: 'x', status } } : refuse(p)),
    });
    expectFindings(run, want);
  });
});

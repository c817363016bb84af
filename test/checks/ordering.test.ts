/**
 * ordering: for each documented sort field and order, and for the default order, the items are
 * monotonic; enum fields in the alphabetical or the declared order, date-times as instants.
 */
import { describe, expect, test } from 'vitest';
import { ordering } from '../../src/checks/ordering.js';
import type { Probe } from '../../src/checks/types.js';
import { type FakeResponse, queryOf, runCheck } from '../helpers/check-harness.js';
import {
  at,
  expectFindings,
  HISTORY,
  LIST_ORDERS,
  LIST_VALUATIONS,
  listAnswer,
  ORDERS_PATH,
  VALUATIONS_PATH,
  type WantFinding,
} from './fixtures.js';

type Answer = (probe: Probe) => FakeResponse;
const param = (name: string) => at(VALUATIONS_PATH, 'get', 'parameters', name);

/** Orders with these statuses, in this order, whatever is asked. */
const orders =
  (...statuses: string[]): Answer =>
  () => ({
    status: 200,
    json: {
      meta: { offset: 0, limit: 1000, count: statuses.length, total_count: statuses.length },
      data: statuses.map((status, i) => ({ id: `00000000-0000-4000-8000-00000000000${i}`, status })),
    },
  });

/** The valuations ascending unless order=DESC is given: a target whose default order is DESC answers reversed without it. */
const defaultDescending: Answer = (probe) => {
  const answer = listAnswer(HISTORY)(probe);
  if (queryOf(probe).has('order')) return answer;
  const json = answer.json as { data: unknown[] };
  return { ...answer, json: { ...json, data: [...json.data].reverse() } };
};

/**
 * Three valuations ascending as instants, spelled with offsets so that as strings they are not:
 * 20:30-02:00 is 22:30Z, after 22:00Z, though "20:30" sorts before "22:00".
 */
const OFFSET_TIMES = ['2024-01-01T22:00:00Z', '2024-01-01T20:30:00-02:00', '2024-01-01T23:00:00Z'].map((time, day) => ({
  ...HISTORY[day],
  valuation_time: time,
}));
const withOffsets = listAnswer(OFFSET_TIMES);

interface Case {
  name: string;
  operation: string;
  answer: Answer;
  want: WantFinding[];
  skipped?: string | RegExp;
}

const cases: Case[] = [
  { name: 'a list in every requested order passes', operation: LIST_VALUATIONS, answer: listAnswer(HISTORY), want: [] },
  {
    name: 'order=DESC answered ascending fails at the first inversion',
    operation: LIST_VALUATIONS,
    answer: listAnswer(HISTORY, { ignoreOrder: true }),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'items are not descending by valuation_time (sort=valuation_time&order=DESC)',
        pointer: '/data/1/valuation_time',
        received: `"${HISTORY[0].valuation_time}" before "${HISTORY[1].valuation_time}" at items 0 and 1`,
        expected: 'valuation_time non-increasing',
        at: param('order'),
      },
    ],
  },
  {
    name: 'a default order other than the documented one fails on sort',
    operation: LIST_VALUATIONS,
    answer: defaultDescending,
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'items are not ascending by valuation_time (sort=valuation_time (default order))',
        at: param('sort'),
      },
    ],
  },
  { name: 'date-times compare as instants, whatever their offset', operation: LIST_VALUATIONS, answer: withOffsets, want: [] },
  {
    name: 'enum values alphabetically pass',
    operation: LIST_ORDERS,
    answer: orders('CANCELLED', 'FILLED', 'NEW', 'NEW', 'PROCESSING'),
    want: [],
  },
  {
    name: 'enum values in their declared order pass',
    operation: LIST_ORDERS,
    answer: orders('NEW', 'PROCESSING', 'FILLED', 'CANCELLED'),
    want: [],
  },
  {
    name: 'enum values in neither order fail',
    operation: LIST_ORDERS,
    answer: orders('NEW', 'CANCELLED', 'PROCESSING'),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'items are not ascending by status (sort=status&order=ASC)',
        expected: 'status non-decreasing (alphabetically or in the enum order)',
        at: at(ORDERS_PATH, 'get', 'parameters', 'order'),
      },
      { severity: 'error', basis: 'documented', message: 'items are not ascending by status (sort=status (default order))' },
    ],
  },
  {
    name: 'an empty list is skipped',
    operation: LIST_VALUATIONS,
    answer: listAnswer([]),
    want: [],
    skipped: 'the list is empty: there is no order to check',
  },
  {
    name: 'a documented sort refused fails (regression: it said "the list is empty")',
    operation: LIST_VALUATIONS,
    answer: listAnswer(HISTORY, { statusOn: (p) => (queryOf(p).get('order') === 'DESC' ? 400 : undefined) }),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'a valid list request was answered 400 (sort=valuation_time&order=DESC)',
        at: at(VALUATIONS_PATH, 'get', 'responses', '200'),
      },
    ],
  },
  {
    name: 'every sort refused fails, not skipped',
    operation: LIST_VALUATIONS,
    answer: listAnswer(HISTORY, { statusOn: () => 400 }),
    want: [{ severity: 'error', basis: 'documented', message: 'a valid list request was answered 400', occurrences: 3 }],
  },
  {
    name: 'a 200 that is no list is response-schema’s: skipped with that reason',
    operation: LIST_VALUATIONS,
    answer: () => ({ status: 200, json: {} }),
    want: [],
    skipped: /^the answer to sort=valuation_time.* is not a list page \(response-schema reports its body\)$/,
  },
];

describe('ordering', () => {
  test.for(cases)('$name', async ({ operation, answer, want, skipped }) => {
    const run = await runCheck(ordering, operation, { answer });
    expectFindings(run, want);
    expect(run.skipped).toEqual(skipped instanceof RegExp ? expect.stringMatching(skipped) : skipped);
  });

  test('one request per documented sort and order, and one without order, at the largest limit', async () => {
    const run = await runCheck(ordering, LIST_VALUATIONS, { answer: listAnswer(HISTORY) });
    expect(run.probes.map((p) => [p.id, p.request.query])).toEqual([
      [
        'order:valuation_time:ASC',
        [
          ['sort', 'valuation_time'],
          ['limit', '1000'],
          ['order', 'ASC'],
        ],
      ],
      [
        'order:valuation_time:DESC',
        [
          ['sort', 'valuation_time'],
          ['limit', '1000'],
          ['order', 'DESC'],
        ],
      ],
      [
        'order:valuation_time:default',
        [
          ['sort', 'valuation_time'],
          ['limit', '1000'],
        ],
      ],
    ]);
    expect(run.stats.itemsCompared).toBe(36);
  });
});

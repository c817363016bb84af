/**
 * list-combinations: pairwise combinations of the list parameters, each page the slice of its
 * reference (the same sort, order and range in one large page) with the reference's total; a
 * filtered total never above the unfiltered one; each filtered reference in order and in range.
 */
import { describe, expect, test } from 'vitest';
import { listCombinations, planOf } from '../../src/checks/list-combinations.js';
import { combinations, listFactors } from '../../src/checks/list-plan.js';
import type { Probe } from '../../src/checks/types.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { environment, type FakeResponse, queryOf, runCheck } from '../helpers/check-harness.js';
import {
  at,
  expectFindings,
  HISTORY,
  LIST_ORDERS,
  LIST_VALUATIONS,
  type ListFaults,
  listAnswer,
  VALUATIONS_PATH,
  type WantFinding,
} from './fixtures.js';

type Answer = (probe: Probe) => FakeResponse;
const TOTAL = '#/components/schemas/ListMeta/properties/total_count';

/** The list, with total_count rewritten for the requests `when` selects. */
const totalWhen =
  (when: (probe: Probe) => boolean, total: (real: number) => number, faults: ListFaults = {}): Answer =>
  (probe) => {
    const answer = listAnswer(HISTORY, faults)(probe);
    if (!when(probe)) return answer;
    const json = answer.json as { meta: { total_count: number }; data: unknown[] };
    return { ...answer, json: { ...json, meta: { ...json.meta, total_count: total(json.meta.total_count) } } };
  };

interface Case {
  name: string;
  answer: Answer;
  want: WantFinding[];
  skipped?: RegExp;
}

const cases: Case[] = [
  { name: 'a list that honours every combination passes', answer: listAnswer(HISTORY), want: [] },
  {
    name: 'an offset ignored in combination: pages are not their slice',
    answer: listAnswer(HISTORY, { ignoreOffset: true }),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: "the page is not the list's slice at offset",
        pointer: '/data/0',
        at: at(VALUATIONS_PATH, 'get', 'parameters', 'offset'),
      },
    ],
  },
  {
    name: 'order=DESC ignored: a filtered reference is not descending',
    answer: listAnswer(HISTORY, { ignoreOrder: true }),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'a filtered list is not descending by valuation_time',
        expected: 'valuation_time non-increasing',
        at: at(VALUATIONS_PATH, 'get', 'parameters', 'order'),
      },
    ],
  },
  {
    name: 'the date range ignored: a filtered reference holds items outside it, per order',
    answer: listAnswer(HISTORY, { ignoreDates: true }),
    want: [
      { severity: 'error', basis: 'documented', message: 'an item outside the range is returned when order=' },
      { severity: 'error', basis: 'documented', message: 'an item outside the range is returned when order=' },
    ],
  },
  {
    name: 'a total_count that differs from its reference’s fails',
    answer: totalWhen(
      (p) => queryOf(p).get('limit') !== '1000',
      (real) => real + 1,
    ),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'total_count differs between two requests of one filter',
        pointer: '/meta/total_count',
        at: TOTAL,
      },
      // The whole range, one more than the list has.
      { severity: 'error', basis: 'documented', message: 'a filtered total_count exceeds the unfiltered one', received: '13' },
    ],
  },
  {
    name: 'a filtered total_count above the unfiltered one fails',
    answer: totalWhen(
      (p) => queryOf(p).has('start_date') || queryOf(p).has('end_date'),
      () => 12 + 5,
    ),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'a filtered total_count exceeds the unfiltered one',
        received: '17',
        expected: 'at most 12',
        at: TOTAL,
      },
    ],
  },
  {
    name: 'a valid combination refused fails, once',
    answer: listAnswer(HISTORY, { statusOn: (p) => (p.id.startsWith('combo:') && queryOf(p).get('limit') === '0' ? 400 : undefined) }),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'a valid combination was answered 400',
        at: at(VALUATIONS_PATH, 'get', 'responses', '200'),
      },
    ],
  },
  {
    name: 'the whole list refused fails (regression: it passed silently)',
    answer: listAnswer(HISTORY, { statusOn: () => 503 }),
    want: [{ severity: 'error', basis: 'documented', message: 'a valid list request was answered 503 (the whole list in one page)' }],
  },
  {
    name: 'a list longer than one page is skipped',
    answer: listAnswer(HISTORY, { total: 5000 }),
    want: [],
    skipped: /^the list has 5000 items, more than one page of 1000/,
  },
  {
    name: 'items without ids are skipped (slices cannot be compared)',
    answer: (p) => {
      const answer = listAnswer(HISTORY)(p);
      const json = answer.json as { data: Record<string, unknown>[] };
      return { ...answer, json: { ...json, data: json.data.map((v) => ({ ...v, id: undefined })) } };
    },
    want: [],
    skipped: /^not judged: item 0 carries no id/,
  },
];

describe('list-combinations', () => {
  test.for(cases)('$name', async ({ answer, want, skipped }) => {
    const run = await runCheck(listCombinations, LIST_VALUATIONS, { answer });
    expectFindings(run, want);
    expect(run.skipped).toEqual(skipped ? expect.stringMatching(skipped) : undefined);
  });

  test('records what it sent', async () => {
    const run = await runCheck(listCombinations, LIST_VALUATIONS, { answer: listAnswer(HISTORY) });
    expect(run.stats).toMatchObject({
      combinations: combinations(listFactors(SPEC.operation(LIST_VALUATIONS), 2), 'quick').length,
      depth: 'quick',
    });
    expect(run.stats.references).toBeGreaterThan(1);
  });
});

describe('the plan', () => {
  test.for([
    {
      operation: LIST_VALUATIONS,
      factors: {
        sort: ['valuation_time', '-'],
        order: ['ASC', 'DESC', '-'],
        offset: ['0', '1', 'last', 'past', '-'],
        limit: ['0', '1', '2', '1000', '-'],
        range: ['whole', 'one-day', 'from', 'to', 'none-in-range', '-'],
      },
    },
    {
      operation: LIST_ORDERS,
      factors: {
        sort: ['status', '-'],
        order: ['ASC', '-'],
        offset: ['0', '1', 'last', 'past', '-'],
        limit: ['0', '1', '2', '1000', '-'],
        range: ['whole', 'one-day', 'from', 'to', 'none-in-range', '-'],
      },
    },
  ])('$operation: each documented value and boundary, and left out', ({ operation, factors }) => {
    expect(listFactors(SPEC.operation(operation), environment().pageLimit)).toEqual(factors);
  });

  test.for(['quick', 'full'] as const)('%s: every pair of values appears in some combination', (depth) => {
    const factors = listFactors(SPEC.operation(LIST_VALUATIONS), 2);
    const plan = combinations(factors, depth);
    const names = Object.keys(factors);
    const missing: string[] = [];
    for (const [i, a] of names.entries())
      for (const b of names.slice(i + 1))
        for (const va of factors[a])
          for (const vb of factors[b])
            if (!plan.some((c) => c.values[a] === va && c.values[b] === vb)) missing.push(`${a}=${va} ${b}=${vb}`);
    expect(missing).toEqual([]);
    expect(plan).toEqual(combinations(factors, depth));
  });

  test('full covers every triple, and so sends more than quick', () => {
    const factors = listFactors(SPEC.operation(LIST_VALUATIONS), 2);
    const full = combinations(factors, 'full');
    expect(full.length).toBeGreaterThan(combinations(factors, 'quick').length);
    const [a, b, c] = ['order', 'offset', 'range'];
    for (const va of factors[a])
      for (const vb of factors[b])
        for (const vc of factors[c])
          expect(
            full.some((x) => x.values[a] === va && x.values[b] === vb && x.values[c] === vc),
            `${va} ${vb} ${vc}`,
          ).toBe(true);
  });

  // The plans `npm run generate` stores for the default page limit must be covertable's, row for row.
  const PAGINATED = SPEC.manifest.operations.filter((op) => op.pagination).map((op) => op.operationId);
  test.for(PAGINATED.flatMap((operation) => (['quick', 'full'] as const).map((depth) => ({ operation, depth }))))(
    '$operation, $depth: the stored plan is the one covertable computes for the default page limit',
    ({ operation, depth }) => {
      const op = SPEC.operation(operation);
      const factors = listFactors(op, environment().pageLimit);
      expect(planOf(op, factors, depth)).toEqual(combinations(factors, depth));
    },
  );

  test('another page limit has other factors: its plan is computed, not the stored one', () => {
    const op = SPEC.operation(LIST_VALUATIONS);
    const factors = listFactors(op, 7);
    expect(factors.limit).toContain('7');
    const plan = planOf(op, factors, 'quick');
    expect(plan).toEqual(combinations(factors, 'quick'));
    expect(plan.some((c) => c.values.limit === '7')).toBe(true);
  });
});

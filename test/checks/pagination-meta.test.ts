/**
 * pagination-meta, one sub-assertion per row: count = data.length ≤ limit; offset and limit echo
 * the request or the defaults; total_count covers the page; a page short of the end is full (a
 * convention); sort and order echo the request or the defaults; no id repeats within a page.
 */
import { describe, expect, test } from 'vitest';
import { paginationMeta } from '../../src/checks/pagination-meta.js';
import type { ProbeKind } from '../../src/checks/types.js';
import { runCheck } from '../helpers/check-harness.js';
import {
  at,
  expectFindings,
  HISTORY,
  LIST_VALUATIONS,
  listAnswer,
  listResult,
  VALUATIONS_PATH,
  valuation,
  type WantFinding,
} from './fixtures.js';

const META = '#/components/schemas/ListMeta/properties';
const SORT = 'valuation_time';

interface Case {
  name: string;
  query: [string, string][];
  meta: Record<string, unknown>;
  /** Item days (valuation(day)), or items. */
  data: (number | Record<string, unknown>)[];
  kind?: ProbeKind;
  status?: number;
  want: WantFinding[];
}

const explicit: [string, string][] = [
  ['offset', '1'],
  ['limit', '3'],
];
const meta = (overrides: Record<string, unknown> = {}) => ({
  offset: 1,
  limit: 3,
  count: 3,
  total_count: 12,
  sort: SORT,
  order: 'ASC',
  ...overrides,
});

const cases: Case[] = [
  { name: 'a consistent page passes', query: explicit, meta: meta(), data: [1, 2, 3], want: [] },
  {
    name: 'the defaults echoed without paging parameters pass',
    query: [],
    meta: meta({ offset: 0, limit: 100, count: 12 }),
    data: HISTORY,
    want: [],
  },
  {
    name: 'an empty page at the end passes',
    query: [['offset', '12']],
    meta: meta({ offset: 12, limit: 100, count: 0 }),
    data: [],
    want: [],
  },
  {
    name: 'meta.count other than data.length fails',
    query: explicit,
    meta: meta({ count: 4 }),
    data: [1, 2, 3],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'meta.count is 4 but the page holds 3 items',
        pointer: '/meta/count',
        received: '4',
        expected: '3 (data.length)',
        at: `${META}/count`,
      },
    ],
  },
  {
    name: 'more items than limit fails',
    query: [
      ['offset', '1'],
      ['limit', '2'],
    ],
    meta: meta({ limit: 2 }),
    data: [1, 2, 3],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'the page holds 3 items, more than limit=2',
        pointer: '/data',
        at: at(VALUATIONS_PATH, 'get', 'parameters', 'limit'),
      },
    ],
  },
  {
    name: 'meta.offset other than the requested offset fails',
    query: explicit,
    meta: meta({ offset: 0 }),
    data: [1, 2, 3],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'meta.offset does not echo the request',
        pointer: '/meta/offset',
        received: '0',
        expected: '1',
        at: `${META}/offset`,
      },
    ],
  },
  {
    name: 'meta.offset other than the default fails, naming the default',
    query: [['limit', '3']],
    meta: meta({ offset: 5 }),
    data: [1, 2, 3],
    want: [{ severity: 'error', basis: 'documented', message: 'meta.offset does not echo', expected: '0 (the default)' }],
  },
  {
    name: 'meta.limit other than the requested limit fails',
    query: explicit,
    meta: meta({ limit: 100 }),
    data: [1, 2, 3],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'meta.limit does not echo the request',
        pointer: '/meta/limit',
        received: '100',
        expected: '3',
        at: `${META}/limit`,
      },
    ],
  },
  {
    name: 'meta.limit other than the documented default fails',
    query: [],
    meta: meta({ offset: 0, limit: 50, count: 12 }),
    data: HISTORY,
    want: [{ severity: 'error', basis: 'documented', message: 'meta.limit does not echo', expected: '100 (the documented default)' }],
  },
  {
    name: 'a total_count below what the page reaches fails',
    query: [
      ['offset', '10'],
      ['limit', '3'],
    ],
    meta: meta({ offset: 10, total_count: 12 }),
    data: [10, 11, 12],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'total_count 12 is less than what this page reaches (offset 10 + 3 items)',
        pointer: '/meta/total_count',
        expected: 'at least 13',
        at: `${META}/total_count`,
      },
    ],
  },
  {
    name: 'total_count is judged on data.length, not on meta.count',
    query: explicit,
    meta: meta({ count: 1, total_count: 3 }),
    data: [1, 2, 3],
    want: [
      { severity: 'error', basis: 'documented', message: 'meta.count is 1' },
      { severity: 'error', basis: 'documented', message: 'total_count 3 is less than what this page reaches (offset 1 + 3 items)' },
    ],
  },
  {
    name: 'a page short of the end warns (limit is documented as a maximum)',
    query: explicit,
    meta: meta({ count: 2 }),
    data: [1, 2],
    want: [
      {
        severity: 'warning',
        basis: 'convention',
        message: 'the page holds 2 items where 3 were due (offset 1, limit 3, total 12)',
        pointer: '/data',
        expected: '3',
      },
    ],
  },
  {
    name: 'the last page may be short',
    query: [
      ['offset', '10'],
      ['limit', '3'],
    ],
    meta: meta({ offset: 10, count: 2 }),
    data: [10, 11],
    want: [],
  },
  {
    name: 'meta.sort other than the requested sort fails',
    query: [...explicit, ['sort', SORT]],
    meta: meta({ sort: 'created_at' }),
    data: [1, 2, 3],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'meta.sort is not the requested sort',
        pointer: '/meta/sort',
        received: '"created_at"',
        expected: '"valuation_time"',
        at: `${META}/sort`,
      },
    ],
  },
  {
    name: 'meta.order other than the default fails',
    query: explicit,
    meta: meta({ order: 'DESC' }),
    data: [1, 2, 3],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'meta.order is not the default order',
        pointer: '/meta/order',
        received: '"DESC"',
        expected: '"ASC"',
      },
    ],
  },
  {
    name: 'meta.order other than the requested order (with sort) fails',
    query: [...explicit, ['sort', SORT], ['order', 'DESC']],
    meta: meta(),
    data: [3, 2, 1],
    want: [{ severity: 'error', basis: 'documented', message: 'meta.order is not the requested order', expected: '"DESC"' }],
  },
  {
    name: 'an order requested without sort may not apply: not judged ("if the sort parameter is specified")',
    query: [...explicit, ['order', 'DESC']],
    meta: meta(),
    data: [1, 2, 3],
    want: [],
  },
  {
    name: 'a page that does not echo sort and order is not judged on them',
    query: explicit,
    meta: meta({ sort: undefined, order: undefined }),
    data: [1, 2, 3],
    want: [],
  },
  {
    name: 'an id repeated within the page fails',
    query: explicit,
    meta: meta(),
    data: [valuation(1), valuation(2), valuation(3, valuation(1).id as string)],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'an id repeats within one page',
        pointer: '/data',
        received: `"${valuation(1).id}"`,
        at: at(VALUATIONS_PATH, 'get', 'x-pagination', 'id'),
      },
    ],
  },
  {
    name: 'items without ids are not judged on repeats',
    query: explicit,
    meta: meta(),
    data: [1, 2, 3].map((d) => ({ ...valuation(d), id: undefined })),
    want: [],
  },
  {
    name: 'a negative probe’s page is not judged (its parameters are broken on purpose)',
    query: explicit,
    meta: meta({ count: 9 }),
    data: [1],
    kind: 'negative',
    want: [],
  },
  { name: 'a non-200 is not a page', query: explicit, meta: meta({ count: 9 }), data: [1], status: 400, want: [] },
];

describe('pagination-meta', () => {
  test.for(cases)('$name', async ({ query, meta, data, kind, status, want }) => {
    const items = data.map((d) => (typeof d === 'number' ? valuation(d) : d));
    const observed = listResult(query, { meta, data: items }, { kind: kind ?? 'variant' });
    if (status) observed.status = status;
    const run = await runCheck(paginationMeta, LIST_VALUATIONS, { observed: [observed], exercise: false });
    expectFindings(run, want);
  });

  test('the same fault on several pages is one finding, counted', async () => {
    const observed = [1, 2].map((n) =>
      listResult(explicit, { meta: meta({ count: 4 }), data: [n, n + 1, n + 2].map((d) => valuation(d)) }),
    );
    const run = await runCheck(paginationMeta, LIST_VALUATIONS, { observed, exercise: false });
    expectFindings(run, [{ severity: 'error', basis: 'documented', message: 'meta.count is 4', occurrences: 2 }]);
    expect(run.stats.pagesChecked).toBe(2);
  });

  test('a page where some item has no id is not judged on repeats, and says so once', async () => {
    // Two items share an id, a third has none: "an id repeats" is not stated on a page whose items cannot all be told apart.
    const data = [valuation(1), valuation(1), { ...valuation(3), id: undefined }];
    const run = await runCheck(paginationMeta, LIST_VALUATIONS, {
      observed: [listResult(explicit, { meta: meta(), data })],
      exercise: false,
    });
    expect(run.failures).toEqual([]);
    expect(run.stats.notJudged).toBe(
      'repeated ids: item 2 carries no id at /id, so items cannot be told apart (response-schema reports the missing field)',
    );
  });

  test.for([
    { name: 'a correct list passes both probes', faults: {}, want: [] as string[] },
    { name: 'a list whose count is off fails on both pages, once', faults: { countOff: 1 }, want: ['/meta/count'] },
    { name: 'a list that does not echo limit fails on both pages, once', faults: { echoLimit: 7 }, want: ['/meta/limit'] },
  ])('exercise: $name', async ({ faults, want }) => {
    const run = await runCheck(paginationMeta, LIST_VALUATIONS, { answer: listAnswer(HISTORY, faults) });
    expect(run.probes.map((p) => [p.id, p.request.query])).toEqual([
      ['meta:defaults', []],
      ['meta:explicit', explicit],
    ]);
    expect(run.failures.map((f) => [f.pointer, f.occurrences])).toEqual(want.map((pointer) => [pointer, 2]));
  });
});

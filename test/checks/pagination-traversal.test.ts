/**
 * pagination-traversal: walking every page at a small limit yields total_count distinct ids, each
 * once, the same items in the same order as pages of the largest limit, with a steady total_count.
 */
import { describe, expect, test } from 'vitest';
import { paginationTraversal } from '../../src/checks/pagination-traversal.js';
import { environment, queryOf, runCheck } from '../helpers/check-harness.js';
import {
  at,
  expectFindings,
  HISTORY,
  LIST_VALUATIONS,
  type ListFaults,
  listAnswer,
  VALUATIONS_PATH,
  valuation,
  type WantFinding,
} from './fixtures.js';

const OFFSET = at(VALUATIONS_PATH, 'get', 'parameters', 'offset');
const TOTAL = '#/components/schemas/ListMeta/properties/total_count';
const id = (day: number) => valuation(day).id as string;

interface Case {
  name: string;
  faults: ListFaults;
  items?: Record<string, unknown>[];
  want: WantFinding[];
  skipped?: RegExp;
}

const cases: Case[] = [
  { name: 'a correct list passes', faults: {}, want: [] },
  {
    name: 'an offset ignored repeats the first page and misses the rest',
    faults: { ignoreOffset: true },
    want: [
      { severity: 'error', basis: 'documented', message: '10 id(s) appear on more than one page at limit 2', at: OFFSET },
      {
        severity: 'error',
        basis: 'documented',
        message: 'walking every page at limit 2 yields 2 distinct ids',
        received: '2',
        expected: 'total_count (12)',
        at: TOTAL,
      },
      {
        severity: 'error',
        basis: 'documented',
        message: 'small pages and large pages hold different items (10 missing, 0 extra)',
        at: OFFSET,
      },
    ],
  },
  {
    name: 'an item repeated on a late page, in place of another',
    faults: { repeatOnPage: 4 },
    want: [
      { severity: 'error', basis: 'documented', message: '1 id(s) appear on more than one page at limit 2', received: id(0) },
      { severity: 'error', basis: 'documented', message: 'yields 11 distinct ids' },
      { severity: 'error', basis: 'documented', message: '(1 missing, 0 extra)', received: `missing ${id(8)}; extra —` },
    ],
  },
  {
    name: 'an item small pages leave out (a gap) is one the large pages have',
    faults: { dropOnSmallPages: { below: 1000, id: id(5) } },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: '(1 missing, 0 extra)',
        received: `missing ${id(5)}; extra —`,
        expected: 'the 12 items of pages of 1000',
      },
    ],
  },
  {
    name: 'small pages in another order than large pages warn (ties are not documented)',
    faults: { reverseSmallPages: 1000 },
    want: [
      {
        severity: 'warning',
        basis: 'convention',
        message: 'small pages order the items differently from large pages',
        received: 'first difference at position 0',
      },
    ],
  },
  {
    name: 'a total_count that changes while walking warns (and the first one told is not met)',
    faults: { totalDrift: true },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'walking every page at limit 2 yields 12 distinct ids',
        expected: 'total_count (13)',
      },
      {
        severity: 'warning',
        basis: 'convention',
        message: 'total_count changed while walking at limit 2',
        received: '12, 13',
        expected: '13 on every page',
      },
    ],
  },
  {
    name: 'a page that is not a list page fails, and the walk stops',
    faults: { statusOn: (p) => (p.id === 'walk:small:4' ? 500 : undefined) },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'the page at offset 4 is not a list page',
        received: '500',
        at: at(VALUATIONS_PATH, 'get', 'responses', '200'),
      },
    ],
  },
  {
    name: 'the first request refused fails: a valid list request is due its 200 (regression: it passed silently)',
    faults: { statusOn: (p) => (p.id === 'walk:size' ? 400 : undefined) },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'a valid list request was answered 400 (learn total_count)',
        at: at(VALUATIONS_PATH, 'get', 'responses', '200'),
      },
    ],
  },
  { name: 'an empty list is skipped', faults: {}, items: [], want: [], skipped: /^total_count is 0: there is nothing to walk$/ },
  {
    name: 'an invented total_count is not walked for ever',
    faults: { total: 1_000_000 },
    want: [],
    skipped: /more than --max-pages 50 pages of 1000 items/,
  },
  {
    name: 'items without ids are not judged (the premise is missing)',
    faults: {},
    items: HISTORY.map((v) => ({ ...v, id: undefined })),
    want: [],
    skipped: /^not judged: item 0 carries no id at \/id/,
  },
];

describe('pagination-traversal', () => {
  test.for(cases)('$name', async ({ faults, items, want, skipped }) => {
    const run = await runCheck(paginationTraversal, LIST_VALUATIONS, { answer: listAnswer(items ?? HISTORY, faults) });
    expectFindings(run, want);
    expect(run.skipped).toEqual(skipped ? expect.stringMatching(skipped) : undefined);
  });

  test('walks at the small limit, then at the largest, and records what it walked', async () => {
    const run = await runCheck(paginationTraversal, LIST_VALUATIONS, { answer: listAnswer(HISTORY) });
    const walked = run.probes.map((p) => `${queryOf(p).get('offset') ?? '-'}/${queryOf(p).get('limit')}`);
    expect(walked).toEqual(['-/1', '0/2', '2/2', '4/2', '6/2', '8/2', '10/2', '0/1000']);
    expect(run.stats).toMatchObject({ total: 12, smallLimit: 2, pagesWalked: 7 });
  });

  test('the small limit is raised so the walk stays within --max-pages', async () => {
    const run = await runCheck(paginationTraversal, LIST_VALUATIONS, { answer: listAnswer(HISTORY), env: environment({ maxPages: 3 }) });
    expect(run.stats.smallLimit).toBe(4);
    expect(run.failures).toEqual([]);
  });
});

describe('pagination-traversal, a first answer that is no list', () => {
  test('a 200 that is no list page is skipped with the reason (response-schema reports the body), never passed', async () => {
    const run = await runCheck(paginationTraversal, LIST_VALUATIONS, { answer: () => ({ status: 200, json: { items: [] } }) });
    expect(run.status).toBe('skipped');
    expect(run.skipped).toBe('the answer to learn total_count is not a list page (response-schema reports its body)');
  });
});

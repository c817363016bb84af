/**
 * date-filter: with start_date and/or end_date every item lies in the inclusive UTC range, and the
 * filtered list holds every item of the unfiltered one in that range (when both are whole). An
 * exclusive end_date (only the end day missing) is a reading of "up until", so a warning.
 */
import { describe, expect, test } from 'vitest';
import { dateFilter } from '../../src/checks/date-filter.js';
import type { Probe } from '../../src/checks/types.js';
import { type FakeResponse, queryOf, runCheck } from '../helpers/check-harness.js';
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

type Answer = (probe: Probe) => FakeResponse;
const param = (name: string) => at(VALUATIONS_PATH, 'get', 'parameters', name);
const outside = (label: string, pointer: string, basisAt: string): WantFinding => ({
  severity: 'error',
  basis: 'documented',
  message: `an item outside ${label} is returned`,
  pointer,
  at: basisAt,
});

/** A correct filter that leaves out the item of day `day` whenever a filter is given. */
const dropping =
  (day: number, faults: ListFaults = {}): Answer =>
  (probe) => {
    const answer = listAnswer(HISTORY, faults)(probe);
    const q = queryOf(probe);
    if (!q.has('start_date') && !q.has('end_date')) return answer;
    const json = answer.json as { meta: Record<string, unknown>; data: Record<string, unknown>[] };
    const data = json.data.filter((v) => v.id !== valuation(day).id);
    return { ...answer, json: { meta: { ...json.meta, count: data.length, total_count: faults.total ?? data.length }, data } };
  };

/** The filtered pages carry one item without its valuation_time. */
const undated: Answer = (probe) => {
  const answer = listAnswer(HISTORY)(probe);
  if (!queryOf(probe).has('start_date')) return answer;
  const json = answer.json as { meta: Record<string, unknown>; data: Record<string, unknown>[] };
  return { ...answer, json: { ...json, data: json.data.map((v, i) => (i === 0 ? { ...v, valuation_time: undefined } : v)) } };
};

interface Case {
  name: string;
  answer: Answer;
  want: WantFinding[];
  skipped?: string;
}

const cases: Case[] = [
  { name: 'a filter that selects exactly the range passes', answer: listAnswer(HISTORY), want: [] },
  {
    name: 'an ignored filter returns items outside every range, each range reported',
    answer: listAnswer(HISTORY, { ignoreDates: true }),
    want: [
      outside('start_date=2024-01-04&end_date=2024-01-10', '/data/0/valuation_time', param('start_date')),
      outside('start_date=2024-01-10', '/data/0/valuation_time', param('start_date')),
      outside('end_date=2024-01-04', '/data/4/valuation_time', param('end_date')),
      outside('start_date=2024-01-04&end_date=2024-01-04', '/data/0/valuation_time', param('start_date')),
      outside('start_date=2024-01-13', '/data/0/valuation_time', param('start_date')),
      outside('end_date=2023-12-31', '/data/0/valuation_time', param('end_date')),
    ],
  },
  {
    name: 'an item without a date in a filtered page is outside the range',
    answer: undated,
    want: [
      { ...outside('start_date=2024-01-04&end_date=2024-01-10', '/data/0/valuation_time', param('start_date')), received: '(absent)' },
      { ...outside('start_date=2024-01-10', '/data/0/valuation_time', param('start_date')), received: '(absent)' },
      outside('start_date=2024-01-04&end_date=2024-01-04', '/data/0/valuation_time', param('start_date')),
    ],
  },
  {
    name: 'an item of the range left out fails',
    answer: dropping(5),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'start_date=2024-01-04&end_date=2024-01-10 leaves out 1 of the 7 items the unfiltered list has in that range',
        expected: 'the 7 items of the unfiltered list from 2024-01-04 to 2024-01-10',
        at: param('end_date'),
      },
    ],
  },
  {
    name: 'the start day’s item left out fails on start_date ("starting from and including")',
    answer: dropping(3),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'start_date=2024-01-04&end_date=2024-01-10 leaves out 1 of the 7',
        at: param('start_date'),
      },
      {
        severity: 'error',
        basis: 'documented',
        message: 'start_date=2024-01-04&end_date=2024-01-04 leaves out 1 of the 1',
        at: param('start_date'),
      },
      // Without start_date, the day left out is the end day: the exclusive reading of end_date.
      { severity: 'warning', basis: 'convention', message: 'end_date=2024-01-04 leaves out 1 of the 4' },
    ],
  },
  {
    name: 'an exclusive end_date warns (a reading of "up until"); one day of start and end is an error',
    answer: listAnswer(HISTORY, { endExclusive: true }),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'start_date=2024-01-04&end_date=2024-01-04 leaves out 1 of the 1',
        at: param('start_date'),
      },
      { severity: 'warning', basis: 'convention', message: 'start_date=2024-01-04&end_date=2024-01-10 leaves out 1 of the 7' },
      { severity: 'warning', basis: 'convention', message: 'end_date=2024-01-04 leaves out 1 of the 4' },
    ],
  },
  { name: 'when the list does not fit one page, left-out items are not judged', answer: dropping(5, { total: 5000 }), want: [] },
  { name: 'an empty list is skipped', answer: listAnswer([]), want: [], skipped: 'the list is empty: there are no dates to filter on' },
  {
    name: 'the unfiltered list refused fails (regression: it passed silently)',
    answer: listAnswer(HISTORY, { statusOn: () => 500 }),
    want: [
      { severity: 'error', basis: 'documented', message: 'a valid list request was answered 500 (the unfiltered list, to choose a range)' },
    ],
  },
  {
    name: 'a documented filter refused fails (regression: it passed silently)',
    answer: listAnswer(HISTORY, { refuseParameter: 'start_date' }),
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'a valid list request was answered 400',
        occurrences: 4,
        at: at(VALUATIONS_PATH, 'get', 'responses', '200'),
      },
    ],
  },
];

describe('date-filter', () => {
  test.for(cases)('$name', async ({ answer, want, skipped }) => {
    const run = await runCheck(dateFilter, LIST_VALUATIONS, { answer });
    expectFindings(run, want);
    expect(run.skipped).toBe(skipped);
  });

  test('the ranges are chosen from the list’s days, and recorded', async () => {
    const run = await runCheck(dateFilter, LIST_VALUATIONS, { answer: listAnswer(HISTORY) });
    expect(run.probes.map((p) => p.purpose)).toEqual([
      'the unfiltered list, to choose a range',
      'start_date=2024-01-04&end_date=2024-01-10',
      'start_date=2024-01-10',
      'end_date=2024-01-04',
      'start_date=2024-01-04&end_date=2024-01-04',
      'start_date=2024-01-13',
      'end_date=2023-12-31',
    ]);
    expect(run.stats.range).toEqual({ start: '2024-01-04', end: '2024-01-10', days: 12, complete: true });
  });
});

/** undocumented-property: a property the spec does not document is a warning at its pointer, never a failure. */
import { describe, expect, test } from 'vitest';
import { undocumentedProperty } from '../../src/checks/undocumented-property.js';
import { result, runCheck, type FakeResponse } from '../helpers/check-harness.js';
import { CURRENT_VALUATION, expectFindings, LIST_VALUATIONS, valuation, type WantFinding } from './fixtures.js';

interface Case {
  name: string;
  operation: string;
  given: FakeResponse[];
  want: WantFinding[];
}

const warns = (message: string, pointer: string, extra: Partial<WantFinding> = {}): WantFinding => ({
  severity: 'warning',
  basis: 'documented',
  message,
  pointer,
  at: '#/info/x-undocumented-properties',
  ...extra,
});
const list = (...items: unknown[]) => ({ meta: { offset: 0, limit: 10, count: items.length, total_count: items.length }, data: items });

const cases: Case[] = [
  { name: 'a documented body passes', operation: CURRENT_VALUATION, given: [{ status: 200, json: valuation(1) }], want: [] },
  {
    name: 'a top-level extra property warns at its pointer',
    operation: CURRENT_VALUATION,
    given: [{ status: 200, json: { ...valuation(1), portfolio_id: 'x' } }],
    want: [warns('undocumented property "portfolio_id" in the body (200)', '/portfolio_id', { received: 'property "portfolio_id"' })],
  },
  {
    name: 'an extra property inside an item warns at the item',
    operation: LIST_VALUATIONS,
    given: [{ status: 200, json: list({ ...valuation(1), note: 1 }) }],
    want: [warns('undocumented property "note" in /data/0 (200)', '/data/0/note')],
  },
  {
    name: 'the same extra property on every item is one finding',
    operation: LIST_VALUATIONS,
    given: [{ status: 200, json: list({ ...valuation(1), note: 1 }, { ...valuation(2), note: 2 }) }],
    want: [warns('"note"', '/data/0/note', { occurrences: 2 })],
  },
  {
    name: 'an extra property of a problem document warns too',
    operation: CURRENT_VALUATION,
    given: [{ status: 404, json: { type: 'not_found', status: 404, trace: 'abc' } }],
    want: [warns('undocumented property "trace" in the body (404)', '/trace')],
  },
  { name: 'a body that is not JSON has no properties', operation: CURRENT_VALUATION, given: [{ status: 200, raw: '<html>' }], want: [] },
  {
    name: 'an undocumented status has no schema to compare with',
    operation: CURRENT_VALUATION,
    given: [{ status: 418, json: { tea: true } }],
    want: [],
  },
];

describe('undocumented-property', () => {
  test.for(cases)('$name', async ({ operation, given, want }) => {
    const run = await runCheck(undocumentedProperty, operation, { observed: given.map((g) => result(g)) });
    expectFindings(run, want);
    expect(run.failures, 'never a failure').toEqual([]);
  });
});

/**
 * A schema rule that is a reading of the pages (x-convention in the spec) is a convention: a
 * body that breaks it gets a warning with that reading as its basis, never a failed gate; the
 * rules the pages state stay documented errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { schemaRuleBasis } from '../../src/checks/basis.js';
import { storedSchema } from '../../src/spec/manifest.js';
import { conventionOf, validateBody } from '../../src/spec/validate.js';

const sample = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../spec/samples/${name}`, import.meta.url), 'utf8')) as {
    meta: Record<string, unknown>;
    data: Record<string, unknown>[];
  };
const ORDERS = 'response_listPortfolioRebalancingExecutionOrders_200_json';

function ordersPage(order: Record<string, unknown>) {
  const page = sample('listPortfolioRebalancingExecutionOrders.200.json');
  return { ...page, meta: { ...page.meta, sort: 'status', count: 1, total_count: 1 }, data: [{ ...page.data[0], ...order }] };
}

describe('which broken rules are readings', () => {
  test.for([
    {
      name: 'an order event whose type is not the status its object has (the page example)',
      validator: 'event_REBALANCING_EXECUTION_ORDER_NEW',
      body: () => sample('webhook.REBALANCING_EXECUTION_ORDER.NEW.json'),
      reading: /event type names the status the order entered/,
    },
    {
      name: 'cancellation_reason on an order that is not CANCELLED',
      validator: ORDERS,
      body: () => ordersPage({ status: 'FILLED', cancellation_reason: 'UNKNOWN' }),
      reading: /absent for every other status is a reading/,
    },
  ])('$name: every violation carries the reading', ({ validator, body, reading }) => {
    const validation = validateBody(validator, body());
    expect(validation.valid).toBe(false);
    for (const violation of validation.violations) expect(violation.convention, JSON.stringify(violation)).toMatch(reading);
    const basis = schemaRuleBasis({ kind: 'documented', pointer: '#/x' }, validation.violations[0]!);
    expect(basis.kind).toBe('convention');
  });

  test.for([
    { name: 'a CANCELLED order without cancellation_reason (the page says it is present)', order: { status: 'CANCELLED' } },
    { name: 'an undocumented status', order: { status: 'DONE' } },
    { name: 'a created_at that is not a date-time', order: { created_at: 'yesterday' } },
  ])('$name: documented, no reading', ({ order }) => {
    const validation = validateBody(ORDERS, ordersPage(order));
    expect(validation.valid).toBe(false);
    for (const violation of validation.violations) expect(violation.convention, JSON.stringify(violation)).toBeUndefined();
    expect(schemaRuleBasis({ kind: 'documented', pointer: '#/x' }, validation.violations[0]!).kind).toBe('documented');
  });
});

describe('conventionOf walks the stored schema along the schema path', () => {
  // A schema as JSON text: an object literal with a `then` key would be a thenable.
  const stored: unknown = JSON.parse(`{
    "allOf": [{ "x-convention": "outer", "then": { "x-convention": "inner", "required": ["a"] } }],
    "else": { "x-convention": "e" }
  }`);
  test.for([
    { schemaPath: '#/allOf/0/then/required', keyword: 'required', params: {}, want: 'inner' },
    { schemaPath: '#/allOf/0/if', keyword: 'if', params: { failingKeyword: 'then' }, want: 'inner' },
    { schemaPath: '#/if', keyword: 'if', params: { failingKeyword: 'else' }, want: 'e' },
    { schemaPath: '#/allOf/0/properties/x/type', keyword: 'type', params: {}, want: 'outer' },
    { schemaPath: '#/properties/x/type', keyword: 'type', params: {}, want: undefined },
    { schemaPath: '#/allOf/7/then', keyword: 'const', params: {}, want: undefined },
  ])('$schemaPath ($keyword) → $want', ({ schemaPath, keyword, params, want }) => {
    expect(conventionOf(stored, { schemaPath, keyword, params })).toBe(want);
  });

  test('the generated stored schemas keep the readings and the validators do not need them', () => {
    expect(JSON.stringify(storedSchema('event_REBALANCING_EXECUTION_ORDER_FILLED'))).toContain('x-convention');
    expect(readFileSync(new URL('../../generated/validators.js', import.meta.url), 'utf8')).not.toContain('x-convention');
  });
});

describe('one cause, one violation', () => {
  const NEW_EVENT = 'event_REBALANCING_EXECUTION_ORDER_NEW';
  const event = (object: Record<string, unknown>) => {
    const e = sample('webhook.REBALANCING_EXECUTION_ORDER.NEW.json') as unknown as { object: Record<string, unknown> };
    return { ...e, object: { ...e.object, ...object } };
  };
  test.for([
    // Before: the const of the reading, the "must match then" wrapper quoting the whole event, and the enum.
    {
      name: 'an undocumented status in a typed event: the documented enum only',
      body: event({ status: 'LOST' }),
      want: ['/object/status enum'],
    },
    {
      name: 'a wrong but documented status: the reading only, without its if wrapper',
      body: event({ status: 'FILLED' }),
      want: ['/object/status const'],
    },
  ])('$name', ({ body, want }) => {
    const violations = validateBody(NEW_EVENT, body).violations;
    expect(violations.map((v) => `${v.instancePath} ${v.keyword}`)).toEqual(want);
  });

  test('cancellation_reason on a FILLED order: the else branch, not also its if', () => {
    const violations = validateBody(ORDERS, ordersPage({ status: 'FILLED', cancellation_reason: 'UNKNOWN' })).violations;
    expect(violations.map((v) => `${v.instancePath} ${v.keyword}`)).toEqual(['/data/0 not']);
  });
});

/**
 * webhook-events: each delivery signed with a published key, readable, ordered by created_at;
 * each event of a documented type and valid; undocumented properties a warning; what is seen at
 * the webhooks' enums recorded, and the types seen and missing.
 */
import { describe, expect, test } from 'vitest';
import { judgeDeliveries, webhookEvents } from '../../src/checks/webhook-events.js';
import { createRecorder } from '../../src/engine/check-context.js';
import { SPEC } from '../../src/spec/spec-view.js';
import type { Delivery } from '../../src/webhooks/receiver.js';
import { expectFindings, type WantFinding } from './fixtures.js';
import { delivery, event } from './webhook-fixtures.js';

const NEW = 'REBALANCING_EXECUTION_ORDER.NEW';
const ORDER_BODY = '#/webhooks/rebalancingExecutionOrderEvent/post/requestBody';

function judge(deliveries: Delivery[]) {
  const record = createRecorder({ check: webhookEvents, group: { key: 'webhooks', operationId: 'webhooks' } });
  judgeDeliveries(deliveries, SPEC, record);
  return record.outcome();
}

const cases: { name: string; deliveries: Delivery[]; want: WantFinding[] }[] = [
  { name: 'signed, ordered, valid events pass', deliveries: [delivery(0, [event(NEW), event('ACCOUNT.CREATED')])], want: [] },
  {
    name: 'deliveries without configured keys are not judged on signatures',
    deliveries: [delivery(0, [event(NEW)], { signature: undefined })],
    want: [],
  },
  {
    name: 'a signature that does not verify fails, by convention of the webhook pages',
    deliveries: [delivery(0, [event(NEW)], { signature: { ok: false, step: 'signature', message: 'the signature does not verify' } })],
    want: [
      {
        severity: 'warning',
        basis: 'convention',
        message: "a delivery's signature does not verify (signature)",
        received: 'the signature does not verify',
        probe: 'delivery:0',
      },
    ],
  },
  {
    name: 'a malformed delivery fails',
    deliveries: [delivery(0, [], { malformed: 'not JSON' })],
    want: [{ severity: 'error', basis: 'documented', message: 'a delivery is malformed: not JSON', at: '#/webhooks' }],
  },
  {
    name: 'events out of created_at order warn',
    deliveries: [
      delivery(0, [event(NEW, { created_at: '2024-01-02T00:00:00Z' }), event(NEW, { created_at: '2024-01-01T00:00:00Z' })], {
        ordered: false,
      }),
    ],
    want: [
      {
        severity: 'warning',
        basis: 'convention',
        message: 'events within a delivery are not ordered by created_at',
        received: '2024-01-02T00:00:00Z, 2024-01-01T00:00:00Z',
      },
    ],
  },
  {
    name: 'an event of an undocumented type fails',
    deliveries: [delivery(0, [event(NEW, { type: 'REBALANCING_EXECUTION_ORDER.EXPLODED' })])],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'an event of an undocumented type "REBALANCING_EXECUTION_ORDER.EXPLODED"',
        at: '#/webhooks',
      },
    ],
  },
  {
    name: 'an event that breaks its schema fails at the pointer',
    deliveries: [delivery(0, [event(NEW, {}, { account_id: 'not-a-uuid' })])],
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: `${NEW}: /object/account_id must match format "uuid"`,
        pointer: '/object/account_id',
        received: '"not-a-uuid"',
        at: ORDER_BODY,
      },
    ],
  },
  {
    name: 'the same fault in many events is one finding',
    deliveries: [delivery(0, [event(NEW, {}, { account_id: 'x' })]), delivery(1, [event(NEW, {}, { account_id: 'y' })])],
    want: [{ severity: 'error', basis: 'documented', message: '/object/account_id', occurrences: 2, probe: 'delivery:0' }],
  },
  {
    name: 'an undocumented property warns',
    deliveries: [delivery(0, [event(NEW, {}, { colour: 'red' })])],
    want: [
      {
        severity: 'warning',
        basis: 'documented',
        message: `${NEW}: undocumented property "colour"`,
        pointer: '/object/colour',
        at: '#/info/x-undocumented-properties',
      },
    ],
  },
];

describe('webhook-events', () => {
  test.for(cases)('$name', ({ deliveries, want }) => {
    expectFindings(judge(deliveries), want);
  });

  test('counts deliveries and events, lists the types seen and missing, and tallies the enums', () => {
    const outcome = judge([
      delivery(0, [event(NEW), event('REBALANCING_EXECUTION_ORDER.FILLED', {}, { status: 'FILLED' })]),
      delivery(1, [event('ACCOUNT.CREATED')]),
    ]);
    expect(outcome.stats).toMatchObject({
      deliveries: 2,
      events: 3,
      typesSeen: ['ACCOUNT.CREATED', 'REBALANCING_EXECUTION_ORDER.FILLED', NEW],
    });
    expect(outcome.stats.typesMissing).toContain('ACCOUNT.CLOSED');
    expect(outcome.stats.typesMissing).not.toContain(NEW);
    const status = outcome.enums?.find((e) => e.scope === 'webhook rebalancingExecutionOrderEvent' && e.pointer === '/object/status');
    expect(status?.observed).toEqual(['NEW', 'FILLED']);
    // The order status is not an account's: each webhook's enums count only its own events.
    const accountStatus = outcome.enums?.find((e) => e.scope === 'webhook accountEvent' && e.pointer === '/object/status');
    expect(accountStatus?.observed).not.toContain('NEW');
  });

  test('an enum shared by two webhooks counts only for the webhook whose event showed it', () => {
    const outcome = judge([delivery(0, [event('ACCOUNT_VALUATION.CREATED')])]);
    const observed = (scope: string) => outcome.enums?.filter((e) => e.scope === scope).flatMap((e) => e.observed);
    expect(observed('webhook accountValuationEvent')).toContain('EUR');
    expect(observed('webhook intradayAccountValuationEvent')).toEqual([]);
  });
});

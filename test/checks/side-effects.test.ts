/**
 * side-effects (the created-only-what-was-answered half; the re-read half is the provider run's,
 * src/engine/webhook-provider.ts): every order event belongs to an execution a request was
 * answered with. A refused or replayed request that created an execution shows as a stranger.
 */
import { describe, expect, test } from 'vitest';
import { judgeCreatedOnlyWhatWasAnswered, sideEffects } from '../../src/checks/side-effects.js';
import { createRecorder } from '../../src/engine/check-context.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { EXECUTION } from '../helpers/check-harness.js';
import { at, EXECUTIONS_PATH, expectFindings, OTHER_ACCOUNT, TRIGGER, type WantFinding } from './fixtures.js';
import { delivery, event } from './webhook-fixtures.js';

const order = (execution: unknown, type = 'REBALANCING_EXECUTION_ORDER.NEW') => event(type, {}, { execution_id: execution });

interface Case {
  name: string;
  /** Each delivery's events. */
  deliveries: unknown[][];
  answered: string[];
  want: WantFinding[];
  strangers: number;
}

const stranger = (execution: string, probe: string): WantFinding => ({
  severity: 'error',
  basis: 'documented',
  message: `order events arrive for execution ${execution}, no request was answered with`,
  received: execution,
  at: at(EXECUTIONS_PATH, 'post', 'responses', '200'),
  probe,
});

const cases: Case[] = [
  {
    name: 'order events of the answered execution pass',
    deliveries: [[order(EXECUTION)], [order(EXECUTION, 'REBALANCING_EXECUTION_ORDER.FILLED')]],
    answered: [EXECUTION],
    want: [],
    strangers: 0,
  },
  {
    name: 'execution ids compare without case',
    deliveries: [[order(EXECUTION.toUpperCase())]],
    answered: [EXECUTION],
    want: [],
    strangers: 0,
  },
  {
    name: 'order events of an execution nobody was answered with fail, at the first delivery that showed it',
    deliveries: [[order(EXECUTION)], [order(OTHER_ACCOUNT)], [order(OTHER_ACCOUNT, 'REBALANCING_EXECUTION_ORDER.CANCELLED')]],
    answered: [EXECUTION],
    want: [{ ...stranger(OTHER_ACCOUNT, 'delivery:1'), expected: `only the executions the trigger answered (${EXECUTION})` }],
    strangers: 1,
  },
  {
    name: 'two strangers are two findings',
    deliveries: [[order(OTHER_ACCOUNT), order('11111111-1111-4111-8111-111111111111')]],
    answered: [EXECUTION],
    want: [stranger(OTHER_ACCOUNT, 'delivery:0'), stranger('11111111-1111-4111-8111-111111111111', 'delivery:0')],
    strangers: 2,
  },
  {
    name: 'events of other webhooks are not orders, whatever they carry',
    deliveries: [[event('ACCOUNT.CREATED', {}, { execution_id: OTHER_ACCOUNT })]],
    answered: [],
    want: [],
    strangers: 0,
  },
  {
    name: 'an order event without execution_id is the schema’s finding',
    deliveries: [[order(undefined)]],
    answered: [],
    want: [],
    strangers: 0,
  },
];

describe('side-effects: created only what was answered', () => {
  test.for(cases)('$name', ({ deliveries, answered, want, strangers }) => {
    const record = createRecorder({ check: sideEffects, group: { key: 'webhooks', operationId: 'webhooks' } });
    judgeCreatedOnlyWhatWasAnswered({
      deliveries: deliveries.map((events, i) => delivery(i, events)),
      answered: new Set(answered),
      trigger: SPEC.operation(TRIGGER),
      record,
    });
    const outcome = record.outcome();
    expectFindings(outcome, want);
    expect(outcome.stats.executionsSeen).toBe(strangers);
  });
});

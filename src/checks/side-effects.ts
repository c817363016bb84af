/**
 * side-effects: a request changes what its answer says, and nothing else. Against a provider
 * whose clock and webhooks can be driven (an upvest-conformance mock): refused triggers (a body
 * that breaks its schema, an unsigned one, one whose token lacks the scope), a read, and the replay of a trigger are sent beside
 * one trigger that succeeds; then every rebalancing order event must belong to an execution a
 * request was answered with (a refused or replayed request created nothing), and the execution
 * the trigger created, read again once its orders have progressed, still shows what it was
 * asked for (x-reflects).
 */
import type { FindingRecorder } from '../engine/check-context.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import type { Delivery } from '../webhooks/receiver.js';
import { documented } from './basis.js';
import type { CheckInfo } from './types.js';

export const sideEffects: CheckInfo = {
  name: 'side-effects',
  title: 'Requests create what they answer and nothing else; created resources keep reflecting their request',
  severity: 'error',
  scope: 'provider-webhooks',
};

const ORDER_EVENT = /^REBALANCING_EXECUTION_ORDER\./;

/** Order events of executions no request was answered with: created by a refused or replayed request. */
export function judgeCreatedOnlyWhatWasAnswered(options: {
  deliveries: readonly Delivery[];
  answered: ReadonlySet<string>;
  trigger: ManifestOperation;
  record: FindingRecorder;
}): void {
  const strangers = new Map<string, string>();
  for (const delivery of options.deliveries) {
    for (const { event } of delivery.events) {
      const e = event as { type?: unknown; object?: { execution_id?: unknown } };
      if (typeof e.type !== 'string' || !ORDER_EVENT.test(e.type)) continue;
      const execution = String(e.object?.execution_id ?? '').toLowerCase();
      if (execution && !options.answered.has(execution) && !strangers.has(execution))
        strangers.set(execution, `delivery:${delivery.index}`);
    }
  }
  options.record.stat('executionsSeen', strangers.size);
  const more = options.answered.size > 3 ? ', …' : '';
  for (const [execution, probe] of strangers) {
    options.record.fail({
      key: `stranger ${execution}`,
      message: `order events arrive for execution ${execution}, no request was answered with: a refused or replayed request created it`,
      received: execution,
      expected: `only the executions the trigger answered (${[...options.answered].slice(0, 3).join(', ')}${more})`,
      // The trigger documents its creation by the 200 that names it.
      basis: documented(options.trigger, 'responses', '200'),
      at: { probe },
    });
  }
}

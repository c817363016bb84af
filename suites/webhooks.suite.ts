/**
 * The webhooks a provider delivers: against the bundled mock (or an upvest-conformance mock
 * given --mock-control), a receiver is registered, a rebalancing triggered and time moved on;
 * every delivery is judged. Against the sandbox, deliveries reach you through a tunnel:
 * check them with `upvest-conformance listen`.
 */
import { afterAll, beforeAll, describe, inject, test } from 'vitest';
import { renderFailure } from '../src/checks/failure.js';
import type { CheckOutcome } from '../src/checks/types.js';
import { prepareTarget } from '../src/engine/target.js';
import {
  checkProviderWebhooks,
  httpMockControl,
  WEBHOOK_CHECK,
  WEBHOOKS_OPERATION,
  type WebhookProviderResult,
} from '../src/engine/webhook-provider.js';
import { createSelection } from '../src/engine/selection.js';
import type { OperationSummary } from './context.js';

const target = inject('upvestTarget');
const prepared = prepareTarget(target);
afterAll(() => prepared.close());

const selection = createSelection(target.only, target.skip);
const skipReason = !target.mockControl
  ? 'the target is not an upvest-conformance mock: check its deliveries with `upvest-conformance listen`'
  : target.skip.includes('webhooks') ||
      (target.only.length > 0 && !target.only.includes('webhooks') && selection.check(WEBHOOK_CHECK) !== true)
    ? 'not selected'
    : undefined;

describe('webhooks', () => {
  let result: WebhookProviderResult | undefined;
  let durationMs = 0;
  beforeAll(async () => {
    if (skipReason) return;
    const started = performance.now();
    result = await checkProviderWebhooks(httpMockControl(target.baseUrl), prepared.client, target.accountIds);
    durationMs = Math.round(performance.now() - started);
  });

  const summary = (): OperationSummary => ({
    operation: WEBHOOKS_OPERATION,
    operationId: WEBHOOKS_OPERATION,
    method: 'POST',
    path: '(webhook deliveries)',
    documentedStatuses: [],
    statusesSeen: {},
    probes: result?.outcome.probes ?? 0,
    durationMs,
    ...(skipReason ? { skipReason } : {}),
  });

  test.for([`webhooks › ${WEBHOOK_CHECK}`, 'webhooks › enum-coverage'])('%s', (title, { task, skip }) => {
    const name = title.split(' › ')[1];
    const outcome: CheckOutcome = result
      ? name === WEBHOOK_CHECK
        ? result.outcome
        : result.enumOutcome
      : {
          check: name,
          title: name,
          operation: WEBHOOKS_OPERATION,
          operationId: WEBHOOKS_OPERATION,
          status: 'skipped',
          skipReason,
          failures: [],
          warnings: [],
          errors: [],
          probes: 0,
          stats: {},
          durationMs: 0,
        };
    task.meta.upvest = { outcome, operation: summary() };
    if (outcome.status === 'skipped') skip(outcome.skipReason);
    if (outcome.status === 'failed') throw new Error(outcome.failures.map(renderFailure).join('\n\n'));
    if (outcome.status === 'error') throw new Error(outcome.errors.map((e) => `${e.code}: ${e.message}`).join('\n'));
  });
});

/**
 * Replay against a webhook consumer (`upvest-conformance replay`): the findings of each
 * consumer check flow into the same reports as the API checks.
 */
import { beforeAll, describe, inject, test } from 'vitest';
import { renderFailure } from '../src/checks/failure.js';
import type { CheckOutcome } from '../src/checks/types.js';
import { loadSigningKey } from '../src/signing/index.js';
import { buildCorpus } from '../src/webhooks/corpus.js';
import { readCassette } from '../src/webhooks/listen.js';
import { CONSUMER_CHECKS, consumerOperation, replayToConsumer, type ReplayEvent } from '../src/webhooks/replay.js';
import type { OperationSummary } from './context.js';

const replay = inject('upvestReplay');
const operation = consumerOperation(replay.to);

describe(operation, () => {
  let outcomes: CheckOutcome[] = [];
  let durationMs = 0;
  beforeAll(async () => {
    const started = performance.now();
    const events = (
      replay.cassette
        ? readCassette(replay.cassette)
        : buildCorpus()
            .filter((e) => replay.types.length === 0 || replay.types.includes(e.type))
            .map((e) => e.event)
    ) as ReplayEvent[];
    const signingKey = replay.signingKeyPem
      ? loadSigningKey({ key: replay.signingKeyPem, keyId: replay.signingKeyId ?? 'replay' })
      : undefined;
    outcomes = await replayToConsumer({
      to: replay.to,
      events,
      mode: replay.mode,
      maxBatch: replay.batch,
      signingKey,
      signatureVersion: replay.signatureVersion,
      expectSignatureVerification: replay.expectSignatureVerification,
      timeoutMs: replay.timeoutMs,
    });
    durationMs = Math.round(performance.now() - started);
  });

  test.for(Object.values(CONSUMER_CHECKS).map((c) => [`${operation} › ${c.name}`, c.name] as const))('%s', ([, name], { task, skip }) => {
    const outcome = outcomes.find((o) => o.check === name);
    if (!outcome) throw new Error(`no outcome for ${name}: the replay stopped early`);
    const summary: OperationSummary = {
      operation,
      operationId: 'webhookConsumer',
      method: 'POST',
      path: replay.to,
      documentedStatuses: [200],
      statusesSeen: {},
      probes: outcomes.reduce((n, o) => n + o.probes, 0),
      durationMs,
    };
    task.meta.upvest = { outcome, operation: summary };
    if (outcome.status === 'skipped') skip(outcome.skipReason);
    if (outcome.status === 'failed') throw new Error(outcome.failures.map(renderFailure).join('\n\n'));
    if (outcome.status === 'error') throw new Error(outcome.errors.map((e) => `${e.code}: ${e.message}`).join('\n'));
  });
});

/** Deliveries as the receiver records them, for the provider-webhook checks' tests. */
import type { VerifyResult } from '../../src/signing/verify.js';
import { buildCorpus } from '../../src/webhooks/corpus.js';
import { validateEvent } from '../../src/webhooks/events.js';
import type { Delivery } from '../../src/webhooks/receiver.js';

const CORPUS = buildCorpus(1);

/** A valid event of `type` from the corpus, with `overrides` merged into it (and into its object). */
export function event(
  type: string,
  overrides: Record<string, unknown> = {},
  object: Record<string, unknown> = {},
): Record<string, unknown> {
  const found = CORPUS.find((c) => c.type === type);
  if (!found) throw new Error(`no corpus event of type ${type}`);
  const e = structuredClone(found.event);
  return { ...e, ...overrides, object: { ...(e.object as Record<string, unknown>), ...object } };
}

export const VERIFIED: VerifyResult = {
  ok: true,
  keyId: 'k1',
  coveredComponents: ['@method'],
  created: 0,
  version: '15',
  versionSource: 'header',
};

/** A delivery of `events`, ordered unless said otherwise, judged by the receiver's own validation. */
export function delivery(index: number, events: unknown[], extra: Partial<Delivery> = {}): Delivery {
  return {
    index,
    receivedAt: '2025-01-01T00:00:00.000Z',
    method: 'POST',
    path: '/webhooks',
    headers: { 'content-type': 'application/json' },
    bodyBytes: 100,
    signature: VERIFIED,
    events: events.map((e) => ({ event: e, verdict: validateEvent(e), duplicate: false, deliveryIndex: index })),
    ordered: true,
    status: 200,
    ...extra,
  };
}

/**
 * webhook-events: the events a provider delivers conform to the spec. A receiver is registered
 * with the provider, a rebalancing is triggered, time is moved on (order progress, daily and
 * intraday valuations, the account lifecycle), and every delivery is judged: signature, body
 * form, created_at order, each event's schema, its type documented.
 *
 * The provider is controlled through `WebhookProviderControl`: the bundled mock in process,
 * or any mock through its /__mock control endpoints. Against the real sandbox, deliveries are
 * checked with `upvest-conformance listen` instead.
 */
import { request } from 'undici';
import { newIdempotencyKey } from '../checks/requests.js';
import type { CheckOutcome } from '../checks/types.js';
import { judgeDeliveries, webhookEvents } from '../checks/webhook-events.js';
import type { UpvestClient } from '../client/upvest-client.js';
import { keyResolverFromJwks, type KeyResolver } from '../signing/index.js';
import type { SpecView } from '../spec/spec-view.js';
import { startReceiver } from '../webhooks/receiver.js';
import { createRecorder } from './check-context.js';
import { WEBHOOKS_GROUP } from './events.js';

// Defined with the other report groups, so that selection need not load the webhook driver.
export { WEBHOOKS_GROUP } from './events.js';

export interface WebhookProviderControl {
  /** Deliver events to this URL from now on. */
  register(url: string): Promise<void>;
  /** Move the provider's time forward. */
  advance(ms: number): Promise<void>;
  /** Resolves when the provider has nothing left to deliver. */
  idle(): Promise<void>;
  /** The provider's webhook signing keys (JWKS), if it publishes them. */
  keys(): Promise<KeyResolver | undefined>;
}

/** Control of the bundled mock through its /__mock endpoints (the mock may run in another process). */
export function httpMockControl(baseUrl: string): WebhookProviderControl {
  const call = async (path: string, method = 'POST') => {
    const res = await request(`${baseUrl}${path}`, { method });
    const body = (await res.body.json()) as Record<string, unknown>;
    if (res.statusCode !== 200) throw new Error(`${method} ${path} → ${res.statusCode}: ${String(body.detail ?? '')}`);
    return body;
  };
  return {
    register: async (url) => void (await call(`/__mock/webhooks?url=${encodeURIComponent(url)}`)),
    advance: async (ms) => void (await call(`/__mock/clock?advance=${ms}`)),
    idle: async () => {
      for (let i = 0; i < 400; i++) {
        if ((await call('/__mock/webhooks', 'GET')).queued === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('the provider still had events queued after 10 s');
    },
    keys: async () => {
      const res = await request(`${baseUrl}/auth/verify_keys`);
      if (res.statusCode !== 200) {
        await res.body.dump();
        return undefined;
      }
      return keyResolverFromJwks((await res.body.json()) as never);
    },
  };
}

/**
 * Register a receiver with the provider, make it produce every kind of event (a rebalancing,
 * time moved on by days), and judge every delivery: one webhook-events outcome.
 */
export async function checkProviderWebhooks(options: {
  control: WebhookProviderControl;
  client: UpvestClient;
  triggerAccounts: string[];
  spec: SpecView;
}): Promise<CheckOutcome> {
  const { control, client, spec } = options;
  const started = performance.now();
  const record = createRecorder({ check: webhookEvents, group: WEBHOOKS_GROUP });
  const keys = await control.keys();
  const receiver = await startReceiver({ keys, path: '/webhooks' });
  let failed = false;
  try {
    await control.register(receiver.url);
    const trigger = spec.operation('triggerPortfolioRebalancing');
    const created = await client.send({
      method: 'POST',
      path: trigger.path,
      body: { accounts: options.triggerAccounts },
      idempotencyKey: newIdempotencyKey(),
      auth: { scopes: trigger.scopes[0] },
      purpose: 'trigger a rebalancing, for its webhook events',
    });
    record.countProbe();
    if (created.status !== 200) {
      failed = true;
      record.error({
        probe: 'webhooks:trigger',
        code: 'CT_ERR_WEBHOOK_TRIGGER',
        message: `the rebalancing trigger was answered ${created.status}; order events may be missing`,
      });
    }
    // Order progress takes seconds; daily valuations and the account lifecycle take days.
    await control.advance(10_000);
    for (let hour = 0; hour < 72; hour++) await control.advance(3_600_000);
    await control.idle();
  } catch (error) {
    failed = true;
    record.error({ probe: 'webhooks:control', code: 'CT_ERR_WEBHOOK_PROVIDER', message: (error as Error).message });
  } finally {
    await receiver.close();
  }
  judgeDeliveries(receiver.deliveries, spec, record);
  if (receiver.deliveries.length === 0 && !failed) {
    record.error({ probe: 'webhooks:deliveries', code: 'CT_ERR_NO_DELIVERIES', message: 'the provider delivered no webhook events' });
  }
  record.addDuration(performance.now() - started);
  return record.outcome();
}

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
import { foreignScopes } from './environment.js';
import { request } from 'undici';
import { documented } from '../checks/basis.js';
import { reflectionProblem } from '../checks/reflection.js';
import { newIdempotencyKey } from '../checks/requests.js';
import { judgeCreatedOnlyWhatWasAnswered, sideEffects } from '../checks/side-effects.js';
import type { CheckOutcome } from '../checks/types.js';
import { judgeDeliveries, webhookEvents } from '../checks/webhook-events.js';
import type { ApiRequest, UpvestClient } from '../client/upvest-client.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import { keyResolverFromJwks, type KeyResolver } from '../signing/index.js';
import type { SpecView } from '../spec/spec-view.js';
import { startReceiver } from '../webhooks/receiver.js';
import { createRecorder, type FindingRecorder } from './check-context.js';
import { WEBHOOKS_GROUP } from './events.js';
import { skippedOutcome } from './outcome.js';

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

/** What the provider phase was given: the ids the run's requests were answered with, the execution it read. */
export interface ProviderContext {
  control: WebhookProviderControl;
  client: UpvestClient;
  triggerAccounts: string[];
  spec: SpecView;
  /** Executions the operations' requests were answered with, and the configured one. */
  known: string[];
  /** The checks to run (webhook-events, side-effects), by name. */
  selected: (name: string) => boolean;
}

/**
 * Register a receiver with the provider; send beside one successful trigger a refused trigger
 * (a body that breaks its schema), an unsigned one, a read and the replay of the trigger; make
 * the provider produce every kind of event (time moved on by days); then judge every delivery
 * (webhook-events), what was created (side-effects) and, once the orders have progressed,
 * what the created execution shows of its request (side-effects).
 */
export async function checkProviderWebhooks(options: ProviderContext): Promise<CheckOutcome[]> {
  const { control, client, spec } = options;
  const started = performance.now();
  const events = createRecorder({ check: webhookEvents, group: WEBHOOKS_GROUP });
  const effects = createRecorder({ check: sideEffects, group: WEBHOOKS_GROUP });
  const answered = new Set(options.known.map((id) => id.toLowerCase()));
  const trigger = spec.operation('triggerPortfolioRebalancing');
  const body = { accounts: options.triggerAccounts };
  const send = async (purpose: string, request: Partial<ApiRequest> = {}) => {
    const response = await client.send({
      method: 'POST',
      path: trigger.path,
      body,
      idempotencyKey: newIdempotencyKey(),
      auth: { scopes: trigger.scopes[0] },
      purpose,
      ...request,
    });
    effects.countProbe();
    const id = response.status < 300 ? (safeJson(response.body) as { id?: unknown } | undefined)?.id : undefined;
    if (typeof id === 'string') answered.add(id.toLowerCase());
    return { response, id: typeof id === 'string' ? id : undefined };
  };
  const keys = await control.keys();
  const receiver = await startReceiver({ keys, path: '/webhooks' });
  let failed = false;
  let created: string | undefined;
  try {
    await control.register(receiver.url);
    // What must create nothing: refused requests, a read, a replay.
    await send('a trigger whose body breaks its schema (must create nothing)', { body: { ...body, undocumented_field: true } });
    if (client.signs) await send('an unsigned trigger (must create nothing)', { signing: 'none' });
    const wrongScopes = client.tokens.scoped ? foreignScopes(trigger, spec) : undefined;
    if (wrongScopes)
      await send(`a trigger with a token of only ${wrongScopes.join(' ')} (must create nothing)`, { auth: { scopes: wrongScopes } });
    const reader = spec.operation('retrievePortfolioRebalancingExecution');
    const key = newIdempotencyKey();
    const first = await send('trigger a rebalancing, for its webhook events', { idempotencyKey: key });
    created = first.id;
    if (first.response.status !== 200) {
      failed = true;
      events.error({
        probe: 'webhooks:trigger',
        code: 'CT_ERR_WEBHOOK_TRIGGER',
        message: `the rebalancing trigger was answered ${first.response.status}; order events may be missing`,
      });
    } else {
      await send('the same trigger again, same idempotency-key (must create nothing new)', { idempotencyKey: key });
      await client.send({
        method: 'GET',
        path: reader.path.replace('{execution_id}', String(created)),
        auth: { scopes: reader.scopes[0] },
      });
    }
    // Order progress takes seconds; daily valuations and the account lifecycle take days.
    await control.advance(10_000);
    for (let hour = 0; hour < 72; hour++) await control.advance(3_600_000);
    await control.idle();
    // The provider's clock moved on 72 hours; tokens it issued before have expired by its clock.
    client.tokens.invalidateAll();
    if (created) await judgeReflectionAfterProgress({ client, spec, trigger, created, body, record: effects });
  } catch (error) {
    failed = true;
    events.error({ probe: 'webhooks:control', code: 'CT_ERR_WEBHOOK_PROVIDER', message: (error as Error).message });
  } finally {
    await receiver.close();
  }
  judgeDeliveries(receiver.deliveries, spec, events);
  if (receiver.deliveries.length === 0 && !failed) {
    events.error({ probe: 'webhooks:deliveries', code: 'CT_ERR_NO_DELIVERIES', message: 'the provider delivered no webhook events' });
  }
  if (!failed) judgeCreatedOnlyWhatWasAnswered({ deliveries: receiver.deliveries, answered, trigger, record: effects });
  else effects.skip('the provider could not be driven (see webhook-events)');
  const elapsed = performance.now() - started;
  events.addDuration(elapsed);
  return [
    options.selected(webhookEvents.name) ? events.outcome() : skippedOutcome(webhookEvents, WEBHOOKS_GROUP, 'not selected'),
    options.selected(sideEffects.name) ? effects.outcome() : skippedOutcome(sideEffects, WEBHOOKS_GROUP, 'not selected'),
  ];
}

/** The created execution read again once its orders have progressed: it still shows what it was asked for. */
async function judgeReflectionAfterProgress(options: {
  client: UpvestClient;
  spec: SpecView;
  trigger: ManifestOperation;
  created: string;
  body: unknown;
  record: FindingRecorder;
}): Promise<void> {
  for (const reflection of options.trigger.reflects ?? []) {
    const reader = options.spec.operation(reflection.reader);
    const response = await options.client.send({
      method: 'GET',
      path: reader.path.replace('{execution_id}', options.created),
      query: reader.pagination ? [['limit', '1000']] : undefined,
      auth: { scopes: reader.scopes[0] },
      purpose: `${reader.key} of ${options.created}, after its orders progressed`,
    });
    options.record.countProbe();
    if (response.status !== 200) continue;
    const problem = reflectionProblem(reflection, options.body, safeJson(response.body));
    if (!problem) continue;
    options.record.fail({
      key: `after ${reader.operationId} ${reflection.response}`,
      message: `${reader.key} of the created execution, after its orders progressed: ${problem.message}`,
      received: problem.received,
      expected: problem.expected,
      basis: documented(options.trigger, 'x-reflects'),
      at: { probe: `after-progress:${reader.operationId}`, request: response.exchange.request, response: response.exchange.response },
    });
  }
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

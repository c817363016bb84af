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
import { UpvestClient } from '../client/upvest-client.js';
import { secrets } from '../client/redact.js';
import { curlFor } from '../checks/failure.js';
import type { CheckOutcome, Failure } from '../checks/types.js';
import { genericPointer } from '../checks/util.js';
import { presentValuesAt } from '../checks/util.js';
import { keyResolverFromJwks, type KeyResolver } from '../signing/index.js';
import { manifest, operationById } from '../spec/manifest.js';
import { startReceiver, type Delivery } from '../webhooks/receiver.js';

export const WEBHOOK_CHECK = 'webhook-events';
export const WEBHOOKS_OPERATION = 'webhooks';
const TITLE = 'Webhook events a provider delivers are signed, ordered and valid';

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

export interface WebhookProviderResult {
  outcome: CheckOutcome;
  enumOutcome: CheckOutcome;
  failures: Failure[];
}

function outcome(
  check: string,
  title: string,
  failures: Failure[],
  warnings: Failure[],
  stats: Record<string, unknown>,
  probes: number,
  errors: CheckOutcome['errors'] = [],
): CheckOutcome {
  return {
    check,
    title,
    operation: WEBHOOKS_OPERATION,
    operationId: WEBHOOKS_OPERATION,
    status: failures.length > 0 ? 'failed' : errors.length > 0 ? 'error' : 'passed',
    failures,
    warnings,
    errors,
    probes,
    stats,
    durationMs: 0,
  };
}

export async function checkProviderWebhooks(
  control: WebhookProviderControl,
  client: UpvestClient,
  triggerAccounts: string[],
): Promise<WebhookProviderResult> {
  const failures: Failure[] = [];
  const warnings: Failure[] = [];
  const reported = new Set<string>();
  const keys = await control.keys();
  const receiver = await startReceiver({ keys, path: '/webhooks' });
  const fail = (
    key: string,
    f: Omit<Failure, 'check' | 'operation' | 'title' | 'severity'> & { severity?: Failure['severity'] },
    delivery?: Delivery,
  ) => {
    if (reported.has(key)) return;
    reported.add(key);
    const failure: Failure = {
      check: WEBHOOK_CHECK,
      operation: WEBHOOKS_OPERATION,
      title: TITLE,
      severity: 'error',
      ...f,
      message: secrets.scrub(f.message),
      received: secrets.scrub(f.received),
      ...(delivery ? { probe: `delivery:${delivery.index}` } : {}),
    };
    (failure.severity === 'warning' ? warnings : failures).push(failure);
  };
  const errors: CheckOutcome['errors'] = [];
  try {
    await control.register(receiver.url);
    const trigger = operationById('triggerPortfolioRebalancing');
    const created = await client.send({
      method: 'POST',
      path: trigger.path,
      body: { accounts: triggerAccounts },
      idempotencyKey: UpvestClient.idempotencyKey(),
      auth: { scopes: trigger.scopes[0] },
      purpose: 'trigger a rebalancing, for its webhook events',
    });
    if (created.status !== 200)
      errors.push({
        probe: 'webhooks:trigger',
        code: 'CT_ERR_WEBHOOK_TRIGGER',
        message: `the rebalancing trigger was answered ${created.status}; order events may be missing`,
      });
    // Order progress takes seconds; daily valuations and the account lifecycle take days.
    await control.advance(10_000);
    for (let hour = 0; hour < 72; hour++) await control.advance(3_600_000);
    await control.idle();
  } catch (error) {
    errors.push({ probe: 'webhooks:control', code: 'CT_ERR_WEBHOOK_PROVIDER', message: (error as Error).message });
  } finally {
    await receiver.close();
  }

  const observed = new Map(manifest.enums.filter((e) => e.scope.kind === 'webhook').map((e) => [e, new Set<string | number>()]));
  const types = new Set<string>();
  let events = 0;
  for (const delivery of receiver.deliveries) {
    const request = { method: delivery.method, url: delivery.path, headers: delivery.headers };
    if (delivery.signature && !delivery.signature.ok)
      fail(
        `sig ${delivery.signature.step}`,
        {
          message: `a delivery's signature does not verify (${delivery.signature.step})`,
          received: delivery.signature.message,
          expected: 'a signature made with a key of /auth/verify_keys',
          request,
          curl: curlFor(request),
        },
        delivery,
      );
    if (delivery.malformed)
      fail(
        'malformed',
        {
          message: `a delivery is malformed: ${delivery.malformed}`,
          received: `${delivery.bodyBytes} bytes`,
          expected: 'an event, or {"payload": [events]}',
        },
        delivery,
      );
    if (!delivery.ordered)
      fail(
        'order',
        {
          message: 'events within a delivery are not ordered by created_at',
          received: delivery.events.map((e) => (e.event as { created_at?: string }).created_at).join(', '),
          expected: 'created_at ascending (oldest first)',
        },
        delivery,
      );
    for (const received of delivery.events) {
      events++;
      const { verdict } = received;
      if (verdict.type) types.add(verdict.type);
      if (verdict.unknownType) {
        fail(
          `type ${verdict.type}`,
          {
            message: `an event of an undocumented type ${JSON.stringify(verdict.type)}`,
            received: String(verdict.type),
            expected: `one of the ${manifest.eventTypes.length} documented event types`,
          },
          delivery,
        );
        continue;
      }
      for (const v of verdict.validation?.violations ?? []) {
        fail(
          `${verdict.type} ${genericPointer(v.instancePath)} ${v.keyword}`,
          {
            message: `${verdict.type}: ${v.instancePath || '/'} ${v.message}`,
            received: JSON.stringify(v.value) ?? '(absent)',
            expected: v.keyword === 'enum' ? `one of ${(v.params.allowedValues as unknown[]).join(', ')}` : v.message,
            pointer: v.instancePath,
          },
          delivery,
        );
      }
      for (const u of verdict.validation?.undocumented ?? []) {
        fail(
          `${verdict.type} undocumented ${u.instancePath}/${u.property}`,
          {
            message: `${verdict.type}: undocumented property "${u.property}"`,
            received: `property "${u.property}"`,
            expected: 'only documented properties',
            pointer: `${u.instancePath}/${u.property}`,
            severity: 'warning',
          },
          delivery,
        );
      }
      const webhook = manifest.eventTypes.find((t) => t.type === verdict.type)?.webhook;
      for (const [e, seen] of observed) {
        if (e.scope.kind !== 'webhook' || e.scope.webhook !== webhook) continue;
        for (const value of presentValuesAt(received.event, e.pointer)) if (e.values.includes(value as string)) seen.add(value as string);
      }
    }
  }
  if (receiver.deliveries.length === 0 && errors.length === 0)
    errors.push({ probe: 'webhooks:deliveries', code: 'CT_ERR_NO_DELIVERIES', message: 'the provider delivered no webhook events' });
  const enums = [...observed].map(([e, seen]) => ({
    scope: `webhook ${e.scope.kind === 'webhook' ? e.scope.webhook : ''}`,
    pointer: e.pointer,
    status: 'event',
    values: e.values,
    observed: e.values.filter((v) => seen.has(v)),
  }));
  const stats = {
    deliveries: receiver.deliveries.length,
    events,
    typesSeen: [...types].sort(),
    typesMissing: manifest.eventTypes.map((t) => t.type).filter((t) => !types.has(t)),
  };
  const total = enums.reduce((n, e) => n + e.values.length, 0);
  const seen = enums.reduce((n, e) => n + e.observed.length, 0);
  return {
    outcome: outcome(WEBHOOK_CHECK, TITLE, failures, warnings, stats, receiver.deliveries.length, errors),
    enumOutcome: outcome(
      'enum-coverage',
      'Documented enum values observed in webhook events',
      [],
      [],
      { enums, coverage: { observed: seen, total, percent: total === 0 ? 100 : Math.round((seen / total) * 1000) / 10 } },
      0,
    ),
    failures: [...failures, ...warnings],
  };
}

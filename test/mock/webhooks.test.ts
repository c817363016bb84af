import { request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import { UpvestClient } from '../../src/client/upvest-client.js';
import { WebhookDispatcher } from '../../src/mock/webhook-dispatcher.js';
import type { WebhookEvent } from '../../src/mock/events.js';
import { generateSigningKey, keyResolverFromJwks, verifyRequest } from '../../src/signing/index.js';
import { manifest } from '../../src/spec/manifest.js';
import { validateBody } from '../../src/spec/validate.js';
import { mockSetup, type MockSetup } from '../helpers/mock-setup.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

interface Event {
  id: string;
  created_at: string;
  type: string;
  object: Record<string, unknown>;
}

let setup: MockSetup | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await setup?.close();
  await receiver?.close();
  setup = undefined;
  receiver = undefined;
});

function eventsOf(body: Buffer): Event[] {
  const parsed = JSON.parse(body.toString('utf8')) as { payload?: Event[] } & Event;
  return parsed.payload ?? [parsed];
}

function validator(type: string): string {
  const entry = manifest.eventTypes.find((e) => e.type === type);
  if (!entry) throw new Error(`undocumented event type ${type}`);
  return entry.validator;
}

/** The i-th of a series of events, one second apart. */
const event = (i: number): WebhookEvent => ({
  id: `event-${i}`,
  created_at: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
  type: 'ACCOUNT_VALUATION.CREATED',
  object: {},
  webhook_id: 'w',
});

async function trigger(s: MockSetup, accounts: string[]): Promise<string> {
  const res = await s.send({
    method: 'POST',
    path: '/portfolios/rebalancings/executions',
    body: { accounts },
    idempotencyKey: UpvestClient.idempotencyKey(),
    auth: { scopes: ['portfolios:admin'] },
  });
  return res.json<{ id: string }>().id;
}

describe('mock: webhooks out', () => {
  test('order status changes arrive bundled, ordered by created_at, signed with the key of /auth/verify_keys, valid', async () => {
    receiver = await startReceiver();
    setup = await mockSetup({ webhookUrl: receiver.url, webhookRetryDelaysMs: [10] });
    const [portfolio, , trading] = setup.mock.fixtures.accounts;
    const execution = await trigger(setup, [portfolio.id, trading.id]);
    setup.clock.advance(1);
    setup.clock.advance(2_000);
    setup.clock.advance(3_000);
    await setup.mock.webhooks.idle();

    const jwks = (await (await request(`${setup.mock.url}/auth/verify_keys`)).body.json()) as { keys: { kid: string; crv: string }[] };
    expect(jwks.keys[0]).toMatchObject({ kid: setup.mock.fixtures.webhookKeyId, kty: 'EC', crv: 'P-521' });
    const keys = keyResolverFromJwks(jwks as never);

    const events: Event[] = [];
    for (const delivery of receiver.received) {
      expect(delivery.headers['content-type']).toBe('application/json');
      const verdict = verifyRequest({ method: 'POST', url: delivery.url, headers: delivery.headers, body: delivery.body }, keys);
      expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
      const parsed = JSON.parse(delivery.body.toString('utf8')) as { payload: Event[] };
      expect(Array.isArray(parsed.payload)).toBe(true);
      const times = parsed.payload.map((e) => e.created_at);
      expect(times).toEqual([...times].sort());
      events.push(...parsed.payload);
    }
    const mine = events.filter((e) => e.object.execution_id === execution);
    expect(mine.map((e) => `${e.object.account_id === portfolio.id ? 'portfolio' : 'trading'} ${e.type}`).sort()).toEqual([
      'portfolio REBALANCING_EXECUTION_ORDER.FILLED',
      'portfolio REBALANCING_EXECUTION_ORDER.NEW',
      'portfolio REBALANCING_EXECUTION_ORDER.PROCESSING',
      'trading REBALANCING_EXECUTION_ORDER.CANCELLED',
      'trading REBALANCING_EXECUTION_ORDER.NEW',
    ]);
    for (const event of events)
      expect(validateBody(validator(event.type), event)).toEqual({ valid: true, violations: [], undocumented: [] });
  });

  test('a delivery without 200 is retried with backoff and blocks the ones behind it', async () => {
    receiver = await startReceiver((_request, index) => (index < 2 ? 500 : 200));
    setup = await mockSetup({ webhookUrl: receiver.url, webhookRetryDelaysMs: [20, 40] });
    await trigger(setup, [setup.mock.fixtures.accounts[0].id]);
    setup.clock.advance(1);
    setup.clock.advance(2_000);
    await setup.mock.webhooks.idle();
    const deliveries = receiver.received.map((r) =>
      eventsOf(r.body)
        .map((e) => e.id)
        .join(','),
    );
    // The first bundle is sent three times (two failures); nothing overtakes it.
    expect(deliveries[0]).toBe(deliveries[1]);
    expect(deliveries[1]).toBe(deliveries[2]);
    expect(setup.mock.webhooks.stats()).toMatchObject({ failedAttempts: 2, queued: 0 });
    const ids = receiver.received.slice(2).flatMap((r) => eventsOf(r.body).map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('single mode sends one event per request, as the documentation examples show', async () => {
    receiver = await startReceiver();
    setup = await mockSetup({ webhookUrl: receiver.url, webhookMode: 'single' });
    await trigger(setup, [setup.mock.fixtures.accounts[0].id]);
    setup.clock.advance(5_001);
    await setup.mock.webhooks.idle();
    expect(receiver.received.length).toBe(3);
    for (const delivery of receiver.received) {
      const body = JSON.parse(delivery.body.toString('utf8')) as Event;
      expect(body.type).toMatch(/^REBALANCING_EXECUTION_ORDER\./);
      expect(validateBody(validator(body.type), body).valid).toBe(true);
    }
  });

  test('as days pass, every event type of every webhook is produced, and all are valid', async () => {
    receiver = await startReceiver();
    setup = await mockSetup({ webhookUrl: receiver.url });
    await trigger(
      setup,
      setup.mock.fixtures.accounts.map((a) => a.id),
    );
    for (let hour = 0; hour < 72; hour++) setup.clock.advance(3_600_000);
    await setup.mock.webhooks.idle();
    const events = receiver.received.flatMap((r) => eventsOf(r.body));
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(manifest.eventTypes.map((e) => e.type)));
    const invalid = events.filter((e) => !validateBody(validator(e.type), e).valid).map((e) => e.type);
    expect(invalid).toEqual([]);
    const daily = events.filter((e) => e.type === 'ACCOUNT_VALUATION.CREATED');
    expect(daily).toHaveLength(3 * setup.mock.fixtures.accounts.length);
    const business = events.find((e) => e.type === 'ACCOUNT.UPDATED');
    expect(business?.object.business_id).toBeTruthy();
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  test('the queue is bounded: past its limit the oldest events are dropped and counted, so an unacknowledged stream cannot grow memory', () => {
    // Nothing is registered, so nothing is sent: every event stays queued, as behind a receiver that never acknowledges.
    const small = new WebhookDispatcher({ signingKey: generateSigningKey('ed25519', 'k'), mode: 'bundled', maxQueue: 5 });
    small.enqueue([7, 3, 11, 0, 9, 1, 5].map(event));
    small.enqueue([2, 10, 4, 8, 6].map(event));
    expect(small.stats()).toMatchObject({ queued: 5, dropped: 7, deliveries: 0 });
    // The mock's dispatcher keeps the default bound.
    const mockSized = new WebhookDispatcher({ signingKey: generateSigningKey('ed25519', 'k'), mode: 'bundled' });
    mockSized.enqueue(Array.from({ length: 10_050 }, (_, i) => event(i)));
    expect(mockSized.stats()).toMatchObject({ queued: 10_000, dropped: 50 });
  });

  test('the newest events are the ones kept', async () => {
    receiver = await startReceiver();
    const dispatcher = new WebhookDispatcher({ signingKey: generateSigningKey('ed25519', 'k'), mode: 'bundled', maxQueue: 3 });
    dispatcher.enqueue([4, 0, 2, 1, 3].map(event));
    dispatcher.register(receiver.url);
    await dispatcher.idle();
    expect(receiver.received.flatMap((r) => eventsOf(r.body).map((e) => e.id))).toEqual(['event-2', 'event-3', 'event-4']);
    await dispatcher.close();
  });
});

/**
 * The webhook events the mock's world produces as its clock moves: order status changes,
 * a scripted account lifecycle, a daily valuation per account and hourly intraday valuations.
 * `collect(now)` returns each event once, ordered by created_at.
 */
import type { components } from '../../generated/types.js';
import type { Clock } from './clock.js';
import { DAY_MS, rfc3339 } from './clock.js';
import { orderView, type MockAccount, type World } from './data.js';
import { stableUuid } from './ids.js';

export interface WebhookEvent {
  id: string;
  created_at: string;
  type: string;
  object: unknown;
  webhook_id: string;
}

type AccountStatus = components['schemas']['AccountStatus'];

const HOUR_MS = 3_600_000;
/** At most this many events of one kind per collect, so a huge clock jump stays bounded. */
const MAX_PER_KIND = 500;

interface LifecycleStep {
  afterMs: number;
  account: number;
  type: string;
  status: AccountStatus;
}

/** A scripted account lifecycle (relative to the mock's start) so every ACCOUNT.* type occurs. */
const LIFECYCLE: LifecycleStep[] = [
  { afterMs: 10 * 60_000, account: 5, type: 'ACCOUNT.CREATED', status: 'PENDING_APPROVAL' },
  { afterMs: 20 * 60_000, account: 5, type: 'ACCOUNT.ACTIVATED', status: 'ACTIVE' },
  { afterMs: 30 * 60_000, account: 4, type: 'ACCOUNT.UPDATED', status: 'ACTIVE' },
  { afterMs: 3 * HOUR_MS, account: 2, type: 'ACCOUNT.LOCKED', status: 'LOCKED' },
  { afterMs: DAY_MS + HOUR_MS, account: 5, type: 'ACCOUNT.CLOSING_INITIATED', status: 'CLOSING' },
  { afterMs: 2 * DAY_MS + HOUR_MS, account: 5, type: 'ACCOUNT.CLOSED', status: 'CLOSED' },
];

export class EventSource {
  private last: number;
  private readonly start: number;
  private readonly seed: number;
  /** Events left out because one collect would have produced too many. */
  dropped = 0;

  constructor(
    private readonly world: World,
    clock: Clock,
  ) {
    this.start = world.options.start;
    this.last = clock.now();
    this.seed = world.options.seed;
    // The seeded history happened before the mock started: it is not announced again.
    for (const order of world.orders.values()) order.announced = true;
  }

  private envelope(type: string, at: number, object: unknown, ...key: (string | number)[]): WebhookEvent {
    const family = type.split('.')[0];
    return {
      id: stableUuid(this.seed, 'event', type, ...key),
      created_at: rfc3339(at),
      type,
      object,
      webhook_id: stableUuid(this.seed, 'webhook', family),
    };
  }

  collect(now: number): WebhookEvent[] {
    const from = this.last;
    this.last = Math.max(now, from);
    const within = (t: number) => t > from && t <= now;
    const events: { at: number; event: WebhookEvent }[] = [];
    const push = (list: { at: number; event: WebhookEvent }[]) => {
      if (list.length > MAX_PER_KIND) this.dropped += list.length - MAX_PER_KIND;
      events.push(...list.slice(-MAX_PER_KIND));
    };

    const orders: { at: number; event: WebhookEvent }[] = [];
    for (const order of this.world.orders.values()) {
      for (const [index, transition] of order.transitions.entries()) {
        // Creation is announced once, whenever it happened; later changes by time.
        if (index === 0 ? order.announced || transition.at > now : !within(transition.at)) continue;
        if (index === 0) order.announced = true;
        orders.push({
          at: transition.at,
          event: this.envelope(
            `REBALANCING_EXECUTION_ORDER.${transition.status}`,
            transition.at,
            orderView(order, transition.at),
            order.id,
            transition.at,
          ),
        });
      }
    }
    push(orders);

    push(
      LIFECYCLE.filter((step) => within(this.start + step.afterMs)).map((step) => {
        const at = this.start + step.afterMs;
        return { at, event: this.envelope(step.type, at, this.accountObject(step.account, step.status, at), step.account, step.afterMs) };
      }),
    );

    const daily: { at: number; event: WebhookEvent }[] = [];
    for (let k = Math.max(1, Math.ceil((from - this.start) / DAY_MS)); this.start + k * DAY_MS <= now; k++) {
      const at = this.start + k * DAY_MS;
      if (!within(at)) continue;
      const day = Math.floor(this.start / DAY_MS) - 1 + k;
      for (const account of this.world.accounts)
        daily.push({ at, event: this.envelope('ACCOUNT_VALUATION.CREATED', at, this.world.valuation(account, day), account.id, day) });
    }
    push(daily);

    const intraday: { at: number; event: WebhookEvent }[] = [];
    for (let k = Math.max(1, Math.ceil((from - this.start) / HOUR_MS)); this.start + k * HOUR_MS <= now; k++) {
      const at = this.start + k * HOUR_MS;
      if (!within(at)) continue;
      for (const account of this.world.accounts.filter((a) => a.type === 'PORTFOLIO' && a.instruments.length > 0)) {
        intraday.push({
          at,
          event: this.envelope('INTRADAY_ACCOUNT_VALUATION.CREATED', at, this.intradayValuation(account, at), account.id, k),
        });
      }
    }
    push(intraday);

    return events.sort((a, b) => a.at - b.at).map((e) => e.event);
  }

  /** Account index 5 is the scripted newcomer; others are the seeded accounts. */
  private accountObject(index: number, status: AccountStatus, at: number) {
    const seeded = this.world.accounts[index] as MockAccount | undefined;
    const base = {
      id: seeded?.id ?? stableUuid(this.seed, 'account', index),
      created_at: rfc3339(seeded?.createdAt ?? this.start + 10 * 60_000),
      updated_at: rfc3339(at),
      account_group_id: seeded?.accountGroupId ?? stableUuid(this.seed, 'account-group', 0),
      type: seeded?.type ?? 'PORTFOLIO',
      name: seeded?.name ?? 'New portfolio account',
      status,
      account_number: seeded?.accountNumber ?? index + 1,
    };
    return seeded?.businessId
      ? { ...base, business_id: seeded.businessId }
      : { ...base, users: seeded?.users ?? [{ id: stableUuid(this.seed, 'user', 0), type: 'OWNER' }] };
  }

  private intradayValuation(account: MockAccount, at: number) {
    const day = Math.floor(at / DAY_MS);
    const valuation = this.world.valuation(account, day);
    return {
      ...valuation,
      id: stableUuid(this.seed, 'intraday', account.id, at),
      created_at: rfc3339(at),
      updated_at: rfc3339(at),
      valuation_time: rfc3339(at),
    };
  }
}

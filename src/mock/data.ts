/**
 * The mock's seeded world: accounts (TRADING and PORTFOLIO, one Business Account), their
 * instruments, a daily EOD valuation history computed on demand (never held in memory, so a
 * history of 100k days costs nothing until read), allocations, and executions whose orders
 * cover every status and every cancellation reason.
 */
import type { Faker } from '@faker-js/faker';
import { createFaker, randomIsin } from '../data/instance-generator.js';
import type { components } from '../../generated/types.js';
import { DAY_MS, isoDate, rfc3339 } from './clock.js';
import { stableUuid } from './ids.js';

export type AccountValuation = components['schemas']['AccountValuation'];
export type ExecutionOrder = components['schemas']['RebalancingExecutionOrder'];
export type OrderStatus = ExecutionOrder['status'];
export type CancellationReason = NonNullable<ExecutionOrder['cancellation_reason']>;

export const CANCELLATION_REASONS: CancellationReason[] = [
  'ACCOUNT_IS_EMPTY',
  'ACCOUNT_NOT_FOUND',
  'CANCELLED_BY_CLIENT',
  'CANCELLED_BY_UPVEST',
  'CONFIGURATION_IS_MISSING',
  'INVALID_ACCOUNT_TYPE',
  'PORTFOLIO_IS_BALANCED',
  'UNKNOWN',
];

export interface Instrument {
  uuid: string;
  isin: string;
  basePrice: number;
  quantity: number;
  phase: number;
  /** No price yet: the position's value and weight are null. */
  unpriced: boolean;
}

export interface MockAccount {
  id: string;
  accountGroupId: string;
  name: string;
  type: 'TRADING' | 'PORTFOLIO';
  accountNumber: number;
  users: { id: string; type: 'OWNER' | 'GUARDIAN' | 'CHILD' }[];
  businessId?: string;
  createdAt: number;
  instruments: Instrument[];
  /** What a rebalancing of this account ends in. */
  rebalancing: { outcome: 'FILLED' } | { outcome: 'CANCELLED'; reason: CancellationReason };
}

export interface OrderRecord {
  id: string;
  executionId: string;
  accountId: string;
  createdAt: number;
  /** Status changes in time order; the order's status at t is the last change at or before t. */
  transitions: { at: number; status: OrderStatus }[];
  portfolioOrderId: string | null;
  /** Time the portfolio order exists from (null until then). */
  portfolioOrderAt: number;
  cancellation?: { reason: CancellationReason; details: string };
  /** Set once the order's creation (its NEW event) has been announced to webhooks. */
  announced?: boolean;
}

export interface ExecutionRecord {
  id: string;
  clientId: string;
  createdAt: number;
  accounts?: string[];
  allocations?: string[];
  orderIds: string[];
}

export interface WorldOptions {
  seed: number;
  /** The moment the mock starts: the valuation history ends on the day before. */
  start: number;
  /** Days of daily valuations per account. */
  valuationDays: number;
  /** Positions per valuation of a portfolio account. */
  positionsPerValuation: number;
}

/** Daily EOD valuations are stamped at 22:00 UTC and created 15 minutes later. */
const VALUATION_HOUR_MS = 22 * 3_600_000;

export class World {
  readonly accounts: MockAccount[];
  readonly allocations: { id: string; accountIds: string[] }[];
  readonly executions = new Map<string, ExecutionRecord>();
  readonly orders = new Map<string, OrderRecord>();
  /** Day number (days since epoch) of the first valuation. */
  readonly firstDay: number;
  private readonly faker: Faker;
  private readonly startDay: number;

  constructor(
    readonly options: WorldOptions,
    readonly clientId: string,
  ) {
    this.faker = createFaker(options.seed);
    this.startDay = Math.floor(options.start / DAY_MS);
    this.firstDay = this.startDay - options.valuationDays;
    this.accounts = this.seedAccounts();
    this.allocations = [
      { id: stableUuid(options.seed, 'allocation', 0), accountIds: [this.accounts[0].id, this.accounts[1].id] },
      { id: stableUuid(options.seed, 'allocation', 1), accountIds: [this.accounts[3].id] },
    ];
    this.seedExecutions();
  }

  private seedAccounts(): MockAccount[] {
    const f = this.faker;
    const seed = this.options.seed;
    const n = this.options.positionsPerValuation;
    const instruments = (account: number, count: number, unpricedLast: boolean): Instrument[] =>
      Array.from({ length: count }, (_, i) => ({
        uuid: stableUuid(seed, 'instrument', account, i),
        isin: randomIsin(f),
        basePrice: f.number.float({ min: 5, max: 400, fractionDigits: 2 }),
        quantity: f.number.float({ min: 0.5, max: 40, fractionDigits: 6 }),
        phase: f.number.float({ min: 0, max: 6.28, fractionDigits: 3 }),
        unpriced: unpricedLast && i === count - 1,
      }));
    const group = stableUuid(seed, 'account-group', 0);
    const owner = { id: stableUuid(seed, 'user', 0), type: 'OWNER' as const };
    const created = this.options.start - (this.options.valuationDays + 30) * DAY_MS;
    const account = (
      index: number,
      fields: Omit<MockAccount, 'id' | 'accountGroupId' | 'accountNumber' | 'createdAt' | 'name'> & { name?: string },
    ): MockAccount => ({
      id: stableUuid(seed, 'account', index),
      accountGroupId: fields.businessId ? stableUuid(seed, 'account-group', 1) : group,
      accountNumber: index + 1,
      createdAt: created,
      name: fields.name ?? `${f.person.firstName()}'s ${fields.type === 'TRADING' ? 'trading' : 'portfolio'} account`,
      ...fields,
    });
    return [
      account(0, { type: 'PORTFOLIO', users: [owner], instruments: instruments(0, n, true), rebalancing: { outcome: 'FILLED' } }),
      account(1, {
        type: 'PORTFOLIO',
        users: [owner, { id: stableUuid(seed, 'user', 1), type: 'GUARDIAN' }],
        instruments: instruments(1, Math.max(1, n - 1), false),
        rebalancing: { outcome: 'CANCELLED', reason: 'PORTFOLIO_IS_BALANCED' },
      }),
      account(2, {
        type: 'TRADING',
        users: [{ id: stableUuid(seed, 'user', 2), type: 'CHILD' }],
        instruments: instruments(2, Math.max(1, n - 2), false),
        rebalancing: { outcome: 'CANCELLED', reason: 'INVALID_ACCOUNT_TYPE' },
      }),
      account(3, { type: 'PORTFOLIO', users: [owner], instruments: [], rebalancing: { outcome: 'CANCELLED', reason: 'ACCOUNT_IS_EMPTY' } }),
      account(4, {
        type: 'PORTFOLIO',
        users: [],
        businessId: stableUuid(seed, 'business', 0),
        name: `${f.company.name()} treasury`,
        instruments: instruments(4, 2, false),
        rebalancing: { outcome: 'CANCELLED', reason: 'CONFIGURATION_IS_MISSING' },
      }),
    ];
  }

  /** The seeded executions: one whose orders show every status and every cancellation reason. */
  private seedExecutions(): void {
    const seed = this.options.seed;
    const base = this.options.start - 6 * DAY_MS;
    const showcase: { status: OrderStatus; reason?: CancellationReason }[] = [
      { status: 'NEW' },
      { status: 'PROCESSING' },
      { status: 'FILLED' },
      ...CANCELLATION_REASONS.map((reason) => ({ status: 'CANCELLED' as const, reason })),
    ];
    const execution: ExecutionRecord = {
      id: stableUuid(seed, 'execution', 0),
      clientId: this.clientId,
      createdAt: base,
      accounts: [],
      orderIds: [],
    };
    showcase.forEach((spec, i) => {
      const accountId =
        spec.reason === 'ACCOUNT_NOT_FOUND' ? stableUuid(seed, 'unknown-account', i) : this.accounts[i % this.accounts.length].id;
      if (!execution.accounts!.includes(accountId)) execution.accounts!.push(accountId);
      // Spread creation over six days so that date filters select real subsets.
      const createdAt = base + (i % 6) * DAY_MS + i * 60_000;
      this.addOrder(execution, accountId, createdAt, spec.status, spec.reason, i);
    });
    this.executions.set(execution.id, execution);

    const byAllocation: ExecutionRecord = {
      id: stableUuid(seed, 'execution', 1),
      clientId: this.clientId,
      createdAt: base + DAY_MS,
      allocations: [this.allocations[0].id],
      orderIds: [],
    };
    this.allocations[0].accountIds.forEach((accountId, i) => {
      this.addOrder(byAllocation, accountId, byAllocation.createdAt + i * 1000, 'FILLED', undefined, 100 + i);
    });
    this.executions.set(byAllocation.id, byAllocation);
  }

  private addOrder(
    execution: ExecutionRecord,
    accountId: string,
    createdAt: number,
    status: OrderStatus,
    reason: CancellationReason | undefined,
    index: number,
  ): void {
    const id = stableUuid(this.options.seed, 'order', execution.id, index);
    const transitions: OrderRecord['transitions'] = [{ at: createdAt, status: 'NEW' }];
    if (status === 'PROCESSING' || status === 'FILLED') transitions.push({ at: createdAt + 60_000, status: 'PROCESSING' });
    if (status === 'FILLED') transitions.push({ at: createdAt + 3_600_000, status: 'FILLED' });
    if (status === 'CANCELLED') transitions.push({ at: createdAt + 120_000, status: 'CANCELLED' });
    // A portfolio order exists once processing started; orders cancelled in checks never get one.
    const hasPortfolioOrder =
      status === 'PROCESSING' ||
      status === 'FILLED' ||
      reason === 'CANCELLED_BY_CLIENT' ||
      reason === 'CANCELLED_BY_UPVEST' ||
      reason === 'UNKNOWN';
    this.orders.set(id, {
      id,
      executionId: execution.id,
      accountId,
      createdAt,
      transitions,
      portfolioOrderId: hasPortfolioOrder ? stableUuid(this.options.seed, 'portfolio-order', id) : null,
      portfolioOrderAt: createdAt + 60_000,
      ...(reason ? { cancellation: { reason, details: cancellationDetails(reason) } } : {}),
    });
    execution.orderIds.push(id);
  }

  account(id: string): MockAccount | undefined {
    return this.accounts.find((a) => a.id === id);
  }

  /** Days (since epoch) with a published valuation at `now`: a new one every 24 h after start. */
  valuationDayRange(now: number): { first: number; last: number } {
    const elapsedDays = Math.max(0, Math.floor((now - this.options.start) / DAY_MS));
    return { first: this.firstDay, last: this.startDay - 1 + elapsedDays };
  }

  /** The EOD valuation of an account for one day, computed from the seed. */
  valuation(account: MockAccount, day: number): AccountValuation {
    const valuationTime = day * DAY_MS + VALUATION_HOUR_MS;
    const priced = account.instruments.map((instrument, i) => {
      const drift =
        1 + 0.15 * Math.sin(day / 29 + instrument.phase) + (0.0005 * (day - this.firstDay)) / Math.max(1, this.options.valuationDays);
      const price = instrument.basePrice * drift;
      // Quantities change now and then (savings plans, rebalancings).
      const quantity = instrument.quantity * (1 + 0.05 * Math.floor(((day + i * 7) % 90) / 30));
      return { instrument, quantity, value: instrument.unpriced ? null : Math.round(price * quantity * 100) / 100 };
    });
    const totalCents = priced.reduce((sum, p) => sum + (p.value === null ? 0 : Math.round(p.value * 100)), 0);
    const weights = exactWeights(
      priced.map((p) => (p.value === null ? null : Math.round(p.value * 100))),
      totalCents,
    );
    const id = stableUuid(this.options.seed, 'valuation', account.id, day);
    return {
      id,
      account_id: account.id,
      created_at: rfc3339(valuationTime + 900_000),
      updated_at: rfc3339(valuationTime + 900_000),
      price_quality: 'EOD',
      security_positions: priced.map((p, i) => ({
        instrument: { uuid: p.instrument.uuid, isin: p.instrument.isin },
        quantity: p.quantity.toFixed(6),
        value: p.value === null ? null : { amount: p.value.toFixed(2), currency: 'EUR', price_time: rfc3339(day * DAY_MS) },
        weight: weights[i],
      })),
      total_security_value: { amount: (totalCents / 100).toFixed(2), currency: 'EUR' },
      valuation_time: rfc3339(valuationTime),
    };
  }

  /** The day number of a valuation date string (YYYY-MM-DD). */
  static dayOf(date: string): number {
    return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
  }

  static dateOfDay(day: number): string {
    return isoDate(day * DAY_MS);
  }
}

/** Weights as 6-decimal strings that sum to exactly 1 (the largest absorbs the rounding). */
function exactWeights(cents: (number | null)[], totalCents: number): (string | null)[] {
  if (totalCents === 0) return cents.map((c) => (c === null ? null : '0.000000'));
  const micros = cents.map((c) => (c === null ? null : Math.round((c / totalCents) * 1_000_000)));
  const sum = micros.reduce<number>((s, m) => s + (m ?? 0), 0);
  let largest = -1;
  micros.forEach((m, i) => {
    if (m !== null && (largest < 0 || m > (micros[largest] as number))) largest = i;
  });
  if (largest >= 0) micros[largest] = (micros[largest] as number) + (1_000_000 - sum);
  return micros.map((m) => (m === null ? null : (m / 1_000_000).toFixed(6)));
}

function cancellationDetails(reason: CancellationReason): string {
  const text: Record<CancellationReason, string> = {
    ACCOUNT_IS_EMPTY: 'The account has no positions.',
    ACCOUNT_NOT_FOUND: 'The portfolio account was not found.',
    CANCELLED_BY_CLIENT: "Cancelled at the client's request.",
    CANCELLED_BY_UPVEST: 'Cancelled by Upvest.',
    CONFIGURATION_IS_MISSING: 'The account has no portfolio configuration.',
    INVALID_ACCOUNT_TYPE: 'A rebalancing on a trading account is not allowed.',
    PORTFOLIO_IS_BALANCED: 'Portfolio is balanced, no need to rebalance.',
    UNKNOWN: 'The rebalancing could not be completed.',
  };
  return text[reason];
}

/** The API view of an order at time `now`. */
export function orderView(order: OrderRecord, now: number): ExecutionOrder {
  let status: OrderStatus = 'NEW';
  let updatedAt = order.createdAt;
  for (const transition of order.transitions) {
    if (transition.at <= now) {
      status = transition.status;
      updatedAt = transition.at;
    }
  }
  return {
    id: order.id,
    execution_id: order.executionId,
    account_id: order.accountId,
    portfolio_order_id: order.portfolioOrderId !== null && now >= order.portfolioOrderAt ? order.portfolioOrderId : null,
    status,
    created_at: rfc3339(order.createdAt),
    updated_at: rfc3339(updatedAt),
    ...(status === 'CANCELLED' && order.cancellation
      ? { cancellation_reason: order.cancellation.reason, cancellation_details: order.cancellation.details }
      : {}),
  };
}

/** The five operations of the slice, as the mock implements them on its World. */
import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { rfc3339 } from './clock.js';
import { orderView, World, type ExecutionOrder, type ExecutionRecord, type OrderRecord } from './data.js';
import { jsonResponse, problemResponse, type MockResponse } from './http.js';

export interface OperationContext {
  clientId: string;
  requestId: string;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  body?: unknown;
  /** The raw body bytes, for idempotency comparison. */
  rawBody: Buffer;
}

interface IdempotentEntry {
  bodyHash: string;
  response: MockResponse;
  expiresAt: number;
}

export interface OperationsOptions {
  idempotencyTtlMs: number;
  maxIdempotencyKeys: number;
  maxExecutions: number;
  /** Fault mode: a replayed key creates a new execution. */
  replayCreatesNew?: boolean;
}

/** Delays of a new order's lifecycle, from its creation. */
export const ORDER_TIMELINE = { processingAfterMs: 2_000, cancelledAfterMs: 1_500, filledAfterMs: 5_000 };

export class Operations {
  private readonly idempotency = new Map<string, IdempotentEntry>();
  /** Executions created through the API, oldest first (seeded ones are never evicted). */
  private readonly created: string[] = [];

  constructor(
    private readonly world: World,
    private readonly clock: Clock,
    private readonly options: OperationsOptions,
  ) {}

  /** Called after the world changed through the API (a new execution), e.g. to emit webhooks. */
  onChange?: () => void;

  get idempotencyKeys(): number {
    return this.idempotency.size;
  }

  handle(operationId: string, ctx: OperationContext): MockResponse {
    switch (operationId) {
      case 'triggerPortfolioRebalancing':
        return this.trigger(ctx);
      case 'retrievePortfolioRebalancingExecution':
        return this.retrieve(ctx);
      case 'listPortfolioRebalancingExecutionOrders':
        return this.listOrders(ctx);
      case 'getCurrentAccountValuation':
        return this.currentValuation(ctx);
      case 'listAccountValuations':
        return this.listValuations(ctx);
      default:
        return problemResponse(404, `operation ${operationId} is not implemented by the mock`, ctx.requestId);
    }
  }

  private execution(ctx: OperationContext): ExecutionRecord | undefined {
    const execution = this.world.executions.get(String(ctx.path.execution_id).toLowerCase());
    // Executions are visible to the client that created them only.
    return execution && execution.clientId === ctx.clientId ? execution : undefined;
  }

  private trigger(ctx: OperationContext): MockResponse {
    const now = this.clock.now();
    this.expireIdempotency(now);
    const key = `${ctx.clientId}\u0000${String(ctx.header['idempotency-key']).toLowerCase()}`;
    const bodyHash = createHash('sha256').update(canonicalJson(ctx.body)).digest('hex');
    const previous = this.options.replayCreatesNew ? undefined : this.idempotency.get(key);
    if (previous) {
      if (previous.bodyHash !== bodyHash) {
        return problemResponse(
          400,
          'idempotency-key was already used with a different request body; use a new key for a new request',
          ctx.requestId,
        );
      }
      // The same request again: the same response, under this request's id.
      const replay = JSON.parse(previous.response.body ?? '{}') as unknown;
      return jsonResponse(previous.response.status, replay, ctx.requestId);
    }

    const body = ctx.body as { accounts?: string[]; allocations?: string[] };
    let targets: string[];
    if (body.accounts) {
      if (body.accounts.length === 0) return problemResponse(400, 'accounts must name at least one account', ctx.requestId);
      targets = [...new Set(body.accounts.map((a) => a.toLowerCase()))];
    } else {
      const allocations = body.allocations ?? [];
      if (allocations.length === 0) return problemResponse(400, 'allocations must name at least one allocation', ctx.requestId);
      targets = [];
      for (const id of allocations) {
        const allocation = this.world.allocations.find((a) => a.id === id.toLowerCase());
        if (!allocation) return problemResponse(404, `allocation ${id} not found`, ctx.requestId);
        for (const accountId of allocation.accountIds) if (!targets.includes(accountId)) targets.push(accountId);
      }
    }

    const execution: ExecutionRecord = {
      id: randomUUID(),
      clientId: ctx.clientId,
      createdAt: now,
      ...(body.accounts ? { accounts: targets } : { allocations: body.allocations!.map((a) => a.toLowerCase()) }),
      orderIds: [],
    };
    targets.forEach((accountId) => {
      const order = this.plannedOrder(execution, accountId, now);
      this.world.orders.set(order.id, order);
      execution.orderIds.push(order.id);
    });
    this.world.executions.set(execution.id, execution);
    this.created.push(execution.id);
    this.evictExecutions();

    this.onChange?.();
    const response = jsonResponse(200, { id: execution.id }, ctx.requestId);
    while (this.idempotency.size >= this.options.maxIdempotencyKeys)
      this.idempotency.delete(this.idempotency.keys().next().value as string);
    this.idempotency.set(key, { bodyHash, response, expiresAt: now + this.options.idempotencyTtlMs });
    return response;
  }

  /** A new order and the lifecycle it will go through, decided by the account it rebalances. */
  private plannedOrder(execution: ExecutionRecord, accountId: string, now: number): OrderRecord {
    const account = this.world.account(accountId);
    const id = randomUUID();
    const transitions: OrderRecord['transitions'] = [{ at: now, status: 'NEW' }];
    let cancellation: OrderRecord['cancellation'];
    let portfolioOrderId: string | null = null;
    const outcome = account ? account.rebalancing : ({ outcome: 'CANCELLED', reason: 'ACCOUNT_NOT_FOUND' } as const);
    if (outcome.outcome === 'FILLED') {
      portfolioOrderId = randomUUID();
      transitions.push(
        { at: now + ORDER_TIMELINE.processingAfterMs, status: 'PROCESSING' },
        { at: now + ORDER_TIMELINE.filledAfterMs, status: 'FILLED' },
      );
    } else {
      transitions.push({ at: now + ORDER_TIMELINE.cancelledAfterMs, status: 'CANCELLED' });
      cancellation = { reason: outcome.reason, details: `Rebalancing cancelled: ${outcome.reason.toLowerCase().replace(/_/g, ' ')}.` };
    }
    return {
      id,
      executionId: execution.id,
      accountId,
      createdAt: now,
      transitions,
      portfolioOrderId,
      portfolioOrderAt: now + ORDER_TIMELINE.processingAfterMs,
      cancellation,
    };
  }

  private evictExecutions(): void {
    while (this.created.length > this.options.maxExecutions) {
      const id = this.created.shift() as string;
      const execution = this.world.executions.get(id);
      for (const orderId of execution?.orderIds ?? []) this.world.orders.delete(orderId);
      this.world.executions.delete(id);
    }
  }

  private expireIdempotency(now: number): void {
    for (const [key, entry] of this.idempotency) {
      if (entry.expiresAt > now) break; // insertion order = expiry order
      this.idempotency.delete(key);
    }
  }

  private retrieve(ctx: OperationContext): MockResponse {
    const execution = this.execution(ctx);
    if (!execution) return problemResponse(404, `rebalancing execution ${String(ctx.path.execution_id)} not found`, ctx.requestId);
    return jsonResponse(200, executionView(execution), ctx.requestId);
  }

  ordersOf(execution: ExecutionRecord, now: number): ExecutionOrder[] {
    return execution.orderIds
      .map((id) => this.world.orders.get(id))
      .filter((o): o is OrderRecord => Boolean(o))
      .map((o) => orderView(o, now));
  }

  private listOrders(ctx: OperationContext): MockResponse {
    const execution = this.execution(ctx);
    if (!execution) return problemResponse(404, `rebalancing execution ${String(ctx.path.execution_id)} not found`, ctx.requestId);
    const { offset, limit, sort, order } = ctx.query as { offset: number; limit: number; sort: string; order: string };
    const start = ctx.query.start_date as string | undefined;
    const end = ctx.query.end_date as string | undefined;
    const all = this.ordersOf(execution, this.clock.now())
      .filter((o) => (!start || o.created_at.slice(0, 10) >= start) && (!end || o.created_at.slice(0, 10) <= end))
      .sort((a, b) => compare(a.status, b.status) || compare(a.created_at, b.created_at) || compare(a.id, b.id));
    if (order === 'DESC') all.reverse();
    const data = all.slice(offset, offset + limit);
    return jsonResponse(200, { meta: { offset, limit, count: data.length, total_count: all.length, sort, order }, data }, ctx.requestId);
  }

  private currentValuation(ctx: OperationContext): MockResponse {
    const account = this.world.account(String(ctx.path.account_id).toLowerCase());
    if (!account) return problemResponse(404, `account ${String(ctx.path.account_id)} not found`, ctx.requestId);
    const { last } = this.world.valuationDayRange(this.clock.now());
    return jsonResponse(200, this.world.valuation(account, last), ctx.requestId);
  }

  private listValuations(ctx: OperationContext): MockResponse {
    const account = this.world.account(String(ctx.path.account_id).toLowerCase());
    if (!account) return problemResponse(404, `account ${String(ctx.path.account_id)} not found`, ctx.requestId);
    const { offset, limit, sort, order } = ctx.query as { offset: number; limit: number; sort: string; order: string };
    const range = this.world.valuationDayRange(this.clock.now());
    const lo = ctx.query.start_date ? Math.max(range.first, World.dayOf(ctx.query.start_date as string)) : range.first;
    const hi = ctx.query.end_date ? Math.min(range.last, World.dayOf(ctx.query.end_date as string)) : range.last;
    const total = Math.max(0, hi - lo + 1);
    const count = Math.max(0, Math.min(limit, total - offset));
    // Only the requested page is computed: the history is never materialised.
    const data = Array.from({ length: count }, (_, i) =>
      this.world.valuation(account, order === 'DESC' ? hi - offset - i : lo + offset + i),
    );
    return jsonResponse(200, { meta: { offset, limit, count, total_count: total, sort, order }, data }, ctx.requestId);
  }
}

export function executionView(execution: ExecutionRecord) {
  return {
    id: execution.id,
    created_at: rfc3339(execution.createdAt),
    updated_at: rfc3339(execution.createdAt),
    accounts: execution.accounts ?? [],
    allocations: execution.allocations ?? [],
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with sorted keys, so that the same body in another key order counts as the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

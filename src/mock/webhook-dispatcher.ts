/**
 * The mock's outgoing webhooks: events queue in created_at order and are delivered, signed (draft-06
 * by default, as Upvest signs its webhooks), to
 * the registered URL; a delivery that does not get HTTP 200 is retried with backoff and blocks
 * the ones behind it, as Upvest documents. The queue is bounded and old events expire.
 */
import { deliveryBodies, sendDelivery, UPVEST_RETRY_DELAYS_MS, type DeliveryMode } from '../webhooks/delivery.js';
import type { SignatureVersion, SigningKey } from '../signing/index.js';
import type { WebhookEvent } from './events.js';

export type { DeliveryMode } from '../webhooks/delivery.js';

export interface DispatcherOptions {
  signingKey: SigningKey;
  /** Default '6': Upvest signs webhooks with draft-06 only ("Choosing HTTP message signature versions"). */
  signatureVersion?: SignatureVersion;
  mode: DeliveryMode;
  retryDelaysMs?: number[];
  maxQueue?: number;
  maxBatch?: number;
  log?: (line: string) => void;
}

export interface DispatcherStats {
  url?: string;
  mode: DeliveryMode;
  queued: number;
  deliveredEvents: number;
  deliveries: number;
  attempts: number;
  failedAttempts: number;
  dropped: number;
}

export class WebhookDispatcher {
  private url?: string;
  private mode: DeliveryMode;
  private readonly queue: WebhookEvent[] = [];
  /** The delivery being attempted: a failed one is retried as the same request, whole. */
  private pending?: { events: WebhookEvent[]; body: string };
  private sending = false;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private closed = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly counters = { deliveredEvents: 0, deliveries: 0, attempts: 0, failedAttempts: 0, dropped: 0 };

  constructor(private readonly options: DispatcherOptions) {
    this.mode = options.mode;
  }

  get registered(): boolean {
    return this.url !== undefined;
  }

  register(url: string, mode?: DeliveryMode): void {
    this.url = url;
    if (mode) this.mode = mode;
    void this.flush();
  }

  enqueue(events: WebhookEvent[]): void {
    this.queue.push(...events);
    this.queue.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
    const max = this.options.maxQueue ?? 10_000;
    if (this.queue.length > max) this.counters.dropped += this.queue.splice(0, this.queue.length - max).length;
    void this.flush();
  }

  stats(): DispatcherStats {
    return { url: this.url, mode: this.mode, queued: this.queue.length + (this.pending?.events.length ?? 0), ...this.counters };
  }

  /** Resolves once the queue is empty (or the dispatcher closes). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.pending && !this.sending) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.settleIdle();
  }

  private settleIdle(): void {
    if ((this.queue.length === 0 && !this.pending && !this.sending) || this.closed)
      for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async flush(): Promise<void> {
    if (this.sending || this.closed || !this.url || this.retryTimer) return;
    this.sending = true;
    try {
      while ((this.pending || this.queue.length > 0) && !this.closed) {
        if (!this.pending) {
          const [next] = deliveryBodies(this.queue, this.mode, this.options.maxBatch ?? 20);
          this.queue.splice(0, next.events.length);
          this.pending = next;
        }
        const delivery = this.pending;
        this.counters.attempts++;
        const result = await sendDelivery(this.url, delivery.body, {
          signingKey: this.options.signingKey,
          signatureVersion: this.options.signatureVersion ?? '6',
        });
        if (result.status === 200) {
          this.pending = undefined;
          this.counters.deliveries++;
          this.counters.deliveredEvents += delivery.events.length;
          this.failures = 0;
          this.options.log?.(`webhook → ${this.url}: ${delivery.events.length} event(s) acknowledged`);
          continue;
        }
        this.counters.failedAttempts++;
        const delays = this.options.retryDelaysMs ?? UPVEST_RETRY_DELAYS_MS;
        const delay = delays[Math.min(this.failures, delays.length - 1)];
        this.failures++;
        this.options.log?.(`webhook → ${this.url}: ${result.status ?? result.error}; retrying in ${delay} ms`);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          void this.flush();
        }, delay);
        this.retryTimer.unref();
        return;
      }
    } finally {
      this.sending = false;
      this.settleIdle();
    }
  }
}

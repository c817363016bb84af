/** The mock's OAuth2 side: issued tokens with their client and scopes, and a per-client rate limiter. */
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';

export interface MockClient {
  clientId: string;
  clientSecret: string;
  /** Scopes this client may request. */
  scopes: string[];
}

export interface IssuedToken {
  clientId: string;
  scopes: Set<string>;
  expiresAt: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
    private readonly maxTokens = 10_000,
  ) {}

  issue(clientId: string, scopes: string[]): { token: string; expiresIn: number } {
    this.evictExpired();
    // Bounded: the oldest tokens go first when a long run issues many.
    while (this.tokens.size >= this.maxTokens) this.tokens.delete(this.tokens.keys().next().value as string);
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, { clientId, scopes: new Set(scopes), expiresAt: this.clock.now() + this.ttlSeconds * 1000 });
    return { token, expiresIn: this.ttlSeconds };
  }

  lookup(token: string): IssuedToken | 'expired' | undefined {
    const found = this.tokens.get(token);
    if (!found) return undefined;
    if (found.expiresAt <= this.clock.now()) {
      this.tokens.delete(token);
      return 'expired';
    }
    return found;
  }

  get size(): number {
    return this.tokens.size;
  }

  private evictExpired(): void {
    const now = this.clock.now();
    for (const [token, issued] of this.tokens) if (issued.expiresAt <= now) this.tokens.delete(token);
  }
}

/** Token bucket per key: `rate` requests per second, bursts up to `rate`. Uses real time. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** undefined when allowed; otherwise the seconds to wait (for Retry-After). */
  take(key: string): number | undefined {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.rate, at: now };
    bucket.tokens = Math.min(this.rate, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    if (this.buckets.size > 10_000) this.buckets.clear();
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate));
  }
}

/**
 * When a request is sent again: 429 and 503 (honouring Retry-After), and connection resets of
 * idempotent requests, with exponential backoff and full jitter. Pure decisions; the transport waits.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** Network codes (kept in a mapped error's details) after which an idempotent request is sent again. */
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

/** Seconds or an HTTP date, in ms from now; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter, bounded by maxDelayMs. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Whether a transport error of this network code is worth another attempt. */
export function retriesAfterError(policy: RetryPolicy, method: string, code: string | undefined, attempt: number): boolean {
  return IDEMPOTENT.has(method) && code !== undefined && RESET_CODES.has(code) && attempt < policy.maxAttempts;
}

export function retriesStatus(policy: RetryPolicy, status: number, attempt: number): boolean {
  return (status === 429 || status === 503) && attempt < policy.maxAttempts;
}

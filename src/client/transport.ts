/**
 * HTTP transport on undici: one Agent (a keep-alive pool per origin) per transport, per-request
 * connect/headers/body timeouts, a cap on response size, bounded retries for 429/503 (and
 * connection resets on idempotent requests) honouring Retry-After within a global deadline,
 * and every attempt recorded with secrets redacted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import {
  BodyTimeoutError,
  ConnectTimeoutError,
  DeadlineExceededError,
  HarnessError,
  HeadersTimeoutError,
  InvalidJsonError,
  RateLimitedError,
  ResponseAbortedError,
  ResponseTooLargeError,
  TargetUnreachableError,
} from '../errors.js';
import { ExchangeRecorder, type Exchange } from './exchange.js';
import { secrets } from './redact.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for. */
  maxRetryAfterMs: number;
}

export interface TransportOptions {
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** Longest pause between body chunks. */
  bodyTimeoutMs?: number;
  /** Longest a whole exchange may take: a body that drips forever still ends. Default: the larger of the other two. */
  requestTimeoutMs?: number;
  maxResponseBytes?: number;
  retry?: Partial<RetryPolicy>;
  deadline?: Deadline;
  recorder?: ExchangeRecorder;
  /** Random source for jitter (tests pin it). */
  random?: () => number;
  /** How a retry waits; aborted by the signal (tests record the wait instead of taking it). */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** Connections per origin. */
  connections?: number;
  /** When retries cannot help, throw RateLimitedError (default) or hand back the last 429. */
  throwOnRateLimit?: boolean;
  /**
   * Sees every request exactly as sent, credentials included (benchmarks replay them). Never
   * set by the CLI; whatever uses it must not write what it sees anywhere.
   */
  tap?: (request: HttpRequest) => void;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Free text shown in reports: why this request was sent. */
  purpose?: string;
  /**
   * Headers for a retry (attempt 2 and later), e.g. signed anew: a verifier that remembers
   * nonces refuses the same signature twice.
   */
  headersForRetry?: () => Promise<Record<string, string>>;
}

export interface HttpResponse {
  method: string;
  url: string;
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  durationMs: number;
  attempts: number;
  exchange: Exchange;
  text(): string;
  /** Parse the body as JSON; an InvalidJsonError names the content type and the first bytes. */
  json<T = unknown>(): T;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

/** A point in time after which no new request starts and running ones are aborted. */
export class Deadline {
  readonly expiresAt: number;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly budgetMs: number) {
    this.expiresAt = Date.now() + budgetMs;
    this.timer = setTimeout(
      () => this.controller.abort(new DeadlineExceededError(`The run deadline of ${Math.round(budgetMs / 1000)} s passed`)),
      budgetMs,
    );
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - Date.now());
  }

  get expired(): boolean {
    return this.remainingMs() === 0;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** Seconds or an HTTP date, in ms from now; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function joinHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Printable first bytes of a body, for error messages. */
export function firstBytes(body: Buffer, limit = 120): string {
  const text = body
    .subarray(0, limit)
    .toString('utf8')
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
  return body.length > limit ? `${text}…` : text;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** The recorded exchange a transport error happened in, so a report can still show the request. */
const exchangesOfErrors = new WeakMap<object, Exchange>();

export function exchangeOf(error: unknown): Exchange | undefined {
  return error && typeof error === 'object' ? exchangesOfErrors.get(error) : undefined;
}
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

export class Transport {
  readonly recorder: ExchangeRecorder;
  private readonly agent: Agent;
  private readonly retry: RetryPolicy;
  private readonly headersTimeoutMs: number;
  private readonly bodyTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  private readonly throwOnRateLimit: boolean;
  private readonly tap?: (request: HttpRequest) => void;
  readonly deadline?: Deadline;

  constructor(options: TransportOptions = {}) {
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.headersTimeoutMs = options.headersTimeoutMs ?? 30_000;
    this.bodyTimeoutMs = options.bodyTimeoutMs ?? 30_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? Math.max(this.headersTimeoutMs, this.bodyTimeoutMs);
    this.maxResponseBytes = options.maxResponseBytes ?? 16 * 1024 * 1024;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.deadline = options.deadline;
    this.recorder = options.recorder ?? new ExchangeRecorder();
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms, signal) => sleep(ms, undefined, { signal, ref: false }));
    this.throwOnRateLimit = options.throwOnRateLimit ?? true;
    this.tap = options.tap;
    this.agent = new Agent({
      connect: { timeout: connectTimeoutMs },
      connections: options.connections ?? 16,
      keepAliveTimeout: 10_000,
      headersTimeout: this.headersTimeoutMs,
      bodyTimeout: this.bodyTimeoutMs,
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Exponential backoff with full jitter, bounded by maxDelayMs. */
  backoffMs(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const method = request.method.toUpperCase();
    for (let attempt = 1; ; attempt++) {
      this.assertDeadline(request);
      if (attempt > 1 && request.headersForRetry) request = { ...request, headers: await request.headersForRetry() };
      let response: HttpResponse;
      try {
        response = await this.once(request, method, attempt);
      } catch (error) {
        // The underlying network code survives in details when the error was mapped.
        const code = (error as HarnessError).details?.code as string | undefined;
        if (IDEMPOTENT.has(method) && code && RESET_CODES.has(code) && attempt < this.retry.maxAttempts) {
          await this.wait(this.backoffMs(attempt), request);
          continue;
        }
        throw error;
      }
      if ((response.status === 429 || response.status === 503) && attempt < this.retry.maxAttempts) {
        const retryAfter = parseRetryAfter(response.headers['retry-after']);
        const delay = retryAfter ?? this.backoffMs(attempt);
        const remaining = this.deadline?.remainingMs() ?? Number.POSITIVE_INFINITY;
        if (delay > this.retry.maxRetryAfterMs || delay >= remaining) {
          if (response.status === 429 && this.throwOnRateLimit) throw this.rateLimited(request, response, delay, remaining);
          return response;
        }
        await this.wait(delay, request);
        continue;
      }
      if (response.status === 429 && this.throwOnRateLimit) throw this.rateLimited(request, response, undefined, undefined);
      return response;
    }
  }

  private rateLimited(
    request: HttpRequest,
    response: HttpResponse,
    delay: number | undefined,
    remaining: number | undefined,
  ): RateLimitedError {
    const after = response.headers['retry-after'];
    const why =
      delay === undefined
        ? `still 429 after ${response.attempts} attempts`
        : delay > this.retry.maxRetryAfterMs
          ? `Retry-After ${after} asks for ${Math.round(delay / 1000)} s, ` +
            `more than the ${Math.round(this.retry.maxRetryAfterMs / 1000)} s this run waits`
          : `Retry-After ${after} reaches past the run deadline (${Math.round((remaining ?? 0) / 1000)} s left)`;
    return new RateLimitedError(`${request.method.toUpperCase()} ${request.url}: 429 Too Many Requests, ${why}`, {
      details: { url: request.url, retryAfter: after, attempts: response.attempts },
    });
  }

  private assertDeadline(request: HttpRequest): void {
    if (this.deadline?.expired) {
      throw new DeadlineExceededError(`The run deadline passed before ${request.method.toUpperCase()} ${request.url} could be sent`);
    }
  }

  private async wait(ms: number, request: HttpRequest): Promise<void> {
    try {
      await this.sleep(ms, this.deadline?.signal);
    } catch {
      throw new DeadlineExceededError(`The run deadline passed while waiting to retry ${request.method.toUpperCase()} ${request.url}`);
    }
  }

  private async once(request: HttpRequest, method: string, attempt: number): Promise<HttpResponse> {
    const started = Date.now();
    const startedHr = performance.now();
    const headers = request.headers ?? {};
    this.tap?.({ ...request, method, headers });
    const exchange = this.recorder.begin({
      method,
      url: request.url,
      headers,
      body: request.body,
      purpose: request.purpose,
      attempt,
      startedAt: started,
    });
    // undici's timers are coarse and reset on every chunk; this one bounds the whole exchange.
    // One controller and one timer (AbortSignal.timeout and .any cost several times more per request).
    const controller = new AbortController();
    let exchangeTimedOut = false;
    const timer = setTimeout(() => {
      exchangeTimedOut = true;
      controller.abort();
    }, this.requestTimeoutMs);
    const onDeadline = () => controller.abort(this.deadline?.signal.reason);
    if (this.deadline?.signal.aborted) onDeadline();
    else this.deadline?.signal.addEventListener('abort', onDeadline, { once: true });
    const timedOut = (phase: 'request' | 'body', error: unknown) =>
      exchangeTimedOut && !this.deadline?.signal.aborted
        ? phase === 'request'
          ? new HeadersTimeoutError(`${method} ${request.url}: no response headers within ${this.requestTimeoutMs / 1000} s`, {
              cause: error,
              details: { url: request.url },
            })
          : new BodyTimeoutError(
              `${method} ${request.url}: the response did not complete within ${this.requestTimeoutMs / 1000} s ` +
                '(the body arrives too slowly)',
              { cause: error, details: { url: request.url } },
            )
        : undefined;
    const fail = (error: HarnessError, partial?: { status: number; headers: Record<string, string> }): HarnessError => {
      this.recorder.fail(exchange, error, performance.now() - startedHr, partial);
      exchangesOfErrors.set(error, exchange);
      return error;
    };
    let res: Dispatcher.ResponseData;
    let responseHeaders: Record<string, string>;
    let body: Buffer;
    try {
      try {
        const url = new URL(request.url);
        res = await this.agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: method as Dispatcher.HttpMethod,
          headers,
          body: request.body,
          headersTimeout: this.headersTimeoutMs,
          bodyTimeout: this.bodyTimeoutMs,
          signal: controller.signal,
        });
      } catch (error) {
        throw fail(timedOut('request', error) ?? this.mapError(error, method, request.url, 'request'));
      }
      responseHeaders = joinHeaders(res.headers as Record<string, string | string[] | undefined>);
      try {
        body = await this.readBody(res, responseHeaders, method, request.url);
      } catch (error) {
        throw fail(timedOut('body', error) ?? this.mapError(error, method, request.url, 'body'), {
          status: res.statusCode,
          headers: responseHeaders,
        });
      }
    } finally {
      clearTimeout(timer);
      this.deadline?.signal.removeEventListener('abort', onDeadline);
    }
    const durationMs = performance.now() - startedHr;
    this.recorder.complete(exchange, { status: res.statusCode, headers: responseHeaders, body }, durationMs);
    const url = request.url;
    return {
      method,
      url,
      status: res.statusCode,
      headers: responseHeaders,
      body,
      durationMs,
      attempts: attempt,
      exchange,
      text: () => body.toString('utf8'),
      json: <T>() => parseJsonBody<T>(body, responseHeaders['content-type'], method, url, res.statusCode),
    };
  }

  private async readBody(res: Dispatcher.ResponseData, headers: Record<string, string>, method: string, url: string): Promise<Buffer> {
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
      res.body.destroy();
      throw this.tooLarge(method, url, `declares content-length ${declared}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > this.maxResponseBytes) {
        res.body.destroy();
        throw this.tooLarge(method, url, `sent more than ${this.maxResponseBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, size);
  }

  private tooLarge(method: string, url: string, what: string): ResponseTooLargeError {
    return new ResponseTooLargeError(`${method} ${url}: the response ${what}; the limit is ${this.maxResponseBytes} bytes`, {
      details: { url, limit: this.maxResponseBytes },
    });
  }

  /** undici and system errors become harness errors that say what happened, where. */
  private mapError(error: unknown, method: string, url: string, phase: 'request' | 'body'): HarnessError {
    if (error instanceof HarnessError) return error;
    if (this.deadline?.signal.aborted) {
      const reason = this.deadline.signal.reason;
      if (reason instanceof HarnessError)
        return new DeadlineExceededError(`${reason.message}; ${method} ${url} was aborted`, { cause: error });
    }
    const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = err.code ?? err.cause?.code ?? '';
    const at = `${method} ${url}`;
    const details = { url, code };
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new ConnectTimeoutError(`${at}: no connection within the connect timeout`, { cause: error, details });
      case 'UND_ERR_HEADERS_TIMEOUT':
        return new HeadersTimeoutError(`${at}: no response headers within ${Math.round(this.headersTimeoutMs / 1000)} s`, {
          cause: error,
          details,
        });
      case 'UND_ERR_BODY_TIMEOUT':
        return new BodyTimeoutError(`${at}: the body stalled for more than ${Math.round(this.bodyTimeoutMs / 1000)} s`, {
          cause: error,
          details,
        });
      case 'ECONNREFUSED':
        return new TargetUnreachableError(`${at}: connection refused (nothing listens at ${new URL(url).host})`, { cause: error, details });
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new TargetUnreachableError(`${at}: the host name ${new URL(url).hostname} does not resolve`, { cause: error, details });
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return new TargetUnreachableError(`${at}: no route to ${new URL(url).host}`, { cause: error, details });
      case 'UND_ERR_SOCKET':
      case 'ECONNRESET':
      case 'EPIPE':
      case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      case 'UND_ERR_ABORTED':
        return new ResponseAbortedError(
          phase === 'body'
            ? `${at}: the connection closed before the body was complete (${code})`
            : `${at}: the connection closed before a response arrived (${code})`,
          { cause: error, details },
        );
      default:
        return new TargetUnreachableError(`${at}: ${err.message ?? String(error)}${code ? ` (${code})` : ''}`, { cause: error, details });
    }
  }
}

export function parseJsonBody<T>(body: Buffer, contentType: string | undefined, method: string, url: string, status: number): T {
  if (body.length === 0) {
    throw new InvalidJsonError(`${method} ${url} → ${status}: the body is empty (content-type ${contentType ?? 'absent'})`, {
      details: { url, status },
    });
  }
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch (error) {
    throw new InvalidJsonError(
      `${method} ${url} → ${status}: the body is not JSON (content-type ${contentType ?? 'absent'}; ` +
        `first bytes: ${JSON.stringify(secrets.scrub(firstBytes(body)))})`,
      { cause: error, details: { url, status, contentType } },
    );
  }
}

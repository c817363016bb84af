/**
 * HTTP transport on undici: one Agent (a keep-alive pool per origin) per transport, per-request
 * connect/headers/body timeouts, a cap on response size, bounded retries for 429/503 (and
 * connection resets on idempotent requests) honouring Retry-After within a global deadline,
 * and every attempt recorded with secrets redacted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import { BodyTimeoutError, DeadlineExceededError, type HarnessError, HeadersTimeoutError, RateLimitedError } from '../errors.js';
import type { Deadline } from './deadline.js';
import { ExchangeRecorder, type Exchange } from './exchange.js';
import { assertValidHeaders } from './http-fields.js';
import { backoffMs, DEFAULT_RETRY, parseRetryAfter, type RetryPolicy, retriesAfterError, retriesStatus } from './retry-policy.js';
import { mapTransportError, parseJsonBody, rememberExchange, tooLarge } from './transport-errors.js';

// The pieces live in modules of their own; importers of the transport keep finding them here.
export { Deadline } from './deadline.js';
export { DEFAULT_RETRY, parseRetryAfter, type RetryPolicy } from './retry-policy.js';
export { exchangeOf, firstBytes, parseJsonBody } from './transport-errors.js';

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
  /** How a retry waits, for the request it names; aborted by the signal (tests record the wait instead of taking it). */
  sleep?: (ms: number, signal: AbortSignal | undefined, request: HttpRequest) => Promise<void>;
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

function joinHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export class Transport {
  readonly recorder: ExchangeRecorder;
  private agent: Agent;
  private readonly agentOptions: Agent.Options;
  private readonly retry: RetryPolicy;
  private readonly headersTimeoutMs: number;
  private readonly bodyTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal | undefined, request: HttpRequest) => Promise<void>;
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
    // A retry wait keeps the process alive: when every request in flight waits on Retry-After,
    // nothing else holds the event loop open, and an unref'd timer let Node exit mid-run (code 13).
    this.sleep = options.sleep ?? ((ms, signal) => sleep(ms, undefined, { signal }));
    this.throwOnRateLimit = options.throwOnRateLimit ?? true;
    this.tap = options.tap;
    this.agentOptions = {
      connect: { timeout: connectTimeoutMs },
      connections: options.connections ?? 16,
      keepAliveTimeout: 10_000,
      headersTimeout: this.headersTimeoutMs,
      bodyTimeout: this.bodyTimeoutMs,
    };
    this.agent = new Agent(this.agentOptions);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Exponential backoff with full jitter, bounded by maxDelayMs. */
  backoffMs(attempt: number): number {
    return backoffMs(this.retry, attempt, this.random);
  }

  /**
   * A fresh pool in place of one undici refused a request in: such a refusal can keep a
   * connection slot taken for good, and a pool with none left serves nothing (it hangs).
   */
  private renewAgent(): void {
    const old = this.agent;
    this.agent = new Agent(this.agentOptions);
    // Requests still running on the old pool finish there; it closes once they have.
    void old.close().catch(() => old.destroy().catch(() => undefined));
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
        if (retriesAfterError(this.retry, method, code, attempt)) {
          await this.wait(this.backoffMs(attempt), request);
          continue;
        }
        throw error;
      }
      if (retriesStatus(this.retry, response.status, attempt)) {
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
      await this.sleep(ms, this.deadline?.signal, request);
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
    try {
      assertValidHeaders(headers, `${method} ${request.url}`);
    } catch (error) {
      this.recorder.fail(exchange, error as HarnessError, 0);
      throw rememberExchange(error as HarnessError, exchange);
    }
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
      return rememberExchange(error, exchange);
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
        if ((error as { code?: string }).code === 'UND_ERR_INVALID_ARG') this.renewAgent();
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
      throw tooLarge(method, url, `declares content-length ${declared}`, this.maxResponseBytes);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > this.maxResponseBytes) {
        res.body.destroy();
        throw tooLarge(method, url, `sent more than ${this.maxResponseBytes} bytes`, this.maxResponseBytes);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, size);
  }

  private mapError(error: unknown, method: string, url: string, phase: 'request' | 'body'): HarnessError {
    return mapTransportError(error, {
      method,
      url,
      phase,
      headersTimeoutMs: this.headersTimeoutMs,
      bodyTimeoutMs: this.bodyTimeoutMs,
      deadline: this.deadline,
    });
  }
}

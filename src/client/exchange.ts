/**
 * The record of every HTTP exchange of a run, for reports: method, URL, status, headers, body
 * excerpts and timing. Secrets are redacted here, when the exchange is recorded, so nothing
 * downstream (reports, logs, cassettes) ever holds them.
 */
import { previewOf, redactBody, redactHeaders, scrubThenCut, secrets } from './redact.js';
import type { HarnessError } from '../errors.js';

export const BODY_EXCERPT_BYTES = 4096;
/** The longest error message kept with an exchange. */
const MESSAGE_CHARS = 2000;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  bodyExcerpt?: string;
  bodyBytes?: number;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  bodyExcerpt: string;
  bodyBytes: number;
  truncated: boolean;
}

export interface Exchange {
  id: number;
  purpose?: string;
  attempt: number;
  startedAt: string;
  durationMs?: number;
  request: RecordedRequest;
  response?: RecordedResponse;
  error?: { code: string; message: string };
}

function excerpt(body: string | Buffer, contentType: string | undefined): { text: string; bytes: number; truncated: boolean } {
  const buffer = typeof body === 'string' ? Buffer.from(body) : body;
  // Scrubbed before cut: a secret across the cut is removed whole, not left as a fragment.
  const { text, truncated } = previewOf(buffer, BODY_EXCERPT_BYTES, (window) => redactBody(window, contentType));
  return { text, bytes: buffer.length, truncated };
}

export class ExchangeRecorder {
  private nextId = 1;
  /** Kept exchanges; bounded so a long walk cannot grow memory without limit. */
  readonly exchanges: Exchange[] = [];

  constructor(private readonly limit = 1_000) {}

  begin(input: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: string | Buffer;
    purpose?: string;
    attempt: number;
    startedAt: number;
  }): Exchange {
    const contentType = Object.entries(input.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    const body = input.body === undefined ? undefined : excerpt(input.body, contentType);
    const exchange: Exchange = {
      id: this.nextId++,
      purpose: input.purpose,
      attempt: input.attempt,
      startedAt: new Date(input.startedAt).toISOString(),
      request: {
        method: input.method,
        url: secrets.scrub(input.url),
        headers: redactHeaders(input.headers),
        ...(body ? { bodyExcerpt: body.text, bodyBytes: body.bytes } : {}),
      },
    };
    this.exchanges.push(exchange);
    if (this.exchanges.length > this.limit) this.exchanges.shift();
    return exchange;
  }

  complete(exchange: Exchange, response: { status: number; headers: Record<string, string>; body: Buffer }, durationMs: number): void {
    const body = excerpt(response.body, response.headers['content-type']);
    exchange.durationMs = Math.round(durationMs * 10) / 10;
    exchange.response = {
      status: response.status,
      headers: redactHeaders(response.headers),
      bodyExcerpt: body.text,
      bodyBytes: body.bytes,
      truncated: body.truncated,
    };
  }

  fail(exchange: Exchange, error: HarnessError, durationMs: number, partial?: { status: number; headers: Record<string, string> }): void {
    exchange.durationMs = Math.round(durationMs * 10) / 10;
    exchange.error = { code: error.code, message: scrubThenCut(error.message, MESSAGE_CHARS) };
    if (partial)
      exchange.response = {
        status: partial.status,
        headers: redactHeaders(partial.headers),
        bodyExcerpt: '',
        bodyBytes: 0,
        truncated: true,
      };
  }
}

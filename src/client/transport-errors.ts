/**
 * undici's and the system's errors as harness errors that say what happened and where, and the
 * errors a response body earns (too large, not JSON). A transport error is never a finding
 * about the target's API: it says the exchange could not be completed, and why.
 */
import {
  BodyTimeoutError,
  ConnectTimeoutError,
  DeadlineExceededError,
  HarnessError,
  HeadersTimeoutError,
  HttpProtocolError,
  InvalidHeaderValueError,
  InvalidJsonError,
  ResponseAbortedError,
  ResponseTooLargeError,
  TargetUnreachableError,
} from '../errors.js';
import type { Exchange } from './exchange.js';
import { previewOf } from './redact.js';

/** The recorded exchange a transport error happened in, so a report can still show the request. */
const exchangesOfErrors = new WeakMap<object, Exchange>();

export function exchangeOf(error: unknown): Exchange | undefined {
  return error && typeof error === 'object' ? exchangesOfErrors.get(error) : undefined;
}

export function rememberExchange(error: HarnessError, exchange: Exchange): HarnessError {
  exchangesOfErrors.set(error, exchange);
  return error;
}

/** Printable, scrubbed first bytes of a body, for error messages (cut on a character, after scrubbing). */
export function firstBytes(body: Buffer, limit = 120): string {
  const { text, truncated } = previewOf(body, limit);
  const printable = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return truncated ? `${printable}…` : printable;
}

export function tooLarge(method: string, url: string, what: string, limit: number): ResponseTooLargeError {
  return new ResponseTooLargeError(`${method} ${url}: the response ${what}; the limit is ${limit} bytes`, { details: { url, limit } });
}

export interface MapContext {
  method: string;
  url: string;
  phase: 'request' | 'body';
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  deadline?: { signal: AbortSignal };
}

/** undici and system errors become harness errors that say what happened, where. */
export function mapTransportError(error: unknown, context: MapContext): HarnessError {
  if (error instanceof HarnessError) return error;
  const { method, url, phase } = context;
  if (context.deadline?.signal.aborted) {
    const reason = context.deadline.signal.reason;
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
      return new HeadersTimeoutError(`${at}: no response headers within ${Math.round(context.headersTimeoutMs / 1000)} s`, {
        cause: error,
        details,
      });
    case 'UND_ERR_BODY_TIMEOUT':
      return new BodyTimeoutError(`${at}: the body stalled for more than ${Math.round(context.bodyTimeoutMs / 1000)} s`, {
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
    case 'UND_ERR_HEADERS_OVERFLOW':
      return new HttpProtocolError(`${at}: the response headers are larger than the HTTP client reads (headers overflow)`, {
        cause: error,
        details,
      });
    case 'ERR_ASSERTION':
      // undici asserts on a 101 Switching Protocols that no upgrade asked for.
      return new HttpProtocolError(`${at}: the target switched protocols (101) though the request asked for no upgrade`, {
        cause: error,
        details,
      });
    case 'UND_ERR_INVALID_ARG':
      return new InvalidHeaderValueError(`${at}: the request cannot be sent: ${err.message ?? 'invalid argument'}`, {
        cause: error,
        details,
      });
    case 'UND_ERR_SOCKET':
      // undici's name for a 100 Continue the request did not ask for (it cannot read past one), or a response to no request.
      if (err.message === 'bad response')
        return new HttpProtocolError(
          `${at}: the target sent an informational response (100 Continue) the request did not ask for, or an answer to no request; ` +
            'HTTP clients may ignore 1xx answers, but this one ends the exchange',
          { cause: error, details: { ...details, code: 'UNSOLICITED_1XX' } },
        );
      return aborted(at, code, phase, error, details);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
    case 'UND_ERR_ABORTED':
      return aborted(at, code, phase, error, details);
    default:
      if (code.startsWith('HPE_') || (error as Error | undefined)?.name === 'HTTPParserError')
        return new HttpProtocolError(`${at}: the response is not valid HTTP/1.1 (${err.message ?? code})`, { cause: error, details });
      return new TargetUnreachableError(`${at}: ${err.message ?? String(error)}${code ? ` (${code})` : ''}`, { cause: error, details });
  }
}

function aborted(at: string, code: string, phase: 'request' | 'body', error: unknown, details: Record<string, unknown>) {
  return new ResponseAbortedError(
    phase === 'body'
      ? `${at}: the connection closed before the body was complete (${code})`
      : `${at}: the connection closed before a response arrived (${code})`,
    { cause: error, details },
  );
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
        `first bytes: ${JSON.stringify(firstBytes(body))})`,
      { cause: error, details: { url, status, contentType } },
    );
  }
}

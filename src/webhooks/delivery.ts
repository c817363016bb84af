/**
 * Webhook deliveries as Upvest makes them: several events bundled into one request (a JSON
 * object whose `payload` array holds them, ordered by created_at ascending) or one event per
 * request (the form of the documentation's examples); signed with HTTP message signatures (draft-06
 * by default, as Upvest signs webhooks); only HTTP 200 acknowledges. Shared by the mock's dispatcher and `replay`.
 */
import { request, type Dispatcher } from 'undici';
import { signRequest, type SignatureVersion, type SigningKey } from '../signing/index.js';
import { previewOf, scrubThenCut } from '../client/redact.js';

export type DeliveryMode = 'bundled' | 'single';

/** Upvest's documented retry intervals: 1, 2, 3, 5, 8 … 600 seconds. */
export const UPVEST_RETRY_DELAYS_MS = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 600].map((s) => s * 1000);

export interface EventLike {
  id: string;
  created_at: string;
  type: string;
}

/** Request bodies for a list of events: bundles of at most `maxBatch`, or one per event. */
export function deliveryBodies<E extends EventLike>(events: E[], mode: DeliveryMode, maxBatch = 20): { events: E[]; body: string }[] {
  const ordered = [...events].sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
  if (mode === 'single') return ordered.map((event) => ({ events: [event], body: JSON.stringify(event) }));
  const out: { events: E[]; body: string }[] = [];
  for (let i = 0; i < ordered.length; i += maxBatch) {
    const batch = ordered.slice(i, i + maxBatch);
    out.push({ events: batch, body: JSON.stringify({ payload: batch }) });
  }
  return out;
}

/** Events of a delivery body, whichever form it has; undefined when it is neither. */
export function eventsOfBody(body: unknown): unknown[] | undefined {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const payload = (body as { payload?: unknown }).payload;
    if (Array.isArray(payload)) return payload;
    if ('type' in body && 'id' in body) return [body];
  }
  return undefined;
}

export type SignatureMode = 'valid' | 'none' | 'forged' | 'expired';

export interface DeliveryOptions {
  signingKey?: SigningKey;
  /**
   * Default '6': Upvest signs its webhooks with draft-06 only, and sends no upvest-signature-version
   * with them (its draft-06 signer sends none); '15' sends the header, as draft-15 signers do.
   */
  signatureVersion?: SignatureVersion;
  signature?: SignatureMode;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  headers?: Record<string, string>;
}

export interface DeliveryResult {
  status?: number;
  error?: string;
  durationMs: number;
  responseExcerpt?: string;
}

/** The most of a consumer's answer that is read. */
const ANSWER_READ_BYTES = 64 * 1024;

export async function sendDelivery(url: string, body: string, options: DeliveryOptions = {}): Promise<DeliveryResult> {
  let headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'upvest-conformance-webhooks',
    ...options.headers,
  };
  const mode = options.signature ?? (options.signingKey ? 'valid' : 'none');
  if (options.signingKey && mode !== 'none') {
    const created = mode === 'expired' ? Math.floor(Date.now() / 1000) - 3600 : undefined;
    const version = options.signatureVersion ?? '6';
    headers = signRequest({ method: 'POST', url, headers, body }, options.signingKey, {
      version,
      versionHeader: version === '15',
      created,
      expiresInSeconds: 60,
    }).headers;
    if (mode === 'forged') headers.signature = headers.signature.replace(/=:(.)/, (_m, c: string) => `=:${c === 'A' ? 'B' : 'A'}`);
  }
  const started = performance.now();
  const timeout = options.timeoutMs ?? 10_000;
  try {
    const res = await request(url, {
      method: 'POST',
      headers,
      body,
      dispatcher: options.dispatcher,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: AbortSignal.timeout(timeout + 1000),
    });
    // A consumer's answer is only shown, never judged whole: read a bounded head, drop the rest.
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= ANSWER_READ_BYTES) {
        res.body.destroy();
        break;
      }
    }
    const { text } = previewOf(Buffer.concat(chunks), 500);
    return { status: res.statusCode, durationMs: performance.now() - started, responseExcerpt: text };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { error: scrubThenCut(`${code ? `${code}: ` : ''}${(error as Error).message}`, 500), durationMs: performance.now() - started };
  }
}

/**
 * A webhook receiver: accepts deliveries (bundled `{payload: [...]}` or single events),
 * verifies their HTTP message signature when keys are given, validates every event against
 * the spec, de-duplicates by event id and reports each delivery and event as it arrives.
 * Used by `listen` and by the check of the events a provider sends.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyResolver, VerifyResult } from '../signing/index.js';
import { headersFromRaw, verifyRequest } from '../signing/index.js';
import { eventsOfBody } from './delivery.js';
import { validateEvent, type EventVerdict } from './events.js';

export interface ReceivedEvent {
  event: unknown;
  verdict: EventVerdict;
  /** Seen before (by id): a redelivery. */
  duplicate: boolean;
  deliveryIndex: number;
}

export interface Delivery {
  index: number;
  receivedAt: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  bodyBytes: number;
  /** Absent when no keys were configured. */
  signature?: VerifyResult;
  /** Why the body could not be read as events, if it could not. */
  malformed?: string;
  events: ReceivedEvent[];
  /** Whether created_at ascends within the delivery, as Upvest documents. */
  ordered: boolean;
  status: number;
  /** The raw body, for cassettes (kept only when asked). */
  body?: string;
}

export interface ReceiverOptions {
  port?: number;
  host?: string;
  path?: string;
  keys?: KeyResolver;
  /** Answer 401 to deliveries whose signature does not verify (default: acknowledge and report). */
  rejectUnverified?: boolean;
  /** Seconds `created` may be ahead of the clock and `expires` behind it (default 30). */
  signatureToleranceSeconds?: number;
  keepBodies?: boolean;
  onDelivery?: (delivery: Delivery) => void;
  /** A request that was dropped or only partly handled, and why (logged by listen). */
  onProblem?: (message: string) => void;
  maxBodyBytes?: number;
  /** Deliveries kept for inspection (the oldest go first). */
  maxDeliveries?: number;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  seenIds: Set<string>;
  close(): Promise<void>;
}

/** Repeated header lines joined with ", " (RFC 9110), as the signer saw them. */
function headersOf(req: IncomingMessage): Record<string, string> {
  return headersFromRaw(req.rawHeaders);
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const seenIds = new Set<string>();
  let index = 0;
  // Whatever a client sends (an abort mid-body, a body nested beyond any stack), the receiver
  // answers or drops that one request, says so, and keeps serving.
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      options.onProblem?.(`a delivery could not be handled: ${error.message}`);
      if (!res.headersSent && !res.destroyed) res.writeHead(400, { 'content-type': 'text/plain' }).end('unprocessable delivery');
      else res.destroy();
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    options.onProblem?.(`a client sent an unreadable request (${error.code ?? error.message})`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        // Read to the end (so the connection stays usable) but keep no more than the limit.
        if (size <= (options.maxBodyBytes ?? 10 * 1024 * 1024)) chunks.push(chunk as Buffer);
      }
    } catch (error) {
      // The client went away mid-body: nothing to answer, nothing to record.
      options.onProblem?.(
        `a delivery was aborted by its sender after ${size} bytes (${(error as NodeJS.ErrnoException).code ?? 'aborted'})`,
      );
      res.destroy();
      return;
    }
    const body = Buffer.concat(chunks);
    const headers = headersOf(req);
    const delivery: Delivery = {
      index: index++,
      receivedAt: new Date().toISOString(),
      method: req.method ?? 'POST',
      path: req.url ?? '/',
      headers,
      bodyBytes: size,
      events: [],
      ordered: true,
      status: 200,
      ...(options.keepBodies ? { body: body.toString('utf8') } : {}),
    };
    const limit = options.maxBodyBytes ?? 10 * 1024 * 1024;
    if (size > limit) {
      // Never parsed cut: a truncated body would be judged as what it is not.
      delivery.status = 413;
      delivery.malformed = `the body of ${size} bytes is over the receiver's limit of ${limit} bytes`;
      options.onProblem?.(`a delivery of ${size} bytes was refused with 413 (over ${limit} bytes)`);
    } else if (options.path && new URL(req.url ?? '/', 'http://x').pathname !== options.path) {
      delivery.status = 404;
    } else if (req.method !== 'POST') {
      delivery.status = 405;
    } else {
      // Either version: Upvest signs webhooks with draft-06 and no version header (verify.ts reads it from the components).
      if (options.keys)
        delivery.signature = verifyRequest({ method: 'POST', url: req.url ?? '/', headers, body }, options.keys, {
          requiredComponents: ['@method', '@path'],
          clockSkewSeconds: options.signatureToleranceSeconds,
        });
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        delivery.malformed = 'the body is not JSON';
      }
      try {
        const events = parsed === undefined ? undefined : eventsOfBody(parsed);
        if (parsed !== undefined && !events) delivery.malformed = 'the body is neither an event nor a {"payload": [events]} bundle';
        for (const event of events ?? []) {
          const verdict = validateEvent(event);
          const duplicate = verdict.id !== undefined && seenIds.has(verdict.id);
          if (verdict.id !== undefined && seenIds.size < 1_000_000) seenIds.add(verdict.id);
          delivery.events.push({ event, verdict, duplicate, deliveryIndex: delivery.index });
        }
      } catch (error) {
        // A structure too deep to walk (RangeError) is the body's problem, not the receiver's.
        delivery.events = [];
        delivery.malformed = `the body cannot be read as events (${(error as Error).message})`;
        delivery.status = 400;
      }
      // As instants: "…:00Z" and "…:00.5Z" compare wrongly as strings ("Z" sorts after ".").
      const times = delivery.events.map((e) => Date.parse(String((e.event as { created_at?: unknown }).created_at)));
      delivery.ordered = times.every((t, i) => i === 0 || Number.isNaN(t) || Number.isNaN(times[i - 1]) || times[i - 1] <= t);
      if (options.rejectUnverified && delivery.signature && !delivery.signature.ok) delivery.status = 401;
    }
    deliveries.push(delivery);
    if (deliveries.length > (options.maxDeliveries ?? 10_000)) deliveries.shift();
    // The documented acknowledgement is a 200 with no body ("Response 200 fields": none); a refusal says why.
    if (delivery.status === 200) res.writeHead(200, { 'content-length': '0' }).end();
    else res.writeHead(delivery.status, { 'content-type': 'text/plain' }).end('rejected');
    try {
      options.onDelivery?.(delivery);
    } catch (error) {
      options.onProblem?.(`delivery ${delivery.index + 1} was answered but not recorded: ${(error as Error).message}`);
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}${options.path ?? '/webhooks'}`,
    deliveries,
    seenIds,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

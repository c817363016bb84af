/**
 * A webhook consumer for the detection matrix and the tests: correct, or wrong in one chosen way.
 * The parser flaws are the narrow parsers teams write (a date-time regex without an offset, a
 * decimal column of scale 18); each shows only in some spellings, never in the corpus as recorded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { keyResolverFromJwks, verifyRequest, type KeyResolver } from '../signing/index.js';
import { eventsOfBody } from '../webhooks/delivery.js';
import { validateEvent } from '../webhooks/events.js';
import { formatPoints } from '../webhooks/respell.js';
import { presentValuesAt } from '../checks/util.js';

export type ConsumerFlaw =
  | 'none'
  | 'always-500'
  | 'ignores-signatures'
  | 'not-idempotent'
  | 'rejects-unknown-types'
  | 'date-time-needs-z'
  | 'date-time-fraction-3-or-6'
  | 'decimal-scale-18'
  | 'decimal-needs-leading-digit';

/** What a narrow parser accepts, per flaw: a value it does not is answered 400, as a parse error would be. */
const PARSERS: Partial<Record<ConsumerFlaw, { format: 'date-time' | 'decimal'; accepts: (value: string) => boolean }>> = {
  // new Date() would parse it; a hand-written pattern ending in Z does not.
  'date-time-needs-z': { format: 'date-time', accepts: (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) },
  // Python's datetime.fromisoformat before 3.11: no fraction, or 3 or 6 digits.
  'date-time-fraction-3-or-6': { format: 'date-time', accepts: (v) => !/\.(\d+)/.test(v) || [3, 6].includes(/\.(\d+)/.exec(v)![1].length) },
  // A NUMERIC(38,18) column.
  'decimal-scale-18': { format: 'decimal', accepts: (v) => (/\.(\d+)$/.exec(v)?.[1].length ?? 0) <= 18 },
  'decimal-needs-leading-digit': { format: 'decimal', accepts: (v) => /^-?\d+(\.\d+)?$/.test(v) },
};

function parses(flaw: ConsumerFlaw, event: Record<string, unknown>): boolean {
  const parser = PARSERS[flaw];
  if (!parser) return true;
  const points = (formatPoints(String(event.type)) ?? []).filter((p) => p.format === parser.format);
  return points.every((p) => presentValuesAt(event, p.pointer).every((v) => typeof v !== 'string' || parser.accepts(v)));
}

export interface Consumer {
  url: string;
  /** The types of the events handled (duplicates and unknown types left out), in order. */
  handled: string[];
  close(): Promise<void>;
}

export async function startConsumer(flaw: ConsumerFlaw, jwksUrl?: string): Promise<Consumer> {
  let keys: KeyResolver | undefined;
  const seen = new Set<string>();
  const handled: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const reply = (status: number) => res.writeHead(status).end();
    if (flaw === 'always-500') return reply(500);
    if (jwksUrl && flaw !== 'ignores-signatures') {
      keys ??= keyResolverFromJwks((await (await request(jwksUrl)).body.json()) as never);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      if (!verifyRequest({ method: 'POST', url: req.url ?? '/', headers, body }, keys).ok) return reply(401);
    }
    let events: unknown[] | undefined;
    try {
      events = eventsOfBody(JSON.parse(body.toString('utf8')));
    } catch {
      return reply(400);
    }
    if (!events) return reply(400);
    for (const event of events) {
      const verdict = validateEvent(event);
      if (verdict.unknownType) {
        if (flaw === 'rejects-unknown-types') return reply(422);
        continue; // a correct consumer ignores what it does not handle
      }
      if (!verdict.validation?.valid) return reply(400);
      if (!parses(flaw, event as Record<string, unknown>)) return reply(400);
      if (verdict.id && seen.has(verdict.id)) {
        if (flaw === 'not-idempotent') return reply(409);
        continue;
      }
      if (verdict.id) seen.add(verdict.id);
      handled.push(String(verdict.type));
    }
    reply(200);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    handled,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The consumer faults of the detection matrix: each must be caught by its check, showing its evidence. */
export interface ConsumerFault {
  name: ConsumerFlaw;
  caughtBy: string;
  evidence: RegExp;
  description: string;
}

export const CONSUMER_FAULTS: ConsumerFault[] = [
  {
    name: 'always-500',
    caughtBy: 'consumer-acknowledges',
    evidence: /was answered 500/,
    description: 'the consumer answers every delivery 500',
  },
  {
    name: 'ignores-signatures',
    caughtBy: 'consumer-verifies-signatures',
    evidence: /forged signature was accepted/,
    description: 'the consumer accepts deliveries whatever their signature',
  },
  {
    name: 'not-idempotent',
    caughtBy: 'consumer-idempotent',
    evidence: /redelivered event was answered 409/,
    description: 'the consumer refuses an event id it has seen',
  },
  {
    name: 'date-time-needs-z',
    caughtBy: 'consumer-parses-spellings',
    evidence: /spelled as date-time with the offset \+00:00/,
    description: 'the consumer parses date-times with a pattern ending in Z: +00:00 (the same instant, legal) is refused',
  },
  {
    name: 'date-time-fraction-3-or-6',
    caughtBy: 'consumer-parses-spellings',
    evidence: /spelled as date-time with 9 fraction digits/,
    description: 'the consumer parses fractions of 3 or 6 digits only (fromisoformat before Python 3.11)',
  },
  {
    name: 'decimal-scale-18',
    caughtBy: 'consumer-parses-spellings',
    evidence: /spelled as decimal with the 27 fraction digits/,
    description: 'the consumer stores decimals with 18 fraction digits at most; the documented pattern allows 27',
  },
  {
    name: 'decimal-needs-leading-digit',
    caughtBy: 'consumer-parses-spellings',
    evidence: /spelled as decimal below one without its leading zero/,
    description: 'the consumer refuses ".25", which the documented decimal pattern allows',
  },
];

/** A webhook consumer under test, correct or wrong in one chosen way. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { keyResolverFromJwks, verifyRequest, type KeyResolver } from '../../src/signing/index.js';
import { eventsOfBody } from '../../src/webhooks/delivery.js';
import { validateEvent } from '../../src/webhooks/events.js';

export type ConsumerFlaw = 'none' | 'always-500' | 'ignores-signatures' | 'not-idempotent' | 'rejects-unknown-types';

export async function startConsumer(
  flaw: ConsumerFlaw,
  jwksUrl?: string,
): Promise<{ url: string; handled: string[]; close(): Promise<void> }> {
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

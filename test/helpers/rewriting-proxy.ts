/**
 * A hand-made target: the bundled mock behind a proxy that changes what one test needs changed
 * (a status, a header, a body), request by request, and forwards everything else as it is. A
 * target that follows the documentation in one way the bundled mock does not, or breaks it in
 * one precise way.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { request } from 'undici';

export interface ProxiedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface ProxiedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Return a response to send instead of the mock's (or of asking the mock at all, when `upstream` is not awaited). */
export type Rewrite = (
  req: ProxiedRequest,
  upstream: () => Promise<ProxiedResponse>,
) => Promise<ProxiedResponse | undefined> | ProxiedResponse | undefined;

export interface RewritingProxy {
  url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = ['host', 'connection', 'transfer-encoding', 'keep-alive', 'content-length'];

export async function startRewritingProxy(target: string, rewrite: Rewrite): Promise<RewritingProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? '/', 'http://proxy.invalid');
      const proxied: ProxiedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      const upstream = async (): Promise<ProxiedResponse> => {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP_BY_HOP.includes(k))) as Record<string, string>;
        const up = await request(`${target}${proxied.url}`, {
          method: proxied.method as 'GET',
          headers,
          body: proxied.body.length > 0 ? proxied.body : undefined,
        });
        const body = await up.body.text();
        const out = Object.fromEntries(
          Object.entries(up.headers)
            .filter(([k]) => !HOP_BY_HOP.includes(k))
            .map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
        );
        return { status: up.statusCode, headers: out, body };
      };
      const answer = (await rewrite(proxied, upstream)) ?? (await upstream());
      res.writeHead(answer.status, answer.headers).end(answer.body);
    } catch {
      res.destroy();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A problem document response, as Upvest answers errors. */
export function problem(status: number, type: string, requestId = crypto.randomUUID()): ProxiedResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', 'upvest-request-id': requestId },
    body: JSON.stringify({ type, status, title: type, detail: `a ${status} of the hand-made target`, request_id: requestId }),
  };
}

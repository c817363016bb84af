/** Small local servers made to misbehave in one precise way each, for client and robustness tests. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour = (req: IncomingMessage, res: ServerResponse, hit: number) => void | Promise<void>;

export interface HostileServer {
  url: string;
  /** Requests seen per path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startHostileServer(routes: Record<string, Behaviour>): Promise<HostileServer> {
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    for await (const _chunk of req) {
      // drain the request body
    }
    const behaviour = routes[path];
    if (!behaviour) {
      res.writeHead(404).end();
      return;
    }
    await behaviour(req, res, hit);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Until the response can take more, or is gone; both listeners removed either way. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

export const behaviours = {
  json:
    (status: number, body: unknown, headers: Record<string, string> = {}): Behaviour =>
    (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    },
  /** Never sends headers. */
  hang: (): Behaviour => () => undefined,
  /** Sends headers, then one byte every `everyMs`. */
  drip:
    (everyMs: number): Behaviour =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const timer = setInterval(() => {
        if (res.destroyed) clearInterval(timer);
        else res.write(' ');
      }, everyMs);
      res.on('close', () => clearInterval(timer));
    },
  /** A body of `bytes` bytes, streamed in 64 KiB chunks without a content-length. */
  huge:
    (bytes: number, declareLength = false): Behaviour =>
    async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(bytes) } : {}) });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      while (sent < bytes && !res.destroyed) {
        const ok = res.write(chunk);
        sent += chunk.length;
        if (!ok) await drained(res);
      }
      res.end();
    },
  /** Declares more than it sends, then closes. */
  truncated: (): Behaviour => (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"data": [');
    res.socket?.destroy();
  },
  /** Closes the socket before any response. */
  reset: (): Behaviour => (req) => {
    req.socket.destroy();
  },
  raw:
    (status: number, contentType: string, body: string, headers: Record<string, string> = {}): Behaviour =>
    (_req, res) => {
      res.writeHead(status, { 'content-type': contentType, ...headers }).end(body);
    },
  redirect:
    (location: string): Behaviour =>
    (_req, res) => {
      res.writeHead(302, { location }).end();
    },
  /** First `times` requests get `first`, the rest `then`. */
  sequence:
    (times: number, first: Behaviour, then: Behaviour): Behaviour =>
    (req, res, hit) =>
      hit <= times ? first(req, res, hit) : then(req, res, hit),
};

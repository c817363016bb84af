/**
 * A target that misbehaves in one precise way on chosen API paths, and otherwise forwards to a
 * real bundled mock (so that what the hostile part does not touch still works).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { request } from 'undici';

export type Misbehaviour = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface HostileProxy {
  url: string;
  close(): Promise<void>;
}

export async function startHostileProxy(
  upstream: string,
  misbehave: Misbehaviour,
  applies: (path: string) => boolean = (p) => !p.startsWith('/auth/'),
): Promise<HostileProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (applies(path)) return misbehave(req, res);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'transfer-encoding'].includes(k)),
    ) as Record<string, string>;
    try {
      const up = await request(`${upstream}${req.url}`, {
        method: req.method as 'GET',
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const body = Buffer.from(await up.body.arrayBuffer());
      const out = Object.fromEntries(
        Object.entries(up.headers).filter(([k]) => !['connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(k)),
      );
      res.writeHead(up.statusCode, out as Record<string, string>).end(body);
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

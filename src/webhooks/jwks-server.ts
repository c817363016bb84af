/** Public keys served the way Upvest serves /auth/verify_keys (a JWKS), for a consumer under test. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { publicJwk, type SigningKey } from '../signing/index.js';

/** Serve public keys the way Upvest serves /auth/verify_keys (a JWKS), for the consumer under test. */
export async function serveJwks(keys: SigningKey[], port = 0, host = '127.0.0.1'): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify({ keys: keys.map((k) => publicJwk(k)) });
  const server: Server = createServer((req, res) => {
    if (req.url?.split('?')[0] === '/auth/verify_keys') res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}/auth/verify_keys`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

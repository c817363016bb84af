/**
 * The bundled mock under concurrent load on loopback: requests per second and latency
 * percentiles of the two list endpoints, with and without signature verification. The mock
 * runs in its own process (as `upvest-conformance mock`), so the load generator, which signs
 * every request, does not share its event loop.
 *   npm run bench -- mock-load [--seconds 5] [--concurrency 32]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';
import { DEFAULT_MOCK_CLIENT_SECRET } from '../src/mock/server.js';
import { generateSigningKey, signRequest, type SigningKey } from '../src/signing/index.js';
import { fmt, summarize, table } from './stats.js';

interface Options {
  seconds: number;
  concurrency: number;
}

async function token(url: string, clientId: string, secret: string, key: SigningKey | undefined): Promise<string> {
  const body = new URLSearchParams({
    client_id: clientId,
    client_secret: secret,
    grant_type: 'client_credentials',
    scope: 'portfolios:read valuations:read',
  }).toString();
  let headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (key) headers = signRequest({ method: 'POST', url: `${url}/auth/token`, headers, body }, key).headers;
  const res = await request(`${url}/auth/token`, { method: 'POST', headers, body });
  return ((await res.body.json()) as { access_token: string }).access_token;
}

export interface RunningMock {
  url: string;
  clientId: string;
  account: string;
  accounts: string[];
  execution: string;
  child: ChildProcess;
}

/** Start `upvest-conformance mock` in a child process and read its printed fixtures. */
export async function spawnMock(extraArgs: string[]): Promise<RunningMock> {
  const bin = fileURLToPath(new URL('../bin/upvest-conformance.mjs', import.meta.url));
  const child = spawn(process.execPath, [bin, 'mock', '--port', '0', '--quiet', ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Press Ctrl+C')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`mock exited with ${code}: ${out}`)));
  });
  const grab = (re: RegExp) => (re.exec(out) as RegExpExecArray)[1];
  const accounts = [...out.matchAll(/account:\s+(\S+)/g)].map((m) => m[1]);
  return {
    url: grab(/listening on (\S+)/),
    clientId: grab(/client id:\s+(\S+)/),
    account: accounts[0],
    accounts,
    execution: grab(/execution:\s+(\S+)/),
    child,
  };
}

async function load(name: string, verify: boolean, options: Options): Promise<(string | number)[]> {
  const key = generateSigningKey('ecdsa-p521-sha512', 'bench');
  const dir = mkdtempSync(join(tmpdir(), 'uc-bench-'));
  const publicPem = createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(join(dir, 'client.pub.pem'), publicPem);
  const mock = await spawnMock(verify ? ['--signature-key', join(dir, 'client.pub.pem'), '--signature-key-id', 'bench'] : []);
  const bearer = await token(mock.url, mock.clientId, DEFAULT_MOCK_CLIENT_SECRET, key);
  const paths = [
    `/portfolios/rebalancings/executions/${mock.execution}/orders?limit=100`,
    `/accounts/${mock.account}/valuations?limit=100`,
  ];
  const pool = new Pool(mock.url, { connections: options.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  const until = performance.now() + options.seconds * 1000;
  // Signed once per path with a long window: the load generator must not be the bottleneck
  // (a P-521 signature costs it ~2 ms); the mock still verifies every request it gets.
  const signed = paths.map(
    (path) =>
      signRequest(
        {
          method: 'GET',
          url: `${mock.url}${path}`,
          headers: { accept: 'application/json', authorization: `Bearer ${bearer}`, 'upvest-client-id': mock.clientId },
        },
        key,
        { expiresInSeconds: 3600 },
      ).headers,
  );
  const worker = async (index: number) => {
    let i = index;
    while (performance.now() < until) {
      const path = paths[i % paths.length];
      const headers = signed[i++ % paths.length];
      const started = performance.now();
      const res = await pool.request({ method: 'GET', path, headers });
      const body = await res.body.arrayBuffer();
      latencies.push(performance.now() - started);
      bytes += body.byteLength;
      if (res.statusCode !== 200) errors++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => worker(i)));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  mock.child.kill('SIGTERM');
  await new Promise((resolve) => mock.child.once('exit', resolve));
  const s = summarize(latencies);
  return [
    name,
    options.concurrency,
    s.count,
    fmt(s.count / elapsed, 0),
    fmt(bytes / elapsed / 1e6, 1),
    fmt(s.p50, 2),
    fmt(s.p99, 2),
    fmt(s.max, 1),
    errors,
  ];
}

export async function mockLoad(args: string[]): Promise<void> {
  const get = (flag: string, fallback: number) => {
    const i = args.indexOf(flag);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const options = { seconds: get('--seconds', 5), concurrency: get('--concurrency', 32) };
  const rows: (string | number)[][] = [
    ['mock, list endpoints (limit=100)', 'clients', 'requests', 'req/s', 'MB/s', 'p50 ms', 'p99 ms', 'max ms', 'non-200'],
  ];
  rows.push(await load('signatures required', false, options));
  rows.push(await load('signatures verified (P-521)', true, options));
  console.log(
    `\nmock-load: ${options.seconds} s per row, ${options.concurrency} concurrent clients on loopback, Node ${process.version}\n`,
  );
  console.log(table(rows));
}

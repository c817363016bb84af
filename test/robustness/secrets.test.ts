/**
 * Planted, recognisable secrets (client secret, key passphrase, private key, every bearer token
 * and signature actually sent) appear in no report, cassette, log line or error message, even
 * when a hostile target reflects the request's credentials back in its responses.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { ManualClock } from '../../src/mock/clock.js';
import { startMock, type MockHandle } from '../../src/mock/server.js';
import { manifest } from '../../src/spec/manifest.js';
import { UpvestClient } from '../../src/client/upvest-client.js';
import { Transport } from '../../src/client/transport.js';
import { loadSigningKey } from '../../src/signing/index.js';
import { runCli } from '../helpers/cli.js';
import { startHostileProxy } from '../helpers/hostile-proxy.js';

const CLIENT_SECRET = 'PLANTED-CLIENT-SECRET-7f3a9c21';
const PASSPHRASE = 'PLANTED-PASSPHRASE-41d09e';
const CLIENT_ID = '6f1c2e3d-4b5a-4c6d-8e7f-901a2b3c4d5e';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const encryptedPem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }).toString();
const plainPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** Lines of the key's base64 body: none may appear anywhere. */
const keyLines = [...encryptedPem.split('\n'), ...plainPem.split('\n')].filter((l) => l.length > 40 && !l.startsWith('-----'));

const seen = { tokens: new Set<string>(), signatures: new Set<string>() };
function observe({ headers }: { headers: Record<string, string> }) {
  if (headers.authorization?.startsWith('Bearer ')) seen.tokens.add(headers.authorization.slice(7));
  for (const match of (headers.signature ?? '').matchAll(/=:([A-Za-z0-9+/=]+):/g)) seen.signatures.add(match[1]);
}

let mock: MockHandle;
let dir: string;
let keyFile: string;
const publicKey = {
  keyId: 'planted-key',
  algorithm: 'ecdsa-p521-sha512' as const,
  publicKey: createPublicKey(createPrivateKey({ key: encryptedPem, passphrase: PASSPHRASE })),
};

beforeAll(async () => {
  mock = await startMock({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: manifest.security.scopes }],
    signatureKeys: (id) => (id === 'planted-key' ? publicKey : undefined),
    observe,
    clock: new ManualClock(Date.now()),
    webhookRetryDelaysMs: [20],
  });
  dir = mkdtempSync(join(tmpdir(), 'uc-secrets-'));
  keyFile = join(dir, 'key.pem');
  writeFileSync(keyFile, encryptedPem);
});
afterAll(async () => mock.close());

/** Every file under a folder, as text. */
function filesIn(folder: string): string {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

function leaks(text: string): string[] {
  const planted = [CLIENT_SECRET, PASSPHRASE, ...keyLines, ...seen.tokens, ...seen.signatures];
  return planted.filter((secret) => text.includes(secret)).map((s) => `${s.slice(0, 12)}…`);
}

const targetArgs = (baseUrl: string, reportDir: string) => [
  'run',
  '--base-url',
  baseUrl,
  '--client-id',
  CLIENT_ID,
  '--signing-key',
  keyFile,
  '--signing-key-id',
  'planted-key',
  '--execution-id',
  mock.fixtures.executions[0].id,
  '--account-id',
  mock.fixtures.accounts[0].id,
  '--report-dir',
  reportDir,
  '--timeout',
  '5',
];
const env = { UPVEST_CLIENT_SECRET: CLIENT_SECRET, UPVEST_SIGNING_KEY_PASSPHRASE: PASSPHRASE };

describe('no secret leaves a run', () => {
  test('a full run against the mock: every report format and every log line', async () => {
    const reportDir = join(dir, 'mock-reports');
    const { code, stdout, stderr } = await runCli(targetArgs(mock.url, reportDir), { env });
    expect(code, stdout + stderr).toBe(0);
    expect(seen.tokens.size).toBeGreaterThan(2);
    expect(seen.signatures.size).toBeGreaterThan(100);
    const files = filesIn(reportDir);
    for (const name of ['report.json', 'junit.xml', 'summary.md', 'report.html']) expect(readdirSync(reportDir)).toContain(name);
    expect(leaks(files + stdout + stderr)).toEqual([]);
  }, 120_000);

  test('a hostile target that reflects the credentials it receives into every answer', async () => {
    const proxy = await startHostileProxy(mock.url, (req, res) => {
      // Echo the request's headers (bearer, signature, …) in the body and in a header.
      res.writeHead(500, {
        'content-type': 'application/json',
        'x-echo': String(req.headers.authorization),
        'upvest-request-id': crypto.randomUUID(),
      });
      res.end(
        JSON.stringify({
          type: 'boom',
          status: 500,
          detail: `you sent ${req.headers.authorization} and ${req.headers.signature}`,
          headers: req.headers,
        }),
      );
    });
    try {
      const reportDir = join(dir, 'hostile-reports');
      const { code, stdout, stderr } = await runCli(targetArgs(proxy.url, reportDir), { env });
      expect(code).toBe(1);
      const files = filesIn(reportDir);
      expect(files).toContain('[REDACTED]');
      expect(leaks(files + stdout + stderr)).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  test('wrong credentials and a wrong passphrase: the error messages name the problem, not the secret', async () => {
    const wrongSecret = await runCli(targetArgs(mock.url, join(dir, 'r1')), {
      env: { ...env, UPVEST_CLIENT_SECRET: `${CLIENT_SECRET}-WRONG` },
    });
    expect(wrongSecret.code).toBe(2);
    expect(wrongSecret.stderr).toContain('CT_ERR_AUTH_TOKEN');
    const wrongPassphrase = await runCli(targetArgs(mock.url, join(dir, 'r2')), {
      env: { ...env, UPVEST_SIGNING_KEY_PASSPHRASE: `${PASSPHRASE}-WRONG` },
    });
    expect(wrongPassphrase.code).toBe(2);
    expect(wrongPassphrase.stderr).toContain('CT_ERR_SIGNING_KEY');
    const all = wrongSecret.stdout + wrongSecret.stderr + wrongPassphrase.stdout + wrongPassphrase.stderr;
    expect(leaks(all)).toEqual([]);
    expect(all).not.toContain('-WRONG');
  }, 120_000);

  test('a listen cassette of signed deliveries holds no signature value', async () => {
    const cassette = join(dir, 'cassette.ndjson');
    const delivered = new Set<string>();
    const output: Output & { lines: string[] } = {
      lines: [],
      out(l) {
        this.lines.push(l);
      },
      err(l) {
        this.lines.push(l);
      },
    };
    const stop = new AbortController();
    const running = main(
      ['listen', '--port', '0', '--jwks-url', `${mock.url}/auth/verify_keys`, '--cassette', cassette],
      output,
      stop.signal,
    );
    let url = '';
    while (!url) {
      url = /on (\S+)/.exec(output.lines.find((l) => l.startsWith('listening')) ?? '')?.[1] ?? '';
      await new Promise((r) => setTimeout(r, 10));
    }
    // A tee in front of listen learns the signatures the mock sends.
    const tee: Server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      for (const m of String(req.headers.signature).matchAll(/=:([A-Za-z0-9+/=]+):/g)) delivered.add(m[1]);
      const forwarded = await request(url, { method: 'POST', headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
      res.writeHead(forwarded.statusCode).end(await forwarded.body.text());
    });
    await new Promise<void>((r) => tee.listen(0, '127.0.0.1', r));
    mock.registerWebhook(`http://127.0.0.1:${(tee.address() as AddressInfo).port}${new URL(url).pathname}`);
    const transport = new Transport();
    const client = new UpvestClient({
      baseUrl: mock.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      signingKey: loadSigningKey({ key: encryptedPem, keyId: 'planted-key', passphrase: PASSPHRASE }),
      transport,
    });
    await client.send({
      method: 'POST',
      path: '/portfolios/rebalancings/executions',
      body: { accounts: [mock.fixtures.accounts[0].id] },
      idempotencyKey: UpvestClient.idempotencyKey(),
      auth: { scopes: ['portfolios:admin'] },
    });
    mock.advance(6_000);
    await mock.webhooks.idle();
    stop.abort();
    await running;
    await transport.close();
    await new Promise<void>((r) => tee.close(() => r()));
    expect(delivered.size).toBeGreaterThan(0);
    const text = readFileSync(cassette, 'utf8');
    expect(text.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    expect([...delivered].filter((s) => text.includes(s))).toEqual([]);
    expect(leaks(text + output.lines.join('\n'))).toEqual([]);
  }, 60_000);
});

/**
 * `listen --reject-unverified` and deliveries signed by Upvest's own signers (the recorded
 * vectors of test/fixtures/signing/): a draft-06 delivery, as Upvest signs its webhooks, is
 * accepted; a tampered one is refused; a draft-15 one (for tools that send it) is accepted too.
 * The clock is set to the vectors' created time (only Date is faked: the servers run as usual).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from '../helpers/output.js';

interface Vector {
  name: string;
  input: { created: number };
  received: { method: string; target: string; headers: [string, string][]; body: string };
}
const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/signing/${name}`, import.meta.url), 'utf8')) as T;
const vector = (file: string, name: string) => read<{ vectors: Vector[] }>(file).vectors.find((v) => v.name === name)!;
const keys = read<Record<string, { publicJwk: object }>>('interop-keys.json');
const jwksFile = join(mkdtempSync(join(tmpdir(), 'uc-vectors-')), 'upvest-keys.json');
writeFileSync(jwksFile, JSON.stringify({ keys: [keys.p521.publicJwk, keys.ed25519.publicJwk] }));

async function listening(output: ReturnType<typeof capture>): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const line = output.lines.find((l) => l.startsWith('listening for webhook deliveries on '));
    if (line) return /on (\S+)/.exec(line)![1];
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('listen did not start');
}

/** The delivery as it was received from the signer, sent again (host and length are the transport's). */
async function deliver(url: string, v: Vector, change: { body?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = {};
  for (const [name, value] of v.received.headers)
    if (!/^(host|content-length|connection)$/i.test(name)) headers[name.toLowerCase()] = value;
  const res = await request(url, { method: 'POST', headers: { ...headers, ...change.headers }, body: change.body ?? v.received.body });
  await res.body.dump();
  return res.statusCode;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('listen --reject-unverified with deliveries signed by Upvest’s signers', () => {
  test('draft-06 (httpsignature-proxy v1.3.8, P-521 and Ed25519) accepted, tampered refused; draft-15 accepted', async () => {
    const draft06 = vector('httpsignature-proxy-v1.3.8.json', 'webhook-delivery-p521');
    const draft06ed = vector('httpsignature-proxy-v1.3.8.json', 'webhook-delivery-ed25519');
    const draft15 = vector('httpsignature-proxy-v1.3.20.json', 'webhook-delivery-p521');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((draft06.input.created + 2) * 1000);
    const output = capture();
    const stop = new AbortController();
    const running = main(['listen', '--port', '0', '--jwks-file', jwksFile, '--reject-unverified'], output, stop.signal);
    const url = await listening(output);
    try {
      expect(draft06.received.headers.some(([n]) => n.toLowerCase() === 'upvest-signature-version')).toBe(false);
      expect(await deliver(url, draft06)).toBe(200);
      expect(await deliver(url, draft06ed)).toBe(200);
      expect(await deliver(url, draft15)).toBe(200);
      const tamperedBody = draft06.received.body.replace('"NEW"', '"FILLED"');
      expect(tamperedBody).not.toBe(draft06.received.body);
      expect(await deliver(url, draft06, { body: tamperedBody })).toBe(401);
      const signature = draft06.received.headers.find(([n]) => n.toLowerCase() === 'signature')![1];
      const forged = signature.replace(/=:(.)/, (_m, c: string) => `=:${c === 'A' ? 'B' : 'A'}`);
      expect(await deliver(url, draft06, { headers: { signature: forged } })).toBe(401);
      // Named as draft-15 although it is draft-06: refused, and said so.
      expect(await deliver(url, draft06, { headers: { 'upvest-signature-version': '15' } })).toBe(401);
    } finally {
      stop.abort();
      await running;
    }
    const lines = output.lines.join('\n');
    expect(lines).toMatch(/signature ok \(draft-06\)/);
    expect(lines).toMatch(/signature ok \(draft-15\)/);
    expect(lines).toMatch(/✗ delivery 4: SIGNATURE content-digest: digest SHA-256 is .+ but the body \(1078 bytes\) hashes to/);
    expect(lines).toMatch(/✗ delivery 5: SIGNATURE signature: The signature does not verify with key "interop-p521"/);
    expect(lines).toMatch(/✗ delivery 6: SIGNATURE signature-version: upvest-signature-version says 15, but the signature covers digest/);
  });

  test('without --reject-unverified and a signature that has expired, listen acknowledges and reports it', async () => {
    const draft06 = vector('httpsignature-proxy-v1.3.8.json', 'webhook-delivery-p521');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((draft06.input.created + 60 + 31) * 1000);
    const output = capture();
    const stop = new AbortController();
    const running = main(['listen', '--port', '0', '--jwks-file', jwksFile], output, stop.signal);
    const url = await listening(output);
    try {
      expect(await deliver(url, draft06)).toBe(200);
    } finally {
      stop.abort();
      await running;
    }
    expect(output.lines.join('\n')).toMatch(/✗ delivery 1: SIGNATURE expired: expires 2025-01-01T12:01:00.000Z passed more than 30s/);
  });
});

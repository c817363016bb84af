/**
 * Family 1: secrets are scrubbed before any cut, in every spelling a target may echo them in
 * (as is, JSON-escaped, percent- and form-encoded), at every offset around the excerpt
 * boundary, next to non-ASCII text; cuts never split a character; URL credentials are redacted.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BODY_EXCERPT_BYTES, ExchangeRecorder } from '../../src/client/exchange.js';
import { cutAtCharacter, previewOf, SecretRegistry, secrets } from '../../src/client/redact.js';
import { firstBytes } from '../../src/client/transport-errors.js';
import { runMain } from '../helpers/cli.js';
import { fragmentsIn, reportFigures, within } from './family-helpers.js';

reportFigures('secret-forms');

/** Secrets with the characters encodings change (+ / = & space %), non-ASCII and every length from 12 to 80. */
const PLANTED = [
  'a+b/c=d&e f%g-PLANTED-1',
  'ñandú€-secret+/==',
  'Zß🔑key&scope=all+more',
  ...Array.from({ length: 8 }, (_, i) => `len${i}-${'x+/=&'.repeat(2 + i * 2)}`.slice(0, 12 + i * 9)),
];
for (const s of PLANTED) secrets.add(s);

const spellings = (s: string) => [
  s,
  JSON.stringify(s).slice(1, -1),
  encodeURIComponent(s),
  new URLSearchParams({ v: s }).toString().slice(2),
  encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
];

describe('scrub first, then cut', () => {
  test('a secret in any spelling, at any offset around the excerpt boundary, leaves no 12-character fragment', () => {
    const recorder = new ExchangeRecorder();
    for (const secret of PLANTED) {
      for (const spelled of spellings(secret)) {
        for (const offset of [0, 1, 7, 64, 200]) {
          // Non-ASCII neighbours shift byte and character positions apart.
          const prefix = 'é'.repeat(Math.floor((BODY_EXCERPT_BYTES - offset) / 2)) + 'a'.repeat((BODY_EXCERPT_BYTES - offset) % 2);
          for (const contentType of ['application/json', 'application/x-www-form-urlencoded', 'text/plain']) {
            const body = Buffer.from(`${prefix}${spelled}tail`);
            const exchange = recorder.begin({
              method: 'POST',
              url: 'http://t/x',
              headers: { 'content-type': contentType },
              body,
              attempt: 1,
              startedAt: 0,
            });
            recorder.complete(exchange, { status: 200, headers: { 'content-type': contentType }, body }, 1);
            const text = JSON.stringify(exchange);
            expect(fragmentsIn(text, [secret, spelled]), `${spelled} at ${offset} (${contentType})`).toEqual([]);
            expect(text).not.toContain('\ufffd');
          }
        }
      }
    }
  });

  test('first-bytes previews and cuts never split a UTF-8 sequence or a surrogate pair', () => {
    const text = '🔑'.repeat(100);
    for (let limit = 1; limit < 30; limit++) {
      const cut = cutAtCharacter(text, limit);
      expect(cut.length % 2).toBe(0);
      const preview = previewOf(Buffer.from(text), limit).text;
      expect(preview).not.toContain('\ufffd');
    }
    const echoed = Buffer.from(`{"error":"${'€'.repeat(39)}${PLANTED[1]}"}`);
    expect(fragmentsIn(firstBytes(echoed), PLANTED)).toEqual([]);
  });

  test('a signature whose closing colon was cut away is still removed', () => {
    const registry = new SecretRegistry();
    const sig = 'MEUCIQDx9Yk1bq3l0PDk1m2Wk7X3n9ZPq8fYjR0b2A7mV5s5QIgd';
    expect(registry.scrub(`signature: sig1=:${sig}`)).not.toContain(sig.slice(0, 12));
  });

  test('credentials in a URL are redacted wherever the URL is printed', () => {
    expect(secrets.scrub('GET http://user:PLANTEDpassword1@host:8080/x failed')).toBe('GET http://[REDACTED]@host:8080/x failed');
  });

  test('a token endpoint that echoes the form-encoded request body: exit 2, reports valid, no fragment of the secret anywhere', async () => {
    const secret = 'PLANTED+sec/ret=&ü€-0123456789';
    const reportDir = mkdtempSync(join(tmpdir(), 'uc-13-echo-'));
    const target = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      // Echo in every place a report might show: the problem detail, a header, the raw body.
      res
        .writeHead(401, { 'content-type': 'application/json', 'x-echo': encodeURIComponent(body) })
        .end(JSON.stringify({ error: 'invalid_client', error_description: `you sent ${body}`, raw: body }));
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
      const { code, stdout, stderr } = await within('token echo', 30_000, () =>
        runMain(['run', '--base-url', url, '--client-id', '6f1c2e3d-4b5a-4c6d-8e7f-901a2b3c4d5e', '--no-sign', '--report-dir', reportDir], {
          env: { UPVEST_CLIENT_SECRET: secret },
        }),
      );
      expect(code).toBe(2);
      expect(stderr).toContain('CT_ERR_AUTH_TOKEN');
      const files = readdirSync(reportDir).map((f) => readFileSync(join(reportDir, f), 'utf8'));
      expect(() => JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8'))).not.toThrow();
      const everything = [...files, stdout, stderr].join('\n');
      expect(fragmentsIn(everything, spellings(secret))).toEqual([]);
    } finally {
      await new Promise<void>((r) => target.close(() => r()));
    }
  });

  test('replay and listen refuse URLs with credentials, without printing them', async () => {
    for (const args of [
      ['replay', '--to', 'http://alice:PLANTEDpw-123456@127.0.0.1:9/hook'],
      ['listen', '--port', '0', '--jwks-url', 'http://alice:PLANTEDpw-123456@127.0.0.1:9/keys'],
    ]) {
      const { code, stdout, stderr } = await within(args[0], 10_000, () => runMain(args));
      expect(code).toBe(2);
      expect(stderr).toContain('CT_ERR_USAGE');
      expect(fragmentsIn(stdout + stderr, ['PLANTEDpw-123456'])).toEqual([]);
    }
  });
});

/**
 * The decisions of spec/README.md "Signature versions" on what signers do at the edges: values
 * with surrounding spaces, repeated header lines, transport headers, how the version is found,
 * and the bounded nonce memory.
 */
import { describe, expect, it } from 'vitest';
import { headersFromRaw, NonceStore, signRequest, verifyRequest } from '../../src/signing/index.js';
import { generateKeys, resolverOf } from './keys.js';

const CREATED = 1735732800;
const { signing, verifying } = generateKeys('ed25519', 'quirk-key');
const keys = resolverOf(verifying);
const at = { now: () => CREATED * 1000 };

describe('header values as received', () => {
  it('repeated lines are joined with ", " and values trimmed, names lower-cased (rawHeaders, not req.headers)', () => {
    expect(
      headersFromRaw(['Accept-Language', ' de ', 'accept-language', 'en', 'Authorization', 'Bearer a', 'AUTHORIZATION', 'Bearer b']),
    ).toEqual({
      'accept-language': 'de, en',
      authorization: 'Bearer a, Bearer b',
    });
  });

  it('a value given with surrounding spaces is signed trimmed, as it arrives', () => {
    const signed = signRequest({ method: 'GET', url: '/x', headers: { 'upvest-client-id': '  c-1  ' } }, signing, { created: CREATED });
    expect(signed.signatureBase).toContain('"upvest-client-id": c-1\n');
    expect(verifyRequest({ method: 'GET', url: '/x', headers: { ...signed.headers, 'upvest-client-id': 'c-1' } }, keys, at)).toMatchObject({
      ok: true,
    });
  });

  it('a second line of a covered header that the signer did not sign is refused', () => {
    const signed = signRequest({ method: 'GET', url: '/x', headers: { authorization: 'Bearer a' } }, signing, { created: CREATED });
    const raw = Object.entries(signed.headers).flat();
    const received = headersFromRaw([...raw, 'Authorization', 'Bearer b']);
    expect(verifyRequest({ method: 'GET', url: '/x', headers: received }, keys, at)).toMatchObject({ ok: false, step: 'signature' });
  });
});

describe('transport headers', () => {
  const transport = {
    host: 'api.example',
    'user-agent': 'ua',
    'accept-encoding': 'gzip',
    connection: 'keep-alive',
    'keep-alive': 'timeout=5',
    te: 'trailers',
    upgrade: 'h2c',
    'proxy-connection': 'keep-alive',
    'transfer-encoding': 'chunked',
  };

  it.each(['15', '6'] as const)('draft-%s: never covered by our signer, and their absence or change does not matter', (version) => {
    const signed = signRequest({ method: 'GET', url: '/x', headers: { accept: 'application/json', ...transport } }, signing, {
      version,
      created: CREATED,
    });
    for (const name of Object.keys(transport)) expect(signed.coveredComponents).not.toContain(name);
    const rewritten = { ...signed.headers, 'user-agent': 'another', connection: 'close' };
    delete (rewritten as Record<string, string>).host;
    expect(verifyRequest({ method: 'GET', url: '/x', headers: rewritten }, keys, at)).toMatchObject({ ok: true, version });
  });
});

describe('finding the version', () => {
  const body = '{"a":1}';
  const post = (version: '15' | '6', versionHeader = true) =>
    signRequest({ method: 'POST', url: '/w', headers: { 'content-type': 'application/json' }, body }, signing, {
      version,
      versionHeader,
      created: CREATED,
    }).headers;

  it('from the header; without it, from the covered digest; with neither, draft-06 (Upvest’s default)', () => {
    expect(verifyRequest({ method: 'POST', url: '/w', headers: post('15'), body }, keys, at)).toMatchObject({
      ok: true,
      version: '15',
      versionSource: 'header',
    });
    expect(verifyRequest({ method: 'POST', url: '/w', headers: post('15', false), body }, keys, at)).toMatchObject({
      ok: true,
      version: '15',
      versionSource: 'components',
    });
    expect(verifyRequest({ method: 'POST', url: '/w', headers: post('6', false), body }, keys, at)).toMatchObject({
      ok: true,
      version: '6',
      versionSource: 'components',
    });
    const get = signRequest({ method: 'GET', url: '/w', headers: {} }, signing, { version: '6', versionHeader: false, created: CREATED });
    expect(verifyRequest({ method: 'GET', url: '/w', headers: get.headers }, keys, at)).toMatchObject({
      ok: true,
      version: '6',
      versionSource: 'default',
    });
    // A draft-15 GET without the header is read as draft-06, and the message says what happened.
    const get15 = signRequest({ method: 'GET', url: '/w', headers: {} }, signing, { versionHeader: false, created: CREATED });
    expect(verifyRequest({ method: 'GET', url: '/w', headers: get15.headers }, keys, at)).toMatchObject({
      ok: false,
      step: 'signature-version',
      message: expect.stringMatching(
        /^read as draft-06, but the signature verifies only over the draft-ietf-httpbis-message-signatures-15 base/,
      ),
    });
  });

  it('refuses an unknown version, a missing one when required, and a digest of the other version', () => {
    expect(
      verifyRequest({ method: 'POST', url: '/w', headers: { ...post('15'), 'upvest-signature-version': '16' }, body }, keys, at),
    ).toMatchObject({
      ok: false,
      step: 'signature-version',
      message: 'upvest-signature-version is "16"; Upvest knows 15 (draft-15) and 6 (draft-06)',
    });
    expect(
      verifyRequest({ method: 'POST', url: '/w', headers: post('6', false), body }, keys, { ...at, versionHeader: 'require' }),
    ).toMatchObject({
      ok: false,
      step: 'signature-version',
    });
    expect(
      verifyRequest({ method: 'POST', url: '/w', headers: { ...post('6'), 'upvest-signature-version': '15' }, body }, keys, at),
    ).toMatchObject({
      ok: false,
      step: 'signature-version',
      message: expect.stringMatching(/says 15, but the signature covers digest/),
    });
    expect(
      verifyRequest({ method: 'POST', url: '/w', headers: { ...post('15'), 'upvest-signature-version': '6' }, body }, keys, at),
    ).toMatchObject({
      ok: false,
      step: 'signature-version',
      message: expect.stringMatching(/says 6, but the signature covers content-digest/),
    });
  });

  it('draft-06: a body changed under its digest is refused at the digest, naming the hashes', () => {
    expect(verifyRequest({ method: 'POST', url: '/w', headers: post('6'), body: '{"a":2}' }, keys, at)).toMatchObject({
      ok: false,
      step: 'content-digest',
      message: expect.stringMatching(/^digest SHA-256 is \S+ but the body \(7 bytes\) hashes to /),
    });
  });
});

describe('NonceStore', () => {
  it('remembers a nonce until its window closes, per key id', () => {
    const store = new NonceStore();
    store.remember('k', 'n', 100, 50);
    expect(store.seenBefore('k', 'n', 100)).toBe(true);
    expect(store.seenBefore('k', 'n', 101)).toBe(false);
    expect(store.seenBefore('other', 'n', 60)).toBe(false);
  });

  it('stays within its bound: expired entries go first, then the soonest to expire', () => {
    const store = new NonceStore({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) store.remember('k', `n${i}`, 1000 + i, 0);
    expect(store.size).toBeLessThanOrEqual(100);
    // The latest (longest-lived) are kept.
    expect(store.seenBefore('k', 'n999', 0)).toBe(true);
    expect(store.seenBefore('k', 'n0', 0)).toBe(false);
    for (let i = 0; i < 200; i++) store.remember('k', `m${i}`, 5000, 4000);
    expect(store.size).toBeLessThanOrEqual(100);
    expect(store.seenBefore('k', 'n999', 0)).toBe(false);
  });

  it('verifyRequest refuses the second use of a nonce while the signature is valid, and only then', () => {
    const nonces = new NonceStore();
    const signed = signRequest({ method: 'GET', url: '/x', headers: {} }, signing, { created: CREATED, nonce: 'once' });
    const request = { method: 'GET', url: '/x', headers: signed.headers };
    expect(verifyRequest(request, keys, { ...at, nonces })).toMatchObject({ ok: true });
    expect(verifyRequest(request, keys, { ...at, nonces })).toMatchObject({ ok: false, step: 'replayed-nonce' });
    // A forged request does not burn a nonce.
    const forged = signRequest({ method: 'GET', url: '/x', headers: {} }, signing, { created: CREATED, nonce: 'other' });
    const bad = {
      ...forged.headers,
      signature: forged.headers.signature.replace(/=:(.)/, (_m, c: string) => `=:${c === 'A' ? 'B' : 'A'}`),
    };
    expect(verifyRequest({ ...request, headers: bad }, keys, { ...at, nonces })).toMatchObject({ ok: false, step: 'signature' });
    expect(verifyRequest({ ...request, headers: forged.headers }, keys, { ...at, nonces })).toMatchObject({ ok: true });
  });
});

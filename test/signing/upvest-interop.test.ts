/**
 * Interop with Upvest's own signers, from the vectors recorded by running them on fixed inputs
 * (test/fixtures/signing/*.json, each with its provenance): our base equals theirs byte for byte,
 * their signatures verify with our verifier, ours verify with their keys, for draft-06 and
 * draft-15, ECDSA P-521 and Ed25519. Where a signer does something no verifier can reproduce
 * (the quirks), the test says what and expects the refusal.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildSignatureBase,
  headersFromRaw,
  loadSigningKey,
  publicKeyFromJwk,
  signRequest,
  verifyRequest,
  type SignatureVersion,
  type SigningKey,
  type VerifyingKey,
} from '../../src/signing/index.js';
import { signBytes, verifyBytes } from '../../src/signing/keys.js';
import { strictVerifyOptions } from '../../src/mock/signature-policy.js';
import { isInnerList, parseDictionary, type Parameters } from '../../src/signing/structured-fields.js';

interface Vector {
  name: string;
  description: string;
  entryPoint?: string;
  key: 'p521' | 'ed25519';
  input: { method: string; url: string; headers: [string, string][]; body: string | null; created: number; nonce: string; keyId: string };
  signed: { signatureBase: string; signatureInput: string; signature: string; deterministic: boolean };
  received: { method: string; target: string; headers: [string, string][]; body: string };
}
interface Fixture {
  signatureVersion: SignatureVersion;
  source: { repository: string; tag?: string; commit: string };
  vectors: Vector[];
}

const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/signing/${name}`, import.meta.url), 'utf8')) as T;
const keysFile =
  read<Record<'p521' | 'ed25519', { kid: string; privatePem: string; publicJwk: JsonWebKey & { kid: string } }>>('interop-keys.json');
const publicKeys: Record<string, VerifyingKey> = {
  p521: publicKeyFromJwk(keysFile.p521.publicJwk),
  ed25519: publicKeyFromJwk(keysFile.ed25519.publicJwk),
};
const privateKeys: Record<string, SigningKey> = {
  p521: loadSigningKey({ key: keysFile.p521.privatePem, keyId: keysFile.p521.kid }),
  ed25519: loadSigningKey({ key: keysFile.ed25519.privatePem, keyId: keysFile.ed25519.kid }),
};
const resolver = (keyId: string) => Object.values(publicKeys).find((k) => k.keyId === keyId);

const FIXTURES = [
  'httpsignature-proxy-v1.3.8.json',
  'http-signature-examples-go.json',
  'httpsignature-proxy-v1.3.20.json',
  'http-signature-examples-javascript.json',
  'http-signature-examples-python.json',
].map((file) => ({ file, ...read<Fixture>(file) }));

/**
 * What a signer signs that differs from what arrives: the quirks, decided in spec/README.md.
 * - proxy `quirks`: `accept: application/json, application/problem+json` is signed as its first
 *   member only (parser.go Normalise); every HTTP verifier sees the whole value.
 * - JavaScript `value-with-spaces`: the value is signed with its surrounding spaces, which HTTP
 *   strips on the wire (RFC 9110 §5.5); the base can never be rebuilt.
 */
const UNVERIFIABLE: Record<string, { differs: string; message: RegExp }> = {
  'httpsignature-proxy-v1.3.8.json#quirks': { differs: 'accept: application/json\n', message: /accept hold comma-separated values/ },
  'httpsignature-proxy-v1.3.20.json#quirks': { differs: '"accept": application/json\n', message: /accept hold comma-separated values/ },
  'http-signature-examples-javascript.json#value-with-spaces': {
    differs: '"upvest-client-id":   ebabcf4d-61c3-4942-875c-e265a7c2d062  \n',
    message: /does not verify/,
  },
};

function received(v: Vector) {
  return {
    method: v.received.method,
    url: v.received.target,
    headers: headersFromRaw(v.received.headers.flat()),
    body: v.received.body === '' ? null : v.received.body,
  };
}

function signatureInputOf(v: Vector): { components: string[]; params: Parameters } {
  const member = parseDictionary(v.signed.signatureInput).get('sig1');
  if (!member || !isInnerList(member)) throw new Error(`${v.name}: no sig1 inner list`);
  return { components: member.items.map((i) => i.value as string), params: member.params };
}

const signatureBytes = (v: Vector) => Buffer.from(v.signed.signature.replace(/^sig1=:|:$/g, ''), 'base64');

for (const fixture of FIXTURES) {
  describe(`${fixture.file} (draft-${fixture.signatureVersion.padStart(2, '0')}, ${fixture.source.repository}@${fixture.source.tag ?? fixture.source.commit.slice(0, 7)})`, () => {
    it.each(fixture.vectors.map((v) => [v.name, v] as const))('%s: the recorded signature is over the recorded base', (_n, v) => {
      expect(verifyBytes(Buffer.from(v.signed.signatureBase, 'utf8'), signatureBytes(v), publicKeys[v.key])).toBe(true);
      if (v.signed.deterministic) {
        // Ed25519 is deterministic: our signing primitive gives their bytes.
        expect(signBytes(Buffer.from(v.signed.signatureBase, 'utf8'), privateKeys[v.key]).toString('base64')).toBe(
          signatureBytes(v).toString('base64'),
        );
      }
    });

    it.each(fixture.vectors.map((v) => [v.name, v] as const))('%s: our base from the request as received', (_n, v) => {
      const { components, params } = signatureInputOf(v);
      const ours = buildSignatureBase(received(v), components, params, fixture.signatureVersion);
      const quirk = UNVERIFIABLE[`${fixture.file}#${v.name}`];
      if (quirk) {
        expect(v.signed.signatureBase).toContain(quirk.differs);
        expect(ours).not.toBe(v.signed.signatureBase);
      } else {
        expect(ours).toBe(v.signed.signatureBase);
      }
    });

    it.each(fixture.vectors.map((v) => [v.name, v] as const))('%s: verifyRequest on the request as received', (_n, v) => {
      const result = verifyRequest(received(v), resolver, { now: () => v.input.created * 1000, requiredComponents: ['@method', '@path'] });
      const quirk = UNVERIFIABLE[`${fixture.file}#${v.name}`];
      if (quirk) {
        expect(result).toMatchObject({ ok: false, step: 'signature', message: expect.stringMatching(quirk.message) });
      } else {
        expect(result).toMatchObject({ ok: true, keyId: v.input.keyId, version: fixture.signatureVersion, nonce: v.input.nonce });
      }
    });
  });
}

describe("the mock's rules accept exactly what Upvest's signers produce", () => {
  const all = FIXTURES.flatMap((f) =>
    f.vectors.filter((v) => !UNVERIFIABLE[`${f.file}#${v.name}`]).map((v) => [`${f.file}#${v.name}`, f.signatureVersion, v] as const),
  );
  it.each(all)('%s', (_n, version, v) => {
    const request = received(v);
    const options = { ...strictVerifyOptions(), now: () => v.input.created * 1000 };
    if (request.headers['upvest-signature-version'] === undefined) {
      // Upvest's draft-06 signer sends no version header: the mock wants one, the signature itself passes every rule.
      expect(verifyRequest(request, resolver, options)).toMatchObject({ ok: false, step: 'signature-version' });
      request.headers['upvest-signature-version'] = version;
    }
    expect(verifyRequest(request, resolver, options)).toMatchObject({ ok: true, version });
  });
});

describe('our signer reproduces the layout of the signer its version follows', () => {
  const proxy6 = FIXTURES.find((f) => f.file === 'httpsignature-proxy-v1.3.8.json')!;
  it.each(proxy6.vectors.filter((v) => v.name !== 'quirks').map((v) => [v.name, v] as const))(
    'draft-06, httpsignature-proxy v1.3.8 %s: the same signature-input and base (and, with Ed25519, signature)',
    (_n, v) => {
      // The proxy lists headers in Go's map order; give ours the headers in that order.
      const got = received(v);
      const { components } = signatureInputOf(v);
      const headers = Object.fromEntries(components.filter((c) => !c.startsWith('@') && c !== 'digest').map((c) => [c, got.headers[c]]));
      const signed = signRequest({ method: v.input.method, url: v.input.url, headers, body: v.input.body }, privateKeys[v.key], {
        version: '6',
        created: v.input.created,
        nonce: v.input.nonce,
        versionHeader: false,
      });
      expect(signed.signatureBase).toBe(v.signed.signatureBase);
      expect(`sig1=${signed.headers['signature-input'].slice('sig1='.length)}`).toBe(v.signed.signatureInput);
      if (v.signed.deterministic) expect(signed.headers.signature).toBe(v.signed.signature);
      expect(signed.headers).not.toHaveProperty('upvest-signature-version');
    },
  );

  const js = FIXTURES.find((f) => f.file === 'http-signature-examples-javascript.json')!;
  it.each(js.vectors.filter((v) => v.name !== 'value-with-spaces').map((v) => [v.name, v] as const))(
    'draft-15, the JavaScript reference signer %s: the same signature-input and base',
    (_n, v) => {
      const signed = signRequest(
        { method: v.input.method, url: v.input.url, headers: Object.fromEntries(v.input.headers), body: v.input.body },
        privateKeys.p521,
        { created: v.input.created, nonce: v.input.nonce },
      );
      expect(signed.signatureBase).toBe(v.signed.signatureBase);
      expect(signed.headers['signature-input']).toBe(v.signed.signatureInput);
      expect(signed.headers['upvest-signature-version']).toBe('15');
    },
  );
});

describe('signatures made by the project verify with the recorded public keys', () => {
  const body = '{"payload":[]}';
  it.each([
    ['15', 'p521'],
    ['15', 'ed25519'],
    ['6', 'p521'],
    ['6', 'ed25519'],
  ] as const)('draft-%s, %s', (version, key) => {
    const request = { method: 'POST', url: 'http://127.0.0.1:18421/webhooks?x=1', headers: { 'content-type': 'application/json' }, body };
    const signed = signRequest(request, privateKeys[key], { version, created: 1735732800 });
    const publicKey = publicKeyFromJwk(keysFile[key].publicJwk);
    expect(verifyBytes(Buffer.from(signed.signatureBase), Buffer.from(signed.headers.signature.slice(6, -1), 'base64'), publicKey)).toBe(
      true,
    );
    expect(
      verifyRequest({ ...request, url: '/webhooks?x=1', headers: signed.headers }, () => publicKey, { now: () => 1735732800_000 }),
    ).toMatchObject({ ok: true, version, versionSource: 'header' });
  });
});

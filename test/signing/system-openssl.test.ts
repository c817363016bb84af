/**
 * P-521 through the system's OpenSSL (src/signing/system-openssl.ts): it is used where it can be
 * (CI installs libssl3, so "usable" is asserted, never skipped), its signatures verify with
 * node:crypto in both ECDSA encodings, and `--signing-library` chooses or insists, with a clear
 * error when it cannot have what it insists on.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SigningKeyError } from '../../src/errors.js';
import {
  generateSigningKey,
  loadSigningKey,
  signerOf,
  signRequest,
  signRequestAsync,
  verifyRequest,
  withLibrary,
  type EcdsaEncoding,
  type SigningLibrary,
} from '../../src/signing/index.js';
import { derToP1363, systemSignerFor } from '../../src/signing/system-openssl.js';
import { runCli } from '../helpers/cli.js';
import { generatePem, resolverOf } from './keys.js';

const p521 = () => generateKeyPairSync('ec', { namedCurve: 'P-521' });

describe("the system's OpenSSL", () => {
  it('is usable here, and says what it is', () => {
    const system = systemSignerFor(p521().privateKey);
    // CI installs libssl3 (.ci/run): a machine without it fails here rather than skipping.
    expect(system).toHaveProperty('signer');
    if (!('signer' in system)) return;
    expect(system.signer.description).toMatch(/^the system's libcrypto\.so\.3, OpenSSL 3\.\d+\.\d+$/);
  });

  it('makes DER signatures that node:crypto verifies, each a fresh one', () => {
    const { privateKey, publicKey } = p521();
    const system = systemSignerFor(privateKey);
    if (!('signer' in system)) throw new Error(system.unavailable);
    const data = randomBytes(300);
    const signatures = Array.from({ length: 40 }, () => system.signer.sign(data));
    for (const signature of signatures) expect(verify('sha512', data, publicKey, signature)).toBe(true);
    // ECDSA with a random nonce: no two alike.
    expect(new Set(signatures.map((s) => s.toString('hex'))).size).toBe(signatures.length);
    expect(verify('sha512', Buffer.concat([data, Buffer.from('x')]), publicKey, signatures[0])).toBe(false);
  });

  it('is not offered a key of another curve', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(systemSignerFor(privateKey)).toEqual({ unavailable: 'the key is not an ECDSA P-521 key' });
  });
});

describe('DER to r‖s (IEEE P1363)', () => {
  it('turns 300 DER signatures by node:crypto into the form it verifies as ieee-p1363', () => {
    const { privateKey, publicKey } = p521();
    const data = randomBytes(64);
    // About one half in 128 is shorter than 66 bytes: 600 halves cover the padding.
    for (let i = 0; i < 300; i++) {
      const raw = derToP1363(sign('sha512', data, privateKey), 66);
      expect(raw).toHaveLength(132);
      expect(verify('sha512', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    }
  });

  it.for<[string, string, string]>([
    ['short halves are padded on the left', '3006020101020102', '000001000002'],
    ['a leading zero byte (a positive INTEGER) is dropped', '300a020300ff01020300ff02', '00ff0100ff02'],
  ])('%s', ([, der, raw]) => {
    expect(derToP1363(Buffer.from(der, 'hex'), 3).toString('hex')).toBe(raw);
  });

  it.for<[string, string]>([
    ['not a SEQUENCE', '3106020101020102'],
    ['a length that disagrees with the bytes', '3007020101020102'],
    ['an INTEGER longer than a half', '300a02050102030405020101'],
    ['bytes after the SEQUENCE', '300602010102010200'],
    ['a truncated INTEGER', '3006020101020302'],
    ['nothing at all', ''],
  ])('refuses %s', ([, der]) => {
    expect(() => derToP1363(Buffer.from(der, 'hex'), 3)).toThrow('not a DER ECDSA signature');
  });
});

describe('--signing-library, in the library', () => {
  const request = {
    method: 'POST',
    url: 'https://sandbox.upvest.co/portfolios/rebalancings/executions',
    headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
    body: '{"accounts":[]}',
  };

  it.for<[SigningLibrary, EcdsaEncoding, RegExp]>([
    ['auto', 'der', /by the system's libcrypto\.so\.3/],
    ['auto', 'p1363', /by the system's libcrypto\.so\.3/],
    ['system', 'der', /by the system's libcrypto\.so\.3/],
    ['node', 'der', /by node:crypto, OpenSSL /],
    ['node', 'p1363', /by node:crypto, OpenSSL /],
  ])('%s (%s): signs requests that verify', async ([library, encoding, signer]) => {
    const { privatePem, publicPem } = generatePem('P-521');
    const key = loadSigningKey({ key: privatePem, keyId: 'k', ecdsaEncoding: encoding, library });
    expect(`${key.algorithm} by ${signerOf(key)}`).toMatch(signer);
    expect(Boolean(key.systemSigner)).toBe(library !== 'node');
    const verifying = { keyId: 'k', algorithm: key.algorithm, publicKey: createPublicKey(publicPem), ecdsaEncoding: encoding };
    for (const signed of [signRequest(request, key), await signRequestAsync(request, key)]) {
      const result = verifyRequest(
        { ...request, url: '/portfolios/rebalancings/executions', headers: signed.headers },
        resolverOf(verifying),
      );
      expect(result).toMatchObject({ ok: true });
    }
  });

  it('leaves P-256 and Ed25519 keys to node:crypto, even when told "system"', () => {
    for (const kind of ['P-256', 'ed25519'] as const) {
      const key = loadSigningKey({ key: generatePem(kind).privatePem, keyId: 'k', library: 'system' });
      expect(key.systemSigner).toBeUndefined();
      expect(signerOf(key)).toMatch(/^node:crypto, OpenSSL /);
    }
  });

  it('a generated P-521 key (the mock\'s webhook key, the embedded run\'s) signs through it unless told "node"', () => {
    expect(generateSigningKey('ecdsa-p521-sha512', 'k').systemSigner).toBeDefined();
    expect(generateSigningKey('ecdsa-p521-sha512', 'k', 'der', 'node').systemSigner).toBeUndefined();
  });

  it('"system" that cannot be had is a SigningKeyError that says why', () => {
    const key = generateSigningKey('ecdsa-p521-sha512', 'k', 'der', 'node');
    // A key that libcrypto cannot have: an X25519 key passed off as P-521 never reaches it.
    const unusable = { ...key, privateKey: generateKeyPairSync('x25519').privateKey };
    expect(() => withLibrary(unusable, 'system')).toThrow(SigningKeyError);
    expect(() => withLibrary(unusable, 'system')).toThrow('--signing-library system: the key is not an ECDSA P-521 key');
  });
});

describe('--signing-library, on the command line', () => {
  const reportDir = () => mkdtempSync(join(tmpdir(), 'uc-signing-library-'));

  it('auto: the run signs through the system library, and report.json says so', async () => {
    const dir = reportDir();
    const { code, stdout } = await runCli(['run', '--only', 'status-code', '--report-dir', dir, '--reporter', 'json']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/signing on \(ecdsa-p521-sha512 by the system's libcrypto\.so\.3, OpenSSL 3\.\d+\.\d+\)/);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.target.signer).toMatch(/^ecdsa-p521-sha512 by the system's libcrypto\.so\.3/);
  });

  it('auto without native addons: node:crypto signs, and the run is as conformant', async () => {
    const { code, stdout } = await runCli(['run', '--only', 'status-code', '--report-dir', reportDir(), '--reporter', 'json'], {
      env: { NODE_OPTIONS: '--no-addons' },
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/signing on \(ecdsa-p521-sha512 by node:crypto, OpenSSL /);
    expect(stdout).toMatch(/^CONFORMANT/m);
  });

  it('system without native addons: exit 2 and why, before anything is sent', async () => {
    const { code, stdout, stderr } = await runCli(['run', '--signing-library', 'system', '--report-dir', reportDir()], {
      env: { NODE_OPTIONS: '--no-addons' },
    });
    expect(code).toBe(2);
    expect(stderr).toContain('--signing-library system: the optional dependency koffi cannot be loaded');
    expect(stderr).toContain('--signing-library auto');
    expect(stdout).not.toMatch(/requests in/);
  });

  it('an unknown library is a usage error naming the choices', async () => {
    const { code, stderr } = await runCli(['run', '--signing-library', 'openssl', '--report-dir', reportDir()]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/auto.*node.*system/);
  });
});

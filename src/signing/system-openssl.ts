/**
 * P-521 signatures through the system's OpenSSL (libcrypto.so.3), called with koffi (an FFI with
 * prebuilt binaries, an optional dependency). Why: Node's bundled OpenSSL takes 1.4–2 ms per
 * P-521 signature; Debian's build of the very same OpenSSL 3.0.19 takes about 0.2 ms, with
 * OpenSSL's 64-bit P-521 code (enable-ec_nistp_64_gcc_128, off by default), which node's
 * evidently lacks. A run signs every request with P-521 (what Upvest requires), so this is most
 * of the CPU a run costs.
 *
 * Only bytes cross: the key as PKCS#8 DER (wiped once imported), the signature base, the DER
 * signature. The library is opened with RTLD_DEEPBIND so that its calls stay inside it and never
 * land in the OpenSSL that node itself carries (same names, possibly another version); that is
 * why it is used on glibc Linux only. Every key signs and verifies a test message (verified with
 * node:crypto) before it is used: a library that loads but signs wrongly is never used.
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Which library signs P-521: `auto` the system's OpenSSL when it is usable, else node:crypto. */
export type SigningLibrary = 'auto' | 'node' | 'system';
export const SIGNING_LIBRARIES: readonly SigningLibrary[] = ['auto', 'node', 'system'];

export interface SystemSigner {
  /** E.g. "the system's libcrypto.so.3, OpenSSL 3.0.19". */
  readonly description: string;
  /** An ECDSA P-521 / SHA-512 signature of `data`, DER-encoded. */
  sign(data: Uint8Array): Buffer;
}

type Pointer = unknown;
interface Libcrypto {
  version: string;
  d2iAutoPrivateKey(out: null, pp: [Buffer], length: number): Pointer | null;
  pkeyFree(pkey: Pointer): void;
  mdCtxNew(): Pointer | null;
  mdCtxFree(ctx: Pointer): void;
  digestSignInit(ctx: Pointer, pctx: null, md: Pointer, engine: null, pkey: Pointer): number;
  digestSign(ctx: Pointer, sig: Buffer, sigLength: [number], tbs: Uint8Array, tbsLength: number): number;
  errClearError(): void;
  sha512: Pointer;
}

const LIBRARY = 'libcrypto.so.3';
/** A DER ECDSA P-521 signature is at most 139 bytes. */
const MAX_SIGNATURE = 160;

let opened: { lib: Libcrypto } | { unavailable: string } | undefined;

/** Open libcrypto once per thread; the reason it cannot be used otherwise. */
function openLibcrypto(): { lib: Libcrypto } | { unavailable: string } {
  if (opened) return opened;
  opened = tryOpen();
  return opened;
}

/** Why this process cannot open the library with RTLD_DEEPBIND, if it cannot: glibc Linux has it, musl does not. */
function notGlibcLinux(): string | undefined {
  const only = "the system's OpenSSL is used on glibc Linux only";
  if (process.platform !== 'linux') return `${only} (this is ${process.platform})`;
  let maps: string;
  try {
    // The C library this process runs on.
    maps = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return `${only} (/proc/self/maps cannot be read to tell the C library)`;
  }
  return /\/libc\.so\.6\b/.test(maps) && !/ld-musl/.test(maps) ? undefined : `${only} (this Linux runs on another C library, such as musl)`;
}

function tryOpen(): { lib: Libcrypto } | { unavailable: string } {
  const platform = notGlibcLinux();
  if (platform) return { unavailable: platform };
  let koffi: typeof import('koffi');
  try {
    koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
  } catch (error) {
    return { unavailable: `the optional dependency koffi cannot be loaded (${(error as Error).message.split('\n')[0]})` };
  }
  try {
    const lib = koffi.load(LIBRARY, { deep: true });
    const versionNumber = lib.func('unsigned long OpenSSL_version_num()')() as number;
    if (versionNumber < 0x3000_0000) return { unavailable: `${LIBRARY} is not OpenSSL 3 (version number 0x${versionNumber.toString(16)})` };
    return {
      lib: {
        // "OpenSSL 3.0.19 27 Jan 2026": the name and version, without the date.
        version: (lib.func('const char *OpenSSL_version(int)')(0) as string).split(' ').slice(0, 2).join(' '),
        d2iAutoPrivateKey: lib.func('void *d2i_AutoPrivateKey(void *, _Inout_ uint8_t **pp, long length)'),
        pkeyFree: lib.func('void EVP_PKEY_free(void *)'),
        mdCtxNew: lib.func('void *EVP_MD_CTX_new()'),
        mdCtxFree: lib.func('void EVP_MD_CTX_free(void *)'),
        digestSignInit: lib.func('int EVP_DigestSignInit(void *ctx, void *pctx, const void *type, void *e, void *pkey)'),
        digestSign: lib.func(
          'int EVP_DigestSign(void *ctx, _Out_ uint8_t *sig, _Inout_ size_t *siglen, const uint8_t *tbs, size_t tbslen)',
        ),
        errClearError: lib.func('void ERR_clear_error()'),
        sha512: lib.func('const void *EVP_sha512()')(),
      },
    };
  } catch (error) {
    return { unavailable: `${LIBRARY} cannot be opened (${(error as Error).message.split('\n')[0]})` };
  }
}

/** Frees each imported key when its signer is collected. */
const keys = new FinalizationRegistry<{ lib: Libcrypto; pkey: Pointer }>(({ lib, pkey }) => lib.pkeyFree(pkey));

function signWith(lib: Libcrypto, pkey: Pointer, data: Uint8Array): Buffer {
  const ctx = lib.mdCtxNew();
  if (!ctx) throw new Error('EVP_MD_CTX_new failed');
  try {
    const signature = Buffer.alloc(MAX_SIGNATURE);
    const length: [number] = [MAX_SIGNATURE];
    if (lib.digestSignInit(ctx, null, lib.sha512, null, pkey) !== 1 || lib.digestSign(ctx, signature, length, data, data.length) !== 1) {
      lib.errClearError();
      throw new Error("the system's OpenSSL did not sign (EVP_DigestSign)");
    }
    return signature.subarray(0, length[0]);
  } finally {
    lib.mdCtxFree(ctx);
  }
}

/**
 * A signer of `privateKey` (a P-521 key) through the system's OpenSSL, or why there is none.
 * The key's DER copy is wiped once the library holds it.
 */
export function systemSignerFor(privateKey: KeyObject): { signer: SystemSigner } | { unavailable: string } {
  if (privateKey.asymmetricKeyDetails?.namedCurve !== 'secp521r1') return { unavailable: 'the key is not an ECDSA P-521 key' };
  const state = openLibcrypto();
  if ('unavailable' in state) return state;
  const { lib } = state;
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  let pkey: Pointer | null;
  try {
    pkey = lib.d2iAutoPrivateKey(null, [der], der.length);
  } finally {
    der.fill(0);
  }
  if (!pkey) {
    lib.errClearError();
    return { unavailable: `${lib.version} could not import the key` };
  }
  const signer: SystemSigner = { description: `the system's ${LIBRARY}, ${lib.version}`, sign: (data) => signWith(lib, pkey, data) };
  keys.register(signer, { lib, pkey });
  // Proof before use: a signature that node:crypto verifies with the key's public half.
  const probe = randomBytes(32);
  let proven = false;
  try {
    proven = verify('sha512', probe, createPublicKey(privateKey), signer.sign(probe));
  } catch {
    proven = false;
  }
  return proven ? { signer } : { unavailable: `${lib.version} made a signature that does not verify` };
}

/**
 * The raw r‖s form (IEEE P1363, RFC 9421 §3.3.4) of a DER ECDSA signature, each half
 * `size` bytes (66 for P-521).
 */
export function derToP1363(der: Uint8Array, size: number): Buffer {
  let at = 0;
  const fail = (): never => {
    throw new Error('not a DER ECDSA signature');
  };
  const length = (): number => {
    const first = der[at++] ?? fail();
    if (first < 0x80) return first;
    if (first !== 0x81) fail();
    return der[at++] ?? fail();
  };
  if (der[at++] !== 0x30) fail();
  if (length() !== der.length - at) fail();
  const out = Buffer.alloc(size * 2);
  for (const half of [0, 1]) {
    if (der[at++] !== 0x02) fail();
    const n = length();
    let value = der.subarray(at, at + n);
    at += n;
    if (value.length !== n) fail();
    while (value.length > 0 && value[0] === 0) value = value.subarray(1);
    if (value.length > size) fail();
    out.set(value, half * size + size - value.length);
  }
  if (at !== der.length) fail();
  return out;
}

/**
 * The package as a user gets it: `npm pack`, installed into an empty project offline (from the
 * tarball and the npm cache `npm ci` filled), then the installed command and the vitest adapter
 * run from there. One pack and one install for the whole file.
 *
 * The consumer's lockfile is derived from this repository's: with it `npm ci --offline` needs
 * only the tarballs `npm ci` cached here (an install without a lockfile would need registry
 * metadata, which `npm ci` does not cache).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundleIfStale, declarationsIfStale, ROOT } from '../../scripts/build.js';

const WORK = mkdtempSync(join(tmpdir(), 'uc-package-'));
const PROJECT = join(WORK, 'consumer');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let packedFiles: string[] = [];
const children: ChildProcess[] = [];

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

/** The entries of `lock` that `roots` need, found as Node finds them (nearest node_modules first). */
function closure(
  lock: Record<string, LockEntry>,
  roots: Record<string, string>,
  optionalRoots: Record<string, string> = {},
): Record<string, LockEntry> {
  const picked: Record<string, LockEntry> = {};
  const find = (from: string, name: string): string | undefined => {
    for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
      const path = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
      if (lock[path]) return path;
      if (!dir) return undefined;
    }
  };
  const visit = (from: string, deps: Record<string, string>, optional: Record<string, string> = {}) => {
    for (const name of [...Object.keys(deps), ...Object.keys(optional)]) {
      const path = find(from, name);
      if (!path) {
        if (name in optional) continue;
        throw new Error(`${name} (needed by ${from || 'the consumer'}) is not in package-lock.json`);
      }
      if (picked[path]) continue;
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = lock[path] as LockEntry & Record<string, unknown>;
      // This lockfile names no tarball URLs (npm leaves the registry's out): the registry's convention, whose
      // tarball the cache holds under its integrity.
      const installed = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      entry.resolved ??= `https://registry.npmjs.org/${installed}/-/${installed.split('/').at(-1)}-${entry.version}.tgz`;
      picked[path] = entry;
      const peers = Object.fromEntries(
        Object.entries(entry.peerDependencies ?? {}).filter(([peer]) => !entry.peerDependenciesMeta?.[peer]?.optional),
      );
      visit(path, { ...(entry.dependencies ?? {}), ...peers }, entry.optionalDependencies);
    }
  };
  visit('', roots, optionalRoots);
  return picked;
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

beforeAll(async () => {
  // What prepack does: the bundles (fresh already: the global setup made them, and rewriting them
  // here would pull dist/ from under other test files spawning the bin) and the declarations
  // (fresh in CI too: npm ci's prepare wrote them), each rebuilt only when a source is newer.
  await bundleIfStale();
  declarationsIfStale();
  const [packed] = JSON.parse(run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', WORK], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  packedFiles = packed.files.map((f) => f.path);
  const tarball = join(WORK, packed.filename);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const repoLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')).packages as Record<string, LockEntry>;
  const vitest = repoLock['node_modules/vitest'].version as string;

  mkdirSync(PROJECT);
  const devDependencies = { 'upvest-conformance': `file:../${packed.filename}`, vitest };
  writeFileSync(join(PROJECT, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', devDependencies }));
  const own: LockEntry = {
    version: manifest.version,
    resolved: `file:../${packed.filename}`,
    integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
    license: manifest.license,
    dependencies: manifest.dependencies,
    optionalDependencies: manifest.optionalDependencies,
    bin: manifest.bin,
    engines: manifest.engines,
    peerDependencies: manifest.peerDependencies,
    peerDependenciesMeta: manifest.peerDependenciesMeta,
  };
  const packages = {
    '': { name: 'consumer', devDependencies },
    'node_modules/upvest-conformance': own,
    // Optional ones too, as `npm install` would (koffi and its binary for this platform).
    ...closure(repoLock, { ...manifest.dependencies, vitest }, manifest.optionalDependencies),
  };
  writeFileSync(join(PROJECT, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }));
  run(NPM, ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel', 'error'], PROJECT);
  // The README's vitest example, as a team would copy it.
  cpSync(join(ROOT, 'examples/vitest'), PROJECT, { recursive: true });
}, 240_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(WORK, { recursive: true, force: true });
});

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A command of the installed package (node_modules/.bin), in the consumer project. */
function start(command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(join(PROJECT, 'node_modules/.bin', command), args, {
    cwd: PROJECT,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('UPVEST_') && !k.startsWith('VITEST'))),
      PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const finished = new Promise<Finished>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  /** Resolves with the output so far once `pattern` appears on stdout. */
  const waitFor = (pattern: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = () => (pattern.test(stdout) ? resolve(stdout) : undefined);
      child.stdout?.on('data', check);
      child.on('exit', () => reject(new Error(`${command} ${args.join(' ')} exited before ${pattern}:\n${stdout}\n${stderr}`)));
      check();
    });
  return { child, finished, waitFor };
}

describe('the packed tarball', () => {
  test('holds the build, the bin and the data files read at run time; no sources, tests, benches or CI scripts', () => {
    for (const file of ['dist/cli.js', 'dist/index.js', 'dist/vitest.js', 'dist/types/src/index.d.ts', 'bin/upvest-conformance.mjs'])
      expect(packedFiles).toContain(file);
    for (const file of [
      'generated/manifest.json',
      'generated/schemas.json',
      'generated/list-plans.json',
      'reporters/report.schema.json',
      'spec/samples/index.json',
    ])
      expect(packedFiles).toContain(file);
    const unwanted = packedFiles.filter((f) => /^(src|test|bench|scripts|suites|examples|\.ci)\//.test(f) || f.endsWith('.test.ts'));
    expect(unwanted).toEqual([]);
  });

  test('installs without tsx or vite: neither is a dependency of the package', () => {
    expect(existsSync(join(PROJECT, 'node_modules/tsx'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(PROJECT, 'node_modules/upvest-conformance/package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).not.toContain('vite');
    expect(manifest.peerDependenciesMeta.vitest.optional).toBe(true);
  });
});

describe('the installed command', () => {
  test('--version', async () => {
    const { code, stdout } = await start('upvest-conformance', ['--version']).finished;
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  test('run against the bundled mock: conformant, reports written', async () => {
    const { code, stdout, stderr } = await start('upvest-conformance', ['run', '--report-dir', 'reports-embedded']).finished;
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain('CONFORMANT');
    // The optional koffi came along: P-521 signs through the system's OpenSSL, as in the repository.
    expect(stdout).toMatch(/signing on \(ecdsa-p521-sha512 by the system's libcrypto\.so\.3/);
    expect(JSON.parse(readFileSync(join(PROJECT, 'reports-embedded/report.json'), 'utf8')).verdict).toBe('conformant');
  });

  test('mock in one process, run --base-url in another, signing with an Ed25519 key', async () => {
    const mock = start('upvest-conformance', ['mock', '--port', '0', '--quiet']);
    const printed = await mock.waitFor(/execution: +\S+/);
    const url = /listening on (\S+)/.exec(printed)?.[1] as string;
    const clientId = /client id: +(\S+)/.exec(printed)?.[1] as string;
    const account = /account: +(\S+)/.exec(printed)?.[1] as string;
    const execution = /execution: +(\S+)/.exec(printed)?.[1] as string;
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { code, stdout, stderr } = await start(
      'upvest-conformance',
      ['run', '--base-url', url, '--client-id', clientId, '--account-id', account, '--execution-id', execution, '--report-dir', 'r2'],
      { UPVEST_CLIENT_SECRET: 'mock-client-secret', UPVEST_SIGNING_KEY: pem, UPVEST_SIGNING_KEY_ID: 'package-test' },
    ).finished;
    mock.child.kill('SIGTERM');
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain(`target ${url} · signing on`);
    expect((await mock.finished).code).toBe(0);
  });

  test('replay into listen: the deliveries signed with a P-521 key, verified against its JWKS', async () => {
    // As with Upvest: the consumer knows the public keys (a JWKS file), the sender signs with the private one.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    const jwks = join(WORK, 'jwks.json');
    writeFileSync(jwks, JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'package-webhooks', use: 'sig' }] }));
    const listen = start('upvest-conformance', ['listen', '--port', '0', '--jwks-file', jwks, '--reject-unverified']);
    const url = /listening for webhook deliveries on (\S+)/.exec(await listen.waitFor(/listening for webhook deliveries on \S+/))?.[1];
    const replay = await start(
      'upvest-conformance',
      ['replay', '--to', url as string, '--type', 'ACCOUNT.CREATED', '--signing-key-id', 'package-webhooks', '--report-dir', 'r3'],
      { UPVEST_WEBHOOK_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    ).finished;
    listen.child.kill('SIGTERM');
    const listened = await listen.finished;
    expect(replay.code, `${replay.stdout}\n${replay.stderr}\n${listened.stdout}\n${listened.stderr}`).toBe(0);
    expect(listened.stdout).toMatch(/✓ ACCOUNT\.CREATED.*signature ok/);
  });
});

describe('the vitest adapter, as the README shows it', () => {
  test('vitest run in the consumer project: one passing test per operation × check against the bundled mock', async () => {
    const { code, stdout, stderr } = await start('vitest', ['run', '--reporter', 'verbose']).finished;
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toMatch(/GET \/accounts\/\{account_id\}\/valuations › pagination-meta/);
    expect(stdout).toMatch(/Tests +\d+ passed/);
  });
});

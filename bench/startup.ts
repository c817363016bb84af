/**
 * Start-up and one whole command, measured from outside as a user sees them: `--version`,
 * `--help`, and `run` against the bundled mock in another process (`upvest-conformance mock`),
 * with its phases (process start, module load, engine, reports) and peak RSS. Each figure is
 * the median of --repeat runs (default 5). Needs dist/ (`npm run bench` builds it first).
 *   npm run bench -- startup [--repeat 5]
 */
import { spawnSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnMock } from './mock-load.js';
import { fmt, table, verdict } from './stats.js';

const BIN = fileURLToPath(new URL('../bin/upvest-conformance.mjs', import.meta.url));
const PROBE = fileURLToPath(new URL('./rss-probe.mjs', import.meta.url));
const API = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Measured {
  wallMs: number;
  maxRssMiB: number;
  status: number | null;
  stdout: string;
}

function measure(args: string[], env: Record<string, string> = {}): Measured {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', pathToFileURL(PROBE).href, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const wallMs = performance.now() - started;
  const rss = /bench-probe max-rss-kb=(\d+)/.exec(child.stderr)?.[1];
  return { wallMs, maxRssMiB: Number(rss) / 1024, status: child.status, stdout: child.stdout };
}

function repeated(count: number, args: string[], env: Record<string, string> = {}) {
  const runs = Array.from({ length: count }, () => measure(args, env));
  return { wallMs: median(runs.map((r) => r.wallMs)), maxRssMiB: median(runs.map((r) => r.maxRssMiB)), last: runs.at(-1) as Measured };
}

export async function startup(args: string[]): Promise<void> {
  const repeat = Number(args[args.indexOf('--repeat') + 1]) || 5;
  const processStart = repeated(repeat, ['-e', '0']);
  const version = repeated(repeat, [BIN, '--version']);
  const help = repeated(repeat, [BIN, '--help']);
  // What `run` loads before it sends anything: the CLI, the engine, the checks, the validators, the mock, the reporters.
  const load = repeated(repeat, ['--input-type=module', '-e', `await import(${JSON.stringify(API)});`]);

  const targets: string[] = [verdict('`--version` wall', version.wallMs, 250, 'ms')];
  const rows: (string | number)[][] = [
    ['signing key', 'run wall ms', 'peak RSS MiB', 'process start ms', 'module load ms', 'engine ms', 'reports and the rest ms', 'exit'],
  ];
  // P-521 as a user's run signs it (auto: the system's OpenSSL where it is usable) and with node:crypto alone.
  const cases = [
    ['ed25519', 'auto'],
    ['P-256', 'auto'],
    ['P-521', 'auto'],
    ['P-521', 'node'],
  ] as const;
  for (const [curve, library] of cases) {
    const { privateKey } = curve === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: curve });
    const dir = mkdtempSync(join(tmpdir(), 'uc-startup-'));
    writeFileSync(join(dir, 'pub.pem'), createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString());
    const mock = await spawnMock(['--signature-key', join(dir, 'pub.pem'), '--signature-key-id', 'bench']);
    try {
      const runArgs = [BIN, 'run', '--quiet', '--base-url', mock.url, '--client-id', mock.clientId, '--report-dir', dir];
      runArgs.push('--execution-id', mock.execution, ...mock.accounts.flatMap((a) => ['--account-id', a]));
      const env = {
        UPVEST_CLIENT_SECRET: 'mock-client-secret',
        UPVEST_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        UPVEST_SIGNING_KEY_ID: 'bench',
        UPVEST_SIGNING_LIBRARY: library,
      };
      const runs = Array.from({ length: repeat }, () => {
        const m = measure(runArgs, env);
        const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { run: { durationMs: number } };
        return { ...m, engineMs: report.run.durationMs };
      });
      const wall = median(runs.map((r) => r.wallMs));
      const engine = median(runs.map((r) => r.engineMs));
      const rss = median(runs.map((r) => r.maxRssMiB));
      if (curve !== 'P-521')
        targets.push(verdict(`\`run\` wall, ${curve}`, wall, 1500, 'ms'), verdict(`peak RSS, ${curve}`, rss, 200, 'MiB'));
      rows.push([
        library === 'auto' ? curve : `${curve}, --signing-library ${library}`,
        fmt(wall, 0),
        fmt(rss, 0),
        fmt(processStart.wallMs, 0),
        fmt(load.wallMs - processStart.wallMs, 0),
        fmt(engine, 0),
        fmt(wall - load.wallMs - engine, 0),
        runs.map((r) => r.status).join(','),
      ]);
    } finally {
      mock.child.kill('SIGTERM');
      await new Promise((resolve) => mock.child.once('exit', resolve));
    }
  }
  console.log(`\nstartup: each figure the median of ${repeat} runs, Node ${process.version}\n`);
  console.log(
    table([
      ['command', 'wall ms', 'peak RSS MiB', 'target'],
      ['node -e 0 (process start)', fmt(processStart.wallMs, 0), fmt(processStart.maxRssMiB, 0), ''],
      ['upvest-conformance --version', fmt(version.wallMs, 0), fmt(version.maxRssMiB, 0), '≤ 250 ms'],
      ['upvest-conformance --help', fmt(help.wallMs, 0), fmt(help.maxRssMiB, 0), ''],
      ['import the API (module load)', fmt(load.wallMs, 0), fmt(load.maxRssMiB, 0), ''],
    ]),
  );
  console.log(`\nrun --base-url against \`upvest-conformance mock\` in another process (verifying every signature):\n`);
  console.log(table(rows));
  console.log(`\ntargets (the P-521 overhead against raw replay: \`npm run bench -- full-run\`):\n${targets.join('\n')}`);
}

/**
 * A full run against the bundled mock: wall time, requests, and the overhead ratio: the run's
 * wall time over the time undici alone takes to send the very same requests (captured as sent,
 * credentials and signatures included) in the same order, at the same concurrency, without
 * checks. The start-up cost of the command is measured apart (`npm run bench -- startup`).
 *   npm run bench -- full-run [--repeat 7]
 */
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import type { HttpRequest } from '../src/client/transport.js';
import { Limiter } from '../src/engine/limiter.js';
import { ConformanceRun } from '../src/engine/run.js';
import type { TargetDescription } from '../src/engine/target.js';
import { DEFAULT_MOCK_CLIENT_SECRET } from '../src/mock/server.js';
import { generateSigningKey, signRequest, type SigningAlgorithm } from '../src/signing/index.js';
import { spawnMock, type RunningMock } from './mock-load.js';
import { fmt, table } from './stats.js';

function target(mock: RunningMock, pem: string, keyId: string): TargetDescription {
  return {
    baseUrl: mock.url,
    clientId: mock.clientId,
    clientSecret: DEFAULT_MOCK_CLIENT_SECRET,
    signingKey: pem,
    signingKeyId: keyId,
    accountIds: mock.accounts,
    executionId: mock.execution,
    triggerAccountIds: [mock.account],
    timeoutMs: 30_000,
    deadlineMs: 600_000,
    concurrency: 4,
    maxResponseBytes: 16 * 1024 * 1024,
    pageLimit: 2,
    maxPages: 200,
    minEnumCoverage: 0,
    only: [],
    skip: [],
    bail: false,
    embeddedMock: true,
    // The API requests are what is compared with a raw replay; webhooks are not requests of the run.
    mockControl: false,
  };
}

/** The captured requests again, with undici alone: same order, same concurrency, bodies read and dropped. */
async function replay(url: string, requests: HttpRequest[], concurrency: number): Promise<number> {
  const pool = new Pool(url, { connections: concurrency });
  const limiter = new Limiter(concurrency);
  const started = performance.now();
  await Promise.all(
    requests.map((r) =>
      limiter.run(async () => {
        const u = new URL(r.url);
        const res = await pool.request({ method: r.method as 'GET', path: `${u.pathname}${u.search}`, headers: r.headers, body: r.body });
        await res.body.arrayBuffer();
      }),
    ),
  );
  const elapsed = performance.now() - started;
  await pool.close();
  return elapsed;
}

interface Round {
  runMs: number;
  replayMs: number;
  signMs: number;
  requests: number;
}

/** The mock in its own process (as a target is), verifying the run's key, kept for every round. */
async function rounds(algorithm: SigningAlgorithm, count: number): Promise<Round[]> {
  const key = generateSigningKey(algorithm, 'bench');
  const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const dir = mkdtempSync(join(tmpdir(), 'uc-full-run-'));
  writeFileSync(join(dir, 'pub.pem'), createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' }).toString());
  // The replay resends the run's signatures: the mock must let their nonces repeat.
  const mock = await spawnMock(['--signature-key', join(dir, 'pub.pem'), '--signature-key-id', 'bench', '--allow-nonce-reuse']);
  try {
    const out: Round[] = [];
    for (let i = 0; i < count; i++) {
      const sent: HttpRequest[] = [];
      const run = ConformanceRun.open(target(mock, pem, 'bench'), { transport: { tap: (r) => sent.push(r) } });
      const started = performance.now();
      await run.run();
      const runMs = performance.now() - started;
      await run.close();
      // The replay repeats the captured signatures within their window; what signing them cost, alone:
      const signStarted = performance.now();
      for (const r of sent) signRequest({ method: r.method, url: r.url, headers: r.headers ?? {}, body: r.body ?? null }, key);
      const signMs = performance.now() - signStarted;
      const replayMs = await replay(mock.url, sent, 4);
      out.push({ runMs, replayMs, signMs, requests: sent.length });
    }
    return out;
  } finally {
    mock.child.kill('SIGTERM');
    await new Promise((resolve) => mock.child.once('exit', resolve));
  }
}

export async function fullRun(args: string[]): Promise<void> {
  const repeat = Number(args[args.indexOf('--repeat') + 1]) || 7;
  const rows: (string | number)[][] = [
    ['signing key', 'requests', 'run (engine) ms', 'of which signing ms', 'undici replay ms', 'overhead ×', 'overhead × without signing'],
  ];
  for (const algorithm of ['ecdsa-p521-sha512', 'ed25519'] as const) {
    // One unmeasured round first, on the same mock process: both sides measured warm (JIT of
    // this process and of the mock, connection pools).
    const results = (await rounds(algorithm, repeat + 1)).slice(1);
    // The median run, so one noisy repetition does not decide the figure.
    results.sort((a, b) => a.runMs / a.replayMs - b.runMs / b.replayMs);
    const m = results[Math.floor(results.length / 2)];
    rows.push([
      algorithm,
      m.requests,
      fmt(m.runMs, 0),
      fmt(m.signMs, 0),
      fmt(m.replayMs, 0),
      fmt(m.runMs / m.replayMs, 2),
      fmt((m.runMs - m.signMs) / m.replayMs, 2),
    ]);
  }
  // The command around the engine: process start, module load, the embedded mock, the reports.
  const bin = fileURLToPath(new URL('../bin/upvest-conformance.mjs', import.meta.url));
  const cliStarted = performance.now();
  const cli = spawnSync(
    process.execPath,
    [bin, 'run', '--report-dir', '/tmp/upvest-conformance-bench', '--reporter', 'json', '--skip', 'webhooks'],
    { encoding: 'utf8' },
  );
  const cliMs = performance.now() - cliStarted;
  const helpStarted = performance.now();
  spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  const helpMs = performance.now() - helpStarted;
  console.log(
    `\nfull-run: the bundled mock in its own process, concurrency 4, median of ${repeat} after a warm-up round, Node ${process.version}\n`,
  );
  console.log(table(rows));
  console.log(
    `\nstart-up: \`upvest-conformance --version\` ${fmt(helpMs, 0)} ms; \`upvest-conformance run\` end to end (exit ${cli.status}) ${fmt(cliMs, 0)} ms, of which the engine's share is the run column above`,
  );
}

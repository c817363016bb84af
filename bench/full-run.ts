/**
 * A full run against the bundled mock: wall time, requests, and the overhead ratio: the run's
 * wall time over the time undici alone takes to send the very same requests (captured as sent,
 * credentials and signatures included) in the same order, at the same concurrency, without
 * checks. Three processes, as a user's would be: the mock (`upvest-conformance mock`), the engine
 * as installed (dist/, plain Node: bench/full-run-engine.mjs) and the replay
 * (bench/full-run-replay.mjs). Each round replays the run's requests at once, while their
 * signatures are fresh; both statuses are compared, so a replay the mock refused is not a figure.
 * P-521 is measured as a user's run signs it (--signing-library auto: the system's OpenSSL where
 * it is usable) and with node:crypto alone; the target is judged on the first.
 * The start-up cost of the command is measured apart (`npm run bench -- startup`).
 *   npm run bench -- full-run [--repeat 7] [--warmup 3]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpRequest } from '../src/client/transport.js';
import { DEFAULT_MOCK_CLIENT_SECRET } from '../src/mock/server.js';
import { generateSigningKey, signRequest, type SigningAlgorithm, type SigningLibrary } from '../src/signing/index.js';
import { spawnMock, type RunningMock } from './mock-load.js';
import { fmt, table, verdict } from './stats.js';

const ENGINE = fileURLToPath(new URL('./full-run-engine.mjs', import.meta.url));
const REPLAY = fileURLToPath(new URL('./full-run-replay.mjs', import.meta.url));
const CONCURRENCY = 4;

type Statuses = Record<string, number>;
interface EngineAnswer {
  runMs: number;
  cpuMs: number;
  requests: HttpRequest[];
  statuses: Statuses;
  verdict: string;
  /** The key's algorithm and what signed with it (report.json's target.signer). */
  signer?: string;
  error?: string;
}
interface ReplayAnswer {
  replayMs: number;
  cpuMs: number;
  statuses: Statuses;
}

/** The settings a user would give for this target (`run --base-url …`), plus what the bench pins. */
function settings(mock: RunningMock, pem: string, keyId: string, signingLibrary: SigningLibrary) {
  return {
    signingLibrary,
    baseUrl: mock.url,
    clientId: mock.clientId,
    clientSecret: DEFAULT_MOCK_CLIENT_SECRET,
    signingKey: pem,
    signingKeyId: keyId,
    accountIds: mock.accounts,
    executionId: mock.execution,
    triggerAccountIds: [mock.account],
    concurrency: CONCURRENCY,
    pageLimit: 2,
    maxPages: 200,
    minEnumCoverage: 0,
    deadline: 600,
  };
}

function worker(path: string): ChildProcess {
  // Buffers (request bodies) cross as they are.
  return fork(path, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${child.spawnargs.at(-1)} exited with ${code} during a round`));
    child.once('exit', onExit);
    child.once('message', (answer) => {
      child.off('exit', onExit);
      resolve(answer as T);
    });
    child.send(message as object);
  });
}

/** CPU milliseconds a process has used so far (Linux's /proc; undefined elsewhere). */
function cpuOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}
const spent = (before: number | undefined, after: number | undefined) =>
  before === undefined || after === undefined ? Number.NaN : after - before;

interface Round {
  runMs: number;
  runCpuMs: number;
  mockCpuInRunMs: number;
  replayMs: number;
  replayCpuMs: number;
  mockCpuInReplayMs: number;
  signMs: number;
  requests: number;
  signer?: string;
}

const histogram = (s: Statuses) =>
  Object.entries(s)
    .sort()
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');

async function rounds(algorithm: SigningAlgorithm, library: SigningLibrary, count: number): Promise<Round[]> {
  const key = generateSigningKey(algorithm, 'bench', 'der', library);
  const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const dir = mkdtempSync(join(tmpdir(), 'uc-full-run-'));
  writeFileSync(join(dir, 'pub.pem'), createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' }).toString());
  // The replay resends the run's signatures: the mock must let their nonces repeat.
  const mock = await spawnMock(['--signature-key', join(dir, 'pub.pem'), '--signature-key-id', 'bench', '--allow-nonce-reuse']);
  const engine = worker(ENGINE);
  const replayer = worker(REPLAY);
  try {
    const out: Round[] = [];
    for (let i = 0; i < count; i++) {
      const mockBeforeRun = cpuOf(mock.child.pid);
      const run = await ask<EngineAnswer>(engine, { settings: settings(mock, pem, 'bench', library), cwd: dir });
      if (run.error) throw new Error(`the run failed: ${run.error}`);
      // The clean mock must be judged conformant: an engine that finds faults in it measures nothing worth a figure.
      if (run.verdict !== 'conformant') throw new Error(`the run against the clean mock was ${run.verdict}, not conformant`);
      const mockBeforeReplay = cpuOf(mock.child.pid);
      const replay = await ask<ReplayAnswer>(replayer, { url: mock.url, requests: run.requests, concurrency: CONCURRENCY });
      const mockAfterReplay = cpuOf(mock.child.pid);
      if (histogram(run.statuses) !== histogram(replay.statuses)) {
        throw new Error(
          `the replay was answered otherwise than the run: run ${histogram(run.statuses)}; replay ${histogram(replay.statuses)}`,
        );
      }
      // What signing the run's requests costs, alone (the replay resends the signatures made).
      const signStarted = performance.now();
      for (const r of run.requests) signRequest({ method: r.method, url: r.url, headers: r.headers ?? {}, body: r.body ?? null }, key);
      out.push({
        runMs: run.runMs,
        runCpuMs: run.cpuMs,
        mockCpuInRunMs: spent(mockBeforeRun, mockBeforeReplay),
        replayMs: replay.replayMs,
        replayCpuMs: replay.cpuMs,
        mockCpuInReplayMs: spent(mockBeforeReplay, mockAfterReplay),
        signMs: performance.now() - signStarted,
        requests: run.requests.length,
        signer: run.signer,
      });
    }
    return out;
  } finally {
    for (const child of [engine, replayer, mock.child]) {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

export async function fullRun(args: string[]): Promise<void> {
  const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const repeat = option('--repeat', 7) || 7;
  // Both the engine and the mock take several rounds to reach steady speed (the JIT of each process).
  const warmup = Math.max(0, option('--warmup', 3));
  const rows: (string | number)[][] = [
    [
      'signing key',
      'requests',
      'run ms',
      'run CPU ms',
      'of which signing ms',
      'mock CPU ms',
      'undici replay ms',
      'replay CPU ms',
      'mock CPU ms',
      'overhead ×',
      'overhead × without signing',
    ],
  ];
  const ratios: string[] = [];
  const signers: string[] = [];
  let p521Ratio = Number.NaN;
  // P-521 as a user's run signs it (auto: the system's OpenSSL where it is usable), and with node:crypto alone.
  const cases = [
    ['ecdsa-p521-sha512', 'auto'],
    ['ecdsa-p521-sha512', 'node'],
    ['ed25519', 'auto'],
  ] as const;
  for (const [algorithm, library] of cases) {
    // Unmeasured rounds first, on the same processes: both sides measured warm (JIT, connection pools).
    const results = (await rounds(algorithm, library, warmup + repeat)).slice(warmup);
    // The median run, so one noisy repetition does not decide the figure.
    results.sort((a, b) => a.runMs / a.replayMs - b.runMs / b.replayMs);
    const m = results[Math.floor(results.length / 2)];
    const label = `${algorithm} --signing-library ${library}`;
    if (algorithm === 'ecdsa-p521-sha512' && library === 'auto') p521Ratio = m.runMs / m.replayMs;
    signers.push(`${label}: ${m.signer ?? 'unsigned'}`);
    ratios.push(`${label} ${results.map((r) => fmt(r.runMs / r.replayMs, 2)).join(' ')}`);
    rows.push([
      label,
      m.requests,
      fmt(m.runMs, 0),
      fmt(m.runCpuMs, 0),
      fmt(m.signMs, 0),
      fmt(m.mockCpuInRunMs, 0),
      fmt(m.replayMs, 0),
      fmt(m.replayCpuMs, 0),
      fmt(m.mockCpuInReplayMs, 0),
      fmt(m.runMs / m.replayMs, 2),
      fmt((m.runMs - m.signMs) / m.replayMs, 2),
    ]);
  }
  console.log(
    `\nfull-run: the mock, the engine (dist/) and the replay each in its own process, concurrency ${CONCURRENCY}, ` +
      `median of ${repeat} after ${warmup} warm-up rounds, Node ${process.version}; CPU: of the run's process, the mock during the run, ` +
      "the replay's process and the mock during the replay\n",
  );
  console.log(table(rows));
  console.log(`\nevery round's overhead, sorted: ${ratios.join('; ')}`);
  console.log(`signed in the run:\n  ${signers.join('\n  ')}`);
  console.log(
    `\ntarget (the whole command: \`npm run bench -- startup\`):\n${verdict('P-521 overhead against raw replay (--signing-library auto)', p521Ratio, 1.5, '×')}`,
  );
}

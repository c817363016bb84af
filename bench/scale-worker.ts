/**
 * One scale case in a fresh process (so its peak memory is its own): the bundled mock with a
 * valuation history of N days, and a full run walking it at page size L. Prints one JSON line.
 *   tsx bench/scale-worker.ts N L
 */
import { createPublicKey } from 'node:crypto';
import { ConformanceRun } from '../src/engine/run.js';
import { ManualClock } from '../src/mock/clock.js';
import { startMock } from '../src/mock/server.js';
import { generateSigningKey } from '../src/signing/index.js';

const [days, limit] = process.argv.slice(2).map(Number);
const key = generateSigningKey('ed25519', 'scale');
const publicKey = { keyId: 'scale', algorithm: key.algorithm, publicKey: createPublicKey(key.privateKey) };
const mock = await startMock({
  valuationDays: days,
  positionsPerValuation: 5,
  clock: new ManualClock(Date.now()),
  signatureKeys: (id) => (id === 'scale' ? publicKey : undefined),
});
let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
const run = ConformanceRun.open({
  baseUrl: mock.url,
  clientId: mock.fixtures.clientId,
  clientSecret: mock.fixtures.clientSecret,
  signingKey: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  signingKeyId: 'scale',
  // One account: the history's size is the variable.
  accountIds: [mock.fixtures.accounts[0].id],
  executionId: mock.fixtures.executions[0].id,
  triggerAccountIds: [mock.fixtures.accounts[0].id],
  timeoutMs: 60_000,
  deadlineMs: 3_600_000,
  concurrency: 4,
  maxResponseBytes: 64 * 1024 * 1024,
  pageLimit: limit,
  maxPages: Math.ceil(days / limit) + 1,
  minEnumCoverage: 0,
  only: [],
  skip: [],
  bail: false,
  embeddedMock: true,
  // The provider's webhooks are not what scales with the history.
  mockControl: false,
});
const started = performance.now();
const result = await run.run();
const reports = result.operations;
const wallMs = performance.now() - started;
clearInterval(sampler);
await run.close();
await mock.close();
const history = reports.find((r) => r.operationId === 'listAccountValuations');
const failed = reports
  .flatMap((r) => r.checks)
  .filter((o) => o.status !== 'passed')
  .map((o) => `${o.operationId} ${o.check} ${o.status}`);
const walk = history?.checks.find((o) => o.check === 'pagination-traversal')?.stats as { pagesWalked?: number } | undefined;
console.log(
  JSON.stringify({
    days,
    limit,
    wallMs: Math.round(wallMs),
    requests: reports.reduce((n, r) => n + r.probes, 0),
    pagesWalked: walk?.pagesWalked,
    peakHeapMb: Math.round(peakHeap / 1e6),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    failed,
  }),
);

/**
 * The run's schedule: the trigger (POST) runs before any reading operation, because they read
 * what it creates; the reading operations then run together, unless --bail asks for one at a time.
 * Observed from the mock's side: the order in which its requests arrived.
 */
import { createPublicKey } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { ConformanceRun } from '../../src/engine/run.js';
import type { TargetDescription } from '../../src/engine/target.js';
import { ManualClock } from '../../src/mock/clock.js';
import { startMock } from '../../src/mock/server.js';
import { generateSigningKey } from '../../src/signing/index.js';
import { START } from '../helpers/mock-setup.js';

/**
 * Which operation a request belongs to: the trigger's own path (every method: its
 * method-not-allowed probes too), or a reading operation's path with the ids the run reads
 * (probes with malformed or unknown ids are left out: their path alone does not say whose they are).
 */
function operationOf(url: string, executionId: string, accountId: string): string | undefined {
  const path = url.split('?')[0];
  if (path === '/portfolios/rebalancings/executions') return 'trigger';
  if (path === `/portfolios/rebalancings/executions/${executionId}/orders`) return 'orders';
  if (path === `/portfolios/rebalancings/executions/${executionId}`) return 'execution';
  if (path === `/accounts/${accountId}/valuations/current`) return 'current';
  if (path === `/accounts/${accountId}/valuations`) return 'history';
  return undefined;
}

async function arrivals(bail: boolean): Promise<string[]> {
  const key = generateSigningKey('ed25519', 'schedule-key');
  const publicKey = { keyId: key.keyId, algorithm: key.algorithm, publicKey: createPublicKey(key.privateKey) };
  const requests: { url: string }[] = [];
  const mock = await startMock({
    clock: new ManualClock(START),
    valuationDays: 60,
    signatureKeys: (id) => (id === key.keyId ? publicKey : undefined),
    observe: ({ url }) => void requests.push({ url }),
  });
  const target: TargetDescription = {
    baseUrl: mock.url,
    clientId: mock.fixtures.clientId,
    clientSecret: mock.fixtures.clientSecret,
    signingKey: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    signingKeyId: key.keyId,
    accountIds: [mock.fixtures.accounts[0].id],
    triggerAccountIds: [mock.fixtures.accounts[0].id],
    timeoutMs: 10_000,
    deadlineMs: 60_000,
    concurrency: 4,
    maxResponseBytes: 16e6,
    pageLimit: 2,
    maxPages: 200,
    minEnumCoverage: 0,
    only: [],
    skip: [],
    bail,
    embeddedMock: true,
    mockControl: false,
  };
  const run = ConformanceRun.open(target);
  try {
    await run.run();
  } finally {
    await run.close();
    await mock.close();
  }
  // The execution the trigger created is the one the readers read.
  const executionId = run.facts.executionId!;
  const seen = requests.map((r) => operationOf(r.url, executionId, mock.fixtures.accounts[0].id)).filter((op) => op !== undefined);
  // The first round (one documented request per reading operation, before any check) is not the schedule.
  return seen.slice(seen.indexOf('trigger'));
}

/** For each operation, the positions of its first and last request. */
function spans(seen: string[]): Map<string, { first: number; last: number }> {
  const out = new Map<string, { first: number; last: number }>();
  seen.forEach((op, i) => {
    const span = out.get(op);
    if (span) span.last = i;
    else out.set(op, { first: i, last: i });
  });
  return out;
}

const READERS = ['execution', 'orders', 'current', 'history'];

describe('the run schedule', () => {
  test('the trigger runs first; the reading operations then run together', async () => {
    const s = spans(await arrivals(false));
    for (const op of ['trigger', ...READERS]) expect(s.has(op), op).toBe(true);
    const triggerDone = s.get('trigger')!.last;
    for (const op of READERS) expect(s.get(op)!.first, op).toBeGreaterThan(triggerDone);
    // Together: every reader has started before the first of them has finished.
    const firstFinished = Math.min(...READERS.map((op) => s.get(op)!.last));
    for (const op of READERS) expect(s.get(op)!.first, op).toBeLessThan(firstFinished);
  }, 60_000);

  test('under --bail the reading operations run one at a time, in plan order', async () => {
    const s = spans(await arrivals(true));
    const order = [...READERS].sort((a, b) => s.get(a)!.first - s.get(b)!.first);
    for (let i = 1; i < order.length; i++)
      expect(s.get(order[i])!.first, `${order[i]} after ${order[i - 1]}`).toBeGreaterThan(s.get(order[i - 1])!.last);
  }, 60_000);
});

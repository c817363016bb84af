/**
 * The detection matrix: the suite against the clean mock (no finding allowed: a false alarm
 * is a defect) and against each fault mode of the mock (the check named by the fault must
 * catch it). Runs the engine directly, not vitest: the same checks, without collecting
 * tests 38 times.
 */
import { createPublicKey } from 'node:crypto';
import { FAULTS, type Fault } from '../mock/faults.js';
import { startMock, type MockOptions } from '../mock/server.js';
import { generateSigningKey } from '../signing/index.js';
import { ConformanceRun } from './run.js';
import type { OperationReport } from './operation-runner.js';
import type { TargetDescription } from './target.js';
import { checkProviderWebhooks, httpMockControl } from './webhook-provider.js';
import { ManualClock } from '../mock/clock.js';

export interface FaultResult {
  fault: string;
  area: string;
  description: string;
  expectedCheck: string;
  /** Checks that reported something (failure or warning) on this fault. */
  caughtBy: string[];
  detected: boolean;
  durationMs: number;
}

export interface MutationMatrix {
  generatedAt: string;
  faults: FaultResult[];
  cleanRun: { falseAlarms: { check: string; operation: string; message: string }[]; checks: number };
  totals: { faults: number; detected: number; falseAlarms: number };
}

const KEY_ID = 'mutation';

/** Findings of a run: check name → messages (failures and warnings alike). */
function findings(reports: OperationReport[]): { check: string; operation: string; message: string }[] {
  return reports.flatMap((r) =>
    r.outcomes.flatMap((o) => [...o.failures, ...o.warnings].map((f) => ({ check: o.check, operation: o.operation, message: f.message }))),
  );
}

/** Run every check against a mock started with these faults; findings of the operations and of webhooks. */
export async function runAgainstMock(
  faults: readonly string[],
  extra: Partial<MockOptions> = {},
): Promise<{ check: string; operation: string; message: string }[]> {
  // Ed25519: detection does not depend on the algorithm, and it signs ~40 times faster than P-521.
  const key = generateSigningKey('ed25519', KEY_ID);
  const publicKey = { keyId: KEY_ID, algorithm: key.algorithm, publicKey: createPublicKey(key.privateKey) };
  const mock = await startMock({
    faults,
    valuationDays: 150,
    clock: new ManualClock(Date.now()),
    webhookRetryDelaysMs: [50],
    signatureKeys: (id) => (id === KEY_ID ? publicKey : undefined),
    ...extra,
  });
  const target: TargetDescription = {
    baseUrl: mock.url,
    clientId: mock.fixtures.clientId,
    clientSecret: mock.fixtures.clientSecret,
    signingKey: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    signingKeyId: KEY_ID,
    accountIds: mock.fixtures.accounts.map((a) => a.id),
    executionId: mock.fixtures.executions[0].id,
    triggerAccountIds: [mock.fixtures.accounts[0].id],
    timeoutMs: 10_000,
    deadlineMs: 120_000,
    concurrency: 4,
    maxResponseBytes: 16 * 1024 * 1024,
    pageLimit: 2,
    maxPages: 200,
    minEnumCoverage: 0,
    only: [],
    skip: [],
    bail: false,
    embeddedMock: true,
    mockControl: true,
  };
  const run = ConformanceRun.open(target);
  try {
    const reports = await run.runAll();
    const webhooks = await checkProviderWebhooks(
      httpMockControl(mock.url),
      run.prepared.client,
      mock.fixtures.accounts.map((a) => a.id),
    );
    return [
      ...findings(reports),
      ...webhooks.failures.map((f) => ({ check: f.check, operation: f.operation, message: f.message })),
      ...webhooks.outcome.errors.map((e) => ({ check: 'webhook-events', operation: 'webhooks', message: `${e.code}: ${e.message}` })),
    ];
  } finally {
    await run.close();
    await mock.close();
  }
}

async function runFault(fault: Fault): Promise<FaultResult> {
  const started = performance.now();
  const found = await runAgainstMock([fault.name]);
  const caughtBy = [...new Set(found.map((f) => f.check))].sort();
  return {
    fault: fault.name,
    area: fault.area,
    description: fault.description,
    expectedCheck: fault.caughtBy,
    caughtBy,
    detected: caughtBy.includes(fault.caughtBy),
    durationMs: Math.round(performance.now() - started),
  };
}

export async function mutationMatrix(options: { faults?: string[]; parallel?: number } = {}): Promise<MutationMatrix> {
  const clean = await runAgainstMock([]);
  const selected = options.faults ? FAULTS.filter((f) => options.faults!.includes(f.name)) : FAULTS;
  const results: FaultResult[] = [];
  const queue = [...selected];
  await Promise.all(
    Array.from({ length: options.parallel ?? 2 }, async () => {
      for (let fault = queue.shift(); fault; fault = queue.shift()) results.push(await runFault(fault));
    }),
  );
  results.sort((a, b) => selected.findIndex((f) => f.name === a.fault) - selected.findIndex((f) => f.name === b.fault));
  return {
    generatedAt: new Date().toISOString(),
    faults: results,
    cleanRun: { falseAlarms: clean, checks: 0 },
    totals: { faults: results.length, detected: results.filter((r) => r.detected).length, falseAlarms: clean.length },
  };
}

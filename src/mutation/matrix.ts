/**
 * The detection matrix: the suite against the clean mock (no finding allowed: a false alarm
 * is a defect) and against each fault mode of the mock (the check named by the fault must
 * catch it, with a finding that shows the fault); then replay against the correct consumer
 * (no finding allowed) and each flawed one (src/mutation/consumer.ts), judged alike. A room of its own beside the mock: the
 * engine knows nothing of faults.
 */
import { createPublicKey } from 'node:crypto';
import type { CheckOutcome } from '../checks/types.js';
import { outcomesOfResult, type RunResult } from '../engine/result.js';
import { runEngine } from '../engine/run.js';
import type { TargetDescription } from '../engine/target.js';
import { ManualClock } from '../mock/clock.js';
import { FAULTS, type Fault } from '../mock/faults.js';
import { type MockOptions, startMock } from '../mock/server.js';
import { type ReplayEvent, replayToConsumer } from '../engine/webhook-consumer.js';
import { generateSigningKey } from '../signing/index.js';
import { buildCorpus } from '../webhooks/corpus.js';
import { serveJwks } from '../webhooks/jwks-server.js';
import { CONSUMER_FAULTS, type ConsumerFault, type ConsumerFlaw, startConsumer } from './consumer.js';

export interface Finding {
  check: string;
  operation: string;
  message: string;
  pointer?: string;
}

export interface FaultResult {
  fault: string;
  area: string;
  description: string;
  expectedCheck: string;
  /** Checks that reported something (failure or warning) on this fault. */
  caughtBy: string[];
  /** A finding of the expected check that shows this fault (its message or pointer matches the fault's evidence). */
  evidence?: Finding;
  detected: boolean;
  durationMs: number;
}

export interface MutationMatrix {
  generatedAt: string;
  faults: FaultResult[];
  cleanRun: { falseAlarms: Finding[]; checks: number; checksPassed: number; enumCoverage: number };
  totals: { faults: number; detected: number; falseAlarms: number };
}

const KEY_ID = 'mutation';

/** Findings of a run: failures and warnings alike, and errors of the checks (a clean run has none of either). */
export function findingsOf(result: RunResult): Finding[] {
  return outcomesOfResult(result).flatMap((o: CheckOutcome) => [
    ...[...o.failures, ...o.warnings].map((f) => ({
      check: o.check,
      operation: o.operation,
      message: f.message,
      ...(f.pointer !== undefined ? { pointer: f.pointer } : {}),
    })),
    ...o.errors.map((e) => ({ check: o.check, operation: o.operation, message: `${e.code}: ${e.message}` })),
  ]);
}

/** Every check against a mock started with these faults. */
export async function runAgainstMock(
  faults: readonly string[],
  options: { mock?: Partial<MockOptions>; minEnumCoverage?: number } = {},
): Promise<RunResult> {
  // Ed25519: detection does not depend on the algorithm, and it signs ~40 times faster than P-521.
  const key = generateSigningKey('ed25519', KEY_ID);
  const publicKey = { keyId: KEY_ID, algorithm: key.algorithm, publicKey: createPublicKey(key.privateKey) };
  const mock = await startMock({
    faults,
    valuationDays: 150,
    clock: new ManualClock(Date.now()),
    webhookRetryDelaysMs: [50],
    signatureKeys: (id) => (id === KEY_ID ? publicKey : undefined),
    ...options.mock,
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
    minEnumCoverage: options.minEnumCoverage ?? 0,
    only: [],
    skip: [],
    bail: false,
    embeddedMock: true,
    mockControl: true,
    expectSignatureVerification: true,
  };
  try {
    return await runEngine(target);
  } finally {
    await mock.close();
  }
}

async function runFault(fault: Fault, minEnumCoverage: number): Promise<FaultResult> {
  const started = performance.now();
  const found = findingsOf(await runAgainstMock([fault.name], { minEnumCoverage }));
  const caughtBy = [...new Set(found.map((f) => f.check))].sort();
  const evidence = found.find(
    (f) => f.check === fault.caughtBy && (fault.evidence.test(f.message) || (f.pointer !== undefined && fault.evidence.test(f.pointer))),
  );
  return {
    fault: fault.name,
    area: fault.area,
    description: fault.description,
    expectedCheck: fault.caughtBy,
    caughtBy,
    ...(evidence ? { evidence } : {}),
    detected: evidence !== undefined,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The correct consumer (its findings are false alarms) and each flawed one, replayed the corpus. */
async function consumerMatrix(selected: ConsumerFault[]): Promise<{ results: FaultResult[]; falseAlarms: Finding[] }> {
  const key = generateSigningKey('ed25519', KEY_ID);
  const jwks = await serveJwks([key]);
  const events = buildCorpus().map((e) => e.event) as ReplayEvent[];
  const replay = async (flaw: ConsumerFlaw) => {
    const consumer = await startConsumer(flaw, jwks.url);
    try {
      const outcomes = await replayToConsumer({
        to: consumer.url,
        events,
        mode: 'bundled',
        maxBatch: 10,
        signingKey: key,
        expectSignatureVerification: true,
        timeoutMs: 10_000,
      });
      return outcomes.flatMap((o) => [
        ...[...o.failures, ...o.warnings].map((f) => ({ check: o.check, operation: o.operation, message: f.message })),
        ...o.errors.map((e) => ({ check: o.check, operation: o.operation, message: `${e.code}: ${e.message}` })),
      ]);
    } finally {
      await consumer.close();
    }
  };
  try {
    const falseAlarms = await replay('none');
    const results: FaultResult[] = [];
    for (const fault of selected) {
      const started = performance.now();
      const found = await replay(fault.name);
      const evidence = found.find((f) => f.check === fault.caughtBy && fault.evidence.test(f.message));
      results.push({
        fault: `consumer:${fault.name}`,
        area: 'webhook-consumer',
        description: fault.description,
        expectedCheck: fault.caughtBy,
        caughtBy: [...new Set(found.map((f) => f.check))].sort(),
        ...(evidence ? { evidence } : {}),
        detected: evidence !== undefined,
        durationMs: Math.round(performance.now() - started),
      });
    }
    return { results, falseAlarms };
  } finally {
    await jwks.close();
  }
}

export async function mutationMatrix(options: { faults?: string[]; parallel?: number } = {}): Promise<MutationMatrix> {
  const clean = await runAgainstMock([]);
  // Faults run with the clean run's enum coverage as their gate: a fault that hides a value lowers it.
  const minEnumCoverage = clean.enumCoverage.percent;
  const selected = options.faults ? FAULTS.filter((f) => options.faults!.includes(f.name)) : FAULTS;
  const results: FaultResult[] = [];
  const queue = [...selected];
  await Promise.all(
    Array.from({ length: options.parallel ?? 2 }, async () => {
      for (let fault = queue.shift(); fault; fault = queue.shift()) results.push(await runFault(fault, minEnumCoverage));
    }),
  );
  results.sort((a, b) => selected.findIndex((f) => f.name === a.fault) - selected.findIndex((f) => f.name === b.fault));
  // Consumer faults are named consumer:<flaw>; --fault selects them by that name too.
  const consumerFaults = options.faults ? CONSUMER_FAULTS.filter((f) => options.faults!.includes(`consumer:${f.name}`)) : CONSUMER_FAULTS;
  const consumers = await consumerMatrix(consumerFaults);
  results.push(...consumers.results);
  const falseAlarms = [...findingsOf(clean), ...consumers.falseAlarms];
  return {
    generatedAt: new Date().toISOString(),
    faults: results,
    cleanRun: { falseAlarms, checks: clean.totals.checks, checksPassed: clean.totals.passed, enumCoverage: clean.enumCoverage.percent },
    totals: { faults: results.length, detected: results.filter((r) => r.detected).length, falseAlarms: falseAlarms.length },
  };
}

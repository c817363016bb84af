/**
 * The conformance suite inside a team's own vitest set-up (`upvest-conformance/vitest`): one
 * describe per operation (and the webhooks), one test per check, titled
 * `GET /accounts/{account_id}/valuations › pagination-meta`. The engine runs once, in the
 * background, when the first test asks; each test waits for its check's outcome and fails
 * with the rendered failures, so the team's own reporters show them.
 *
 *   // conformance.test.ts
 *   import { describeConformance } from 'upvest-conformance/vitest';
 *   await describeConformance({ settings: { baseUrl: process.env.UPVEST_BASE_URL } });
 */
import { afterAll, describe, test } from 'vitest';
import { renderFailure } from '../src/checks/failure.js';
import type { CheckOutcome } from '../src/checks/types.js';
import { type ConformanceOptions, openConformance } from '../src/conformance.js';
import type { RunEvent } from '../src/engine/events.js';
import type { RunResult } from '../src/engine/result.js';

export interface ConformanceSuiteOptions extends ConformanceOptions {
  /** Longest a test waits for its check (default: the run's deadline plus a minute). */
  testTimeoutMs?: number;
  /** Called with the run's result once it is complete (write reports, assert on totals). */
  onResult?: (result: RunResult) => void | Promise<void>;
}

/** A failing conformance check: its message is the rendered failures. */
export class ConformanceViolation extends Error {
  override name = 'ConformanceViolation';
}

/** A check that could not conclude (the target did not answer, the check crashed). */
export class ConformanceError extends Error {
  override name = 'ConformanceError';
}

interface Pending {
  promise: Promise<CheckOutcome>;
  resolve(outcome: CheckOutcome): void;
  reject(error: unknown): void;
}

function pending(): Pending {
  let resolve!: (outcome: CheckOutcome) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<CheckOutcome>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A test that never asks must not turn a failed run into an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Register the conformance suite in the calling test file (await it at the top level). */
export async function describeConformance(options: ConformanceSuiteOptions = {}): Promise<void> {
  const session = await openConformance(options);
  const plan = session.engine.plan();
  const outcomes = new Map<string, Pending>();
  const keyOf = (group: string, check: string) => `${group} › ${check}`;
  for (const group of plan.groups) for (const check of group.checks) outcomes.set(keyOf(group.name, check), pending());

  let started: Promise<void> | undefined;
  /** Set when the run checked nothing: every test then fails with the cause, never passes or skips. */
  let stopped: { code: string; message: string; hint?: string } | undefined;
  const start = () => {
    started ??= session
      .execute([
        (event: RunEvent) => {
          if (event.type === 'run-stopped') stopped = event.stop;
          if (event.type === 'check-finished') outcomes.get(keyOf(event.outcome.operation, event.outcome.check))?.resolve(event.outcome);
        },
      ])
      .then(async (result) => {
        const missing = new ConformanceError('the run ended without an outcome for this check');
        for (const p of outcomes.values()) p.reject(missing);
        await options.onResult?.(result);
      })
      .catch((error: unknown) => {
        for (const p of outcomes.values()) p.reject(error);
      });
    return started;
  };
  afterAll(async () => {
    await started;
    await session.close();
  });

  const timeout = options.testTimeoutMs ?? session.target.deadlineMs + 60_000;
  describe.for(plan.groups.map((g) => [g.name, g] as const))('%s', ([, group]) => {
    test.for(group.checks.map((check) => [keyOf(group.name, check), check] as const))('%s', { timeout }, async ([key], { skip }) => {
      void start();
      const outcome = await outcomes.get(key)!.promise;
      if (stopped) throw new ConformanceError(`${stopped.code}: ${stopped.message}${stopped.hint ? `\n${stopped.hint}` : ''}`);
      if (outcome.status === 'skipped') skip(outcome.skipReason);
      if (outcome.status === 'failed') {
        throw new ConformanceViolation(
          outcome.failures
            .filter((f) => !f.baselined)
            .map(renderFailure)
            .join('\n\n'),
        );
      }
      if (outcome.status === 'error') throw new ConformanceError(outcome.errors.map((e) => `${e.code}: ${e.message}`).join('\n'));
    });
  });
}

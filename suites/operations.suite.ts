/**
 * The conformance suite: one describe per operation of generated/manifest.json, one test per
 * check that applies to it. The work of an operation happens once, scheduled by the run; each test
 * hands its check's outcome to the reporters through task meta and fails with the rendered
 * failures. Titles read `GET /accounts/{account_id}/valuations › pagination-meta`.
 */
import { afterAll, beforeAll, describe, inject, test } from 'vitest';
import { renderFailure } from '../src/checks/failure.js';
import { ConformanceRun } from '../src/engine/run.js';
import type { OperationReport } from '../src/engine/operation-runner.js';
import { summaryOf } from './context.js';

class ConformanceViolation extends Error {
  override name = 'ConformanceViolation';
}

class TargetUnusable extends Error {
  override name = 'TargetUnusable';
}

const run = ConformanceRun.open(inject('upvestTarget'));
afterAll(() => run.close());

const plans = run.plan();
// Started by the first describe that needs a report; the reading operations then run together.
let scheduled: Map<(typeof plans)[number], Promise<OperationReport>> | undefined;

describe.for(plans.map((plan) => [plan.operation.key, plan] as const))('%s', ([, plan]) => {
  let report: OperationReport;
  beforeAll(async () => {
    scheduled ??= run.schedule(plans);
    report = await scheduled.get(plan)!;
  });

  test.for(plan.checks.map(({ check }) => [`${plan.operation.key} › ${check.name}`, check.name] as const))(
    '%s',
    ([, name], { task, skip }) => {
      const outcome = report.outcomes.find((o) => o.check === name);
      if (!outcome) throw new Error(`no outcome for ${name}`);
      task.meta.upvest = { outcome, operation: summaryOf(report) };
      if (outcome.status === 'skipped') skip(outcome.skipReason);
      if (outcome.status === 'failed')
        throw new ConformanceViolation(
          outcome.failures
            .filter((f) => !f.baselined)
            .map(renderFailure)
            .join('\n\n'),
        );
      if (outcome.status === 'error') throw new TargetUnusable(outcome.errors.map((e) => `${e.code}: ${e.message}`).join('\n'));
    },
  );
});

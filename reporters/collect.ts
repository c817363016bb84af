/** Turns vitest's reported tasks back into operation reports: from task meta only, never from titles. */
import type { TestCase, TestModule } from 'vitest/node';
import type { CheckOutcome } from '../src/checks/types.js';
import type { OperationReport } from '../src/engine/operation-runner.js';
import type { UpvestTaskMeta } from '../suites/context.js';

/**
 * A test without an outcome either never ran (skipped or interrupted: reported as skipped) or
 * crashed before its check could conclude (reported as an error, with the crash).
 */
function outcomeWithoutMeta(test: TestCase): CheckOutcome {
  const result = test.result();
  const crashed = result.state === 'failed';
  const base = {
    check: test.name,
    title: test.name,
    operation: test.parent.type === 'suite' ? test.parent.name : '(module)',
    operationId: '',
    failures: [],
    warnings: [],
    probes: 0,
    stats: {},
    durationMs: 0,
  };
  return crashed
    ? {
        ...base,
        status: 'error',
        errors: [{ probe: '(suite)', code: 'CT_ERR_SUITE', message: result.errors?.[0]?.message ?? 'failed without an outcome' }],
      }
    : { ...base, status: 'skipped', skipReason: 'not run (the run was interrupted)', errors: [] };
}

export function operationReportsFrom(modules: ReadonlyArray<TestModule>): OperationReport[] {
  const byOperation = new Map<string, OperationReport>();
  for (const module of modules) {
    for (const test of module.children.allTests()) {
      const meta = test.meta().upvest as UpvestTaskMeta | undefined;
      const outcome = meta?.outcome ?? outcomeWithoutMeta(test);
      const key = meta?.operation.operation ?? outcome.operation;
      let report = byOperation.get(key);
      if (!report) {
        report = meta
          ? { ...meta.operation, outcomes: [], created: [] }
          : {
              operation: key,
              operationId: '',
              method: '',
              path: '',
              documentedStatuses: [],
              statusesSeen: {},
              outcomes: [],
              probes: 0,
              durationMs: 0,
              created: [],
            };
        byOperation.set(key, report);
      }
      report.outcomes.push(outcome);
    }
  }
  return [...byOperation.values()];
}

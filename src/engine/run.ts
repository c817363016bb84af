/**
 * A run plans every operation's checks up front (vitest collects tests before running them),
 * then runs the trigger first (what it creates is read by the operations after it) and the
 * reading operations together. Used by the vitest suite (one describe per operation) and,
 * without vitest, by the mutation runner and the benchmarks.
 */
import { CHECKS } from '../checks/registry.js';
import type { Check, CheckOutcome } from '../checks/types.js';
import { manifest } from '../spec/manifest.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import { applyBaseline } from './baseline.js';
import { environmentFor, type TargetFacts } from './environment.js';
import { Limiter } from './limiter.js';
import { CircuitBreaker } from './breaker.js';
import { runOperation, type OperationReport } from './operation-runner.js';
import { createSelection, type Selection } from './selection.js';
import { prepareTarget, type PreparedTarget, type TargetDescription } from './target.js';
import type { TransportOptions } from '../client/transport.js';

export interface PlannedCheck {
  check: Check;
  /** true, or why the check is skipped (selection). */
  selected: true | string;
}

export interface OperationPlan {
  operation: ManifestOperation;
  checks: PlannedCheck[];
  /** Why the operation does not run at all (not selected, nothing to read), if so. */
  skip?: string;
}

const BAIL = 'not run: an earlier check failed and --bail is set';

/** Operations in the order they run: creators first. */
export function operationOrder(): ManifestOperation[] {
  return [...manifest.operations].sort((a, b) => Number(b.method === 'POST') - Number(a.method === 'POST'));
}

export class ConformanceRun {
  readonly limiter: Limiter;
  readonly selection: Selection;
  readonly breaker = new CircuitBreaker();
  private bailed = false;

  constructor(
    readonly target: TargetDescription,
    readonly prepared: PreparedTarget,
  ) {
    this.limiter = new Limiter(target.concurrency);
    this.selection = createSelection(target.only, target.skip);
  }

  static open(target: TargetDescription, transport?: Partial<TransportOptions>): ConformanceRun {
    return new ConformanceRun(target, prepareTarget(target, transport));
  }

  get facts(): TargetFacts {
    return this.prepared.facts;
  }

  /** Every operation with the checks that apply to it, as far as can be known before running. */
  plan(): OperationPlan[] {
    const creator = manifest.operations.find((op) => op.method === 'POST' && this.selection.operation(op) === true);
    // An execution the trigger will create counts as available while planning.
    const planning: TargetFacts = { ...this.facts, executionId: this.facts.executionId ?? (creator ? 'to-be-created' : undefined) };
    return operationOrder().map((operation) => {
      const env = environmentFor(operation, planning);
      const selected = this.selection.operation(operation);
      const skip = selected !== true ? selected : 'skip' in env ? env.skip : undefined;
      const checks =
        'skip' in env
          ? CHECKS.map((check) => ({ check, selected: env.skip as true | string }))
          : CHECKS.filter((c) => c.appliesTo(operation, env) === true).map((check) => ({
              check,
              selected: this.selection.check(check.name),
            }));
      return { operation, checks, ...(skip ? { skip } : {}) };
    });
  }

  async runOperation(plan: OperationPlan): Promise<OperationReport> {
    const op = plan.operation;
    const env = environmentFor(op, this.facts);
    const skip = plan.skip ?? ('skip' in env ? env.skip : undefined) ?? (this.bailed ? BAIL : undefined);
    if (skip || 'skip' in env) return skippedReport(plan, skip as string);
    const checks = plan.checks.map((c) => ({ check: c.check, selected: this.bailed ? BAIL : c.selected }));
    const report = await runOperation(op, { client: this.prepared.client, env, limiter: this.limiter, breaker: this.breaker, checks });
    report.outcomes = report.outcomes.map((o) => applyBaseline(o, this.target.baseline));
    // What the trigger created is what the reading operations read, unless one was configured.
    if (!this.facts.executionId && report.created.length > 0) this.facts.executionId = report.created[0];
    if (this.target.bail && report.outcomes.some((o) => o.status === 'failed')) this.bailed = true;
    return report;
  }

  /**
   * Every planned operation's report, each started once: the creators first, one at a time
   * (the readers read what they create), then the readers all together, sharing the run's
   * limiter, so that no operation's slowest check leaves the connections idle. Under --bail
   * the readers too run one at a time, so that a failure can stop the ones after it.
   */
  schedule(plans: OperationPlan[]): Map<OperationPlan, Promise<OperationReport>> {
    const scheduled = new Map<OperationPlan, Promise<OperationReport>>();
    /** Starts `plan` once `before` settles; resolves, whatever its own outcome, when it has settled. */
    const after = (before: Promise<void>, plan: OperationPlan): Promise<void> => {
      const report = before.then(() => this.runOperation(plan));
      scheduled.set(plan, report);
      // Awaited later by whoever asks for it; an early rejection is not "unhandled" meanwhile.
      return report.then(
        () => undefined,
        () => undefined,
      );
    };
    let previous = Promise.resolve();
    for (const plan of plans.filter((p) => p.operation.method === 'POST')) previous = after(previous, plan);
    const creatorsDone = previous;
    for (const plan of plans.filter((p) => p.operation.method !== 'POST')) {
      const settled = after(this.target.bail ? previous : creatorsDone, plan);
      if (this.target.bail) previous = settled;
    }
    return scheduled;
  }

  async runAll(): Promise<OperationReport[]> {
    const plans = this.plan();
    const scheduled = this.schedule(plans);
    return Promise.all(plans.map((plan) => scheduled.get(plan)!));
  }

  async close(): Promise<void> {
    await this.prepared.close();
  }
}

function skippedReport(plan: OperationPlan, reason: string): OperationReport {
  const op = plan.operation;
  const outcomes: CheckOutcome[] = plan.checks.map(({ check }) => ({
    check: check.name,
    title: check.title,
    operation: op.key,
    operationId: op.operationId,
    status: 'skipped',
    skipReason: reason,
    failures: [],
    warnings: [],
    errors: [],
    probes: 0,
    stats: {},
    durationMs: 0,
  }));
  return {
    operation: op.key,
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    documentedStatuses: op.responses.map((r) => Number(r.status)),
    statusesSeen: {},
    outcomes,
    probes: 0,
    durationMs: 0,
    skipReason: reason,
    created: [],
  };
}

/**
 * The engine: plans every operation's checks up front, runs the trigger first (what it creates
 * is read by the operations after it) and the reading operations together, then the provider's
 * webhooks; emits events while it runs and returns one RunResult. The CLI, the programmatic
 * API, the vitest adapter, the mutation harness and the benchmarks all run through here.
 */
import { createHash } from 'node:crypto';
import { REGISTRY, type Registry } from '../checks/registry.js';
import type { Check, CheckOutcome } from '../checks/types.js';
import type { TransportOptions } from '../client/transport.js';
import type { ManifestOperation } from '../spec/manifest-types.js';
import { SPEC, type SpecView } from '../spec/spec-view.js';
import { applyBaseline } from './baseline.js';
import { CircuitBreaker } from './breaker.js';
import { environmentFor, type TargetFacts } from './environment.js';
import { EventBus, type PlannedGroup, type RunEventHandler } from './events.js';
import { Limiter } from './limiter.js';
import { firstRound, type RunStop } from './first-round.js';
import { documentedProbes, runOperation } from './operation-runner.js';
import { skippedOutcome } from './outcome.js';
import { buildRunResult, type OperationResult, type RunResult } from './result.js';
import { createSelection, type Selection } from './selection.js';
import { prepareTarget, type PreparedTarget, type TargetDescription } from './target.js';
import { checkProviderWebhooks, httpMockControl, WEBHOOKS_GROUP, type WebhookProviderControl } from './webhook-provider.js';

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

export interface RunPlan {
  operations: OperationPlan[];
  /** The provider webhooks group: run when the target is an upvest-conformance mock. */
  webhooks: { selected: true | string };
  /** What the run will do, as report groups (operations, then webhooks). */
  groups: PlannedGroup[];
  /** A digest of the plan and of the options that shape its probes: equal digests, equal probes. */
  digest: string;
}

export interface EngineOptions {
  spec?: SpecView;
  registry?: Registry;
  /** Transport additions (benchmarks pass a tap). */
  transport?: Partial<TransportOptions>;
  /** How the provider webhooks are driven (default: the target's /__mock endpoints, when mockControl is set). */
  webhookControl?: WebhookProviderControl;
}

const BAIL = 'not run: an earlier check failed and --bail is set';
const NOT_A_MOCK = 'the target is not an upvest-conformance mock: check its deliveries with `upvest-conformance listen`';

export class ConformanceRun {
  readonly limiter: Limiter;
  readonly selection: Selection;
  readonly breaker = new CircuitBreaker();
  readonly spec: SpecView;
  readonly registry: Registry;
  private bailed = false;
  private planned?: RunPlan;

  constructor(
    readonly target: TargetDescription,
    readonly prepared: PreparedTarget,
    private readonly options: EngineOptions = {},
  ) {
    this.spec = options.spec ?? SPEC;
    this.registry = options.registry ?? REGISTRY;
    this.limiter = new Limiter(target.concurrency);
    this.selection = createSelection(target.only, target.skip, this.registry, this.spec);
  }

  static open(target: TargetDescription, options: EngineOptions = {}): ConformanceRun {
    return new ConformanceRun(target, prepareTarget(target, options.transport), options);
  }

  get facts(): TargetFacts {
    return this.prepared.facts;
  }

  /** Operations in the order they run: creators first. */
  operationOrder(): ManifestOperation[] {
    return [...this.spec.manifest.operations].sort((a, b) => Number(b.method === 'POST') - Number(a.method === 'POST'));
  }

  /** Every operation with the checks that apply to it, as far as can be known before running. */
  plan(): RunPlan {
    if (this.planned) return this.planned;
    const creator = this.spec.manifest.operations.find((op) => op.method === 'POST' && this.selection.operation(op) === true);
    // An execution the trigger will create counts as available while planning.
    const planning: TargetFacts = { ...this.facts, executionId: this.facts.executionId ?? (creator ? 'to-be-created' : undefined) };
    const operations = this.operationOrder().map((operation): OperationPlan => {
      const env = environmentFor(operation, planning, this.spec);
      const selected = this.selection.operation(operation);
      const skip = selected !== true ? selected : 'skip' in env ? env.skip : undefined;
      const checks =
        'skip' in env
          ? this.registry.operationChecks.map((check) => ({ check, selected: env.skip as true | string }))
          : this.registry.operationChecks
              .filter((c) => c.appliesTo({ operation, env, spec: this.spec }) === true)
              .map((check) => ({ check, selected: this.selection.check(check.name) }));
      return { operation, checks, ...(skip ? { skip } : {}) };
    });
    const webhookCheck = this.registry.ofScope('provider-webhooks');
    const webhooksSelected: true | string = !this.target.mockControl
      ? NOT_A_MOCK
      : this.selection.webhooks() === true
        ? webhookCheck.some((c) => this.selection.check(c.name) === true)
          ? true
          : this.selection.check(webhookCheck[0]?.name ?? '')
        : this.selection.webhooks();
    const groups: PlannedGroup[] = [
      ...operations.map((p) => ({
        name: p.operation.key,
        operationId: p.operation.operationId,
        checks: p.checks.map((c) => c.check.name),
        ...(p.skip ? { skip: p.skip } : {}),
      })),
      {
        name: WEBHOOKS_GROUP.key,
        operationId: WEBHOOKS_GROUP.operationId,
        checks: webhookCheck.map((c) => c.name),
        ...(webhooksSelected !== true ? { skip: webhooksSelected } : {}),
      },
    ];
    const shaping = {
      groups: groups.map((g) => [g.name, g.skip ?? '', ...g.checks.map((c) => `${c}:${this.selection.check(c) === true}`)]),
      pageLimit: this.target.pageLimit,
      maxPages: this.target.maxPages,
      signing: this.facts.signing,
      scopedTokens: this.facts.scopedTokens,
      accounts: this.facts.accountIds.length,
      executionGiven: Boolean(this.target.executionId),
      bail: this.target.bail,
    };
    const digest = digestOf(shaping);
    this.planned = { operations, webhooks: { selected: webhooksSelected }, groups, digest };
    return this.planned;
  }

  private async runPlanned(plan: OperationPlan, bus: EventBus): Promise<OperationResult> {
    const op = plan.operation;
    const env = environmentFor(op, this.facts, this.spec);
    const skip = plan.skip ?? ('skip' in env ? env.skip : undefined) ?? (this.bailed ? BAIL : undefined);
    bus.emit({ type: 'operation-started', operation: op.key });
    let result: OperationResult;
    if (skip || 'skip' in env) {
      result = skippedOperation(plan, skip as string, this.spec);
    } else {
      const checks = plan.checks.map((c) => ({ check: c.check, selected: this.bailed ? BAIL : c.selected }));
      result = await runOperation(op, {
        client: this.prepared.client,
        env,
        spec: this.spec,
        limiter: this.limiter,
        breaker: this.breaker.for(op.key),
        checks,
        emit: (event) => bus.emit(event),
      });
      result.outcomes = result.outcomes.map((o) => applyBaseline(o, this.target.baseline));
      // What the trigger created is what the reading operations read, unless one was configured.
      if (!this.facts.executionId && result.created.length > 0) this.facts.executionId = result.created[0];
      if (this.target.bail && result.outcomes.some((o) => o.status === 'failed')) this.bailed = true;
    }
    for (const outcome of result.outcomes) bus.emit({ type: 'check-finished', outcome });
    bus.emit({ type: 'operation-finished', operation: result });
    return result;
  }

  /**
   * Every planned operation, each started once: the creators first, one at a time (the readers
   * read what they create), then the readers all together, sharing the run's limiter, so that
   * no operation's slowest check leaves the connections idle. Under --bail the readers too run
   * one at a time, so that a failure can stop the ones after it.
   */
  private async runOperations(plans: OperationPlan[], bus: EventBus): Promise<OperationResult[]> {
    const results = new Map<OperationPlan, Promise<OperationResult>>();
    const after = (before: Promise<void>, plan: OperationPlan): Promise<void> => {
      const result = before.then(() => this.runPlanned(plan, bus));
      results.set(plan, result);
      return result.then(
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
    return Promise.all(plans.map((plan) => results.get(plan)!));
  }

  private async runWebhooks(selected: true | string, operations: OperationResult[]): Promise<CheckOutcome[]> {
    const checks = this.registry.ofScope('provider-webhooks');
    const reason = selected !== true ? selected : this.bailed ? BAIL : undefined;
    if (reason) return checks.map((c) => skippedOutcome(c, WEBHOOKS_GROUP, reason));
    const control = this.options.webhookControl ?? httpMockControl(this.target.baseUrl);
    const outcomes = await checkProviderWebhooks({
      control,
      client: this.prepared.client,
      triggerAccounts: this.target.accountIds,
      spec: this.spec,
      // What the run's requests were answered with, and the execution it was told to read.
      known: [...operations.flatMap((o) => o.created), ...(this.facts.executionId ? [this.facts.executionId] : [])],
      selected: (name) => this.selection.check(name) === true && checks.some((c) => c.name === name),
    });
    return outcomes.map((o) => applyBaseline(o, this.target.baseline));
  }

  /** Run the plan; handlers see every event; the result is also the payload of run-finished. */
  async run(handlers: RunEventHandler[] = []): Promise<RunResult> {
    const bus = new EventBus(handlers);
    this.prepared.observe?.((event) => bus.emit(event));
    const plan = this.plan();
    const startedAt = new Date();
    bus.emit({
      type: 'run-started',
      startedAt: startedAt.toISOString(),
      baseUrl: this.target.baseUrl,
      groups: plan.groups,
      planDigest: plan.digest,
    });
    const sent: string[] = [];
    bus.on((event) => {
      if (event.type === 'probe-finished') sent.push(`${event.operation} ${event.probe.id}`);
    });
    const stop = await this.firstRound(plan);
    if (stop) bus.emit({ type: 'run-stopped', stop });
    const operations = stop
      ? plan.operations.map((p) => this.notRun(p, `not run: ${stop.message}`, bus))
      : await this.runOperations(plan.operations, bus);
    const webhookOutcomes = await this.runWebhooks(stop ? `not run: ${stop.message}` : plan.webhooks.selected, operations);
    for (const outcome of webhookOutcomes) bus.emit({ type: 'check-finished', outcome });
    const result = buildRunResult(
      this.spec,
      operations,
      {
        baseUrl: this.target.baseUrl,
        embeddedMock: this.target.embeddedMock,
        signing: this.facts.signing,
        ...(this.facts.signer ? { signer: this.facts.signer } : {}),
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
        minEnumCoverage: this.target.minEnumCoverage,
        failOn: this.target.failOn ?? 'error',
        baseline: this.target.baseline,
        planDigest: plan.digest,
        probeDigest: digestOf([...sent].sort()),
        ...(stop ? { stopped: stop } : {}),
        harnessErrors: bus.errors,
      },
      { outcomes: webhookOutcomes },
    );
    this.prepared.observe?.(undefined);
    bus.emit({ type: 'run-finished', result });
    return result;
  }

  /**
   * One documented request per reading operation that will run, each with its own token: when
   * every one is refused, or none is answered, the run stops with the cause (src/engine/first-round.ts).
   */
  private async firstRound(plan: RunPlan): Promise<RunStop | undefined> {
    const probes = plan.operations
      .filter((p) => !p.skip && p.operation.method === 'GET')
      .flatMap((p) => {
        const env = environmentFor(p.operation, this.facts, this.spec);
        return 'skip' in env ? [] : documentedProbes(p.operation, env).slice(0, 1);
      });
    return firstRound({ client: this.prepared.client, spec: this.spec, probes, signing: this.facts.signing });
  }

  private notRun(plan: OperationPlan, reason: string, bus: EventBus): OperationResult {
    const result = skippedOperation(plan, reason, this.spec);
    for (const outcome of result.outcomes) bus.emit({ type: 'check-finished', outcome });
    bus.emit({ type: 'operation-finished', operation: result });
    return result;
  }

  async close(): Promise<void> {
    await this.prepared.close();
  }
}

/** A short digest of a JSON value: equal plans, equal digests. */
function digestOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

function skippedOperation(plan: OperationPlan, reason: string, spec: SpecView): OperationResult {
  const op = plan.operation;
  return {
    operation: op.key,
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    documentedStatuses: spec.documentedStatuses(op),
    statusesSeen: {},
    outcomes: plan.checks.map(({ check }) => skippedOutcome(check, op, reason)),
    probes: 0,
    durationMs: 0,
    skipReason: reason,
    created: [],
  };
}

/** Open, run and close: the engine in one call. */
export async function runEngine(
  target: TargetDescription,
  options: EngineOptions & { handlers?: RunEventHandler[] } = {},
): Promise<RunResult> {
  const run = ConformanceRun.open(target, options);
  try {
    return await run.run(options.handlers);
  } finally {
    await run.close();
  }
}

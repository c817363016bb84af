/**
 * The run's plan and schedule, with a fake client and fake checks: the trigger runs first and
 * the reading operations read what it created, all together, or one at a time under --bail;
 * --bail stops the rest after a failure; the baseline applies to every outcome; the events come
 * in order. Requests are held on deferred promises, so "together" and "one at a time" are
 * shown by what has been sent before anything is answered, not by timing.
 */
import { describe, expect, test } from 'vitest';
import { documentedAt } from '../../src/checks/basis.js';
import { createRegistry } from '../../src/checks/registry.js';
import type { Check } from '../../src/checks/types.js';
import type { Deadline } from '../../src/client/deadline.js';
import type { Transport } from '../../src/client/transport.js';
import type { ApiRequest, UpvestClient } from '../../src/client/upvest-client.js';
import type { RunEvent } from '../../src/engine/events.js';
import { ConformanceRun } from '../../src/engine/run.js';
import type { PreparedTarget, TargetDescription } from '../../src/engine/target.js';
import { ACCOUNT } from '../helpers/manifest-spec.js';
import { type Deferred, deferred, settle } from '../helpers/deferred.js';
import { type Answer, type Canned, fakeCheck, fakeClient } from '../helpers/fake-client.js';

const CREATED = 'c0ffee00-0000-4000-8000-000000000001';
const TRIGGER = 'POST /portfolios/rebalancings/executions';
const readers = (execution: string) => [
  `GET /portfolios/rebalancings/executions/${execution}`,
  `GET /portfolios/rebalancings/executions/${execution}/orders`,
  `GET /accounts/${ACCOUNT}/valuations/current`,
  `GET /accounts/${ACCOUNT}/valuations`,
];
const BAIL = 'not run: an earlier check failed and --bail is set';

function target(overrides: Partial<TargetDescription> = {}): TargetDescription {
  return {
    baseUrl: 'https://target.example',
    clientId: 'client',
    clientSecret: 'not-sent-anywhere',
    accountIds: [ACCOUNT],
    triggerAccountIds: [ACCOUNT],
    timeoutMs: 1_000,
    deadlineMs: 10_000,
    concurrency: 8,
    maxResponseBytes: 1_000_000,
    pageLimit: 2,
    maxPages: 5,
    minEnumCoverage: 0,
    only: [],
    skip: [],
    bail: false,
    embeddedMock: false,
    mockControl: false,
    ...overrides,
  };
}

function prepared(client: UpvestClient, t: TargetDescription): PreparedTarget {
  return {
    client,
    transport: {} as Transport,
    deadline: {} as Deadline,
    facts: {
      accountIds: t.accountIds,
      executionId: t.executionId,
      triggerAccountIds: t.triggerAccountIds,
      signing: true,
      expectSignatureVerification: true,
      depth: 'quick',
      scopedTokens: true,
      pageLimit: t.pageLimit,
      maxPages: t.maxPages,
      minEnumCoverage: t.minEnumCoverage,
    },
    close: async () => {},
  };
}

/** The account readers: all the first round can send before the trigger has created an execution. */
const FIRST_ROUND = readers(CREATED).slice(2);
/** What was sent from the trigger on: the schedule, after the first round. */
const schedule = (sent: string[]) => sent.slice(sent.indexOf(TRIGGER));

/** A client that answers the first round at once, then holds every request until the test answers it by `METHOD /path`. */
function heldClient() {
  const held = new Map<string, Deferred<Canned>>();
  const gate = (name: string) => {
    if (!held.has(name)) held.set(name, deferred<Canned>());
    return held.get(name)!;
  };
  let triggered = false;
  const fake = fakeClient((request: ApiRequest): Answer => {
    if (request.method === 'POST') triggered = true;
    if (!triggered) return { status: 200, json: {} };
    return gate(`${request.method} ${request.path}`).promise;
  });
  return {
    ...fake,
    schedule: () => schedule(fake.sent),
    answer: (name: string, canned: Canned = { status: 200, json: {} }) => gate(name).resolve(canned),
  };
}

function engine(client: UpvestClient, checks: Check[], overrides: Partial<TargetDescription> = {}) {
  const t = target(overrides);
  return new ConformanceRun(t, prepared(client, t), { registry: createRegistry(checks) });
}

describe('the schedule', () => {
  test('the trigger first; then every reading operation together, reading the execution the trigger created', async () => {
    const client = heldClient();
    const run = engine(client.client, [fakeCheck('observer', {})]);
    const finished = run.run();
    await settle();
    // The first round: one documented request of each reader that can run before the trigger.
    expect(client.sent).toStrictEqual([...FIRST_ROUND, TRIGGER]);
    client.answer(TRIGGER, { status: 200, json: { id: CREATED } });
    await settle();
    // Together: every reader has sent before any has been answered.
    expect(client.schedule()).toStrictEqual([TRIGGER, ...readers(CREATED)]);
    for (const name of readers(CREATED).reverse()) client.answer(name);
    const result = await finished;
    expect(run.facts.executionId).toBe(CREATED);
    expect(result.operations.map((o) => [o.operationId, o.checks.map((c) => c.status)])).toStrictEqual([
      ['triggerPortfolioRebalancing', ['passed']],
      ['retrievePortfolioRebalancingExecution', ['passed']],
      ['listPortfolioRebalancingExecutionOrders', ['passed']],
      ['getCurrentAccountValuation', ['passed']],
      ['listAccountValuations', ['passed']],
    ]);
  });

  test('a configured execution is the one read; the created one does not replace it', async () => {
    const { client, sent } = fakeClient(() => ({ status: 200, json: { id: CREATED } }));
    const run = engine(client, [fakeCheck('observer', {})], { executionId: 'configured-execution' });
    await run.run();
    // With an execution configured, the first round reads it too.
    expect(sent).toStrictEqual([...readers('configured-execution'), TRIGGER, ...readers('configured-execution')]);
    expect(run.facts.executionId).toBe('configured-execution');
  });

  test('under --bail the reading operations run one at a time, in plan order', async () => {
    const client = heldClient();
    const finished = engine(client.client, [fakeCheck('observer', {})], { bail: true }).run();
    await settle();
    client.answer(TRIGGER, { status: 200, json: { id: CREATED } });
    for (const [i, name] of readers(CREATED).entries()) {
      await settle();
      expect(client.schedule()).toStrictEqual([TRIGGER, ...readers(CREATED).slice(0, i + 1)]);
      client.answer(name);
    }
    await finished;
  });

  test('under --bail a failure skips every operation after it, with the reason; the ones before keep their results', async () => {
    const failsOnOrders = fakeCheck(
      'fails-on-orders',
      {},
      {
        conclude: (ctx) => {
          if (ctx.operation.operationId === 'listPortfolioRebalancingExecutionOrders') {
            ctx.fail({ message: 'the page is wrong', received: 'r', expected: 'e', basis: documentedAt('#/paths', 'a test') });
          }
        },
      },
    );
    const { client, sent } = fakeClient(() => ({ status: 200, json: { id: CREATED } }));
    const result = await engine(client, [failsOnOrders], { bail: true }).run();
    expect(result.operations.map((o) => [o.operationId, o.checks[0].status, o.skipReason])).toStrictEqual([
      ['triggerPortfolioRebalancing', 'passed', undefined],
      ['retrievePortfolioRebalancingExecution', 'passed', undefined],
      ['listPortfolioRebalancingExecutionOrders', 'failed', undefined],
      ['getCurrentAccountValuation', 'skipped', BAIL],
      ['listAccountValuations', 'skipped', BAIL],
    ]);
    expect(schedule(sent)).toStrictEqual([TRIGGER, ...readers(CREATED).slice(0, 2)]);
    expect(result.verdict).toBe('violations');
  });

  test("the baseline applies to every operation's outcomes: a listed failure does not fail the run", async () => {
    const failsEverywhere = fakeCheck(
      'fails-everywhere',
      {},
      { conclude: (ctx) => ctx.fail({ message: 'known', received: 'r', expected: 'e', basis: documentedAt('#/paths', 'a test') }) },
    );
    const { client } = fakeClient(() => ({ status: 200, json: { id: CREATED } }));
    const result = await engine(client, [failsEverywhere], {
      baseline: { entries: [{ check: 'fails-everywhere', operation: '*', reason: 'accepted' }] },
    }).run();
    expect(result.operations.map((o) => o.checks[0].status)).toStrictEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect([result.totals.baselined, result.verdict, result.exitCode]).toStrictEqual([5, 'conformant', 0]);
  });
});

describe('the plan', () => {
  const { client } = fakeClient();

  test('operations that cannot run or are not selected are skipped with the reason; so are the webhooks of a target that is not a mock', () => {
    const plan = engine(client, [fakeCheck('observer', {})], {
      accountIds: [],
      triggerAccountIds: [],
      only: ['retrievePortfolioRebalancingExecution'],
    }).plan();
    expect(plan.groups.map((g) => [g.name, g.checks, g.skip])).toStrictEqual([
      [TRIGGER, ['observer'], 'not selected by --only'],
      [
        'GET /portfolios/rebalancings/executions/{execution_id}',
        ['observer'],
        'no rebalancing execution to read: give --execution-id, or let the trigger operation create one',
      ],
      ['GET /portfolios/rebalancings/executions/{execution_id}/orders', ['observer'], 'not selected by --only'],
      ['GET /accounts/{account_id}/valuations/current', ['observer'], 'not selected by --only'],
      ['GET /accounts/{account_id}/valuations', ['observer'], 'not selected by --only'],
      ['webhooks', [], 'the target is not an upvest-conformance mock: check its deliveries with `upvest-conformance listen`'],
    ]);
  });

  test('a check that does not apply to an operation is not planned for it', () => {
    const postsOnly: Check = {
      ...fakeCheck('posts-only', {}),
      appliesTo: ({ operation }) => (operation.method === 'POST' ? true : 'reads only'),
    };
    const plan = engine(client, [postsOnly, fakeCheck('observer', {})]).plan();
    expect(plan.groups.map((g) => g.checks)).toStrictEqual([
      ['posts-only', 'observer'],
      ['observer'],
      ['observer'],
      ['observer'],
      ['observer'],
      [],
    ]);
  });

  test('the digest: equal for equal plans, different when what shapes the probes differs', () => {
    const checks = [fakeCheck('observer', {})];
    const digest = (overrides: Partial<TargetDescription> = {}) => engine(client, checks, overrides).plan().digest;
    expect(digest()).toMatch(/^[0-9a-f]{16}$/);
    expect(digest()).toBe(digest());
    for (const overrides of [{ pageLimit: 3 }, { maxPages: 9 }, { bail: true }, { skip: ['observer'] }, { executionId: CREATED }]) {
      expect(digest(overrides), JSON.stringify(overrides)).not.toBe(digest());
    }
  });
});

describe('the events', () => {
  test('run-started first and run-finished last with the result; per operation: started, probes, checks, finished', async () => {
    const { client } = fakeClient(() => ({ status: 200, json: { id: CREATED } }));
    const events: RunEvent[] = [];
    const run = engine(client, [fakeCheck('observer', {})]);
    const result = await run.run([(event) => events.push(event)]);
    expect(events[0]).toMatchObject({
      type: 'run-started',
      baseUrl: 'https://target.example',
      planDigest: run.plan().digest,
      groups: run.plan().groups,
    });
    expect(events.at(-1)).toStrictEqual({ type: 'run-finished', result });
    const operationOf = (e: RunEvent) =>
      e.type === 'operation-started'
        ? e.operation
        : e.type === 'probe-finished'
          ? e.operation
          : e.type === 'check-finished'
            ? e.outcome.operation
            : e.type === 'operation-finished'
              ? e.operation.operation
              : undefined;
    for (const group of run.plan().groups.slice(0, 5)) {
      const own = events.filter((e) => operationOf(e) === group.name).map((e) => e.type);
      expect(own, group.name).toStrictEqual(['operation-started', 'probe-finished', 'check-finished', 'operation-finished']);
    }
  });
});

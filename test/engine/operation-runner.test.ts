/**
 * The operation runner with a fake client (no network): an object whose `send` answers each
 * request from a table, or holds it until the test lets it go. Which probes go out and in what
 * order, which check sees which response, to whom a transport error is attributed, what counts
 * as seen and as created, and that a check's crash stays its own.
 */
import { documented } from '../../src/checks/basis.js';
import { describe, expect, test } from 'vitest';
import type { Check, ProbeInput, ProbeKind, ProbeResult } from '../../src/checks/types.js';
import type { Exchange } from '../../src/client/exchange.js';
import type { UpvestClient } from '../../src/client/upvest-client.js';
import type { CircuitBreaker } from '../../src/engine/breaker.js';
import type { RunEvent } from '../../src/engine/events.js';
import { Limiter } from '../../src/engine/limiter.js';
import { documentedProbes, runOperation } from '../../src/engine/operation-runner.js';
import type { OperationResult } from '../../src/engine/result.js';
import { HeadersTimeoutError, TargetUnreachableError, UsageError } from '../../src/errors.js';
import { ACCOUNT, environment, MANIFEST_SPEC as SPEC } from '../helpers/manifest-spec.js';
import { deferred, settle } from '../helpers/deferred.js';
import { type Canned, fakeCheck, fakeClient } from '../helpers/fake-client.js';

const CURRENT = SPEC.operation('getCurrentAccountValuation');
const TRIGGER = SPEC.operation('triggerPortfolioRebalancing');
const SECOND_ACCOUNT = '11111111-2222-4333-8444-555555555555';
const THIRD_ACCOUNT = '66666666-7777-4888-9999-000000000000';

/** A probe of a check: its id travels as the request's purpose, so the fake client can answer it. */
const own = (id: string, kind: ProbeKind): ProbeInput => ({
  id,
  kind,
  purpose: `probe ${id}`,
  request: { method: 'GET', path: `/probe/${id}`, auth: { scopes: [] }, purpose: id },
});

async function run(
  checks: (Check | [Check, string])[],
  client: UpvestClient,
  options: { operation?: typeof CURRENT; env?: ReturnType<typeof environment>; breaker?: CircuitBreaker; concurrency?: number } = {},
) {
  const events: RunEvent[] = [];
  const result = await runOperation(options.operation ?? CURRENT, {
    client,
    env: options.env ?? environment(),
    spec: SPEC,
    limiter: new Limiter(options.concurrency ?? 4),
    breaker: options.breaker,
    checks: checks.map((c) => (Array.isArray(c) ? { check: c[0], selected: c[1] } : { check: c, selected: true as const })),
    emit: (event) => events.push(event),
  });
  return { result, events, outcome: (name: string) => result.outcomes.find((o) => o.check === name)! };
}

const THREE_ACCOUNTS = environment({ pathValues: { account_id: [ACCOUNT, SECOND_ACCOUNT, THIRD_ACCOUNT] } });

describe('documentedProbes', () => {
  test('one documented request, expecting 200, with the primary path value', () => {
    const probes = documentedProbes(CURRENT, environment());
    expect(probes.map(({ id, kind, purpose, expect, pathParams }) => ({ id, kind, purpose, expect, pathParams }))).toStrictEqual([
      {
        id: 'baseline:0',
        kind: 'documented',
        purpose: 'the documented request',
        expect: {
          statuses: [200],
          reason: 'the documented request with valid credentials succeeds',
          // The requirement: the documented success of this operation, on its page.
          basis: documented(CURRENT, 'responses', '200'),
        },
        pathParams: { account_id: ACCOUNT },
      },
    ]);
    expect(probes[0].request).toMatchObject({
      method: 'GET',
      path: `/accounts/${ACCOUNT}/valuations/current`,
      query: [['price_quality', 'EOD']],
    });
  });

  test('one per configured value of the path parameter, each naming it', () => {
    expect(documentedProbes(CURRENT, THREE_ACCOUNTS).map((p) => [p.id, p.purpose, p.request.path])).toStrictEqual([
      ['baseline:0', `the documented request for account_id ${ACCOUNT}`, `/accounts/${ACCOUNT}/valuations/current`],
      ['baseline:1', `the documented request for account_id ${SECOND_ACCOUNT}`, `/accounts/${SECOND_ACCOUNT}/valuations/current`],
      ['baseline:2', `the documented request for account_id ${THIRD_ACCOUNT}`, `/accounts/${THIRD_ACCOUNT}/valuations/current`],
    ]);
  });
});

describe('runOperation: what is sent, and when', () => {
  test("the documented requests go first, all answered before any check's exercise starts", async () => {
    const gates = [deferred<Canned>(), deferred<Canned>(), deferred<Canned>()];
    const { client, sent } = fakeClient((request) => {
      if (request.purpose) return { status: 400, json: {} };
      return gates[[ACCOUNT, SECOND_ACCOUNT, THIRD_ACCOUNT].findIndex((a) => request.path.includes(a))].promise;
    });
    const seen: Record<string, string[]> = {};
    let exerciseStarted = false;
    const driver = fakeCheck('driver', seen, {
      exercise: async (exerciser) => {
        exerciseStarted = true;
        await exerciser.send(own('own', 'negative'));
      },
    });
    const running = run([driver], client, { env: THREE_ACCOUNTS });
    await settle();
    expect(sent).toHaveLength(3);
    gates[2].resolve({ status: 200, json: {} });
    gates[0].resolve({ status: 200, json: {} });
    await settle();
    expect(exerciseStarted).toBe(false);
    gates[1].resolve({ status: 200, json: {} });
    const { result, events } = await running;
    expect(sent).toStrictEqual([
      `GET /accounts/${ACCOUNT}/valuations/current`,
      `GET /accounts/${SECOND_ACCOUNT}/valuations/current`,
      `GET /accounts/${THIRD_ACCOUNT}/valuations/current`,
      'own',
    ]);
    // Observed as they arrived; the check counts only its own probe, the operation every probe.
    expect(seen.driver).toStrictEqual(['baseline:2', 'baseline:0', 'baseline:1']);
    expect([result.probes, result.outcomes[0].probes]).toStrictEqual([4, 1]);
    expect(events.filter((e) => e.type === 'probe-finished')).toStrictEqual([
      ...[2, 0, 1].map((i) => ({
        type: 'probe-finished',
        operation: CURRENT.key,
        probe: {
          id: `baseline:${i}`,
          kind: 'documented',
          owner: 'status-code',
          purpose: expect.stringContaining('the documented request'),
        },
        status: 200,
        durationMs: 5,
      })),
      {
        type: 'probe-finished',
        operation: CURRENT.key,
        probe: { id: 'own', kind: 'negative', owner: 'driver', purpose: 'probe own' },
        status: 400,
        durationMs: 5,
      },
    ]);
  });

  test("the checks exercise together, within the run's limiter", async () => {
    const gates = new Map([
      ['a', deferred<Canned>()],
      ['b', deferred<Canned>()],
    ]);
    const { client, sent } = fakeClient((request) => gates.get(request.purpose ?? '')?.promise ?? { status: 200, json: {} });
    const seen: Record<string, string[]> = {};
    const sender = (id: string) => fakeCheck(`sender-${id}`, seen, { exercise: async (x) => void (await x.send(own(id, 'negative'))) });
    const running = run([sender('a'), sender('b')], client, { concurrency: 1 });
    await settle();
    // Both checks have sent; the limiter lets one request out at a time.
    expect(sent).toStrictEqual([`GET /accounts/${ACCOUNT}/valuations/current`, 'a']);
    gates.get('a')!.resolve({ status: 400 });
    await settle();
    expect(sent.slice(1)).toStrictEqual(['a', 'b']);
    gates.get('b')!.resolve({ status: 400 });
    await running;
  });

  test('a check not selected is never started: skipped with the reason, nothing sent for it', async () => {
    const { client, sent } = fakeClient();
    const seen: Record<string, string[]> = {};
    let started = false;
    const driver = fakeCheck('driver', seen, {
      start: () => {
        started = true;
      },
      exercise: async (x) => void (await x.send(own('own', 'negative'))),
    });
    const { outcome } = await run([[driver, 'not selected by --only']], client);
    expect([started, seen.driver, sent.length]).toStrictEqual([false, [], 1]);
    expect(outcome('driver')).toMatchObject({ status: 'skipped', skipReason: 'not selected by --only', probes: 0 });
  });
});

describe('runOperation: who sees what', () => {
  test('each probe kind reaches exactly the checks that observe it, the owner included', async () => {
    const { client } = fakeClient((request) => ({ status: request.purpose === 'negative' ? 400 : 200, json: {} }));
    const seen: Record<string, string[]> = {};
    const driver = fakeCheck('driver', seen, {
      observes: ['negative'],
      exercise: async (x) => {
        for (const kind of ['variant', 'replay', 'negative', 'foreign'] as const) await x.send(own(kind, kind));
      },
    });
    const checks = [
      driver,
      fakeCheck('by-default', seen),
      fakeCheck('negatives', seen, { observes: ['negative'] }),
      fakeCheck('replays-and-foreign', seen, { observes: ['replay', 'foreign'] }),
      fakeCheck('everything', seen, { observes: ['documented', 'variant', 'replay', 'negative', 'foreign'] }),
      fakeCheck('nothing', seen, { observes: [] }),
    ];
    await run(checks, client);
    expect(seen).toStrictEqual({
      driver: ['negative'],
      'by-default': ['baseline:0', 'variant'],
      negatives: ['negative'],
      'replays-and-foreign': ['replay', 'foreign'],
      everything: ['baseline:0', 'variant', 'replay', 'negative', 'foreign'],
      nothing: [],
    });
  });

  test('bodies: parsed JSON, or why not (empty, not JSON with its first bytes)', async () => {
    const bodies: Record<string, Canned> = { empty: { status: 200, raw: '' }, html: { status: 200, raw: '<!doctype html>' } };
    const { client } = fakeClient((request) => bodies[request.purpose ?? ''] ?? { status: 200, json: { id: 'x' } });
    const results: Record<string, Pick<ProbeResult, 'json' | 'jsonError' | 'bodyBytes'>> = {};
    const driver = fakeCheck(
      'driver',
      {},
      {
        exercise: async (x) => void (await x.sendAll([own('empty', 'variant'), own('html', 'variant')])),
        observe: ({ probe, json, jsonError, bodyBytes }) => {
          results[probe.id] = { json, jsonError, bodyBytes };
        },
      },
    );
    await run([driver], client);
    expect(results['baseline:0']).toStrictEqual({ json: { id: 'x' }, jsonError: undefined, bodyBytes: 10 });
    expect(results.empty).toStrictEqual({ json: undefined, jsonError: 'the body is empty', bodyBytes: 0 });
    expect(results.html.json).toBeUndefined();
    expect(results.html.jsonError).toMatch(/^not JSON \(.+\); first bytes "<!doctype html>"$/);
  });
});

describe('runOperation: transport errors', () => {
  const unreachable = new TargetUnreachableError('connect ECONNREFUSED 127.0.0.1:9');

  test('of a documented request: an error of every check that only observes, not of the checks that exercise', async () => {
    const { client } = fakeClient((request) => (request.purpose ? { status: 400, json: {} } : unreachable));
    const seen: Record<string, string[]> = {};
    const errorsSeen: (string | undefined)[] = [];
    const observer = fakeCheck('observer', seen, { observe: (r) => void errorsSeen.push(r.error?.code) });
    const driver = fakeCheck('driver', seen, { exercise: async (x) => void (await x.send(own('own', 'negative'))) });
    const { result, outcome } = await run([observer, driver], client);
    expect(outcome('observer')).toMatchObject({
      status: 'error',
      errors: [{ probe: 'baseline:0', code: 'CT_ERR_TARGET_UNREACHABLE', message: 'connect ECONNREFUSED 127.0.0.1:9' }],
    });
    expect(outcome('driver')).toMatchObject({ status: 'passed', errors: [] });
    // The observers are still shown the result, with its error and no status; nothing was seen.
    expect(errorsSeen).toStrictEqual(['CT_ERR_TARGET_UNREACHABLE']);
    expect(result.statusesSeen).toStrictEqual({ 400: 1 });
  });

  test("of a check's own probe: an error of that check only", async () => {
    const { client } = fakeClient((request) => (request.purpose === 'own' ? unreachable : { status: 200, json: {} }));
    const seen: Record<string, string[]> = {};
    const driver = fakeCheck('driver', seen, { exercise: async (x) => void (await x.send(own('own', 'variant'))) });
    const other = fakeCheck('other-driver', seen, { exercise: async (x) => void (await x.send(own('fine', 'variant'))) });
    const observer = fakeCheck('observer', seen);
    const { outcome } = await run([driver, other, observer], client);
    expect(outcome('driver')).toMatchObject({ status: 'error', errors: [{ probe: 'own', code: 'CT_ERR_TARGET_UNREACHABLE' }] });
    expect([outcome('other-driver').status, outcome('observer').status]).toStrictEqual(['passed', 'passed']);
    expect(seen.observer).toEqual(expect.arrayContaining(['own', 'fine']));
  });

  test('excuse: a check that can conclude without the answer removes the error', async () => {
    const { client } = fakeClient((request) => (request.purpose === 'own' ? unreachable : { status: 200, json: {} }));
    const driver = fakeCheck(
      'driver',
      {},
      {
        exercise: async (x, ctx) => {
          const r = await x.send(own('own', 'variant'));
          if (r.error) ctx.excuse(r.probe.id, 'a second page is not needed to judge the first');
        },
      },
    );
    const { outcome } = await run([driver], client);
    expect(outcome('driver')).toMatchObject({
      status: 'passed',
      errors: [],
      stats: { 'excused:own': 'a second page is not needed to judge the first' },
    });
  });

  test("an open circuit breaker: nothing is sent, and each probe's error carries the breaker's cause", async () => {
    const cause = { code: 'CT_ERR_HEADERS_TIMEOUT', message: 'not sent: the target failed 6 requests in a row (last: no headers)' };
    const breaker = { shortCircuit: cause, recordAnswer() {}, recordFailure() {} } as unknown as CircuitBreaker;
    const { client, sent } = fakeClient();
    const seen: Record<string, string[]> = {};
    const exchanges: Exchange[] = [];
    const observer = fakeCheck('observer', seen, { observe: (r) => void exchanges.push(r.exchange) });
    const driver = fakeCheck('driver', seen, { exercise: async (x) => void (await x.send(own('own', 'variant'))) });
    const { outcome, events } = await run([observer, driver], client, { breaker });
    expect(sent).toStrictEqual([]);
    expect(outcome('observer').errors).toStrictEqual([{ probe: 'baseline:0', ...cause }]);
    expect(outcome('driver').errors).toStrictEqual([{ probe: 'own', ...cause }]);
    expect(events.filter((e) => e.type === 'probe-finished').map((e) => e.type === 'probe-finished' && e.error)).toStrictEqual([
      cause,
      cause,
    ]);
    // The report can still show what would have been sent.
    expect(exchanges.map((e) => e.request)).toStrictEqual([
      { method: 'GET', url: `/accounts/${ACCOUNT}/valuations/current`, headers: {} },
      { method: 'GET', url: '/probe/own', headers: {} },
    ]);
  });
});

describe('runOperation: statuses seen and ids created', () => {
  test("statusesSeen counts this operation's answers, leaving out foreign probes and errors", async () => {
    const statuses: Record<string, number | Error> = {
      variant: 200,
      negative: 400,
      replay: 200,
      foreign: 405,
      broken: new HeadersTimeoutError('no headers'),
    };
    const { client } = fakeClient((request) => {
      const status = statuses[request.purpose ?? ''] ?? 200;
      return status instanceof Error ? status : { status, json: {} };
    });
    const driver = fakeCheck(
      'driver',
      {},
      {
        exercise: async (x) =>
          void (await x.sendAll(
            ['variant', 'negative', 'replay', 'foreign', 'broken'].map((id) => own(id, id === 'broken' ? 'variant' : (id as ProbeKind))),
          )),
      },
    );
    const { result } = await run([driver], client);
    expect(result.statusesSeen).toStrictEqual({ 200: 3, 400: 1 });
  });

  test("created ids: every 2xx answer with a string id to the POST's own probes, of any kind (side-effects needs what exists)", async () => {
    const answers: Record<string, Canned> = {
      variant: { status: 201, json: { id: 'variant-id' } },
      replay: { status: 200, json: { id: 'replay-id' } },
      negative: { status: 200, json: { id: 'negative-id' } },
      foreign: { status: 200, json: { id: 'foreign-id' } },
      refused: { status: 400, json: { id: 'refused-id' } },
      redirected: { status: 303, json: { id: 'redirected-id' } },
      numeric: { status: 200, json: { id: 7 } },
      'not-json': { status: 200, raw: 'id' },
    };
    const { client } = fakeClient((request) => answers[request.purpose ?? ''] ?? { status: 200, json: { id: 'documented-id' } });
    const kinds: Record<string, ProbeKind> = { replay: 'replay', negative: 'negative', foreign: 'foreign' };
    const driver = fakeCheck(
      'driver',
      {},
      {
        exercise: async (x) => {
          for (const id of Object.keys(answers)) await x.send(own(id, kinds[id] ?? 'variant'));
        },
      },
    );
    const post: OperationResult = (await run([driver], client, { operation: TRIGGER })).result;
    expect(post.created).toStrictEqual(['documented-id', 'variant-id', 'replay-id', 'negative-id']);
    const get = (await run([driver], fakeClient(() => ({ status: 200, json: { id: 'read-id' } })).client)).result;
    expect(get.created).toStrictEqual([]);
  });
});

describe('runOperation: a check that throws', () => {
  const ofPhase = (phase: 'start' | 'exercise' | 'observe' | 'conclude', seen: Record<string, string[]>, calls: string[]) =>
    fakeCheck('thrower', seen, {
      start: () => {
        if (phase === 'start') throw new TypeError('planted in start');
      },
      exercise: async () => {
        calls.push('exercise');
        if (phase === 'exercise') throw new TypeError('planted in exercise');
      },
      observe: () => {
        calls.push('observe');
        if (phase === 'observe') throw new TypeError('planted in observe');
      },
      conclude: () => {
        calls.push('conclude');
        if (phase === 'conclude') throw new TypeError('planted in conclude');
      },
    });

  test.for([
    ['start', '(start)', []],
    ['observe', '(observe of baseline:0)', ['observe']],
    ['exercise', '(exercise)', ['observe', 'observe', 'observe', 'exercise']],
    ['conclude', '(conclude)', ['observe', 'observe', 'observe', 'exercise', 'conclude']],
  ] as const)(
    'in %s: an error outcome of that check with the phase and the first frame; it is called no more',
    async ([phase, probe, wantCalls]) => {
      const { client } = fakeClient();
      const seen: Record<string, string[]> = {};
      const calls: string[] = [];
      let concluded = false;
      const bystander = fakeCheck('bystander', seen, {
        conclude: (ctx) => {
          concluded = true;
          ctx.stat('concluded', true);
        },
      });
      const { outcome } = await run([ofPhase(phase, seen, calls), bystander], client, { env: THREE_ACCOUNTS });
      expect(outcome('thrower').status).toBe('error');
      expect(outcome('thrower').errors).toStrictEqual([
        {
          probe,
          code: 'CT_ERR_CHECK_CRASH',
          message: expect.stringMatching(new RegExp(`planted in ${phase} \\(at .*operation-runner\\.test\\.ts:\\d+:\\d+\\)?\\)$`)),
        },
      ]);
      // Three documented answers, but a check that threw in observe is not shown the other two.
      expect(calls).toStrictEqual(wantCalls);
      expect([outcome('bystander').status, concluded, seen.bystander]).toStrictEqual([
        'passed',
        true,
        ['baseline:0', 'baseline:1', 'baseline:2'],
      ]);
    },
  );

  test('a harness error thrown by exercise is an error of the check, not a crash', async () => {
    const { client } = fakeClient();
    const driver = fakeCheck(
      'driver',
      {},
      {
        exercise: async () => {
          throw new UsageError('refusing to send credentials to https://elsewhere.example');
        },
      },
    );
    const { outcome } = await run([driver], client);
    expect(outcome('driver')).toMatchObject({
      status: 'error',
      errors: [{ probe: '(exercise)', code: 'CT_ERR_USAGE', message: 'refusing to send credentials to https://elsewhere.example' }],
    });
  });
});

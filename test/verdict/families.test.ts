/**
 * The families of false findings, each reproduced by a small hand-made target: the bundled mock
 * behind a proxy that behaves as the documentation allows in one way the mock does not (or
 * breaks it in one precise way). Each test names what the engine reported before the change.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CheckOutcome } from '../../src/checks/types.js';
import { outcomesOfResult, type RunResult } from '../../src/engine/result.js';
import { runEngine } from '../../src/engine/run.js';
import { expectsSignatureVerification, type TargetDescription } from '../../src/engine/target.js';
import { startMock, type MockHandle } from '../../src/mock/server.js';
import { generateSigningKey } from '../../src/signing/index.js';
import { runMain } from '../helpers/cli.js';
import { problem, startRewritingProxy, type Rewrite } from '../helpers/rewriting-proxy.js';
import { mockTarget, verifierOf } from '../helpers/targets.js';

const key = generateSigningKey('ed25519', 'verdict-test');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let mock: MockHandle;

beforeAll(async () => {
  mock = await startMock({ valuationDays: 40, signatureKeys: verifierOf(key) });
});
afterAll(async () => mock.close());

/** Run the engine against the mock behind `rewrite`. */
async function runBehind(rewrite: Rewrite, options: Partial<TargetDescription> = {}, target = mock): Promise<RunResult> {
  const proxy = await startRewritingProxy(target.url, rewrite);
  try {
    return await runEngine({ ...mockTarget(target, { key }), ...options, baseUrl: proxy.url });
  } finally {
    await proxy.close();
  }
}

function outcome(result: RunResult, operationId: string, check: string): CheckOutcome {
  const op = result.operations.find((o) => o.operationId === operationId)!;
  return op.checks.find((c) => c.check === check)!;
}

const isApi = (path: string) => !path.startsWith('/auth/') && !path.startsWith('/__mock');
const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

describe('1. a refusal is a refusal', () => {
  // Before: a request without a signature expected 401, without upvest-client-id 400/401/403 only as documented;
  // a target that refuses every request missing a required header with 403 failed auth three times.
  test('a target that refuses every request missing a required header with 403 passes auth', async () => {
    const result = await runBehind(
      (req) => {
        if (!isApi(req.path)) return undefined;
        const missing = !req.headers.signature || !req.headers['upvest-client-id'] || !req.headers.authorization;
        return missing ? problem(403, 'forbidden') : undefined;
      },
      { only: ['auth', 'listAccountValuations', 'retrievePortfolioRebalancingExecution'] },
    );
    for (const id of ['listAccountValuations', 'retrievePortfolioRebalancingExecution']) {
      const auth = outcome(result, id, 'auth');
      expect(auth.status, JSON.stringify(auth.failures)).toBe('passed');
      expect(auth.warnings).toEqual([]);
    }
  });
});

describe('2. input validation judges refusal; status-code judges documentation', () => {
  // Before: on the retrieve operation (no 400 documented) a malformed id or header expected 401, 403 or 404:
  // a target answering 400 failed input-validation once per case, and status-code again.
  test('a 400 where the operation documents none passes input-validation; status-code reports the 400 once', async () => {
    const result = await runBehind(
      (req) => {
        const id = /^\/portfolios\/rebalancings\/executions\/([^/]+)$/.exec(req.path)?.[1];
        if (!id) return undefined;
        const malformed = !UUID.test(decodeURIComponent(id)) || (req.headers['upvest-api-version'] ?? '1') !== '1';
        return malformed ? problem(400, 'bad_request') : undefined;
      },
      { only: ['retrievePortfolioRebalancingExecution'] },
    );
    expect(outcome(result, 'retrievePortfolioRebalancingExecution', 'input-validation').status).toBe('passed');
    const status = outcome(result, 'retrievePortfolioRebalancingExecution', 'status-code');
    expect(status.failures).toHaveLength(1);
    expect(status.failures[0]).toMatchObject({ received: '400', basis: { kind: 'documented' } });
    expect(status.failures[0].occurrences).toBeGreaterThan(1);
  });
});

describe('3. negative probes are judged by their owner only', () => {
  // Before: pagination-meta judged every list response, input-validation's broken limits included, and reported
  // "meta.limit does not echo the request" for limit=abc and limit=1001, besides input-validation's own failure.
  test('a target that ignores a broken limit fails input-validation only; pagination-meta is not judged on it', async () => {
    const result = await runBehind(
      async (req, upstream) => {
        const limit = req.query.get('limit');
        if (!/\/valuations$/.test(req.path) || limit === null) return undefined;
        const page = await upstream();
        if (page.status !== 400) return page;
        // The mock refuses the broken limit; this target serves an empty default page instead.
        const meta = { offset: 0, limit: 100, count: 0, total_count: 0, sort: 'valuation_time', order: 'ASC' };
        const headers = { 'content-type': 'application/json', 'upvest-request-id': crypto.randomUUID() };
        return { status: 200, headers, body: JSON.stringify({ meta, data: [] }) };
      },
      { only: ['listAccountValuations', 'input-validation', 'pagination-meta'] },
    );
    expect(outcome(result, 'listAccountValuations', 'input-validation').status).toBe('failed');
    const meta = outcome(result, 'listAccountValuations', 'pagination-meta');
    expect(meta.status, JSON.stringify(meta.failures.map((f) => f.message))).toBe('passed');
    expect(meta.warnings).toEqual([]);
  });
});

describe('4. a check whose premise is missing abstains', () => {
  // Before: without ids every item was "undefined": the walk reported one distinct id and duplicates on every
  // page, and pagination-meta "an id repeats within one page".
  test('list items without id: response-schema fails; traversal and repeated ids abstain and say why', async () => {
    const result = await runBehind(
      async (req, upstream) => {
        if (!/\/valuations$/.test(req.path)) return undefined;
        const page = await upstream();
        if (page.status !== 200) return page;
        const body = json(page.body) as { data: Record<string, unknown>[] };
        for (const item of body.data) delete item.id;
        return { ...page, body: JSON.stringify(body) };
      },
      { only: ['listAccountValuations', 'response-schema', 'pagination-traversal', 'pagination-meta'] },
    );
    expect(outcome(result, 'listAccountValuations', 'response-schema').status).toBe('failed');
    const walk = outcome(result, 'listAccountValuations', 'pagination-traversal');
    expect(walk.status).toBe('skipped');
    expect(walk.skipReason).toMatch(/carries no id at \/id.*response-schema/);
    const meta = outcome(result, 'listAccountValuations', 'pagination-meta');
    expect(meta.status).toBe('passed');
    expect(meta.stats.notJudged).toMatch(/repeated ids: .*no id/);
  });
});

describe('5. compare like with like', () => {
  // Before: date-filter compared the filtered total_count with the unfiltered items in the range: a target whose
  // filter is right but whose total_count is not was reported as a wrong filter.
  test('a right filter with a wrong total_count: date-filter passes; pagination-meta says what is wrong', async () => {
    const result = await runBehind(
      async (req, upstream) => {
        if (!/\/valuations$/.test(req.path) || !(req.query.has('start_date') || req.query.has('end_date'))) return undefined;
        const page = await upstream();
        if (page.status !== 200) return page;
        const body = json(page.body) as { meta: Record<string, number> };
        body.meta.total_count = 40; // the unfiltered total
        return { ...page, body: JSON.stringify(body) };
      },
      { only: ['listAccountValuations', 'date-filter', 'pagination-meta'] },
    );
    expect(outcome(result, 'listAccountValuations', 'date-filter').status).toBe('passed');
    const meta = outcome(result, 'listAccountValuations', 'pagination-meta');
    expect(meta.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/where 40 were due/));
  });

  test('a total_count smaller than what a page holds fails pagination-meta', async () => {
    const result = await runBehind(
      async (req, upstream) => {
        if (!/\/valuations$/.test(req.path)) return undefined;
        const page = await upstream();
        if (page.status !== 200) return page;
        const body = json(page.body) as { meta: Record<string, number>; data: unknown[] };
        body.meta.total_count = Math.max(0, body.meta.offset + body.data.length - 1);
        return { ...page, body: JSON.stringify(body) };
      },
      { only: ['listAccountValuations', 'pagination-meta'] },
    );
    const meta = outcome(result, 'listAccountValuations', 'pagination-meta');
    expect(meta.failures.map((f) => f.pointer)).toContain('/meta/total_count');
  });
});

describe('6. one cause, one finding', () => {
  // Before: a 404 without upvest-request-id was reported by response-headers and again by error-shape
  // ("the problem's request_id differs from the upvest-request-id header": absent).
  test('a missing upvest-request-id is a response-headers failure only', async () => {
    const result = await runBehind(
      async (req, upstream) => {
        if (!isApi(req.path)) return undefined;
        const answer = await upstream();
        if (answer.status !== 404) return answer;
        const { 'upvest-request-id': _dropped, ...headers } = answer.headers;
        return { ...answer, headers };
      },
      { only: ['retrievePortfolioRebalancingExecution', 'not-found', 'response-headers', 'error-shape'] },
    );
    expect(outcome(result, 'retrievePortfolioRebalancingExecution', 'response-headers').status).toBe('failed');
    const shape = outcome(result, 'retrievePortfolioRebalancingExecution', 'error-shape');
    expect([...shape.failures, ...shape.warnings]).toEqual([]);
  });
});

describe('7. conventions of idempotency and signatures', () => {
  // Before: a reused key with another body accepted failed idempotency, and a forged signature accepted failed auth,
  // against any target.
  test('a reused key with another body accepted is a warning; replaying the same request is still required', async () => {
    const seen = new Map<string, string>();
    const result = await runBehind(
      async (req, upstream) => {
        if (req.method !== 'POST' || req.path !== '/portfolios/rebalancings/executions') return undefined;
        const key = String(req.headers['idempotency-key']);
        const body = req.body.toString('utf8');
        const earlier = seen.get(key);
        seen.set(key, body);
        if (earlier === undefined || earlier === body) return upstream();
        // Another body under the same key: this target treats it as a new request.
        return {
          status: 200,
          headers: { 'content-type': 'application/json', 'upvest-request-id': crypto.randomUUID() },
          body: JSON.stringify({ id: crypto.randomUUID() }),
        };
      },
      { only: ['triggerPortfolioRebalancing', 'idempotency'] },
    );
    const idem = outcome(result, 'triggerPortfolioRebalancing', 'idempotency');
    expect(idem.status).toBe('passed');
    expect(idem.warnings).toMatchObject([{ message: 'key K reused with a different body was accepted', basis: { kind: 'convention' } }]);
  });

  test('a forged signature accepted: a warning, unless the run expects verification (an error)', async () => {
    const lax = await startMock({ valuationDays: 20 }); // requires signature headers, verifies nothing
    try {
      const only = ['getCurrentAccountValuation', 'auth'];
      const warned = await runEngine(mockTarget(lax, { key, only }));
      const auth = outcome(warned, 'getCurrentAccountValuation', 'auth');
      expect(auth.status).toBe('passed');
      // It only looks for the headers: a forged signature and a malformed signature-input pass.
      expect(auth.warnings.map((w) => w.message)).toEqual([
        'a signature that does not verify: answered 200',
        'the signature-input header malformed alone: answered 200',
      ]);
      const strict = await runEngine(mockTarget(lax, { key, only, expectSignatureVerification: true }));
      expect(outcome(strict, 'getCurrentAccountValuation', 'auth').failures.map((f) => f.message)).toEqual([
        'a signature that does not verify: answered 200',
        'the signature-input header malformed alone: answered 200',
      ]);
    } finally {
      await lax.close();
    }
  });

  test('verification is expected by default of Upvest hosts only', () => {
    expect(expectsSignatureVerification({ baseUrl: 'https://sandbox.upvest.co' })).toBe(true);
    expect(expectsSignatureVerification({ baseUrl: 'https://api.upvest.co' })).toBe(true);
    expect(expectsSignatureVerification({ baseUrl: 'https://upvest.co.example.com' })).toBe(false);
    expect(expectsSignatureVerification({ baseUrl: 'http://127.0.0.1:4010' })).toBe(false);
    expect(expectsSignatureVerification({ baseUrl: 'https://sandbox.upvest.co', expectSignatureVerification: false })).toBe(false);
  });
});

describe("the tool's own problems are never the target's", () => {
  // Before: an unsigned run against a target that requires signatures reported every check as failed (exit 1).
  test('an unsigned run against a target that verifies: exit 2, one line with the cause and the fix, nothing failed', async () => {
    const { code, stdout, stderr } = await runMain([
      'run',
      '--base-url',
      mock.url,
      '--client-id',
      mock.fixtures.clientId,
      '--client-secret',
      mock.fixtures.clientSecret,
      '--account-id',
      mock.fixtures.accounts[0].id,
      '--execution-id',
      mock.fixtures.executions[0].id,
      '--no-sign',
      '--reporter',
      'json',
      '--report-dir',
      `${process.env.TMPDIR ?? '/tmp'}/uc-verdict-${process.pid}`,
    ]);
    expect(code, stdout + stderr).toBe(2);
    expect(
      stderr.split('\n').filter((l) => l.startsWith('error ')),
      stderr,
    ).toEqual([expect.stringMatching(/^error CT_ERR_TARGET_REFUSES: the target refuses unsigned requests \(401 on (GET|POST) \//)]);
    expect(stderr).toContain('Set --signing-key / UPVEST_SIGNING_KEY');
    expect(stdout).toContain('0 failed');
  });

  test('a token without the scopes the operations need: exit 2 naming scopes, nothing failed', async () => {
    const result = await runBehind((req) => (isApi(req.path) ? problem(403, 'forbidden') : undefined));
    expect(result.exitCode).toBe(2);
    expect(result.stopped).toMatchObject({ code: 'CT_ERR_TARGET_REFUSES', message: expect.stringMatching(/with 403/) });
    expect(result.stopped?.hint).toMatch(/scopes/);
    expect(outcomesOfResult(result).every((o) => o.status === 'skipped')).toBe(true);
  });

  test('the same target state and options give the same plan and the same probes', async () => {
    const run = async () => {
      const fresh = await startMock({ valuationDays: 30, signatureKeys: verifierOf(key) });
      try {
        return await runEngine(mockTarget(fresh, { key, skip: ['idempotency', 'resource-availability'] }));
      } finally {
        await fresh.close();
      }
    };
    const [a, b] = [await run(), await run()];
    expect(a.run.planDigest).toBe(b.run.planDigest);
    expect(a.run.probeDigest).toBe(b.run.probeDigest);
    expect(a.totals.probes).toBe(b.totals.probes);
  });
});

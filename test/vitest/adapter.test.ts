/**
 * The vitest adapter end to end, as the README shows it: vitest run with examples/vitest (its
 * config and its one test file, importing `upvest-conformance/vitest`), against a mock with
 * faults; then `runConformance` against the same target. Both paths give the same outcome
 * per operation × check, because both are the engine.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Reporter, TestCase } from 'vitest/node';
import { startVitest } from 'vitest/node';
import { runConformance } from '../../src/conformance.js';
import { outcomesOfResult } from '../../src/engine/result.js';
import { AdjustableClock } from '../../src/mock/clock.js';
import { startMock, type MockHandle } from '../../src/mock/server.js';
import { generateSigningKey } from '../../src/signing/index.js';
import { verifierOf } from '../helpers/targets.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/vitest/', import.meta.url));
const key = generateSigningKey('ed25519', 'adapter-test');
const FAULTS = ['pagination-count-wrong', 'auth-wrong-scope-accepted'];

let mock: MockHandle;
let env: Record<string, string>;
beforeAll(async () => {
  // Real time the webhook check can move on, as the embedded mock's.
  mock = await startMock({ faults: FAULTS, valuationDays: 30, signatureKeys: verifierOf(key), clock: new AdjustableClock() });
  env = {
    UPVEST_BASE_URL: mock.url,
    UPVEST_CLIENT_ID: mock.fixtures.clientId,
    UPVEST_CLIENT_SECRET: mock.fixtures.clientSecret,
    UPVEST_SIGNING_KEY: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    UPVEST_SIGNING_KEY_ID: key.keyId,
    UPVEST_ACCOUNT_IDS: mock.fixtures.accounts.map((a) => a.id).join(','),
    UPVEST_EXECUTION_ID: mock.fixtures.executions[0].id,
    UPVEST_MOCK_CONTROL: 'true',
  };
});
afterAll(async () => mock.close());

/** Run vitest on the example, in this process; the state of every test by its title. */
async function runExample(): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  const collector: Reporter = {
    onTestCaseResult(testCase: TestCase) {
      states.set(testCase.name, testCase.result().state);
    },
  };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const previousExitCode = process.exitCode;
  try {
    const vitest = await startVitest('test', [], { root: EXAMPLE, watch: false, reporters: [collector] }, { server: { watch: null } });
    await vitest.close();
  } finally {
    process.env = saved;
    // The example's failing tests are the point; they must not fail this process.
    process.exitCode = previousExitCode;
  }
  return states;
}

describe('upvest-conformance/vitest', () => {
  let viaVitest: Map<string, string>;
  beforeAll(async () => {
    viaVitest = await runExample();
  }, 120_000);

  test('one test per operation × check, titled METHOD /path › check', () => {
    expect(viaVitest.size).toBeGreaterThan(70);
    expect([...viaVitest.keys()]).toContain('GET /accounts/{account_id}/valuations › pagination-meta');
    expect([...viaVitest.keys()]).toContain('webhooks › webhook-events');
  });

  test('the failing checks fail in vitest, with the same outcome as runConformance', async () => {
    const result = await runConformance({ env });
    const viaEngine = new Map(outcomesOfResult(result).map((o) => [`${o.operation} › ${o.check}`, o.status]));
    const asVitest = (status: string) => (status === 'passed' ? 'passed' : status === 'skipped' ? 'skipped' : 'failed');
    expect(new Set(viaVitest.keys())).toEqual(new Set(viaEngine.keys()));
    for (const [title, status] of viaEngine) expect(viaVitest.get(title), title).toBe(asVitest(status));
    const failed = [...viaVitest].filter(([, state]) => state === 'failed').map(([title]) => title.split(' › ')[1]);
    expect(new Set(failed)).toEqual(new Set(['pagination-meta', 'auth']));
  }, 120_000);
});

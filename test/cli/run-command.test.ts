import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunResult } from '../../src/engine/result.js';
import { CHECKS } from '../../src/checks/registry.js';
import { startMock, type MockHandle } from '../../src/mock/server.js';
import { generateSigningKey } from '../../src/signing/index.js';
import { manifest } from '../../src/spec/manifest.js';
import { runCli, runMain } from '../helpers/cli.js';

const dir = () => mkdtempSync(join(tmpdir(), 'uc-run-'));
const readReport = (reportDir: string) => JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunResult;

describe('upvest-conformance run on the bundled mock (the default)', () => {
  let report: RunResult;
  let stdout: string;
  let code: number | null;
  beforeAll(async () => {
    const reportDir = dir();
    ({ code, stdout } = await runCli(['run', '--report-dir', reportDir, '--reporter', 'json']));
    report = readReport(reportDir);
  }, 120_000);

  test('is conformant: exit 0, zero failures', () => {
    expect(code, stdout).toBe(0);
    expect(report.verdict).toBe('conformant');
    expect(report.totals.failures).toBe(0);
    expect(report.totals.errors).toBe(0);
    expect(report.totals.skipped).toBe(0);
    expect(stdout).toMatch(/CONFORMANT: \d+ passed, 0 failed/);
  });

  test('exercises every operation and every check', () => {
    expect(report.operations.map((o) => o.operation).sort()).toEqual(manifest.operations.map((o) => o.key).sort());
    const outcomes = [...report.operations.flatMap((o) => o.checks), ...(report.webhooks?.outcomes ?? [])];
    const ran = new Set(outcomes.filter((c) => c.status === 'passed').map((c) => c.check));
    expect([...ran].sort()).toEqual([...CHECKS.map((c) => c.name), 'webhook-events', 'side-effects'].sort());
    expect([...new Set(report.webhooks?.outcomes.map((o) => o.operation))]).toEqual(['webhooks']);
  });

  test('stays within the request bound of --depth quick: twice the 339 requests of a run before list-combinations', () => {
    expect(report.totals.probes).toBeLessThanOrEqual(678);
    // Each list operation sent its combinations; the count is in the report, per operation.
    const lists = report.operations.filter((o) => manifest.operations.find((m) => m.key === o.operation)?.pagination);
    expect(lists.length).toBeGreaterThan(0);
    for (const op of lists) {
      const stats = op.checks.find((c) => c.check === 'list-combinations')?.stats;
      expect(stats, op.operation).toMatchObject({ combinations: expect.any(Number), depth: 'quick' });
      expect(stats!.combinations as number).toBeGreaterThan(10);
    }
  });

  test('sees every documented status the mock produces without faults or a rate limit', () => {
    const seen = new Set(report.operations.flatMap((o) => Object.keys(o.statusesSeen).map(Number)));
    // 405 comes from other methods on the paths; 429 needs --rate-limit; 5xx need a fault.
    for (const status of [200, 400, 401, 403, 404, 406]) expect(seen).toContain(status);
    const retrieve = report.operations.find((o) => o.operationId === 'retrievePortfolioRebalancingExecution')!;
    expect(
      Object.keys(retrieve.statusesSeen)
        .map(Number)
        .every((s) => retrieve.documentedStatuses.includes(s)),
    ).toBe(true);
  });
});

describe('run against a target given by URL', () => {
  let faulty: MockHandle;
  let keyFile: string;
  const key = generateSigningKey('ed25519', 'test-key');
  const publicKey = { keyId: 'test-key', algorithm: key.algorithm, publicKey: createPublicKey(key.privateKey) };
  const args = (mock: MockHandle, reportDir: string) => [
    'run',
    '--base-url',
    mock.url,
    '--client-id',
    mock.fixtures.clientId,
    '--signing-key',
    keyFile,
    '--signing-key-id',
    'test-key',
    '--execution-id',
    mock.fixtures.executions[0].id,
    '--report-dir',
    reportDir,
    '--reporter',
    'json',
    ...mock.fixtures.accounts.flatMap((a) => ['--account-id', a.id]),
  ];
  const env = (mock: MockHandle) => ({ UPVEST_CLIENT_SECRET: mock.fixtures.clientSecret });
  beforeAll(async () => {
    keyFile = join(dir(), 'client.pem');
    writeFileSync(keyFile, key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    faulty = await startMock({
      faults: ['pagination-count-wrong', 'auth-wrong-scope-accepted'],
      signatureKeys: (id) => (id === 'test-key' ? publicKey : undefined),
    });
  });
  afterAll(async () => faulty.close());

  test.each(['6', '15'])(
    '--signature-version %s signs every request with that draft, the token request and the auth probes included',
    async (version) => {
      const versions = new Map<string, number>();
      const clean = await startMock({
        signatureKeys: (id) => (id === 'test-key' ? publicKey : undefined),
        observe: (r) => {
          const named = `${r.url.startsWith('/auth/token') ? 'token ' : ''}${r.headers['upvest-signature-version'] ?? 'none'}`;
          versions.set(named, (versions.get(named) ?? 0) + 1);
        },
      });
      try {
        const reportDir = dir();
        const { code, stdout } = await runCli([...args(clean, reportDir), '--only', 'auth', '--only', 'status-code'], {
          env: { ...env(clean), ...(version === '6' ? { UPVEST_SIGNATURE_VERSION: '6' } : {}) },
        });
        expect(code, stdout).toBe(0);
        const checks = readReport(reportDir)
          .operations.flatMap((o) => o.checks)
          .filter((c) => c.status !== 'skipped');
        expect(checks.filter((c) => c.check === 'auth').every((c) => c.status === 'passed' && c.probes > 0)).toBe(true);
        // Only the unsigned probes ('auth:unsigned') carry no version.
        expect([...versions.keys()].sort()).toEqual([`token ${version}`, version, 'none'].sort());
        expect(versions.get(version)).toBeGreaterThan(versions.get('none') ?? 0);
      } finally {
        await clean.close();
      }
    },
    120_000,
  );

  test('--signature-version 7 is a configuration error naming the setting', async () => {
    const { code, stderr } = await runCli([...args(faulty, dir()), '--signature-version', '7'], { env: env(faulty) });
    expect(code).toBe(2);
    expect(stderr).toMatch(/--signature-version: expected one of 15, 6, got "7"/);
  });

  test('violations: exit 1, failures rendered in the summary and stored as data', async () => {
    const reportDir = dir();
    const { code, stdout } = await runMain(args(faulty, reportDir), { env: env(faulty) });
    expect(code, stdout).toBe(1);
    expect(stdout).toContain('VIOLATIONS');
    expect(stdout).toMatch(/pagination-meta \(\d+\)/);
    expect(stdout).toContain('Received: ');
    expect(stdout).toContain('Reproduce: curl');
    const report = readReport(reportDir);
    const failed = report.operations.flatMap((o) => o.checks).filter((c) => c.status === 'failed');
    expect(new Set(failed.map((c) => c.check))).toEqual(new Set(['pagination-meta', 'auth']));
    const failure = failed.find((c) => c.check === 'pagination-meta')!.failures[0];
    expect(failure).toMatchObject({ check: 'pagination-meta', pointer: '/meta/count', severity: 'error' });
    expect(failure.curl).toContain('$UPVEST_ACCESS_TOKEN');
    // No secret leaves the run.
    const text = readFileSync(join(reportDir, 'report.json'), 'utf8') + stdout;
    expect(text).not.toContain(faulty.fixtures.clientSecret);
    expect(text).not.toContain('PRIVATE KEY');
  }, 120_000);

  test('--only and --skip select checks; the rest are skipped with the reason', async () => {
    const reportDir = dir();
    const { code } = await runMain([...args(faulty, reportDir), '--only', 'pagination-meta', '--skip', 'listAccountValuations'], {
      env: env(faulty),
    });
    expect(code).toBe(1);
    const report = readReport(reportDir);
    const ran = report.operations.flatMap((o) => o.checks).filter((c) => c.status !== 'skipped');
    expect(ran.map((c) => `${c.operation} ${c.check}`)).toEqual([
      'GET /portfolios/rebalancings/executions/{execution_id}/orders pagination-meta',
    ]);
    expect(report.operations.find((o) => o.operationId === 'listAccountValuations')?.skipReason).toBe('skipped with --skip');
  }, 120_000);

  test('--bail stops after the first failing operation; the rest are skipped with the reason', async () => {
    const reportDir = dir();
    const { code } = await runMain([...args(faulty, reportDir), '--bail'], { env: env(faulty) });
    expect(code).toBe(1);
    const [first, ...rest] = readReport(reportDir).operations.filter((o) => o.operation !== 'webhooks');
    expect(first.checks.find((c) => c.check === 'auth')?.status).toBe('failed');
    for (const op of rest)
      expect(
        op.checks.every((c) => c.status === 'skipped' && c.skipReason === 'not run: an earlier check failed and --bail is set'),
        op.operation,
      ).toBe(true);
  }, 120_000);

  test('a baseline lists known deviations: the gate passes, and stale entries are reported', async () => {
    const reportDir = dir();
    const baseline = join(dir(), 'baseline.json');
    writeFileSync(
      baseline,
      JSON.stringify({
        entries: [
          { check: 'pagination-meta', operation: '*', reason: 'known: count is off by one (ticket 123)' },
          { check: 'auth', operation: '*', reason: 'known: scopes not enforced yet' },
          { check: 'ordering', operation: '*', reason: 'fixed long ago' },
        ],
      }),
    );
    const { code, stdout } = await runMain([...args(faulty, reportDir), '--baseline', baseline], { env: env(faulty) });
    expect(code, stdout).toBe(0);
    const report = readReport(reportDir);
    expect(report.totals.baselined).toBeGreaterThan(0);
    expect(report.baseline?.stale).toEqual([{ check: 'ordering', operation: '*', reason: 'fixed long ago' }]);
    expect(stdout).toContain('listed deviation(s) no longer occur');
  }, 120_000);

  test("--update-baseline writes this run's failures, keeping reasons", async () => {
    const baseline = join(dir(), 'baseline.json');
    writeFileSync(baseline, JSON.stringify({ entries: [{ check: 'auth', operation: '*', reason: 'kept reason' }] }));
    const { code } = await runMain(
      [...args(faulty, dir()), '--baseline', baseline, '--update-baseline', '--only', 'auth', '--only', 'pagination-meta'],
      { env: env(faulty) },
    );
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(baseline, 'utf8')) as { entries: { check: string; reason: string }[] };
    expect(written.entries.find((e) => e.check === 'auth')?.reason).toBe('kept reason');
    expect(written.entries.some((e) => e.check === 'pagination-meta' && e.reason.startsWith('TODO'))).toBe(true);
  }, 120_000);

  test('--min-enum-coverage makes low coverage fail the gate', async () => {
    const clean = await startMock({ signatureKeys: (id) => (id === 'test-key' ? publicKey : undefined) });
    try {
      const reportDir = dir();
      const { code, stdout } = await runMain([...args(clean, reportDir), '--min-enum-coverage', '100', '--skip', 'webhooks'], {
        env: env(clean),
      });
      expect(code, stdout).toBe(1);
      expect(stdout).toMatch(/Gate min-enum-coverage: FAILED — \d+ of \d+ documented enum values observed/);
    } finally {
      await clean.close();
    }
  }, 120_000);
});

describe('run: usage, configuration and unusable targets exit 2 with one clear line', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    [
      'missing credentials',
      ['run', '--base-url', 'https://sandbox.upvest.co'],
      {},
      /^error CT_ERR_CONFIG_MISSING: --client-id is required/m,
    ],
    ['an unknown check', ['run', '--only', 'schema'], {}, /^error CT_ERR_USAGE: --only schema: no check or operation has this name/m],
    ['a bad flag value', ['run', '--concurrency', 'many'], {}, /CT_ERR_CONFIG_INVALID: --concurrency: expected a number/],
    ['a missing signing key file', ['run', '--signing-key', '/nope/key.pem', '--signing-key-id', 'k'], {}, /CT_ERR_SIGNING_KEY/],
  ];
  test.for(cases)('%s', { timeout: 60_000 }, async ([, argv, env, message]) => {
    const { code, stderr, stdout } = await runMain([...argv, '--report-dir', dir()], { env });
    expect(code, stdout + stderr).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  test('wrong client credentials', async () => {
    const mock = await startMock();
    try {
      const { code, stderr } = await runMain(
        ['run', '--base-url', mock.url, '--client-id', mock.fixtures.clientId, '--no-sign', '--report-dir', dir()],
        { env: { UPVEST_CLIENT_SECRET: 'not-the-secret' } },
      );
      expect(code).toBe(2);
      expect(stderr).toMatch(/CT_ERR_AUTH_TOKEN: POST \/auth\/token → 401/);
      expect(stderr).not.toContain('not-the-secret');
    } finally {
      await mock.close();
    }
  }, 60_000);
});

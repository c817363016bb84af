/**
 * Family 6, end to end: one operation whose responses cannot be read (headers overflow) costs
 * only that operation. Its checks say CT_ERR_HTTP_PROTOCOL as errors, never as violations; the
 * checks of the operations that never saw the faulty responses run and keep their results; the
 * reports are written and valid.
 */
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunResult } from '../../src/engine/result.js';
import { startMock, type MockHandle } from '../../src/mock/server.js';
import { generateSigningKey } from '../../src/signing/index.js';
import { runMain } from '../helpers/cli.js';
import { startHostileProxy } from '../helpers/hostile-proxy.js';
import { reportFigures, within } from './family-helpers.js';

reportFigures('transport-spread');

const key = generateSigningKey('ed25519', 'spread-test');
let mock: MockHandle;
let keyFile: string;
beforeAll(async () => {
  mock = await startMock({
    signatureKeys: (id) =>
      id === 'spread-test' ? { keyId: id, algorithm: key.algorithm, publicKey: createPublicKey(key.privateKey) } : undefined,
  });
  keyFile = join(mkdtempSync(join(tmpdir(), 'uc-13-spread-')), 'key.pem');
  writeFileSync(keyFile, key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
});
afterAll(async () => mock.close());

test('headers overflow on the valuations list: only that operation is affected', async () => {
  const faulty = (path: string) => /\/valuations$/.test(path.split('?')[0]);
  const proxy = await startHostileProxy(
    mock.url,
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-padding': 'a'.repeat(100_000) }).end('{}');
    },
    faulty,
  );
  const reportDir = mkdtempSync(join(tmpdir(), 'uc-13-spread-report-'));
  try {
    const result = await within('headers overflow on one operation', 120_000, () =>
      runMain(
        [
          'run',
          '--base-url',
          proxy.url,
          '--client-id',
          mock.fixtures.clientId,
          '--signing-key',
          keyFile,
          '--signing-key-id',
          'spread-test',
          '--execution-id',
          mock.fixtures.executions[0].id,
          '--account-id',
          mock.fixtures.accounts[0].id,
          '--timeout',
          '5',
          '--report-dir',
          reportDir,
          '--reporter',
          'json',
        ],
        { env: { UPVEST_CLIENT_SECRET: mock.fixtures.clientSecret } },
      ),
    );
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunResult;
    expect(report.stopped, result.stderr).toBeUndefined();
    const ops = report.operations;
    const broken = ops.find((op) => op.operation.endsWith('/valuations'));
    const others = ops.filter((op) => op !== broken && op.checks.some((c) => c.status !== 'skipped'));
    expect(broken).toBeDefined();
    const errors = broken!.checks.flatMap((c) => c.errors ?? []);
    expect(errors.some((e) => e.code === 'CT_ERR_HTTP_PROTOCOL')).toBe(true);
    // Never a violation: no failure anywhere names the transport error.
    for (const op of ops) for (const c of op.checks) for (const f of c.failures) expect(f.message).not.toContain('overflow');
    // The operations that never saw it kept their results.
    expect(others.length).toBeGreaterThan(2);
    for (const op of others) {
      expect(op.checks.filter((c) => c.status === 'passed').length, op.operation).toBeGreaterThan(0);
      for (const c of op.checks)
        for (const e of c.errors ?? []) expect(e.code, `${op.operation} ${c.check}: ${e.message}`).not.toBe('CT_ERR_HTTP_PROTOCOL');
    }
    expect([1, 2]).toContain(result.code);
  } finally {
    await proxy.close();
  }
});

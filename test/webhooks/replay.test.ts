import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunResult } from '../../src/engine/result.js';
import type { CheckOutcome } from '../../src/checks/types.js';
import { generateSigningKey } from '../../src/signing/index.js';
import { manifest } from '../../src/spec/manifest.js';
import { buildCorpus } from '../../src/webhooks/corpus.js';
import { replayToConsumer, type ReplayEvent } from '../../src/engine/webhook-consumer.js';
import { serveJwks } from '../../src/webhooks/jwks-server.js';
import { respelledDeliveries } from '../../src/webhooks/respell.js';
import { runMain } from '../helpers/cli.js';
import { startConsumer, type ConsumerFlaw } from '../helpers/consumer.js';

const key = generateSigningKey('ecdsa-p521-sha512', 'replay-test');
const events = buildCorpus().map((e) => e.event) as ReplayEvent[];
let jwks: Awaited<ReturnType<typeof serveJwks>>;
beforeAll(async () => {
  jwks = await serveJwks([key]);
});
afterAll(async () => jwks.close());

async function replay(flaw: ConsumerFlaw, options: { expectSignatureVerification?: boolean; mode?: 'bundled' | 'single' } = {}) {
  const consumer = await startConsumer(flaw, jwks.url);
  try {
    const outcomes = await replayToConsumer({
      to: consumer.url,
      events,
      mode: options.mode ?? 'bundled',
      maxBatch: 10,
      signingKey: key,
      expectSignatureVerification: options.expectSignatureVerification ?? true,
      timeoutMs: 5_000,
    });
    return { outcomes, handled: consumer.handled, byCheck: (name: string) => outcomes.find((o) => o.check === name) as CheckOutcome };
  } finally {
    await consumer.close();
  }
}

describe('replay against consumers', () => {
  test('a correct consumer passes every check, and handled every corpus event once', async () => {
    const { outcomes, handled } = await replay('none');
    expect(outcomes.map((o) => [o.check, o.status, o.failures.length, o.warnings.length])).toEqual([
      ['consumer-acknowledges', 'passed', 0, 0],
      ['consumer-idempotent', 'passed', 0, 0],
      ['consumer-verifies-signatures', 'passed', 0, 0],
      ['consumer-malformed-event', 'passed', 0, 0],
      ['consumer-unknown-type', 'passed', 0, 0],
      ['consumer-parses-spellings', 'passed', 0, 0],
    ]);
    // The corpus once, then its respelled copies (new ids): handled, not deduplicated.
    const respelled = respelledDeliveries(events).reduce((n, d) => n + d.events.length, 0);
    expect(respelled).toBeGreaterThan(0);
    expect(handled).toHaveLength(events.length + respelled);
    expect(new Set(handled)).toEqual(new Set(manifest.eventTypes.map((t) => t.type)));
  });

  test('single-event deliveries work too', async () => {
    const { byCheck } = await replay('none', { mode: 'single' });
    expect(byCheck('consumer-acknowledges').stats).toMatchObject({ deliveries: events.length, acknowledged: events.length });
  });

  test('a consumer that answers 500 fails acknowledgement, with the status received', async () => {
    const { byCheck } = await replay('always-500');
    const ack = byCheck('consumer-acknowledges');
    expect(ack.status).toBe('failed');
    expect(ack.failures[0]).toMatchObject({ received: expect.stringMatching(/^500/), expected: '200' });
    expect(ack.failures[0].message).toContain('hold back every later event');
  });

  test('a consumer that ignores signatures fails when verification is expected, warns otherwise', async () => {
    const strict = (await replay('ignores-signatures')).byCheck('consumer-verifies-signatures');
    expect(strict.status).toBe('failed');
    expect(strict.failures.map((f) => f.message)).toEqual([
      'a delivery without a signature was accepted',
      'a delivery with a forged signature was accepted',
      'a delivery signed an hour ago (expired) was accepted',
    ]);
    const lenient = (await replay('ignores-signatures', { expectSignatureVerification: false })).byCheck('consumer-verifies-signatures');
    expect(lenient.status).toBe('passed');
    expect(lenient.warnings).toHaveLength(3);
  });

  test('a consumer that is not idempotent fails the duplicate delivery', async () => {
    const idem = (await replay('not-idempotent')).byCheck('consumer-idempotent');
    expect(idem.status).toBe('failed');
    expect(idem.failures[0].received).toMatch(/^409/);
  });

  test('a consumer that refuses unknown event types is warned that it would block its stream', async () => {
    const unknown = (await replay('rejects-unknown-types')).byCheck('consumer-unknown-type');
    expect(unknown.warnings[0].message).toMatch(/answered 422: once Upvest adds a type, this consumer blocks its stream/);
    expect(unknown.stats.observedStatus).toBe(422);
  });

  test('a consumer that parses date-times too narrowly fails only on the spellings it refuses', async () => {
    const spellings = (await replay('date-time-needs-z')).byCheck('consumer-parses-spellings');
    expect(spellings.status).toBe('failed');
    expect(spellings.failures.map((f) => f.message)).toEqual([
      expect.stringMatching(/^events with every date-time spelled as date-time with the offset \+00:00 instead of Z were answered 400$/),
    ]);
    // Lower-case t and z: RFC 3339 allows them, ISO 8601 does not; a warning, never a failure.
    expect(spellings.warnings.map((f) => f.message)).toEqual([expect.stringMatching(/lower-case t and z .* were answered 400$/)]);
    expect(spellings.warnings[0].basis?.kind).toBe('convention');
    expect(spellings.failures[0].basis).toMatchObject({ kind: 'documented', pointer: '#/components/schemas/DateTime' });
    expect(spellings.stats.spellings).toMatchObject({ 'date-time-milliseconds': ['200', '200'], 'date-time-offset': ['400', '400'] });
  });

  test('a consumer that stores decimals at scale 18 fails the 27-digit spelling, and only that one', async () => {
    const spellings = (await replay('decimal-scale-18')).byCheck('consumer-parses-spellings');
    expect(spellings.failures.map((f) => f.message)).toEqual([expect.stringMatching(/spelled as decimal with the 27 fraction digits/)]);
    expect(spellings.warnings).toEqual([]);
  });

  test('an unreachable consumer is an error, not a pass', async () => {
    const outcomes = await replayToConsumer({
      to: 'http://127.0.0.1:9/hooks',
      events: events.slice(0, 3),
      mode: 'bundled',
      signingKey: key,
      expectSignatureVerification: true,
      timeoutMs: 2_000,
    });
    expect(outcomes[0].status).toBe('error');
    expect(outcomes[0].errors[0].message).toMatch(/ECONNREFUSED/);
  });
});

describe('upvest-conformance replay (the command, through the same reports)', () => {
  test('exit 1 against a consumer that is not idempotent; the report names the consumer check', async () => {
    const consumer = await startConsumer('not-idempotent');
    try {
      const reportDir = mkdtempSync(join(tmpdir(), 'uc-replay-'));
      const { code, stdout } = await runMain(['replay', '--to', consumer.url, '--report-dir', reportDir, '--reporter', 'json']);
      expect(code, stdout).toBe(1);
      expect(stdout).toContain('Public keys for the consumer (JWKS, as /auth/verify_keys): http://127.0.0.1:');
      const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as RunResult;
      const checks = report.webhooks!.outcomes;
      expect(report.operations).toEqual([]);
      expect(new Set(checks.map((c) => c.operation))).toEqual(new Set([`consumer ${consumer.url}`]));
      expect(checks.find((c) => c.check === 'consumer-idempotent')?.status).toBe('failed');
      expect(checks.find((c) => c.check === 'consumer-acknowledges')?.status).toBe('passed');
    } finally {
      await consumer.close();
    }
  }, 60_000);

  test('an unknown --type is a usage error', async () => {
    const { code, stderr } = await runMain(['replay', '--to', 'http://127.0.0.1:9/x', '--type', 'ACCOUNT.DELETED']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown event type ACCOUNT.DELETED');
  }, 30_000);
});

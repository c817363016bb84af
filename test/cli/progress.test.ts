/**
 * Progress from the engine's events: a live line on a terminal (redrawn when it changes, a
 * retry wait counting down, cleared for the summary), plain lines every few seconds in a log,
 * nothing at all with --quiet. Time is a hand-moved clock: no assertion depends on speed.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CheckOutcome } from '../../src/checks/types.js';
import type { RunEvent } from '../../src/engine/events.js';
import type { OperationResult, RunResult } from '../../src/engine/result.js';
import { main } from '../../src/cli/main.js';
import { runConformance } from '../../src/conformance.js';
import { RunProgress, type ProgressClock, type ProgressStream } from '../../src/cli/progress.js';
import { replayConformance, type ReplayEvent } from '../../src/engine/webhook-consumer.js';
import { buildCorpus } from '../../src/webhooks/corpus.js';
import { startMock } from '../../src/mock/server.js';
import { generateSigningKey } from '../../src/signing/index.js';
import { runCli } from '../helpers/cli.js';

/** A clock whose intervals fire only when the test moves time. */
class ManualClock implements ProgressClock {
  time = 1_000_000;
  private readonly timers = new Map<number, { callback: () => void; every: number; next: number }>();
  private ids = 0;
  now = () => this.time;
  setInterval = (callback: () => void, every: number) => {
    this.timers.set(++this.ids, { callback, every, next: this.time + every });
    return this.ids;
  };
  clearInterval = (handle: unknown) => {
    this.timers.delete(handle as number);
  };
  get pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.values()].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.time = due.next;
      due.next += due.every;
      due.callback();
    }
    this.time = end;
  }
}

function stream(isTTY: boolean): ProgressStream & { writes: string[] } {
  const writes: string[] = [];
  return { isTTY, columns: 200, writes, write: (text: string) => writes.push(text) };
}

const GROUPS = [
  { name: 'POST /x', operationId: 'createX', checks: ['status-code'] },
  { name: 'GET /x', operationId: 'listX', checks: ['status-code'] },
  { name: 'GET /y', operationId: 'getY', checks: ['status-code'], skip: 'not selected' },
  { name: 'webhooks', operationId: 'webhooks', checks: ['webhook-events'] },
];
const started: RunEvent = {
  type: 'run-started',
  startedAt: new Date(0).toISOString(),
  baseUrl: 'http://t',
  groups: GROUPS,
  planDigest: 'd',
};
const sent = (url = 'http://t/x'): RunEvent => ({ type: 'request-sent', method: 'GET', url });
const checked = (operation: string, status: CheckOutcome['status']): RunEvent => ({
  type: 'check-finished',
  outcome: { check: 'status-code', operation, status } as CheckOutcome,
});
const operationDone = (operation: string): RunEvent => ({ type: 'operation-finished', operation: { operation } as OperationResult });
const finished: RunEvent = { type: 'run-finished', result: {} as RunResult };

describe('on a terminal: one live line', () => {
  test('counts operations done of those that run, requests sent and failures so far', () => {
    const clock = new ManualClock();
    const out = stream(true);
    const progress = new RunProgress(out, { clock, refreshMs: 200 });
    progress.handler(started);
    expect(out.writes).toEqual(['\r\x1b[2Kupvest-conformance: 0/3 operations · 0 requests · 0 failed · 0 s']);
    for (let i = 0; i < 7; i++) progress.handler(sent());
    progress.handler(checked('POST /x', 'failed'));
    progress.handler(checked('POST /x', 'error'));
    progress.handler(operationDone('POST /x'));
    // The skipped operation's not-run result does not count as done.
    progress.handler(operationDone('GET /y'));
    clock.advance(200);
    expect(out.writes.at(-1)).toBe('\r\x1b[2Kupvest-conformance: 1/3 operations · 7 requests · 1 failed · 1 errored · 0 s');
    progress.handler(operationDone('GET /x'));
    progress.handler(checked('webhooks', 'passed'));
    clock.advance(200);
    expect(out.writes.at(-1)).toContain('3/3 operations');
  });

  test('redraws only what changed; a retry wait counts down its seconds, then goes', () => {
    const clock = new ManualClock();
    const out = stream(true);
    const progress = new RunProgress(out, { clock, refreshMs: 200 });
    progress.handler(started);
    clock.advance(400);
    expect(out.writes).toHaveLength(1);
    progress.handler({ type: 'retry-wait', url: 'http://t/x?limit=2', waitMs: 3_000 });
    clock.advance(200);
    expect(out.writes.at(-1)).toContain('retry in 3 s (http://t/x?limit=2)');
    clock.advance(1_000);
    expect(out.writes.at(-1)).toContain('retry in 2 s');
    clock.advance(1_000);
    expect(out.writes.at(-1)).toContain('retry in 1 s');
    clock.advance(1_000);
    progress.handler(sent());
    clock.advance(200);
    expect(out.writes.at(-1)).not.toContain('retry in');
    expect(out.writes.at(-1)).toContain('1 requests');
  });

  test('a line wider than the terminal is cut to it', () => {
    const clock = new ManualClock();
    const out = { ...stream(true), columns: 30 };
    new RunProgress(out, { clock }).handler(started);
    const line = (out.writes[0] as string).replace('\r\x1b[2K', '');
    expect(line.length).toBeLessThanOrEqual(29);
    expect(line.endsWith('…')).toBe(true);
  });

  test('the end of the run clears the line and stops the timer, so the summary starts on a clean line', () => {
    const clock = new ManualClock();
    const out = stream(true);
    const progress = new RunProgress(out, { clock });
    progress.handler(started);
    progress.handler(finished);
    expect(out.writes.at(-1)).toBe('\r\x1b[2K');
    expect(clock.pending).toBe(0);
    progress.stop();
    expect(out.writes.at(-1)).toBe('\r\x1b[2K');
    expect(out.writes).toHaveLength(2);
  });
});

describe('in a log (not a terminal): plain lines every few seconds', () => {
  test('a short run prints nothing; a long one a line per interval, with no terminal control codes', () => {
    const clock = new ManualClock();
    const out = stream(false);
    const progress = new RunProgress(out, { clock, logEveryMs: 5_000 });
    progress.handler(started);
    progress.handler(sent());
    clock.advance(4_999);
    expect(out.writes).toEqual([]);
    clock.advance(1);
    expect(out.writes).toEqual(['progress: 0/3 operations · 1 requests · 0 failed · 5 s\n']);
    progress.handler(operationDone('POST /x'));
    clock.advance(5_000);
    expect(out.writes.at(-1)).toBe('progress: 1/3 operations · 1 requests · 0 failed · 10 s\n');
    progress.handler(finished);
    clock.advance(20_000);
    expect(out.writes).toHaveLength(2);
    expect(out.writes.join('')).not.toContain('\x1b');
  });

  test('a wait longer than the interval gets its own line at once; a short one shows in the next line', () => {
    const clock = new ManualClock();
    const out = stream(false);
    const progress = new RunProgress(out, { clock, logEveryMs: 5_000 });
    progress.handler(started);
    progress.handler({ type: 'retry-wait', url: 'http://t/a', waitMs: 1_000 });
    expect(out.writes).toEqual([]);
    progress.handler({ type: 'retry-wait', url: 'http://t/b', waitMs: 12_500 });
    expect(out.writes).toEqual(['progress: waiting 13 s to retry http://t/b\n']);
    clock.advance(5_000);
    expect(out.writes.at(-1)).toContain('retry in 8 s (http://t/b)');
  });
});

describe('the engine tells what progress needs', () => {
  const key = generateSigningKey('ed25519', 'progress-test');
  const pem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  test('every request as sent (retries included) and every wait the target asked for with 429 and Retry-After', async () => {
    // Past 1 request a second the mock answers 429 with Retry-After.
    const mock = await startMock({ rateLimit: 1, valuationDays: 3 });
    const events: RunEvent[] = [];
    const tapped: string[] = [];
    try {
      const result = await runConformance({
        env: {},
        settings: {
          baseUrl: mock.url,
          clientId: mock.fixtures.clientId,
          clientSecret: mock.fixtures.clientSecret,
          signingKey: pem,
          signingKeyId: key.keyId,
          accountIds: [mock.fixtures.accounts[0].id],
          executionId: mock.fixtures.executions[0].id,
          only: ['GET /portfolios/rebalancings/executions/{execution_id}', 'status-code'],
        },
        // The transport's own record of what it sent: what the events must agree with.
        engine: { transport: { tap: (request) => tapped.push(`${request.method} ${request.url}`) } },
        handlers: [(event) => events.push(event)],
      });
      expect(result.verdict).toBe('conformant');
      const requests = events.filter((e) => e.type === 'request-sent').map((e) => `${e.method} ${e.url}`);
      expect(requests).toEqual(tapped);
      expect(requests.length).toBeGreaterThan(result.totals.probes);
      const waits = events.filter((e) => e.type === 'retry-wait');
      expect(waits.length).toBeGreaterThan(0);
      for (const wait of waits) {
        expect(tapped.some((line) => line.endsWith(` ${wait.url}`))).toBe(true);
        expect(wait.waitMs).toBeGreaterThan(0);
      }
      // Every wait comes before the run ends, between run-started and run-finished.
      expect(events[0].type).toBe('run-started');
      expect(events.at(-1)?.type).toBe('run-finished');
    } finally {
      await mock.close();
    }
  });
});

describe('a run that only waits', () => {
  test('still finishes in its own process: a Retry-After wait keeps Node alive (it exited with 13, no report)', async () => {
    const key = generateSigningKey('ed25519', 'waiting-test');
    const mock = await startMock({ rateLimit: 1, valuationDays: 3 });
    try {
      const { code, stdout, stderr } = await runCli(
        [
          'run',
          '--base-url',
          mock.url,
          '--client-id',
          mock.fixtures.clientId,
          '--client-secret',
          mock.fixtures.clientSecret,
          '--signing-key-id',
          key.keyId,
          '--execution-id',
          mock.fixtures.executions[0].id,
          '--only',
          'GET /portfolios/rebalancings/executions/{execution_id}',
          '--only',
          'status-code',
          '--concurrency',
          '1',
          '--reporter',
          'json',
          '--report-dir',
          mkdtempSync(join(tmpdir(), 'uc-waiting-')),
        ],
        { env: { UPVEST_SIGNING_KEY: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, timeoutMs: 60_000 },
      );
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      expect(stdout).toContain('CONFORMANT');
    } finally {
      await mock.close();
    }
  });
});

describe('through the command', () => {
  const key = generateSigningKey('ed25519', 'progress-cli-test');

  async function runAgainstMock(args: string[], progress: ProgressStream) {
    const mock = await startMock({ valuationDays: 3 });
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await main(
        [
          'run',
          '--base-url',
          mock.url,
          '--client-id',
          mock.fixtures.clientId,
          '--client-secret',
          mock.fixtures.clientSecret,
          '--signing-key',
          key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          '--signing-key-id',
          key.keyId,
          '--account-id',
          mock.fixtures.accounts[0].id,
          '--execution-id',
          mock.fixtures.executions[0].id,
          '--only',
          'GET /portfolios/rebalancings/executions/{execution_id}',
          '--reporter',
          'json,md',
          '--report-dir',
          mkdtempSync(join(tmpdir(), 'uc-progress-')),
          ...args,
        ],
        { out: (line) => out.push(line), err: (line) => err.push(line) },
        undefined,
        progress,
      );
      return { code, out, err };
    } finally {
      await mock.close();
    }
  }

  test('on a terminal the line is drawn, then cleared before the summary; the verdict comes before the "wrote" lines', async () => {
    const order: string[] = [];
    const tty = { isTTY: true, columns: 120, write: (text: string) => order.push(`progress:${text}`) };
    const { code, out } = await runAgainstMock([], tty);
    expect(code, out.join('\n')).toBe(0);
    expect(order[0]).toMatch(/^progress:\r\x1b\[2Kupvest-conformance: 0\/1 operations/);
    expect(order.at(-1)).toBe('progress:\r\x1b[2K');
    const text = out.join('\n');
    expect(text.indexOf('upvest-conformance 0.')).toBe(0);
    expect(text.indexOf('CONFORMANT')).toBeGreaterThan(0);
    expect(text.indexOf('\nwrote ')).toBeGreaterThan(text.indexOf('CONFORMANT'));
  });

  test('--quiet: not a byte of progress', async () => {
    const seen: string[] = [];
    const tty = { isTTY: true, columns: 120, write: (text: string) => seen.push(text) };
    const { code } = await runAgainstMock(['--quiet'], tty);
    expect(code).toBe(0);
    expect(seen).toEqual([]);
  });

  test('--quiet is documented in run --help', async () => {
    const out: string[] = [];
    await main(['run', '--help'], { out: (line) => out.push(line), err: () => undefined });
    expect(out.join('\n')).toMatch(/--quiet\s+No progress on stderr/);
  });
});

describe('through replay', () => {
  /** A consumer that takes every delivery: how it is judged does not matter here, only what replay tells meanwhile. */
  async function withConsumer<T>(use: (url: string) => Promise<T>): Promise<T> {
    const server = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  const replayTo = (args: string[], progress: ProgressStream) =>
    withConsumer(async (url) => {
      const out: string[] = [];
      const reportDir = mkdtempSync(join(tmpdir(), 'uc-rp-'));
      const code = await main(
        ['replay', '--to', url, '--no-sign', '--reporter', 'json', '--report-dir', reportDir, ...args],
        { out: (line) => out.push(line), err: () => undefined },
        undefined,
        progress,
      );
      return { code, out };
    });

  test('on a terminal a live line is drawn, and cleared before the summary', async () => {
    const writes: string[] = [];
    const { code, out } = await replayTo([], { isTTY: true, columns: 160, write: (text: string) => writes.push(text) });
    expect(code, out.join('\n')).not.toBe(2);
    expect(writes[0]).toMatch(/^\r\x1b\[2Kupvest-conformance: 0\/1 operations · 0 requests/);
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });

  // The line is redrawn on a 200 ms tick, which a replay this short may end before: what it counts is checked on the events.
  test('every delivery is told as a request sent, to the consumer', async () => {
    const events: RunEvent[] = [];
    await withConsumer((url) =>
      replayConformance({
        handlers: [(event) => events.push(event)],
        to: url,
        events: buildCorpus().map((e) => e.event) as ReplayEvent[],
        mode: 'bundled',
        signing: false,
        expectSignatureVerification: false,
        timeoutMs: 5000,
      }),
    );
    const sent = events.filter((e) => e.type === 'request-sent');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((e) => e.type === 'request-sent' && e.method === 'POST' && e.url.endsWith('/hooks'))).toBe(true);
  });

  test('--quiet: not a byte of progress; --quiet is documented in replay --help', async () => {
    const seen: string[] = [];
    await replayTo(['--quiet'], { isTTY: true, columns: 160, write: (text: string) => seen.push(text) });
    expect(seen).toEqual([]);
    const out: string[] = [];
    await main(['replay', '--help'], { out: (line) => out.push(line), err: () => undefined });
    expect(out.join('\n')).toMatch(/--quiet\s+No progress on stderr/);
  });
});

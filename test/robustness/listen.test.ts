/**
 * Family 3: listen never dies from what a client sends (an abort mid-body, a body nested
 * 100,000 deep, garbage that is not HTTP, a delivery the cassette cannot take): each is
 * answered or dropped and logged, and the next delivery is still answered. Options that cannot
 * work are usage errors before the port opens.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runMain } from '../helpers/cli.js';
import { reportFigures, within } from './family-helpers.js';

reportFigures('listen');

const dir = mkdtempSync(join(tmpdir(), 'uc-13-listen-'));

describe('options are judged before the port opens', () => {
  test.for([
    ['a cassette that is a folder', () => ['--cassette', dir], 'is a folder'],
    ['a cassette in a missing folder', () => ['--cassette', join(dir, 'missing', 'c.ndjson')], 'does not exist'],
    ['--reject-unverified without keys', () => ['--reject-unverified'], '--reject-unverified needs keys'],
  ] as const)('%s: usage error, exit 2', async ([, args, problem]) => {
    const result = await within(`listen ${problem}`, 10_000, () => runMain(['listen', '--port', '0', ...args()]));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CT_ERR_USAGE');
    expect(result.stderr).toContain(problem);
    expect(result.stdout).not.toContain('listening');
  });
});

describe('a running listen survives its clients', () => {
  test('abort mid-body, 100,000-deep nesting, not-HTTP bytes, a cassette that cannot be written: still serving', async () => {
    const cassette = join(dir, 'deliveries.ndjson');
    writeFileSync(cassette, '');
    const lines: string[] = [];
    const stop = new AbortController();
    const running = main(
      ['listen', '--port', '0', '--cassette', cassette],
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
      stop.signal,
    );
    try {
      await within('listen hostile clients', 30_000, async () => {
        let url = '';
        while (!url) {
          url = /on (\S+)/.exec(lines.find((l) => l.startsWith('listening')) ?? '')?.[1] ?? '';
          await new Promise((r) => setTimeout(r, 10));
        }
        const { hostname, port, pathname } = new URL(url);
        const valid = async () => (await request(url, { method: 'POST', body: '{"payload": []}' })).statusCode;
        // 1. A client that announces a body and goes away half-way.
        await new Promise<void>((resolve) => {
          const socket = connect(Number(port), hostname, () => {
            socket.write(`POST ${pathname} HTTP/1.1\r\nhost: x\r\ncontent-length: 100000\r\n\r\n{"payload": [`);
            setTimeout(() => {
              socket.destroy();
              resolve();
            }, 50);
          });
          socket.on('error', () => resolve());
        });
        expect(await valid()).toBe(200);
        // 2. A body nested 100,000 levels deep.
        const deep = await request(url, { method: 'POST', body: `${'['.repeat(100_000)}${']'.repeat(100_000)}` });
        await deep.body.dump();
        expect([200, 400]).toContain(deep.statusCode);
        const deepObject = await request(url, { method: 'POST', body: `{"payload": [${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]}` });
        await deepObject.body.dump();
        expect([200, 400]).toContain(deepObject.statusCode);
        expect(await valid()).toBe(200);
        // 3. Bytes that are not HTTP.
        await new Promise<void>((resolve) => {
          const socket = connect(Number(port), hostname, () => socket.write('\u0000\u0001 GARBAGE\r\n\r\n'));
          socket.on('data', () => undefined);
          socket.on('close', () => resolve());
          socket.on('error', () => resolve());
        });
        expect(await valid()).toBe(200);
        // 4. The cassette becomes a folder: the delivery is answered, the failure logged.
        rmSync(cassette);
        mkdirSync(cassette);
        expect(await valid()).toBe(200);
        expect(lines.some((l) => l.includes('not written to the cassette'))).toBe(true);
        expect(await valid()).toBe(200);
      });
    } finally {
      stop.abort();
    }
    // The deep bodies were reported as invalid deliveries: exit 1, not a crash.
    expect(await within('listen stops', 10_000, () => running)).toBe(1);
    expect(lines.some((l) => l.includes('✗ delivery'))).toBe(true);
    expect(lines.some((l) => l.includes('aborted by its sender'))).toBe(true);
    expect(lines.join('\n')).not.toContain('internal error');
  });
});

describe('a delivery over the receiver limit', () => {
  test('is answered 413 and recorded as such, never judged cut; the connection serves the next one', async () => {
    const { startReceiver } = await import('../../src/webhooks/receiver.js');
    const problems: string[] = [];
    const receiver = await startReceiver({ maxBodyBytes: 1024, onProblem: (line) => problems.push(line) });
    try {
      const big = await within('413', 10_000, () =>
        request(receiver.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `{"payload":[${' '.repeat(4096)}]}`,
        }),
      );
      await big.body.text();
      expect(big.statusCode).toBe(413);
      expect(receiver.deliveries[0]).toMatchObject({ status: 413, events: [] });
      expect(receiver.deliveries[0]!.malformed).toMatch(/over the receiver's limit of 1024 bytes/);
      expect(problems.join('\n')).toMatch(/refused with 413/);
      const next = await request(receiver.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payload":[]}' });
      await next.body.text();
      expect(next.statusCode).toBe(200);
    } finally {
      await receiver.close();
    }
  });
});

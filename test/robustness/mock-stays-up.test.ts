/**
 * Family 7: the bundled mock validates its control endpoints' input (a clock step of 1e308 is
 * a 400, and the mock still stops on SIGTERM), and after a body over its limit on a keep-alive
 * connection the next requests on that connection are answered.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'undici';
import { describe, expect, test } from 'vitest';
import { ManualClock } from '../../src/mock/clock.js';
import { startMock } from '../../src/mock/server.js';
import { BIN } from '../helpers/cli.js';
import { reportFigures, within } from './family-helpers.js';

reportFigures('mock-stays-up');

describe('the mock stays up', () => {
  test('clock steps that are not bounded whole numbers are refused; valid ones still work', async () => {
    const mock = await startMock({ clock: new ManualClock(Date.UTC(2025, 0, 1)) });
    try {
      await within('advance values', 10_000, async () => {
        for (const bad of ['1e308', '-1', 'NaN', 'Infinity', '1.5', '99999999999999', '0x10', '']) {
          const res = await request(`${mock.url}/__mock/clock?advance=${encodeURIComponent(bad)}`);
          const body = await res.body.text();
          if (bad === '') expect(res.statusCode).toBe(400);
          else expect(res.statusCode, `${bad}: ${body}`).toBe(400);
        }
        const ok = await request(`${mock.url}/__mock/clock?advance=1000`);
        expect(ok.statusCode).toBe(200);
        expect(((await ok.body.json()) as { now: string }).now).toBe('2025-01-01T00:00:01.000Z');
      });
    } finally {
      await mock.close();
    }
  });

  test('after a body over the limit on a keep-alive connection, the next requests there are answered', async () => {
    const mock = await startMock({ maxBodyBytes: 64 * 1024 });
    const agent = new Agent({ connections: 1, pipelining: 1 });
    try {
      await within('large body then keep-alive', 20_000, async () => {
        const big = await request(`${mock.url}/auth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: Buffer.alloc(2 * 1024 * 1024, 0x61),
          dispatcher: agent,
        });
        await big.body.dump();
        expect(big.statusCode).toBe(400);
        for (let i = 0; i < 3; i++) {
          const next = await request(`${mock.url}/__mock/clock`, { dispatcher: agent });
          await next.body.dump();
          expect(next.statusCode).toBe(200);
        }
      });
    } finally {
      await agent.close();
      await mock.close();
    }
  });

  test('the mock process still stops on SIGTERM after a refused huge clock step', async () => {
    const child = spawn(process.execPath, [BIN, 'mock', '--port', '0', '--clock', 'manual'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const code = await within('mock SIGTERM', 30_000, async () => {
        let url = '';
        while (!url) {
          url = /listening on (\S+)/.exec(out)?.[1] ?? '';
          await new Promise((r) => setTimeout(r, 20));
        }
        const res = await request(`${url}/__mock/clock?advance=1e308`);
        await res.body.dump();
        expect(res.statusCode).toBe(400);
        child.kill('SIGTERM');
        return exited;
      });
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

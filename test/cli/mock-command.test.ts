import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from '../helpers/output.js';

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('upvest-conformance mock', () => {
  test('prints its URL and fixture ids, serves the API, stops on request', async () => {
    const output = capture();
    const stop = new AbortController();
    const running = main(['mock', '--port', '0', '--seed', '7', '--quiet'], output, stop.signal);
    await waitFor(() => output.lines.some((l) => l.startsWith('Press Ctrl+C')));
    const url = /listening on (http:\/\/\S+)/.exec(output.lines[0])?.[1] as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output.lines.filter((l) => l.includes('account:'))).toHaveLength(5);
    expect(output.lines.some((l) => l.includes('execution:') && l.includes('(11 orders)'))).toBe(true);
    const keys = await request(`${url}/auth/verify_keys`);
    expect(keys.statusCode).toBe(200);
    await keys.body.dump();
    stop.abort();
    expect(await running).toBe(0);
    expect(output.lines.at(-1)).toBe('mock stopped');
  });

  test('a bad option is a usage error with exit code 2', async () => {
    const output = capture();
    expect(await main(['mock', '--port', 'eighty'], output)).toBe(2);
    expect(output.errors.join('\n')).toContain('--port must be a whole number from 0 to 65535, got "eighty"');
  });

  test('a port in use is CT_ERR_MOCK_START, exit code 2, no stack trace', async () => {
    const first = capture();
    const stop = new AbortController();
    const running = main(['mock', '--port', '0', '--quiet'], first, stop.signal);
    await waitFor(() => first.lines.some((l) => l.startsWith('Press Ctrl+C')));
    const port = /:(\d+)$/.exec(/listening on (\S+)/.exec(first.lines[0])![1])![1];
    const second = capture();
    expect(await main(['mock', '--port', port, '--quiet'], second)).toBe(2);
    expect(second.errors[0]).toMatch(/^error CT_ERR_MOCK_START: The mock cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE$/);
    expect(second.errors.join('\n')).not.toMatch(/\n\s+at /);
    stop.abort();
    await running;
  });

  test('the installed command shuts down cleanly on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('../../bin/upvest-conformance.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'mock', '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes('Press Ctrl+C'), 20_000);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toContain('mock stopped');
  });
});

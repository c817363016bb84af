/**
 * Families 4 and 6: values HTTP cannot carry are refused with a code naming their source and the
 * pool keeps serving after any request error; an unusable response (an unsolicited 100
 * Continue, a 101 nobody asked for, headers overflow, not HTTP) is a transport error, never
 * retried as a reset, and informational answers HTTP lets a client ignore are ignored; the
 * breaker stops one operation without stopping the others.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Transport } from '../../src/client/transport.js';
import { CircuitBreaker } from '../../src/engine/breaker.js';
import { HarnessError } from '../../src/errors.js';
import { runMain } from '../helpers/cli.js';
import { fragmentsIn, reportFigures, within } from './family-helpers.js';

reportFigures('transport-errors');

/** Raw answers by path: what an HTTP server library would never send. */
const RAW: Record<string, string> = {
  '/ok': 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok',
  '/100': 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok',
  '/103': 'HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok',
  '/101': 'HTTP/1.1 101 Switching Protocols\r\n\r\n',
  '/overflow': `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(100_000)}\r\ncontent-length: 2\r\n\r\nok`,
  '/garbage': 'NOT HTTP AT ALL\r\n\r\n',
};
const hits = new Map<string, number>();
let raw: Server;
let origin: string;

beforeAll(async () => {
  raw = createServer((socket) => {
    let buffer = '';
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      buffer += data.toString('latin1');
      while (buffer.includes('\r\n\r\n')) {
        const path = /^[A-Z]+ (\S+)/.exec(buffer)?.[1] ?? '/';
        buffer = buffer.slice(buffer.indexOf('\r\n\r\n') + 4);
        hits.set(path, (hits.get(path) ?? 0) + 1);
        socket.write(RAW[path] ?? RAW['/ok']);
      }
    });
  });
  await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => raw.close(() => r())));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof HarnessError ? error.code : `not a harness error: ${(error as Error).message}`;
  }
}

describe('the transport keeps serving', () => {
  test('after requests with invalid header values fail, the next requests on a one-connection pool succeed', async () => {
    const transport = new Transport({ connections: 1, headersTimeoutMs: 3000, bodyTimeoutMs: 3000, retry: { maxAttempts: 1 } });
    try {
      await within('invalid headers then valid ones', 15_000, async () => {
        for (const value of ['a\r\nb', 'a\u0000b', 'tab\tok\u007f', 'euro€', 'x\nInjected: 1']) {
          for (let i = 0; i < 3; i++) {
            expect(
              await codeOf(transport.send({ method: 'GET', url: `${origin}/ok`, headers: { authorization: `Bearer ${value}` } })),
            ).toBe('CT_ERR_INVALID_HEADER');
          }
        }
        expect(await codeOf(transport.send({ method: 'GET', url: `${origin}/ok`, headers: { 'bad name': 'x' } }))).toBe(
          'CT_ERR_INVALID_HEADER',
        );
        for (let i = 0; i < 5; i++) expect((await transport.send({ method: 'GET', url: `${origin}/ok` })).status).toBe(200);
      });
    } finally {
      await transport.close();
    }
  });

  test('unusable responses are protocol errors, not retried; ignorable 1xx answers are ignored', async () => {
    const transport = new Transport({ connections: 1, headersTimeoutMs: 3000, bodyTimeoutMs: 3000, sleep: async () => undefined });
    try {
      await within('unusable responses', 20_000, async () => {
        for (const path of ['/100', '/101', '/overflow', '/garbage']) {
          hits.delete(path);
          expect(await codeOf(transport.send({ method: 'GET', url: `${origin}${path}` })), path).toBe('CT_ERR_HTTP_PROTOCOL');
          expect(hits.get(path), `${path} is not sent again`).toBe(1);
          // And the pool still serves.
          expect((await transport.send({ method: 'GET', url: `${origin}/ok` })).status).toBe(200);
        }
        const early = await transport.send({ method: 'GET', url: `${origin}/103` });
        expect(early.status).toBe(200);
        expect(early.text()).toBe('ok');
      });
    } finally {
      await transport.close();
    }
  });
});

describe('the breaker is per operation', () => {
  test('one operation failing in a row stops only that operation; the target goes only when nothing answers', () => {
    const breaker = new CircuitBreaker(3);
    const broken = breaker.for('GET /a');
    const healthy = breaker.for('GET /b');
    for (let i = 0; i < 5; i++) {
      broken.recordFailure({ code: 'CT_ERR_HTTP_PROTOCOL', message: 'headers overflow' });
      healthy.recordAnswer();
    }
    expect(broken.shortCircuit?.code).toBe('CT_ERR_HTTP_PROTOCOL');
    expect(healthy.shortCircuit).toBeUndefined();
    // Failures in a row of one operation alone are still that operation's.
    healthy.recordAnswer();
    for (let i = 0; i < 3; i++) healthy.recordFailure({ code: 'CT_ERR_HEADERS_TIMEOUT', message: 'hangs' });
    expect(breaker.open).toBe(false);
    // Of several operations, with no answer between them: the target answers nothing.
    breaker.for('GET /c').recordFailure({ code: 'CT_ERR_HEADERS_TIMEOUT', message: 'hangs' });
    expect(breaker.open).toBe(true);
    expect(breaker.for('GET /c').shortCircuit?.code).toBe('CT_ERR_HEADERS_TIMEOUT');
  });
});

describe('values from config or target', () => {
  test('a token or key id with CR/LF/NUL from the environment or a flag: exit 2, the setting named, nothing sent, nothing leaked', async () => {
    let requests = 0;
    const target = createHttpServer((_req, res) => {
      requests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const common = ['run', '--base-url', base, '--client-id', '6f1c2e3d-4b5a-4c6d-8e7f-901a2b3c4d5e', '--no-sign', '--report-dir'];
    const token = 'PLANTED-token-abcdef\r\nX-Injected: 1';
    try {
      const cases: [string, string[], Record<string, string>, string][] = [
        ['env token', [...common, '/tmp/uc-13-r1'], { UPVEST_ACCESS_TOKEN: token }, 'UPVEST_ACCESS_TOKEN'],
        ['flag token', [...common, '/tmp/uc-13-r2', '--access-token', 'PLANTED-tok\u0000en-123456'], {}, '--access-token'],
        [
          'key id',
          [...common, '/tmp/uc-13-r3', '--signing-key-id', 'kid\r\nx'],
          { UPVEST_CLIENT_SECRET: 'PLANTED-secret-123456' },
          '--signing-key-id',
        ],
      ];
      for (const [name, args, env, setting] of cases) {
        const { code, stdout, stderr } = await within(name, 15_000, () => runMain(args, { env }));
        expect(code, name).toBe(2);
        expect(stderr, name).toContain('CT_ERR_CONFIG_INVALID');
        expect(stderr, name).toContain(setting);
        expect(fragmentsIn(stdout + stderr, ['PLANTED-token-abcdef', 'PLANTED-tok\u0000en-123456', 'PLANTED-secret-123456'])).toEqual([]);
      }
      const replay = await within('replay key id', 15_000, () =>
        runMain(['replay', '--to', `${base}/hooks`, '--signing-key-id', 'kid\r\nx', '--report-dir', '/tmp/uc-13-r4']),
      );
      expect(replay.code).toBe(2);
      expect(replay.stderr).toContain('CT_ERR_USAGE');
      expect(replay.stderr).toContain('--signing-key-id');
      expect(replay.stderr).not.toContain('internal error');
      expect(requests).toBe(0);
    } finally {
      await new Promise<void>((r) => target.close(() => r()));
    }
  });
});

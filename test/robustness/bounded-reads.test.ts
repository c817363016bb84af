/**
 * Family 2: every read from the network is bounded in bytes and time: the JWKS fetch of
 * `listen`, a consumer's answers in `replay`, the token endpoint. A server that never answers,
 * or sends forever, ends with a clear error within the deadline and with memory bounded.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { behaviours, type HostileServer, startHostileServer } from '../helpers/hostile-server.js';
import { reportFigures, within } from './family-helpers.js';

reportFigures('bounded-reads');

let hostile: HostileServer;
beforeAll(async () => {
  hostile = await startHostileServer({
    '/keys/hang': behaviours.hang(),
    '/keys/endless': behaviours.huge(512 * 1024 * 1024),
    '/keys/empty-list': behaviours.json(200, { keys: [null] }),
    '/hook/endless': behaviours.huge(512 * 1024 * 1024),
    '/auth/token': behaviours.huge(512 * 1024 * 1024),
  });
});
afterAll(async () => hostile.close());

describe('listen: the JWKS fetch', () => {
  test.for([
    ['never answers', '/keys/hang', 'did not answer within'],
    ['sends forever', '/keys/endless', 'sent more than'],
    ['serves {"keys":[null]}', '/keys/empty-list', 'at /keys/0'],
  ] as const)('a JWKS URL that %s: CT_ERR_JWKS, exit 2, before the port opens', async ([name, path, problem]) => {
    const rssBefore = process.memoryUsage().rss;
    const result = await within(`jwks ${name}`, 20_000, () => runMain(['listen', '--port', '0', '--jwks-url', `${hostile.url}${path}`]));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CT_ERR_JWKS');
    expect(result.stderr).toContain(problem);
    expect(result.stdout).not.toContain('listening');
    console.log(`[figures] jwks ${name}: RSS grew ${Math.round((process.memoryUsage().rss - rssBefore) / 1048576)} MB`);
  });
});

describe('replay: a consumer that answers forever', () => {
  test('each delivery ends, the report is written and valid JSON', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'uc-13-replay-'));
    const result = await within('replay endless answers', 120_000, () =>
      runMain([
        'replay',
        '--to',
        `${hostile.url}/hook/endless`,
        '--no-sign',
        '--type',
        'ACCOUNT.CREATED',
        '--timeout',
        '5',
        '--report-dir',
        reportDir,
      ]),
    );
    expect([0, 1]).toContain(result.code);
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as { verdict?: unknown };
    expect(report).toBeTypeOf('object');
  });
});

describe('run: a token endpoint that answers forever', () => {
  test('the run stops with CT_ERR_RESPONSE_TOO_LARGE, exit 2, the report says why', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'uc-13-token-'));
    const result = await within('token endless', 60_000, () =>
      runMain(
        [
          'run',
          '--base-url',
          hostile.url,
          '--client-id',
          '6f1c2e3d-4b5a-4c6d-8e7f-901a2b3c4d5e',
          '--no-sign',
          '--account-id',
          '6f1c2e3d-4b5a-4c6d-8e7f-901a2b3c4d5f',
          '--max-response-bytes',
          '1048576',
          '--report-dir',
          reportDir,
        ],
        { env: { UPVEST_CLIENT_SECRET: 'PLANTED-secret-bounded-1' } },
      ),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CT_ERR_RESPONSE_TOO_LARGE');
    expect(JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8'))).toBeTypeOf('object');
  });
});

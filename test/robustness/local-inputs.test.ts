/**
 * Family 5: every local input a user gives is checked, with a CT_ERR_ code naming the file and
 * what is wrong (never `internal error`), and a run never ends with its results lost.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runMain } from '../helpers/cli.js';
import { reportFigures, within } from './family-helpers.js';

reportFigures('local-inputs');

const dir = mkdtempSync(join(tmpdir(), 'uc-13-inputs-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

function expectClearError(result: { code: number | null; stdout: string; stderr: string }, code: string, mentions: string) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toContain(code);
  expect(result.stderr).toContain(mentions);
  expect(result.stdout + result.stderr).not.toContain('internal error');
}

describe('report folder', () => {
  test.for([
    ['a file', () => file('a-file', 'x')],
    ['under a file', () => join(file('another-file', 'x'), 'reports')],
  ] as const)('--report-dir %s: exit 2 before the run, CT_ERR_REPORT_DIR, no CONFORMANT verdict', async ([, path]) => {
    const reportDir = path();
    const result = await within(`report-dir ${reportDir}`, 60_000, () => runMain(['run', '--report-dir', reportDir]));
    expectClearError(result, 'CT_ERR_REPORT_DIR', reportDir);
    expect(result.stdout).not.toContain('CONFORMANT');
  });

  test('an unwritable report folder is refused when not running as root', async () => {
    if (process.getuid?.() === 0) return; // root writes anywhere: the case cannot arise
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const result = await within('locked report-dir', 60_000, () => runMain(['run', '--report-dir', locked]));
    expectClearError(result, 'CT_ERR_REPORT_DIR', locked);
  });
});

describe('baseline', () => {
  test.for([
    ['null entries', '{"entries": [null]}', 'entry 0 has no check'],
    ['entries null', '{"entries": null}', 'must be an object with an "entries" array'],
    ['a number', '42', 'must be an object with an "entries" array'],
    ['not JSON', '{"entries": [', 'is not valid JSON'],
  ] as const)('%s: CT_ERR_BASELINE naming the file and the problem', async ([name, content, problem]) => {
    const path = file(`baseline-${name.replace(/\W/g, '-')}.json`, content);
    const result = await within(`baseline ${name}`, 30_000, () => runMain(['run', '--baseline', path, '--report-dir', join(dir, 'r')]));
    expectClearError(result, 'CT_ERR_BASELINE', path);
    expect(result.stderr).toContain(problem);
  });

  test('--update-baseline into a missing folder: exit 2 before the run', async () => {
    const path = join(dir, 'missing', 'baseline.json');
    const result = await within('update-baseline missing folder', 30_000, () =>
      runMain(['run', '--baseline', path, '--update-baseline', '--report-dir', join(dir, 'r2')]),
    );
    expectClearError(result, 'CT_ERR_BASELINE', 'does not exist');
    expect(result.stdout).not.toContain('CONFORMANT');
  });

  test('a baseline that is a folder', async () => {
    const path = join(dir, 'baseline-folder');
    mkdirSync(path);
    const result = await within('baseline folder', 30_000, () => runMain(['run', '--baseline', path, '--report-dir', join(dir, 'r3')]));
    expectClearError(result, 'CT_ERR_BASELINE', 'is a folder');
  });
});

describe('cassettes for replay', () => {
  const folder = join(dir, 'cassette-folder');
  mkdirSync(folder);
  test.for([
    ['missing', join(dir, 'no-such.ndjson'), 'ENOENT'],
    ['a folder', folder, 'is a folder'],
    ['binary', file('binary.ndjson', Buffer.from([0x7b, 0x00, 0xff, 0x0a])), 'binary'],
    ['without events', file('empty.ndjson', '\n\n'), 'holds no events'],
    ['truncated', file('truncated.ndjson', '{"events": [{"id": "a"}]}\n{"events": [{"id"'), 'line 2'],
    ['a foreign line', file('foreign.ndjson', '{"payload": []}\n'), 'line 1'],
  ] as const)('%s: CT_ERR_CASSETTE naming the file, exit 2', async ([name, path, problem]) => {
    const reportDir = join(dir, `replay-${name.replace(/\W/g, '-')}`);
    const result = await within(`cassette ${name}`, 30_000, () =>
      runMain(['replay', '--to', 'http://127.0.0.1:9/hooks', '--cassette', path, '--no-sign', '--report-dir', reportDir]),
    );
    expectClearError(result, 'CT_ERR_CASSETTE', problem);
    expect(existsSync(join(reportDir, 'report.json'))).toBe(false);
  });
});

describe('JWKS files for listen', () => {
  test.for([
    ['a null key', '{"keys": [null]}', 'at /keys/0'],
    ['no keys', '{"keys": []}', 'at /keys'],
    ['keys not a list', '{"keys": {}}', 'at /keys'],
    ['a key without kty', '{"keys": [{"kid": "x"}]}', 'kty'],
    ['not JSON', '{"keys": [', 'cannot be read as JSON'],
  ] as const)('%s: CT_ERR_JWKS before the port opens', async ([name, content, problem]) => {
    const path = file(`jwks-${name.replace(/\W/g, '-')}.json`, content);
    const result = await within(`jwks ${name}`, 15_000, () => runMain(['listen', '--port', '0', '--jwks-file', path]));
    expectClearError(result, 'CT_ERR_JWKS', problem);
    expect(result.stdout).not.toContain('listening');
  });
});

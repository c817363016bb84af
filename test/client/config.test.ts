import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadRunConfig } from '../../src/config/load.js';
import { RUN_SETTINGS } from '../../src/config/settings.js';
import { ConfigFileError, ConfigInvalidError, ConfigMissingError } from '../../src/errors.js';

const ID = '0b3f7c1e-2a4d-4e5f-8a9b-1c2d3e4f5a6b';
const dir = () => mkdtempSync(join(tmpdir(), 'uc-config-'));

describe('run configuration', () => {
  test('defaults: the bundled mock, every reporter, sensible limits', async () => {
    const { config } = await loadRunConfig({ env: {}, cwd: dir() });
    expect(config.baseUrl).toBeUndefined();
    expect(config).toMatchObject({
      sign: true,
      concurrency: 4,
      timeout: 30,
      deadline: 600,
      reporters: ['json', 'junit', 'md', 'html'],
      reportDir: 'reports',
      accountIds: [],
    });
  });

  test('precedence: flags over environment over config file', async () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'upvest-conformance.config.json'),
      JSON.stringify({ concurrency: 2, timeout: 5, deadline: 99, accountIds: [ID] }),
    );
    const { config, sources } = await loadRunConfig({
      cwd,
      env: { UPVEST_CONCURRENCY: '3', UPVEST_TIMEOUT: '7' },
      flags: { concurrency: '8' },
    });
    expect(config).toMatchObject({ concurrency: 8, timeout: 7, deadline: 99, accountIds: [ID] });
    expect(sources.concurrency?.kind).toBe('flag');
    expect(sources.timeout?.kind).toBe('env');
    expect(sources.deadline?.kind).toBe('file');
  });

  test('a .ts config file exporting an object works too', async () => {
    const cwd = dir();
    const file = join(cwd, 'upvest-conformance.config.ts');
    writeFileSync(file, `export default { concurrency: 6, reporters: ['json'] };\n`);
    const { config } = await loadRunConfig({ cwd, env: {} });
    expect(config).toMatchObject({ concurrency: 6, reporters: ['json'], configFile: file });
  });

  test('environment lists are comma-separated; --no-sign and UPVEST_NO_SIGN turn signing off', async () => {
    const { config } = await loadRunConfig({
      cwd: dir(),
      env: { UPVEST_ACCOUNT_IDS: `${ID}, ${ID.replace('0b', '1b')}`, UPVEST_NO_SIGN: '1' },
    });
    expect(config.accountIds).toHaveLength(2);
    expect(config.sign).toBe(false);
    expect((await loadRunConfig({ cwd: dir(), env: {}, flags: { sign: false } })).config.sign).toBe(false);
  });

  test('a target needs credentials, named with every way to set them', async () => {
    const error = await loadRunConfig({ cwd: dir(), env: { UPVEST_BASE_URL: 'https://sandbox.upvest.co' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigMissingError);
    expect((error as ConfigMissingError).message).toBe(
      '--client-id is required when a target is given with --base-url (https://sandbox.upvest.co)',
    );
    expect((error as ConfigMissingError).hint).toContain('--client-id, UPVEST_CLIENT_ID, "clientId" in the config file');
    const secret = await loadRunConfig({ cwd: dir(), env: { UPVEST_BASE_URL: 'https://sandbox.upvest.co', UPVEST_CLIENT_ID: ID } }).catch(
      (e: unknown) => e,
    );
    expect((secret as Error).message).toContain('--client-secret is required');
  });

  test('a signing key needs its key id and the other way round', async () => {
    await expect(loadRunConfig({ cwd: dir(), env: { UPVEST_SIGNING_KEY: '/keys/k.pem' } })).rejects.toThrow(
      '--signing-key-id is required with a signing key',
    );
    await expect(loadRunConfig({ cwd: dir(), env: { UPVEST_SIGNING_KEY_ID: 'k' } })).rejects.toThrow(
      '--signing-key is required with a signing key id',
    );
  });

  test.for([
    [{ UPVEST_BASE_URL: 'sandbox.upvest.co' }, 'UPVEST_BASE_URL: "sandbox.upvest.co" is not a URL'],
    [{ UPVEST_BASE_URL: 'ftp://x.example' }, 'must be an http or https URL'],
    [{ UPVEST_BASE_URL: 'https://user:pw@x.example' }, 'must not carry credentials'],
    [{ UPVEST_CONCURRENCY: '0' }, 'UPVEST_CONCURRENCY: must be at least 1, got 0'],
    [{ UPVEST_CONCURRENCY: '2.5' }, 'expected a whole number'],
    [{ UPVEST_TIMEOUT: 'soon' }, 'UPVEST_TIMEOUT: expected a number, got "soon"'],
    [{ UPVEST_ACCOUNT_IDS: 'acc-1' }, 'expected UUIDs, got "acc-1"'],
    [{ UPVEST_REPORTERS: 'json,pdf' }, '"pdf" is not one of json, junit, md, html'],
    [{ UPVEST_CLIENT_ID: 'my-client' }, 'UPVEST_CLIENT_ID: expected a UUID'],
    [{ UPVEST_BAIL: 'maybe' }, 'expected true or false'],
  ] as const)('%o is refused: %s', async ([env, message]) => {
    const error = await loadRunConfig({ cwd: dir(), env: env as NodeJS.ProcessEnv }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect((error as Error).message).toContain(message);
    expect((error as ConfigInvalidError).hint).toBeTruthy();
  });

  test('secret values are never repeated in error messages', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'c.json'), JSON.stringify({ clientSecret: 42 }));
    const error = await loadRunConfig({ cwd, env: {}, configFile: 'c.json' }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('(value hidden)');
  });

  test.for([
    ['missing file', 'nope.json', undefined, 'does not exist'],
    ['not JSON', 'bad.json', '{ not json', 'is not valid JSON'],
    ['not an object', 'list.json', '[1,2]', 'must hold an object'],
    ['unknown key (typo)', 'typo.json', '{"basUrl": "https://x.example"}', 'unknown settings: basUrl'],
    ['wrong extension', 'c.yaml', 'a: 1', 'must end in .json or .ts'],
  ] as const)('config file problem: %s', async ([, name, content, message]) => {
    const cwd = dir();
    if (content !== undefined) writeFileSync(join(cwd, name), content);
    const error = await loadRunConfig({ cwd, env: {}, configFile: name }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toContain(message);
  });

  test('every setting has a description and a way to set it; flags and env names are unique', () => {
    for (const s of RUN_SETTINGS) {
      expect(s.description.length, s.key).toBeGreaterThan(20);
      expect('flag' in s || 'env' in s, s.key).toBe(true);
    }
    const flags = RUN_SETTINGS.map((s) => ('flag' in s ? s.flag : undefined)).filter(Boolean);
    const envs = RUN_SETTINGS.map((s) => ('env' in s ? s.env : undefined)).filter(Boolean);
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(envs).size).toBe(envs.length);
  });
});

/**
 * Config files load in any project: every format (.json, .mjs, .cjs, .js, .ts, .mts, .cts) ×
 * every kind of project (ESM, CommonJS, no package.json at all), found by its default name.
 * The matrix runs in plain Node through the built package (dist/), as a user's project would
 * load it: under vitest, imports would go through vite instead and prove nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { loadRunConfig } from '../../src/config/load.js';
import { ConfigFileError } from '../../src/errors.js';

const ROOT = mkdtempSync(join(tmpdir(), 'uc-config-loaders-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

const PROJECT_KINDS = {
  esm: { type: 'module' },
  commonjs: { type: 'commonjs' },
  'no package.json': undefined,
} as const;
type ProjectKind = keyof typeof PROJECT_KINDS;

const settingsOf = (kind: ProjectKind, extension: string) => ({
  baseUrl: `http://127.0.0.1:9/${kind.replaceAll(' ', '-')}/${extension}`,
  clientId: '3f9c1a52-7d1e-4b0a-9c55-0e8d1b7a2c41',
  clientSecret: 'loader-secret',
  concurrency: 3,
});

/** The file a user of that kind of project would write; .js follows the project's module kind. */
function configText(kind: ProjectKind, extension: string): string {
  const settings = JSON.stringify(settingsOf(kind, extension));
  switch (extension) {
    case 'json':
      return settings;
    case 'mjs':
      return `export default ${settings};\n`;
    case 'cjs':
      return `module.exports = ${settings};\n`;
    case 'js':
      return kind === 'esm' ? `export default ${settings};\n` : `module.exports = ${settings};\n`;
    default:
      // TypeScript with what only TypeScript has: a type-only import of the package and annotations.
      return [
        `import type { ConformanceSettings } from 'upvest-conformance';`,
        `interface Local { concurrency: number }`,
        `const local: Local = { concurrency: 3 };`,
        `const config: ConformanceSettings = { ...${settings}, ...local };`,
        'export default config;',
        '',
      ].join('\n');
  }
}

const EXTENSIONS = ['json', 'mjs', 'cjs', 'js', 'ts', 'mts', 'cts'];
const CASES = Object.keys(PROJECT_KINDS).flatMap((kind) => EXTENSIONS.map((extension) => ({ kind: kind as ProjectKind, extension })));

function projectDir(kind: ProjectKind, extension: string): string {
  const dir = join(ROOT, kind.replaceAll(' ', '-'), extension);
  mkdirSync(dir, { recursive: true });
  const pkg = PROJECT_KINDS[kind];
  if (pkg) writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, ...pkg }));
  writeFileSync(join(dir, `upvest-conformance.config.${extension}`), configText(kind, extension));
  return dir;
}

describe('config files in plain Node, through the built package', () => {
  test('no package.json lies above the temporary projects (else the third kind would not be one)', () => {
    const found: string[] = [];
    for (let dir = ROOT; dirname(dir) !== dir; dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) found.push(dir);
    expect(found).toEqual([]);
  });

  test('every format loads in every kind of project, found by its default name', () => {
    const dirs = CASES.map(({ kind, extension }) => ({ kind, extension, dir: projectDir(kind, extension) }));
    const api = pathToFileURL(join(import.meta.dirname, '../../dist/index.js')).href;
    // One Node process for the whole matrix: each case opens a session (no request is sent) and reports its settings.
    const script = `
      const { openConformance } = await import(${JSON.stringify(api)});
      const results = [];
      for (const { dir } of ${JSON.stringify(dirs)}) {
        try {
          const session = await openConformance({ cwd: dir, env: {} });
          const { baseUrl, concurrency, configFile } = session.config;
          results.push({ baseUrl, concurrency, configFile });
          await session.close();
        } catch (error) {
          results.push({ error: error.code + ': ' + error.message });
        }
      }
      process.stdout.write(JSON.stringify(results));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(child.status, child.stderr).toBe(0);
    const results = JSON.parse(child.stdout) as Record<string, unknown>[];
    expect(results).toEqual(
      dirs.map(({ kind, extension, dir }) => ({
        baseUrl: settingsOf(kind, extension).baseUrl,
        concurrency: 3,
        configFile: join(dir, `upvest-conformance.config.${extension}`),
      })),
    );
  });
});

describe('config file problems name the file and what is wrong', () => {
  const write = (name: string, text: string): string => {
    const dir = mkdtempSync(join(ROOT, 'problem-'));
    writeFileSync(join(dir, name), text);
    return dir;
  };

  test.for([
    ['TypeScript that does not parse', 'c.ts', 'export default { concurrency: ;\n', 'cannot be loaded'],
    ['TypeScript without a default export', 'c.ts', 'export const concurrency = 3;\n', 'as its default export'],
    ['a module that throws', 'c.mjs', "throw new Error('no settings today');\n", 'no settings today'],
    ['CommonJS exporting a list', 'c.cjs', 'module.exports = [1];\n', 'must hold an object of settings'],
    ['an unknown setting in .ts', 'c.mts', 'export default { basUrl: "https://x.example" };\n', 'unknown settings: basUrl'],
  ] as const)('%s', async ([, name, text, message]) => {
    const cwd = write(name, text);
    const error = await loadRunConfig({ cwd, env: {}, configFile: name }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as Error).message).toContain(join(cwd, name));
    expect((error as Error).message).toContain(message);
  });

  test('with several default names present, the first in CONFIG_FILE_NAMES order is read', async () => {
    const cwd = write('upvest-conformance.config.mjs', 'export default { concurrency: 5 };\n');
    writeFileSync(join(cwd, 'upvest-conformance.config.ts'), 'export default { concurrency: 7 };\n');
    const { config } = await loadRunConfig({ cwd, env: {} });
    expect(config).toMatchObject({ concurrency: 7, configFile: join(cwd, 'upvest-conformance.config.ts') });
  });
});

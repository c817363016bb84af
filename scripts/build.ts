/**
 * `npm run build`: the package as it is installed, in dist/.
 *   dist/cli.js, dist/index.js, dist/vitest.js  ESM bundles (esbuild), shared code in dist/chunk-*.js
 *   dist/types/…                                 declarations (tsc -p tsconfig.build.json)
 * npm dependencies stay imports (installed beside the package); the project's own modules,
 * the generated validators included, are bundled: one file to read instead of ~200 to resolve.
 *   npm run build              both
 *   npm run build -- --bundle  the bundles only (what tests that spawn the bin need; ~1 s)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = resolve(ROOT, 'dist');

const MANIFEST = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
const BUNDLED = new Set(['@faker-js/faker']);
const EXTERNAL = [...Object.keys(MANIFEST.dependencies), ...Object.keys(MANIFEST.peerDependencies)]
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

/** The bundles' entry points: dist/NAME.js. */
export const ENTRY_POINTS = {
  cli: 'src/cli/main.ts',
  index: 'src/index.ts',
  vitest: 'suites/vitest.ts',
};

/**
 * Sources find the package's files (generated/manifest.json, spec/samples/, package.json)
 * relative to their own URL. Bundled, every module lives in dist/, one level below the
 * package root: `import.meta.url` becomes the URL the source file would have there, so the
 * same relative paths resolve to the same files in the repository and in the installed package.
 */
const relocateImportMeta: Plugin = {
  name: 'relocate-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.(ts|js)$/ }, (args) => {
      if (args.path.includes(`${'/'}node_modules${'/'}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromDist = relative(DIST, args.path).split('\\').join('/');
      const contents = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromDist)}, import.meta.url).href`);
      return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

export async function bundle(): Promise<void> {
  // Old chunks would linger under new hashes; the declarations in dist/types are tsc's.
  if (existsSync(DIST)) for (const name of readdirSync(DIST)) if (/\.js(\.map)?$/.test(name)) rmSync(resolve(DIST, name));
  await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.18',
    // npm dependencies stay imports, but faker: bundled, it is shaken down to the one locale the mock
    // uses (imported whole it loads every locale, ~200 ms at every start).
    external: EXTERNAL,
    sourcemap: false,
    // Chunks beside the entries: every output file is exactly one level below the root.
    chunkNames: 'chunk-[hash]',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [relocateImportMeta],
  });
}

/** The sources a bundle is made of: the newest one's time, to tell a stale dist/ from a fresh one. */
function newestSource(): number {
  let newest = 0;
  const paths = ['src', 'suites', 'reporters', 'generated', 'package.json', 'scripts/build.ts', 'tsconfig.build.json'];
  for (const path of paths)
    visitFiles(resolve(ROOT, path), (mtimeMs) => {
      newest = Math.max(newest, mtimeMs);
    });
  return newest;
}

function visitFiles(path: string, visit: (mtimeMs: number) => void): void {
  const stat = statSync(path);
  if (stat.isDirectory()) for (const name of readdirSync(path)) visitFiles(join(path, name), visit);
  else visit(stat.mtimeMs);
}

/** Bundle when dist/ is missing or older than a source (tests spawn the bin, which runs dist/). */
export async function bundleIfStale(): Promise<boolean> {
  const entries = Object.keys(ENTRY_POINTS).map((name) => resolve(DIST, `${name}.js`));
  const built = entries.every((file) => existsSync(file)) ? Math.min(...entries.map((file) => statSync(file).mtimeMs)) : 0;
  if (built > newestSource()) return false;
  await bundle();
  return true;
}

/**
 * The declarations when dist/types is missing or older than a source: `npm ci` (its prepare
 * script) has just written them in CI, and tsc takes some 8 s to write the same files again.
 */
export function declarationsIfStale(): boolean {
  const types = resolve(DIST, 'types');
  let oldest = Number.POSITIVE_INFINITY;
  if (existsSync(resolve(types, 'src/index.d.ts')))
    visitFiles(types, (mtimeMs) => {
      oldest = Math.min(oldest, mtimeMs);
    });
  if (Number.isFinite(oldest) && oldest > newestSource()) return false;
  declarations();
  return true;
}

export function declarations(): void {
  const tsc = resolve(ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${result.status})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await bundle();
  if (!process.argv.includes('--bundle')) declarations();
  console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
}

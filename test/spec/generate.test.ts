/**
 * The generator as its users run it: once as the command (a child process, the real entry point),
 * otherwise as the same command called in this process (runGenerate), which spares a process
 * start and the generator's imports per case.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runGenerate } from '../../scripts/generate.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const spec = readFileSync(join(root, 'spec/openapi.yaml'), 'utf8');

async function generate(...args: string[]) {
  const chunks: string[] = [];
  const write = (text: string) => {
    chunks.push(text);
  };
  const status = await runGenerate(args, { out: write, err: write });
  return { status, output: chunks.join('') };
}

function specVariant(edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'uc-spec-'));
  const file = join(dir, 'openapi.yaml');
  const edited = edit(spec);
  expect(edited).not.toBe(spec);
  writeFileSync(file, edited);
  return file;
}

describe('npm run generate', () => {
  test('--check is clean on the committed spec, run as the command', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/generate.ts'), '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(`${result.stdout}${result.stderr}`).toContain('generate --check: 10 files in generated/ match spec/openapi.yaml');
    expect(result.status).toBe(0);
  });

  test('--check fails and names each stale file when the spec changed without regenerating', async () => {
    const { status, output } = await generate(
      '--check',
      '--spec',
      specVariant((s) => s.replace('maximum: 1000', 'maximum: 500')),
    );
    expect(status).toBe(1);
    expect(output).toContain('stale: generated/manifest.json');
    expect(output).toContain('stale: generated/param-validators.js');
    expect(output).toContain('npm run generate');
  });

  test('--check flags a file in generated/ that the generator does not write', async () => {
    const out = mkdtempSync(join(tmpdir(), 'uc-gen-'));
    cpSync(join(root, 'generated'), out, { recursive: true });
    writeFileSync(join(out, 'hand-written.ts'), 'export {};\n');
    const { status, output } = await generate('--check', '--out', out);
    expect(status).toBe(1);
    expect(output).toContain('hand-written.ts (not written by the generator)');
  });

  test('writes every output with a DO-NOT-EDIT header into --out', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'uc-gen-')), 'generated');
    mkdirSync(out);
    expect((await generate('--out', out)).status).toBe(0);
    for (const name of ['types.ts', 'validators.js', 'validators.d.ts', 'param-validators.js', 'param-validators.d.ts']) {
      expect(readFileSync(join(out, name), 'utf8').split('\n')[0], name).toMatch(/^\/\/ DO NOT EDIT\./);
    }
    for (const name of ['manifest.json', 'schemas.json']) {
      expect(JSON.parse(readFileSync(join(out, name), 'utf8')).$comment, name).toMatch(/^DO NOT EDIT\./);
    }
    // The standalone validators compile nothing at run time.
    expect(readFileSync(join(out, 'validators.js'), 'utf8')).not.toMatch(/new Ajv|\.compile\(/);
  });

  test('a spec that breaks OpenAPI 3.1 stops generation with the JSON pointer of the problem', async () => {
    const { status, output } = await generate(
      '--check',
      '--spec',
      specVariant((s) =>
        s.replace(
          '      operationId: getCurrentAccountValuation\n',
          '      operationId: getCurrentAccountValuation\n      deprecated: sometimes\n',
        ),
      ),
    );
    expect(status).toBe(1);
    expect(output).toContain('is not a valid OpenAPI 3.1 document');
    expect(output).toMatch(/at \/paths\/~1accounts~1\{account_id\}~1valuations~1current\/get/);
    expect(output).toContain('Nothing was written');
  });

  test("a spec that breaks the project's rules stops generation with the pointer", async () => {
    const withoutHeader = specVariant((s) =>
      s.replace(
        "          description: The account's current valuation.\n          headers:\n            upvest-request-id:\n              $ref: '#/components/headers/UpvestRequestId'\n",
        "          description: The account's current valuation.\n",
      ),
    );
    const { status, output } = await generate('--check', '--spec', withoutHeader);
    expect(status).toBe(1);
    expect(output).toContain(
      'at /paths/~1accounts~1{account_id}~1valuations~1current/get/responses/200/headers: response does not document the upvest-request-id header',
    );
  });
});

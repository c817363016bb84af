import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, test } from 'vitest';
import type { RunResult } from '../../src/engine/result.js';
import { runFixtureSuite, type FixtureRun } from './fixture-run.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as typeof addFormatsModule.default;
const schemaText = readFileSync(new URL('../../reporters/report.schema.json', import.meta.url), 'utf8');
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(schemaText) as object);

// biome-ignore lint/suspicious/noExplicitAny: the breaks reach into arbitrary paths of a parsed report.
type Json = Record<string, any>;

/** Ways to get a report wrong that the schema must notice. */
const BREAKS: [string, (r: Json) => void][] = [
  ['an unknown verdict', (r) => (r.verdict = 'mostly-fine')],
  ['a missing totals block', (r) => delete r.totals],
  ['an exit code outside 0-2', (r) => (r.exitCode = 3)],
  ['another schema version', (r) => (r.schemaVersion = '2.0.0')],
  ['an unknown check status', (r) => (r.operations[0].checks[0].status = 'ok')],
  ['an unknown severity', (r) => (r.operations[0].checks[0].failures[0].severity = 'fatal')],
  ['an extra property on a failure', (r) => (r.operations[0].checks[0].failures[0].extra = true)],
  ['a count that is not a whole number', (r) => (r.totals.failures = 1.5)],
  ['a status seen that is not a status', (r) => (r.operations[0].statusesSeen.teapot = 1)],
  ['a response without its body excerpt', (r) => delete r.operations[0].checks[0].failures[0].response.bodyExcerpt],
  ['an enum entry without missing values', (r) => delete r.enumCoverage.entries[0].missing],
];

describe('report.json', () => {
  let run: FixtureRun;
  beforeAll(async () => {
    run = await runFixtureSuite();
  });

  test('validates against report.schema.json, which is written next to it', () => {
    expect(run.files['report.schema.json']).toBe(schemaText);
    const report = JSON.parse(run.files['report.json']) as unknown;
    expect(validate(report), ajv.errorsText(validate.errors)).toBe(true);
    expect((report as { $schema: string }).$schema).toBe('./report.schema.json');
  });

  test('holds what the fixture suite produced', () => {
    const r: RunResult = run.report;
    expect(r.verdict).toBe('violations');
    expect(r.exitCode).toBe(1);
    expect(r.totals).toMatchObject({
      operations: 2,
      checks: 9,
      passed: 5,
      failed: 2,
      errors: 1,
      skipped: 1,
      failures: 3,
      warnings: 2,
      baselined: 1,
    });
    expect(r.webhooks?.outcomes).toHaveLength(1);
    expect(r.baseline?.stale.map((e) => e.check)).toEqual(['not-found']);
    expect(r.gates).toEqual([
      expect.objectContaining({ name: 'min-enum-coverage', passed: false }),
      expect.objectContaining({ name: 'fail-on', passed: true }),
    ]);
  });

  test.for(BREAKS)('a copy with %s does not validate', ([, breakIt]) => {
    const broken = JSON.parse(run.files['report.json']) as Json;
    breakIt(broken);
    expect(validate(broken)).toBe(false);
  });
});

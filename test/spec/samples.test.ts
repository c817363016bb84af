import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { validateBody } from '../../src/spec/validate.js';
import { deviations, loadSample, sampleIndex, validatorFor } from '../helpers/samples.js';

const byFile = new Map(deviations.map((d) => [d.sample, d]));

describe('spec/samples', () => {
  test('the index lists every sample file and only existing files', () => {
    const files = readdirSync(new URL('../../spec/samples/', import.meta.url)).filter(
      (f) => f.endsWith('.json') && f !== 'index.json' && f !== 'deviations.json',
    );
    expect(sampleIndex.map((s) => s.file).sort()).toEqual(files.sort());
  });

  test('every deviation names an indexed sample', () => {
    for (const d of deviations)
      expect(
        sampleIndex.some((s) => s.file === d.sample),
        d.sample,
      ).toBe(true);
  });

  test('the seeds contribute samples of every kind, operation and status they document', () => {
    expect(sampleIndex.filter((s) => s.kind === 'request')).toHaveLength(2);
    expect(
      sampleIndex
        .filter((s) => s.kind === 'webhook')
        .map((s) => s.eventType)
        .sort(),
    ).toEqual(['ACCOUNT_VALUATION.CREATED', 'INTRADAY_ACCOUNT_VALUATION.CREATED', 'REBALANCING_EXECUTION_ORDER.NEW']);
    expect(sampleIndex.filter((s) => s.kind === 'response')).toHaveLength(52);
  });

  test.for(sampleIndex.map((s) => [s.file, s] as const))('%s validates as its tag says', ([file, entry]) => {
    const result = validateBody(validatorFor(entry), loadSample(file));
    const deviation = byFile.get(file);
    const expected = deviation?.schemaErrors ?? [];
    // Deviations must fail for exactly the listed reason, so the list cannot rot.
    expect(result.violations.map((v) => ({ instancePath: v.instancePath, keyword: v.keyword }))).toEqual(expected);
    expect(result.valid).toBe(expected.length === 0);
    expect(result.undocumented).toEqual([]);
  });
});

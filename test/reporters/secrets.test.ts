import { beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_OPERATIONS, PLANTED } from '../fixtures/reporting/outcomes.js';
import { runFixtureSuite, type FixtureRun } from './fixture-run.js';

const LEAKS = [PLANTED.clientSecret, PLANTED.bearer, PLANTED.signature, PLANTED.pemBody, 'PRIVATE KEY'];

describe('secrets in the reports', () => {
  let run: FixtureRun;
  beforeAll(async () => {
    run = await runFixtureSuite();
  });

  test('the fixtures do carry every planted secret (so the next test means something)', () => {
    const raw = JSON.stringify(FIXTURE_OPERATIONS);
    for (const leak of LEAKS) expect(raw).toContain(leak);
  });

  test('every format is written', () => {
    expect(Object.keys(run.files).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'report.schema.json', 'summary.md']);
  });

  test.for(['junit.xml', 'report.html', 'report.json', 'report.schema.json', 'summary.md'])(
    '%s holds no planted secret, only placeholders',
    (name) => {
      const content = run.files[name];
      for (const leak of LEAKS) expect(content, `${leak} in ${name}`).not.toContain(leak);
      if (name !== 'report.schema.json') expect(content).toContain('[REDACTED]');
    },
  );
});

/**
 * Every fault mode of the mock is caught by the check that must catch it, and the clean mock
 * raises no finding at all (a false alarm is a defect of the suite).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { REGISTRY } from '../../src/checks/registry.js';
import { mutationMatrix, type MutationMatrix } from '../../src/mutation/matrix.js';
import { FAULTS, FaultSet } from '../../src/mock/faults.js';
import { CONSUMER_FAULTS } from '../../src/mutation/consumer.js';

describe('fault modes', () => {
  test('at least 30, uniquely named, each naming an existing check and covering every area', () => {
    expect(FAULTS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(FAULTS.map((f) => f.name)).size).toBe(FAULTS.length);
    const checks = new Set(REGISTRY.all.map((c) => c.name));
    for (const fault of FAULTS) expect(checks.has(fault.caughtBy), fault.name).toBe(true);
    expect(new Set(FAULTS.map((f) => f.area))).toEqual(
      new Set([
        'schema',
        'undocumented',
        'pagination',
        'errors',
        'headers',
        'auth',
        'idempotency',
        'identity',
        'protocol',
        'status',
        'coverage',
        'availability',
        'side-effects',
        'webhooks',
      ]),
    );
  });

  test('an unknown fault name is refused, so none can be switched on by a typo', () => {
    expect(() => new FaultSet(['schema-drop-requried'])).toThrow(/unknown fault "schema-drop-requried"/);
  });
});

describe('detection matrix', () => {
  let matrix: MutationMatrix;
  beforeAll(async () => {
    matrix = await mutationMatrix({ parallel: 2 });
  }, 300_000);

  test('no false alarm on the clean mock', () => {
    expect(matrix.cleanRun.falseAlarms).toEqual([]);
  });

  test('the clean run executed every check it planned', () => {
    expect(matrix.cleanRun.checks).toBeGreaterThan(70);
    expect(matrix.cleanRun.checksPassed).toBe(matrix.cleanRun.checks);
  });

  test.for(FAULTS.map((f) => [f.name, f.caughtBy] as const))('%s is caught by %s, with a finding that shows it', ([name, check]) => {
    const result = matrix.faults.find((f) => f.fault === name)!;
    const fault = FAULTS.find((f) => f.name === name)!;
    expect(result.caughtBy).toContain(check);
    // The expected check's finding names the fault (by message or pointer), not just any failure of that check.
    expect(result.evidence, `no ${check} finding matches ${fault.evidence}`).toBeDefined();
    expect(`${result.evidence!.message} ${result.evidence!.pointer ?? ''}`).toMatch(fault.evidence);
  });

  test.for(CONSUMER_FAULTS.map((f) => [f.name, f.caughtBy] as const))(
    'consumer:%s is caught by %s, with a finding that shows it',
    ([name, check]) => {
      const result = matrix.faults.find((f) => f.fault === `consumer:${name}`)!;
      expect(result.caughtBy).toContain(check);
      expect(result.evidence?.message).toMatch(CONSUMER_FAULTS.find((f) => f.name === name)!.evidence);
    },
  );
});

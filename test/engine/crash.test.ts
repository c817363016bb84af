/**
 * Whatever a check throws is an error outcome of that check with the message and the first
 * stack frame; the run's verdict is incomplete (exit 2), never conformant; every other check
 * keeps its result. Before the engine-first reshape, a throw in exercise made vitest skip the
 * operation's tests and the run ended CONFORMANT, exit 0. End to end for that phase here; every
 * phase is unit-tested in operation-runner.test.ts, the verdict in result.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRegistry, REGISTRY } from '../../src/checks/registry.js';
import type { Check, CheckRun } from '../../src/checks/types.js';
import { runEngine } from '../../src/engine/run.js';
import type { MockHandle } from '../../src/mock/server.js';
import { startMock } from '../../src/mock/server.js';
import { generateSigningKey } from '../../src/signing/index.js';
import { mockTarget, verifierOf } from '../helpers/targets.js';

const key = generateSigningKey('ed25519', 'crash-test');

type Phase = 'start' | 'exercise' | 'observe' | 'conclude';

function throwingCheck(phase: Phase): Check {
  const boom = () => {
    throw new TypeError(`planted failure in ${phase}`);
  };
  return {
    name: 'throws-on-purpose',
    title: 'A check that throws, to prove the engine contains it',
    severity: 'error',
    scope: 'operation',
    appliesTo: ({ operation }) => (operation.operationId === 'getCurrentAccountValuation' ? true : 'only one operation'),
    start(): CheckRun {
      if (phase === 'start') boom();
      return {
        ...(phase === 'exercise' ? { exercise: async () => boom() } : {}),
        ...(phase === 'observe' ? { observe: boom } : {}),
        ...(phase === 'conclude' ? { conclude: boom } : {}),
      };
    },
  };
}

let mock: MockHandle;
beforeAll(async () => {
  mock = await startMock({ valuationDays: 20, signatureKeys: verifierOf(key) });
});
afterAll(async () => mock.close());

describe('a check that throws', () => {
  test.for(['exercise'] as const)('in %s: an error outcome, verdict incomplete, exit 2', async (phase) => {
    const registry = createRegistry([
      ...REGISTRY.operationChecks.filter((c) => ['status-code', 'response-schema'].includes(c.name)),
      throwingCheck(phase),
    ]);
    const result = await runEngine(mockTarget(mock, { key, only: ['getCurrentAccountValuation'] }), { registry });
    const op = result.operations.find((o) => o.operationId === 'getCurrentAccountValuation')!;
    const crashed = op.checks.find((c) => c.check === 'throws-on-purpose')!;
    expect(crashed.status).toBe('error');
    expect(crashed.errors).toHaveLength(1);
    expect(crashed.errors[0]).toMatchObject({ code: 'CT_ERR_CHECK_CRASH', probe: expect.stringContaining(phase) });
    expect(crashed.errors[0].message).toContain(`planted failure in ${phase}`);
    // The first stack frame says where: this file.
    expect(crashed.errors[0].message).toMatch(/\(at .*crash\.test\.ts:\d+:\d+\)/);
    // The other checks of the operation concluded on their own.
    expect(op.checks.filter((c) => c.check !== 'throws-on-purpose').map((c) => c.status)).toEqual(['passed', 'passed']);
    expect(result.verdict).toBe('incomplete');
    expect(result.exitCode).toBe(2);
  });

  test('an event handler that throws makes the run incomplete, and the run still ends', async () => {
    const registry = createRegistry(REGISTRY.operationChecks.filter((c) => c.name === 'status-code'));
    const result = await runEngine(mockTarget(mock, { key, only: ['getCurrentAccountValuation'] }), {
      registry,
      handlers: [
        (event) => {
          if (event.type === 'check-finished') throw new Error('a progress printer broke');
        },
      ],
    });
    expect(result.harnessErrors).toMatchObject([{ code: 'CT_ERR_REPORTER', message: expect.stringContaining('a progress printer broke') }]);
    expect(result.verdict).toBe('incomplete');
    expect(result.exitCode).toBe(2);
  });
});

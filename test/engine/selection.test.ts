/**
 * --only and --skip: every combination of check names, operationIds, `METHOD /path` and
 * `webhooks`, over a registry of four checks (two of operations, one of the provider's webhooks,
 * one of a webhook consumer) and the real spec's five operations.
 */
import { describe, expect, test } from 'vitest';
import { createRegistry } from '../../src/checks/registry.js';
import type { CheckInfo } from '../../src/checks/types.js';
import { createSelection } from '../../src/engine/selection.js';
import { UsageError } from '../../src/errors.js';
import { MANIFEST_SPEC as SPEC } from '../helpers/manifest-spec.js';

const info = (name: string, scope: CheckInfo['scope']): CheckInfo => ({ name, title: name, severity: 'error', scope });
const REGISTRY = createRegistry([
  info('auth', 'operation'),
  info('pagination-meta', 'operation'),
  info('webhook-events', 'provider-webhooks'),
  info('consumer-acknowledges', 'webhook-consumer'),
]);

const OPS = SPEC.manifest.operations.map((o) => o.operationId);
const CHECK_NAMES = REGISTRY.all.map((c) => c.name);
const SKIPPED = 'skipped with --skip';
const NOT_ONLY = 'not selected by --only';

type Verdict = true | string;
interface Want {
  /** Per operationId; the operations not named get `others`. */
  operations?: Record<string, Verdict>;
  others?: Verdict;
  webhooks: Verdict;
  /** Per check name; the checks not named get `otherChecks`. */
  checks?: Record<string, Verdict>;
  otherChecks?: Verdict;
}

const CASES: [string, string[], string[], Want][] = [
  ['nothing given: everything runs', [], [], { others: true, webhooks: true, otherChecks: true }],
  [
    '--only an operation check: every operation, that check only; the webhooks do not run',
    ['auth'],
    [],
    { others: true, webhooks: NOT_ONLY, checks: { auth: true }, otherChecks: NOT_ONLY },
  ],
  [
    "--only the provider's webhook check: the webhooks run; the operations' checks do not",
    ['webhook-events'],
    [],
    { others: true, webhooks: true, checks: { 'webhook-events': true }, otherChecks: NOT_ONLY },
  ],
  [
    "--only a consumer check: not the provider's webhooks",
    ['consumer-acknowledges'],
    [],
    { others: true, webhooks: NOT_ONLY, checks: { 'consumer-acknowledges': true }, otherChecks: NOT_ONLY },
  ],
  [
    '--only an operationId: that operation, every check; not the webhooks',
    ['listAccountValuations'],
    [],
    { operations: { listAccountValuations: true }, others: NOT_ONLY, webhooks: NOT_ONLY, otherChecks: true },
  ],
  [
    '--only METHOD /path: the same as its operationId',
    ['GET /accounts/{account_id}/valuations'],
    [],
    { operations: { listAccountValuations: true }, others: NOT_ONLY, webhooks: NOT_ONLY, otherChecks: true },
  ],
  ['--only webhooks: the webhooks only', ['webhooks'], [], { others: NOT_ONLY, webhooks: true, otherChecks: true }],
  [
    '--only two operations and a check: those operations, that check',
    ['getCurrentAccountValuation', 'POST /portfolios/rebalancings/executions', 'pagination-meta'],
    [],
    {
      operations: { getCurrentAccountValuation: true, triggerPortfolioRebalancing: true },
      others: NOT_ONLY,
      webhooks: NOT_ONLY,
      checks: { 'pagination-meta': true },
      otherChecks: NOT_ONLY,
    },
  ],
  [
    '--only an operation and webhooks',
    ['listAccountValuations', 'webhooks'],
    [],
    { operations: { listAccountValuations: true }, others: NOT_ONLY, webhooks: true, otherChecks: true },
  ],
  [
    '--only webhooks and an operation check: the group is selected (its check is not)',
    ['webhooks', 'auth'],
    [],
    { others: NOT_ONLY, webhooks: true, checks: { auth: true }, otherChecks: NOT_ONLY },
  ],
  ['--skip a check: that check only', [], ['auth'], { others: true, webhooks: true, checks: { auth: SKIPPED }, otherChecks: true }],
  [
    '--skip an operationId',
    [],
    ['listAccountValuations'],
    { operations: { listAccountValuations: SKIPPED }, others: true, webhooks: true, otherChecks: true },
  ],
  [
    '--skip METHOD /path',
    [],
    ['GET /accounts/{account_id}/valuations/current'],
    { operations: { getCurrentAccountValuation: SKIPPED }, others: true, webhooks: true, otherChecks: true },
  ],
  ['--skip webhooks', [], ['webhooks'], { others: true, webhooks: SKIPPED, otherChecks: true }],
  [
    '--skip wins over --only for the same operation',
    ['listAccountValuations'],
    ['GET /accounts/{account_id}/valuations'],
    { operations: { listAccountValuations: SKIPPED }, others: NOT_ONLY, webhooks: NOT_ONLY, otherChecks: true },
  ],
  [
    '--skip wins over --only for the same check',
    ['auth', 'pagination-meta'],
    ['auth'],
    { others: true, webhooks: NOT_ONLY, checks: { auth: SKIPPED, 'pagination-meta': true }, otherChecks: NOT_ONLY },
  ],
  ['--skip wins over --only for the webhooks', ['webhooks'], ['webhooks'], { others: NOT_ONLY, webhooks: SKIPPED, otherChecks: true }],
  [
    '--only a check, --skip an operation',
    ['pagination-meta'],
    ['listAccountValuations'],
    {
      operations: { listAccountValuations: SKIPPED },
      others: true,
      webhooks: NOT_ONLY,
      checks: { 'pagination-meta': true },
      otherChecks: NOT_ONLY,
    },
  ],
  [
    '--only an operation, --skip a check',
    ['listAccountValuations'],
    ['auth'],
    { operations: { listAccountValuations: true }, others: NOT_ONLY, webhooks: NOT_ONLY, checks: { auth: SKIPPED }, otherChecks: true },
  ],
];

describe('createSelection', () => {
  test.for(CASES)('%s', ([, only, skip, want]) => {
    const selection = createSelection(only, skip, REGISTRY, SPEC);
    const operations = Object.fromEntries(SPEC.manifest.operations.map((op) => [op.operationId, selection.operation(op)]));
    expect(operations).toStrictEqual(Object.fromEntries(OPS.map((id) => [id, want.operations?.[id] ?? want.others])));
    expect(selection.webhooks()).toBe(want.webhooks);
    const checks = Object.fromEntries(CHECK_NAMES.map((name) => [name, selection.check(name)]));
    expect(checks).toStrictEqual(Object.fromEntries(CHECK_NAMES.map((name) => [name, want.checks?.[name] ?? want.otherChecks])));
  });

  test.for([
    ['--only', ['schema'], []],
    ['--skip', [], ['getValuations']],
    ['--only', ['auth', 'GET /accounts'], []],
    ['--skip', [], ['Webhooks']],
  ] as const)(
    '%s with a name that is neither a check nor an operation is refused, with every valid name as the hint',
    ([flag, only, skip]) => {
      const name = [...only, ...skip].at(-1);
      let error: unknown;
      try {
        createSelection([...only], [...skip], REGISTRY, SPEC);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe('CT_ERR_USAGE');
      expect((error as UsageError).message).toBe(`${flag} ${name}: no check or operation has this name`);
      expect((error as UsageError).hint).toBe(
        'Checks: auth, pagination-meta, webhook-events, consumer-acknowledges. ' +
          'Operations: triggerPortfolioRebalancing, retrievePortfolioRebalancingExecution, listPortfolioRebalancingExecutionOrders, ' +
          'getCurrentAccountValuation, listAccountValuations; or "webhooks".',
      );
    },
  );
});

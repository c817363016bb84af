/**
 * What the checks of an operation are told about the target (environmentFor): the path values,
 * the required query values, the trigger's body and a foreign scope, or why the operation
 * cannot run.
 */
import { describe, expect, test } from 'vitest';
import { environmentFor, type TargetFacts } from '../../src/engine/environment.js';
import type { ManifestOperation, ManifestParameter } from '../../src/spec/manifest-types.js';
import { MANIFEST_SPEC as SPEC } from '../helpers/manifest-spec.js';

const A = '7d2a4c1e-5b3f-4a6d-8e9f-0a1b2c3d4e5f';
const B = '0b0b0b0b-5b3f-4a6d-8e9f-0a1b2c3d4e5f';
const E = '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7';

const facts = (overrides: Partial<TargetFacts> = {}): TargetFacts => ({
  accountIds: [A, B],
  executionId: E,
  triggerAccountIds: [],
  signing: true,
  expectSignatureVerification: true,
  depth: 'quick',
  scopedTokens: true,
  pageLimit: 2,
  maxPages: 50,
  minEnumCoverage: 80,
  ...overrides,
});

const op = (id: string) => SPEC.operation(id);
const param = (p: Partial<ManifestParameter>): ManifestParameter => ({ name: 'p', in: 'query', required: true, constraints: {}, ...p });
/** A made-up operation with these parameters (the spec has none like it). */
const madeUp = (parameters: ManifestParameter[]): ManifestOperation => ({ ...op('listAccountValuations'), parameters });

const CASES: [string, ManifestOperation, TargetFacts, unknown][] = [
  [
    'every configured account is a path value; the required query gets its first documented value; a read scope of another operation',
    op('getCurrentAccountValuation'),
    facts(),
    {
      pathValues: { account_id: [A, B] },
      queryValues: { price_quality: 'EOD' },
      signing: true,
      expectSignatureVerification: true,
      foreignScopes: ['portfolios:read'],
      requestBody: undefined,
      pageLimit: 2,
      maxPages: 50,
      minEnumCoverage: 80,
      depth: 'quick',
    },
  ],
  [
    'no account: skipped with the flag to give',
    op('listAccountValuations'),
    facts({ accountIds: [] }),
    { skip: 'no account to read: give --account-id (or UPVEST_ACCOUNT_IDS)' },
  ],
  [
    'the execution to read, configured or created',
    op('retrievePortfolioRebalancingExecution'),
    facts({ signing: false }),
    expect.objectContaining({ pathValues: { execution_id: [E] }, queryValues: {}, signing: false, foreignScopes: ['valuations:read'] }),
  ],
  [
    'no execution: skipped, saying how to get one',
    op('listPortfolioRebalancingExecutionOrders'),
    facts({ executionId: undefined }),
    { skip: 'no rebalancing execution to read: give --execution-id, or let the trigger operation create one' },
  ],
  [
    "the trigger's body names the trigger accounts",
    op('triggerPortfolioRebalancing'),
    facts({ triggerAccountIds: [B] }),
    expect.objectContaining({ pathValues: {}, requestBody: { accounts: [B] }, foreignScopes: ['portfolios:read'] }),
  ],
  [
    "without trigger accounts, the trigger's body names the first account",
    op('triggerPortfolioRebalancing'),
    facts(),
    expect.objectContaining({ requestBody: { accounts: [A] } }),
  ],
  [
    'no account at all: the trigger is skipped',
    op('triggerPortfolioRebalancing'),
    facts({ accountIds: [] }),
    { skip: 'no account to rebalance: give --trigger-account-id or --account-id' },
  ],
  [
    'a fixed access token: no foreign scope to ask for',
    op('getCurrentAccountValuation'),
    facts({ scopedTokens: false }),
    expect.objectContaining({ foreignScopes: undefined }),
  ],
  [
    'a scope the operation needs together with another is not foreign: the next one is',
    { ...madeUp([]), scopes: [['portfolios:read', 'valuations:read']] },
    facts(),
    expect.objectContaining({ foreignScopes: ['portfolios:admin'] }),
  ],
  [
    'a path parameter the engine has no values for',
    madeUp([param({ name: 'portfolio_id', in: 'path' })]),
    facts(),
    { skip: 'no value for path parameter portfolio_id' },
  ],
  [
    'a required query parameter with neither a default nor an enum',
    madeUp([param({ name: 'currency', constraints: { type: 'string' } })]),
    facts(),
    { skip: 'required query parameter currency has no documented value to send' },
  ],
  [
    'a required query parameter with a default is left to the default; an optional one is not sent',
    madeUp([param({ name: 'size', constraints: { default: 10 } }), param({ name: 'mode', required: false, constraints: { enum: ['x'] } })]),
    facts(),
    expect.objectContaining({ queryValues: {} }),
  ],
];

describe('environmentFor', () => {
  test.for(CASES)('%s', ([, operation, given, want]) => {
    expect(environmentFor(operation, given, SPEC)).toEqual(want);
  });
});

import { describe, expect, test } from 'vitest';
import { breakages, inputValidationCases } from '../../src/checks/input-validation.js';
import { CHECKS, createRegistry } from '../../src/checks/registry.js';
import type { Check } from '../../src/checks/types.js';
import { operationById } from '../../src/spec/manifest.js';
import type { ManifestOperation } from '../../src/spec/manifest-types.js';
import { SPEC } from '../../src/spec/spec-view.js';
import { environment } from '../helpers/check-harness.js';

describe('negative cases are derived from the manifest', () => {
  test('limit (min 0, max 1000, integer) gives -1, 1001, abc and 1.5, each expecting 400', () => {
    const cases = inputValidationCases({ operation: operationById('listAccountValuations'), env: environment(), spec: SPEC });
    const limit = cases.filter((c) => c.id.startsWith('query:limit:'));
    expect(limit.map((c) => [c.id, (c.request.query as [string, string][]).find(([n]) => n === 'limit')?.[1], c.expect?.statuses])).toEqual(
      [
        ['query:limit:below-minimum', '-1', [400]],
        ['query:limit:above-maximum', '1001', [400]],
        ['query:limit:not-a-number', 'abc', [400]],
        ['query:limit:fraction', '1.5', [400]],
      ],
    );
  });

  test('every constrained parameter of every operation has cases; auth headers are left to the auth check', () => {
    const ids = inputValidationCases({ operation: operationById('triggerPortfolioRebalancing'), env: environment(), spec: SPEC }).map(
      (c) => c.id,
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        'header:idempotency-key:missing',
        'header:idempotency-key:bad-format',
        'header:upvest-api-version:not-in-enum',
        'body:Accounts:extra-property',
        'body:Accounts:accounts:bad-item',
        'body:Allocations:allocations:wrong-type',
        'body:no-branch',
        'body:both-branches',
        'body:not-json',
        'body:missing',
      ]),
    );
    expect(ids.some((id) => /authorization|signature|upvest-client-id/.test(id))).toBe(false);
    const current = inputValidationCases({ operation: operationById('getCurrentAccountValuation'), env: environment(), spec: SPEC }).map(
      (c) => c.id,
    );
    expect(current).toEqual(
      expect.arrayContaining(['path:account_id:bad-format', 'query:price_quality:missing', 'query:price_quality:not-in-enum']),
    );
  });

  test('adding a constraint to the spec adds a case', () => {
    const op = operationById('listAccountValuations');
    const tightened: ManifestOperation = {
      ...op,
      parameters: op.parameters.map((p) => (p.name === 'offset' ? { ...p, constraints: { ...p.constraints, maximum: 5000 } } : p)),
    };
    const before = inputValidationCases({ operation: op, env: environment(), spec: SPEC }).map((c) => c.id);
    const after = inputValidationCases({ operation: tightened, env: environment(), spec: SPEC }).map((c) => c.id);
    expect(after.filter((id) => !before.includes(id))).toEqual(['query:offset:above-maximum']);
    const withDate: ManifestOperation = {
      ...op,
      parameters: [...op.parameters, { name: 'as_of', in: 'query', required: false, constraints: { type: 'string', format: 'date' } }],
    };
    expect(breakages(withDate.parameters.at(-1)!).map((b) => [b.id, b.value])).toEqual([['query:as_of:bad-format', '2024-13-45']]);
  });

  test('where 400 is not documented, any refusal is the expectation (status-code reports an undocumented one)', () => {
    const cases = inputValidationCases({
      operation: operationById('retrievePortfolioRebalancingExecution'),
      env: environment(),
      spec: SPEC,
    });
    expect(cases.find((c) => c.id === 'path:execution_id:bad-format')?.expect).toMatchObject({ statuses: [], anyRefusal: true });
  });
});

describe('check registry', () => {
  test('names are unique, well-formed, and every check has a title', () => {
    expect(new Set(CHECKS.map((c) => c.name)).size).toBe(CHECKS.length);
    for (const check of CHECKS) {
      expect(check.name).toMatch(/^[a-z][a-z-]*$/);
      expect(check.title.length).toBeGreaterThan(20);
    }
    expect(CHECKS).toHaveLength(22);
  });

  test('rejects duplicate and malformed names', () => {
    const fake = (name: string): Check => ({
      name,
      title: 'x',
      severity: 'error',
      scope: 'operation',
      appliesTo: () => true,
      start: () => ({}),
    });
    expect(() => createRegistry([fake('a-check'), fake('a-check')])).toThrow('two checks are named "a-check"');
    expect(() => createRegistry([fake('Bad_Name')])).toThrow('must be lower-case words');
  });
});

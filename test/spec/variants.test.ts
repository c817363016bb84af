import { describe, expect, test } from 'vitest';
import { generateInstance, type Schema } from '../../src/data/instance-generator.js';
import { manifest, storedSchema } from '../../src/spec/manifest.js';
import { validateBody } from '../../src/spec/validate.js';
import { choicePoints, invalidVariants } from '../helpers/variants.js';

const responseValidators = manifest.operations.flatMap((op) => op.responses.flatMap((r) => r.contents.map((c) => c.validator)));
const eventValidators = manifest.eventTypes.map((e) => e.validator);
const all = [...responseValidators, ...eventValidators];

describe('generated validators reject single faults', () => {
  test.for(all)('%s', (validator) => {
    const schema = storedSchema(validator) as Schema;
    const base = generateInstance(schema, { seed: 7 });
    expect(validateBody(validator, base).valid).toBe(true);
    const variants = invalidVariants(schema, base);
    const kinds = new Set(variants.map((v) => v.kind));
    // Every body has required fields, typed values and a null somewhere it is not allowed.
    for (const kind of ['drop-required', 'wrong-type', 'null-not-nullable'] as const) expect(kinds).toContain(kind);
    const accepted = variants.filter((v) => validateBody(validator, v.instance).valid).map((v) => `${v.kind} at ${v.pointer || '/'}`);
    expect(accepted).toEqual([]);
  });

  test('the faults the issue names all occur across the validators', () => {
    const kinds = new Set(
      all.flatMap((v) =>
        invalidVariants(storedSchema(v) as Schema, generateInstance(storedSchema(v) as Schema, { seed: 7 })).map((x) => x.kind),
      ),
    );
    expect([...kinds].sort()).toEqual([
      'broken-format',
      'broken-pattern',
      'drop-required',
      'null-not-nullable',
      'out-of-enum',
      'wrong-type',
    ]);
  });
});

describe('generated validators accept every documented shape', () => {
  test.for(all)('%s: each nullable as null and non-null, each oneOf branch', (validator) => {
    const schema = storedSchema(validator) as Schema;
    const { nullable, oneOf } = choicePoints(schema);
    const rejected: string[] = [];
    for (const pointer of nullable) {
      for (const seed of [1, 2]) {
        const withNull = generateInstance(schema, { seed, choices: { [pointer]: { null: true } } });
        if (!validateBody(validator, withNull).valid) rejected.push(`${pointer} = null`);
      }
      const nonNull = generateInstance(schema, { seed: 3 });
      if (!validateBody(validator, nonNull).valid) rejected.push(`${pointer} non-null`);
    }
    for (const { pointer, branches } of oneOf) {
      for (let branch = 0; branch < branches; branch++) {
        const instance = generateInstance(schema, { seed: branch + 11, choices: { [pointer]: { branch } } });
        if (!validateBody(validator, instance).valid) rejected.push(`${pointer} branch ${branch}`);
      }
    }
    expect(rejected).toEqual([]);
  });

  test('nullable fields and oneOf branches of the slice are all found', () => {
    const order = choicePoints(storedSchema('response_listPortfolioRebalancingExecutionOrders_200_json') as Schema);
    expect(order.nullable).toEqual(['/data/*/portfolio_order_id']);
    const valuation = choicePoints(storedSchema('response_getCurrentAccountValuation_200_json') as Schema);
    expect(valuation.nullable.sort()).toEqual(['/security_positions/*/value', '/security_positions/*/weight']);
    const account = choicePoints(storedSchema('event_ACCOUNT_CREATED') as Schema);
    expect(account.oneOf).toEqual([{ pointer: '/object', branches: 2 }]);
  });
});

describe('undocumented properties are a separate, lower-severity finding', () => {
  test('an extra property is reported as undocumented, not as a violation', () => {
    const validator = 'response_retrievePortfolioRebalancingExecution_200_json';
    const body = { ...(generateInstance(storedSchema(validator) as Schema, { seed: 1 }) as object), rebalancing_mode: 'FULL' };
    expect(validateBody(validator, body)).toEqual({
      valid: true,
      violations: [],
      undocumented: [{ instancePath: '', property: 'rebalancing_mode' }],
    });
  });

  test('nested extra properties are found at their own pointer', () => {
    const validator = 'response_listAccountValuations_200_json';
    const body = generateInstance(storedSchema(validator) as Schema, { seed: 2 }) as {
      data: { security_positions: { instrument: Record<string, unknown> }[] }[];
      meta: Record<string, unknown>;
    };
    body.data[0].security_positions[0].instrument.wkn = '766400';
    body.meta.next = null;
    const result = validateBody(validator, body);
    expect(result.valid).toBe(true);
    expect(result.undocumented).toEqual(
      expect.arrayContaining([
        { instancePath: '/data/0/security_positions/0/instrument', property: 'wkn' },
        { instancePath: '/meta', property: 'next' },
      ]),
    );
    expect(result.undocumented).toHaveLength(2);
  });

  test('in a oneOf, only the matching branch reports undocumented properties', () => {
    const business = generateInstance(storedSchema('event_ACCOUNT_UPDATED') as Schema, {
      seed: 4,
      choices: { '/object': { branch: 1 } },
    }) as { object: Record<string, unknown> };
    expect(validateBody('event_ACCOUNT_UPDATED', business)).toEqual({ valid: true, violations: [], undocumented: [] });
    business.object.tax_id = 'DE123';
    expect(validateBody('event_ACCOUNT_UPDATED', business).undocumented).toEqual([{ instancePath: '/object', property: 'tax_id' }]);
  });

  test('inside a nullable (type-disjoint oneOf) object, extra properties are still found', () => {
    // The closed twin drops formats and patterns there (the type picks the branch); the
    // property check itself must stay.
    const validator = 'response_listAccountValuations_200_json';
    const body = generateInstance(storedSchema(validator) as Schema, {
      seed: 2,
      choices: { '/data/*/security_positions/*/value': { branch: 0 } },
    }) as {
      data: { security_positions: { value: Record<string, unknown> | null }[] }[];
    };
    const position = body.data[0].security_positions[0];
    position.value = { ...(position.value ?? { amount: '1.00', currency: 'EUR', price_time: '2024-01-01T00:00:00Z' }), fx_rate: '1.0' };
    expect(validateBody(validator, body)).toEqual({
      valid: true,
      violations: [],
      undocumented: [{ instancePath: '/data/0/security_positions/0/value', property: 'fx_rate' }],
    });
    // And the open validator still judges the content the twin no longer repeats.
    position.value.price_time = 'yesterday';
    expect(validateBody(validator, body).violations.map((v) => [v.instancePath, v.keyword])).toContainEqual([
      '/data/0/security_positions/0/value/price_time',
      'format',
    ]);
  });

  test('a valid Business Account never matches the Account branch as well', () => {
    const business = generateInstance(storedSchema('event_ACCOUNT_CREATED') as Schema, {
      seed: 5,
      choices: { '/object': { branch: 1 } },
    }) as { object: Record<string, unknown> };
    // Even carrying an Account-only field, it must match exactly one branch.
    business.object.users = [];
    expect(validateBody('event_ACCOUNT_CREATED', business).valid).toBe(true);
  });

  test('a wrong type is a violation even when an undocumented property is present too', () => {
    const validator = 'response_triggerPortfolioRebalancing_200_json';
    const result = validateBody(validator, { id: 42, extra: true });
    expect(result.valid).toBe(false);
    expect(result.violations.map((v) => [v.instancePath, v.keyword, v.value])).toEqual([['/id', 'type', 42]]);
  });
});

/**
 * The parsed bodies of an operation: the same bytes parse once, into one frozen value, and are
 * validated once; what differs by a byte is parsed on its own; what is kept is bounded; and a
 * check that tries to change a body crashes as its own error while the others see it intact.
 */
import { describe, expect, test } from 'vitest';
import type { ProbeResult } from '../../src/checks/types.js';
import { validationOf } from '../../src/checks/util.js';
import { Limiter } from '../../src/engine/limiter.js';
import { runOperation } from '../../src/engine/operation-runner.js';
import { deepFreeze, ResponseBodies } from '../../src/engine/response-bodies.js';
import { environment, MANIFEST_SPEC as SPEC } from '../helpers/manifest-spec.js';
import { fakeCheck, fakeClient } from '../helpers/fake-client.js';

const page = (n: number) =>
  Buffer.from(JSON.stringify({ data: Array.from({ length: n }, (_, i) => ({ id: `item-${i}`, nested: { i } })) }));

describe('ResponseBodies.parse', () => {
  test('the same bytes twice: one value, frozen all the way down, counted as reused', () => {
    const bodies = new ResponseBodies();
    const first = bodies.parse(page(100));
    const second = bodies.parse(page(100));
    expect(second.json).toBe(first.json);
    expect(bodies.reused).toBe(1);
    const data = (first.json as { data: { nested: object }[] }).data;
    expect([Object.isFrozen(first.json), Object.isFrozen(data), Object.isFrozen(data[99].nested)]).toStrictEqual([true, true, true]);
  });

  test('bytes that differ by one character are parsed on their own', () => {
    const bodies = new ResponseBodies();
    const a = bodies.parse(page(100));
    const other = Buffer.from(page(100).toString().replace('item-7"', 'item-8"'));
    const b = bodies.parse(other);
    expect(b.json).not.toBe(a.json);
    expect((b.json as { data: { id: string }[] }).data[7].id).toBe('item-8');
    expect(bodies.reused).toBe(0);
  });

  test('small bodies are parsed each time (still frozen); past the byte bound nothing more is kept', () => {
    const small = new ResponseBodies({ minBytes: 1024 });
    const tiny = Buffer.from('{"a":{"b":1}}');
    const [x, y] = [small.parse(tiny), small.parse(tiny)];
    expect([x.json === y.json, Object.isFrozen((x.json as { a: object }).a), small.reused]).toStrictEqual([false, true, 0]);

    const body = page(100);
    const bounded = new ResponseBodies({ maxHeldBytes: body.length - 1 });
    expect(bounded.parse(body).json).not.toBe(bounded.parse(body).json);
    expect(bounded.reused).toBe(0);
  });

  test('an empty body and a body that is not JSON say so, as before', () => {
    const bodies = new ResponseBodies({ minBytes: 0 });
    expect(bodies.parse(Buffer.alloc(0))).toStrictEqual({ jsonError: 'the body is empty' });
    expect(bodies.parse(Buffer.from('<html>oops</html>')).jsonError).toMatch(/^not JSON \(.+\); first bytes "<html>oops<\/html>"$/);
  });

  test('deepFreeze walks 100,000 levels without recursion', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(() => deepFreeze(deep)).not.toThrow();
    let inner = deep;
    for (let i = 0; i < 99_999; i++) inner = inner[0];
    expect(Object.isFrozen(inner)).toBe(true);
  });
});

describe('validationOf over shared values', () => {
  test('two responses with one value validate once; another value validates again', () => {
    let validations = 0;
    const ctx = {
      spec: {
        validate: () => {
          validations++;
          return { valid: true, violations: [], undocumented: [] };
        },
      },
    } as unknown as Parameters<typeof validationOf>[0];
    const bodies = new ResponseBodies();
    const result = (body: Buffer) => ({ ...bodies.parse(body) }) as ProbeResult;
    const [a, b, c] = [result(page(50)), result(page(50)), result(page(51))];
    for (const r of [a, b, c, a]) validationOf(ctx, r, 'v');
    validationOf(ctx, a, 'other');
    expect(validations).toBe(3);
  });
});

describe('in an operation', () => {
  test('a check that changes a body crashes alone; the next check sees the body as the target sent it', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ id: `item-${i}` }));
    const { client } = fakeClient(() => ({ status: 200, json: { data: items } }));
    const seen: Record<string, string[]> = {};
    const ids: string[] = [];
    const mutator = fakeCheck('mutator', seen, {
      observe: (r) => void (r.json as { data: unknown[] }).data.pop(),
    });
    const reader = fakeCheck('reader', seen, {
      observe: (r) => void ids.push(String((r.json as { data: unknown[] }).data.length)),
    });
    const result = await runOperation(SPEC.operation('getCurrentAccountValuation'), {
      client,
      env: environment(),
      spec: SPEC,
      limiter: new Limiter(2),
      checks: [mutator, reader].map((check) => ({ check, selected: true as const })),
    });
    const mutated = result.outcomes.find((o) => o.check === 'mutator')!;
    expect(mutated.status).toBe('error');
    expect(mutated.errors[0]).toMatchObject({ code: 'CT_ERR_CHECK_CRASH', message: expect.stringMatching(/read.only|frozen|Cannot/i) });
    expect(ids).toStrictEqual(['60']);
  });
});

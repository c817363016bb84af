/**
 * The one derivation of a check's status (crash > open failure > error > skip > pass; a
 * baselined failure does not fail), the outcome built around it, what a crash records, and
 * the de-duplication of one cause reported by two checks.
 */
import { describe, expect, test } from 'vitest';
import type { CheckError, Failure } from '../../src/checks/types.js';
import { buildOutcome, CHECK_CRASH, crashOf, dedupeCauses, skippedOutcome, statusOf } from '../../src/engine/outcome.js';
import { crash, failure, LIST, transportError, warning } from '../helpers/outcomes.js';

const open = failure();
const baselined = failure({ baselined: { reason: 'known' } });

describe('statusOf', () => {
  const CASES: [string, { failures?: Failure[]; errors?: CheckError[]; skipReason?: string }, string][] = [
    ['nothing found', {}, 'passed'],
    ['a skip reason', { skipReason: 'empty list' }, 'skipped'],
    ['a probe error', { errors: [transportError] }, 'error'],
    ['a probe error and a skip reason', { errors: [transportError], skipReason: 'empty list' }, 'error'],
    ['an open failure', { failures: [open] }, 'failed'],
    ['an open failure and a probe error', { failures: [open], errors: [transportError] }, 'failed'],
    ['an open failure and a skip reason', { failures: [open], skipReason: 'empty list' }, 'failed'],
    ['a crash', { errors: [crash] }, 'error'],
    ['a crash and an open failure', { failures: [open], errors: [transportError, crash] }, 'error'],
    ['a crash and a skip reason', { errors: [crash], skipReason: 'empty list' }, 'error'],
    ['only baselined failures', { failures: [baselined] }, 'passed'],
    ['a baselined and an open failure', { failures: [baselined, open] }, 'failed'],
    ['baselined failures and a probe error', { failures: [baselined], errors: [transportError] }, 'error'],
    ['baselined failures and a skip reason', { failures: [baselined], skipReason: 'empty list' }, 'skipped'],
  ];
  test.for(CASES)('%s → %s', ([, parts, want]) => {
    expect(statusOf({ failures: parts.failures ?? [], errors: parts.errors ?? [], skipReason: parts.skipReason })).toBe(want);
  });
});

describe('buildOutcome', () => {
  test('an outcome with every part: the status derived, the duration rounded, warnings not failing it', () => {
    expect(
      buildOutcome(
        { name: 'pagination-meta', title: 'T' },
        { key: LIST, operationId: 'listAccountValuations' },
        {
          warnings: [warning()],
          probes: 3,
          stats: { pages: 2 },
          enums: [{ scope: 's', pointer: '/p', values: ['A'], observed: [] }],
          durationMs: 12.6,
        },
      ),
    ).toStrictEqual({
      check: 'pagination-meta',
      title: 'T',
      operation: LIST,
      operationId: 'listAccountValuations',
      status: 'passed',
      failures: [],
      warnings: [warning()],
      errors: [],
      probes: 3,
      stats: { pages: 2 },
      enums: [{ scope: 's', pointer: '/p', values: ['A'], observed: [] }],
      durationMs: 13,
    });
  });

  test('the skip reason is kept only when the check is skipped', () => {
    const op = { key: LIST, operationId: 'listAccountValuations' };
    expect(buildOutcome({ name: 'c', title: 'T' }, op, { skipReason: 'empty list' }).skipReason).toBe('empty list');
    expect(buildOutcome({ name: 'c', title: 'T' }, op, { skipReason: 'empty list', failures: [open] })).not.toHaveProperty('skipReason');
    expect(skippedOutcome({ name: 'c', title: 'T' }, op, 'not selected by --only')).toMatchObject({
      status: 'skipped',
      skipReason: 'not selected by --only',
      probes: 0,
      failures: [],
      errors: [],
    });
  });
});

describe('crashOf', () => {
  test('an Error: the phase, the message and the first stack frame', () => {
    const error = new TypeError('x is undefined');
    error.stack = 'TypeError: x is undefined\n    at observe (/src/checks/thing.ts:10:5)\n    at run (/src/engine/x.ts:1:1)';
    expect(crashOf(error, 'observe of baseline:0')).toStrictEqual({
      probe: '(observe of baseline:0)',
      code: CHECK_CRASH,
      message: 'the check threw in observe of baseline:0: x is undefined (at observe (/src/checks/thing.ts:10:5))',
    });
  });

  test('something that is not an Error: its text', () => {
    expect(crashOf('a string', 'conclude')).toMatchObject({ probe: '(conclude)', code: CHECK_CRASH });
    expect(crashOf('a string', 'conclude').message).toMatch(/^the check threw in conclude: a string/);
  });

  test('an Error without a stack: the message alone', () => {
    const error = new Error('no stack');
    error.stack = undefined;
    expect(crashOf(error, 'start').message).toBe('the check threw in start: no stack');
  });
});

describe('dedupeCauses', () => {
  const headers = failure({ check: 'response-headers', message: 'no request id' });
  const other = failure({ check: 'error-shape', message: 'no request id either' });
  const CAUSE = 'response-headers:missing:upvest-request-id';

  test("the owner (the cause's namespace) reported it: the other check's finding is dropped", () => {
    const dropped = dedupeCauses([
      { check: 'error-shape', failure: other, cause: CAUSE },
      { check: 'response-headers', failure: headers, cause: CAUSE },
    ]);
    expect([...dropped]).toStrictEqual([other]);
  });

  test('the owner did not report it: the other check keeps its finding', () => {
    expect(dedupeCauses([{ check: 'error-shape', failure: other, cause: CAUSE }]).size).toBe(0);
  });

  test('findings without a cause, or with different causes, are never dropped', () => {
    const dropped = dedupeCauses([
      { check: 'response-headers', failure: headers, cause: CAUSE },
      { check: 'error-shape', failure: other, cause: 'response-headers:missing:content-type' },
      { check: 'error-shape', failure: failure({ check: 'error-shape' }) },
    ]);
    expect(dropped.size).toBe(0);
  });
});

/**
 * The context every check runs in and the record of what it found: de-duplication by key,
 * one finding per cause across checks, scrubbing of what the target sent, where a failure was
 * seen (request, response, curl), skips, excuses and errors.
 */
import { describe, expect, test } from 'vitest';
import { curlFor } from '../../src/checks/failure.js';
import type { CheckInfo, FailureInput, ProbeResult } from '../../src/checks/types.js';
import { secrets } from '../../src/client/redact.js';
import { documentedAt } from '../../src/checks/basis.js';
import { createCheckContext, createRecorder, outcomesOf } from '../../src/engine/check-context.js';
import { environment, MANIFEST_SPEC as SPEC } from '../helpers/manifest-spec.js';
import { transportError } from '../helpers/outcomes.js';

const OPERATION = SPEC.operation('listAccountValuations');
const CHECK: CheckInfo = { name: 'pagination-meta', title: 'The list metadata describes the page', severity: 'error', scope: 'operation' };
const GROUP = { key: OPERATION.key, operationId: OPERATION.operationId };

const input = (overrides: Partial<FailureInput> = {}): FailureInput => ({
  message: 'm',
  received: 'r',
  expected: 'e',
  basis: documentedAt('#/components/schemas/ListMeta', 'a test'),
  ...overrides,
});
const recorder = (check: CheckInfo = CHECK, scrub?: (text: string) => string) => createRecorder({ check, group: GROUP, scrub });

describe('a failure as recorded', () => {
  test('named by check, title, operation and severity; optional parts only when given', () => {
    const r = recorder();
    r.fail(input());
    r.fail(input({ severity: 'warning', basis: { kind: 'convention', reference: 'RFC 9110' }, pointer: '', schemaPointer: '#/x' }));
    const outcome = r.outcome();
    expect(outcome.failures).toStrictEqual([
      {
        check: CHECK.name,
        operation: OPERATION.key,
        title: CHECK.title,
        message: 'm',
        severity: 'error',
        basis: documentedAt('#/components/schemas/ListMeta', 'a test'),
        received: 'r',
        expected: 'e',
      },
    ]);
    // A warning does not fail the check; an empty pointer (the whole body) is kept.
    expect(outcome.warnings).toStrictEqual([
      {
        check: CHECK.name,
        operation: OPERATION.key,
        title: CHECK.title,
        message: 'm',
        severity: 'warning',
        basis: { kind: 'convention', reference: 'RFC 9110' },
        received: 'r',
        expected: 'e',
        pointer: '',
        schemaPointer: '#/x',
      },
    ]);
    expect(outcome.status).toBe('failed');
  });

  test('the severity of the check applies unless the failure names one', () => {
    const r = recorder({ ...CHECK, severity: 'warning' });
    r.fail(input());
    r.fail(input({ severity: 'error', message: 'serious' }));
    expect([r.outcome().warnings.map((f) => f.message), r.outcome().failures.map((f) => f.message)]).toStrictEqual([['m'], ['serious']]);
  });

  test('the same key again counts an occurrence on the first failure instead of a second failure', () => {
    const r = recorder();
    r.fail(input({ key: 'count', message: 'first' }));
    r.fail(input({ key: 'count', message: 'second' }));
    r.fail(input({ key: 'count', message: 'third' }));
    r.fail(input({ key: 'other', message: 'another fault' }));
    r.fail(input({ message: 'no key' }));
    r.fail(input({ message: 'no key' }));
    const failures = r.outcome().failures;
    expect(failures.map((f) => [f.message, f.occurrences])).toStrictEqual([
      ['first', 3],
      ['another fault', undefined],
      ['no key', undefined],
      ['no key', undefined],
    ]);
  });

  test('message, received and expected go through the scrub function; the rest does not', () => {
    const scrub = (text: string) => text.replaceAll('s3cret', '[REDACTED]');
    const r = recorder(CHECK, scrub);
    r.fail(input({ message: 'echoed s3cret', received: '{"token":"s3cret"}', expected: 's3cret-free', pointer: '/s3cret' }));
    expect(r.outcome().failures[0]).toMatchObject({
      message: 'echoed [REDACTED]',
      received: '{"token":"[REDACTED]"}',
      expected: '[REDACTED]-free',
      pointer: '/s3cret',
    });
  });

  test("without a scrub function, the process-wide secret registry's", () => {
    secrets.add('registered-secret-value');
    const r = recorder();
    r.fail(input({ received: 'it sent registered-secret-value back' }));
    expect(r.outcome().failures[0].received).toBe('it sent [REDACTED] back');
  });

  test('from a probe result: its probe, request, response and a curl line for the request', () => {
    const request = {
      method: 'GET',
      url: 'https://target.example/accounts/a/valuations?offset=2',
      headers: { accept: 'application/json' },
    };
    const seen: ProbeResult = {
      probe: {
        id: 'page:2',
        kind: 'variant',
        purpose: 'the second page',
        owner: CHECK.name,
        request: { method: 'GET', path: '/x', auth: { scopes: [] } },
      },
      status: 200,
      headers: {},
      json: { meta: {} },
      bodyBytes: 11,
      exchange: {
        id: 1,
        attempt: 1,
        startedAt: '2025-01-01T00:00:00.000Z',
        request,
        response: { status: 200, headers: {}, bodyExcerpt: '{"meta":{}}', bodyBytes: 11, truncated: false },
      },
    };
    const r = recorder();
    r.fail(input({ result: seen, at: { probe: 'ignored' } }));
    expect(r.outcome().failures[0]).toMatchObject({
      probe: 'page:2',
      request: seen.exchange.request,
      response: seen.exchange.response,
      curl: curlFor(seen.exchange.request),
    });
  });

  test('from `at` (a delivery, a consumer answer): its probe, and request, curl and response when given', () => {
    const request = { method: 'POST', url: 'https://consumer.example/hook', headers: {} };
    const response = { status: 500, headers: {}, bodyExcerpt: '', bodyBytes: 0, truncated: false };
    const r = recorder();
    r.fail(input({ message: 'full', at: { probe: 'delivery:1', request, response } }));
    r.fail(input({ message: 'bare', at: { probe: 'delivery:2' } }));
    const [full, bare] = r.outcome().failures;
    expect(full).toMatchObject({ probe: 'delivery:1', request, response, curl: curlFor(request) });
    expect(bare.probe).toBe('delivery:2');
    for (const key of ['request', 'response', 'curl']) expect(bare).not.toHaveProperty(key);
  });
});

describe('one finding per cause across the checks of an operation', () => {
  const CAUSE = 'response-headers:missing:upvest-request-id';
  const headers = { ...CHECK, name: 'response-headers' };
  const errors = { ...CHECK, name: 'error-shape' };

  test("the owner of the cause reported it: the owner's failure stays, the other's is dropped", () => {
    const owner = recorder(headers);
    const other = recorder(errors);
    other.fail(input({ message: 'the problem has no request id', cause: CAUSE }));
    other.fail(input({ message: 'the problem has no title' }));
    owner.fail(input({ message: 'no upvest-request-id', cause: CAUSE }));
    const [ownerOutcome, otherOutcome] = outcomesOf([owner, other]);
    expect(ownerOutcome.failures.map((f) => f.message)).toStrictEqual(['no upvest-request-id']);
    expect(otherOutcome.failures.map((f) => f.message)).toStrictEqual(['the problem has no title']);
  });

  test("the owner reported nothing (or did not run): the other check's failure stays", () => {
    const owner = recorder(headers);
    const other = recorder(errors);
    other.fail(input({ message: 'the problem has no request id', cause: CAUSE }));
    const [ownerOutcome, otherOutcome] = outcomesOf([owner, other]);
    expect(ownerOutcome.status).toBe('passed');
    expect(otherOutcome.failures.map((f) => f.message)).toStrictEqual(['the problem has no request id']);
    expect(otherOutcome.status).toBe('failed');
  });

  test('a dropped warning is left out too, and a check left with only dropped failures passes', () => {
    const owner = recorder(headers);
    const other = recorder(errors);
    owner.fail(input({ cause: CAUSE }));
    other.fail(input({ cause: CAUSE }));
    other.fail(input({ cause: CAUSE, severity: 'warning' }));
    const otherOutcome = outcomesOf([owner, other])[1];
    expect([otherOutcome.failures, otherOutcome.warnings, otherOutcome.status]).toStrictEqual([[], [], 'passed']);
  });
});

describe('skips, excuses, errors and figures', () => {
  test('skip: the check is skipped with the reason, unless it failed', () => {
    const r = recorder();
    r.skip('the list is empty');
    expect([r.skipReason, r.outcome().status, r.outcome().skipReason]).toStrictEqual(['the list is empty', 'skipped', 'the list is empty']);
    r.fail(input());
    expect(r.outcome().status).toBe('failed');
  });

  test("excuse: that probe's error no longer counts, the reason is kept as a figure; other errors stay", () => {
    const r = recorder();
    r.error(transportError);
    r.error({ ...transportError, probe: 'page:9' });
    r.excuse('baseline:0', 'the target refused the page size, which the documentation allows');
    const outcome = r.outcome();
    expect(outcome.errors).toStrictEqual([{ ...transportError, probe: 'page:9' }]);
    expect(outcome.stats).toStrictEqual({ 'excused:baseline:0': 'the target refused the page size, which the documentation allows' });
    expect(outcome.status).toBe('error');
    r.excuse('page:9', 'also fine');
    expect([r.outcome().errors, r.outcome().status]).toStrictEqual([[], 'passed']);
  });

  test('stats, enums, probes and duration reach the outcome', () => {
    const r = recorder();
    r.stat('pages', 3);
    r.stat('pages', 4);
    r.enums([{ scope: 's', pointer: '/p', values: ['A'], observed: ['A'] }]);
    r.countProbe();
    r.countProbe();
    r.addDuration(1.2);
    r.addDuration(2.5);
    expect(r.outcome()).toMatchObject({
      stats: { pages: 4 },
      enums: [{ scope: 's', pointer: '/p', values: ['A'], observed: ['A'] }],
      probes: 2,
      durationMs: 4,
    });
  });
});

describe('createCheckContext', () => {
  test("the check's context: the operation, environment and spec, and the recorder's functions", () => {
    const env = environment();
    const record = createCheckContext({ check: CHECK, operation: OPERATION, env, spec: SPEC, scrub: (t) => t.toUpperCase() });
    expect([record.ctx.operation, record.ctx.env, record.ctx.spec]).toStrictEqual([OPERATION, env, SPEC]);
    record.ctx.fail(input({ message: 'quiet' }));
    record.ctx.stat('k', 1);
    record.ctx.skip('why');
    record.ctx.excuse('p', 'r');
    const outcome = record.outcome();
    expect(outcome).toMatchObject({ check: CHECK.name, operation: OPERATION.key, operationId: OPERATION.operationId, status: 'failed' });
    expect(outcome.failures[0].message).toBe('QUIET');
    expect(outcome.stats).toStrictEqual({ k: 1, 'excused:p': 'r' });
  });
});

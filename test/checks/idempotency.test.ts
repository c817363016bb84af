/**
 * idempotency: the same key and body return the resource the key created; a new key creates
 * another; the same key with another body is refused (common practice, the pages are silent: a warning).
 */
import { describe, expect, test } from 'vitest';
import { idempotency } from '../../src/checks/idempotency.js';
import type { Probe } from '../../src/checks/types.js';
import { type FakeResponse, runCheck } from '../helpers/check-harness.js';
import { at, EXECUTIONS_PATH, expectFindings, TRIGGER, type WantFinding } from './fixtures.js';

interface Faults {
  /** A replay creates a new resource. */
  replayCreates?: boolean;
  /** A replay is answered with this status. */
  replayStatus?: number;
  /** A new key returns the resource of the first key. */
  newKeyRepeats?: boolean;
  /** A reused key with another body is answered with this status (default 400). */
  otherBodyStatus?: number;
  /** The first create is answered with this status. */
  createStatus?: number;
}

/** A target keeping key → (body, id), with faults. */
function target(faults: Faults = {}) {
  const keys = new Map<string, { body: string; id: string }>();
  let created = 0;
  let first: string | undefined;
  return (probe: Probe): FakeResponse => {
    if (faults.createStatus && keys.size === 0) return { status: faults.createStatus, json: { type: 'x', status: faults.createStatus } };
    const key = String(probe.request.idempotencyKey);
    const body = JSON.stringify(probe.request.body);
    const known = keys.get(key);
    const create = () => {
      const id = `00000000-0000-4000-8000-${String(++created).padStart(12, '0')}`;
      first ??= id;
      keys.set(key, { body, id });
      return { status: 200, json: { id } };
    };
    if (!known) return faults.newKeyRepeats && first ? { status: 200, json: { id: first } } : create();
    if (known.body !== body) {
      const status = faults.otherBodyStatus ?? 400;
      return status === 200 ? create() : { status, json: { type: 'x', status } };
    }
    // The original id, under another status than the documented 200.
    if (faults.replayStatus) return { status: faults.replayStatus, json: { id: known.id } };
    return faults.replayCreates ? create() : { status: 200, json: { id: known.id } };
  };
}

const KEY = at(EXECUTIONS_PATH, 'post', 'parameters', 'idempotency-key');
const cases: { name: string; faults: Faults; want: WantFinding[]; skipped?: string }[] = [
  { name: 'a target that keeps its keys passes', faults: {}, want: [] },
  { name: 'a reused key with another body refused with 422 passes too', faults: { otherBodyStatus: 422 }, want: [] },
  {
    name: 'a replay that creates a new resource fails',
    faults: { replayCreates: true },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'replaying key K did not return the resource it created',
        pointer: '/id',
        expected: '200 with id "00000000-0000-4000-8000-000000000001"',
        at: KEY,
        probe: 'idem:replay',
      },
    ],
  },
  {
    name: 'a replay answered with another status than 200 fails, even with the same id',
    faults: { replayStatus: 201 },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'replaying key K did not return',
        received: '201 "00000000-0000-4000-8000-000000000001"',
      },
    ],
  },
  {
    name: 'a new key that returns the first key’s resource fails',
    faults: { newKeyRepeats: true },
    want: [
      {
        severity: 'error',
        basis: 'documented',
        message: 'a new idempotency-key returned the resource of another key',
        pointer: '/id',
        at: KEY,
        probe: 'idem:new-key',
      },
    ],
  },
  {
    name: 'a reused key with another body accepted warns',
    faults: { otherBodyStatus: 200 },
    want: [
      { severity: 'warning', basis: 'convention', message: 'key K reused with a different body was accepted', probe: 'idem:other-body' },
    ],
  },
  {
    name: 'a reused key with another body answered 500 warns (a refusal is a 4xx)',
    faults: { otherBodyStatus: 500 },
    want: [
      { severity: 'warning', basis: 'convention', message: 'key K reused with a different body was accepted', received: '500 (absent)' },
    ],
  },
  {
    name: 'a create that fails leaves nothing to replay: skipped with the reason',
    faults: { createStatus: 400 },
    want: [],
    skipped: 'the create request was answered 400; idempotency cannot be tried',
  },
];

describe('idempotency', () => {
  test.for(cases)('$name', async ({ faults, want, skipped }) => {
    const run = await runCheck(idempotency, TRIGGER, { answer: target(faults) });
    expectFindings(run, want);
    expect(run.skipped).toBe(skipped);
  });

  test('the replay repeats key and body; the new key is new; the other body differs from the first', async () => {
    const run = await runCheck(idempotency, TRIGGER, { answer: target() });
    const [first, replay, fresh, other] = run.probes;
    expect(run.probes.map((p) => [p.id, p.kind])).toEqual([
      ['idem:first', 'variant'],
      ['idem:replay', 'replay'],
      ['idem:new-key', 'variant'],
      ['idem:other-body', 'negative'],
    ]);
    expect(replay.request.idempotencyKey).toBe(first.request.idempotencyKey);
    expect(replay.request.body).toEqual(first.request.body);
    expect(fresh.request.idempotencyKey).not.toBe(first.request.idempotencyKey);
    expect(fresh.request.body).toEqual(first.request.body);
    expect(other.request.idempotencyKey).toBe(first.request.idempotencyKey);
    expect(other.request.body).not.toEqual(first.request.body);
    expect(run.stats.createdId).toBe('00000000-0000-4000-8000-000000000001');
  });
});

/**
 * The run's limiter: never more than N tasks in flight, and tasks start in the order they were
 * submitted. Tasks end when the test settles their deferred promises, so nothing depends on timing.
 */
import { describe, expect, test } from 'vitest';
import { Limiter } from '../../src/engine/limiter.js';
import { deferred, settle, type Deferred } from '../helpers/deferred.js';

/** A limiter whose tasks are deferred promises, with a record of what started and what is in flight. */
function harness(concurrency: number) {
  const limiter = new Limiter(concurrency);
  const started: string[] = [];
  const gates = new Map<string, Deferred<string>>();
  let inFlight = 0;
  let maxInFlight = 0;
  const submit = (name: string) => {
    const gate = deferred<string>();
    gates.set(name, gate);
    return limiter.run(async () => {
      started.push(name);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await gate.promise;
      } finally {
        inFlight--;
      }
    });
  };
  return {
    submit,
    started,
    finish: (name: string, value = name) => gates.get(name)!.resolve(value),
    fail: (name: string, error: unknown) => gates.get(name)!.reject(error),
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

describe('Limiter', () => {
  test.for([1, 2, 3])('concurrency %i: at most that many in flight, the rest wait', async (n) => {
    const h = harness(n);
    const names = Array.from({ length: 8 }, (_, i) => `t${i}`);
    const results = names.map(h.submit);
    await settle();
    expect(h.started).toEqual(names.slice(0, n));
    // Finish the newest running task each time (not submission order); after each, the oldest waiting one starts.
    const done = new Set<string>();
    for (let i = 0; i < names.length; i++) {
      const running = h.started.filter((name) => !done.has(name));
      const newest = running[running.length - 1];
      h.finish(newest);
      done.add(newest);
      await settle();
      expect(h.inFlight).toBeLessThanOrEqual(n);
      expect(h.started).toEqual(names.slice(0, Math.min(names.length, n + i + 1)));
    }
    expect(await Promise.all(results)).toEqual(names);
    expect(h.maxInFlight).toBe(n);
  });

  test('waiting tasks start in submission order (FIFO)', async () => {
    const h = harness(1);
    for (const name of ['a', 'b', 'c', 'd']) void h.submit(name);
    await settle();
    for (const name of ['a', 'b', 'c']) {
      h.finish(name);
      await settle();
    }
    expect(h.started).toEqual(['a', 'b', 'c', 'd']);
  });

  test('a slot freed by a finished task goes to the oldest waiting task, not to one submitted while it is handed over', async () => {
    const limiter = new Limiter(1);
    const started: string[] = [];
    const first = deferred();
    const waiting = deferred();
    // Bare promises: the limiter's own continuation is the first to run when a task settles.
    void limiter.run(() => {
      started.push('first');
      return first.promise;
    });
    void limiter.run(() => {
      started.push('waiting');
      return waiting.promise;
    });
    await settle();
    first.resolve();
    // Queued right behind the limiter's release of the slot, before the waiting task resumes.
    void Promise.resolve().then(() =>
      limiter.run(async () => {
        started.push('late');
      }),
    );
    await settle();
    expect(started).toEqual(['first', 'waiting']);
    waiting.resolve();
    await settle();
    expect(started).toEqual(['first', 'waiting', 'late']);
  });

  test("a task that rejects frees its slot, and the caller gets the task's error", async () => {
    const h = harness(1);
    const failing = h.submit('boom');
    const next = h.submit('next');
    await settle();
    h.fail('boom', new Error('the task failed'));
    await expect(failing).rejects.toThrow('the task failed');
    await settle();
    expect(h.started).toEqual(['boom', 'next']);
    h.finish('next', 'done');
    expect(await next).toBe('done');
  });

  test('a task that throws before returning a promise frees its slot too', async () => {
    const limiter = new Limiter(1);
    await expect(
      limiter.run(() => {
        throw new Error('synchronous');
      }),
    ).rejects.toThrow('synchronous');
    expect(await limiter.run(async () => 'after')).toBe('after');
  });

  test.for([0, -1, 1.5, Number.NaN])('concurrency %s is refused: it would never run a task', (n) => {
    expect(() => new Limiter(n)).toThrow(/concurrency must be a whole number of at least 1/);
  });
});

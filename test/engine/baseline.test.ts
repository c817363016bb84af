/**
 * Baselines: reading one (every malformed file refused by name), which entries match which
 * failures, marking matched failures and recomputing the status, stale entries, and the
 * baseline --update-baseline writes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  applyBaseline,
  type Baseline,
  type BaselineEntry,
  matches,
  readBaseline,
  staleEntries,
  updatedBaseline,
  writeBaseline,
} from '../../src/engine/baseline.js';
import { BaselineError } from '../../src/errors.js';
import { CURRENT, crash, failure, LIST, outcome, transportError, warning } from '../helpers/outcomes.js';

const dir = mkdtempSync(join(tmpdir(), 'uc-baseline-'));
let files = 0;
function file(content: string): string {
  const path = join(dir, `baseline-${files++}.json`);
  writeFileSync(path, content);
  return path;
}

const entry = (overrides: Partial<BaselineEntry> = {}): BaselineEntry => ({
  check: 'pagination-meta',
  operation: LIST,
  reason: 'known: count is off (ticket 123)',
  ...overrides,
});

function refusal(path: string): BaselineError {
  try {
    readBaseline(path);
  } catch (error) {
    expect(error).toBeInstanceOf(BaselineError);
    return error as BaselineError;
  }
  throw new Error(`${path} was accepted`);
}

describe('readBaseline', () => {
  const REFUSED: [string, string, string][] = [
    ['not JSON', '{"entries": [', 'is not valid JSON: '],
    ['a list, not an object', '[]', 'must be an object with an "entries" array'],
    ['JSON null', 'null', 'must be an object with an "entries" array'],
    ['entries not a list', '{"entries": {}}', 'must be an object with an "entries" array'],
    ['an entry without check', '{"entries": [{"operation": "*", "reason": "r"}]}', 'entry 0 has no check'],
    [
      'an entry with an empty operation',
      '{"entries": [{"check": "auth", "operation": "*", "reason": "r"}, {"check": "auth", "operation": "", "reason": "r"}]}',
      'entry 1 has no operation',
    ],
    ['an entry whose reason is not text', '{"entries": [{"check": "auth", "operation": "*", "reason": 5}]}', 'entry 0 has no reason'],
    ['an entry that is not an object', '{"entries": ["auth"]}', 'entry 0 has no check'],
  ];
  test.for(REFUSED)('%s is refused with CT_ERR_BASELINE, naming the file', ([, content, message]) => {
    const path = file(content);
    const error = refusal(path);
    expect(error.code).toBe('CT_ERR_BASELINE');
    expect(error.message).toContain(`Baseline file ${path}`);
    expect(error.message).toContain(message);
  });

  test('a missing file is refused with a hint to create it', () => {
    const path = join(dir, 'nope.json');
    const error = refusal(path);
    expect(error.message).toBe(`Baseline file ${path} does not exist`);
    expect(error.hint).toBe('Create it with --update-baseline, or fix the path.');
  });

  test('a valid file gives its entries and its path', () => {
    const entries = [entry(), entry({ check: 'auth', operation: '*', match: 'scope', reason: 'not enforced yet' })];
    const path = file(JSON.stringify({ $comment: 'x', entries }));
    expect(readBaseline(path)).toStrictEqual({ file: path, entries });
  });

  test('writeBaseline writes what readBaseline reads, with a comment that says what the file is', () => {
    const path = join(dir, 'written.json');
    const entries = [entry({ match: 'count' })];
    writeBaseline(path, { entries });
    expect(readBaseline(path).entries).toStrictEqual(entries);
    expect(JSON.parse(readFileSync(path, 'utf8')).$comment).toMatch(/Every entry needs a reason/);
  });
});

describe('matches', () => {
  const CASES: [string, Partial<BaselineEntry>, boolean][] = [
    ['the same check on the same operation', {}, true],
    ['another check', { check: 'auth' }, false],
    ['another operation', { operation: CURRENT }, false],
    ['`*` for every operation', { operation: '*' }, true],
    ['a match the message contains', { match: 'is 3, the page' }, true],
    ['a match the message does not contain', { match: 'is 4' }, false],
    ['a match differing in case only', { match: '/META/COUNT' }, false],
    ['an empty match (no match)', { match: '' }, true],
    ['`*` and a match the message does not contain', { operation: '*', match: 'nope' }, false],
  ];
  test.for(CASES)('%s: %s', ([, overrides, want]) => {
    expect(matches(entry(overrides), failure())).toBe(want);
  });
});

describe('applyBaseline', () => {
  const baseline: Baseline = {
    entries: [
      entry({ match: '/meta/count', reason: 'first reason' }),
      entry({ operation: '*', reason: 'second reason' }),
      entry({ check: 'auth', operation: '*', match: 'scope', reason: 'scopes' }),
    ],
  };

  test('without a baseline, or without failures, the outcome is returned as it is', () => {
    const failed = outcome('pagination-meta', LIST, { failures: [failure()] });
    expect(applyBaseline(failed, undefined)).toBe(failed);
    const passed = outcome('pagination-meta', LIST);
    expect(applyBaseline(passed, baseline)).toBe(passed);
  });

  test('every failure matched: each marked with the reason of the first matching entry, and the check passes', () => {
    const failed = outcome('pagination-meta', LIST, {
      failures: [failure(), failure({ message: '/meta/total_count is 5' })],
      warnings: [warning()],
    });
    const applied = applyBaseline(failed, baseline);
    expect(applied.status).toBe('passed');
    expect(applied.failures.map((f) => f.baselined)).toStrictEqual([{ reason: 'first reason' }, { reason: 'second reason' }]);
    // Warnings are baselined alike (a run with --fail-on warning needs that); the original outcome is not changed.
    expect(applied.warnings.map((w) => w.baselined)).toStrictEqual([{ reason: 'second reason' }]);
    expect(failed.warnings.every((w) => w.baselined === undefined)).toBe(true);
    expect(failed.status).toBe('failed');
    expect(failed.failures.every((f) => f.baselined === undefined)).toBe(true);
  });

  test('one failure not matched: the check still fails, only the matched one is marked', () => {
    const applied = applyBaseline(
      outcome('auth', LIST, {
        failures: [failure({ check: 'auth', message: 'a foreign scope was accepted' }), failure({ check: 'auth' })],
      }),
      baseline,
    );
    expect(applied.status).toBe('failed');
    expect(applied.failures.map((f) => f.baselined)).toStrictEqual([{ reason: 'scopes' }, undefined]);
  });

  test.for([
    ['a probe error', transportError, 'error'],
    ['a crash', crash, 'error'],
  ] as const)('baselined failures and %s: the status is error', ([, error, status]) => {
    const applied = applyBaseline(outcome('pagination-meta', LIST, { failures: [failure()], errors: [error] }), baseline);
    expect(applied.failures[0].baselined).toStrictEqual({ reason: 'first reason' });
    expect(applied.status).toBe(status);
  });
});

describe('staleEntries', () => {
  test('entries that match no failure of the run, baselined failures counting as matched', () => {
    const baseline: Baseline = {
      entries: [entry(), entry({ check: 'ordering', operation: '*', reason: 'fixed long ago' }), entry({ operation: CURRENT })],
    };
    const outcomes = [applyBaseline(outcome('pagination-meta', LIST, { failures: [failure()] }), baseline), outcome('ordering', LIST)];
    expect(outcomes[0].failures[0].baselined).toBeDefined();
    expect(staleEntries(baseline, outcomes)).toStrictEqual([baseline.entries[1], baseline.entries[2]]);
  });

  test('a warning keeps its entry alive too; without a baseline nothing is stale', () => {
    const outcomes = [outcome('pagination-meta', LIST, { warnings: [warning()] })];
    expect(staleEntries({ entries: [entry()] }, outcomes)).toStrictEqual([]);
    expect(staleEntries({ entries: [entry({ check: 'ordering' })] }, outcomes)).toStrictEqual([entry({ check: 'ordering' })]);
    expect(staleEntries(undefined, outcomes)).toStrictEqual([]);
  });
});

describe('updatedBaseline', () => {
  test('without a previous baseline: one entry per failure, matching its message, with a reason to write', () => {
    const outcomes = [
      outcome('pagination-meta', LIST, { failures: [failure()], warnings: [warning()] }),
      outcome('auth', CURRENT, { failures: [failure({ check: 'auth', operation: CURRENT, message: 'no bearer was accepted' })] }),
    ];
    expect(updatedBaseline(undefined, outcomes)).toStrictEqual({
      file: undefined,
      entries: [
        { check: 'pagination-meta', operation: LIST, match: failure().message, reason: 'TODO: say why this deviation is accepted' },
        { check: 'auth', operation: CURRENT, match: 'no bearer was accepted', reason: 'TODO: say why this deviation is accepted' },
      ],
    });
  });

  test('entries that still match are kept as they are (reason, `*`, match); the others are dropped; each entry once', () => {
    const kept = entry({ operation: '*', match: 'count', reason: 'kept reason' });
    const previous: Baseline = { file: '/x/baseline.json', entries: [kept, entry({ check: 'ordering', reason: 'stale' })] };
    const outcomes = [
      outcome('pagination-meta', LIST, { failures: [failure(), failure({ message: '/meta/count is 9' })] }),
      outcome('pagination-meta', CURRENT, { failures: [failure({ operation: CURRENT })] }),
      outcome('auth', LIST, { failures: [failure({ check: 'auth', message: 'twice' })] }),
      outcome('auth', LIST, { failures: [failure({ check: 'auth', message: 'twice' })] }),
    ];
    const updated = updatedBaseline(previous, outcomes);
    expect(updated).toStrictEqual({
      file: '/x/baseline.json',
      entries: [kept, { check: 'auth', operation: LIST, match: 'twice', reason: 'TODO: say why this deviation is accepted' }],
    });
    expect(updated.entries[0]).toBe(kept);
  });
});

import { describe, expect, test } from 'vitest';
import { manifest } from '../../src/spec/manifest.js';
import { validateBody } from '../../src/spec/validate.js';
import { buildCorpus, corpusGaps, recordedEvents, type CorpusEvent } from '../../src/webhooks/corpus.js';
import { deviations } from '../helpers/samples.js';

const corpus = buildCorpus();

describe('webhook corpus', () => {
  test('every event validates against the validator of its type, with no undocumented property', () => {
    for (const { type, event } of corpus) {
      const validator = manifest.eventTypes.find((t) => t.type === type)!.validator;
      expect(validateBody(validator, event), `${type} ${JSON.stringify(event).slice(0, 120)}`).toEqual({
        valid: true,
        violations: [],
        undocumented: [],
      });
    }
  });

  test('covers every event type, enum value, Account branch and nullable field (null and set)', () => {
    expect(corpusGaps(corpus)).toEqual([]);
  });

  test('the coverage test can fail: a corpus without one enum value, branch or type shows the gap', () => {
    const without = (drop: (e: CorpusEvent) => boolean) => corpusGaps(corpus.filter((e) => !drop(e)));
    expect(without((e) => (e.event.object as { cancellation_reason?: string }).cancellation_reason === 'UNKNOWN')).toContainEqual({
      kind: 'enum-value',
      webhook: 'rebalancingExecutionOrderEvent',
      detail: '/object/cancellation_reason = UNKNOWN',
    });
    expect(without((e) => 'business_id' in (e.event.object as object))).toContainEqual({
      kind: 'branch',
      webhook: 'accountEvent',
      detail: '/object branch 1',
    });
    expect(without((e) => e.type === 'ACCOUNT.LOCKED')).toContainEqual({
      kind: 'event-type',
      webhook: 'accountEvent',
      detail: 'ACCOUNT.LOCKED',
    });
    expect(without((e) => JSON.stringify(e.event).includes('"weight":null'))).toContainEqual({
      kind: 'null',
      webhook: 'accountValuationEvent',
      detail: '/object/security_positions/*/weight',
    });
  });

  test('includes the recorded samples that validate; the documented deviation is left out for its reason', () => {
    const recorded = recordedEvents().map((e) => e.file);
    expect(recorded.sort()).toEqual(['webhook.ACCOUNT_VALUATION.CREATED.json', 'webhook.INTRADAY_ACCOUNT_VALUATION.CREATED.json']);
    expect(deviations.some((d) => d.sample === 'webhook.REBALANCING_EXECUTION_ORDER.NEW.json')).toBe(true);
  });

  test('is deterministic for a seed', () => {
    expect(JSON.stringify(buildCorpus())).toBe(JSON.stringify(corpus));
    expect(JSON.stringify(buildCorpus(7))).not.toBe(JSON.stringify(corpus));
  });
});

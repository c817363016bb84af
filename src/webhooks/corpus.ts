/**
 * The webhook corpus: the documentation's recorded events (spec/samples) plus events generated
 * from the webhook schemas with faker, from a fixed seed, so that every event type, every value
 * of every enum inside webhook objects, both Account branches (Account, Business Account) and
 * every nullable field both null and set appear at least once. Built at run time; deterministic.
 */
import { readFileSync } from 'node:fs';
import { choicePoints } from '../data/choice-points.js';
import { InstanceGenerator, createFaker, type Choice, type Schema } from '../data/instance-generator.js';
import { presentValuesAt } from '../checks/util.js';
import { manifest, storedSchema } from '../spec/manifest.js';
import { validateBody } from '../spec/validate.js';

export interface CorpusEvent {
  source: 'recorded' | 'generated';
  /** For recorded events: the sample file. */
  file?: string;
  type: string;
  event: Record<string, unknown>;
}

export interface CoverageGap {
  kind: 'event-type' | 'enum-value' | 'branch' | 'null' | 'non-null';
  webhook: string;
  detail: string;
}

const samplesDir = new URL('../../spec/samples/', import.meta.url);

/** Recorded samples that validate (the documented deviations are left out: they are not valid events). */
export function recordedEvents(): CorpusEvent[] {
  const index = JSON.parse(readFileSync(new URL('index.json', samplesDir), 'utf8')) as {
    samples: { file: string; kind: string; eventType?: string }[];
  };
  return index.samples
    .filter((s) => s.kind === 'webhook')
    .map((s) => ({
      source: 'recorded' as const,
      file: s.file,
      type: s.eventType!,
      event: JSON.parse(readFileSync(new URL(s.file, samplesDir), 'utf8')) as Record<string, unknown>,
    }))
    .filter((e) => validateBody(manifest.eventTypes.find((t) => t.type === e.type)!.validator, e.event).valid);
}

interface Needs {
  enums: Map<string, Set<string | number>>;
  nulls: Set<string>;
  setValues: Set<string>;
  branches: Map<string, Set<number>>;
}

function valueAt(event: unknown, pointer: string): unknown[] {
  return presentValuesAt(event, pointer);
}

/** Plans candidates per event type and keeps those that are valid and add coverage. */
export function generatedEvents(seed = 20250115): CorpusEvent[] {
  const faker = createFaker(seed);
  const out: CorpusEvent[] = [];
  for (const webhook of manifest.webhooks) {
    const enums = manifest.enums.filter((e) => e.scope.kind === 'webhook' && e.scope.webhook === webhook.name && e.pointer !== '/type');
    const needs: Needs = {
      enums: new Map(enums.map((e) => [e.pointer, new Set(e.values)])),
      nulls: new Set(),
      setValues: new Set(),
      branches: new Map(),
    };
    for (const type of webhook.eventTypes) {
      const entry = manifest.eventTypes.find((t) => t.type === type)!;
      const schema = storedSchema(entry.validator) as Schema;
      const points = choicePoints(schema);
      for (const p of points.nullable) {
        needs.nulls.add(p);
        needs.setValues.add(p);
      }
      for (const o of points.oneOf) needs.branches.set(o.pointer, new Set(Array.from({ length: o.branches }, (_, i) => i)));
      const candidates: Record<string, Choice>[] = [{}];
      for (const e of enums) for (const value of e.values) candidates.push({ [e.pointer]: { enum: value } });
      for (const p of points.nullable) candidates.push({ [p]: { null: true } });
      for (const o of points.oneOf)
        for (let branch = 0; branch < o.branches; branch++) {
          candidates.push({ [o.pointer]: { branch } });
          // Enum values that live only inside a branch need that branch chosen too.
          for (const e of enums.filter((x) => x.pointer.startsWith(`${o.pointer}/`)))
            for (const value of e.values) candidates.push({ [o.pointer]: { branch }, [e.pointer]: { enum: value } });
        }
      let first = true;
      for (const choices of candidates) {
        let event: Record<string, unknown>;
        try {
          event = new InstanceGenerator({ faker, choices }).generate(schema) as Record<string, unknown>;
        } catch {
          continue; // a choice that does not apply to this event type
        }
        if (!validateBody(entry.validator, event).valid) continue;
        const gains = coverageGains(event, needs, points);
        // Every type once, then only events that add coverage.
        if (!first && gains === 0) continue;
        first = false;
        out.push({ source: 'generated', type, event });
      }
    }
  }
  return out;
}

function coverageGains(event: unknown, needs: Needs, points: ReturnType<typeof choicePoints>): number {
  let gains = 0;
  for (const [pointer, missing] of needs.enums) {
    for (const value of valueAt(event, pointer)) if (missing.delete(value as string)) gains++;
  }
  for (const p of points.nullable) {
    const values = valueAt(event, p);
    if (values.some((v) => v === null) && needs.nulls.delete(p)) gains++;
    if (values.some((v) => v !== null && v !== undefined) && needs.setValues.delete(p)) gains++;
  }
  for (const o of points.oneOf) {
    const object = valueAt(event, o.pointer)[0] as Record<string, unknown> | undefined;
    if (!object) continue;
    // Business Accounts are told apart by business_id (the spec's discriminating field).
    const branch = 'business_id' in object ? 1 : 0;
    if (needs.branches.get(o.pointer)?.delete(branch)) gains++;
  }
  return gains;
}

export function buildCorpus(seed?: number): CorpusEvent[] {
  return [...recordedEvents(), ...generatedEvents(seed)];
}

/** What the corpus lacks; empty when it covers every type, enum value, branch and nullable field. */
export function corpusGaps(corpus: CorpusEvent[]): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  for (const webhook of manifest.webhooks) {
    const events = corpus.filter((c) => webhook.eventTypes.includes(c.type)).map((c) => c.event);
    for (const type of webhook.eventTypes)
      if (!corpus.some((c) => c.type === type)) gaps.push({ kind: 'event-type', webhook: webhook.name, detail: type });
    for (const e of manifest.enums.filter((x) => x.scope.kind === 'webhook' && x.scope.webhook === webhook.name)) {
      const seen = new Set(events.flatMap((ev) => valueAt(ev, e.pointer)));
      for (const value of e.values)
        if (!seen.has(value)) gaps.push({ kind: 'enum-value', webhook: webhook.name, detail: `${e.pointer} = ${value}` });
    }
    const schema = storedSchema(manifest.eventTypes.find((t) => t.webhook === webhook.name)!.validator) as Schema;
    const points = choicePoints(schema);
    for (const p of points.nullable) {
      const values = events.flatMap((ev) => valueAt(ev, p));
      if (!values.some((v) => v === null)) gaps.push({ kind: 'null', webhook: webhook.name, detail: p });
      if (!values.some((v) => v !== null && v !== undefined)) gaps.push({ kind: 'non-null', webhook: webhook.name, detail: p });
    }
    for (const o of points.oneOf) {
      const branches = new Set<number>(
        events
          .map((ev) => valueAt(ev, o.pointer)[0])
          .filter(Boolean)
          .map((obj) => ('business_id' in (obj as object) ? 1 : 0)),
      );
      for (let b = 0; b < o.branches; b++)
        if (!branches.has(b)) gaps.push({ kind: 'branch', webhook: webhook.name, detail: `${o.pointer} branch ${b}` });
    }
  }
  return gaps;
}
